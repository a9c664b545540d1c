"""``raqib kb check`` and ``raqib kb stats``: validate the data files and count entries."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from raqib.kb.base import SECTORS, KnowledgeBase

AGENT_KINDS = {"person", "body", "group", "generic"}
ISO3 = re.compile(r"^[A-Z]{3}$")


def _valid_countries(kb: KnowledgeBase) -> set[str]:
    return set(kb.states) | {o.code for o in kb.orgs.values()} | {"INT", ""}


def check_kb(kb: KnowledgeBase) -> list[str]:
    problems = list(kb.problems)
    countries = _valid_countries(kb)
    for iso in kb.states:
        if not ISO3.match(iso):
            problems.append(f"states.tsv: {iso!r} is not a 3-letter code")
    for o in kb.orgs.values():
        if o.sector not in ("IGO", "NGO", "MIL", "JUD"):
            problems.append(f"organizations.tsv: {o.id}: sector {o.sector!r}")
        if not o.code:
            problems.append(f"organizations.tsv: {o.id}: empty code")
    for g in kb.groups.values():
        if g.sector not in SECTORS:
            problems.append(f"groups.tsv: {g.id}: unknown sector {g.sector!r}")
        for c in [g.country, *g.countries]:
            if c not in countries:
                problems.append(f"groups.tsv: {g.id}: unknown country {c!r}")
    offices: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for p in kb.persons.values():
        if not p.name_en:
            problems.append(f"persons: {p.id}: no name_en")
        for r in p.roles:
            if r.country not in countries:
                problems.append(f"persons: {p.id}: unknown country {r.country!r}")
            if r.sector not in SECTORS:
                problems.append(f"persons: {p.id}: unknown sector {r.sector!r}")
            if r.end is not None and r.end < r.start:
                problems.append(f"persons: {p.id}: {r.role} ends before it starts")
            if not r.role.startswith(("acting", "interim", "caretaker")) and r.role in (
                    "president", "prime minister", "foreign minister", "defence minister",
                    "king", "emir", "supreme leader", "secretary-general"):
                offices[(r.country, r.role)].append((r.start, r.end, p.id, r.start_text,
                                                     r.end_text))
    for (country, role), terms in offices.items():
        terms.sort(key=lambda t: t[0])
        for (s1, e1, p1, _, e1_text), (s2, e2, p2, s2_text, _) in zip(terms, terms[1:]):
            # a handover known only to the month (or year) is not an overlap
            tolerance = 1 if len(e1_text) == 10 and len(s2_text) == 10 else (
                31 if min(len(e1_text), len(s2_text)) >= 7 else 366)
            if p1 != p2 and e1 is not None and (e1 - s2).days > tolerance:
                problems.append(f"persons: overlapping {country} {role}: {p1} until {e1} "
                                f"and {p2} from {s2}")
            if p1 != p2 and e1 is None:
                problems.append(f"persons: overlapping {country} {role}: {p1} (no end) and "
                                f"{p2} from {s2}")
    for a in kb.agents:
        if a.sector not in SECTORS:
            problems.append(f"agents.tsv: {a.words[:30]}: unknown sector {a.sector!r}")
        if a.implied_country and a.implied_country not in countries:
            problems.append(f"agents.tsv: {a.words[:30]}: unknown country {a.implied_country!r}")
        if a.kind not in AGENT_KINDS:
            problems.append(f"agents.tsv: {a.words[:30]}: unknown kind {a.kind!r}")
    for p in kb.places.values():
        if p.lat is None or p.lon is None or not (-90 <= p.lat <= 90 and -180 <= p.lon <= 180):
            problems.append(f"places: {p.id}: bad coordinates")
        if p.country and p.country not in countries and not ISO3.match(p.country):
            problems.append(f"places: {p.id}: unknown country {p.country!r}")
    problems.extend(_ambiguities(kb))
    return problems


def _ambiguities(kb: KnowledgeBase) -> list[str]:
    """Names that map to different actors with no date or context rule to choose."""
    out = []
    for key, hits in kb.names.items():
        name = " ".join(key)
        states = {h.id for h in hits if h.kind in ("state", "capital", "metonym")}
        if len(states) > 1:
            out.append(f"name «{name}» names several states: {sorted(states)}")
        orgs = {kb.orgs[h.id].code for h in hits if h.kind == "org"}
        if len(orgs) > 1:
            out.append(f"name «{name}» names several organization codes: {sorted(orgs)}")
        groups = {(kb.groups[h.id].country, kb.groups[h.id].sector) for h in hits
                  if h.kind == "group"}
        if len(groups) > 1:
            out.append(f"name «{name}» names groups with different codes: {sorted(groups)}")
        persons = [kb.persons[h.id] for h in hits if h.kind == "person"]
        persons = list({p.id: p for p in persons}.values())
        for a_i, a in enumerate(persons):
            for b in persons[a_i + 1:]:
                for ra in a.roles:
                    for rb in b.roles:
                        if (ra.country, ra.sector) == (rb.country, rb.sector):
                            continue
                        if ra.start < (rb.end or ra.start.max) and rb.start < (ra.end or rb.start.max):
                            out.append(f"name «{name}» names {a.id} and {b.id} with "
                                       f"different roles at the same time")
                            break
                    else:
                        continue
                    break
    return out


def check_all(overlay: str | None = None) -> tuple[list[str], dict[str, Any]]:
    from raqib.coding.lexicon import Lexicon

    kb = KnowledgeBase(overlay)
    problems = check_kb(kb)
    counts: dict[str, Any] = dict(kb.counts())
    for lang in ("ar", "en"):
        lex = Lexicon.load(lang)
        problems.extend(lex.problems)
        counts[f"lexicon_{lang}_forms"] = len(lex.entries)
    return problems, counts


def stats(overlay: str | None = None) -> dict[str, Any]:
    import time

    from raqib.coding.lexicon import Lexicon

    t0 = time.perf_counter()
    kb = KnowledgeBase(overlay)
    load_s = time.perf_counter() - t0
    counts: dict[str, Any] = dict(kb.counts())
    counts["load_seconds"] = round(load_s, 3)
    counts["lookup_microseconds"] = round(_lookup_speed(kb) * 1e6, 2)
    counts["agent_words"] = sum(1 for key, hits in kb.names.items()
                                if any(h.kind == "agent" for h in hits))
    for lang in ("ar", "en"):
        lex = Lexicon.load(lang)
        counts[f"lexicon_{lang}_forms"] = len(lex.entries)
        counts[f"lexicon_{lang}_codes"] = len({e.code for e in lex.entries})
        counts[f"lexicon_{lang}_roots"] = len({e.code[:2] for e in lex.entries})
    return counts


def _lookup_speed(kb: KnowledgeBase) -> float:
    """Average seconds per token lookup (clitic analyses + longest match) over the words of
    the demo corpus: what the recognizer does for every token."""
    import json
    import time

    from raqib.kb.names import token_keys
    from raqib.kb.tables import data_dir
    from raqib.text.segment import tokenize

    tokens = []
    with open(data_dir("demo") / "demo.gold.jsonl", encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line)["text"]
            tokens.extend(t for t in tokenize(text, 0, len(text)) if t.kind in ("word", "latin"))
    norms = [t.norm for t in tokens]
    keys = [token_keys(n)[0][1] for n in norms]
    cands = [token_keys(n) for n in norms]
    t0 = time.perf_counter()
    for i in range(len(norms)):
        kb.trie.match_at(cands, keys, i)
    return (time.perf_counter() - t0) / max(1, len(norms))
