"""Cross-document event clusters: the reports of one happening, counted once.

Two events are reports of the same happening when they have

* the same CAMEO root, the same negation and modality;
* the same dyad: source country and target country (the pair in either order when an
  event is reciprocal; two one-way events must point the same way);
* dates within one day: a cluster starts at its earliest day-precise date and takes events
  dated that day or the next (no chaining: a week of daily shelling is several clusters);
* compatible places: the same place country, or one of the two unknown.

Events whose date is not day-precise (a month, a year, no date) cannot be placed within a
day: they join only reports of the same story (the document and its near-duplicates) with
the same date and date precision. Events with neither a source nor a target country are
not clustered with other documents (one cluster each).

Counts per cluster, in the spirit of GDELT's NumMentions / NumArticles / NumSources, but
after deduplication:

* ``n_mentions``: every supporting event (reports in near-duplicate documents included);
  ``n_independent_mentions`` without them;
* ``n_documents``: distinct documents; ``n_articles``: distinct *stories* (a near-duplicate
  counts as the story it repeats);
* ``n_sources``: distinct publishing sources of those stories (the first publisher of each
  story); ``n_sources_all``: distinct publishers of all supporting documents.

``cluster_events`` links every cluster to each supporting event (document, sentence index,
sentence/trigger/argument spans). Cluster ids are stable hashes of the cluster's key and its
first event, so the same events always give the same clusters, in whatever order or number
of runs they were ingested. :func:`recluster` recomputes everything in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, namedtuple
from dataclasses import dataclass, field

import duckdb

from raqib.store import bulk_insert, table_columns, transaction

_FETCH = """
SELECT e.event_id, e.doc_id, e.cameo, e.root, e.plover, e.quad_class, e.goldstein,
       e.source_country, e.target_country, e.reciprocal, e.negated, e.modality,
       e.date, e.date_precision, e.day, e.place_country, e.place_name, e.lat, e.lon,
       e.independent, e.confidence, e.sentence_index, e.sentence_field, e.sentence_start,
       e.sentence_end, e.trigger_start, e.trigger_end, e.source_start, e.source_end,
       e.target_start, e.target_end,
       coalesce(d.near_duplicate_of, d.doc_id) AS story, d.source, d.url, d.input,
       d.ingested_at, o.source, o.url, o.input
