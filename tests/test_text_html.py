"""raqib.text.html: trafilatura extraction with a plain fallback; broken HTML."""

import pytest

from raqib.text.html import extract_html, strip_tags

BODY = "بحث وزيرا الخارجية في اتصال هاتفي سبل تعزيز التعاون الثنائي وتطورات الأوضاع في المنطقة. " * 4

PAGE = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>وزيرا الخارجية يبحثان التعاون</title>
<style>body {{color: red}}</style><script>var tracking = "لا تظهر";</script></head>
<body><nav><a href="/">الرئيسية</a> <a href="/world">العالم</a></nav>
<header>شعار الموقع</header>
<article><h1>وزيرا الخارجية يبحثان التعاون</h1><p>{BODY}</p><p>وأكد الجانبان أهمية الحوار.</p></article>
<aside>الأكثر قراءة</aside><footer>جميع الحقوق محفوظة</footer></body></html>"""


def test_extract_article():
    title, body = extract_html(PAGE)
    assert "وزيرا الخارجية" in title
    assert "بحث وزيرا الخارجية" in body and "أهمية الحوار" in body
    for junk in ("لا تظهر", "color: red", "الأكثر قراءة", "شعار الموقع"):
        assert junk not in body


def test_plain_fallback():
    title, body = strip_tags(PAGE)
    assert title == "وزيرا الخارجية يبحثان التعاون"
    assert "أهمية الحوار" in body
    for junk in ("لا تظهر", "color: red", "الأكثر قراءة", "شعار الموقع", "الرئيسية", "جميع الحقوق"):
        assert junk not in body


def test_short_page_uses_fallback():
    title, body = extract_html("<html><body><p>خبر قصير &amp; مهم</p></body></html>")
    assert body == "خبر قصير & مهم"


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><p>نص <b>غير <i>مغلق",
        "<<<>>> &&& &#99999999; </p></div></span>",
        "<script>alert(1)",
        "<style>",
        "<div " * 500,
        "<p>" * 3000 + "نص عميق",
        "\x00\x01<p>نص</p>\ufffe",
        "<html><head><title>بلا نهاية",
        "",
        "   ",
        "<!-- تعليق غير مغلق",
        "<![CDATA[ x ]]><p>نص</p>",
    ],
)
def test_broken_html_never_raises(html):
    title, body = extract_html(html)
    assert isinstance(title, str) and isinstance(body, str)
    assert "alert(1)" not in body


def test_non_string_input():
    assert extract_html(b"<p>\xd9\x86\xd8\xb5</p>")[1] == "نص"
