"""Boilerplate detection and dateline parsing for news articles.

* :func:`find_boilerplate` returns spans to drop (repeated titles, continuation marks
  such as «(تستمر)», comment/share/"read also" footers, copyright and disclaimer lines,
  lone agency tags, separator lines) with a reason.
* :func:`parse_dateline` reads the opening dateline («موسكو، 14 ماي - (سبوتنيك) -»,
  «بيروت (رويترز) -», «القاهرة - «الحياة»:», «MOSCOW, May 14 (Reuters) -» …).
* :func:`clean_document` fills ``doc.removed`` and ``doc.dateline``.

``MONTHS`` / ``WEEKDAYS`` map normalized Arabic month and weekday names to numbers; other
modules import them.
"""

from __future__ import annotations

import re

from raqib.model import Dateline, Document
from raqib.text.normalize import loose_pattern, normalize

__all__ = [
    "MONTHS",
    "EN_MONTHS",
    "WEEKDAYS",
    "EN_WEEKDAYS",
    "AGENCIES",
    "month_number",
    "find_boilerplate",
    "parse_dateline",
    "clean_document",
]

# ---------------------------------------------------------------------------------------
# Month and weekday names (keys are normalized: see raqib.text.normalize)
# ---------------------------------------------------------------------------------------


def _months() -> dict[str, int]:
    names = {
        1: ["يناير", "جانفي", "كانون الثاني", "كانون ثاني", "كانون الثان", "كانون ثان"],
        2: ["فبراير", "فيفري", "شباط"],
        3: ["مارس", "آذار"],
        4: ["أبريل", "إبريل", "أفريل", "نيسان"],
        5: ["مايو", "ماي", "أيار"],
        6: ["يونيو", "يونيه", "جوان", "حزيران"],
        7: ["يوليو", "يوليه", "جويلية", "تموز"],
        8: ["أغسطس", "أوت", "غشت", "آب"],
        9: ["سبتمبر", "شتنبر", "أيلول"],
        10: ["أكتوبر", "تشرين الأول", "تشرين أول"],
        11: ["نوفمبر", "نونبر", "تشرين الثاني", "تشرين ثاني", "تشرين الثان", "تشرين ثان"],
        12: ["ديسمبر", "دجنبر", "كانون الأول", "كانون أول"],
    }
    return {normalize(w): num for num, words in names.items() for w in words}


MONTHS: dict[str, int] = _months()

EN_MONTHS: dict[str, int] = {
    name: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for name in names
}

WEEKDAYS: dict[str, int] = {}
for _i, _name in enumerate(["الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت", "الاحد"]):
    WEEKDAYS[_name] = _i
    WEEKDAYS[_name[2:]] = _i
WEEKDAYS["الثلاثا"] = 1  # frequent misspelling without the final hamza
WEEKDAYS["الاتنين"] = 0  # colloquial spelling

EN_WEEKDAYS: dict[str, int] = {
    d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
}


def month_number(name: str) -> int | None:
    """Month number for an Arabic or English month name as written (any spelling)."""
    for part in normalize(name).split("/"):  # combined forms: تشرين الثاني/نوفمبر
        n = " ".join(part.split()).rstrip(".")
        got = MONTHS.get(n) or EN_MONTHS.get(n)
        if got:
            return got
    return None


# ---------------------------------------------------------------------------------------
# News agencies (normalized names) for datelines and lone agency tags
# ---------------------------------------------------------------------------------------

