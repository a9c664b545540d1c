"""Language identification: "ar", "en", "other" or "mixed".

A fast path counts letters by script.  lingua (restricted to a handful of languages and
built lazily, once per process) is consulted only when the script counts cannot decide:
Latin-script text that does not look like English, Arabic-script text with many
Persian/Urdu letters, and texts mixing scripts.
"""

from __future__ import annotations

import logging
import re

__all__ = ["detect_language", "script_counts", "lang_from_counts", "looks_english"]

log = logging.getLogger(__name__)

_ARABIC = re.compile(r"[\u0621-\u063a\u0641-\u064a\u0671-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]+")
_PERSIAN_URDU = re.compile(r"[\u067e\u0686\u0698\u06af\u06a9\u06cc\u06c0\u06c1\u06be\u0679\u0688\u0691\u06ba\u06d2]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]+")
_LETTER = re.compile(r"[^\W\d_]+")
_EN_WORD = re.compile(r"[A-Za-z']+")
_EN_STOP = frozenset(
    "the of and to in is a for on that with was as by at from it be are were has have had "
    "said says will not an this his her their they he she its which who or but been after "
    "would more than about over into also we our you i".split()
)

_DETECTORS: dict[bool, object] = {}  # low_accuracy -> lingua detector (False: unavailable)
_LINGUA_MAP: dict = {}
# Texts at least this long use lingua's low-accuracy mode (trigram models only: loads in
# a few milliseconds and is as reliable as the full mode on longer texts).
LOW_ACCURACY_MIN_CHARS = 200


def _detector(low_accuracy: bool):
    det = _DETECTORS.get(low_accuracy)
    if det is None:
        try:
            from lingua import Language, LanguageDetectorBuilder  # noqa: PLC0415

            langs = [
                Language.ARABIC, Language.ENGLISH, Language.FRENCH, Language.PERSIAN,
                Language.URDU, Language.HEBREW, Language.TURKISH, Language.RUSSIAN,
                Language.SPANISH, Language.GERMAN,
            ]
            builder = LanguageDetectorBuilder.from_languages(*langs)
            if low_accuracy:
                builder = builder.with_low_accuracy_mode()
            det = builder.build()
            _LINGUA_MAP[Language.ARABIC] = "ar"
            _LINGUA_MAP[Language.ENGLISH] = "en"
        except Exception as exc:
            log.warning("lingua unavailable, language id uses script counts only: %s", exc)
            det = False
        _DETECTORS[low_accuracy] = det
    return det


def _lingua(text: str) -> str | None:
    det = _detector(len(text) >= LOW_ACCURACY_MIN_CHARS)
    if not det:
        return None
    try:
        lang = det.detect_language_of(text)
    except Exception as exc:  # never raise from language id
        log.debug("lingua failed: %s", exc)
        return None
    if lang is None:
        return None
    return _LINGUA_MAP.get(lang, "other")


def script_counts(text: str) -> tuple[int, int, int]:
    """(Arabic-script letters, Latin letters, all letters) in ``text``."""
    return (
        sum(map(len, _ARABIC.findall(text))),
        sum(map(len, _LATIN.findall(text))),
        sum(map(len, _LETTER.findall(text))),
    )


def looks_english(text: str) -> bool:
    """At least four Latin words, 18% or more of them English function words."""
    return _looks_english(text)


def _looks_english(text: str) -> bool:
    words = _EN_WORD.findall(text)
    if len(words) < 4:
        return False
    stops = sum(1 for w in words if w.lower() in _EN_STOP)
    return stops / len(words) >= 0.18


def lang_from_counts(ar: int, lat: int, total: int) -> str | None:
    """Decision from script counts alone; None when a closer look is needed."""
    if total == 0:
        return "other"
    if ar / total >= 0.8:
        return "ar"
    if lat / total >= 0.8:
        return None  # Latin: English or another language
    if (ar + lat) / total < 0.5:
        return "other"
    return None


def detect_language(text: str) -> str:
    """"ar", "en", "other" or "mixed" for ``text``; never raises."""
    try:
        if not text:
            return "other"
        sample = text[:4000]
        ar, lat, total = script_counts(sample)
        if total == 0:
            return "other"
        if ar / total >= 0.8:
            pu = len(_PERSIAN_URDU.findall(sample))
            if pu > 0.03 * ar and pu >= 3:
                got = _lingua(sample)
                return "ar" if got in (None, "ar") else "other"
            return "ar"
        if lat / total >= 0.8:
            if _looks_english(sample):
                return "en"
            got = _lingua(sample)
            if got is None:
                return "en" if _looks_english(sample) else "other"
            return got if got in ("en", "other") else "other"
        if (ar + lat) / total < 0.5:
            return "other"
        # Mixed scripts: let lingua settle clear majorities, otherwise "mixed".
        got = _lingua(sample)
        if got == "ar" and ar / total >= 0.5:
            return "ar"
        if got == "en" and lat / total >= 0.5:
            return "en"
        return "mixed"
    except Exception as exc:
        log.debug("language id failed: %s", exc)
        return "other"
