"""The search page, the document page and the JSON API over one open index.

Read-only: no route writes to the index or reads a file named by a request (static files come
only from the package's own folder, through Flask's safe join). Everything a document or a
query contains is escaped by Jinja's autoescaping; the only HTML marked safe is what the
library produced already escaped (snippets, highlighted titles and texts).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Flask, Response, jsonify, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

from .. import defaults
from ..citations import Citations, MostCited
from ..documents import Document
from ..errors import (
    IndexCorruptError,
    IndexLockedError,
    IndexNotFoundError,
    IndexVersionError,
    InvalidOptionError,
    QueryError,
    VnsearchError,
)
from ..index import Index, Stats
from ..messages import render
from ..query import number_option, parse_bound, year_bounds
from ..related import RelatedDocument
from ..results import SearchResult
from ..text import has_diacritics, normalize
from .downloads import csv_download
from .openapi import register_api_description
from .timeline_view import register_timeline_view

T = TypeVar("T")

SORTS = ("relevance", "date")
FACET_SHOWN = 10  # facet values listed before "Xem thêm"
HOME_MOST_CITED = 5  # on the start page, above the newest documents: a short list, not the page
LINKS_SHOWN = 10  # cited, citing or related documents listed before "Xem thêm"
INDEX_UNAVAILABLE = (IndexNotFoundError, IndexVersionError, IndexCorruptError, IndexLockedError)

# No script runs on these pages, so none is allowed; styles and images only from this server.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # queries sit in our URLs; do not hand them to source sites
    "X-Frame-Options": "DENY",
}

HTTP_MESSAGES_VI = {
    400: "Yêu cầu không hợp lệ.",
    404: "Không tìm thấy trang này.",
    405: "Phương thức không được hỗ trợ.",
    500: "Đã có lỗi bên trong máy chủ.",
    503: "Chỉ mục tạm thời không dùng được.",
}

log = logging.getLogger(__name__)


# -- request parameters ----------------------------------------------------------------------


@dataclass(frozen=True)
class SearchParams:
    """One search as the page and the API receive it; `args()` turns it back into a URL."""

    q: str = ""
    committee: str | None = None
    doc_type: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    sort: str = "relevance"
    page: int = 1
    limit: int = defaults.PAGE_SIZE

    @property
    def has_filters(self) -> bool:
        return any((self.committee, self.doc_type, self.date_from, self.date_to))

    @property
    def year(self) -> str | None:
        """The year when the date range is exactly one calendar year (what a year facet sets)."""
        year = (self.date_from or "")[:4]
        return year if (self.date_from, self.date_to) == (f"{year}-01-01", f"{year}-12-31") else None

    def search_options(self) -> dict[str, Any]:
        return {
            "limit": self.limit,
            "page": self.page,
            "committee": self.committee,
            "doc_type": self.doc_type,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "sort": self.sort,
        }

    def args(self, **changes: Any) -> dict[str, Any]:
        """URL parameters for this search with `changes`; any change but paging starts at page 1."""
        if "page" not in changes:
            changes["page"] = 1
        params = replace(self, **changes)
        pairs: dict[str, str | int | None] = {
            "q": params.q or None,
            "committee": params.committee,
            "type": params.doc_type,
            "from": params.date_from,
            "to": params.date_to,
            "sort": params.sort if params.sort != "relevance" else None,
            "page": params.page if params.page != 1 else None,
            "limit": params.limit if params.limit != defaults.PAGE_SIZE else None,
        }
        return {key: value for key, value in pairs.items() if value is not None}


def parse_params(args: Mapping[str, str]) -> SearchParams:
    """Validate the query string; raises QueryError (InvalidOptionError for the options).

    What the library checks anyway is left to it, so that every surface says the same: a start
    date after the end date, a query over defaults.MAX_QUERY_CHARS (cut, with a notice)."""
    q = args.get("q", "")
    sort = args.get("sort") or "relevance"
    if sort not in SORTS:
        raise InvalidOptionError("option.sort")
    # Date inputs are plain text (a browser's date picker shows the visitor's locale and sends
    # nothing for a half-typed date): any form parse_bound knows, "2020", "03/2020", "15/03/2020".
    date_from = parse_bound(args["from"], upper=False) if args.get("from") else None
    date_to = parse_bound(args["to"], upper=True) if args.get("to") else None
    if args.get("year"):  # a whole year, narrowing any from/to given with it
        first, last = year_bounds(args["year"])
        date_from = max(date_from or first, first)
        date_to = min(date_to or last, last)
    return SearchParams(
        q=q.strip(),
        committee=args.get("committee") or None,
        doc_type=args.get("type") or None,
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        page=number_option("page", args["page"]) if args.get("page") else 1,
        limit=number_option("limit", args["limit"]) if args.get("limit") else defaults.PAGE_SIZE,
    )


# -- the index, shared by all requests ------------------------------------------------------


class IndexService:
    """The one Index kept open for the app's life, behind a lock: Whoosh searchers are not thread-safe."""

    def __init__(self, index_path: str) -> None:
        self.path = index_path
        self._ix = Index.open(index_path)
        self._lock = threading.Lock()

    def search(self, params: SearchParams, *, timeline: bool = True) -> SearchResult:
        with self._lock:
            if not params.q and not params.has_filters:  # the start page: the newest documents
                return self._ix.browse(limit=params.limit, page=params.page, timeline=timeline)
            return self._ix.search(params.q, timeline=timeline, **params.search_options())

    def stats(self) -> Stats:
        with self._lock:
            return self._ix.stats()

    def get(self, doc_id: str) -> Document | None:
        with self._lock:
            return self._ix.get(doc_id)

    def citations(self, doc_id: str) -> Citations | None:
        with self._lock:
            return self._ix.citations(doc_id)

    def related(self, doc_id: str) -> tuple[RelatedDocument, ...] | None:
        with self._lock:
            return self._ix.related(doc_id)

    def most_cited(self) -> tuple[MostCited, ...]:
        with self._lock:
            return self._ix.most_cited(limit=HOME_MOST_CITED)

    def highlight(self, text: str, query: str) -> str:
        with self._lock:
            return str(self._ix.highlight(text, query))

    def warm(self) -> None:
        with self._lock:
            self._ix.warm()

    def count(self) -> int:
        with self._lock:
            return len(self._ix)

    def close(self) -> None:
        with self._lock:
            self._ix.close()