AGENCIES: frozenset[str] = frozenset(
    normalize(a)
    for a in [
        "رويترز", "أ ف ب", "ا ف ب", "أ.ف.ب", "فرانس برس", "فرانس پرس", "وكالة فرانس برس",
        "فرانس 24", "فرانس24", "أسوشيتد برس", "أسوشيتدبرس", "اسوشيتد برس", "أ ب", "أ.ب",
        "د ب أ", "د.ب.أ", "سبوتنيك", "نوفوستي", "ريا نوفوستي", "تاس", "إيتار تاس", "سانا",
        "واس", "وام", "قنا", "كونا", "بنا", "واج", "وات", "ماب", "لاماب", "الأناضول",
        "وكالة الأناضول", "الأناضول للأنباء", "إرنا", "ارنا", "فارس", "تسنيم", "مهر",
        "شينخوا", "شينخوا الصينية", "كيودو", "يونهاب", "بترا", "معا", "وفا", "صفا", "قدس برس",
        "أ ش أ", "أ.ش.أ", "الأنباء الكويتية", "العمانية", "الأنباء العمانية", "سبأ", "سبأ نت",
        "الصين الجديدة", "بي بي سي", "CNN", "سي إن إن", "وكالات", "الوكالات", "مواقع",
        "الجزيرة", "الجزيرة نت", "العربية", "العربية نت", "سكاي نيوز", "سكاي نيوز عربية",
        "روسيا اليوم", "آر تي", "RT", "يورونيوز", "DPA", "AFP", "AP", "Reuters", "Sputnik",
        "Xinhua", "Anadolu", "TASS", "RIA Novosti", "IRNA", "Kyodo", "Yonhap", "EFE",
        "إفي", "إيفي", "أكي", "آكي", "الحياة", "الشرق الأوسط", "القدس العربي", "الأهرام",
        "المصري اليوم", "اليوم السابع", "النهار", "الشرق", "الخليج", "البيان", "الرياض",
        "عكاظ", "الوطن", "الرأي", "الغد", "الدستور", "الصباح", "الشروق", "أردو بوینت نتورك",
        "اردو پوائنٹ", "موقع", "خاص", "المصدر", "مراسلنا", "مراسلون", "متابعات",
    ]
)
# Names that are safe as *lone* agency lines (short lines consisting only of them): not
# newspaper names or words that also start ordinary lines.
_NOT_TAGS = frozenset(
    normalize(x)
    for x in ("موقع", "خاص", "المصدر", "مواقع", "العربية", "الشرق", "الخليج", "البيان", "الرياض",
              "الوطن", "الرأي", "الغد", "الدستور", "الصباح", "الشروق", "النهار", "الحياة")
)
_TAG_AGENCIES = sorted((a for a in AGENCIES if a not in _NOT_TAGS), key=len, reverse=True)
_TAG_SEP = r"[\s/\\\-–—|,،:.()\[\]«»\"'*+&]*"
_LONE_TAG = re.compile(
    rf"^{_TAG_SEP}(?:(?:المصدر|نقلا عن|عن)\s*[:\-]?\s*)?(?:(?:{'|'.join(re.escape(a) for a in _TAG_AGENCIES)}){_TAG_SEP}(?:و\s*)?)+$"
)

# ---------------------------------------------------------------------------------------
# Boilerplate
# ---------------------------------------------------------------------------------------

_LINE = re.compile(r"[^\r\n\u2028\u2029]+")
# Continuation marks: «(تستمر)», «(يتبع)», «-تتمة-»; end marks need brackets or dashes.
_CONT_WORDS = r"(?:تستمر|يتبع|تتمة|تتمه|تتبع)"
_END_WORDS = r"(?:انتهى|انتهي|النهاية|end|more)"
_CONTINUATION_INLINE = re.compile(
    rf"[(\[]\s*(?:{_CONT_WORDS}|{_END_WORDS})\s*(?:\.\.\.|…)?\s*[)\]]"
    rf"|(?<![\w])[-–—]{{1,2}}\s*(?:{_CONT_WORDS}|{_END_WORDS})\s*[-–—]{{1,2}}(?![\w])",
    re.IGNORECASE,
)
_CONTINUATION_LINE = re.compile(
    rf"^(?:[\s*«]*{_CONT_WORDS}\s*(?:\.\.\.|…|\.)?[\s»]*"
    rf"|[\s*«]*(?:[(\[]|[-–—]{{1,2}})\s*(?:{_CONT_WORDS}|{_END_WORDS})\s*(?:\.\.\.|…)?\s*(?:[)\]]|[-–—]{{1,2}})[\s»]*)$",
    re.IGNORECASE,
)
_SEPARATOR_LINE = re.compile(r"^[\s\-–—_=*~#•·.+<>|]{3,}$")

