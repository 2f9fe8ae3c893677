"""Segmentation with the shipped SRX rules: the article, hard Turkish cases, English and Russian, engine semantics."""

from __future__ import annotations

import functools
import itertools
import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ARTICLE, ARTICLE_ID
from kervan.formats.srx import read_srx
from kervan.segmentation import (
    Segmenter,
    SrxRules,
    default_rules_path,
    engine,
    load_rules,
    segment_document,
    segment_lines,
)
from kervan.segmentation.javaregex import translate, translate_java
from kervan.sources import read_document

# --------------------------------------------------------------------------- the shipped article


@pytest.fixture(scope="module")
def article_segments() -> list:
    document = read_document(ARTICLE, lang="tr", display_path=f"sources/{ARTICLE.name}")
    return list(segment_document(document))


def test_article_has_headline_one_segment_per_paragraph_and_three_in_the_last(article_segments: list) -> None:
    ids = [s.id for s in article_segments]
    expected = [f"{ARTICLE_ID}:{p}.1" for p in range(1, 17)] + [f"{ARTICLE_ID}:16.2", f"{ARTICLE_ID}:16.3"]
    assert ids == sorted(expected, key=lambda i: tuple(int(n) for n in i.rsplit(":", 1)[1].split(".")))
    assert len(article_segments) == 18


def test_article_segments_point_back_to_their_source_lines(article_segments: list) -> None:
    lines = ARTICLE.read_text(encoding="utf-8").splitlines()
    for segment in article_segments:
        path, line = segment.ref.rsplit(":", 1)
        assert path == f"sources/{ARTICLE.name}"
        assert segment.text in lines[int(line) - 1]
        assert (segment.paragraph, segment.sentence) == tuple(int(n) for n in segment.id.rsplit(":")[1].split("."))
        assert segment.lang == "tr"
    assert article_segments[0].text == lines[0].split(" ", 3)[3].strip()  # the headline, without the date


def test_article_paragraphs_without_sentence_breaks_stay_whole(article_segments: list) -> None:
    lines = ARTICLE.read_text(encoding="utf-8").splitlines()
    for segment in article_segments[1:15]:
        assert segment.text == lines[int(segment.ref.rsplit(":", 1)[1]) - 1].strip()


def test_quotation_and_ordinal_are_kept_whole(article_segments: list) -> None:
    quoted = next(s for s in article_segments if s.id.endswith(":4.1"))
    assert "sahip. Bu belge" in quoted.text and quoted.text.endswith("ifadelerine yer verdi.")
    last = article_segments[-1]
    assert last.id.endswith(":16.3")
    assert last.text.startswith("İki lider ayrıca 21. Rusya-Kazakistan Bölgelerarası İş Birliği Forumu")
    assert [s.text.split()[0] for s in article_segments[-3:]] == ["Tokayev,", "Liderler,", "İki"]


# --------------------------------------------------------------------------- hard cases, per language

