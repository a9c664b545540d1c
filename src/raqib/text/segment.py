"""Sentence splitting, tokenization and Arabic clitic splitting.

* :func:`split_sentences` finds sentence spans in a string (or a slice of it) in linear
  time; spans are trimmed and index the original string.
* :func:`tokenize` / :meth:`Segmenter.tokenize` produce :class:`~raqib.model.Token`
  objects whose ``span`` always slices the original string to ``token.text``.
* :class:`Segmenter` splits normalized Arabic words into (proclitics, stem, enclitics),
  guided by the words the knowledge base and lexicons know.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from raqib.model import Token
from raqib.text.normalize import normalize

__all__ = [
    "MAX_SENTENCE_CHARS",
    "PROCLITICS",
    "ENCLITICS",
    "NO_SPLIT",
    "Segmenter",
    "split_sentences",
    "tokenize",
    "default_segmenter",
]

MAX_SENTENCE_CHARS = 1000

# ---------------------------------------------------------------------------------------
# Sentence splitting
# ---------------------------------------------------------------------------------------

_NEWLINES = "\r\n\u2028\u2029\x0b\x0c\x85"
_CLOSERS = "\"'»”’)]}›"
# A newline run, or a run of sentence punctuation with the closing quotes/brackets that
# immediately follow it.
_BOUNDARY = re.compile(
    "[" + _NEWLINES + "]+|[.!?؟;؛۔…]+[" + re.escape(_CLOSERS) + "]*"
)
# Letters (any script) immediately before a period.
_WORD_BEFORE = re.compile(r"[^\W\d_]+$")
_ARABIC_WORD_AT = re.compile(r"[\u0621-\u064a\u0640]+")
_ERA_BEFORE = re.compile(r"\d\s*(?:ق\.\s?)?[مه]ـ?$")
_HAS_WORD = re.compile(r"\w")
# Characters trimmed from sentence edges: whitespace plus invisible format characters.
_EDGE = frozenset(
    " \t\r\n\x0b\x0c\x85\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff\u061c\x00"
)

# English abbreviations that are followed by a period but do not end a sentence.
_EN_ABBREV = frozenset(
    "mr mrs ms messrs dr prof gen col lt maj capt cpt sgt cmdr adm gov sen rep rev hon "
    "st jr sr inc ltd co corp bros no nos vs fig vol approx dept univ ave blvd mt ft "
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur fri sat sun "
    "pp cf al ca e.g i.e".split()
)
# Arabic abbreviations written with a period (single letters are handled as initials).
_AR_ABBREV = frozenset("ج م ع د ش ص ب ق ت ه س ا مج تلفون".split())
# Latin letter names written in Arabic, as in abbreviations «سي. إن. إن», «بي.بي.سي»,
# «إف. بي. آي» (normalized).  None of them ends a sentence.
_AR_LETTER_NAMES = frozenset(
    "اي ايه بي تي دي جي جيه اف اتش اش ار اس ام ان او يو كيو سي زد اكس واي في كي ال دبليو".split()
)
# Words after a glued period that make it a domain name (العربية.نت, بيت.كوم).
_DOMAIN_WORDS = frozenset("نت كوم اورغ اورج انفو نيوز".split())


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    edge = _EDGE
    while s < e and (text[s] in edge or text[s].isspace()):
        s += 1
    while e > s and (text[e - 1] in edge or text[e - 1].isspace()):
        e -= 1
    return s, e


def _is_combining(ch: str) -> bool:
    return unicodedata.combining(ch) != 0 or ch in "\u0640\u200c\u200d"


def _emit(text: str, s: int, e: int, out: list[tuple[int, int]]) -> None:
    s, e = _trim(text, s, e)
    if s >= e:
        return
    if e - s <= MAX_SENTENCE_CHARS:
        if _HAS_WORD.search(text, s, e):
            out.append((s, e))
        return
    # Too long without punctuation: chunks of at most MAX_SENTENCE_CHARS, cut at spaces.
    while s < e:
        if e - s <= MAX_SENTENCE_CHARS:
            cut = e
        else:
            limit = s + MAX_SENTENCE_CHARS
            cut = -1
            for sep in (" ", "\u00a0", "\t"):
                c = text.rfind(sep, s + MAX_SENTENCE_CHARS // 2, limit)
                if c > cut:
                    cut = c
            if cut <= s:
                cut = limit
                while cut > s + 1 and _is_combining(text[cut]):
                    cut -= 1
        cs, ce = _trim(text, s, cut)
        if cs < ce and _HAS_WORD.search(text, cs, ce):
            out.append((cs, ce))
        s = cut
        while s < e and (text[s] in _EDGE or text[s].isspace()):
            s += 1


def _period_ends_sentence(text: str, ms: int, pe: int, me: int, sent_start: int, end: int) -> bool:
    """Decide whether the period-like run text[ms:pe] (closers up to me) ends a sentence."""
    run = text[ms:pe]
    nxt = text[me] if me < end else ""
    if len(run) > 1 and run.strip(".۔"):  # mixed run such as '.؟' or '?!'
        return True
    if len(run) > 1:  # ellipsis '..' / '...'
        return not ("a" <= nxt <= "z")
    prv = text[ms - 1] if ms > sent_start else ""
    if me > pe:  # a closing quote/bracket right after the period
        return True
    if nxt and not nxt.isspace():
        if prv.isdigit() and nxt.isdigit():
            return False  # decimal or grouped number: 3.5, 1.000.000, 14.05.2021
        if "\u0621" <= prv <= "\u064a" and "\u0621" <= nxt <= "\u064a":
            before = _WORD_BEFORE.search(text, max(sent_start, ms - 12), ms)
            after = _ARABIC_WORD_AT.match(text, me, min(end, me + 12))
            if before is None or len(normalize(before.group())) < 2:
                return False  # initials: ش.م.م  ص.ب  د.محمد
            b = normalize(before.group())
            a = normalize(after.group()) if after is not None else ""
            if a in _DOMAIN_WORDS or b in _AR_LETTER_NAMES or a in _AR_LETTER_NAMES:
                return False  # العربية.نت, سي.بي.إس
            return True  # missing space after a full stop: "...النار.وقال"
        return False  # glued Latin/digits: U.S, e.g, example.com
    if prv.isdigit():
        head = text[sent_start:ms].strip()
        if head.isdigit() and len(head) <= 3:
            return False  # list marker "1. "
        return True
    m = _WORD_BEFORE.search(text, max(sent_start, ms - 12), ms)
    if m is None:
        return True
    word = m.group()
    norm = normalize(word)
    if len(norm) <= 1:
        # an initial (D. Trump, أ. د.) unless it is an era mark after a year: 2020 م.
        if norm in ("م", "ه") and _ERA_BEFORE.search(text, max(sent_start, ms - 16), ms):
            return True
        return False
    if norm in _EN_ABBREV or norm in _AR_ABBREV or norm in _AR_LETTER_NAMES:
        return False
    return True


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans ``[s, e)`` inside ``text[start:end]`` (absolute offsets, trimmed).

    Splits at newlines and at . ! ? ؟ ; ؛ ۔ … except after abbreviations and initials,
    inside numbers (3.5, ١٫٥) and inside domain names; a closing quote or bracket right
    after the punctuation stays with the sentence.  Segments without any letter or digit
    are dropped; anything longer than MAX_SENTENCE_CHARS is cut at whitespace.
    """
    if not text:
        return []
    n = len(text)
    start = max(0, start)
    end = n if end is None else max(0, min(end, n))
    if start >= end:
        return []
    out: list[tuple[int, int]] = []
    s = start
    newlines = _NEWLINES
    for m in _BOUNDARY.finditer(text, start, end):
        ms, me = m.span()
        if text[ms] in newlines:
            _emit(text, s, ms, out)
            s = me
            continue
        pe = me
        while pe > ms and text[pe - 1] in _CLOSERS:
            pe -= 1
        run = text[ms:pe]
        if ("." in run or "۔" in run) and not _period_ends_sentence(text, ms, pe, me, s, end):
            continue
        _emit(text, s, me, out)
        s = me
    _emit(text, s, end, out)
    return out


