"""raqib.text.layer.TextLayer on the seed article, a self-written article and odd inputs."""

import pickle
import random
from pathlib import Path

import pytest

from raqib.model import Document
from raqib.text.layer import TextLayer
from raqib.text.segment import Segmenter
from test_text_clean import MINI, MINI_TITLE

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "examples" / "karabakh_call.ar.txt"


def check_doc(doc):
    """Sentence/token invariants every TextLayer output must satisfy."""
    assert [s.index for s in doc.sentences] == list(range(len(doc.sentences)))
    fields = [s.field for s in doc.sentences]
    assert fields == sorted(fields, key=lambda f: f != "title")  # title first
    for sent in doc.sentences:
        src = doc.title if sent.field == "title" else doc.text
        s, e = sent.span
        assert 0 <= s < e <= len(src) and src[s:e] == sent.text
        assert sent.text == sent.text.strip()
        for (rs, re_), _why in doc.removed if sent.field == "text" else []:
            assert e <= rs or s >= re_, (sent.text, src[rs:re_])
        if sent.field == "text" and doc.dateline is not None and doc.dateline.span:
            ds, de = doc.dateline.span
            assert e <= ds or s >= de
        prev = s
        for tok in sent.tokens:
            ts, te = tok.span
            assert prev <= ts < te <= e and src[ts:te] == tok.text
            prev = te


def test_seed_article():
    if not SEED.exists():
        pytest.skip("seed article not available")
    text = SEED.read_text(encoding="utf-8")
    doc = Document(id="seed", text=text)
    layer = TextLayer(Segmenter(known={"باشينيان"}, protected={"بوتين", "باكو"}))
    assert layer(doc) is doc
    check_doc(doc)
    assert doc.lang == "ar"
    assert 12 <= len(doc.sentences) <= 16
    title_line = text.split("\n")[0]
    assert doc.sentences[0].text == title_line  # kept once
    assert sum(1 for s in doc.sentences if s.text == title_line) == 1
    dl = doc.dateline
    assert dl.place_text == "موسكو" and (dl.day, dl.month) == (14, 5) and "سبوتنيك" in dl.agencies
    assert doc.sentences[1].text.startswith("بحث الرئيس الروسي")
    all_text = " ".join(s.text for s in doc.sentences)
    assert "(تستمر)" not in all_text and "أفكارك وتعليقاتك" not in all_text
    tok = next(t for s in doc.sentences for t in s.tokens if t.text == "وباشينيان")
    assert (tok.prefix, tok.stem, tok.suffix) == ("و", "باشينيان", "")
    assert all(s.lang == "ar" for s in doc.sentences)


def test_mini_article_with_title_field():
    doc = Document(id="mini", text=MINI, title=MINI_TITLE)
    TextLayer(Segmenter(known={"علييف"}))(doc)
    check_doc(doc)
    titles = [s for s in doc.sentences if s.field == "title"]
    assert len(titles) == 1 and titles[0].text == MINI_TITLE and titles[0].index == 0
    texts = [s.text for s in doc.sentences if s.field == "text"]
    assert MINI_TITLE not in texts  # both copies in the text equal the title field
    assert texts[0].startswith("أجرى الرئيس الأذربيجاني")
    assert "وأوضح د. كريم، وهو باحث في الشؤون الإقليمية، أن التبادل التجاري زاد 3.5 بالمئة." in texts
    assert not any("يتبع" in t or "أفكارك" in t or "شارك" in t or "عنوان مقال آخر" in t for t in texts)
    assert doc.dateline.place_text == "باكو" and doc.dateline.agencies == ["رويترز"]
    tok = next(t for s in doc.sentences for t in s.tokens if t.text == "وعلييف")
    assert (tok.prefix, tok.stem) == ("و", "علييف")


def test_mini_article_without_title_field():
    doc = TextLayer()(Document(id="mini", text=MINI))
    check_doc(doc)
    texts = [s.text for s in doc.sentences]
    assert texts.count(MINI_TITLE) == 1 and texts[0] == MINI_TITLE


def test_lang_given_is_kept_and_english_sentences():
    doc = Document(id="en", text="WASHINGTON (Reuters) - The president met the prime minister on Monday. "
                                 "They discussed the ceasefire.", lang="en")
    TextLayer()(doc)
    check_doc(doc)
    assert doc.lang == "en" and doc.dateline.place_text == "WASHINGTON"
    assert [s.lang for s in doc.sentences] == ["en", "en"]
    doc2 = TextLayer()(Document(id="x", text="The president met the prime minister on Monday and they talked."))
    assert doc2.lang == "en"


def test_picklable_and_reusable():
    layer = TextLayer(Segmenter(known={"باشينيان"}))
    layer(Document(id="a", text=MINI))
    clone = pickle.loads(pickle.dumps(layer))
    d1 = layer(Document(id="b", text=MINI))
    d2 = clone(Document(id="b", text=MINI))
    assert [(s.span, [t.span for t in s.tokens]) for s in d1.sentences] == \
           [(s.span, [t.span for t in s.tokens]) for s in d2.sentences]


ODD = [
    "", " ", "\n\n\n", ".", "؟؟؟", "(تستمر)", "أفكارك وتعليقاتك", "\x00\x01\x02", "\ufeffنص",
    "😀" * 100, "ـــــ", "\u200f" * 10, "a" * 5000, "ب" * 50_000, "<p>html</p>", "\ud800 نص",
    "موسكو، 14 ماي - (", "(رويترز) -", "1. 2. 3.", "\r\r\r", "\u2028\u2029", "كلمة. " * 3000,
]


@pytest.mark.parametrize("text", ODD)
def test_never_raises_on_odd_input(text):
    doc = TextLayer()(Document(id="odd", text=text, title=text[:50]))
    check_doc(doc)


def test_never_raises_random():
    rnd = random.Random(11)
    pool = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىة ًٌٍَُِّْـ٠١٢٣٤٥٦٧٨٩0123456789abcXYZ .,;:!?؟،؛«»()[]\"'-_/\n\t\u200c\u200f😀(تستمر)"
    layer = TextLayer()
    for _ in range(200):
        text = "".join(rnd.choice(pool) for _ in range(rnd.randint(0, 400)))
        check_doc(layer(Document(id="r", text=text)))


def test_non_string_fields_do_not_raise():
    doc = Document(id="n", text=None, title=None)  # type: ignore[arg-type]
    TextLayer()(doc)
    assert doc.sentences == []