# Footer/boilerplate line openings, tested on the *normalized* line.
_FOOTER_START = [
    (re.compile(r"^[\s*#•\-–—]*افكارك\s+وتعليقاتك"), "footer: comments"),
    (re.compile(r"^[\s*#•\-–—]*(?:شارك|شاركوا|انشر)\s+(?:هذا\s+)?(?:المقال|الخبر|الموضوع|المقاله|الصفحه)(?:\s|:|$)"), "footer: share"),
    (re.compile(r"^[\s*#•\-–—]*(?:شارك|شاركوا|انشر)\s+(?:علي|عبر)\s+(?:فيسبوك|فيس\s+بوك|تويتر|واتساب|واتس\s+اب|تلغرام)"), "footer: share"),
    (re.compile(r"^[\s*#•\-–—]*(?:اقرا|اقراوا|طالع|شاهد)\s+(?:ايضا|ايضاً|كذلك|المزيد)"), "read also"),
    (re.compile(r"^[\s*#•\-–—]*(?:للمزيد|لمزيد)\s*(?:[:\-–—]|من\s+(?:التفاصيل|المعلومات|الاخبار|الاخبار)|$)"), "read also"),
    (re.compile(r"^[\s*#•\-–—]*(?:مواضيع|اخبار|مقالات|موضوعات)\s+(?:ذات\s+صله|متعلقه|مشابهه)"), "read also"),
    (re.compile(r"^[\s*#•\-–—]*(?:تابعونا|تابعوا|تابعنا|يمكنكم\s+متابعه)\s"), "footer: follow us"),
    (re.compile(r"^[\s*#•\-–—]*يمكنكم\s+(?:استلام|تسلم)\s+اشعارات"), "footer: app"),
    (re.compile(r"^[\s*#•\-–—]*(?:حمل|حملوا|نزل)\s+تطبيق"), "footer: app"),
    (re.compile(r"^[\s*#•\-–—]*(?:جميع|كل)\s+المقالات\s+المنشوره\s+تمثل"), "disclaimer"),
    (re.compile(r"^[\s*#•\-–—]*(?:المقال|المقالات|الاراء)\s+(?:المنشور|المنشوره)?\s*(?:تعبر|يعبر)\s+عن\s+راي"), "disclaimer"),
    (re.compile(r"^[\s*#•\-–—]*(?:نقلا\s+عن|المصدر\s*:)"), "source note"),
    (re.compile(r"©|^\W*(?:\(c\)|copyright\b)|all rights reserved|جميع\s+الحقوق\s+محفوظه|حقوق\s+(?:النشر|الطبع)(?:\s+والنشر)?\s+محفوظه"), "copyright"),
    (re.compile(r"^[\s*#•\-–—]*(?:share(?: this(?: article| story)?)?|follow us(?: on \w+)?|read more|related(?: articles| stories| news| coverage)?|advertisement|اعلان)\W*$"), "footer"),
]
_FOOTER_ANY = re.compile("|".join(f"(?P<f{i}>{rx.pattern})" for i, (rx, _why) in enumerate(_FOOTER_START)))
_FOOTER_REASON = {f"f{i}": why for i, (_rx, why) in enumerate(_FOOTER_START)}
_MAX_FOOTER_LEN = 200


def _line_key(s: str) -> str:
    """Comparison key for repeated-title detection."""
    n = normalize(s)
    n = re.sub(r"[\W_]+", " ", n)
    return " ".join(n.split())


