"""Records (the model, the project, matches): value semantics as frozen dataclasses had them, checked on every
record class Kervan defines, and the constructor and `_fields` kept in step."""

from __future__ import annotations

import copy
import importlib
import inspect
import pickle
import pkgutil
from collections.abc import Callable

import pytest

import kervan
from kervan.model import Concept, Finding, Segment, Term, Unit
from kervan.pipeline.articles import AddResult
from kervan.pipeline.memories import ImportReport
from kervan.pipeline.tm import SyncReport
from kervan.placeholders import Placeholders
from kervan.record import Record
from kervan.segmentation.ruleset import Rule, SrxRules
from kervan.tm.leverage import Fill


def _record_classes() -> list[type[Record]]:
    for info in pkgutil.walk_packages(kervan.__path__, "kervan."):
        importlib.import_module(info.name)
    found: list[type[Record]] = []
    pending = list(Record.__subclasses__())
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return sorted(found, key=lambda c: c.__qualname__)


RECORDS = _record_classes()


def test_records_are_found() -> None:
    names = {cls.__name__ for cls in RECORDS}
    assert {"Paragraph", "Document", "Segment", "Unit", "Term", "Concept", "Finding", "Project"} <= names
    assert {"Translation", "Rule", "SrxRules", "CompiledRule", "QaItem", "QaContext", "Placeholders"} <= names


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: c.__qualname__)
def test_constructor_slots_and_fields_agree(cls: type[Record]) -> None:
    # replace(), copy and the equality of two records rest on these three naming the same fields in one order.
    parameters = list(inspect.signature(cls.__init__).parameters)[1:]
    assert tuple(parameters) == cls._fields
    assert cls.__slots__ == cls._fields
    assert cls.__bases__ == (Record,)  # one level: `_fields` names every field


def test_equality_and_hash_are_by_value() -> None:
    a, b = Term("AEB", "tr", "abbreviation"), Term("AEB", "tr", "abbreviation")
    assert a == b and hash(a) == hash(b) and a is not b
    assert a != Term("AEB", "tr")  # a different kind
    assert len({a, b, Term("ЕАЭС", "ru")}) == 2
    assert a != ("AEB", "tr", "abbreviation", "preferred")  # not a tuple, nor another record with those values
    assert Segment("d:1.1", "x", "tr", "r") != Finding("d:1.1", "x", "tr", "r", "")


def test_records_are_immutable() -> None:
    term = Term("AEB", "tr")
    with pytest.raises(AttributeError, match="immutable"):
        term.text = "BDT"  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        del term.lang
    with pytest.raises(AttributeError):
        term.extra = 1  # type: ignore[attr-defined]
    assert term.text == "AEB"


def test_replace_makes_a_changed_copy_and_refuses_unknown_fields() -> None:
    term = Term("AEB", "tr", "abbreviation")
    admitted = term.replace(status="admitted")
    assert admitted == Term("AEB", "tr", "abbreviation", "admitted")
    assert term.status == "preferred"
    with pytest.raises(TypeError):
        term.replace(colour="red")


def test_defaults_are_not_shared_between_records() -> None:
    first, second = Unit(Segment("d:1.1", "a", "tr", "r")), Unit(Segment("d:1.2", "b", "tr", "r"))
    assert first.targets == {} and first.status == {}
    assert first.targets is not second.targets
    assert Placeholders().named == {} and Placeholders().named is not Placeholders().named


def test_repr_astuple_asdict_copy_and_pickle() -> None:
    concept = Concept("eaeu", {"tr": (Term("AEB", "tr", "abbreviation"),)}, note="n")
    assert repr(concept) == (
        "Concept(id='eaeu', terms={'tr': (Term(text='AEB', lang='tr', kind='abbreviation', status='preferred'),)}, "
        "definition='', note='n', subject='')"
    )
    assert concept.astuple() == ("eaeu", concept.terms, "", "n", "")
    assert list(concept.asdict()) == ["id", "terms", "definition", "note", "subject"]
    assert copy.copy(concept) == concept
    deep = copy.deepcopy(concept)
    assert deep == concept and deep.terms is not concept.terms
    assert pickle.loads(pickle.dumps(concept)) == concept


def test_where_a_rule_was_read_and_why_it_is_off_are_left_out_of_comparisons() -> None:
    rule = Rule(True, "\\.", "\\s", line=7)
    same = rule.replace(line=12, problem="lookbehind too long")
    assert same == rule and hash(same) == hash(rule) and same.line == 12 and same.problem
    assert repr(same) == "Rule(is_break=True, before='\\\\.', after='\\\\s', line=12, problem='lookbehind too long')"
    assert rule != rule.replace(is_break=False) and rule != rule.replace(before="!") and rule != rule.replace(after="")
    assert rule != (True, "\\.", "\\s")
    here = SrxRules(False, {"tr": (rule,)}, (("tr.*", "tr"),), path="a.srx")
    there = here.replace(path="b.srx", languagerules={"tr": (same,)})
    assert there == here and hash(there) == hash(here) and there.path == "b.srx"
    assert here != here.replace(cascade=True) and here != here.replace(maprules=())
    assert here != here.replace(languagerules={"tr": (rule.replace(after="x"),)})
    both = here.replace(languagerules={"tr": (rule,), "en": (same,)})
    reordered = here.replace(languagerules={"en": (same,), "tr": (rule,)})
    assert both == reordered and hash(both) == hash(reordered)  # languages in any order, for both


RESULTS = {
    "AddResult": AddResult,
    "ImportReport": lambda: ImportReport("a.tmx"),
    "SyncReport": SyncReport,
    "Fill": lambda: Fill("ru", "article", "Bir.", 90, "fuzzy", "tm/a.tmx", "Bir!"),
}


@pytest.mark.parametrize("make", RESULTS.values(), ids=RESULTS.keys())
def test_results_filled_in_place_get_fresh_lists_and_dicts(make: Callable[[], object]) -> None:
    # A job appends to its result as it goes: a default list shared between two results would mix them.
    first, second = make(), make()
    containers = [name for name in type(first).__slots__ if isinstance(getattr(first, name), list | dict)]
    assert containers
    for name in containers:
        assert getattr(first, name) == getattr(second, name)
        assert getattr(first, name) is not getattr(second, name)


def test_no_module_defines_a_dataclass() -> None:
    # `@dataclass` compiles its generated methods at every import (about 0.65 ms a class): Kervan's classes
    # are records or plain slotted classes.
    import ast
    from pathlib import Path

    for path in sorted(Path(kervan.__file__).parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                assert all(alias.name != "dataclasses" for alias in node.names), path
            elif isinstance(node, ast.ImportFrom):
                assert node.module != "dataclasses", path