TURKISH = [
    # ordinals
    "İki lider 21. Rusya-Kazakistan Bölgelerarası İş Birliği Forumu’na katıldı.",
    "Türkiye, 2. Dünya Savaşı’nda tarafsız kaldı.",
    "Toplantı 3. kez yapıldı. | Sonuç bildirgesi yayımlandı.",
    "Taslağın 11-12. maddeleri tartışıldı.",
    "1. Taraflar iş birliğini sürdürecek.",
    "XIX. yüzyılda kuruldu. | Bugün müze olarak kullanılıyor.",
    "II. Abdülhamit döneminde yapıldı.",
    "Yürürlüğe giriş tarihi 2025. | Yeni dönem başlıyor.",
    "Katılımcı sayısı 1.500. | Salon doldu.",
    "Saat 14.30. | Toplantı başladı.",
    # abbreviations
    "Dr. Ahmet Yılmaz açıklama yaptı.",
    "Prof. Dr. Ayşe Kaya ve Doç. Dr. Mehmet Öz toplantıya katıldı.",
    "Av. Mehmet Demir davayı üstlendi. | Duruşma ertelendi.",
    "Sn. Bakan konuşma yaptı.",
    "Elma, armut vb. meyveler satıldı.",
    "Elma, armut vb. | Bunların hepsi satıldı.",
    "Ankara, İzmir vs. şehirlerde etkinlik yapıldı.",
    "Eser Yılmaz vd. tarafından yazıldı.",
    "Bazı ülkeler, örn. Kazakistan, anlaşmayı imzaladı.",
    "Ayrıntılar için bkz. Ek belge.",
    "T.C. Cumhurbaşkanlığı açıklama yaptı.",
    "Koç Holding A.Ş. Yönetim Kurulu toplandı.",
    "Yıldız Ltd. Şti. yetkilileri geldi.",
    "Adres: Atatürk Cad. No. 5 Çankaya.",
    "Bağdat Cad. Kızıltoprak Mah. Gül Apt. 3 adresinde oturuyor.",
    "Tel. 0312 555 55 55 numarasından ulaşılabilir.",
    "Konu kitabın s. 45 sayfasında anlatılıyor.",
    "Org. Metin Gürak birlikleri denetledi.",
    "Öğr. Gör. Ali Can ve Arş. Gör. Zeynep Ak katıldı.",
    "Mr. Brown Ankara’ya geldi.",
    "Toplantı 13 Kas. 2025 tarihinde yapıldı.",
    "Rapor 5 Oca. 2026’da yayımlanacak.",
    # dates, times, decimals
    "Anlaşma 13.11.2025 tarihinde imzalandı. | Tören Moskova’da yapıldı.",
    "Görüşme saat 14.30’da başladı.",
    "Büyüme yüzde 3,5 oldu. | Enflasyon yüzde 2.5 seviyesinde kaldı.",
    "Fiyat 3.5 dolara çıktı.",
    # initials
    "M. K. Atatürk 1923’te Cumhuriyet’i ilan etti.",
    "Kitabı A. Yılmaz yazdı. | Eser çok satıldı.",
    # URLs and e-mail addresses
    "Ayrıntılar www.aa.com.tr adresinde. | Açıklama yarın yapılacak.",
    "Başvurular info@kervan.org.tr adresine yapılabilir.",
    "Metin https://www.aa.com.tr/tr/dunya/tokayev-1.html?x=1 adresinde yayımlandı.",
    # ellipses
    "Bekledik... ve sonunda geldi.",
    "Bekledik… ama gelmedi.",
    "Bekledik... | Sonunda geldi.",
    "Bekledik… | Sonunda geldi.",
    # quotations
    "Bakan, “Hazırız. Yarın başlıyoruz.” dedi.",
    "Bakan, “Hazırız.” | Ardından salondan ayrıldı.",
    "Putin, «Bu tarihi bir adım. Birlikte çalışacağız» dedi.",
    'Bakan, "Hazırız. Yarın başlıyoruz" dedi.',
    'Bakan "Hazırız." dedi. | Sonra ayrıldı.',
    "‘Kapsamlı Stratejik Ortaklık’ ifadesi kullanıldı. | Bildirge imzalandı.",
    "İmzalanan ‘Stratejik Ortaklık Bildirgesi’nin hükümleri açıklandı. | Moskova memnun.",
    "Tokayev “Hazırız!” diye konuştu. | Putin de onayladı.",
    "Lider “Neden olmasın?” dedi.",
    "Bakan, “Hazırız. Yarın başlıyoruz. Herkes hazır olsun.” dedi. | Sonra ayrıldı.",
    "Putin, «Bu tarihi bir adım. Birlikte çalışacağız. Anlaştık» dedi.",
    'Bakan, "Hazırız. Yarın başlıyoruz. Gelin" dedi. | Sonra ayrıldı.',
    "Bakan ‘Rusya’ya gittik. Görüştük. Döndük’ dedi. | Sonra ayrıldı.",
    "Bakan ”Hazırız” dedi. | Sonra ”Gidelim” dedi.",
    "Toplantı sona erdi. | “Çok verimliydi” dedi Bakan.",
    # parentheses
    "Açıklama (Dr. A. Kaya tarafından yapıldı. Metin ektedir.) bugün yayımlandı.",
    "Avrasya Ekonomik Birliği (AEB) toplandı. | Karar alındı.",
    "Anlaşma imzalandı. | (Ayrıntılar aşağıda.) | Tören sona erdi.",
    "Açıklama (Kaya yaptı. Metin ektedir. Ek 2 de var.) bugün yayımlandı. | Tören bitti.",
    "İki karar alındı. | A) Vergiler düşecek. | B) Harçlar kalkacak.",
    # headline without a final stop, apostrophe suffixes
    "Tokayev: Stratejik Ortaklık Bildirgesi, Rusya ile işbirliğini güçlendirecek",
    "Tokayev, Rusya'ya gitti. | Putin’e mektup yazdı. | AEB'nin toplantısı yapıldı.",
    "Tokayev, Rusya’ya gitti. | Putin’e mektup yazdı. | Kremlin’de görüştüler.",
    "Kremlin’de görüştüler. | İki lider anlaştı.",
    # sentence punctuation
    "Bu mümkün mü? | Elbette mümkün! | Başlayalım.",
    "Ne dedi? diye sordu.",
    "Gerçekten mi?! | Evet.",
    "Anlaşma imzalandı. | 2026 yılında yürürlüğe girecek.",
    "Toplantı bitti. | Çarşamba yeniden toplanılacak.",
    "“Türkiye’nin 2. büyük kenti. İzmir” diye yazdı.",
    "Görüşme 3 saat sürdü! | Sonuç açıklanmadı.",
    "Fiyatı 1.250,50 TL oldu. | Satışlar arttı.",
    "Prof. Dr. Ahmet Kaya (Ankara Üniv.) konuştu.",
]