def _lines(text: str) -> list[tuple[int, int]]:
    """Trimmed, non-empty line spans."""
    out = []
    for m in _LINE.finditer(text):
        s, e = m.span()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def find_boilerplate(text: str, title: str = "") -> list[tuple[tuple[int, int], str]]:
    """Spans of ``text`` to drop, each with a reason, sorted and non-overlapping.

    ``title``: the document title, if any; a first line equal to it is dropped.
    """
    if not text:
        return []
    lines = _lines(text)
    removed: list[tuple[tuple[int, int], str]] = []
    dropped: set[int] = set()

    # Repeated title at the top: keep the first line, drop identical lines right after it
    # (blank lines in between are fine).  Also drop a first line equal to the given title.
    if lines:
        title_key = _line_key(title) if title else ""
        first_key = _line_key(text[lines[0][0]: lines[0][1]])
        if title_key and first_key == title_key:
            removed.append((lines[0], "title repeated in text"))
            dropped.add(0)
        i = 1
        while first_key and i < len(lines) and i <= 3:
            if _line_key(text[lines[i][0]: lines[i][1]]) == first_key:
                removed.append((lines[i], "repeated title"))
                dropped.add(i)
                i += 1
            else:
                break

    n_lines = len(lines)
    for idx, (s, e) in enumerate(lines):
        if idx in dropped:
            continue
        line = text[s:e]
        length = e - s
        reason = None
        if length <= _MAX_FOOTER_LEN:
            if _SEPARATOR_LINE.match(line):
                reason = "separator"
            elif _CONTINUATION_LINE.match(line):
                reason = "continuation mark"
            else:
                norm = normalize(line)
                fm = _FOOTER_ANY.search(norm)
                if fm is not None:
                    reason = _FOOTER_REASON[fm.lastgroup]
                if reason is None and length <= 80 and _LONE_TAG.match(norm):
                    reason = "agency tag"
                if reason == "source note" and length > 80:
                    reason = None  # "نقلا عن مصادر…" opening a real paragraph
        if reason is not None:
            removed.append(((s, e), reason))
            dropped.add(idx)
            # "اقرأ أيضا:" alone on its line: the linked headline follows.
            if reason == "read also" and re.search(r"[:：]\s*$|ايضا\s*$", normalize(line)):
                j = idx + 1
                if j < n_lines and j not in dropped and lines[j][1] - lines[j][0] <= 150:
                    removed.append((lines[j], "read also"))
                    dropped.add(j)
            continue
        # Inline continuation marks at the end of a paragraph: "... النار. (يتبع)".
        for m in _CONTINUATION_INLINE.finditer(text, s, e):
            removed.append((m.span(), "continuation mark"))

    removed.sort(key=lambda r: r[0])
    # merge overlaps (keep the first reason)
    merged: list[tuple[tuple[int, int], str]] = []
    for span, why in removed:
        if merged and span[0] < merged[-1][0][1]:
            (ps, pe), pw = merged[-1]
            merged[-1] = ((ps, max(pe, span[1])), pw)
        else:
            merged.append((span, why))
    return merged


# ---------------------------------------------------------------------------------------
# Datelines
# ---------------------------------------------------------------------------------------

