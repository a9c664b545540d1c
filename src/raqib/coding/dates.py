"""Date expressions in Arabic and English news, resolved against the publication date.

Expressions are found with regular expressions over a *folded* copy of the sentence: a
one-to-one character mapping (digits to ASCII, alef/hamza forms to ا, ى to ي, ة to ه) so the
match offsets are offsets into the original text.

Precision is one of ``day``, ``week``, ``month``, ``year``. A resolved date is an ISO string
of that precision (``2020-11-09``, ``2020-11``, ``2020``); ``week`` resolves to the day a week
before the reference with precision ``week``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from raqib.text.clean import MONTHS, WEEKDAYS
from raqib.text.normalize import normalize

_FOLD = str.maketrans({**{chr(0x660 + i): str(i) for i in range(10)},
                       **{chr(0x6F0 + i): str(i) for i in range(10)},
                       "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه",
                       "ی": "ي", "ک": "ك", "\u0640": " "})


def fold(text: str) -> str:
    """One-to-one folding: ``len(fold(s)) == len(s)`` always."""
    return text.translate(_FOLD)


EN_MONTHS = {m.lower(): i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"], 1)}
EN_MONTHS.update({k[:3]: v for k, v in list(EN_MONTHS.items())})
EN_MONTHS["sept"] = 9
EN_WEEKDAYS = {d.lower(): i for i, d in enumerate(
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])}


@dataclass(slots=True)
class DateExpr:
    span: tuple[int, int]  # into the sentence's own string
    text: str
    kind: str  # absolute | month | year | relative | weekday
    day: int | None = None
    month: int | None = None
    year: int | None = None
    offset_days: int | None = None  # relative: days from the reference date
    weekday: int | None = None
    direction: str = ""  # "past" / "future" / "" (for weekday and month without year)
    precision: str = "day"

    def resolve(self, ref: dt.date | None) -> tuple[str | None, str]:
        """(ISO date of the expression's precision, precision) given the reference date."""
        try:
            return self._resolve(ref)
        except (ValueError, OverflowError):
            return None, self.precision

    def _resolve(self, ref: dt.date | None) -> tuple[str | None, str]:
        if self.kind == "absolute":
            year = self.year
            if year is None:
                if ref is None:
                    return None, "day"
                year = _nearest_year(ref, self.month, self.day, self.direction)
            return dt.date(year, self.month, self.day).isoformat(), "day"
        if self.kind == "month":
            year = self.year
            if year is None:
                if ref is None:
                    return None, "month"
                year = _nearest_year(ref, self.month, 1, self.direction)
            return f"{year:04d}-{self.month:02d}", "month"
        if self.kind == "year":
            if self.year is None:
                return (None, "year") if ref is None else (f"{ref.year + self.offset_days:04d}",
                                                           "year")
            return f"{self.year:04d}", "year"
        if ref is None:
            return None, self.precision
        if self.kind == "relative":
            day = ref + dt.timedelta(days=self.offset_days or 0)
            if self.precision == "month":
                return f"{day.year:04d}-{day.month:02d}", "month"
            return day.isoformat(), self.precision
        if self.kind == "weekday":
            delta = (ref.weekday() - self.weekday) % 7
            if self.direction == "future":
                delta = -((self.weekday - ref.weekday()) % 7 or 7)
            elif self.direction == "past" and delta == 0:
                delta = 7
            return (ref - dt.timedelta(days=delta)).isoformat(), "day"
        return None, self.precision


def _nearest_year(ref: dt.date, month: int, day: int, direction: str) -> int:
    """Year for a day-month with no year: the latest not after ref (past), or the next
    one on/after ref (future); with no direction the one closest to ref."""
    this = dt.date(ref.year, month, min(day, 28))
    if direction == "past":
        return ref.year if this <= ref else ref.year - 1
    if direction == "future":
        return ref.year if this >= ref else ref.year + 1
    candidates = [ref.year - 1, ref.year, ref.year + 1]
    return min(candidates, key=lambda y: abs((dt.date(y, month, min(day, 28)) - ref).days))


# ----------------------------------------------------------------------------- patterns

def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def _patterns():
    mon = _alt(MONTHS)
    mon_any = rf"(?:{mon})(?:\s*[/\\(-]\s*(?:{mon})\)?)?"
    rel = r"(?:\s+(?P<rel>الماضي|الماضيه|المنصرم|المنصرمه|الفائت|المقبل|المقبله|القادم|القادمه|الجاري|الحالي))?"
    year = r"(?:\s*(?:من\s+)?(?:عام|سنه|العام)?\s*(?P<year>(?:19|20)\d\d))?"
    day = r"(?:ال\s*)?(?P<day>[0-3]?\d)(?!\d)"
    b = r"(?<![\w])"
    e = r"(?![\w])"
    wd = _alt(WEEKDAYS)
    ar_abs = re.compile(rf"{b}{day}\s*(?:من\s+)?(?:شهر\s+)?(?P<mon>{mon_any}){year}{rel}{e}")
    ar_month = re.compile(rf"{b}(?:شهر\s+)?(?P<mon>{mon_any})(?:\s+(?:من\s+)?(?:عام\s+|سنه\s+)?(?P<year>(?:19|20)\d\d))?{rel}{e}")
    ar_year = re.compile(rf"{b}(?:عام|سنه|العام)\s+(?P<year>(?:19|20)\d\d){e}|{b}(?P<year2>(?:19|20)\d\d){e}")
    ar_rel = re.compile(
        rf"{b}(?P<rel>اول\s+من\s+امس|اول\s+امس|امس\s+الاول|امس|البارحه|اليوم|غدا|بعد\s+غد|"
        rf"(?:الاسبوع|الشهر|العام|السنه)\s+(?:الماضي|الماضيه|المنصرم|الفائت|المقبل|القادم|الجاري|الحالي)|"
        rf"هذا\s+العام|العام\s+الجاري|هذا\s+الاسبوع|هذا\s+الشهر){e}")
    ar_weekday = re.compile(
        rf"{b}(?:يوم\s+)?(?P<wd>{wd})(?:\s+(?P<rel>الماضي|المقبل|القادم|الفائت|المنصرم))?{e}")
    numeric = re.compile(r"(?<!\d)(?:(?P<y1>(?:19|20)\d\d)[-/.](?P<m1>[01]?\d)[-/.](?P<d1>[0-3]?\d)|"
                         r"(?P<d2>[0-3]?\d)[-/.](?P<m2>[01]?\d)[-/.](?P<y2>(?:19|20)\d\d))(?!\d)")
    en_mon = _alt(EN_MONTHS)
    en_abs = re.compile(rf"(?i)\b(?:(?P<mon>{en_mon})\.?\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?|"
                        rf"(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?P<mon2>{en_mon})\.?)"
                        rf"(?:,?\s+(?P<year>(?:19|20)\d\d))?\b")
    en_rel = re.compile(r"(?i)\b(?P<rel>today|yesterday|tomorrow|last\s+week|last\s+month|"
                        r"last\s+year|this\s+week|this\s+month|this\s+year|next\s+week)\b")
    en_wd = re.compile(rf"(?i)\b(?:(?P<dir>last|next|on)\s+)?(?P<wd>{_alt(EN_WEEKDAYS)})\b")
    en_year = re.compile(r"(?i)\bin\s+(?P<year>(?:19|20)\d\d)\b")
    return ar_abs, ar_month, ar_year, ar_rel, ar_weekday, numeric, en_abs, en_rel, en_wd, en_year


def _month_of(text: str) -> int | None:
    m = MONTHS.get(text)
    if m is not None:
        return m
    for part in re.split(r"\s*[/\\(-]\s*", text):
        part = part.strip(" )")
        if part in MONTHS:
            return MONTHS[part]
    return None


_PAST = {"الماضي", "الماضيه", "المنصرم", "المنصرمه", "الفائت"}
_FUTURE = {"المقبل", "المقبله", "القادم", "القادمه"}
_AR_REL = {"امس": (-1, "day"), "البارحه": (-1, "day"), "اليوم": (0, "day"), "غدا": (1, "day"),
           "اول امس": (-2, "day"), "اول من امس": (-2, "day"), "امس الاول": (-2, "day"),
           "بعد غد": (2, "day"), "الاسبوع الماضي": (-7, "week"),
           "الاسبوع المقبل": (7, "week"), "الاسبوع القادم": (7, "week"),
           "هذا الاسبوع": (0, "week"), "الاسبوع الجاري": (0, "week"),
           "الاسبوع الحالي": (0, "week")}
_EN_REL = {"today": (0, "day"), "yesterday": (-1, "day"), "tomorrow": (1, "day"),
           "last week": (-7, "week"), "this week": (0, "week"), "next week": (7, "week")}


def find_dates(sentence: str) -> list[DateExpr]:
    """All date expressions in a sentence, non-overlapping, most specific first."""
    f = fold(sentence)
    (ar_abs, ar_month, ar_year, ar_rel, ar_weekday, numeric, en_abs, en_rel, en_wd,
     en_year) = _patterns()
    found: list[DateExpr] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def add(expr: DateExpr) -> None:
        if free(*expr.span):
            taken.append(expr.span)
            found.append(expr)

    for m in numeric.finditer(f):
        y, mo, d = ((m["y1"], m["m1"], m["d1"]) if m["y1"] else (m["y2"], m["m2"], m["d2"]))
        if 1 <= int(mo) <= 12 and 1 <= int(d) <= 31:
            add(DateExpr(m.span(), sentence[m.start():m.end()], "absolute", int(d), int(mo),
                         int(y)))
    for m in ar_abs.finditer(f):
        month = _month_of(normalize(m["mon"]))
        d = int(m["day"])
        if month and 1 <= d <= 31:
            rel = m["rel"] or ""
            direction = "past" if rel in _PAST else "future" if rel in _FUTURE else ""
            add(DateExpr(m.span(), sentence[m.start():m.end()], "absolute", d, month,
                         int(m["year"]) if m["year"] else None, direction=direction))
    for m in en_abs.finditer(f):
        mon = (m["mon"] or m["mon2"]).lower().rstrip(".")
        d = int(m["day"] or m["day2"])
        if mon in EN_MONTHS and 1 <= d <= 31:
            add(DateExpr(m.span(), sentence[m.start():m.end()], "absolute", d, EN_MONTHS[mon],
                         int(m["year"]) if m["year"] else None))
    for m in ar_month.finditer(f):
        month = _month_of(normalize(m["mon"]))
        if not month:
            continue
        rel = m["rel"] or ""
        direction = "past" if rel in _PAST else "future" if rel in _FUTURE else ""
        if not m["year"] and not rel and not f[max(0, m.start() - 4):m.start()].strip().endswith(("في", "شهر")):
            continue  # a bare month name («مارس») is too ambiguous without في/شهر/year
        add(DateExpr(m.span(), sentence[m.start():m.end()], "month", None, month,
                     int(m["year"]) if m["year"] else None, direction=direction,
                     precision="month"))
    for m in ar_rel.finditer(f):
        rel = re.sub(r"\s+", " ", m["rel"])
        if rel in _AR_REL:
            off, prec = _AR_REL[rel]
            add(DateExpr(m.span(), sentence[m.start():m.end()], "relative", offset_days=off,
                         precision=prec))
        elif rel.startswith(("الشهر",)) or rel == "هذا الشهر":
            off = -30 if rel.endswith(("الماضي", "المنصرم", "الفائت")) else (
                30 if rel.endswith(("المقبل", "القادم")) else 0)
            add(DateExpr(m.span(), sentence[m.start():m.end()], "relative", offset_days=off,
                         precision="month"))
        else:  # العام/السنه ...
            off = -1 if rel.endswith(("الماضي", "الماضيه", "المنصرم", "الفائت")) else (
                1 if rel.endswith(("المقبل", "القادم")) else 0)
            add(DateExpr(m.span(), sentence[m.start():m.end()], "year", offset_days=off,
                         precision="year"))
    for m in ar_weekday.finditer(f):
        wd = WEEKDAYS.get(normalize(m["wd"]))
        if wd is None:
            continue
        token = m["wd"]
        if not (token.startswith("ال") or f[m.start():m.start() + 3] == "يوم"):
            continue
        rel = m["rel"] or ""
        direction = "past" if rel in _PAST else "future" if rel in _FUTURE else ""
        add(DateExpr(m.span(), sentence[m.start():m.end()], "weekday", weekday=wd,
                     direction=direction))
    for m in en_rel.finditer(f):
        rel = re.sub(r"\s+", " ", m["rel"].lower())
        if rel in _EN_REL:
            off, prec = _EN_REL[rel]
            add(DateExpr(m.span(), sentence[m.start():m.end()], "relative", offset_days=off,
                         precision=prec))
        else:
            unit = rel.split()[-1]
            off = -1 if rel.startswith("last") else 0
            if unit == "month":
                add(DateExpr(m.span(), sentence[m.start():m.end()], "relative",
                             offset_days=30 * off, precision="month"))
            else:
                add(DateExpr(m.span(), sentence[m.start():m.end()], "year", offset_days=off,
                             precision="year"))
    for m in en_wd.finditer(f):
        wd = EN_WEEKDAYS[m["wd"].lower()]
        d = (m["dir"] or "").lower()
        add(DateExpr(m.span(), sentence[m.start():m.end()], "weekday", weekday=wd,
                     direction="past" if d == "last" else "future" if d == "next" else ""))
    for m in ar_year.finditer(f):
        y = m["year"] or m["year2"]
        add(DateExpr(m.span(), sentence[m.start():m.end()], "year", year=int(y),
                     precision="year"))
    for m in en_year.finditer(f):
        add(DateExpr(m.span(), sentence[m.start():m.end()], "year", year=int(m["year"]),
                     precision="year"))
    found.sort(key=lambda x: x.span)
    return found


def infer_publication_date(day: int | None, month: int | None, year: int | None,
                           text_dates: list[DateExpr]) -> tuple[dt.date | None, str]:
    """Publication date from a dateline (day, month[, year]) and clues in the text.

    Without a year, candidate years run from the latest year the article mentions to two
    years after; a weekday said to be today («اليوم الجمعة») picks the year whose calendar
    agrees; month references marked past («نوفمبر الماضي») must fall before the date.
    """
    if not (day and month):
        return None, ""
    if year:
        try:
            return dt.date(year, month, day), "dateline"
        except ValueError:
            return None, ""
    years = [e.year for e in text_dates if e.year]
    base = max(years) if years else None
    if base is None:
        return None, ""
    today_weekdays = {e.weekday for e in text_dates if e.kind == "weekday" and e.direction == ""}
    past_months = [(e.year, e.month) for e in text_dates if e.month and e.direction == "past"]
    best = None
    for y in (base, base + 1, base + 2):
        try:
            cand = dt.date(y, month, day)
        except ValueError:
            continue
        score = 0
        if today_weekdays:
            score += 2 if cand.weekday() in today_weekdays else -2
        for py, pm in past_months:
            if py is not None and (py, pm) < (cand.year, cand.month) and cand.year - py <= 1:
                score += 1
            elif py is not None:
                score -= 1
        score -= (y - base) * 0.1
        if best is None or score > best[0]:
            best = (score, cand)
    return (best[1], "dateline+weekday" if today_weekdays else "dateline+years") if best else (
        None, "")
