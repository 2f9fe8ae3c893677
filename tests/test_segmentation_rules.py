"""The shipped segmentation rules: generated from their sources, hand-made hard cases, quotations that close or
do not, evidence for sentence ends after numbers and abbreviations, languages without rules of their own."""

from __future__ import annotations

import importlib.util
import itertools
import json
import sys
from pathlib import Path

import pytest

from conftest import REPO, run_kervan
from kervan.segmentation import Segmenter, load_rules
from kervan.segmentation.ruleset import Rule, SrxRules
from test_segmentation import _successive_match_breaks

HARD_CASES = REPO / "tests" / "data" / "segmentation" / "hard_cases.jsonl"
LANGS = {"tr": "tr", "en": "en-GB", "ru": "ru"}


def _hard_cases() -> list[tuple[str, list[str]]]:
    records = [json.loads(line) for line in HARD_CASES.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(r["lang"], r["sentences"]) for r in records]


def _split(lang: str, text: str) -> list[str]:
    return Segmenter(load_rules(), LANGS.get(lang, lang)).split(text)


# --------------------------------------------------------------------------- the file is what its sources make


def test_shipped_rules_are_what_the_generator_writes() -> None:
    spec = importlib.util.spec_from_file_location("make_rules", REPO / "tools" / "make_rules.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_rules"] = module
    spec.loader.exec_module(module)
    shipped = (REPO / "src" / "kervan" / "segmentation" / "rules" / "kervan.srx").read_text(encoding="utf-8")
    assert module.render() == shipped, "run: python tools/make_rules.py"
    assert "{{" not in shipped
    # Word list entries are escaped as literals ("e.g" -> "e\.g") and Turkish capitals are Turkish (i -> İ).
    assert r"|e\.g|" in shipped and "|e.g|" not in shipped
    assert "|İşte|" in shipped and "|Iste|" not in shipped


# --------------------------------------------------------------------------- hand-made hard cases


@pytest.mark.parametrize(("lang", "sentences"), _hard_cases(), ids=lambda v: v if isinstance(v, str) else v[0][:40])
def test_hand_made_hard_case(lang: str, sentences: list[str]) -> None:
    assert _split(lang, " ".join(sentences)) == sentences


@pytest.mark.parametrize("lang", sorted(LANGS))
def test_hard_cases_cut_the_same_when_tested_only_at_successive_matches(lang: str) -> None:
    """The way OmegaT applies rules (see test_segmentation) cuts every hard case as Kervan does."""
    rules = load_rules()
    for case_lang, sentences in _hard_cases():
        if case_lang != lang:
            continue
        text = " ".join(sentences)
        cuts = [0, *_successive_match_breaks(rules, LANGS[lang], text), len(text)]
        pieces = [text[a:b].strip() for a, b in itertools.pairwise(cuts)]
        assert [p for p in pieces if p] == sentences


# --------------------------------------------------------------------------- quotations


@pytest.mark.parametrize(
    "opening",
    ["“", "«", '"'],
    ids=["curly", "guillemet", "straight"],
)
def test_a_quotation_that_never_closes_holds_no_sentence_end(opening: str) -> None:
    sentences = [f"Bakan şöyle dedi: {opening}Hazırız.", "Yarın başlıyoruz.", "Herkes yerini alsın.", "Bitti."]
    assert _split("tr", " ".join(sentences)) == sentences
    sentences = [f"{opening}Ama gözlerinin ıslandığını gördüm.", "O zaman seksen beş eder."]
    assert _split("tr", " ".join(sentences)) == sentences


def test_a_quotation_that_closes_in_the_paragraph_holds_its_sentence_ends() -> None:
    for text in (
        "Bakan, “Hazırız. Yarın başlıyoruz. Herkes yerini alsın.” dedi.",
        'Bakan, "Hazırız. Yarın başlıyoruz. Herkes yerini alsın" dedi.',
        "Putin, «Bu tarihi bir adım. Birlikte çalışacağız. Anlaştık» dedi.",
    ):
        assert _split("tr", text) == [text]


def test_a_curly_closing_mark_closes_a_quotation_continued_from_the_previous_paragraph() -> None:
    for text in ("Herkes hazır olsun. Bu tarihi bir gün.” dedi Bakan.", "Herkes hazır. Gelin» dedi Bakan."):
        assert _split("tr", text) == [text]


def test_a_straight_closing_quote_holds_only_when_a_quotation_is_open() -> None:
    """A straight quote is also an inch mark, a ditto mark or a typo: a lone one closes nothing."""
    assert _split("tr", 'Herkes hazır olsun. Bu tarihi bir gün" dedi Bakan.') == [
        "Herkes hazır olsun.",
        'Bu tarihi bir gün" dedi Bakan.',
    ]
    assert _split("tr", 'Ali geldi. "Herkes hazır olsun. Bu tarihi bir gün" dedi Bakan.') == [
        "Ali geldi.",
        '"Herkes hazır olsun. Bu tarihi bir gün" dedi Bakan.',
    ]
    # A closed quotation before the sentence end does not count as open.
    assert _split("tr", '"Evet" dedi. Sonra gitti. Bu "son" oldu.') == [
        '"Evet" dedi.',
        "Sonra gitti.",
        'Bu "son" oldu.',
    ]