_MONTH_ALT = "|".join(loose_pattern(k) for k in sorted(MONTHS, key=len, reverse=True))
_DIG = r"[0-9\u0660-\u0669\u06f0-\u06f9]"
_DASH = r"[-–—]"
# Arabic place: 1-3 words of Arabic letters (no digits), e.g. موسكو / الدار البيضاء / رام الله.
_AR_W = r"[\u0621-\u064a\u0671-\u06d3\u06d5\u0640\u064b-\u0652]{2,}"
_AR_PLACE = rf"{_AR_W}(?:[ \u00a0]{_AR_W}){{0,2}}"
_DATE = (
    rf"(?:(?P<wd>{'|'.join(loose_pattern(w) for w in sorted(WEEKDAYS, key=len, reverse=True))})\s*[،,]?\s*)?"
    rf"(?P<day>{_DIG}{{1,2}})\s*(?P<month>(?:{_MONTH_ALT})(?:\s*/\s*(?:{_MONTH_ALT}))?)(?![\u0621-\u064a])"
    rf"(?:\s*[،,]?\s*(?P<year>{_DIG}{{4}}))?"
)
_PAREN = r"\(\s*(?P<agency>[^()\n]{1,60}?)\s*\)"
_QUOTED = r"[«\"“]\s*(?P<qagency>[^«»\"“”\n]{1,40}?)\s*[»\"”]"
_AR_DATELINE = [
    # موسكو، 14 ماي - (سبوتنيك) -   /   بيروت (رويترز) -   /  دبي، الإمارات العربية المتحدة (CNN)--
    re.compile(
        rf"(?P<place>{_AR_PLACE})(?:\s*[،,]\s*(?P<place2>{_AR_PLACE}))?\s*[،,]?\s*(?:{_DATE})?\s*(?:{_DASH}\s*)?"
        rf"{_PAREN}\s*(?P<tail>{_DASH}{{1,2}}|:)?"
    ),
    # القاهرة - «الحياة»:   /   دمشق - سانا:
    re.compile(
        rf"(?P<place>{_AR_PLACE})\s*[،,]?\s*(?:{_DATE})?\s*{_DASH}\s*(?:{_QUOTED}|(?P<agency>[^\s:«»\"\n\-–—][^:«»\"\n\-–—]{{0,30}}?))\s*(?P<tail>:|{_DASH}{{1,2}})"
    ),
    # موسكو، 14 ماي -   (date, no agency)
    re.compile(rf"(?P<place>{_AR_PLACE})\s*[،,]\s*{_DATE}\s*(?P<tail>{_DASH}{{1,2}}|:)"),
    # (CNN)--  at the very start, no place
    re.compile(rf"{_PAREN}\s*(?P<tail>{_DASH}{{1,2}}|:)"),
]
_EN_MONTH_ALT = "|".join(sorted(EN_MONTHS, key=len, reverse=True))
_EN_DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Za-z.'\-]+(?:[ \u00a0][A-Z][A-Za-z.'\-]+){0,3})"
    r"(?:,\s*(?P<place2>[A-Z][A-Za-z.'\-]+(?: [A-Z][A-Za-z.'\-]+){0,2}))?"
    rf"(?:,\s*(?:(?P<en_month>(?i:{_EN_MONTH_ALT}))\.?\s+(?P<en_day>\d{{1,2}})|(?P<en_day2>\d{{1,2}})\s+(?P<en_month2>(?i:{_EN_MONTH_ALT}))\.?)(?:,?\s+(?P<year>\d{{4}}))?)?"
    r"\s*\(\s*(?P<agency>[^()\n]{1,40}?)\s*\)\s*(?P<tail>[-–—]{1,2}|:)?"
)
_AGENCY_SPLIT = re.compile(r"\s*(?:[/|،,۔;]|\s-\s|\sو\s)\s*")
_WS_AFTER = re.compile(r"[\s\u200e\u200f]*")
# Words that start a sentence, not a dateline place (verbs of saying etc.).
_NOT_PLACE_START = frozenset(
    normalize(w)
    for w in (
        "قال", "قالت", "أعلن", "أعلنت", "أكد", "أكدت", "ذكر", "ذكرت", "أفاد", "أفادت", "في",
        "من", "على", "إلى", "عن", "مع", "بعد", "قبل", "أن", "إن", "هذا", "هذه", "كما",
        "الرئيس", "رئيس", "وزير", "وزيرة", "الوزير", "الملك", "الأمير", "الشيخ", "المتحدث",
        "السيد", "الدكتور", "النائب", "الجيش", "الحكومة", "وزارة", "الشرطة",
    )
)


