"""Date expressions and publication-date inference."""

import datetime as dt

from raqib.coding.dates import find_dates, fold, infer_publication_date

REF = dt.date(2021, 5, 14)  # a Friday


def resolved(sentence, ref=REF):
    return [(e.text, *e.resolve(ref)) for e in find_dates(sentence)]


def test_fold_keeps_length():
    s = "في ١١ تشرين الثاني/نوفمبر الماضي، أكّد"
    assert len(fold(s)) == len(s)


def test_relative_days():
    assert resolved("قال أمس إن") == [("أمس", "2021-05-13", "day")]
    assert resolved("التقى اليوم الجمعة") [0][1:] == ("2021-05-14", "day")
    assert resolved("وصل يوم الثلاثاء الماضي")[0][1:] == ("2021-05-11", "day")
    assert resolved("أول أمس")[0][1] == "2021-05-12"
    assert resolved("الأسبوع الماضي")[0][2] == "week"


def test_absolute_with_and_without_year():
    assert resolved("في 9 تشرين الثاني/نوفمبر عام 2020")[0][1] == "2020-11-09"
    assert resolved("وفي 11 تشرين الثاني/نوفمبر الماضي")[0][1] == "2020-11-11"
    assert resolved("في الـ10 من تشرين الثاني /نوفمبر 2020")[0][1] == "2020-11-10"
    assert resolved("في 3 جويلية 2019")[0][1] == "2019-07-03"
    assert resolved("في ٢٥ أيار/مايو")[0][1] == "2021-05-25"
    assert resolved("on May 3, 2019 the")[0][1] == "2019-05-03"
    assert resolved("14/05/2021")[0][1] == "2021-05-14"


def test_month_and_year_precision():
    assert resolved("في شهر آذار الماضي")[0][1:] == ("2021-03", "month")
    assert resolved("منذ عام 2015")[0][1:] == ("2015", "year")
    assert resolved("العام الماضي")[0][1:] == ("2020", "year")


def test_weekday_needs_article_or_yom():
    # «أحد» is also "one": only «الأحد» / «يوم الأحد» are Sunday
    assert not find_dates("قال أحد المسؤولين")
    assert resolved("يوم الأحد")[0][1] == "2021-05-09"


def test_infer_publication_year_from_weekday():
    exprs = find_dates("اليوم الجمعة") + find_dates("في 9 تشرين الثاني/نوفمبر عام 2020") + \
        find_dates("11 تشرين الثاني/نوفمبر الماضي")
    day, rule = infer_publication_date(14, 5, None, exprs)
    assert day == dt.date(2021, 5, 14) and "weekday" in rule
    assert infer_publication_date(None, None, None, exprs) == (None, "")
    assert infer_publication_date(3, 3, 2019, [])[0] == dt.date(2019, 3, 3)
