"""raqib.text.clean: boilerplate, datelines, month tables; the seed article."""

from pathlib import Path

import pytest

from raqib.model import Document
from raqib.text.clean import (
    MONTHS,
    WEEKDAYS,
    clean_document,
    find_boilerplate,
    month_number,
    parse_dateline,
)
from raqib.text.normalize import normalize

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "examples" / "karabakh_call.ar.txt"

# A short article written for these tests (not taken from any source).
MINI_TITLE = "علييف وتوكاييف يناقشان هاتفيا التعاون في بحر قزوين"
MINI = (
    f"{MINI_TITLE}\n\n{MINI_TITLE}\n\n"
    "باكو، 3 آذار/مارس 2021 (رويترز) - أجرى الرئيس الأذربيجاني إلهام علييف اتصالا هاتفيا "
    "مع نظيره الكازاخي قاسم جومارت توكاييف، اليوم الأربعاء، تناول الوضع في المنطقة.\n\n"
    "وقال بيان للرئاسة إن الجانبين اتفقا على مواصلة المشاورات. وأوضح د. كريم، وهو باحث "
    "في الشؤون الإقليمية، أن التبادل التجاري زاد 3.5 بالمئة.\n\n"
    "(يتبع)\n\n"
    "وأشار البيان إلى أن وزير الخارجية سيزور أستانا الشهر المقبل وعلييف سيستقبل وفدا.\n\n"
    "اقرأ أيضا:\nعنوان مقال آخر لا علاقة له بالخبر\n"
    "شارك هذا المقال\n"
    "أفكارك وتعليقاتك\n"
)


def removed_texts(text, removed):
    return [(text[s:e], why) for (s, e), why in removed]


def test_months_and_weekdays_tables():
    assert MONTHS[normalize("ماي")] == 5 and MONTHS[normalize("مايو")] == 5 and MONTHS[normalize("أيار")] == 5
    assert MONTHS[normalize("جانفي")] == 1 and MONTHS[normalize("كانون الثاني")] == 1
    assert MONTHS[normalize("تشرين الأول")] == 10 and MONTHS[normalize("تشرين الثاني")] == 11
    assert MONTHS[normalize("كانون الأول")] == 12 and MONTHS[normalize("آب")] == 8
    assert MONTHS[normalize("جويلية")] == 7 and MONTHS[normalize("يونيه")] == 6
    assert MONTHS[normalize("أبريل")] == MONTHS[normalize("ابريل")] == MONTHS[normalize("أفريل")] == 4
    assert all(k == normalize(k) for k in MONTHS)
    assert sorted(set(MONTHS.values())) == list(range(1, 13))
    assert WEEKDAYS[normalize("الاثنين")] == 0 and WEEKDAYS[normalize("الإثنين")] == 0
    assert WEEKDAYS[normalize("الجمعة")] == 4 and WEEKDAYS[normalize("جمعة")] == 4
    assert WEEKDAYS[normalize("الأحد")] == 6 and WEEKDAYS[normalize("أحد")] == 6
    assert month_number("تشرين الثاني/نوفمبر") == 11 and month_number("Sept.") == 9


@pytest.mark.parametrize(
    "line, place, day, month, year, agencies",
    [
        ("موسكو، 14 ماي - ( أردو بوینت نتورك ۔ / سبوتنيك) - بحث الرئيس", "موسكو", 14, 5, None,
         ["أردو بوینت نتورك", "سبوتنيك"]),
        ("بيروت (رويترز) - قال مصدر", "بيروت", None, None, None, ["رويترز"]),
        ("القاهرة - «الحياة»: أعلنت الحكومة", "القاهرة", None, None, None, ["الحياة"]),
        ("دمشق - سانا: أكد الوزير", "دمشق", None, None, None, ["سانا"]),
        ("واشنطن، 3 تشرين الثاني/نوفمبر (أ ف ب) - أعلن", "واشنطن", 3, 11, None, ["أ ف ب"]),
        ("الرباط، ١٤ أبريل ٢٠٢١ (و م ع) - قال", "الرباط", 14, 4, 2021, ["و م ع"]),
        ("دبي، الإمارات العربية المتحدة (CNN)-- أعلن", "دبي", None, None, None, ["CNN"]),
        ("MOSCOW, May 14 (Reuters) - Russian officials", "MOSCOW", 14, 5, None, ["Reuters"]),
    ],
)
def test_datelines(line, place, day, month, year, agencies):
    dl = parse_dateline(line)
    assert dl is not None
    assert (dl.place_text, dl.day, dl.month, dl.year, dl.agencies) == (place, day, month, year, agencies)
    s, e = dl.span
    assert s == 0 and line[e - 1] in "-:" and line[e:].strip()