ENGLISH = [
    "Mr. Smith went to Washington. | He met the president.",
    "Dr. Jones and Prof. Brown spoke.",
    "J. R. R. Tolkien wrote it. | It sold well.",
    "The U.S. Senate voted. | The bill passed.",
    "Fruit, e.g. apples, is healthy.",
    "Bring pens, paper, etc. and a laptop.",
    "See No. 5 for details. | It is short.",
    "He said, “We are ready. We start tomorrow.” | Then he left.",
    "He said, “We are ready. We start tomorrow. Be there.” | Then he left.",
    "He said, ‘We are ready. We start tomorrow. Be there.’ | Then he left.",
    "They met. | The leaders’ talks ended. | Both left.",
    "Is it true? | Yes! | It is.",
    "The meeting is on Jan. 15 in Astana.",
    "Kazakhstan vs. Russia was the final.",
    "Prices rose 3.5 percent. | Inflation fell.",
    "It was late... but we went on.",
    "St. Petersburg hosted the forum. | Leaders attended.",
    "The 21st forum opened (see p. 4. The agenda followed).",
]

RUSSIAN = [
    "В. В. Путин встретился с Токаевым. | Переговоры прошли в Кремле.",
    "Это было в 2025 г. | Затем начались переговоры.",
    "Форум прошёл в г. Москва. | Участники подписали документы.",
    "Он живёт на ул. Ленина, д. 5. | Рядом парк.",
    "Это, т. е. соглашение, важно.",
    "Это, т.е. соглашение, важно.",
    "Мы купили хлеб, молоко и т.д. | Затем пошли домой.",
    "Бюджет составил 5 млн. рублей. | Это рекорд.",
    "Токаев заявил: «Декларация имеет особое значение. Этот документ укрепит сотрудничество». | Путин согласился.",
    "Он сказал „да. Конечно“ и ушёл.",
    "Он сказал: «Да. Конечно. Завтра». | Потом ушёл.",
    "Он сказал „да. Конечно. Завтра“ и ушёл. | Потом вернулся.",
    "Это памятник им. Пушкина. | Он стоит в центре.",
    "Почему? | Потому что так решили!",
    "А. С. Пушкин родился в 1799 г. в Москве.",
    "Ожидание… | Потом решение.",
]