def _unless_on_a_cluster(read: Callable[[], T], instead: T) -> T:
    """`read()`, or `instead` on a cluster engine, which has no citations or related documents
    (cluster.no_citations): pages answer without those sections rather than fail."""
    try:
        return read()
    except VnsearchError as error:
        if error.code != "cluster.no_citations":
            raise
        return instead


def _service(app: Flask) -> IndexService:
    service: IndexService = app.extensions["vnsearch"]
    return service


# -- links and formatting used by the templates ----------------------------------------------


def search_url(params: SearchParams, **changes: Any) -> str:
    """The search page for `params` with `changes` (field names of SearchParams)."""
    return url_for("search", **params.args(**changes))


def doc_url(doc_id: str, q: str = "", *, api: bool = False) -> str:
    """A link to one document; its first match is the fragment when there is a query.

    Ids may hold '/', ':' and spaces. Ids a browser would rewrite in a path ('/' first, or
    '.' and '..' segments) go in the query string instead.
    """
    endpoint = "api_document" if api else "document"
    query: dict[str, Any] = {"q": q} if q else {}
    if doc_id and not doc_id.startswith("/") and not {".", ".."} & set(doc_id.split("/")):
        url = url_for(endpoint, doc_id=doc_id, **query)
    else:
        url = url_for(endpoint + "_by_query", id=doc_id, **query)
    return url + "#first-match" if q and not api else url


def safe_source_url(url: str | None) -> str | None:
    """The document's source link, only when it is http(s): a `javascript:` URL must not become a link."""
    if not url:
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in ("http", "https") else None


def vn_date(value: str | None) -> str:
    """ISO date -> the Vietnamese day/month/year form."""
    if not value:
        return ""
    try:
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    except ValueError:
        return value


def vn_number(value: int) -> str:
    """1234567 -> "1.234.567": Vietnamese groups thousands with dots."""
    return f"{value:,}".replace(",", ".")


def page_window(page: int, pages: int, width: int = 2) -> list[int | None]:
    """Page numbers to link around `page`, with None where pages are left out."""
    shown = sorted({1, pages, *range(max(1, page - width), min(pages, page + width) + 1)})
    window: list[int | None] = []
    for number in shown:
        if window and number - (window[-1] or 0) > 1:
            window.append(None)
        window.append(number)
    return window


