"""The knowledge base: states, organizations, groups, people with dated roles, agent words
and places, loaded from the TSV files in ``raqib/data/kb`` (plus an optional overlay
directory of the user's own files), indexed for clitic-aware matching.

Overlay: set ``RAQIB_KB_OVERLAY=/path/to/dir`` (or pass ``overlay=``) to a directory laid out
like ``raqib/data/kb`` (``states.tsv``, ``organizations.tsv``, ``groups.tsv``, ``agents.tsv``,
``places.tsv``, ``persons/*.tsv``). Its rows are added to the built-in ones; a row whose id
equals a built-in id replaces it.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from raqib.kb.names import KeyTrie, name_key
from raqib.kb.tables import Row, Table, data_dir, files_in, read_table

# Names of these kinds match a word only when both have the article or both lack it:
# «الرقة» (Raqqa) is not «ورقة» (a sheet), «رئيسي» (Raisi) is not «الرئيسي» (main).
# Adjectives and agent words are used both ways («قوات روسية», «القوات الروسية»).
DEFINITENESS_KINDS = {"state", "capital", "metonym", "org", "group", "person", "place"}
SECTORS = {"GOV", "MIL", "COP", "JUD", "LEG", "SPY", "OPP", "PTY", "REB", "UAF", "CVL", "MED",
           "BUS", "EDU", "REL", "REF", "CRM", "HLH", "LAB", "NGO", "IGO", ""}
# When a person holds several roles on one day, the first sector in this order wins.
SECTOR_PRIORITY = ("GOV", "MIL", "IGO", "JUD", "LEG", "SPY", "COP", "NGO", "REB", "OPP",
                   "PTY", "REL")


@dataclass(slots=True)
class State:
    iso3: str
    name_en: str
    lat: float | None
    lon: float | None


@dataclass(slots=True)
class Org:
    id: str
    code: str
    sector: str
    name_en: str


@dataclass(slots=True)
class Group:
    id: str
    country: str
    countries: list[str]
    sector: str
    name_en: str


@dataclass(slots=True)
class Role:
    country: str
    sector: str
    role: str
    start: dt.date
    end: dt.date | None
    start_text: str
    end_text: str


@dataclass(slots=True)
class Person:
    id: str
    name_en: str
    roles: list[Role] = field(default_factory=list)

    def role_on(self, day: dt.date | None) -> Role | None:
        """The role held on ``day`` (or today's/latest role when no date is known)."""
        if not self.roles:
            return None
        if day is None:
            current = [r for r in self.roles if r.end is None]
            return _pick(current) if current else max(self.roles, key=lambda r: r.start)
        holding = [r for r in self.roles if r.start <= day and (r.end is None or day < r.end)]
        if holding:
            return _pick(holding)
        return None

    def nearest_role(self, day: dt.date) -> tuple[Role, int]:
        def gap(r: Role) -> int:
            if day < r.start:
                return (r.start - day).days
            return (day - r.end).days if r.end else 0
        best = min(self.roles, key=gap)
        return best, gap(best)


def _pick(roles: list[Role]) -> Role:
    def rank(r: Role) -> tuple[int, int]:
        acting = 1 if r.role.startswith("acting") else 0
        try:
            return (SECTOR_PRIORITY.index(r.sector), acting)
        except ValueError:
            return (len(SECTOR_PRIORITY), acting)
    return min(roles, key=rank)


@dataclass(slots=True)
class Agent:
    id: int
    words: str
    sector: str
    kind: str
    note: str
    implied_country: str = ""


@dataclass(slots=True)
class PlaceEntry:
    id: str
    name_en: str
    country: str
    lat: float | None
    lon: float | None
    population: int
    kind: str


@dataclass(frozen=True, slots=True)
class Hit:
    """What a name key points to. ``kind``: state, adj, capital, metonym, org, org_adj,
    group, person, agent, place."""

    kind: str
    id: str
    form: str = ""


def parse_date(text: str, end: bool = False) -> dt.date | None:
    """ISO date, YYYY-MM or YYYY; partial dates expand to the first (or, for an end, the
    last) day of the period."""
    text = text.strip()
    if not text:
        return None
    parts = text.split("-")
    y = int(parts[0])
    if len(parts) == 1:
        return dt.date(y, 12, 31) if end else dt.date(y, 1, 1)
    m = int(parts[1])
    if len(parts) == 2:
        if end:
            nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date(y, m, 1)
    return dt.date(y, m, int(parts[2]))


def _definite(name: str) -> bool:
    from raqib.text.normalize import normalize

    return normalize(name).startswith("ال")


def _float(s: str) -> float | None:
    try:
        return float(s)
    except ValueError:
        return None


STATE_COLS = ["iso3", "name_en", "names_ar", "adjectives_ar", "capitals_ar", "metonyms_ar",
              "names_en", "adjectives_en", "capital_en", "lat", "lon", "status"]
ORG_COLS = ["id", "code", "sector", "name_en", "names_ar", "names_en", "adjectives_ar"]
GROUP_COLS = ["id", "country", "countries", "sector", "name_en", "names_ar", "names_en"]
PERSON_COLS = ["person_id", "name_en", "names_ar", "names_en", "country", "sector", "role",
               "start", "end"]
AGENT_COLS = ["words_ar", "words_en", "sector", "kind"]
PLACE_COLS = ["id", "name_en", "names_ar", "country", "lat", "lon"]


class KnowledgeBase:
    """Everything the coder knows about actors and places. Build once, share everywhere."""

    def __init__(self, overlay: str | Path | None = None) -> None:
        overlay = overlay if overlay is not None else os.environ.get("RAQIB_KB_OVERLAY")
        self.dirs = [data_dir("kb")] + ([Path(overlay)] if overlay else [])
        self.tables: list[Table] = []
        self.states: dict[str, State] = {}
        self.orgs: dict[str, Org] = {}
        self.groups: dict[str, Group] = {}
        self.persons: dict[str, Person] = {}
        self.agents: list[Agent] = []
        self.places: dict[str, PlaceEntry] = {}
        self.places_with_arabic: set[str] = set()
        self.names: dict[tuple[str, ...], list[Hit]] = {}
        self.problems: list[str] = []
        self._load()
        self.trie = KeyTrie()
        for key, hits in self.names.items():
            self.trie.add(key, tuple(dict.fromkeys(hits)))

    # ------------------------------------------------------------------ loading
    def _tables(self, name: str, cols: list[str]) -> list[Row]:
        rows: list[Row] = []
        for d in self.dirs:
            paths = list(files_in(d / name)) if not name.endswith(".tsv") else (
                [d / name] if (d / name).exists() else [])
            for p in paths:
                t = read_table(p, cols)
                self.tables.append(t)
                self.problems.extend(t.problems)
                rows.extend(t.rows)
        return rows

    def _name(self, text: str, hit: Hit) -> None:
        key = name_key(text)
        if key and hit.kind in DEFINITENESS_KINDS and not hit.form and _definite(text):
            hit = Hit(hit.kind, hit.id, "al")
        if key:
            self.names.setdefault(key, []).append(hit)

    def _load(self) -> None:
        for r in self._tables("states.tsv", STATE_COLS):
            iso = r.get("iso3")
            self.states[iso] = State(iso, r.get("name_en"), _float(r.get("lat")),
                                     _float(r.get("lon")))
            for n in r.multi("names_ar") + r.multi("names_en") + [r.get("name_en")]:
                self._name(n, Hit("state", iso))
            for n in r.multi("adjectives_ar") + r.multi("adjectives_en"):
                self._name(n, Hit("adj", iso))
            for n in r.multi("capitals_ar") + r.multi("capital_en"):
                self._name(n, Hit("capital", iso))
            for n in r.multi("metonyms_ar"):
                self._name(n, Hit("metonym", iso))
        for r in self._tables("organizations.tsv", ORG_COLS):
            oid = r.get("id")
            self.orgs[oid] = Org(oid, r.get("code"), r.get("sector") or "IGO", r.get("name_en"))
            for n in r.multi("names_ar") + r.multi("names_en"):
                self._name(n, Hit("org", oid))
            for n in r.multi("adjectives_ar"):
                self._name(n, Hit("org_adj", oid))
        for r in self._tables("groups.tsv", GROUP_COLS):
            gid = r.get("id")
            countries = r.multi("countries") or [r.get("country")]
            self.groups[gid] = Group(gid, r.get("country"), countries, r.get("sector"),
                                     r.get("name_en"))
            for n in r.multi("names_ar") + r.multi("names_en"):
                self._name(n, Hit("group", gid))
        for r in self._tables("persons", PERSON_COLS):
            pid = r.get("person_id")
            person = self.persons.get(pid)
            if person is None:
                person = self.persons[pid] = Person(pid, r.get("name_en"))
            elif r.get("name_en") and not person.name_en:
                person.name_en = r.get("name_en")
            for n in r.multi("names_ar") + r.multi("names_en"):
                # whether the name carries the article matters: «الرئيسي» is not Raisi
                self._name(n, Hit("person", pid))
            try:
                start = parse_date(r.get("start")) or dt.date(1900, 1, 1)
                end = parse_date(r.get("end"), end=True)
            except (ValueError, IndexError):
                self.problems.append(f"{r.where}: bad date {r.get('start')!r}/{r.get('end')!r}")
                continue
            person.roles.append(Role(r.get("country"), r.get("sector"), r.get("role"), start,
                                     end, r.get("start"), r.get("end")))
        self.common_word_names = {name_key(r.get("word")) for r in
                                  self._tables("common_word_names.tsv", ["word"])}
        for r in self._tables("agents.tsv", AGENT_COLS):
            agent = Agent(len(self.agents), r.get("words_ar"), r.get("sector"), r.get("kind"),
                          r.get("note"), r.get("country") if "country" in r.values else "")
            self.agents.append(agent)
            for n in r.multi("words_ar") + r.multi("words_en"):
                self._name(n, Hit("agent", str(agent.id)))
        for r in self._tables("places.tsv", PLACE_COLS) + self._tables("places_geonames.tsv",
                                                                        PLACE_COLS):
            pid = r.get("id")
            if pid in self.places:  # curated places.tsv wins
                continue
            try:
                pop = int(r.get("population") or 0)
            except ValueError:
                pop = 0
            self.places[pid] = PlaceEntry(pid, r.get("name_en"), r.get("country"),
                                          _float(r.get("lat")), _float(r.get("lon")), pop,
                                          r.get("kind"))
            if r.get("names_ar"):
                self.places_with_arabic.add(pid)
            for n in r.multi("names_ar") + r.multi("names_en"):
                self._name(n, Hit("place", pid))

    # ------------------------------------------------------------------ lookups
    def lookup_key(self, key: tuple[str, ...]) -> list[Hit]:
        return self.names.get(key, [])

    def counts(self) -> dict[str, int]:
        roles = sum(len(p.roles) for p in self.persons.values())
        return {"states": len(self.states), "organizations": len(self.orgs),
                "groups": len(self.groups), "persons": len(self.persons),
                "person_roles": roles, "agents": len(self.agents),
                "places": len(self.places),
                "places_with_arabic_name": len(self.places_with_arabic),
                "names": len(self.names)}

    def known_words(self) -> set[str]:
        """Every normalized word that appears in a name (for the clitic segmenter)."""
        words: set[str] = set()
        for key in self.names:
            words.update(key)
        return words


@lru_cache(maxsize=4)
def load_kb(overlay: str | None = None) -> KnowledgeBase:
    """The shared knowledge base (built once per process and overlay)."""
    return KnowledgeBase(overlay)
