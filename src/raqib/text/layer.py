"""The text layer: boilerplate, dateline, language, sentences and tokens of a Document."""

from __future__ import annotations

import logging
import re

from raqib.model import Document, Sentence
from raqib.text.clean import clean_document
from raqib.text.langid import detect_language, lang_from_counts, looks_english
from raqib.text.segment import Segmenter, split_sentences

__all__ = ["TextLayer"]

log = logging.getLogger(__name__)

_LATIN_ANY = re.compile(r"[A-Za-z\u00c0-\u024f]")
_ARABIC_ANY = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")
_ARABIC_RUN = re.compile(r"[\u0621-\u063a\u0641-\u064a\u0671-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]+")
_LATIN_RUN = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]+")
_OTHER_LETTER_RUN = re.compile(r"[^\W\d_A-Za-z\u00c0-\u024f\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]+")


def _as_str(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    try:
        return str(value)
    except Exception:
        return ""


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


class TextLayer:
    """Callable pipeline stage filling ``removed``, ``dateline``, ``lang`` and
    ``sentences`` (with tokens) of a :class:`Document`.  Picklable; never raises."""

    def __init__(self, segmenter: Segmenter | None = None) -> None:
        self.segmenter = segmenter if segmenter is not None else Segmenter()

    def __repr__(self) -> str:
        return f"TextLayer({self.segmenter!r})"

    # -- language of one sentence ---------------------------------------------------------
    @staticmethod
    def _sentence_lang(text: str, s: int, e: int, doc_lang: str) -> str:
        if _LATIN_ANY.search(text, s, e) is None:
            if _ARABIC_ANY.search(text, s, e) is not None:
                return "ar"
            return doc_lang
        chunk = text[s:e]
        ar = sum(map(len, _ARABIC_RUN.findall(chunk)))
        lat = sum(map(len, _LATIN_RUN.findall(chunk)))
        total = ar + lat + sum(map(len, _OTHER_LETTER_RUN.findall(chunk)))
        if total == 0:
            return doc_lang
        decided = lang_from_counts(ar, lat, total)
        if decided is not None:
            return decided
        if ar / total >= 0.6 or (doc_lang == "ar" and ar / total >= 0.3):
            return "ar"  # Arabic with some Latin names, acronyms or links
        if lat / total >= 0.8:
            if doc_lang == "en" or looks_english(chunk):
                return "en"
            if len(chunk) < 40:
                return "other"  # a name, a handle or a link on its own
        return detect_language(chunk)

    def _sentences(self, text: str, spans: list[tuple[int, int]], field: str, first: int, doc_lang: str) -> list[Sentence]:
        tokenize = self.segmenter.tokenize
        out = []
        idx = first
        for s, e in spans:
            try:
                tokens = tokenize(text, s, e)
            except Exception as exc:  # defensive: tokens are optional for a sentence
                log.warning("tokenization failed for %s[%d:%d]: %s", field, s, e, exc)
                tokens = []
            try:
                lang = self._sentence_lang(text, s, e, doc_lang)
            except Exception:
                lang = doc_lang
            out.append(Sentence(idx, (s, e), text[s:e], field, lang, tokens))
            idx += 1
        return out

    # -- the stage ------------------------------------------------------------------------
    def __call__(self, doc: Document) -> Document:
        try:
            self._process(doc)
        except Exception as exc:  # never raise: fall back to plain sentences
            log.exception("text layer failed on %s: %s", getattr(doc, "id", "?"), exc)
            try:
                self._fallback(doc)
            except Exception:
                doc.sentences = []
        return doc

    def _process(self, doc: Document) -> None:
        text = _as_str(doc.text)
        title = _as_str(doc.title)
        if doc.text is not text:
            doc.text = text
        if doc.title is not title:
            doc.title = title
        try:
            clean_document(doc)
        except Exception as exc:
            log.warning("cleaning failed on %s: %s", doc.id, exc)
            doc.removed, doc.dateline = [], None
        if not doc.lang:
            sample = text[:2000] if text.strip() else title[:2000]
            doc.lang = detect_language(sample)
        doc_lang = doc.lang or "other"

        sentences: list[Sentence] = []
        sentences += self._sentences(title, split_sentences(title), "title", 0, doc_lang)

        blocked = [span for span, _why in doc.removed]
        if doc.dateline is not None and doc.dateline.span is not None:
            blocked.append(doc.dateline.span)
        spans: list[tuple[int, int]] = []
        pos = 0
        for bs, be in _merge(blocked):
            if bs > pos:
                spans.extend(split_sentences(text, pos, bs))
            pos = max(pos, be)
        spans.extend(split_sentences(text, pos, len(text)))
        sentences += self._sentences(text, spans, "text", len(sentences), doc_lang)
        doc.sentences = sentences

    def _fallback(self, doc: Document) -> None:
        text = _as_str(doc.text)
        title = _as_str(doc.title)
        lang = doc.lang or "other"
        sentences = [
            Sentence(i, (s, e), title[s:e], "title", lang, []) for i, (s, e) in enumerate(split_sentences(title))
        ]
        for s, e in split_sentences(text):
            sentences.append(Sentence(len(sentences), (s, e), text[s:e], "text", lang, []))
        doc.sentences = sentences
