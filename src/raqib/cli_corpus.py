"""Corpus commands (ingest, export, stats, watch) — registered on the main CLI app."""


def register(app) -> None:
    """Add the corpus commands to ``app`` (a typer.Typer)."""
