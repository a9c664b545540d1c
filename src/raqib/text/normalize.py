"""Normalization of Arabic (and Latin) strings for dictionary matching.

``normalize`` returns a *new* string used only for lookups: it may be shorter than its
input, so character offsets must never be computed from it (tokens keep spans into the
original text).

Choices (all one-to-one character mappings applied with ``str.translate``):

* Arabic diacritics are removed: tanwin, harakat, shadda, sukun, superscript alef, the
  combining madda/hamza marks (U+0653-U+0655), the small high signs U+0610-U+061A and the
  Quranic annotation marks U+06D6-U+06ED; tatweel (U+0640) is removed too.
* Zero-width and bidi control characters are removed (U+200B-U+200F, U+202A-U+202E,
  U+2060, U+2066-U+2069, U+FEFF, U+061C, U+00AD).
* Alef variants أ إ آ ٱ ٲ ٳ ٵ -> ا (spelling of hamza on alef is very inconsistent in news).
* ى -> ي and ة -> ه: both pairs are written interchangeably in much of the press
  (Egyptian usage writes final ي as ى; ة is often typed as ه).  Note the consequence:
  a normalized final ه may stand for ة, so the clitic splitter never strips a final ه
  without dictionary evidence.
* ؤ -> و and ئ -> ي: hamza seats follow the same "letter without hamza" convention, so
  that e.g. مسؤول / مسئول / مسوول all meet at مسوول, رئيس / رييس at رييس.
* Persian/Urdu/Kurdish letter variants: ی ې ۍ ے ۓ -> ي, ک ګ گ -> ك, ۀ ە ۃ ہ ھ -> ه,
  ٹ -> ت, ڈ -> د, ڑ -> ر, ں -> ن, ۔ (Urdu full stop) -> ".".
* Arabic-Indic (٠-٩) and extended Arabic-Indic (۰-۹) digits -> 0-9; ٫ -> ".", ٬ -> ",",
  ٪ -> "%".
* Arabic presentation forms (U+FB50-U+FDFF, U+FE70-U+FEFC) are decomposed to the base
  letters (then mapped as above).
* Unusual spaces (no-break space etc.) -> " ".
* Latin letters are lowercased.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "ARABIC_LETTERS",
    "ARABIC_DIACRITICS",
    "BIDI_CONTROLS",
    "normalize",
    "strip_diacritics",
    "fold_alef_hamza",
    "normalize_digits",
    "is_arabic_letter",
    "loose_pattern",
]

# The 28 base letters plus hamza forms, alef maqsura and taa marbuta (standard Arabic).
ARABIC_LETTERS = "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي"
# Letters as they look after ``normalize`` (no hamza seats, no ة / ى).
NORMALIZED_ARABIC_LETTERS = "ءابتثجحخدذرزسشصضطظعغفقكلمنهوي"

ARABIC_DIACRITICS = (
    "".join(chr(c) for c in range(0x064B, 0x0660))  # tanwin, harakat, shadda, sukun, marks
    + "\u0670"  # superscript (dagger) alef
    + "".join(chr(c) for c in range(0x0610, 0x061B))  # small high signs
    + "".join(chr(c) for c in range(0x06D6, 0x06DD))  # Quranic annotation marks
    + "".join(chr(c) for c in range(0x06DF, 0x06E9))
    + "".join(chr(c) for c in range(0x06EA, 0x06EE))
)
TATWEEL = "\u0640"
BIDI_CONTROLS = (
    "".join(chr(c) for c in range(0x200B, 0x2010))
    + "".join(chr(c) for c in range(0x202A, 0x202F))
    + "".join(chr(c) for c in range(0x2066, 0x206A))
    + "\u2060\ufeff\u061c\u00ad"
)

_LETTER_MAP = {
    # alef variants
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا", "ٵ": "ا",
    # yeh / alef maqsura and Persian-Urdu yeh forms
    "ى": "ي", "ی": "ي", "ې": "ي", "ۍ": "ي", "ے": "ي", "ۓ": "ي", "ئ": "ي",
    # taa marbuta and heh variants
    "ة": "ه", "ۀ": "ه", "ە": "ه", "ۃ": "ه", "ہ": "ه", "ھ": "ه",
    # waw with hamza
    "ؤ": "و", "ۄ": "و", "ۆ": "و", "ۇ": "و", "ۈ": "و", "ۋ": "و",
    # kaf variants
    "ک": "ك", "ګ": "ك", "گ": "ك", "ڪ": "ك",
    # other Urdu letters
    "ٹ": "ت", "ڈ": "د", "ڑ": "ر", "ں": "ن", "ٺ": "ت",
    # punctuation and number signs
    "۔": ".", "٫": ".", "٬": ",", "٪": "%",
}

_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for ch in ARABIC_DIACRITICS + TATWEEL + BIDI_CONTROLS:
        table[ord(ch)] = None
    for src, dst in _LETTER_MAP.items():
        table[ord(src)] = dst
    for i in range(10):
        table[0x0660 + i] = str(i)
        table[0x06F0 + i] = str(i)
    for ch in _SPACES:
        table[ord(ch)] = " "
    for c in range(ord("A"), ord("Z") + 1):
        table[c] = chr(c + 32)

    def apply(s: str) -> str:
        out = []
        for ch in s:
            v = table.get(ord(ch), ch)
            if v:
                out.append(v)
        return "".join(out)

    # Presentation forms: decompose with NFKC, then apply the mappings above.
    for c in list(range(0xFB50, 0xFE00)) + list(range(0xFE70, 0xFEFD)):
        ch = chr(c)
        if unicodedata.category(ch) == "Cn":
            continue
        dec = unicodedata.normalize("NFKC", ch)
        if dec != ch:
            table[c] = apply(dec)
    return table


_TABLE = _build_table()
_HAS_UPPER_NON_ASCII = re.compile(r"[\u00c0-\u024f\u0370-\u052f]")

_DIACRITICS_TABLE = {ord(ch): None for ch in ARABIC_DIACRITICS + TATWEEL}
_ALEF_TABLE = {ord(k): v for k, v in _LETTER_MAP.items() if v == "ا"}
_DIGIT_TABLE = {0x0660 + i: str(i) for i in range(10)} | {0x06F0 + i: str(i) for i in range(10)}


def normalize(s: str) -> str:
    """Return the matching form of ``s`` (see the module docstring for the mappings)."""
    out = s.translate(_TABLE)
    if not out.isascii() and _HAS_UPPER_NON_ASCII.search(out):
        out = out.lower()
    return out


def strip_diacritics(s: str) -> str:
    """Remove Arabic diacritics and tatweel only (letters unchanged)."""
    return s.translate(_DIACRITICS_TABLE)


def fold_alef_hamza(s: str) -> str:
    """Map alef variants (أ إ آ ٱ …) to bare alef; nothing else changes."""
    return s.translate(_ALEF_TABLE)


def normalize_digits(s: str) -> str:
    """Map Arabic-Indic and extended Arabic-Indic digits to ASCII digits."""
    return s.translate(_DIGIT_TABLE)


_AR_LETTER_RE = re.compile(r"[\u0621-\u063a\u0641-\u064a\u066e-\u06d3\u06d5\u06fa-\u06fc\u06ff\u0750-\u077f\u08a0-\u08ff]")


def is_arabic_letter(ch: str) -> bool:
    """True for a single Arabic-script letter (not a diacritic, digit or punctuation)."""
    return bool(ch) and _AR_LETTER_RE.fullmatch(ch) is not None


# Raw-text variants of each normalized letter, for building tolerant regexes.
_LOOSE = {
    "ا": "[اأإآٱٲٳٵ]",
    "ي": "[يىیېۍےۓئ]",
    "ه": "[هةۀەۃہھ]",
    "و": "[وؤ]",
    "ك": "[كکګگڪ]",
}
_MARKS = "[\u064b-\u065f\u0670\u0640]*"


def loose_pattern(norm: str) -> str:
    """Regex source matching raw spellings of a *normalized* Arabic string.

    Each letter accepts its unnormalized variants (أ/إ/آ for ا, ة for ه, ى/ئ for ي, …)
    followed by optional diacritics or tatweel; a space matches any run of whitespace.
    Latin letters match case-insensitively.
    """
    parts = []
    for ch in norm:
        if ch == " ":
            parts.append(r"\s+")
        elif ch in _LOOSE:
            parts.append(_LOOSE[ch] + _MARKS)
        elif "\u0621" <= ch <= "\u06ff":
            parts.append(re.escape(ch) + _MARKS)
        elif ch.isascii() and ch.isalpha():
            parts.append(f"[{ch.lower()}{ch.upper()}]")
        else:
            parts.append(re.escape(ch))
    return "".join(parts)
