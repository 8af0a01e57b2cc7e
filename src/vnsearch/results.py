"""Plain result objects: what `Index.search` returns. No Whoosh object ever leaves the library."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .messages import Notice
from .timeline import Timeline


@dataclass(frozen=True)
class SignalScore:
    """What one ranking signal added to a hit's score (`explain=True`)."""

    kind: str  # "word", "pair", "title", "number", ...; "first": the hit is in the first rank tier
    node: str  # the term or phrase, as the plan prints it
    weight: float
    score: float  # weight x the signal's BM25F (or phrase bonus) for this document

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "node": self.node, "weight": self.weight, "score": round(self.score, 4)}


@dataclass(frozen=True)
class Hit:
    """One matching document. `snippets` are HTML: matches in <mark>, everything else escaped."""

    id: str
    score: float
    title: str
    date: str | None
    committee: str | None
    doc_type: str | None
    number: str | None
    url: str | None
    snippets: tuple[str, ...] = ()
    title_html: str = ""  # the title, escaped, with matches in <mark>
    explanation: tuple[SignalScore, ...] = ()  # with explain=True: the signals summing to `score`
    missing: tuple[str, ...] = ()  # the query's words this document lacks (a near match), as typed

    def to_dict(self) -> dict[str, Any]:
        data = {
            "id": self.id,
            "score": round(self.score, 4),
            "title": self.title,
            "title_html": self.title_html,
            "date": self.date,
            "committee": self.committee,
            "doc_type": self.doc_type,
            "number": self.number,
            "url": self.url,
            "snippets": list(self.snippets),
            "missing": list(self.missing),
        }
        if self.explanation:
            data["explain"] = [share.to_dict() for share in self.explanation]
        return data


@dataclass(frozen=True)
class SearchResult:
    """A page of hits, the total, and facet counts over the whole result set."""

    query: str
    total: int  # documents holding every word of the query (the match set of facets and date order)
    hits: tuple[Hit, ...]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    page: int = 1
    limit: int = 10
    sort: str = "relevance"
    filters: dict[str, str] = field(default_factory=dict)
    notices: tuple[Notice, ...] = ()  # how the query was understood or repaired, for people
    plan: dict[str, Any] | None = None  # with explain=True: the plan (match rule, units, signals)
    plan_text: str | None = None  # the same, as text for people
    # Ranked by relevance, documents missing one of a short query's words follow the others by
    # score (each hit says what it lacks); this many of them, beyond `total`.
    near_total: int = 0
    suggestion: str | None = None  # "did you mean": the query spelled as the index spells it, when better
    timeline: Timeline | None = None  # with timeline=True: the matches per year or month

    @property
    def pages(self) -> int:
        return max(1, -(-(self.total + self.near_total) // self.limit)) if self.limit else 1

    def to_dict(self) -> dict[str, Any]:
        data = {
            "query": self.query,
            "total": self.total,
            "near_total": self.near_total,
            "suggestion": self.suggestion,
            "page": self.page,
            "limit": self.limit,
            "sort": self.sort,
            "filters": dict(self.filters),
            "notices": [notice.to_dict() for notice in self.notices],
            "hits": [hit.to_dict() for hit in self.hits],
            "facets": self.facets,
        }
        if self.plan is not None:
            data["explain"] = self.plan
        if self.timeline is not None:
            data["timeline"] = self.timeline.to_dict()
        return data