def test_a_stray_quote_holds_nothing_far_into_a_long_paragraph() -> None:
    """Past a closed quotation, the cut looks back to its closing mark only (within 400 characters), so the
    engine's 1,000-character look-behind bound does not matter."""
    start = ["Toplantı uzun sürdü."] * 60  # 1,259 characters
    for tail in (
        ['Bakan "tamam" dedi.', "Herkes hazır olsun.", 'Bu tarihi bir gün" dedi Bakan.'],
        ["Bakan (Ali) geldi.", "Herkes hazır olsun.", "Bitti dedi)."],
    ):
        assert _split("tr", " ".join(start + tail))[-3:] == tail


def test_hostile_paragraphs_are_segmented_in_linear_time() -> None:
    """Tens of thousands of sentence ends before a stray mark: each cut rule is searched from one place only
    (the start of the line, or a closing mark), so this takes well under a second, not hours."""
    for text in ("Ali geldi. " * 2000 + 'Son" dedi.', "Ali (geldi). " * 1500 + "x) y.", 'Ali "geldi". ' * 1500):
        assert len(_split("tr", text)) >= 1500


def test_a_parenthesis_that_closes_nothing_holds_nothing() -> None:
    assert _split("tr", "Şartlar: a) yaş. Sonra b) gelir belgesi.") == ["Şartlar: a) yaş.", "Sonra b) gelir belgesi."]


def test_inch_and_second_marks_do_not_open_a_quotation() -> None:
    sentences = ['Ekran 15" büyüklüğünde.', "Fiyatı uygun.", "Stoklar sınırlı.", "Satış yarın başlıyor."]
    assert _split("tr", " ".join(sentences)) == sentences
    sentences = ['Koşuyu 9.58" ile bitirdi.', "Bu bir rekor.", "Seyirciler ayağa kalktı."]
    assert _split("tr", " ".join(sentences)) == sentences


def test_a_quotation_is_held_only_within_the_bound() -> None:
    far = " ".join(["Toplantı uzun sürdü."] * 25)  # 525 characters before the closing mark
    text = f"Bakan “Hazırız. {far}” dedi."
    assert len(_split("tr", text)) > 1
    near = "Bakan “Hazırız. Toplantı uzun sürdü.” dedi."
    assert _split("tr", near) == [near]


# --------------------------------------------------------------------------- evidence for a sentence end


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("İki lider 21. Rusya-Kazakistan Forumu’na katıldı.", 1),
        ("Türkiye 2. Dünya Savaşı’nda tarafsız kaldı.", 1),
        ("Yıkılan bina sayısı 37. Enkaz kaldırılıyor.", 2),
        ("Enflasyon yüzde 12. Geçen yıl yüzde 9 idi.", 2),
        ("Fiyatlar %12. Geçen ay %9 idi.", 2),
        ("Ayrıntılar için bkz. Ek 2. Tablodaki rakamlar geçicidir.", 2),
        ("İhaleyi Marmara Yapı A.Ş. Firmanın teklifi en düşüktü.", 2),
        ("Altında bir imza vardı: H. K. Kimin olduğu bilinmiyor.", 2),
        ("Almanya, Fransa vb. Avrupa ülkeleri katıldı.", 1),
        ("Elma, armut vb. Bunların hepsi satıldı.", 2),
        ("Kararlar şunlar: 1. Vergiler düşecek. 2. Bu madde yürürlükte.", 2),  # list items, not sentence ends
        ("1. Bu madde yürürlüktedir.", 1),
        ("Tel. 0312 444 44 44. Faks numarası da verildi.", 2),
        ("Kitabı V. İ. Lenin yazdı.", 1),  # a name ending in -nin is not a genitive
        ("Görüşmeye T. Çiller katıldı.", 1),  # nor one ending in -ler
    ],
)
def test_turkish_periods_after_numbers_initials_and_abbreviations(text: str, expected: int) -> None:
    assert len(_split("tr", text)) == expected, _split("tr", text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He was born in the U.S. He moved to Canada.", 2),
        ("The U.S. Senate voted.", 1),
        ("Acme Inc. The company declined to comment.", 2),
        ("Acme Inc. shares fell.", 1),
        ("Fruit, e.g. Apples, is healthy.", 1),
        ("I.e. the answer is no.", 1),
        ("See No. 5 for details.", 1),
        ("Mr. Smith arrived.", 1),
        ("A. A. Milne wrote it.", 1),
    ],
)
def test_english_periods_after_initials_and_abbreviations(text: str, expected: int) -> None:
    assert len(_split("en", text)) == expected, _split("en", text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Это было в 2025 г. Затем начались переговоры.", 2),
        ("В 2024 г. ВВП вырос на 3,5%.", 1),
        ("Форум прошёл в г. Москва.", 1),
        ("Он живёт на ул. Ленина, д. 5.", 1),
        ("Это, т. е. соглашение, важно.", 1),
        ("Мы купили хлеб, молоко и т. д. Затем пошли домой.", 2),
        ("Бюджет составил 5 млн. рублей.", 1),
        ("Документ подписал Иванов И. И. Он уехал.", 2),
        ("В. В. Путин приехал.", 1),
        ("Проф. Иванов выступил.", 1),
        ("Встреча прошла 5 нояб. 2025 г. в Москве.", 1),
        ("Встреча прошла в Москве, Казани и др. Затем делегация уехала.", 2),
    ],
)
def test_russian_periods_after_initials_and_abbreviations(text: str, expected: int) -> None:
    assert len(_split("ru", text)) == expected, _split("ru", text)