def _check(lang: str, marked: str) -> None:
    """`marked` is the expected segmentation: segments joined by " | "; the input is the same with spaces."""
    expected = marked.split(" | ")
    assert Segmenter(load_rules(), lang).split(" ".join(expected)) == expected


@pytest.mark.parametrize("marked", TURKISH)
def test_turkish(marked: str) -> None:
    _check("tr", marked)


@pytest.mark.parametrize("marked", ENGLISH)
def test_english(marked: str) -> None:
    _check("en-GB", marked)


@pytest.mark.parametrize("marked", RUSSIAN)
def test_russian(marked: str) -> None:
    _check("ru", marked)


def test_breaks_fall_after_the_sentence_end_and_closing_quotes() -> None:
    segmenter = Segmenter(load_rules(), "tr")
    assert segmenter.split("Bakan “Hazırız.” Ardından “Gidelim!” dedi. Bitti.") == [
        "Bakan “Hazırız.”",
        "Ardından “Gidelim!” dedi.",
        "Bitti.",
    ]


def test_language_codes_are_matched_whole_and_without_regard_to_case() -> None:
    rules = load_rules()
    assert Segmenter(rules, "TR-tr").split("İki lider 21. Forum’a katıldı.") == ["İki lider 21. Forum’a katıldı."]
    assert len(Segmenter(rules, "de").split("İki lider 21. Forum’a katıldı.")) == 2  # Default alone: "21." ends


@pytest.mark.parametrize("space", ["\u00a0", "\u202f", "\u2009", "\u3000"], ids=["nbsp", "narrow", "thin", "cjk"])
def test_no_break_and_other_unicode_spaces_are_whitespace_to_every_rule(space: str) -> None:
    segmenter = Segmenter(load_rules(), "tr")
    assert segmenter.split(f"Toplantı bitti.{space}Yarın devam.") == ["Toplantı bitti.", "Yarın devam."]
    for whole in (
        f"İki lider 21.{space}Forum’a katıldı.",
        f"Prof.{space}Dr.{space}Ayşe Kaya konuştu.",
        f"Elma, armut vb.{space}meyveler satıldı.",
        f"Bakan, “Hazırız.{space}Yarın başlıyoruz.{space}Gelin.” dedi.",
    ):
        assert segmenter.split(whole) == [whole]


# --------------------------------------------------------------------------- engine = SRX semantics, checked naively


@functools.cache
def _ending_at(before: str, remaining: int) -> regex.Pattern[str]:
    """`before` matched forward from any start, with its end pinned `remaining` characters before the end."""
    translation = translate_java(before)
    return regex.compile(f"(?:{translation.pattern})(?=(?s:.){{{remaining}}}\\Z)", regex.V1 if translation.v1 else 0)


def _naive_breaks(rules: SrxRules, lang: str, text: str) -> list[int]:
    """SRX by its definition: at every position, the first rule whose before ends there and after starts there
    (both see the whole text, as in Java's engines)."""
    result = []
    for pos in range(1, len(text)):
        for rule in rules.rules_for(lang):
            if rule.problem:
                continue
            after = regex.compile(translate(rule.after))
            if _ending_at(rule.before, len(text) - pos).search(text) and after.match(text, pos):
                if rule.is_break:
                    result.append(pos)
                break
    return result


_PIECES = [
    " ", " ", " ", "\n", ".", ".", "!", "?", "…", "...", "a", "b", "B", "İ", "ş", "Ç", "1", "21.", "2025", "Dr.",
    "vb.", "A.Ş.", "“", "”", "‘", "’", '"', "'", "(", ")", "«", "»", "„", "г.", "т.е.", "Kas.", "No.", "e.g.", "В.",
]  # fmt: skip
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


@pytest.fixture(scope="module")
def omegat_rules(schema_dir: Path) -> SrxRules:
    return read_srx(schema_dir / "omegat-defaultRules.srx")


