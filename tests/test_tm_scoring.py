"""Fuzzy match scores: the formula is OmegaT's (checked with OmegaT's own classes), the words are Turkish-aware."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import _required
from kervan.tm.leverage import carry_numbers, roman
from kervan.tm.scoring import index_words, max_missing, score, score_words, tokens

HERE = Path(__file__).resolve().parent
JAR = Path(os.environ.get("OMEGAT_JAR", "/usr/share/omegat/OmegaT.jar"))

A = "Moskova ve Astana siyasi temasların her düzeyde sürdürülmesi konusunda mutabakata vardı."
B = "Taraflar, Avrasya Ekonomik Birliği çerçevesinde ortak pazarların geliştirilmesine devam edecek."
# Pairs where Kervan's words are OmegaT's words: scores must be identical.
SAME_WORDS = [
    (A, A),
    (A, A.replace(".", "!")),  # punctuation only
    (A, A.replace("Moskova ve", "Moskova,")),  # a word deleted
    (A, A.replace("siyasi", "ekonomik")),  # a word replaced
    (A, A.replace("her düzeyde", "her düzeyde ve her alanda")),  # words inserted
    (A, A.replace("Moskova", "moskova")),  # case counts
    (A, "Astana ve Moskova siyasi temasların her düzeyde sürdürülmesi konusunda mutabakata vardı."),  # order
    (A, B),
    (B, B.replace("Taraflar,", "Taraflar")),
    (B, B.replace("ortak pazarların", "ortak pazarlarının")),
    (B, "Taraflar ortak pazarların geliştirilmesine devam edecek."),
    ("Rusya'ya gitti ve döndü.", "Rusya'ya gitti."),  # an ASCII apostrophe keeps the word whole in both
    ("Kremlin'de görüştüler.", "Kremlin'den ayrıldılar."),
    ("Лидеры обсудили сотрудничество в области энергетики.", "Лидеры обсудили сотрудничество в области экономики."),
    ("The leaders discussed energy cooperation.", "The leaders discussed economic cooperation."),
    ("Bir", "İki"),
    ("Bir iki üç dört beş", "beş dört üç iki Bir"),
    ("", "Boş değil."),
    ("...", "!!!"),
]
# Pairs where Kervan differs on purpose: numbers are words; Turkish suffixes after ’ stay in the word.
BY_DESIGN = [
    ("İki lider 21. Forum’a katıldı.", "İki lider 22. Forum’a katıldı."),
    ("Toplantı 13.11.2025 tarihinde yapıldı.", "Toplantı 14.11.2025 tarihinde yapıldı."),
    ("Tokayev, Putin’e mektup gönderdi.", "Tokayev, Putin’den mektup aldı."),
]


@pytest.fixture(scope="module")
def omegat(tmp_path_factory) -> Path:
    """The harness compiled against OmegaT.jar (Debian's OmegaT 3.6)."""
    javac, java = shutil.which("javac"), shutil.which("java")
    if not (javac and java and JAR.is_file()):
        _required(f"Java (javac) and OmegaT ({JAR})")
    out = tmp_path_factory.mktemp("omegat")
    subprocess.run([javac, "-cp", str(JAR), "-d", str(out), str(HERE / "omegat" / "OmegatFuzzy.java")], check=True)
    return out


def omegat_scores(classes: Path, pairs: list[tuple[str, str]]) -> list[tuple[int, list[str], list[str]]]:
    lines = "".join(f"{a}\t{b}\n" for a, b in pairs)
    run = subprocess.run(
        ["java", "-cp", f"{JAR}:{classes}", "OmegatFuzzy"], input=lines.encode(), capture_output=True, check=True
    )
    result = []
    for line in run.stdout.decode().splitlines():
        value, first, second = line.split("\t")
        result.append((int(value), first.split("\x1f") if first else [], second.split("\x1f") if second else []))
    assert len(result) == len(pairs)
    return result


def test_formula_is_omegats_on_every_pair(omegat) -> None:
    # OmegaT's own words fed to Kervan's formula give OmegaT's score, for every pair, including the ones where
    # the two tokenizers disagree.
    pairs = SAME_WORDS + BY_DESIGN
    for (a, b), (expected, words_a, words_b) in zip(pairs, omegat_scores(omegat, pairs), strict=True):
        assert score_words(words_a, words_b) == expected, (a, b)


def test_scores_equal_omegats_where_the_words_are_the_same(omegat) -> None:
    for (a, b), (expected, words_a, words_b) in zip(SAME_WORDS, omegat_scores(omegat, SAME_WORDS), strict=True):
        assert tokens(a) == words_a and tokens(b) == words_b, (a, b)
        assert score(a, b) == expected, (a, b)


def test_differences_from_omegat_are_the_documented_ones(omegat) -> None:
    numbers, date, suffix = omegat_scores(omegat, BY_DESIGN)
    # OmegaT drops numbers: a changed forum number or date is "100%" there, a changed word here.
    assert numbers[0] == 100 and score(*BY_DESIGN[0]) == 80
    assert date[0] == 100 and score(*BY_DESIGN[1]) == 75
    # OmegaT cuts "Putin’e" into "Putin" + "e"; Kervan keeps the suffixed word whole.
    assert suffix[1][:3] == ["Tokayev", "Putin", "e"]
    assert tokens(BY_DESIGN[2][0])[:2] == ["Tokayev", "Putin'e"]
    assert score(*BY_DESIGN[2]) == 50 and suffix[0] == 60


def test_turkish_words() -> None:
    assert tokens("Rusya’ya, Putin'e ve AEBʼnin 14.30’da 3,5 milyar") == [
        "Rusya'ya", "Putin'e", "ve", "AEB'nin", "14.30'da", "3,5", "milyar"
    ]  # fmt: skip
    assert score("Putin’e gitti.", "Putin'e gitti") == 100  # apostrophe style and punctuation are not words
    assert score("Rusya’ya gitti.", "Rusya’dan gitti.") == 50
    assert index_words(["Istanbul'da", "İZMİR"], "tr") == ["ıstanbulda", "izmir"]


@given(st.text(max_size=40), st.text(max_size=40))
def test_score_is_symmetric_and_bounded(a: str, b: str) -> None:
    value = score(a, b)
    assert value == score(b, a)
    assert 0 <= value <= 100
    assert (value == 100) == (tokens(a) == tokens(b) and bool(tokens(a)))


LETTERS = st.sampled_from("abcdefgh")


@given(st.lists(LETTERS, min_size=1, max_size=12), st.lists(LETTERS, max_size=12))
def test_a_unit_reaching_the_minimum_lacks_at_most_max_missing_query_words(query: list[str], unit: list[str]) -> None:
    for minimum in (50, 75, 90):
        if score_words(query, unit) >= minimum:
            assert len(set(query) - set(unit)) <= max_missing(len(query), minimum)


def test_numbers_carried_into_the_translation() -> None:
    assert roman(21) == "XXI" and roman(1999) == "MCMXCIX" and roman(0) == ""
    carried = carry_numbers("Liderler 22. Forum’a geldi.", "Liderler 21. Forum’a geldi.", "Лидеры посетили XXI Форум.")
    assert carried.text == "Лидеры посетили XXII Форум." and carried.carried == (("XXI", "XXII"),)
    assert carry_numbers("22. Forum", "21. Forum", "the 21st Forum").text == "the 22nd Forum"
    assert carry_numbers("13. Forum", "21. Forum", "the 21st Forum").text == "the 13th Forum"
    date = carry_numbers("14.11.2025 günü", "13.11.2025 günü", "13 ноября 2025 года")
    assert date.text == "14 ноября 2025 года" and date.missed == ()
    month = carry_numbers("13.12.2025 günü", "13.11.2025 günü", "13 ноября 2025 года")
    assert month.text == "13 ноября 2025 года" and month.missed == (("11", "12"),)
    # Swapped numbers are replaced in one pass, never chained; 2021 is not touched by 21 -> 22.
    assert carry_numbers("2 ve 1", "1 ve 2", "1 and 2").text == "2 and 1"
    assert carry_numbers("22 kişi, 2021", "21 kişi, 2021", "21 people in 2021").text == "22 people in 2021"