@pytest.mark.parametrize(
    "line",
    ["أعلنت سيول، الخميس، أن الجنرال سيحضر", "قال الرئيس (دونالد ترامب) - إن", "الرئيس الأمريكي (دونالد ترامب): نعم",
     "في عام 2020 (رويترز) قالت", "", "   "],
)
def test_not_datelines(line):
    assert parse_dateline(line) is None


def test_dateline_at_offset():
    text = "مقدمة\nبيروت (رويترز) - قال مصدر"
    dl = parse_dateline(text, 6)
    assert dl is not None and dl.span == (6, 22) and dl.place_text == "بيروت"


def test_boilerplate_lines():
    text = (
        "العنوان\n\nالعنوان\nنص أول. (يتبع)\n(تستمر)\n-تتمة-\nيتبع\n- انتهى -\nالنهاية المؤلمة للحرب\n"
        "اقرأ أيضا:\nعنوان آخر\nللمزيد: ملف خاص\nأفكارك وتعليقاتك\n© 2021 جميع الحقوق محفوظة\n"
        "فرانس24/ أ ف ب\nرويترز\nتابعونا على تويتر\nشارك هذا المقال\n----------\n"
        "** جميع المقالات المنشورة تمثل رأي كتابها فقط.\n*نقلا عن صحيفة يومية\n"
        "نقلا عن مصادر مطلعة، قالت الحكومة إنها ستعلن القرار خلال الأسبوع المقبل بعد مشاورات طويلة مع الأحزاب.\n"
    )
    got = removed_texts(text, find_boilerplate(text))
    kinds = dict(got)
    assert got[0] == ("العنوان", "repeated title")  # the first line itself is kept
    for piece in ("(يتبع)", "(تستمر)", "-تتمة-", "يتبع", "- انتهى -"):
        assert kinds[piece] == "continuation mark"
    for piece in ("اقرأ أيضا:", "عنوان آخر", "للمزيد: ملف خاص"):
        assert kinds[piece] == "read also"
    assert kinds["أفكارك وتعليقاتك"].startswith("footer")
    assert kinds["© 2021 جميع الحقوق محفوظة"] == "copyright"
    assert kinds["فرانس24/ أ ف ب"] == kinds["رويترز"] == "agency tag"
    assert kinds["تابعونا على تويتر"].startswith("footer")
    assert kinds["شارك هذا المقال"].startswith("footer")
    assert kinds["----------"] == "separator"
    assert kinds["** جميع المقالات المنشورة تمثل رأي كتابها فقط."] == "disclaimer"
    assert kinds["*نقلا عن صحيفة يومية"] == "source note"
    kept = {"نص أول.", "النهاية المؤلمة للحرب"}
    assert not kept & set(kinds)
    assert not any(t.startswith("نقلا عن مصادر") for t in kinds)
    spans = [span for span, _ in find_boilerplate(text)]
    assert spans == sorted(spans) and all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_first_line_equal_to_title_dropped():
    text = "قمة في العاصمة\nبدأت القمة اليوم."
    assert removed_texts(text, find_boilerplate(text, title="قمة في العاصمة")) == [
        ("قمة في العاصمة", "title repeated in text")
    ]
    assert find_boilerplate(text) == []
    assert find_boilerplate("") == []


def test_mini_article():
    doc = Document(id="mini", text=MINI)
    clean_document(doc)
    got = removed_texts(MINI, doc.removed)
    assert got[0] == (MINI_TITLE, "repeated title")
    assert MINI.index(MINI_TITLE) == 0 and (MINI_TITLE, "repeated title") in got
    texts = [t for t, _ in got]
    assert "(يتبع)" in texts and "أفكارك وتعليقاتك" in texts and "شارك هذا المقال" in texts
    assert "اقرأ أيضا:" in texts and "عنوان مقال آخر لا علاقة له بالخبر" in texts
    dl = doc.dateline
    assert dl is not None
    assert (dl.place_text, dl.day, dl.month, dl.year, dl.agencies) == ("باكو", 3, 3, 2021, ["رويترز"])
    assert MINI[dl.span[0]: dl.span[1]].startswith("باكو،") and MINI[dl.span[1] - 1] == "-"


def test_seed_article():
    if not SEED.exists():
        pytest.skip("seed article not available")
    text = SEED.read_text(encoding="utf-8")
    doc = Document(id="seed", text=text)
    clean_document(doc)
    got = removed_texts(text, doc.removed)
    first_line = text.split("\n")[0]
    assert (first_line, "repeated title") in got
    assert text.index(first_line) == 0
    assert sum(1 for t, _ in got if t == first_line) == 1  # the first copy is kept
    texts = [t for t, _ in got]
    assert "(تستمر)" in texts and "أفكارك وتعليقاتك" in texts
    dl = doc.dateline
    assert dl is not None and dl.place_text == "موسكو" and (dl.day, dl.month) == (14, 5)
    assert "سبوتنيك" in dl.agencies
    assert text[dl.span[0]: dl.span[1]].startswith("موسكو")
