"""Reading the knowledge base's TSV data files.

Format (all KB and lexicon files): UTF-8, a header row, tab-separated, no quoting;
several values in one cell are separated by ``|``; lines starting with ``#`` are comments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterator


@dataclass
class Row:
    file: str
    line: int
    values: dict[str, str]

    def get(self, key: str) -> str:
        return self.values.get(key, "") or ""

    def multi(self, key: str) -> list[str]:
        return [v.strip() for v in self.get(key).split("|") if v.strip()]

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class Table:
    name: str
    header: list[str]
    rows: list[Row] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read_table(path: Path | str, required: list[str] | None = None) -> Table:
    path = Path(path)
    name = path.name
    table = Table(name=name, header=[])
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        table.problems.append(f"{name}: cannot read ({exc})")
        return table
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not table.header:
            table.header = [c.strip() for c in cells]
            missing = [c for c in (required or []) if c not in table.header]
            if missing:
                table.problems.append(f"{name}:{lineno}: header lacks {', '.join(missing)}")
            continue
        if len(cells) != len(table.header):
            table.problems.append(f"{name}:{lineno}: {len(cells)} columns, header has "
                                  f"{len(table.header)}")
            cells = (cells + [""] * len(table.header))[: len(table.header)]
        table.rows.append(Row(name, lineno, {h: c.strip() for h, c in zip(table.header, cells)}))
    return table


def data_dir(*parts: str) -> Path:
    """Path of a directory inside the package's data/ folder."""
    return Path(str(resources.files("raqib"))) / "data" / Path(*parts)


def files_in(directory: Path, pattern: str = "*.tsv") -> Iterator[Path]:
    if directory.is_dir():
        yield from sorted(directory.glob(pattern))
