"""Terminal listings of citations, related documents and the most cited (`vnsearch show`, `stats`)."""

from __future__ import annotations

from collections.abc import Sequence

from .citations import Citations, DocumentRef, MostCited
from .related import RelatedDocument
from .terminal import count_of

TITLE_WIDTH = 120  # characters of a title in a list, as on the search page (some records' titles are whole paragraphs)


def short_title(title: str, width: int = TITLE_WIDTH) -> str:
    """The title, or its first words up to `width` characters with "…"."""
    if len(title) <= width:
        return title
    return title[:width - 1].rsplit(" ", 1)[0].rstrip(" ,;:.-") + "…"


def document_line(ref: DocumentRef) -> str:
    """"2024-06-29  41/2024/QH15  LUẬT BẢO HIỂM XÃ HỘI  [id]": what names a document in a list."""
    parts = [part for part in (ref.date, ref.number, short_title(ref.title) or ref.id) if part]
    return "  ".join(parts) + f"  [{ref.id}]"


def render_citations(citations: Citations) -> str:
    lines = [f"cites ({count_of(len(citations.resolved), 'number')} in the index, "
             f"{len(citations.unresolved):,} not):"]
    for cited in citations.resolved:
        for ref in cited.documents:
            lines.append(f"  {cited.number}: {document_line(ref)}")
    for cited in citations.unresolved:
        lines.append(f"  {cited.number}: not in the index (search: vnsearch search {cited.number})")
    lines.append(f"cited by ({count_of(citations.cited_by_total, 'document')}, newest first):")
    lines += [f"  {document_line(ref)}" for ref in citations.cited_by]
    hidden = citations.cited_by_total - len(citations.cited_by)
    if hidden > 0 and citations.number:
        lines.append(f"  … and {hidden:,} more: vnsearch search 'cites:{citations.number}' --sort date")
    return "\n".join(lines)


def render_related(related: Sequence[RelatedDocument]) -> str:
    lines = [f"related ({count_of(len(related), 'document')}, closest first):"]
    for item in related:
        shared = f"  ({count_of(item.shared_citations, 'shared citation')})" if item.shared_citations else ""
        lines.append(f"  {item.score:7.1f}  {document_line(item.document)}{shared}")
    return "\n".join(lines)


def render_most_cited(most_cited: Sequence[MostCited]) -> str:
    lines = [f"most cited ({count_of(len(most_cited), 'document')})"]
    lines += [f"  {item.count:>9,}  {document_line(item.document)}" for item in most_cited]
    return "\n".join(lines)