# ---------------------------------------------------------------------------------------
# Clitics
# ---------------------------------------------------------------------------------------

# Proclitic chains (normalized): conjunction و/ف, then ب/ك/ل (preposition) or س (future),
# then the article ال.  ل + ال is written لل.
def _build_proclitics() -> tuple[str, ...]:
    out = set()
    for conj in ("", "و", "ف"):
        for mid in ("", "ب", "ك", "ل", "س"):
            for art in ("", "ال"):
                if mid == "س" and art:
                    continue
                out.add(conj + ("لل" if (mid == "ل" and art) else mid + art))
    out.discard("")
    return tuple(sorted(out, key=lambda p: (-len(p), p)))


PROCLITICS: tuple[str, ...] = _build_proclitics()
ENCLITICS: tuple[str, ...] = ("هما", "كما", "ها", "هم", "هن", "كم", "كن", "نا", "ني", "ه", "ي", "ك")
_PROCLITICS_BY_FIRST: dict[str, tuple[str, ...]] = {
    c: tuple(p for p in PROCLITICS if p[0] == c) for c in {p[0] for p in PROCLITICS}
}
_ENCLITICS_BY_LAST: dict[str, tuple[str, ...]] = {
    c: tuple(x for x in ENCLITICS if x[-1] == c) for c in {x[-1] for x in ENCLITICS}
}
_ARTICLE_PREFIXES = ("بال", "كال", "لل", "ال")
# Clitic chains that may precede a hamza-written alef (no future س, no article).
_HAMZA_CLITICS = frozenset(p for p in PROCLITICS if "س" not in p and "ال" not in p and "لل" not in p)
_IMPERFECT = ("ي", "ت", "ن", "ا")

