"""The pipeline: one document's path through raqib.

    text      clean boilerplate, parse the dateline, split sentences and tokens (raqib.text)
    recognize actors, places and dates in each sentence (raqib.coding.recognize + kb)
    code      trigger expressions → CAMEO events with source/target/date/place (coder)
    resolve   publication date, argument texts, duplicate events within the article

:class:`Pipeline` is one picklable object: heavy resources (knowledge base, lexicons,
matchers) are built lazily on first use in each process and are not pickled.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
import time
from collections import defaultdict
from typing import Any

from raqib.coding.coder import _code_rank
from raqib.model import Document, Event


LEADING_PLACE = re.compile(r"\s*([^\s\-–—/،,:()]+(?: [^\s\-–—/،,:()]+){0,2})\s*[-–—/]")


def _parse_iso(s: str | None) -> dt.date | None:
    if not s:
        return None
    try:
        return dt.date.fromisoformat(s[:10])
    except ValueError:
        return None


def _side(arg) -> tuple[str, str]:
    return (arg.actor.country, arg.actor.sector) if arg is not None else ("", "")


def _covers(full: tuple[str, str], part: tuple[str, str]) -> bool:
    """Does a known actor account for a partly known one (same or missing values)?"""
    return all(p in ("", f) for f, p in zip(full, part))


def _drop_partial_repeats(events: list[Event]) -> list[Event]:
    """«ولي العهد يستقبل…» in the headline and «استقبل الأمير محمد بن سلمان…» in the lead:
    an event whose actors are partly unknown, repeating another of the same root and day
    whose actors fill the gaps, is the same event."""
    out = []
    for ev in events:
        s, t = _side(ev.source), _side(ev.target)
        if "" not in (s[0], t[0]) or not (s[0] or s[1] or t[0]):
            out.append(ev)
            continue
        fuller = next((o for o in events if o is not ev and o.cameo[:2] == ev.cameo[:2]
                       and o.date == ev.date and _covers(_side(o.source), s)
                       and _covers(_side(o.target), t)
                       and (_side(o.source), _side(o.target)) != (s, t)), None)
        if fuller is not None:
            fuller.explain.append(f"also reported, with fewer details, in sentence "
                                  f"{ev.sentence_index}")
            continue
        out.append(ev)
    return out


def _main_country(analyses) -> str:
    """The country the article is about, when one clearly dominates its country words and
    places: «الشرطة» or «المحتجون» with no country of their own belong to it."""
    from collections import Counter

    counts: Counter = Counter()
    for an in analyses:
        for a in an.actors:
            if len(a.actor.country) == 3 and a.actor.country.isalpha() and a.actor.country.isupper():
                counts[a.actor.country] += 1
        for p in an.places:
            if p.place.country:
                counts[p.place.country] += 1
        for *_, country, _sector in an.adjectives:
            counts[country] += 1
    if not counts:
        return ""
    (top, n), *rest = counts.most_common(2) + [("", 0)]
    return top if n >= 2 and n >= 2 * rest[0][1] else ""


class Pipeline:
    STAGES = ("text", "recognize", "code", "resolve")

    def __init__(self, kb_overlay: str | None = None, langs: tuple[str, ...] = ("ar", "en"),
                 event_filter: bool = True):
        self.kb_overlay = kb_overlay
        self.langs = langs
        self.event_filter = event_filter
        self.timings: dict[str, float] = defaultdict(float)
        self._built = False

    def __getstate__(self) -> dict[str, Any]:
        return {"kb_overlay": self.kb_overlay, "langs": self.langs,
                "event_filter": self.event_filter}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(**state)

    # ------------------------------------------------------------------ build
    def build(self) -> "Pipeline":
        if self._built:
            return self
        from raqib.coding.coder import EventCoder
        from raqib.coding.lexicon import load_lexicon
        from raqib.coding.recognize import Recognizer
        from raqib.kb.base import load_kb
        from raqib.text.layer import TextLayer
        from raqib.text.segment import Segmenter

        self.kb = load_kb(self.kb_overlay)
        agent_words = {key for key, hits in self.kb.names.items()
                       if any(h.kind == "agent" for h in hits)}
        self.lexicons = {lang: load_lexicon(lang).without(agent_words) for lang in self.langs}
        known = self.kb.known_words()
        for lex in self.lexicons.values():
            known |= lex.known_words()
        protected = {w for key in self.kb.names for w in key if len(key) == 1}
        self.text = TextLayer(Segmenter(frozenset(known), frozenset(protected)))
        self.recognizer = Recognizer(self.kb)
        from raqib.coding.event_filter import load_filter

        self.coder = EventCoder(self.lexicons, load_filter() if self.event_filter else None)
        self._built = True
        # The knowledge base and lexicons are millions of long-lived objects: move them out
        # of the garbage collector's generations so it stops rescanning them per document.
        gc.collect()
        gc.freeze()
        return self

    # ------------------------------------------------------------------ run
    def __call__(self, doc: Document) -> Document:
        self.build()
        t0 = time.perf_counter()
        self.text(doc)
        if doc.dateline is None or not doc.dateline.place_text:
            self._leading_place(doc)
        t1 = time.perf_counter()
        self.timings["text"] += t1 - t0
        self._date_document(doc)
        analyses = self._recognize(doc)
        t2 = time.perf_counter()
        self.timings["recognize"] += t2 - t1
        events = self._code(doc, analyses)
        t3 = time.perf_counter()
        self.timings["code"] += t3 - t2
        doc.events = self._resolve(doc, events)
        self.timings["resolve"] += time.perf_counter() - t3
        return doc

    def _date_document(self, doc: Document) -> None:
        """The publication date: as given, or inferred from the dateline and the text."""
        given = _parse_iso(doc.date)
        if given:
            doc.pub_date, doc.pub_date_rule = given.isoformat(), "given"
            return
        from raqib.coding.dates import find_dates, infer_publication_date

        dl = doc.dateline
        if dl is None or not (dl.day and dl.month):
            doc.pub_date, doc.pub_date_rule = None, "unknown"
            return
        exprs = [e for s in doc.sentences for e in find_dates(s.text)]
        day, rule = infer_publication_date(dl.day, dl.month, dl.year, exprs)
        doc.pub_date = day.isoformat() if day else None
        doc.pub_date_rule = rule or "unknown"

    def _recognize(self, doc: Document):
        """Analyse each sentence; record its actors and places on ``doc.mentions``."""
        from raqib.model import Mention

        day = _parse_iso(doc.pub_date)
        analyses = [self.recognizer.analyse(s, day) for s in doc.sentences]
        dl = doc.dateline.span if doc.dateline is not None and doc.dateline.span else None
        if dl is not None:
            # the dateline's city is where the story was filed, not an actor in it
            for an in analyses:
                if an.sentence.field == "text" and an.sentence.span[0] < dl[1]:
                    an.actors = [a for a in an.actors if a.text_span[0] >= dl[1]]
                    an.places = [p for p in an.places if p.text_span[0] >= dl[1]]
        mentions: list[Mention] = []
        for an in analyses:
            s = an.sentence
            source = doc.title if s.field == "title" else doc.text
            for a in an.actors:
                if a.both:
                    continue
                mentions.append(Mention("actor", source[a.text_span[0]:a.text_span[1]],
                                        a.text_span, s.index, (a.i, a.j), actor=a.actor,
                                        rule=a.rule))
            for p in an.places:
                mentions.append(Mention("place", source[p.text_span[0]:p.text_span[1]],
                                        p.text_span, s.index, (p.i, p.j), place=p.place))
        doc.mentions = mentions
        return analyses

    def _code(self, doc: Document, analyses) -> list[Event]:
        ref = _parse_iso(doc.pub_date)
        dl = doc.dateline
        dl_place, dl_text = None, ""
        if dl is not None and dl.place_text:
            dl_place = self._dateline_place(dl.place_text)
            dl_text = dl.place_text
        state: dict = {"doc_country": _main_country(analyses)}
        events: list[Event] = []
        for an in analyses:
            lang = an.sentence.lang if an.sentence.lang in self.lexicons else (
                doc.lang if doc.lang in self.lexicons else "ar")
            events.extend(self.coder.code_sentence(an, doc.id, ref, dl_place, dl_text, lang,
                                                   state))
        return events

    def _leading_place(self, doc: Document) -> None:
        """«بيروت - واصل…», «بغداد/ متابعة»: a short dateline with no agency or date, kept
        only when the knowledge base knows the words as a place."""
        m = LEADING_PLACE.match(doc.text[:60])
        if m is None or self._dateline_place(m.group(1)) is None:
            return
        from raqib.model import Dateline

        if doc.dateline is None:
            doc.dateline = Dateline()
        doc.dateline.place_text = m.group(1)
        doc.dateline.span = (m.start(1), m.end())

    def _dateline_place(self, text: str):
        from raqib.kb.names import name_key
        from raqib.model import Place

        for hit in self.kb.lookup_key(name_key(text)):
            if hit.kind == "place":
                p = self.kb.places[hit.id]
                return Place(p.name_en, p.country, p.lat, p.lon, p.id)
            if hit.kind in ("capital", "state"):
                return self.recognizer._place_of(hit)
        return None

    def _resolve(self, doc: Document, events: list[Event]) -> list[Event]:
        """Fill argument texts from the original string; merge repeated reports of the
        same event within the article (e.g. the headline and the lead)."""
        out: list[Event] = []
        seen: dict[tuple, Event] = {}
        for ev in events:
            source_text = doc.title if ev.field == "title" else doc.text
            for arg in (ev.source, ev.target):
                if arg is not None and arg.span != (0, 0):
                    arg.text = source_text[arg.span[0]:arg.span[1]]
            s = (ev.source.actor.country, ev.source.actor.sector) if ev.source else ("", "")
            t = (ev.target.actor.country, ev.target.actor.sector) if ev.target else ("", "")
            dyad = tuple(sorted((s, t))) if ev.reciprocal else (s, t)
            # the same dyad, root and day reported twice (headline and lead, a quoted
            # statement repeating the story) is one event; keep the more specific code
            key = (ev.cameo[:2], dyad, ev.date)
            if key in seen and (s[0] or t[0]):
                first = seen[key]
                if _code_rank(ev.cameo) > _code_rank(first.cameo):
                    ev.confidence = max(ev.confidence, first.confidence)
                    ev.explain.append(f"merged with the {first.cameo} report in sentence "
                                      f"{first.sentence_index}")
                    out[out.index(first)] = ev
                    seen[key] = ev
                    continue
                first.confidence = min(0.98, first.confidence + 0.05)
                first.explain.append(f"also reported in sentence {ev.sentence_index}")
                continue
            seen[key] = ev
            out.append(ev)
        return _drop_partial_repeats(out)

    # ------------------------------------------------------------------ timing
    def reset_timings(self) -> None:
        self.timings = defaultdict(float)