@settings(max_examples=150, deadline=None)
@given(text=_TEXTS, lang=st.sampled_from(["tr", "en", "ru", "de"]))
def test_engine_agrees_with_the_definition_on_the_shipped_rules(text: str, lang: str) -> None:
    rules = load_rules()
    assert Segmenter(rules, lang).breaks(text) == _naive_breaks(rules, lang, text)


@settings(max_examples=100, deadline=None)
@given(text=_TEXTS, lang=st.sampled_from(["tr", "en", "ru"]))
def test_engine_agrees_with_the_definition_on_omegat_rules(omegat_rules: SrxRules, text: str, lang: str) -> None:
    assert Segmenter(omegat_rules, lang).breaks(text) == _naive_breaks(omegat_rules, lang, text)


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=200))
def test_segments_are_the_text_cut_at_breaks_stripped_and_non_empty(text: str) -> None:
    segmenter = Segmenter(load_rules(), "tr")
    segments = segmenter.split(text)
    assert all(s and s == s.strip() for s in segments)
    cuts = [0, *segmenter.breaks(text), len(text)]
    pieces = [text[a:b].strip() for a, b in itertools.pairwise(cuts)]
    assert segments == [p for p in pieces if p]


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(_TEXTS, min_size=1, max_size=30), lang=st.sampled_from(["tr", "en", "ru", "de"]))
def test_streamed_lines_are_cut_as_the_definition_cuts_them(texts: list[str], lang: str) -> None:
    rules = load_rules()
    lines = [t.replace("\n", " ") for t in texts * 3]  # each kind of paragraph again, once its pattern is ready
    expected = []
    for line in lines:
        if line.strip():
            cuts = [0, *_naive_breaks(rules, lang, line), len(line)]
            expected.append([p for p in (line[a:b].strip() for a, b in itertools.pairwise(cuts)) if p])
    assert [list(pieces) for _, pieces in segment_lines(lines, lang, rules)] == expected


@pytest.mark.parametrize("lang", ["tr", "en", "ru", "de"])
def test_every_kind_of_paragraph_is_cut_by_one_joined_pattern_with_the_shipped_rules(lang: str) -> None:
    plan = Segmenter(load_rules(), lang)._plan
    kinds = ["Bir. İki.", 'Dedi ki: "Gel." Sonra.', "Bir (iki). Üç.", "«Да». Нет.", "‘Yes.’ No.", "“A.” B."]
    for text in kinds:
        for _ in range(engine.SPECIALIZE_AFTER + 1):
            state, breaker = plan.whole_breaker(text, "")
        assert breaker is not None and state.joined, text


# --------------------------------------------------------------------------- the same cuts in Java tools


def test_shipped_rules_use_no_escape_whose_meaning_java_narrows_to_ascii() -> None:
    """Java's \\s, \\d and \\w (OmegaT, Okapi) are ASCII only; ICU's are Unicode. Whitespace is spelled out."""
    rules = load_rules()
    for name, rule_list in rules.languagerules.items():
        for rule in rule_list:
            assert not re.search(r"\\[sSdDwW]", rule.before + rule.after), (name, rule.line)


def _successive_match_breaks(rules: SrxRules, lang: str, text: str) -> list[int]:
    """Breaks when a rule is tested only where one of its beforebreak's successive non-overlapping matches ends
    and one of its afterbreak's successive matches starts, earlier rules winning: how OmegaT applies SRX.
    (tools/omegat_parity runs OmegaT's own segmenter on these cases; this keeps the property checked in CI.)"""
    decision: dict[int, bool] = {}
    for rule in reversed(rules.rules_for(lang)):
        afters = regex.compile(translate(rule.after)).finditer(text)
        after = next(afters, None)
        for match in regex.compile(translate(rule.before)).finditer(text):
            while after is not None and after.start() < match.end():
                after = next(afters, None)
            if after is None:
                break
            if after.start() == match.end():
                decision[match.end()] = rule.is_break
    return sorted(pos for pos, is_break in decision.items() if is_break and 0 < pos < len(text))