# Common words whose first letters look like clitics but are part of the word (وزير,
# فرنسا, وقعت, فرضت, الذي …) or that must stay whole (الله, المانيا).  They count as
# dictionary evidence, so ووزير -> و + وزير and بالمانيا -> ب + المانيا.
NO_SPLIT: frozenset[str] = frozenset(
    """
الاف الان الباني البانيا التي الذي الذين الفا الفين اللاتي اللتان اللتين
اللذان اللذين الله اللهم اللواتي المان الماني المانيا المانيه فابريغاس فاتوره فاتيكان
فاجا فاجات فاخره فادح فادحا فادحه فاران فارخان فارس فارغ فارغاس فارغه
فارق فارقا فارقه فارك فاروق فاز فازت فازوا فاسده فاسكيز فاسيلي فاشله
فاشيم فاصله فاضحه فاطمه فاعل فاعله فاعليه فاغنر فاقت فاقدي فالنسيا فانتوم
فانكوفر فاوض فاوضت فايده فايز فايزا فايض فايق فايقه فاينانشال فايننشال فاينورد
فبراير فتاه فتح فتحت فتحه فتحها فتحوا فتحي فترات فترته فتره فتش
فتشت فتوي فتيات فتيه فجاه فجر فجرا فجرت فجروا فجوه فحص فحصت
فحوي فخمه فخوره فخورين فداء فديه فرار فرارهم فراغ فرانس فرانسوا فرانسواز
فرانسيس فرانسيسكو فرانشيسكو فرانك فرانكفورت فرانكلين فرانكو فرايبورغ فرجينيا فرحا فرحتهم فرحه
فرداسكو فردي فرديه فرصا فرصته فرصتين فرصه فرض فرضت فرضتها فرضها فرضوا
فرضيه فرع فرعا فرعيه فرغلي فرق فرقا فرقت فرقه فرناندو فرنانديز فرنسا
فرنسي فرنسيس فرنسيه فرنسيون فرنسيين فرنك فرهادي فروع فريد فريدا فريدمان فريده
فريضه فريق فريقا فريقنا فريقه فريقها فريقهم فريقي فريلاند فزنا فساد فسادا
فسر فسرت فسيح فشل فشلا فشلت فشلوا فصايل فصل فصلا فصلت فصيل
فضاء فضايح فضاييه فضح فضحه فضلا فضيحه فعال فعالا فعاله فعاليات فعاليه
فعل فعلا فعلته فعله فعلها فعلوا فقد فقدان فقدت فقدنا فقدوا فقر
فقراء فقره فقير فقيره فكرت فكره فكريا فكريه فكك فككت فلاديمير فلاشينغ
فلافل فلايني فلبيني فلبينيه فلسطين فلسطيني فلسطينيا فلسطينيان فلسطينيه فلسطينيون فلسطينيين فلسفه
فلكيه فلورنس فلورنسا فلوريدا فنادق فنان فند فندت فندق فنزويلا فنلندا فنون
فنيا فنيه فهمها فهمي فوات فواز فوايد فوبيا فوتبول فوتسي فوتيل فوجي
فوجيموري فورا فوربس فورس فورسبرغ فوري فوريه فوز فوزا فوزه فوزها فوزهم
فوستر فوسفوريه فوض فوضت فوضي فوكس فوكودا فوكييه فولر فولغوغراد فولفسبورغ فولكسفاغن
فويغو فيات فياريال فيتش فيتنام فيجو فيجي فيدال فيدرر فيدرير فيديا فيديريكا
فيديو فيديوهات فيرتونغن فيرج فيرجن فيرجيل فيرجين فيرجينيا فيرمونت فيرمينو فيرمينيو فيرناندو
فيرنانديز فيروز فيروس فيرونا فيسبوك فيضانات فيغاس فيغو فيفا فيفو فيكتور فيكتوري
فيكتوريا فيلا فيلادلفيا فيلايني فيلت فيلق فيلم فيلمان فيلمه فيليب فيليبي فيما
فينا فينسنت فينغر فينورد فيه فيها فيهم فيهما فيورنتينا فيينا واتس واتساب
واتسون واتفورد واجب واجبه واجه واجهت واجهته واجهتها واجهه واجهها واجهوا واحد
واحدا واحده وادي وارد واردات وارداتها وارسو وارنر واسع واسعا واسعه واشنطن
واصفا واصل واصلت واصلوا واضح واضحا واضحه واضحين واعدا واعده واغادوغو وافد
وافق وافقا وافقت وافقوا واقع واقعه واقعي واقعيا واقعيه والد والدا والدته
والده والدها والدي والدين واندا واينستين وباء وبخ وبخت وتيره وثايق وثايقي
وثق وثقت وثيق وثيقا وثيقه وجبات وجبه وجد وجدت وجدوا وجه وجها
وجهت وجهها وجهوا وجوب وجود وجودها وجودهم وجوديا وجوه وجيزه وحد وحدات
وحدت وحده وحدها وحدهم وحشي وحشيه وحيد وحيدا وحيده وداع وداعا ودايع
ودع ودعت وديا وديتين وديعه وديه وراء وراءه وراءها ورد وردت ورشه
ورطه ورقه ورقيه ورود وريث وريورز وزارات وزارته وزارتي وزاره وزاري وزاريا
وزاريه وزراء وزع وزعت وزنها وزير وزيرا وزيره وزيري وساطه وسايل وسط
وسطاء وسطه وسع وسعت وسيط وسيطا وسيله وشيك وشيكا وشيكه وصايه وصف
وصفت وصفتها وصفتهم وصفهم وصفوا وصل وصلا وصلت وصلوا وصول وصولا وصوله
وصولها وصولهم وصيه وضع وضعا وضعت وضعته وضعتها وضعه وضعهم وضعوا وضعيه
وضوح وضوحا وطد وطدت وطن وطنه وطنهم وطني وطنيا وطنيه وظايف وظايفهم
وظيفه وظيفيه وعد وعدت وعدوا وعود وفاء وفاتها وفاق وفاه وفد وفدا
وفر وفرت وفره وفقا وفود وفيات وقايع وقايي وقت وقتا وقتذاك وقته
وقتها وقع وقعا وقعت وقعتا وقعته وقعتها وقعه وقعها وقعوا وقف وقفا
وقفت وقفه وقفوا وقود وقوع وقوف وقوفه وكالات وكاله وكلاء وكيل وكيله
ولاء ولاده ولايات ولايته ولايتي ولايه ولد ولدت ولدوا وليامز وليامسون وليد
وهبي وهران وهميه ووتش وودوارد وولف ويدراوغو ويدودو ويست ويسلي ويغان ويكيليكس
ويلباك ويلبر ويلبور ويلز ويلسون ويليام ويليامز ويليان ويلينغتون ويمبلدون ويمبلي
فيصل فواد فوزي فارس فهد فهمي فرج فريد فادي فراس فضل فيروز فكري فلاح فتحي فايز فايزه
وايل وسام وليد وجدي وديع وهيب وفيق وصفي وحيد وداد وفاء وجيه ورده وانغ ويليام
فخور فخوره فقرا فقراء فقير فرقعه فلول فتيل فعلا فعليا فعلت فعلوا فردا فردي فرديه فروا فاسو
فورد فويس وصيف وصيفه فرار وتر ووتر
التزام التزامات التزامه التزامها التزامهم التقاء التفاف التماس التحاق التباس
التقي التقت التقوا التقيا التزم التزمت التزموا القي القت القوا القيت التمس التمست
الغي الغت الزم الزمت
""".split()
)

