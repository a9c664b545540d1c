"""Article text from HTML pages.

``extract_html`` asks trafilatura (offline, no comments, no tables, no links) for the main
text and title; when trafilatura is missing, raises, or finds nothing, a plain fallback
built on :mod:`html.parser` strips the tags itself, dropping script/style/nav/header/
footer/aside (and similar non-content) elements.  Broken HTML never raises.
"""

from __future__ import annotations

import logging
import re
from html.parser import HTMLParser

__all__ = ["extract_html", "strip_tags"]

log = logging.getLogger(__name__)

_SKIP_TAGS = frozenset(
    {"script", "style", "nav", "header", "footer", "aside", "noscript", "template", "svg",
     "button", "select", "iframe", "object", "canvas", "menu"}
)
_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
     "section", "article", "blockquote", "pre", "dd", "dt", "dl", "hr", "figure",
     "figcaption", "main", "address", "center", "td", "th", "caption", "summary", "details"}
)
_VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
     "source", "track", "wbr"}
)
_WS = re.compile(r"[ \t\r\f\v\u00a0]+")
_MANY_NL = re.compile(r"\n{2,}")


class _Stripper(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.skip_stack: list[str] = []
        self.title_parts: list[str] = []
        self.h1_parts: list[str] = []
        self.in_title = False
        self.in_h1 = False

    def handle_starttag(self, tag: str, attrs) -> None:  # noqa: ANN001
        tag = tag.lower()
        if tag == "title":
            self.in_title = True
            return
        if tag in _SKIP_TAGS:
            self.skip_stack.append(tag)
            return
        if tag == "h1" and not self.h1_parts:
            self.in_h1 = True
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs) -> None:  # noqa: ANN001
        if tag.lower() in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if tag == "title":
            self.in_title = False
            return
        if self.skip_stack and tag in _SKIP_TAGS:
            # close up to the matching element (tolerates unclosed children)
            if tag in self.skip_stack:
                while self.skip_stack:
                    if self.skip_stack.pop() == tag:
                        break
            return
        if tag == "h1":
            self.in_h1 = False
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
            return
        if self.skip_stack:
            return
        if self.in_h1:
            self.h1_parts.append(data)
        self.parts.append(data)


def _clean_lines(text: str) -> str:
    lines = []
    for line in text.split("\n"):
        line = _WS.sub(" ", line).strip()
        if line:
            lines.append(line)
    return "\n".join(lines)


def strip_tags(html: str) -> tuple[str, str]:
    """Plain fallback: ``(title, text)`` from HTML using only the standard library."""
    parser = _Stripper()
    try:
        parser.feed(html)
        parser.close()
    except Exception as exc:  # html.parser is lenient, but be safe
        log.debug("html.parser failed: %s", exc)
    title = _clean_lines(" ".join(parser.title_parts)).replace("\n", " ")
    if not title:
        title = _clean_lines(" ".join(parser.h1_parts)).replace("\n", " ")
    body = _clean_lines("".join(parser.parts))
    return title, body


_TRAFILATURA = None  # module, False when unavailable


def _trafilatura():
    global _TRAFILATURA
    if _TRAFILATURA is None:
        try:
            import trafilatura  # noqa: PLC0415

            logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
            logging.getLogger("htmldate").setLevel(logging.CRITICAL)
            _TRAFILATURA = trafilatura
        except Exception as exc:  # ImportError or a broken optional dependency
            log.warning("trafilatura unavailable, using the plain HTML fallback: %s", exc)
            _TRAFILATURA = False
    return _TRAFILATURA


def extract_html(html: str) -> tuple[str, str]:
    """Return ``(title, body_text)`` of an HTML page; never raises."""
    if not isinstance(html, str):
        try:
            html = bytes(html).decode("utf-8", "replace")
        except Exception:
            return "", ""
    if not html.strip():
        return "", ""
    title, body = "", ""
    traf = _trafilatura()
    if traf:
        try:
            doc = traf.bare_extraction(
                html,
                include_comments=False,
                include_tables=False,
                include_links=False,
                include_images=False,
                with_metadata=True,
                deduplicate=False,
            )
            if doc is not None:
                if isinstance(doc, dict):
                    title, body = doc.get("title") or "", doc.get("text") or ""
                else:
                    title = getattr(doc, "title", None) or ""
                    body = getattr(doc, "text", None) or ""
        except Exception as exc:
            log.debug("trafilatura failed: %s", exc)
            title, body = "", ""
    body = (body or "").strip()
    if not body:
        fb_title, body = strip_tags(html)
        title = title or fb_title
    elif not title:
        title, _ = strip_tags(html)
    return (title or "").strip(), body