# --------------------------------------------------------------------------- languages without rules of their own


def test_rules_know_the_languages_they_name_and_not_others() -> None:
    rules = load_rules()
    assert rules.knows("tr") and rules.knows("en-GB") and rules.knows("RU")
    assert not rules.knows("de") and not rules.knows("fr-CA")
    assert rules.rule_names_for("de") == ("Default",)
    assert rules.rule_names_for("tr-TR") == ("Turkish", "Default")
    # A file with no catch-all entry knows exactly what it maps.
    only = SrxRules(False, {"Turkish": (Rule(True, r"\.", r"\s"),)}, (("tr.*", "Turkish"),))
    assert only.knows("tr") and not only.knows("de") and only.rule_names_for("de") == ()


def test_unknown_language_is_segmented_with_the_default_rules_and_a_warning(tmp_path: Path) -> None:
    done = run_kervan("segment", "--lang", "de", "-", cwd=tmp_path, stdin="Dr. Müller kam. Er ging.\n")
    assert done.returncode == 0
    assert done.stdout == "Dr.\nMüller kam.\nEr ging.\n"  # no abbreviation exceptions: documented, not English
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("kervan: warning: ") and "'de'" in done.stderr and "Default" in done.stderr
    known = run_kervan("segment", "--lang", "tr", "-", cwd=tmp_path, stdin="Dr. Ali geldi.\n")
    assert known.returncode == 0 and known.stdout == "Dr. Ali geldi.\n" and known.stderr == ""


def test_unknown_language_warning_never_comes_before_an_input_error(tmp_path: Path) -> None:
    done = run_kervan("segment", "--lang", "de", "missing.txt", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("kervan: error: ") and done.stderr.count("\n") == 1


# --------------------------------------------------------------------------- treebank text as gold paragraphs

_CONLLU = """# newdoc id = d1
# sent_id = d1_1
# text = Bakan geldi.
1	Bakan	bakan	NOUN	_	_	2	nsubj	_	_
2	geldi	gel	VERB	_	_	0	root	_	SpaceAfter=No
3	.	.	PUNCT	_	_	2	punct	_	_

# sent_id = x_1
# text = Başka bir belge.
1	Başka	başka	ADJ	_	_	3	amod	_	_
2	bir	bir	DET	_	_	3	det	_	_
3	belge	belge	NOUN	_	_	0	root	_	SpaceAfter=No
4	.	.	PUNCT	_	_	3	punct	_	_

# sent_id = d1_2
# text = Toplantı   bitti.
1	Toplantı	toplantı	NOUN	_	_	2	nsubj	_	_
2	bitti	bit	VERB	_	_	0	root	_	SpaceAfter=No
3	.	.	PUNCT	_	_	2	punct	_	_

"""


def test_treebank_sentences_become_paragraphs_of_one_document_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conllu = tmp_path / "tiny.conllu"
    conllu.write_text(_CONLLU, encoding="utf-8")
    out = tmp_path / "tiny.jsonl"
    spec = importlib.util.spec_from_file_location("ud_to_jsonl", REPO / "tools" / "ud_to_jsonl.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(sys, "argv", ["ud_to_jsonl.py", str(conllu), "-o", str(out)])
    assert module.main() == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    # Sentences of a document stay together and in order even when another document's sentence comes between.
    assert [r["sent_ids"] for r in records] == [["d1_1", "d1_2"], ["x_1"]]
    assert records[0]["text"] == "Bakan geldi. Toplantı bitti."
    assert records[0]["sentences"] == ["Bakan geldi.", "Toplantı bitti."]
    # The paragraphs are gold the quality benchmark reads, and Kervan cuts them as the treebank does.
    assert _split("tr", records[0]["text"]) == records[0]["sentences"]
