"""raqib.text.langid."""

import pytest

from raqib.text.langid import detect_language


@pytest.mark.parametrize(
    "text, lang",
    [
        ("قال الرئيس إن المحادثات مع الجانب الآخر كانت بناءة وإن الهدنة صامدة", "ar"),
        ("The foreign minister said on Monday that the talks with the other side were useful.", "en"),
        ("Le ministre des affaires étrangères a déclaré lundi que les discussions étaient utiles.", "other"),
        ("Der Außenminister sagte am Montag, die Gespräche mit der anderen Seite seien nützlich gewesen.", "other"),
        ("وزیر امور خارجه روز دوشنبه گفت که گفتگوها با طرف مقابل مفید بوده است و ادامه خواهد یافت", "other"),
        ("Министр иностранных дел заявил в понедельник, что переговоры были полезными.", "other"),
        ("", "other"),
        ("12345 !!! ... 2021-05-14", "other"),
    ],
)
def test_detect(text, lang):
    assert detect_language(text) == lang


def test_mixed():
    text = "قال الوزير Foreign Minister Sergei Lavrov said talks خلال مؤتمر صحفي in Moscow today with"
    assert detect_language(text) in ("mixed", "ar", "en")
    assert detect_language("بيان CNN اليوم حول الاجتماع في الرياض والمحادثات") == "ar"


@pytest.mark.parametrize("weird", ["\x00\x01", "😀" * 50, "\ud800", "ـــ", "\u200f\u200e"])
def test_never_raises(weird):
    assert detect_language(weird) in ("ar", "en", "other", "mixed")