@pytest.mark.parametrize(("lang", "table"), [("tr", TURKISH), ("en", ENGLISH), ("ru", RUSSIAN)], ids=["tr", "en", "ru"])
def test_rules_cut_the_same_when_tested_only_at_successive_matches(lang: str, table: list[str]) -> None:
    rules = load_rules()
    segmenter = Segmenter(rules, lang)
    texts = [" ".join(marked.split(" | ")) for marked in table]
    if lang == "tr":
        texts += [p.text for p in read_document(ARTICLE, lang="tr").all_paragraphs()]
    for text in texts:
        cuts = [0, *_successive_match_breaks(rules, lang, text), len(text)]
        pieces = [text[a:b].strip() for a, b in itertools.pairwise(cuts)]
        assert [p for p in pieces if p] == segmenter.split(text)


# --------------------------------------------------------------------------- API


def test_default_rules_are_the_shipped_file_and_loaded_once() -> None:
    assert default_rules_path().name == "kervan.srx" and default_rules_path().is_file()
    assert load_rules() is load_rules()
    assert load_rules(default_rules_path()) == load_rules()
    assert set(load_rules().languagerules) == {"Turkish", "English", "Russian", "Default"}


def test_segment_lines_numbers_non_empty_lines_and_streams() -> None:
    def lines() -> Iterator[str]:
        yield "Dr. Ali geldi. Toplantı başladı.\n"
        yield "   \n"
        yield "\n"
        yield "İkinci paragraf.\n"
        raise AssertionError("read past what was asked for")

    stream = segment_lines(lines(), "tr")
    assert next(stream) == (1, ["Dr. Ali geldi.", "Toplantı başladı."])
    assert next(stream) == (2, ["İkinci paragraf."])


def test_segment_document_uses_given_rules(tmp_path: Path) -> None:
    srx = tmp_path / "dot.srx"
    srx.write_text(
        '<srx xmlns="http://www.lisa.org/srx20" version="2.0"><header segmentsubflows="yes" cascade="no"/>'
        '<body><languagerules><languagerule languagerulename="all"><rule break="yes"><beforebreak>\\.</beforebreak>'
        "</rule></languagerule></languagerules><maprules>"
        '<languagemap languagepattern=".*" languagerulename="all"/></maprules></body></srx>',
        encoding="utf-8",
    )
    document = read_document(ARTICLE, lang="tr")
    segments = list(segment_document(document, read_srx(srx)))
    last = [s.text for s in segments if s.paragraph == 16]
    assert "İki lider ayrıca 21." in last and len(last) == 4


# --------------------------------------------------------------------------- fast paths = the plain path


def _random_texts(count: int, seed: int, pieces: list[str], length: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) for _ in range(length)) for _ in range(count)]


@pytest.mark.parametrize("rules_name", ["shipped", "omegat"])
def test_joined_breaking_pattern_and_rule_by_rule_decisions_agree_with_the_definition(
    monkeypatch: pytest.MonkeyPatch, schema_dir: Path, rules_name: str
) -> None:
    rules = load_rules() if rules_name == "shipped" else read_srx(schema_dir / "omegat-defaultRules.srx")
    texts = _random_texts(8, 5, _PIECES, 30)
    for join_after in (0, 10**9):  # always the joined pattern; never
        monkeypatch.setattr(engine, "JOIN_AFTER", join_after)
        engine._plan.cache_clear()
        for lang in ("tr", "en", "ru"):
            segmenter = Segmenter(rules, lang)
            for text in texts:
                assert segmenter.breaks(text) == _naive_breaks(rules, lang, text), (join_after, lang, text)
    engine._plan.cache_clear()