def empty_result_tips(params: SearchParams) -> list[str]:
    """What to try when nothing matched, most likely fix first."""
    tips = []
    typed_latin = any(c.isascii() and c.isalpha() for c in params.q)
    if typed_latin and not has_diacritics(normalize(params.q)):
        tips.append("diacritics")
    if params.has_filters:
        tips.append("filters")
    if len(params.q.split()) > 2:
        tips.append("fewer_words")
    return tips


def sorted_facet(counts: Mapping[str, int], name: str) -> list[tuple[str, int]]:
    """Facet values to list: years newest first, the others most frequent first."""
    if name == "year":
        return sorted(counts.items(), key=lambda item: item[0], reverse=True)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


# -- the application ------------------------------------------------------------------------


def create_app(index_path: str) -> Flask:
    """The web app over the index at `index_path`; raises the library's error when it cannot open."""
    app = Flask(__name__)
    app.url_map.merge_slashes = False  # ids may hold "//"; redirecting would change the id
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True  # tidy HTML from block tags
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # Vietnamese stays readable
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep to_dict()'s order
    app.extensions["vnsearch"] = IndexService(index_path)
    app.jinja_env.globals.update(
        doc_url=doc_url,
        search_url=search_url,
        page_window=page_window,
        FACET_SHOWN=FACET_SHOWN,
        LINKS_SHOWN=LINKS_SHOWN,
        max_page=defaults.MAX_PAGE,
        max_query_chars=defaults.MAX_QUERY_CHARS,
        message=lambda code: render(code, {}, "vi"),  # the page's sentences from the catalogue
    )
    app.jinja_env.filters.update(vn_date=vn_date, vn_number=vn_number, sorted_facet=sorted_facet)
    app.after_request(_add_security_headers)
    register_timeline_view(app)
    _register_pages(app)
    _register_api(app)
    register_api_description(app)
    _register_error_handlers(app)
    return app


def _add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _register_pages(app: Flask) -> None:
    @app.get("/")
    def search() -> tuple[str, int]:
        raw_q = request.args.get("q", "")
        try:
            params = parse_params(request.args)
        except QueryError as error:
            shown = SearchParams(q=raw_q)
            return render_template("search.html", params=shown, result=None, error=_describe_vi(error)), 400
        # No words: the documents within the filters, newest first (on the start page, all of them).
        home = not params.q and not params.has_filters
        try:
            result = _service(app).search(params)
        except VnsearchError as error:
            if isinstance(error, INDEX_UNAVAILABLE):
                raise
            return render_template("search.html", params=params, result=None, error=_describe_vi(error)), 400
        tips = empty_result_tips(params) if result.total == 0 else []
        none_cited: tuple[MostCited, ...] = ()
        most_cited = _unless_on_a_cluster(_service(app).most_cited, none_cited) if home else none_cited
        return render_template("search.html", params=params, result=result, tips=tips, home=home,
                               count=result.total, autofocus=home, most_cited=most_cited), 200

    @app.get("/search")
    def search_elsewhere() -> BaseResponse:
        # The page lives at "/", but "/search?q=…" is the address people type: take them there,
        # query string and all. 302, not 301: a browser would keep a permanent one for ever.
        query_string = request.query_string.decode("latin-1")
        return redirect(url_for("search") + (f"?{query_string}" if query_string else ""))

    @app.get("/doc/<path:doc_id>")
    def document(doc_id: str) -> tuple[str, int]:
        return _render_document(app, doc_id)

    @app.get("/doc")
    def document_by_query() -> tuple[str, int]:
        return _render_document(app, _id_parameter())


def _render_document(app: Flask, doc_id: str) -> tuple[str, int]:
    service = _service(app)
    doc = service.get(doc_id)
    if doc is None:
        message = render("document.not_found", {"id": doc_id}, "vi")
        return render_template("error.html", status=404, message=message, params=SearchParams()), 404
    q = request.args.get("q", "").strip()
    text_html = None
    if q:
        try:
            text_html = service.highlight(doc.text, q)
        except VnsearchError:
            text_html = None  # a query that cannot be understood still shows the document, unmarked
    page = render_template(
        "document.html",
        doc=doc,
        q=q,
        params=SearchParams(q=q),
        text_html=text_html,
        matched=text_html is not None and "<mark" in text_html,
        source_url=safe_source_url(doc.url),
        citations=_unless_on_a_cluster(lambda: service.citations(doc_id), None),
        related=_unless_on_a_cluster(lambda: service.related(doc_id), None),
    )
    return page, 200


