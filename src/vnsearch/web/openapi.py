"""The JSON API described for its users: `/openapi.json` (OpenAPI 3.1), and `/api/stats`.

The description is written out here rather than generated: the routes read their parameters
from the query string by hand (app.parse_params). tests/test_web_export.py checks it against
the app: every /api route is described, and every key of real responses is in its schema.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Flask, Response, jsonify

from .. import defaults

if TYPE_CHECKING:
    from .app import IndexService


def _string(description: str, **more: Any) -> dict[str, Any]:
    return {"type": "string", "description": description, **more}


def _nullable(kind: str) -> dict[str, Any]:
    return {"type": [kind, "null"]}


def _query(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or {"type": "string"}}


def _object(properties: dict[str, Any], *, required: bool = True) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(properties)
    return schema


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERRORS = {
    "400": _json(_ref("Error"), "A query or parameter that cannot be used (`code` says which)."),
    "503": _json(_ref("Error"), "The index cannot be read."),
}

SEARCH_PARAMETERS = [
    _query("q", f"The query (syntax: `vnsearch search --help`); one over {defaults.MAX_QUERY_CHARS} characters "
                "is cut to its first ones, with the notice query.cut, as everywhere. "
                "May be left out when a filter is given: the documents within the filters, newest first."),
    _query("committee", "Only this issuing body, e.g. «Bộ Chính trị»."),
    _query("type", "Only this document type, e.g. «Nghị quyết»."),
    _query("from", "Dated on or after: YYYY, YYYY-MM, YYYY-MM-DD, MM/YYYY or DD/MM/YYYY (a year or month counts whole)."),
    _query("to", "Dated on or before (same forms)."),
    _query("year", "A whole year, YYYY (narrows from/to)."),
    _query("sort", "relevance (best first) or date (newest first).", {"type": "string", "enum": ["relevance", "date"]}),
    _query("page", f"Page of hits, 1 to {defaults.MAX_PAGE}.", {"type": "integer", "minimum": 1, "maximum": defaults.MAX_PAGE}),
    _query("limit", f"Hits per page, 1 to {defaults.MAX_PAGE_SIZE}.",
           {"type": "integer", "minimum": 1, "maximum": defaults.MAX_PAGE_SIZE}),
    _query("format", f"json (a page of results) or csv (every match, at most {defaults.MAX_CSV_ROWS:,} rows, streamed).",
           {"type": "string", "enum": ["json", "csv"]}),
]

SCHEMAS: dict[str, Any] = {
    "Error": _object({
        "code": _string("A stable message code, e.g. option.sort (absent for HTTP errors)."),
        "error": _string("The message, in English."),
        "hint": _string("What to do about it, when there is a usual fix."),
        "status": {"type": "integer"},
    }, required=False),
    "Notice": _object({
        "code": _string("A stable message code, e.g. search.relaxed."),
        "params": {"type": "object"},
        "message": _string("The notice, in English."),
    }, required=False),
    "Hit": _object({
        "id": _string("The document's id (for /api/doc/{id})."),
        "score": {"type": "number", "description": "Relevance score (0 when sorted by date)."},
        "title": _string("The title."),
        "title_html": _string("The title, HTML-escaped, with the query's matches in <mark>."),
        "date": _nullable("string") | {"description": "YYYY-MM-DD"},
        "committee": _nullable("string"),
        "doc_type": _nullable("string"),
        "number": _nullable("string"),
        "url": _nullable("string") | {"description": "The source page."},
        "snippets": {"type": "array", "items": _string("HTML: the text escaped, matches in <mark>.")},
        "missing": {"type": "array", "items": {"type": "string"},
                    "description": "Words of the query this near match lacks (empty for a match)."},
        "explain": {"type": "array", "items": {"type": "object"}},
    }, required=False),
    "Period": _object({
        "period": _string("YYYY (a year) or YYYY-MM (a month)."),
        "count": {"type": "integer", "description": "Matching documents dated in it."},
        "from": _string("Its first day, for `from`."),
        "to": _string("Its last day, for `to`."),
    }),
    "Timeline": _object({
        "unit": {"type": "string", "enum": ["year", "month"],
                 "description": "month when the dated matches span under two years."},
        "periods": {"type": "array", "items": _ref("Period"), "description": "Oldest first, empty periods between included."},
        "undated": {"type": "integer", "description": "Matches without a date (in no period)."},
    }),
    "Facets": {"type": "object", "description": "committee, doc_type, year: value -> matching documents.",
               "additionalProperties": {"type": "object", "additionalProperties": {"type": "integer"}}},
    "SearchResult": _object({
        "query": {"type": "string"},
        "total": {"type": "integer", "description": "Documents holding every word of the query (within the filters)."},
        "near_total": {"type": "integer", "description": "More documents, ranked after them, holding most of the words."},
        "suggestion": _nullable("string") | {"description": "Did you mean: the query as the index spells it."},
        "page": {"type": "integer"},
        "limit": {"type": "integer"},
        "sort": {"type": "string", "enum": ["relevance", "date"]},
        "filters": {"type": "object", "additionalProperties": {"type": "string"}},
        "notices": {"type": "array", "items": _ref("Notice")},
        "hits": {"type": "array", "items": _ref("Hit")},
        "facets": _ref("Facets"),
        "timeline": _ref("Timeline"),
        "explain": {"type": "object"},
    }, required=False),
    "Document": {"type": "object", "description": "A stored document: id, title, text, date, committee, doc_type, "
                                                  "number, url, cited numbers and extra fields; with its citations "
                                                  "both ways (embedded index only).",
                 "properties": {
                     "cites": {"type": "array", "items": _ref("CitedNumber"),
                               "description": "Each number it cites, in its order, with the documents of the index "
                                              "it resolves to (none: the index lacks it)."},
                     "cited_by": {"type": "array", "items": _ref("DocumentRef"),
                                  "description": "The newest ten documents citing it."},
                     "cited_by_total": {"type": "integer", "description": "Documents citing it (search cites:NUMBER)."},
                 }},
    "DocumentRef": _object({
        "id": _string("The document's id."),
        "title": _string("Its title."),
        "date": _nullable("string") | {"description": "YYYY-MM-DD"},
        "number": _nullable("string"),
    }),
    "CitedNumber": _object({
        "number": _string("The number as the citing document writes it."),
        "documents": {"type": "array", "items": _ref("DocumentRef")},
    }),
    "Related": _object({
        "id": _string("The document asked about."),
        "related": {"type": "array", "description": "The closest documents by content and shared citations, best first.",
                    "items": {"allOf": [_ref("DocumentRef"), _object({
                        "score": {"type": "number"},
                        "shared_citations": {"type": "integer", "description": "Numbers both hold (own or cited)."},
                    })]}},
    }),
    "Stats": _object({
        "documents": {"type": "integer"},
        "facets": _ref("Facets"),
    }, required=False),
}

CSV_COLUMNS = "id, title, date, committee, type, number, url, score, snippet (the first, as plain text)"


def _by_id(summary: str, where: str, responses: dict[str, Any]) -> dict[str, Any]:
    """A GET taking a document id in the path or the query string."""
    parameter = {"name": "id", "in": where, "required": True, "schema": {"type": "string"}}
    return {"get": {"summary": summary, "parameters": [parameter], "responses": responses}}


def description() -> dict[str, Any]:
    """The OpenAPI document of the JSON API."""
    document_response = {"200": _json(_ref("Document"), "The document."),
                         "404": _json(_ref("Error"), "No document has this id.")}
    related_response = {"200": _json(_ref("Related"), "The related documents."),
                        "400": _json(_ref("Error"), "A cluster index (code cluster.no_citations)."),
                        "404": document_response["404"]}
    missing_id = {"400": _json(_ref("Error"), "No id given (code option.missing_id).")}
    related_by_query = {**related_response,
                        "400": _json(_ref("Error"), "No id given (code option.missing_id), or a cluster index "
                                                    "(code cluster.no_citations).")}
    return {
        "openapi": "3.1.0",
        "info": {"title": "vnsearch", "version": _version(),
                 "description": "Full-text search of Vietnamese political and legal documents. Read-only; "
                                "errors are JSON with a stable `code`; messages in English."},
        "paths": {
            "/api/search": {"get": {
                "summary": "Search, or list the documents within filters",
                "parameters": SEARCH_PARAMETERS,
                "responses": {
                    "200": {"description": f"A page of results (JSON), or with format=csv every match as CSV: {CSV_COLUMNS}.",
                            "content": {"application/json": {"schema": _ref("SearchResult")},
                                        "text/csv": {"schema": {"type": "string"}}},
                            "headers": {"X-Total-Count": {"description": "CSV: the matches in all.",
                                                          "schema": {"type": "integer"}},
                                        "X-Row-Count": {"description": "CSV: the rows the file holds.",
                                                        "schema": {"type": "integer"}}}},
                    **ERRORS,
                },
            }},
            "/api/doc/{id}": _by_id("One document", "path", document_response),
            "/api/doc": _by_id("One document, its id in the query string (ids a path would change)", "query",
                               {**document_response, **missing_id}),
            "/api/doc/{id}/related": _by_id("The documents closest to one document (embedded index only)", "path",
                                            related_response),
            "/api/related": _by_id("The documents closest to one document, its id in the query string", "query",
                                   related_by_query),
            "/api/stats": {"get": {
                "summary": "Document count and facet values of the whole index",
                "responses": {"200": _json(_ref("Stats"), "The index's statistics."), "503": ERRORS["503"]},
            }},
        },
        "components": {"schemas": SCHEMAS},
    }


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("vnsearch")
    except PackageNotFoundError:  # run from a source tree without installing
        return "0"


def register_api_description(app: Flask) -> None:
    from .app import _service

    @app.get("/openapi.json")
    def openapi() -> Response:
        return jsonify(description())

    @app.get("/api/stats")
    def api_stats() -> Response:
        service: IndexService = _service(app)
        return jsonify(service.stats().to_dict())