def test_long_paragraph_is_decided_in_windows_with_the_same_cuts(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without quotations or parentheses no shipped rule looks further back than a window.
    pieces = [p for p in _PIECES if p not in set("“”‘’\"'()«»„")]
    text = "".join(_random_texts(1, 9, pieces, 3000))
    segmenter = Segmenter(load_rules(), "tr")
    whole = segmenter.breaks(text)
    monkeypatch.setattr(engine, "LONG", 500)
    monkeypatch.setattr(engine, "CHUNK", 200)
    monkeypatch.setattr(engine, "WINDOW", 100)
    assert segmenter.breaks(text) == whole
    assert list(segmenter.iter_split(text)) == [p for p in (s.strip() for s in _cut(text, whole)) if p]


def _cut(text: str, cuts: list[int]) -> list[str]:
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


def test_a_huge_line_is_read_and_segmented_in_pieces_with_the_same_cuts(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from kervan.errors import KervanError
    from kervan.pipeline import segment as job

    pieces = [p for p in _PIECES if p not in set("“”‘’\"'()«»„\n")]
    long_line = "".join(_random_texts(1, 11, pieces, 2500)).strip()
    source = tmp_path / "in.txt"
    source.write_bytes(("\ufeffKısa paragraf. Bitti.\r\n" + long_line + "\r\n\nSon paragraf. Tamam.\n").encode())
    expected = [(1, ["Kısa paragraf.", "Bitti."]), (2, Segmenter(load_rules(), "tr").split(long_line))]
    expected.append((3, ["Son paragraf.", "Tamam."]))
    monkeypatch.setattr(job, "LONG_LINE", 300)  # the long line comes in blocks of 300 bytes
    monkeypatch.setattr(engine, "CHUNK", 200)
    monkeypatch.setattr(engine, "WINDOW", 100)
    got = [(number, list(sentences)) for number, sentences in job.segment_stream(str(source), lang="tr")]
    assert got == expected
    source.write_bytes(("a" * 1000 + "\xff" + "b" * 10 + "\n").encode("latin-1"))
    with pytest.raises(KervanError, match="byte 0xff at offset 1000 of the line") as caught:
        for _, sentences in job.segment_stream(str(source), lang="tr"):
            list(sentences)
    assert caught.value.line == 1


def test_segment_answers_each_line_of_an_open_pipe(tmp_path: Path) -> None:
    import select
    import subprocess
    import sys

    process = subprocess.Popen(
        [sys.executable, "-m", "kervan.cli", "segment", "-", "--lang", "tr"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=tmp_path,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        process.stdin.write("Toplantı bitti. Yarın devam edecek.\n".encode())
        process.stdin.flush()
        ready, _, _ = select.select([process.stdout], [], [], 60)
        assert ready, "no segment while the pipe stays open"
        assert process.stdout.readline().decode() == "Toplantı bitti.\n"
    finally:
        process.stdin.close()
        process.wait(timeout=60)


@pytest.mark.parametrize("name", ["shipped", "languagetool"])
def test_word_lists_the_engine_turns_into_tries_mean_what_they_meant(name: str) -> None:
    """The engine's translation (tries for word lists) and the plain one agree at every position."""
    path = None if name == "shipped" else Path(__file__).parent / "data" / "srx" / "languagetool-segment.srx"
    rules = load_rules(path)
    texts = _random_texts(6, 13, [*_PIECES, "Dr", "Prof", "No", "vs", "etc", "ул", "Mr", "z. B.", "Jan"], 40)
    seen = set()
    for rule_list in rules.languagerules.values():
        for rule in rule_list:
            for text_, side, factor in ((rule.before, "(?<={})", "suffix"), (rule.after, "(?={})", "prefix")):
                if not text_ or (text_, factor) in seen:
                    continue
                seen.add((text_, factor))
                plain, tried = translate_java(text_), translate_java(text_, factor)
                if plain.pattern == tried.pattern:
                    continue
                flags = regex.V1 if plain.v1 else 0
                a = regex.compile(side.format(plain.pattern), flags)
                b = regex.compile(side.format(tried.pattern), flags)
                for text in texts:
                    assert [bool(a.match(text, i)) for i in range(len(text) + 1)] == [
                        bool(b.match(text, i)) for i in range(len(text) + 1)
                    ], (rule.line, text_)
    assert seen
