"""``raqib kb lookup``: what a phrase resolves to, the way the coder would read it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from raqib.kb.base import load_kb


def lookup(phrase: str, date: str | None = None, overlay: str | None = None) -> list[dict[str, Any]]:
    from raqib.coding.recognize import Recognizer
    from raqib.model import Sentence
    from raqib.text.segment import tokenize

    day = dt.date.fromisoformat(date) if date else None
    kb = load_kb(overlay)
    sent = Sentence(0, (0, len(phrase)), phrase, tokens=tokenize(phrase, 0, len(phrase)))
    an = Recognizer(kb).analyse(sent, day)
    found: list[dict[str, Any]] = []
    for a in an.actors:
        role = ""
        if a.actor.kb_id in kb.persons:
            r = kb.persons[a.actor.kb_id].role_on(day)
            role = r.role if r else "(no role on that date)"
        found.append({"type": "actor", "text": phrase[a.text_span[0]:a.text_span[1]],
                      "code": a.actor.code, "country": a.actor.country,
                      "sector": a.actor.sector, "name": a.actor.name, "role": role,
                      "rule": a.rule})
    for p in an.places:
        found.append({"type": "place", "text": phrase[p.text_span[0]:p.text_span[1]],
                      "name": p.place.name, "country": p.place.country, "lat": p.place.lat,
                      "lon": p.place.lon})
    for i, j, c, _ in an.adjectives:
        found.append({"type": "country-adjective", "text": " ".join(t.text for t in
                                                                  sent.tokens[i:j]),
                      "country": c})
    # a bare place that the recognizer did not promote (no locative): report it too
    if not found:
        from raqib.kb.names import name_key

        for hit in kb.lookup_key(name_key(phrase)):
            if hit.kind == "place":
                p = kb.places[hit.id]
                found.append({"type": "place", "text": phrase, "name": p.name_en,
                              "country": p.country, "lat": p.lat, "lon": p.lon})
            elif hit.kind == "agent":
                a = kb.agents[int(hit.id)]
                found.append({"type": "agent", "text": phrase, "sector": a.sector,
                              "kind": a.kind})
    return found