def _register_api(app: Flask) -> None:
    @app.get("/api/search")
    def api_search() -> Response:
        params = parse_params(request.args)  # errors: see library_error below
        if not params.q and not params.has_filters:  # filters alone list their documents
            raise InvalidOptionError("option.missing_query")
        if request.args.get("format", "json") != "json":
            return csv_download(_service(app), params, request.args["format"])
        return jsonify(_service(app).search(params).to_dict())

    @app.get("/api/doc/<path:doc_id>")
    def api_document(doc_id: str) -> Response:
        return _document_json(app, doc_id)

    @app.get("/api/doc")
    def api_document_by_query() -> Response:
        return _document_json(app, _id_parameter())

    @app.get("/api/doc/<path:doc_id>/related")
    def api_related(doc_id: str) -> Response:
        if _service(app).get(doc_id) is None and _service(app).get(doc_id + "/related") is not None:
            return _document_json(app, doc_id + "/related")  # an id ending in "/related" is a document
        return _related_json(app, doc_id)

    @app.get("/api/related")
    def api_related_by_query() -> Response:
        return _related_json(app, _id_parameter())


def _id_parameter() -> str:
    """The `id` of a route taking it in the query string; raises InvalidOptionError (400) when it
    is missing or empty: a request that names no document, not a document that is not there (404)."""
    doc_id = request.args.get("id", "")
    if not doc_id:
        raise InvalidOptionError("option.missing_id")
    return doc_id


def _document_json(app: Flask, doc_id: str) -> Response:
    doc = _service(app).get(doc_id)
    if doc is None:
        return _json_error(VnsearchError("document.not_found", id=doc_id).to_dict(), 404)
    citations = _unless_on_a_cluster(lambda: _service(app).citations(doc_id), None)  # a cluster: the document alone
    return jsonify({**doc.to_dict(), **(citations.to_dict() if citations else {})})


def _related_json(app: Flask, doc_id: str) -> Response:
    related = _service(app).related(doc_id)
    if related is None:
        return _json_error(VnsearchError("document.not_found", id=doc_id).to_dict(), 404)
    return jsonify({"id": doc_id, "related": [item.to_dict() for item in related]})


def _json_error(error: str | dict[str, Any], status: int) -> Response:
    """{"error": English message, "status": ...}; library errors add "code" (and "hint")."""
    body = dict(error) if isinstance(error, dict) else {"error": error}
    response = jsonify({**body, "status": status})
    response.status_code = status
    return response


def _describe_vi(error: VnsearchError) -> str:
    """The error for the page: its Vietnamese message, and the hint when there is one."""
    hint = error.hint_text("vi")
    return f"{error.message('vi')} ({hint})" if hint else error.message("vi")


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response | str, int]:
        status = error.code or 500
        if _wants_json():
            return _json_error(error.description or error.name, status), status
        message = HTTP_MESSAGES_VI.get(status, error.name)
        return render_template("error.html", status=status, message=message, params=SearchParams()), status

    @app.errorhandler(VnsearchError)
    def library_error(error: VnsearchError) -> tuple[Response | str, int]:
        # A query the library refuses is the caller's mistake; an index it cannot read is ours.
        status = 503 if isinstance(error, INDEX_UNAVAILABLE) else 400
        if _wants_json():
            return _json_error(error.to_dict(), status), status
        return render_template("error.html", status=status, message=_describe_vi(error), params=SearchParams()), status

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> tuple[Response | str, int]:
        log.exception("unexpected error on %s", request.path)
        if _wants_json():
            return _json_error("internal error", 500), 500
        return render_template("error.html", status=500, message=HTTP_MESSAGES_VI[500], params=SearchParams()), 500


# -- serving: see server.py ------------------------------------------------------------------


def serve(index_path: str, *, host: str, port: int, workers: int = 1,
          on_ready: Callable[[str], None] | None = None) -> None:
    """Serve the app until interrupted (`server.serve`)."""
    from .server import serve as serve_with_workers

    serve_with_workers(index_path, host=host, port=port, workers=workers, on_ready=on_ready)