FROM events e
JOIN documents d ON d.doc_id = e.doc_id
LEFT JOIN documents o ON o.doc_id = coalesce(d.near_duplicate_of, d.doc_id)
ORDER BY e.day NULLS LAST, e.doc_id, e.sentence_index, e.event_id
"""

_COLS = ("event_id", "doc_id", "cameo", "root", "plover", "quad_class", "goldstein",
         "source_country", "target_country", "reciprocal", "negated", "modality", "date",
         "date_precision", "day", "place_country", "place_name", "lat", "lon", "independent",
         "confidence", "sentence_index", "sentence_field", "sentence_start", "sentence_end",
         "trigger_start", "trigger_end", "source_start", "source_end", "target_start",
         "target_end", "story", "d_source", "d_url", "d_input", "ingested_at", "o_source",
         "o_url", "o_input")


_Ev = namedtuple("_Ev", _COLS)


def _specificity(code: str) -> int:
    return len(code) * 2 - (code.endswith("0") and len(code) == 3)


def _h63(s: str) -> int:
    return int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(),
                          "little") >> 1


@dataclass
class _Open:
    key: tuple
    first_day: dt.date | None
    direction: tuple[str, str] | None
    country: str
    order: int
    members: list = field(default_factory=list)


def _publisher(source, url, input_) -> str:
    from raqib.corpus.ingest import publisher_of

    return publisher_of(source, url, input_)


def _assign(rows: list) -> list[_Open]:
    """Group events (sorted by day, document, sentence) into clusters, greedily."""
    clusters: list[_Open] = []
    open_by_key: dict[tuple, list[_Open]] = {}
    for ev in rows:
        sc, tc = ev.source_country or "", ev.target_country or ""
        recip = bool(ev.reciprocal)
        direction = None if recip else (sc, tc)
        base = (ev.root, tuple(sorted((sc, tc))), bool(ev.negated),
                ev.modality or "")
        day = ev.day
        if not sc and not tc:
            key = base + ("event", ev.event_id)
        elif day is None:
            key = base + ("story", ev.story, ev.date or "", ev.date_precision or "")
        else:
            key = base
        country = ev.place_country or ""
        opens = open_by_key.setdefault(key, [])
        if day is not None:
            # clusters that started more than a day before cannot take this event
            opens[:] = [c for c in opens if (day - c.first_day).days <= 1]
        best, best_rank = None, None
        for c in opens:
            if direction is not None and c.direction is not None and c.direction != direction:
                continue
            if country and c.country and country != c.country:
                continue
            rank = (0 if (country and c.country == country) else 1 if c.country == "" else 2,
                    -len(c.members), c.order)
            if best_rank is None or rank < best_rank:
                best, best_rank = c, rank
        if best is None:
            best = _Open(key, day, direction, country, len(clusters))
            clusters.append(best)
            opens.append(best)
        else:
            if best.direction is None and direction is not None:
                best.direction = direction
            if not best.country and country:
                best.country = country
        best.members.append(ev)
    return clusters


def _summary(c: _Open, cluster_id: int) -> tuple[list, list[list]]:
    members = c.members
    codes = Counter(m.cameo for m in members)
    first_index = {}
    for k, m in enumerate(members):
        first_index.setdefault(m.cameo, k)
    cameo = max(codes, key=lambda x: (codes[x], _specificity(x), -first_index[x]))
    rep = next(m for m in members if m.cameo == cameo)
    if c.direction is not None:
        sc, tc = c.direction
        reciprocal = False
    else:
        sc, tc = sorted(((rep.source_country or ""), (rep.target_country or "")))
        reciprocal = True
    place = next((m for m in members if m.place_country and
                  m.place_country == c.country), None)
    if place is None:
        place = next((m for m in members if m.place_name), None)
    dated = [m for m in members if m.day is not None]
    first_date = (min(m.day for m in dated).isoformat() if dated else rep.date)
    last_date = (max(m.day for m in dated).isoformat() if dated else rep.date)
    precision = "day" if dated else rep.date_precision
    stories = {m.story for m in members}
    story_sources = {m.story: _publisher(m.o_source, m.o_url, m.o_input)
                     for m in members}
    sources_all = {_publisher(m.d_source, m.d_url, m.d_input) for m in members}
    first = members[0]
    first_url = next((m.d_url for m in members if m.d_url), None)
    added = [m.ingested_at for m in members if m.ingested_at is not None]
    row = [cluster_id, rep.root, cameo, rep.plover, rep.quad_class, rep.goldstein,
           sc, tc, reciprocal, f"{sc or '?'}-{tc or '?'}", bool(rep.negated),
           rep.modality, first_date, precision, last_date,
           place.place_name if place else None,
           place.place_country if place else None,
           place.lat if place else None, place.lon if place else None,
           len(members), sum(1 for m in members if m.independent), len(stories),
           len({m.doc_id for m in members}), len(set(story_sources.values())),
           len(sources_all), first.event_id, first.doc_id, first_url,
           min(added) if added else None, rep.event_id]
    links = [[cluster_id, m.event_id, m.doc_id, m.story, bool(m.independent),
              m.sentence_index, m.sentence_field, m.sentence_start, m.sentence_end,
              m.trigger_start, m.trigger_end, m.source_start, m.source_end,
              m.target_start, m.target_end] for m in members]
    return row, links


def compute(con: duckdb.DuckDBPyConnection) -> tuple[list[list], list[list]]:
    """(cluster rows, link rows) for every event in the store."""
    cur = con.execute(_FETCH)
    rows = []
    while True:
        chunk = cur.fetchmany(50_000)
        if not chunk:
            break
        rows.extend(_Ev._make(r) for r in chunk)
    clusters, links = [], []
    seen: set[int] = set()
    for c in _assign(rows):
        cid = _h63("|".join(map(str, c.key)) + "|" + c.members[0].event_id)
        while cid in seen:  # vanishingly rare; keep ids unique and deterministic
            cid = _h63(str(cid))
        seen.add(cid)
        row, link = _summary(c, cid)
        clusters.append(row)
        links.extend(link)
    return clusters, links


def needs_recluster(con: duckdb.DuckDBPyConnection) -> bool:
    """Events without a cluster (a run stopped before clustering) or stale links."""
    n, = con.execute("SELECT count(*) FROM events WHERE cluster_id IS NULL").fetchone()
    if n:
        return True
    a, = con.execute("SELECT count(*) FROM events").fetchone()
    b, = con.execute("SELECT count(*) FROM cluster_events").fetchone()
    return a != b


def recluster(con: duckdb.DuckDBPyConnection) -> int:
    """Recompute all clusters and their links in one transaction; returns their number."""
    clusters, links = compute(con)
    cols = table_columns("clusters")
    with transaction(con):
        con.execute("DELETE FROM cluster_events")
        con.execute("DELETE FROM clusters")
        bulk_insert(con, "clusters", cols, clusters)
        bulk_insert(con, "cluster_events", table_columns("cluster_events"), links)
        con.execute("UPDATE events SET cluster_id = ce.cluster_id FROM cluster_events ce "
                    "WHERE events.event_id = ce.event_id")
    return len(clusters)