_AR_WORD_CHARS = re.compile(r"[\u0621-\u064a]+")
_HAMZA_ALEF_NEAR_START = re.compile(r"[أإآ]")
_BARE_TABLE = {
    c: None
    for c in list(range(0x064B, 0x0660)) + [0x0670, 0x0640, 0x200C, 0x200D] + list(range(0x0610, 0x061B))
}


def _hamza_alefs(raw: str, norm: str) -> tuple[int, ...]:
    """Positions (in ``norm``) among the first five letters written as أ/إ/آ in ``raw``."""
    if _HAMZA_ALEF_NEAR_START.search(raw, 0, 8) is None:
        return ()
    bare = raw.translate(_BARE_TABLE)
    if len(bare) != len(norm):
        return ()
    return tuple(i for i, ch in enumerate(bare[:5]) if ch in "أإآ")


class Segmenter:
    """Clitic splitter and tokenizer guided by dictionaries of normalized words.

    ``known``: stems the knowledge base and lexicons know (names, event words).
    ``protected``: words that must never be split (بوتين, باكو, بغداد …).
    Both are evidence for analyses of longer words (وباشينيان -> و + باشينيان).
    Results are cached per word; the caches are dropped when pickling.

    Rules of :meth:`split`:

    1. Words shorter than 3 letters, non-Arabic words, and words that are themselves in
       ``known``, ``protected`` or the built-in :data:`NO_SPLIT` list stay whole.
    2. Otherwise, if some analysis (proclitics و ف ب ك ل س ال and their chains; enclitics
       ه ها هم هما هن كم كما كن نا ني ي ك) leaves a stem that is known/protected/NO_SPLIT,
       the best such analysis wins: no enclitic before enclitic, a stem without ال before
       one with it, then the longest stem.  Variants tried: a stem ending in ت before an
       enclitic may be a ة word (حكومته -> حكومه + ه); after لل the stem may be ال+stem
       (للامم -> ل + الامم) or start with ل (للجنه -> لل + لجنه).
    3. Without evidence the split is conservative: و/ف is stripped only when at least 3
       letters remain; then an article chain (ال بال كال لل) when at least 2 remain; the
       enclitics هم/هما only when at least 4 letters remain (plural/dual pronouns on long
       words are reliable; ه is never stripped since it also stands for ة).  Bare ب ك ل س
       are not stripped without evidence.
    4. In running text, an alef written with hamza (أ إ آ) cannot begin the article
       (إلغاء, إليه stay whole) and marks the letters before it as clitics (بأن, لإيران).
    Stems are never shorter than 2 letters.
    """

    CACHE_LIMIT = 400_000

    def __init__(
        self,
        known: Iterable[str] | frozenset = frozenset(),
        protected: Iterable[str] | frozenset = frozenset(),
    ) -> None:
        self.known = frozenset(known)
        self.protected = frozenset(protected)
        self._evidence = self.known | self.protected | NO_SPLIT
        self._split_cache: dict[str, tuple[str, str, str]] = {}
        self._cand_cache: dict[str, list[tuple[str, str, str]]] = {}
        self._tok_cache: dict[str, tuple | None] = {}

    # -- pickling: keep the dictionaries, drop the caches ---------------------------------
    def __getstate__(self) -> dict:
        return {"known": self.known, "protected": self.protected}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state.get("known", frozenset()), state.get("protected", frozenset()))

    def __repr__(self) -> str:
        return f"Segmenter(known={len(self.known)}, protected={len(self.protected)})"

    # -- analyses -------------------------------------------------------------------------
    def _analyses(self, norm: str, blocked: tuple[int, ...] = ()) -> list[tuple[str, str, str]]:
        """Every (prefix, stem, suffix) with a stem of at least 2 letters, unsplit first.

        ``blocked``: positions of alefs written with hamza in the raw word (أ إ آ): an
        article ال cannot start there (إلغاء is not ال + غاء).
        """
        out = [("", norm, "")]
        n = len(norm)
        prefixes = [""] + [p for p in _PROCLITICS_BY_FIRST.get(norm[0], ()) if norm.startswith(p) and n - len(p) >= 2]
        suffixes = [""] + [x for x in _ENCLITICS_BY_LAST.get(norm[-1], ()) if norm.endswith(x) and n - len(x) >= 2]
        for p in prefixes:
            if "س" in p and not norm.startswith(_IMPERFECT, len(p)):
                continue
            if blocked and p.endswith("ال") and len(p) - 2 in blocked:
                continue
            for x in suffixes:
                if not p and not x:
                    continue
                core = norm[len(p): n - len(x)]
                if len(core) < 2 or (len(x) == 1 and len(core) < 3):
                    continue
                out.append((p, core, x))
                if x and len(core) >= 3 and core.endswith("ت") and not core.endswith("ات"):
                    out.append((p, core[:-1] + "ه", x))  # حكومته -> حكومه + ه
                if p.endswith("لل"):
                    out.append((p[:-1], "ال" + core, x))  # للامم -> ل + الامم
                    out.append((p, "ل" + core, x))  # للجنه -> لل + لجنه
        return out

    @staticmethod
    def _evidence_key(a: tuple[str, str, str]) -> tuple:
        p, stem, x = a
        return (x != "", stem.startswith("ال"), -len(stem), len(p))

    def _default(self, norm: str, blocked: tuple[int, ...] = ()) -> tuple[str, str, str]:
        """Conservative split without dictionary evidence."""
        prefix, core = "", norm
        hamza_cut = next((k for k in blocked if 1 <= k <= 3 and norm[:k] in _HAMZA_CLITICS), 0)
        if hamza_cut and len(norm) - hamza_cut >= 2:
            # an alef written with hamza right after clitic letters: بأن, لإيران, وإلغاء
            prefix, core = norm[:hamza_cut], norm[hamza_cut:]
        elif core[0] in "وف" and len(core) >= 4:
            prefix, core = core[0], core[1:]
        if core not in self._evidence:
            for ap in _ARTICLE_PREFIXES:
                if blocked and ap != "لل" and len(prefix) + len(ap) - 2 in blocked:
                    continue
                if core.startswith(ap) and len(core) - len(ap) >= 2:
                    prefix, core = prefix + ap, core[len(ap):]
                    break
        suffix = ""
        if core not in self._evidence:
            for x in ("هما", "هم"):
                if core.endswith(x) and len(core) - len(x) >= 4:
                    suffix, core = x, core[: -len(x)]
                    break
        return prefix, core, suffix

    def _compute_split(self, norm: str, blocked: tuple[int, ...] = ()) -> tuple[str, str, str]:
        if len(norm) < 3 or norm in self._evidence or not _AR_WORD_CHARS.fullmatch(norm):
            return ("", norm, "")
        ev = self._evidence
        found = [a for a in self._analyses(norm, blocked)[1:] if a[1] in ev]
        if found:
            return min(found, key=self._evidence_key)
        return self._default(norm, blocked)

    def split(self, norm: str) -> tuple[str, str, str]:
        """``(prefix, stem, suffix)`` of a normalized word (rules in the class docstring)."""
        r = self._split_cache.get(norm)
        if r is None:
            r = self._compute_split(norm)
            if len(self._split_cache) >= self.CACHE_LIMIT:
                self._split_cache.clear()
            self._split_cache[norm] = r
        return r

    def candidates(self, norm: str) -> list[tuple[str, str, str]]:
        """All plausible analyses, best first: the chosen split, other analyses whose stem
        is known, the conservative default, the unsplit word, then the rest (longer stems
        first)."""
        r = self._cand_cache.get(norm)
        if r is not None:
            return list(r)
        if len(norm) < 3 or not _AR_WORD_CHARS.fullmatch(norm):
            r = [("", norm, "")]
        else:
            best = self.split(norm)
            analyses = self._analyses(norm)
            ev = self._evidence
            known = sorted((a for a in analyses if a[1] in ev), key=self._evidence_key)
            rest = sorted((a for a in analyses if a[1] not in ev), key=lambda a: (-len(a[1]), len(a[0]), len(a[2])))
            r = []
            seen = set()
            for a in [best, *known, self._default(norm), ("", norm, ""), *rest]:
                if a not in seen:
                    seen.add(a)
                    r.append(a)
        if len(self._cand_cache) >= self.CACHE_LIMIT:
            self._cand_cache.clear()
        self._cand_cache[norm] = r
        return list(r)

    # -- tokens ---------------------------------------------------------------------------
    def _token_info(self, t: str, kind: str) -> tuple | None:
        if kind == "word":
            norm = normalize(t)
            if not norm:
                return (norm, norm, "", "", "word")
            blocked = _hamza_alefs(t, norm)
            if blocked:
                p, stem, x = self._compute_split(norm, blocked)
            else:
                p, stem, x = self.split(norm)
            return (norm, stem, p, x, "word")
        if kind == "sym":
            cat = unicodedata.category(t[0])
            if cat in ("Cc", "Cf", "Zl", "Zp", "Zs"):
                return None
            norm = normalize(t)
            k = "punct" if cat[0] == "P" else "other"
            return (norm, norm, "", "", k)
        norm = normalize(t)
        return (norm, norm, "", "", kind)

    def tokenize(self, text: str, start: int = 0, end: int | None = None) -> list[Token]:
        """Tokens of ``text[start:end]`` with absolute spans."""
        if end is None or end > len(text):
            end = len(text)
        if start < 0:
            start = 0
        cache = self._tok_cache
        if len(cache) >= self.CACHE_LIMIT:
            cache.clear()
        out: list[Token] = []
        append = out.append
        missing = _MISSING
        pos = start
        # Every character is either in the whitespace group or in a token (the token
        # pattern ends with a catch-all), so positions can be accumulated from lengths.
        for ws, t in _WS_TOKEN_RE.findall(text, start, end):
            s = pos + len(ws)
            pos = s + len(t)
            info = cache.get(t, missing)
            if info is missing:
                m = _TOKEN_RE.match(t)
                info = self._token_info(t, m.lastgroup if m is not None and m.end() == len(t) else "sym")
                cache[t] = info
            if info is None:
                continue
            append(Token(t, (s, pos), *info))
        return out


