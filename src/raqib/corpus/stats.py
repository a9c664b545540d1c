"""Questions analysts ask of the store: counts and mean Goldstein per period, top dyads,
roots and actors — with filters.

Counting rules (one line each in the output's notes):

* ``events``: events of independent documents (near-duplicates left out);
  ``mentions``: all events, near-duplicates included; ``clusters``: distinct happenings
  (:mod:`raqib.corpus.clusters`) among the matching events;
* ``mean_goldstein``: the mean Goldstein score of the counted (independent) events;
* a period is the event's own date: ``--by day`` and ``--by week`` (ISO weeks,
  ``2018-W07``) count events with a day-precise date, ``--by month`` also those dated to the
  month; events with a coarser date or none are reported as "undated" in the notes.

Filters: ``actor`` (a country code such as ``RUS`` matches source or target country; a
longer code such as ``RUSGOV`` the actor code), ``dyad`` (``RUS-UKR``: source RUS, target
UKR, or either order when the event is reciprocal), ``root`` (``19``), ``country`` (the
event's place country), ``since``/``until`` (ISO dates, inclusive).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

BY = ("day", "week", "month")
TOP = ("dyads", "roots", "actors")

# an event's date at the precision it has: YYYY-MM-DD (day) or YYYY-MM (month)
_EDATE = ("CASE WHEN e.date_precision = 'day' AND e.day IS NOT NULL THEN "
          "strftime(e.day, '%Y-%m-%d') WHEN e.date_precision IN ('day', 'month') "
          "AND e.date IS NOT NULL THEN substr(e.date, 1, 7) END")

_PERIOD = {
    "day": "strftime(e.day, '%Y-%m-%d')",
    "week": "printf('%d-W%02d', isoyear(e.day), week(e.day))",
    "month": f"substr(({_EDATE}), 1, 7)",
}

_MEASURES = ("count(*) FILTER (WHERE e.independent) AS events, "
             "count(DISTINCT e.cluster_id) AS clusters, count(*) AS mentions, "
             "round(avg(e.goldstein) FILTER (WHERE e.independent), 2) AS mean_goldstein")


class StatsError(ValueError):
    pass


@dataclass
class Filters:
    actor: str | None = None
    dyad: str | None = None
    root: str | None = None
    country: str | None = None
    since: str | None = None
    until: str | None = None

    def sql(self) -> tuple[str, list]:
        cond, params = [], []
        if self.actor:
            a = self.actor.strip().upper()
            if len(a) <= 3:
                cond.append("(e.source_country = ? OR e.target_country = ?)")
            else:
                cond.append("(e.source_code = ? OR e.target_code = ?)")
            params += [a, a]
        if self.dyad:
            parts = [p.strip().upper() for p in self.dyad.replace(">", "-").split("-")]
            parts = [p for p in parts if p]
            if len(parts) != 2:
                raise StatsError(f"--dyad wants SOURCE-TARGET, e.g. RUS-UKR (got {self.dyad!r})")
            s, t = parts
            col = "country" if len(s) <= 3 and len(t) <= 3 else "code"
            cond.append(f"((e.source_{col} = ? AND e.target_{col} = ?) OR "
                        f"(e.reciprocal AND e.source_{col} = ? AND e.target_{col} = ?))")
            params += [s, t, t, s]
        if self.root:
            r = self.root.strip()
            if not r.isdigit() or len(r) > 2:
                raise StatsError(f"--root wants a CAMEO root such as 19 (got {self.root!r})")
            cond.append("e.root = ?")
            params.append(r.zfill(2))
        if self.country:
            cond.append("e.place_country = ?")
            params.append(self.country.strip().upper())
        for bound, op in ((self.since, ">="), (self.until, "<=")):
            if bound:
                b = _check_date(bound)
                cond.append(f"((length({_EDATE}) = 10 AND ({_EDATE}) {op} ?) OR "
                            f"(length({_EDATE}) = 7 AND ({_EDATE}) {op} ?))")
                params += [b, b[:7]]
        return (" AND ".join(cond) if cond else "TRUE"), params


def _check_date(s: str) -> str:
    import datetime as dt

    s = s.strip()
    try:
        if len(s) == 7:
            dt.date.fromisoformat(s + "-01")
            return s + "-01"
        if len(s) == 4:
            dt.date.fromisoformat(s + "-01-01")
            return s + "-01-01"
        return dt.date.fromisoformat(s).isoformat()
    except ValueError as exc:
        raise StatsError(f"not a date: {s!r} (use YYYY-MM-DD)") from exc


@dataclass
class Result:
    title: str
    columns: list[str]
    rows: list[list]
    notes: list[str] = field(default_factory=list)

    def as_dicts(self) -> list[dict]:
        return [dict(zip(self.columns, r)) for r in self.rows]


def by_period(con: duckdb.DuckDBPyConnection, by: str = "month",
              filters: Filters | None = None) -> Result:
    if by not in BY:
        raise StatsError(f"--by must be one of {', '.join(BY)}")
    filters = filters or Filters()
    where, params = filters.sql()
    period = _PERIOD[by]
    rows = con.execute(
        f"SELECT {period} AS period, {_MEASURES} FROM events e WHERE {where} "
        f"AND ({period}) IS NOT NULL GROUP BY 1 ORDER BY 1", params).fetchall()
    undated, = con.execute(
        f"SELECT count(*) FROM events e WHERE {where} AND ({period}) IS NULL",
        params).fetchone()
    notes = ["events: independent documents only; mentions: near-duplicates included; "
             "mean Goldstein of the counted events"]
    if undated:
        notes.append(f"{undated} matching events have no date at {by} precision and are not "
                     "in the table")
    return Result(f"events by {by}", ["period", "events", "clusters", "mentions",
                                      "mean_goldstein"], [list(r) for r in rows], notes)


def top(con: duckdb.DuckDBPyConnection, what: str, filters: Filters | None = None,
        limit: int = 10) -> Result:
    if what not in TOP:
        raise StatsError(f"--top must be one of {', '.join(TOP)}")
    filters = filters or Filters()
    where, params = filters.sql()
    if what == "dyads":
        s = ("CASE WHEN e.reciprocal AND coalesce(e.target_country, '') < "
             "coalesce(e.source_country, '') THEN e.target_country ELSE e.source_country END")
        t = ("CASE WHEN e.reciprocal AND coalesce(e.target_country, '') < "
             "coalesce(e.source_country, '') THEN e.source_country ELSE e.target_country END")
        sql = (f"SELECT coalesce(nullif({s}, ''), '?') || CASE WHEN e.reciprocal THEN '<>' "
               f"ELSE '-' END || coalesce(nullif({t}, ''), '?') AS dyad, {_MEASURES}, "
               f"string_agg(DISTINCT e.root, ' ' ORDER BY e.root) AS roots "
               f"FROM events e WHERE {where} AND (coalesce(e.source_country, '') <> '' AND "
               f"coalesce(e.target_country, '') <> '') "
               f"GROUP BY 1 ORDER BY events DESC, mentions DESC, dyad LIMIT {int(limit)}")
        cols = ["dyad", "events", "clusters", "mentions", "mean_goldstein", "roots"]
        notes = ["dyads with both countries known; A<>B: reciprocal events"]
    elif what == "roots":
        sql = (f"SELECT e.root, {_MEASURES} FROM events e WHERE {where} GROUP BY 1 "
               f"ORDER BY events DESC, mentions DESC, e.root LIMIT {int(limit)}")
        cols = ["root", "events", "clusters", "mentions", "mean_goldstein"]
        notes = []
    else:
        sql = (f"WITH a AS (SELECT e.*, e.source_code AS actor, 'source' AS role FROM events "
               f"e WHERE {where} AND coalesce(e.source_code, '') <> '' UNION ALL "
               f"SELECT e.*, e.target_code AS actor, 'target' AS role FROM events e "
               f"WHERE {where} AND coalesce(e.target_code, '') <> '') "
               f"SELECT e.actor, {_MEASURES}, count(*) FILTER (WHERE e.role = 'source' AND "
               f"e.independent) AS as_source, count(*) FILTER (WHERE e.role = 'target' AND "
               f"e.independent) AS as_target FROM a e GROUP BY 1 "
               f"ORDER BY events DESC, mentions DESC, e.actor LIMIT {int(limit)}")
        params = params + params
        cols = ["actor", "events", "clusters", "mentions", "mean_goldstein", "as_source",
                "as_target"]
        notes = ["an event counts for its source and for its target actor"]
    rows = [list(r) for r in con.execute(sql, params).fetchall()]
    if what == "roots":
        from raqib.kb.ontology import ontology

        onto = ontology()
        cols.insert(1, "name")
        cols.insert(2, "plover")
        for r in rows:
            code = onto.codes.get(r[0])
            r.insert(1, code.description if code else "")
            plovers = sorted({c.plover for c in onto.codes.values()
                              if c.root == r[0] and c.plover})
            r.insert(2, "|".join(plovers))
    return Result(f"top {what}", cols, rows, notes)


def totals(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> dict:
    where, params = (filters or Filters()).sql()
    ev, cl, me, g = con.execute(f"SELECT {_MEASURES} FROM events e WHERE {where}",
                                params).fetchone()
    docs, = con.execute("SELECT count(*) FROM documents WHERE status <> 'duplicate'"
                        ).fetchone()
    return {"events": ev, "clusters": cl, "mentions": me, "mean_goldstein": g,
            "documents": docs}