def _agencies(raw: str) -> list[str]:
    parts = [p.strip(" -–—:«»\"“”'") for p in _AGENCY_SPLIT.split(raw)]
    return [p for p in parts if p and re.search(r"\w", p)]


def _known_agency(raw: str) -> bool:
    return any(normalize(a).strip(" .") in AGENCIES for a in _agencies(raw))


def _month_from(raw: str) -> int | None:
    return month_number(raw)


def parse_dateline(text: str, start: int = 0) -> Dateline | None:
    """Parse a dateline at ``text[start:]`` (leading whitespace skipped); None if absent."""
    if not text or start >= len(text):
        return None
    s = _WS_AFTER.match(text, start).end()
    window_end = min(len(text), s + 250)
    head = text[s:window_end]
    nl = head.find("\n")
    if nl == 0:
        return None
    for rx in _AR_DATELINE:
        m = rx.match(text, s, window_end if nl < 0 else s + nl)
        if not m:
            continue
        gd = m.groupdict()
        place = (gd.get("place") or "").strip()
        if place:
            first = normalize(place.split()[0])
            if first in _NOT_PLACE_START:
                continue
        agency_raw = gd.get("agency") or gd.get("qagency") or ""
        has_date = bool(gd.get("day"))
        tail = gd.get("tail")
        if rx is _AR_DATELINE[0] or rx is _AR_DATELINE[3]:
            # an unknown name in brackets needs a dash after it and must be short
            if not _known_agency(agency_raw) and (not tail or tail == ":" or len(agency_raw.split()) > 4):
                continue
        elif rx is _AR_DATELINE[1]:
            if not gd.get("qagency") and not _known_agency(agency_raw):
                continue
        return _make(text, m, place, agency_raw, has_date)
    m = _EN_DATELINE.match(text, s, window_end if nl < 0 else s + nl)
    if m:
        place = m.group("place")
        # a known agency, or an upper-case place with a dash: "WASHINGTON (AP) —"
        if _known_agency(m.group("agency")) or (place.isupper() and m.group("tail")):
            return _make(text, m, place, m.group("agency"), False)
    return None


def _make(text: str, m: re.Match, place: str, agency_raw: str, has_date: bool) -> Dateline:
    gd = m.groupdict()
    day = month = year = None
    if gd.get("day"):
        try:
            day = int(gd["day"])
            month = _month_from(gd["month"])
        except (TypeError, ValueError):
            day = month = None
    elif gd.get("en_day") or gd.get("en_day2"):
        day = int(gd.get("en_day") or gd.get("en_day2"))
        month = EN_MONTHS.get((gd.get("en_month") or gd.get("en_month2") or "").lower())
    if gd.get("year"):
        try:
            year = int(gd["year"])
        except ValueError:
            year = None
    if day is not None and not 1 <= day <= 31:
        day = None
    end = m.end()
    return Dateline(
        place_text=place.strip(),
        day=day,
        month=month,
        year=year,
        agencies=_agencies(agency_raw),
        span=(m.start(), end),
    )


def clean_document(doc: Document) -> None:
    """Fill ``doc.removed`` (boilerplate) and ``doc.dateline`` (place text only)."""
    text = doc.text or ""
    removed = find_boilerplate(text, doc.title or "")
    doc.removed = removed
    # The dateline opens the first paragraph.  A title-like first line (short, no final
    # full stop) may precede it when the text repeats its headline, so up to three
    # leading title-like lines are skipped.
    doc.dateline = None
    spans = [span for span, _why in removed]
    for idx, (s, e) in enumerate(_lines(text)):
        if idx > 3:
            break
        if any(rs <= s < re_ for rs, re_ in spans):
            continue
        dl = parse_dateline(text, s)
        if dl is not None:
            doc.dateline = dl
            break
        line = text[s:e]
        if e - s > 200 or line.rstrip("\"'»”)").endswith((".", "۔")):
            break