_MISSING = object()

_AR_START = "\u0621-\u063a\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff\u0750-\u077f\u08a0-\u08c9\ufb50-\ufdfb\ufe70-\ufefc"
_AR_MARKS = "\u064b-\u065f\u0670\u0610-\u061a\u06d6-\u06ed\u0640"
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_NON_OTHER = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff" + _LATIN
_NUM = r"\d+(?:[.,\u066b\u066c]\d+)*"
# ZWNJ/ZWJ stay inside a word only between letters (Persian-style می‌خواهم).
_WORD = rf"[{_AR_START}][{_AR_START}{_AR_MARKS}]*(?:[\u200c\u200d]+[{_AR_START}][{_AR_START}{_AR_MARKS}]*)*"
_LATIN_WORD = rf"[{_LATIN}][{_LATIN}0-9\u0300-\u036f]*(?:['’][{_LATIN}]+)*"
_OTHER_WORD = rf"[^\W\d_{_NON_OTHER}][^\W_{_NON_OTHER}]*"
_SYM = r"\.+|-+|_+|[^\w\s]|\S"
# Used to classify a token once (then cached by its text).
_TOKEN_RE = re.compile(
    rf"(?P<num>{_NUM})|(?P<word>{_WORD})|(?P<latin>{_LATIN_WORD})|(?P<other>{_OTHER_WORD})|(?P<sym>{_SYM})"
)
# Used to scan: (whitespace before, token) pairs.
_WS_TOKEN_RE = re.compile(rf"(\s*)({_NUM}|{_WORD}|{_LATIN_WORD}|{_OTHER_WORD}|{_SYM})")

_DEFAULT: Segmenter | None = None


def default_segmenter() -> Segmenter:
    """A shared Segmenter with empty dictionaries (built-in no-split list only)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Segmenter()
    return _DEFAULT


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of ``text[start:end]`` using the default segmenter."""
    return default_segmenter().tokenize(text, start, end)
