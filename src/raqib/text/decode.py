"""Turn raw bytes into text: UTF-8/16/32 (with or without BOM), Windows-1256, ISO-8859-6.

The returned text is exactly the decoded bytes except that a leading byte-order mark is
removed; newlines and everything else are left alone, so offsets computed on the returned
string stay valid for the rest of the pipeline.
"""

from __future__ import annotations

import codecs
import re

__all__ = ["DecodeError", "decode_bytes"]


class DecodeError(ValueError):
    """The input cannot be turned into text (empty, binary or in an unknown encoding)."""


# Control bytes that never occur in text (everything below 0x20 except \t \n \v \f \r
# and ESC, plus DEL).
_CONTROL = bytes(b for b in range(0x20) if b not in (0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B)) + b"\x7f"

# Characters that are plausible in Arabic or English news text once decoded.
_PLAUSIBLE = re.compile(
    r"[\t\n\r\x20-\x7e\u00a0\u00ab\u00bb\u00b0\u00b7\u00d7\u00f7"
    r"\u060c\u061b\u061f\u0621-\u063a\u0640-\u0652\u0660-\u066d\u0670"
    r"\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u200c-\u200f]"
)
_ARABIC = re.compile(r"[\u0621-\u063a\u0641-\u064a]")
# Latin-1 letters that a wrong Arabic single-byte guess produces (à â ç è é ê ë î ï ô ù û ü …).
_LATIN_ACCENTED = re.compile(r"[\u00c0-\u00ff]")
# A Latin letter glued to an Arabic letter: a sign of the wrong code page.
_MIXED = re.compile(r"[A-Za-z\u00c0-\u00ff][\u0621-\u064a]|[\u0621-\u064a][A-Za-z\u00c0-\u00ff]")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _check_not_empty(text: str) -> None:
    if not text.strip():
        raise DecodeError("empty input")


def _score(text: str) -> float:
    """Plausibility of a single-byte decoding: share of plausible chars, with penalties."""
    n = len(text)
    if n == 0:
        return 0.0
    plausible = len(_PLAUSIBLE.findall(text))
    arabic = len(_ARABIC.findall(text))
    accented = len(_LATIN_ACCENTED.findall(text))
    mixed = len(_MIXED.findall(text))
    return (plausible + 0.5 * arabic - 1.0 * accented - 3.0 * mixed) / n


def _try_utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM: NULs sit on one parity (ASCII) or the text is Arabic."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_nul = data[0::2].count(0)
    odd_nul = data[1::2].count(0)
    half = len(data) // 2
    for enc, nul_share in (("utf-16-le", odd_nul / half), ("utf-16-be", even_nul / half)):
        hi = data[1::2] if enc == "utf-16-le" else data[0::2]
        arabic_share = hi.count(0x06) / half
        if nul_share + arabic_share < 0.6:
            continue
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _score(text) > 0.8:
            return text, enc
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode ``data``; return ``(text, encoding_name)``.

    Order: byte-order marks; emptiness; binary check (NUL bytes, many control bytes);
    strict UTF-8; UTF-16 without BOM; then Windows-1256 versus ISO-8859-6, choosing the
    decoding with the larger share of plausible characters (Arabic letters, ASCII,
    common punctuation; accented Latin letters count against a guess).
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise DecodeError(f"undecodable input of type {type(data).__name__}")
    data = bytes(data)
    if not data.strip():
        raise DecodeError("empty input")

    for bom, enc in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            codec = "utf-8" if enc == "utf-8-sig" else enc
            try:
                text = body.decode(codec)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"undecodable {enc} text ({exc.reason} at byte {exc.start + len(bom)})") from None
            _check_not_empty(text)
            if "\x00" in text:
                raise DecodeError(f"binary data (NUL characters after a {enc} byte-order mark)")
            return text, enc

    nul = data.count(0)
    if nul:
        found = _try_utf16_without_bom(data)
        if found is not None:
            _check_not_empty(found[0])
            return found
        raise DecodeError(f"binary data ({nul} NUL bytes in {len(data)})")
    controls = len(data) - len(data.translate(None, _CONTROL))
    if controls > max(2, 0.05 * len(data)):
        raise DecodeError(f"binary data ({controls} control bytes in {len(data)})")

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = f"{exc.reason} at byte {exc.start}"
    else:
        return text, "utf-8"

    candidates: list[tuple[float, str, str]] = []
    for enc in ("cp1256", "iso-8859-6"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        candidates.append((_score(text), enc, text))
    if candidates:
        # Prefer ISO-8859-6 only when it is clearly better (cp1256 is far more common).
        candidates.sort(key=lambda c: (c[0] + (0.02 if c[1] == "cp1256" else 0.0)), reverse=True)
        score, enc, text = candidates[0]
        if score >= 0.75:
            return text, enc
    raise DecodeError(f"undecodable bytes (not UTF-8: {utf8_error}; no plausible Arabic single-byte decoding)")
