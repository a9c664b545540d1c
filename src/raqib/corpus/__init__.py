"""From a corpus to a queryable event store.

* :mod:`raqib.corpus.ingest`: read, deduplicate, code (N worker processes) and store in
  DuckDB, transactional per batch, idempotent and resumable, with a full account;
* :mod:`raqib.corpus.dedup`: document identity (content hash) and near-duplicates
  (MinHash/LSH);
* :mod:`raqib.corpus.clusters`: cross-document event clusters (mentions, articles, sources);
* :mod:`raqib.corpus.export`: parquet, csv, jsonl, GDELT 2.0 event table, PLOVER JSON;
* :mod:`raqib.corpus.stats`: counts and mean Goldstein per period, top dyads/roots/actors;
* :mod:`raqib.corpus.watch`: polling directories and RSS/Atom feeds.

The tables are described in :mod:`raqib.store`; the commands in :mod:`raqib.cli_corpus`.
"""
