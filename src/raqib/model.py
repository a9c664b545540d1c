"""The typed data model every pipeline stage shares.

A :class:`Document` is read from input; the text layer fills in its cleaned view
(:class:`Sentence` and :class:`Token` objects); recognizers add :class:`Mention` objects
(actors, places, dates); the coder adds :class:`Event` objects.  Every object carries a
character span ``(start, end)`` into the original string of its field (``text`` or
``title``), so each output value can be traced to the words it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any, Literal

Span = tuple[int, int]
Field = Literal["text", "title"]


@dataclass(slots=True)
class Token:
    """One token: ``span`` slices the field's original string to ``text``.

    ``norm`` is the normalized form used for matching; ``stem`` the normalized form with
    proclitics/enclitics removed (equal to ``norm`` when nothing was split);
    ``prefix``/``suffix`` the normalized clitics that were split off.
    """

    text: str
    span: Span
    norm: str
    stem: str
    prefix: str = ""
    suffix: str = ""
    kind: Literal["word", "num", "punct", "latin", "other"] = "word"


@dataclass(slots=True)
class Sentence:
    index: int
    span: Span
    text: str
    field: Field = "text"
    lang: str = "ar"
    tokens: list[Token] = dc_field(default_factory=list)


@dataclass(slots=True)
class Actor:
    """A resolved actor: country (ISO alpha-3 or organization code) and sector."""

    country: str = ""
    sector: str = ""
    name: str = ""
    kb_id: str = ""

    @property
    def code(self) -> str:
        return f"{self.country}{self.sector}"


@dataclass(slots=True)
class Place:
    name: str
    country: str = ""
    lat: float | None = None
    lon: float | None = None
    kb_id: str = ""


@dataclass(slots=True)
class Mention:
    """Something recognized in a sentence: an actor, a place or a date expression."""

    kind: Literal["actor", "place", "date"]
    text: str
    span: Span
    sentence: int
    token_range: tuple[int, int] = (0, 0)  # [first, last+1) token indices in the sentence
    actor: Actor | None = None
    place: Place | None = None
    value: Any = None  # dates: ResolvedDate; actors: extra resolution details
    rule: str = ""


@dataclass(slots=True)
class ArgRef:
    """An event argument: the actor plus the words it came from."""

    actor: Actor
    text: str
    span: Span


@dataclass(slots=True)
class Event:
    doc_id: str
    cameo: str
    source: ArgRef | None
    target: ArgRef | None
    trigger_text: str
    trigger_span: Span
    sentence_index: int
    sentence_span: Span
    field: Field = "text"
    reciprocal: bool = False
    negated: bool = False
    modality: str = "asserted"
    date: str | None = None
    date_precision: str | None = None
    date_text: str = ""
    place: Place | None = None
    place_text: str = ""
    confidence: float = 0.5
    rule: str = ""  # which lexicon entry / frame fired (for --explain)
    explain: list[str] = dc_field(default_factory=list)
    features: dict[str, float] = dc_field(default_factory=dict)  # for the event filter


@dataclass(slots=True)
class Dateline:
    place_text: str = ""
    place: Place | None = None
    day: int | None = None
    month: int | None = None
    year: int | None = None
    agencies: list[str] = dc_field(default_factory=list)
    span: Span | None = None


@dataclass(slots=True)
class Document:
    id: str
    text: str
    title: str = ""
    date: str | None = None  # publication date as given (ISO)
    lang: str | None = None
    source: str = ""  # where it was read from (path[:line])
    meta: dict[str, Any] = dc_field(default_factory=dict)
    # Filled in by the pipeline:
    sentences: list[Sentence] = dc_field(default_factory=list)
    removed: list[tuple[Span, str]] = dc_field(default_factory=list)  # boilerplate spans + reason
    dateline: Dateline | None = None
    pub_date: str | None = None  # resolved publication date (given or inferred)
    pub_date_rule: str = ""
    mentions: list[Mention] = dc_field(default_factory=list)
    events: list[Event] = dc_field(default_factory=list)


@dataclass(slots=True)
class Skip:
    """An input that could not be coded, with the reason (never silently dropped)."""

    source: str
    reason: str
    doc_id: str | None = None
