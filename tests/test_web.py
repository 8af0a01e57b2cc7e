"""The search page, document page and JSON API through Flask's test client.

One small index is built per module from the documents below: a few real-looking ones, a
batch of news items for paging, hostile ones whose title, text, committee and source URL try
to inject HTML, and ids a browser would mangle in a path.
"""

from __future__ import annotations

import html
import re
import socket
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st

from vnsearch import Document, Index, IndexNotFoundError
from vnsearch.cli import main
from vnsearch.defaults import MAX_PAGE, MAX_PAGE_SIZE, MAX_QUERY_CHARS
from vnsearch.web import create_app
from vnsearch.web.app import page_window

HOSTILE_TITLE = "<script>alert('tiêu đề')</script> Chống tham nhũng <img src=x onerror=alert(1)>"
HOSTILE_TEXT = 'Mở đầu <script>alert(2)</script> văn bản về tham nhũng <img src=x onerror=alert(3)> & "trích dẫn"'
HOSTILE_COMMITTEE = "<b>Ban</b> Tỉnh ủy"
ODD_ID = "vb/2022/21-NQ:TW bản gốc"  # '/', ':' and spaces in one id
NEWS_COUNT = 14

DOCUMENTS = [
    Document(
        id=ODD_ID,
        title="Nghị quyết 21-NQ/TW về công tác phòng, chống tham nhũng",
        text="Bộ Chính trị ban hành Nghị quyết.\n\n    Đấu tranh phòng, chống tham nhũng, lãng phí là nhiệm vụ trọng tâm.",
        date="2022-06-16",
        committee="Bộ Chính trị",
        doc_type="Nghị quyết",
        number="21-NQ/TW",
        url="https://example.org/21",
    ),
    Document(
        id="kl-77",
        title="Kết luận thanh tra về phòng, chống tham nhũng",
        text="Thanh tra Chính phủ kết luận về việc phòng, chống tham nhũng tại địa phương.",
        date="2023-03-01",
        committee="Thanh tra Chính phủ",
        doc_type="Kết luận",
        number="77/KL-TTTCP",
    ),
    Document(
        id="luat-41",
        title="Luật Bảo hiểm xã hội",
        text="Quốc hội ban hành Luật Bảo hiểm xã hội. Căn cứ Hiến pháp.",
        date="2024-06-29",
        committee="Quốc hội",
        doc_type="Luật",
        number="41/2024/QH15",
    ),
    Document(
        id="hostile",
        title=HOSTILE_TITLE,
        text=HOSTILE_TEXT,
        date="2021-01-02",
        committee=HOSTILE_COMMITTEE,
        doc_type="Tin tức",
        url="javascript:alert(4)",
    ),
    Document(id="/leading-slash", title="Văn bản mã bắt đầu bằng gạch chéo", text="Bảo hiểm y tế toàn dân."),
    Document(id="a/../b", title="Văn bản mã có dấu chấm", text="Bảo hiểm thất nghiệp."),
] + [
    Document(
        id=f"tin-{n:02d}",
        title=f"Tin số {n}: hội nghị bàn về chống tham nhũng",
        text=f"Ban Thường vụ Tỉnh ủy họp lần {n}, bàn biện pháp chống tham nhũng, lãng phí.",
        date=f"{2010 + n}-05-01",
        committee="Ban Thường vụ Tỉnh ủy",
        doc_type="Tin tức",
    )
    for n in range(1, NEWS_COUNT + 1)
]
THAM_NHUNG_DOCS = 3 + NEWS_COUNT  # every document above that holds "tham nhũng"

NASTY_QUERIES = [
    " ",
    '"',
    '""',
    '"tham nhũng',
    "(",
    ")(",
    "AND",
    "OR NOT",
    "NOT tham",
    "-",
    "--tham",
    "+",
    "*",
    "?",
    "~2",
    "^",
    ":",
    "committee:",
    "title:<script>",
    "/",
    "\\",
    "%",
    "%00",
    "\x00",
    "\x00tham\x00",
    "\u0301",
    "\u200b\ufeff",
    "\xa0tham\xa0nhũng",
    "🙂 tham nhũng",
    "\u202etham",
    "21-NQ/TW",
    "21-NQ/",
    "/TW",
    "29/12/2012",
    "ngày 29 tháng 12 năm 2012",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "' OR 1=1 --",
    "{{ 7*7 }}",
    "a" * MAX_QUERY_CHARS,
    "tham nhũng " * 90,
    "UBND HĐND TW BCH",
]


# -- fixtures and helpers -------------------------------------------------------------------


@pytest.fixture(scope="module")
def index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("web") / "index"
    with Index.create(path) as ix:
        ix.add(DOCUMENTS, workers=1)
    return path


@pytest.fixture(scope="module")
def app(index_path: Path) -> Iterator[Flask]:
    app = create_app(str(index_path))
    yield app
    app.extensions["vnsearch"].close()


@pytest.fixture(scope="module")
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class _Links(HTMLParser):
    """Every <a href> with its text, and every <input name value>."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.inputs: dict[str, str] = {}
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self._href, self._text = values["href"], []
        if tag == "input" and values.get("name") and values.get("name") not in self.inputs:
            self.inputs[values["name"] or ""] = values.get("value") or ""

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None


def parse_page(body: str) -> _Links:
    parser = _Links()
    parser.feed(body)
    return parser


def link_to(body: str, text: str) -> str:
    """The href of the first link whose text starts with `text`."""
    for href, label in parse_page(body).links:
        if label.startswith(text):
            return href
    raise AssertionError(f"no link {text!r} in page")


def facet_link(body: str, param: str, value: str) -> str:
    """The href of the first link that sets URL parameter `param` to `value` (a facet or filter link)."""
    for href, _ in parse_page(body).links:
        if parse_qs(urlsplit(href).query).get(param) == [value]:
            return href
    raise AssertionError(f"no link setting {param}={value!r}")


def page(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def total_on(body: str) -> int:
    match = re.search(r'<p class="total"><strong>([\d.]+)</strong> kết quả', body)
    assert match, "no total on the page"
    return int(match.group(1).replace(".", ""))


def hit_ids(client: FlaskClient, **params: object) -> list[str]:
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 200, response.get_json()
    return [hit["id"] for hit in response.get_json()["hits"]]


# -- the search page ------------------------------------------------------------------------


def test_start_page_has_query_box_and_document_count(client: FlaskClient) -> None:
    body = page(client, "/")
    assert 'name="q"' in body and "Tìm kiếm" in body
    assert f"<strong>{len(DOCUMENTS)}</strong> văn bản" in body
    assert 'lang="vi"' in body and 'name="viewport"' in body


def test_security_headers_on_every_response(client: FlaskClient) -> None:
    for url in ("/", "/?q=tham", "/api/search?q=tham", "/nope", "/static/style.css"):
        headers = client.get(url).headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "script-src" not in headers["Content-Security-Policy"]  # default-src 'none': no script at all
        assert "default-src 'none'" in headers["Content-Security-Policy"]
        assert headers["Referrer-Policy"] == "no-referrer"


def test_results_show_total_titles_metadata_and_marked_snippets(client: FlaskClient) -> None:
    body = page(client, "/?q=phòng chống tham nhũng")
    assert total_on(body) >= 2
    assert "kết quả cho «phòng chống tham nhũng»" in body
    assert "<mark>" in body
    assert "16/06/2022" in body and "Bộ Chính trị" in body and "Nghị quyết" in body
    assert parse_page(body).inputs["q"] == "phòng chống tham nhũng"  # the box keeps the query


def test_query_without_diacritics_finds_and_marks_the_words(client: FlaskClient) -> None:
    body = page(client, "/?q=tham nhung")
    assert total_on(body) == THAM_NHUNG_DOCS
    assert "<mark>tham nhũng</mark>" in body


def test_result_title_links_to_document_at_first_match(client: FlaskClient) -> None:
    body = page(client, "/?q=tham nhũng")
    href = link_to(body, "Kết luận thanh tra")
    assert href.endswith("#first-match")
    doc = page(client, href.split("#")[0])
    assert 'id="first-match"' in doc


def test_committee_facet_narrows_and_the_active_filter_can_be_removed(client: FlaskClient) -> None:
    body = page(client, "/?q=tham nhũng")
    before = total_on(body)
    narrowed = page(client, facet_link(body, "committee", "Bộ Chính trị"))
    assert total_on(narrowed) == 1 < before
    assert "Cơ quan ban hành: Bộ Chính trị" in narrowed
    assert parse_page(narrowed).inputs["committee"] == "Bộ Chính trị"  # a new query keeps the filter
    removed = page(client, link_to(narrowed, "Cơ quan ban hành: Bộ Chính trị"))
    assert total_on(removed) == before


def test_type_facet_narrows(client: FlaskClient) -> None:
    body = page(client, "/?q=tham nhũng")
    narrowed = page(client, facet_link(body, "type", "Kết luận"))
    assert total_on(narrowed) == 1
    assert "Loại văn bản: Kết luận" in narrowed


def test_year_facet_sets_a_whole_year_range(client: FlaskClient) -> None:
    body = page(client, "/?q=tham nhũng")
    href = facet_link(body, "from", "2022-01-01")
    assert parse_qs(urlsplit(href).query)["to"] == ["2022-12-31"]
    narrowed = page(client, href)
    assert total_on(narrowed) == 2  # 21-NQ/TW and tin-12
    assert "Năm 2022" in narrowed


def test_date_range_filters_and_is_validated(client: FlaskClient) -> None:
    body = page(client, "/?q=tham nhũng&from=2020-01-01&to=2023-12-31")
    assert total_on(body) == 3 + 4  # 21-NQ, KL-77, the hostile one, and the news of 2020 to 2023
    assert "Từ ngày 01/01/2020" in body and "Đến ngày 31/12/2023" in body
    assert 'value="01/01/2020"' in body  # the date inputs keep the range, in the form they accept
    assert "không phải là ngày" in page(client, "/?q=tham&from=2020-13-45", 400)
    assert "phải trước" in page(client, "/?q=tham&from=2024-01-01&to=2020-01-01", 400)


def test_a_reversed_date_range_is_the_library_s_error_on_the_page_and_in_the_api(client: FlaskClient) -> None:
    body = html.unescape(page(client, "/?q=tham&from=2025&to=2024", 400))
    assert "«Từ ngày» (2025-01-01) phải trước «Đến ngày» (2024-12-31)" in body
    data = client.get("/api/search", query_string={"q": "tham", "from": "2025", "to": "2024"}).get_json()
    assert data["code"] == "option.dates_reversed" and data["status"] == 400
    in_query = client.get("/api/search", query_string={"q": "tham date:2024..2023"}).get_json()
    assert in_query["notices"][0]["params"]["reason"]["code"] == "option.dates_reversed"
    alone = client.get("/api/search", query_string={"q": "date:2024..2023"})
    assert alone.status_code == 400 and alone.get_json()["code"] == "option.dates_reversed"


@pytest.mark.parametrize("param,code", [("page=-1", "option.page_range"), ("limit=-5", "option.limit_range"),
                                        ("page=1.5", "option.not_a_number")])
def test_a_negative_page_or_limit_gets_the_range_message(client: FlaskClient, param: str, code: str) -> None:
    response = client.get(f"/api/search?q=tham&{param}")
    assert response.status_code == 400 and response.get_json()["code"] == code


@pytest.mark.parametrize("start,end", [("2020", "2023"), ("2020-01", "2023-12"), ("01/01/2020", "31/12/2023"),
                                       ("2020-01-01", "2023-12-31"), ("1/2020", "12/2023")])
def test_date_inputs_take_a_year_a_month_or_a_day_in_either_order(client: FlaskClient, start: str, end: str) -> None:
    body = page(client, f"/?q=tham nhũng&from={start}&to={end}")
    assert total_on(body) == 3 + 4
    assert "Từ ngày 01/01/2020" in body and "Đến ngày 31/12/2023" in body
    data = client.get("/api/search", query_string={"q": "tham nhũng", "from": start, "to": end}).get_json()
    assert data["total"] == 3 + 4 and data["filters"]["date_from"] == "2020-01-01"


def test_date_inputs_are_text_with_a_vietnamese_placeholder(client: FlaskClient) -> None:
    body = page(client, "/?q=tham nhũng")
    inputs = re.findall(r'<input type="(\w+)" name="(from|to)"[^>]*placeholder="vd\. [^"]+"', body)
    assert [kind for kind, _ in inputs] == ["text", "text"]  # never type="date": its format follows the browser's locale


@pytest.mark.parametrize("param,said", [
    ("from=2025-13-45", "13 không phải là tháng"),
    ("to=30/02/2024", "tháng 2/2024 không có ngày 30"),
    ("from=hôm qua", "không phải là ngày"),
    ("year=20x", "không phải là năm"),
])
def test_a_wrong_date_says_which_part_is_wrong(client: FlaskClient, param: str, said: str) -> None:
    assert said in html.unescape(page(client, f"/?q=tham&{param}", 400))
    error = client.get(f"/api/search?q=tham&{param}").get_json()["error"]
    assert "not a date:" in error or "is not a" in error


def test_date_in_the_query_says_which_part_is_wrong(client: FlaskClient) -> None:
    alone = html.unescape(page(client, "/?q=date:2025-13-45", 400))
    assert "13 không phải là tháng" in alone and "không có từ nào" not in alone
    data = client.get("/api/search", query_string={"q": "date:2025-13-45"}).get_json()
    assert data["code"] == "date.bad_month" and "13 is not a month" in data["error"]
    with_words = client.get("/api/search", query_string={"q": "tham date:2025-13-45"}).get_json()
    assert with_words["notices"][0]["code"] == "query.filter_ignored"
    assert with_words["notices"][0]["params"]["reason"]["code"] == "date.bad_month"


def test_year_works_in_the_api(client: FlaskClient) -> None:
    data = client.get("/api/search?q=tham nhũng&year=2022").get_json()
    assert data["total"] == 2 and data["filters"]["date_from"] == "2022-01-01" and data["filters"]["date_to"] == "2022-12-31"
    narrowed = client.get("/api/search?q=tham nhũng&year=2022&from=2022-06").get_json()
    assert narrowed["filters"]["date_from"] == "2022-06-01"


def test_sort_by_date_newest_first(client: FlaskClient) -> None:
    ids = hit_ids(client, q="tham nhũng", sort="date", limit=5)
    assert ids == ["tin-14", "tin-13", "kl-77", ODD_ID, "tin-12"]  # 2024-05, 2023-05, 2023-03, 2022-06, 2022-05
    body = page(client, "/?q=tham nhũng")
    assert "sort=date" in link_to(body, "Mới nhất")


def test_paging_links_walk_through_every_result(client: FlaskClient) -> None:
    seen: list[str] = []
    url = "/?q=tham nhũng&limit=5"
    pages = 0
    while True:
        body = page(client, url)
        pages += 1
        seen += re.findall(r'<li class="hit">\s*<h2><a href="([^"]+)"', body)
        if "Trang sau" not in body:
            break
        url = html.unescape(link_to(body, "Trang sau"))
    assert pages == -(-THAM_NHUNG_DOCS // 5)
    assert len(seen) == len(set(seen)) == THAM_NHUNG_DOCS
    assert "Trang trước" in body and f"Trang {pages}/{pages}" in body


def test_page_past_the_end_says_so_and_links_to_the_last_page(client: FlaskClient) -> None:
    last = client.get("/api/search?q=tham nhũng").get_json()
    pages = -(-(last["total"] + last["near_total"]) // last["limit"])
    body = page(client, "/?q=tham nhũng&page=50")
    assert f"Trang 50 vượt quá trang cuối cùng (trang {pages})" in body
    assert f"page={pages}" in html.unescape(link_to(body, f"Đến trang cuối ({pages})"))
    data = client.get("/api/search?q=tham nhũng&page=50").get_json()
    assert data["hits"] == [] and data["notices"] == [
        {"code": "page.past_end", "params": {"page": 50, "pages": pages},
         "message": f"page 50 is past the last page ({pages})"}]
    nothing = client.get("/api/search?q=xyzzyq&page=50").get_json()
    assert "page.past_end" not in str(nothing)  # nothing matched: no pages to be past


@pytest.mark.parametrize("param", ["page=0", "page=-1", "page=abc", f"page={MAX_PAGE + 1}", "page=1e3", "limit=0", "limit=x",
                                   "sort=score", "from=yesterday", "to=2024-02-30", "page=٣"])
def test_bad_parameters_are_400_on_page_and_api(client: FlaskClient, param: str) -> None:
    assert "message error" in page(client, f"/?q=tham&{param}", 400)
    response = client.get(f"/api/search?q=tham&{param}")
    assert response.status_code == 400
    assert set(response.get_json()) == {"error", "code", "status"} and response.get_json()["status"] == 400
    assert response.get_json()["code"].split(".")[0] in ("option", "date")


@pytest.mark.parametrize("limit", [str(MAX_PAGE_SIZE + 1), "100000", "9" * 5000])
def test_a_limit_over_the_maximum_is_refused_not_capped(client: FlaskClient, limit: str) -> None:
    response = client.get(f"/api/search?q=tham&limit={limit}")
    assert response.status_code == 400
    assert response.get_json()["error"] == f"limit must be between 1 and {MAX_PAGE_SIZE}"
    assert f"từ 1 đến {MAX_PAGE_SIZE}" in page(client, f"/?q=tham&limit={limit}", 400)


def test_the_largest_limit_is_allowed(client: FlaskClient) -> None:
    assert client.get(f"/api/search?q=tham&limit={MAX_PAGE_SIZE}").get_json()["limit"] == MAX_PAGE_SIZE
    assert client.get("/api/search?q=tham&page=" + "9" * 5000).status_code == 400


def test_too_long_query_is_cut_with_a_notice_as_in_the_cli_and_library(client: FlaskClient) -> None:
    long_query = "tham " * (MAX_QUERY_CHARS // 5 + 1)
    body = page(client, "/?q=" + long_query)
    assert "Câu tìm kiếm đã được cắt" in body
    data = client.get("/api/search", query_string={"q": long_query}).get_json()
    assert data["total"] > 0 and "query.cut" in [notice["code"] for notice in data["notices"]]


def test_empty_result_suggests_diacritics_for_plain_ascii_queries(client: FlaskClient) -> None:
    body = page(client, "/?q=xyzzyq")
    assert "Không tìm thấy kết quả nào" in body
    assert "có dấu" in body


def test_empty_result_with_filters_offers_to_drop_them(client: FlaskClient) -> None:
    body = page(client, "/?q=bảo hiểm xã hội&committee=Bộ Chính trị")
    assert "Không tìm thấy kết quả nào" in body
    assert "có dấu" not in body  # the query had diacritics
    dropped = page(client, link_to(body, "Tìm lại không dùng bộ lọc"))
    assert total_on(dropped) >= 1


# -- the document page ----------------------------------------------------------------------


def test_document_page_shows_metadata_and_marked_text(client: FlaskClient) -> None:
    body = page(client, "/doc/kl-77?q=tham nhung")
    assert "Kết luận thanh tra về phòng, chống tham nhũng" in body
    for label in ("Số hiệu", "77/KL-TTTCP", "Ngày ban hành", "01/03/2023", "Cơ quan ban hành", "Thanh tra Chính phủ"):
        assert label in body
    assert '<mark id="first-match">tham nhũng</mark>' in body
    assert 'href="#first-match"' in body


def test_document_text_keeps_its_line_breaks(client: FlaskClient) -> None:
    body = page(client, "/doc/" + ODD_ID)
    assert "Nghị quyết.\n\n    Đấu tranh" in body  # shown with white-space: pre-wrap
    assert "<mark" not in body.split('class="doc-text"')[1]  # nothing to mark without a query


@pytest.mark.parametrize("doc_id", [ODD_ID, "/leading-slash", "a/../b", "tin-01"])
def test_every_id_is_reachable_from_its_result_link(client: FlaskClient, doc_id: str) -> None:
    from vnsearch.web.app import doc_url

    with client.application.test_request_context():
        url = doc_url(doc_id)
        api_url = doc_url(doc_id, api=True)
    body = page(client, url)
    assert "<code>" + html.escape(doc_id) + "</code>" in body
    assert client.get(api_url).get_json()["id"] == doc_id


def test_unknown_document_is_404(client: FlaskClient) -> None:
    assert "Không có văn bản nào" in page(client, "/doc/no-such-id", 404)
    assert "Thiếu tham số id" in html.unescape(page(client, "/doc?id=", 400))  # no id given: not an unknown one


# -- hostile documents and queries ----------------------------------------------------------


def _assert_inert(body: str) -> None:
    """No markup from documents or queries survived: only our own tags remain."""
    assert "<script" not in body.lower()
    assert "<img" not in body.lower()
    assert "<b>" not in body
    assert not [href for href in re.findall(r'href="([^"]*)"', body.lower()) if href.strip().startswith("javascript:")]


def test_hostile_document_is_escaped_in_results(client: FlaskClient) -> None:
    body = page(client, "/?q=tham nhũng&limit=100")
    _assert_inert(body)
    assert "&lt;script&gt;alert(" in body
    assert "&lt;b&gt;Ban&lt;/b&gt; Tỉnh ủy" in body  # in the committee facet and the hit's metadata


def test_hostile_document_is_escaped_on_its_page(client: FlaskClient) -> None:
    for url in ("/doc/hostile", "/doc/hostile?q=tham nhũng", "/doc/hostile?q=script"):
        body = page(client, url)
        _assert_inert(body)
        assert "&lt;img src=x onerror=alert(3)&gt;" in body
        assert 'href="javascript' not in body.lower()  # its source URL is shown, not linked
        assert "javascript:alert(4)" in body


@pytest.mark.parametrize("query", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><script>alert(1)</script>'])
def test_hostile_queries_are_escaped(client: FlaskClient, query: str) -> None:
    for url in ("/", "/doc/kl-77"):
        response = client.get(url, query_string={"q": query})
        assert response.status_code in (200, 400)
        _assert_inert(response.get_data(as_text=True))


def test_hostile_facet_value_round_trips_as_a_filter(client: FlaskClient) -> None:
    body = page(client, "/?q=tham nhũng")
    narrowed = page(client, facet_link(body, "committee", HOSTILE_COMMITTEE))
    assert total_on(narrowed) == 1
    _assert_inert(narrowed)


@pytest.mark.parametrize("query", NASTY_QUERIES)
def test_no_query_string_causes_a_server_error(client: FlaskClient, query: str) -> None:
    for url in ("/", "/api/search", "/doc/kl-77"):
        response = client.get(url, query_string={"q": query})
        assert response.status_code in (200, 400), (url, query, response.get_data(as_text=True)[-500:])


@settings(max_examples=150, deadline=None)
@given(
    query=st.text(max_size=60),
    extra=st.dictionaries(st.sampled_from(["page", "limit", "sort", "from", "to", "type"]), st.text(max_size=12), max_size=3),
)
def test_no_generated_request_causes_a_server_error(client: FlaskClient, query: str, extra: dict[str, str]) -> None:
    response = client.get("/api/search", query_string={"q": query, **extra})
    assert response.status_code in (200, 400), response.get_json()
    assert client.get("/", query_string={"q": query, **extra}).status_code in (200, 400)


# -- the JSON API ---------------------------------------------------------------------------


def test_api_search_returns_exactly_the_library_result(client: FlaskClient, index_path: Path) -> None:
    params = {"q": "chống tham nhũng", "committee": "Ban Thường vụ Tỉnh ủy", "type": "Tin tức", "from": "2015-01-01",
              "to": "2022-12-31", "sort": "date", "page": "2", "limit": "3"}
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 200 and response.mimetype == "application/json"
    with Index.open(index_path) as ix:
        expected = ix.search("chống tham nhũng", committee="Ban Thường vụ Tỉnh ủy", doc_type="Tin tức", date_from="2015-01-01",
                             date_to="2022-12-31", sort="date", page=2, limit=3, timeline=True)
    assert response.get_json() == expected.to_dict()
    assert expected.total == 8 and len(expected.hits) == 3


def test_api_search_requires_a_query(client: FlaskClient) -> None:
    response = client.get("/api/search")
    assert response.status_code == 400
    assert response.get_json() == {"code": "option.missing_query", "error": "missing parameter q (the query)", "status": 400}


def test_api_document_returns_the_document(client: FlaskClient, index_path: Path) -> None:
    response = client.get("/api/doc/" + ODD_ID)
    assert response.status_code == 200
    with Index.open(index_path) as ix:
        expected = ix.get(ODD_ID)
    body = response.get_json()
    assert expected is not None and {key: body[key] for key in expected.to_dict()} == expected.to_dict()
    assert {"cites", "cited_by", "cited_by_total"} <= body.keys()  # tests/test_citations.py: what they hold
    assert client.get("/api/doc", query_string={"id": "/leading-slash"}).get_json()["id"] == "/leading-slash"


@pytest.mark.parametrize("url", ["/api/doc/no-such-id", "/api/doc?id=nope", "/api/nope", "/api/"])
def test_api_404s_are_json(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    data = response.get_json()
    assert data["status"] == 404 and data["error"]


def test_api_wrong_method_is_json_405(client: FlaskClient) -> None:
    response = client.post("/api/search?q=tham")
    assert response.status_code == 405
    assert response.get_json()["status"] == 405


def test_unknown_page_is_a_vietnamese_404(client: FlaskClient) -> None:
    assert "Không tìm thấy trang này" in page(client, "/no/such/page", 404)


# -- files, threads, lifecycle --------------------------------------------------------------


@pytest.mark.parametrize("url", ["/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py", "/static/..%5capp.py",
                                 "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/doc/../../../etc/passwd",
                                 "/doc?id=../../../../etc/passwd", "/api/doc/..%2f..%2fvnsearch-format.json"])
def test_no_request_reads_files_outside_the_static_folder(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "root:" not in body and "import" not in body and '"format"' not in body


def test_static_files_are_served(client: FlaskClient) -> None:
    response = client.get("/static/style.css")
    assert response.status_code == 200 and response.mimetype == "text/css"
    assert "http" not in response.get_data(as_text=True)  # nothing loads from the internet


def test_pages_load_nothing_from_elsewhere(client: FlaskClient) -> None:
    for url in ("/", "/?q=tham nhũng", "/doc/kl-77?q=tham"):
        body = page(client, url)
        sources = re.findall(r'(?:src|href)="([^"#]*)"', body)
        assert all(not s.startswith(("http:", "https:", "//")) or s == "https://example.org/21" for s in sources)


def test_concurrent_requests_share_the_index_safely(app: Flask) -> None:
    errors: list[str] = []

    def work(query: str) -> None:
        client = app.test_client()
        for _ in range(5):
            for url in (f"/api/search?q={query}", "/api/doc/kl-77", f"/doc/kl-77?q={query}"):
                response = client.get(url)
                if response.status_code != 200:
                    errors.append(f"{url}: {response.status_code}")

    threads = [threading.Thread(target=work, args=(q,)) for q in ("tham nhũng", "bảo hiểm", "tin", "hội nghị")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_app_never_writes_to_the_index(index_path: Path) -> None:
    def snapshot() -> dict[str, tuple[int, int]]:
        return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in index_path.iterdir()}

    before = snapshot()
    app = create_app(str(index_path))
    client = app.test_client()
    for url in ("/", "/?q=tham nhũng", "/doc/kl-77?q=tham", "/api/search?q=tham", "/api/doc/kl-77"):
        client.get(url)
    app.extensions["vnsearch"].close()
    assert snapshot() == before


def test_app_sees_documents_added_while_it_runs(tmp_path: Path) -> None:
    def document(doc_id: str) -> Document:
        return Document(
            id=doc_id, title=doc_id, text="Văn bản về môi trường.", committee="Quốc hội", doc_type="Luật", date="2024-01-01"
        )

    with Index.create(tmp_path / "ix") as ix:
        ix.add([document("one")], workers=1)
    app = create_app(str(tmp_path / "ix"))
    client = app.test_client()
    assert client.get("/api/search?q=môi trường").get_json()["total"] == 1
    with Index.open(tmp_path / "ix") as ix:
        ix.add([document("two")], workers=1)
    assert client.get("/api/search?q=môi trường").get_json()["total"] == 2
    app.extensions["vnsearch"].close()


def test_missing_index_fails_at_start(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFoundError):
        create_app(str(tmp_path / "none"))


def test_serve_without_index_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--index", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no index at")
    assert "Traceback" not in result.output


def test_serve_on_a_busy_port_is_a_one_line_error(index_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--index", str(index_path), "--port", str(port)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot listen on 127.0.0.1:{port}: ")
    assert "Hint: choose another port" in result.stderr


def test_serve_is_listed_in_help() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--host" in result.output and "--port" in result.output and "127.0.0.1" in result.output


def test_page_window_elides_far_pages() -> None:
    assert page_window(1, 3) == [1, 2, 3]
    assert page_window(10, 20) == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert page_window(2, 9) == [1, 2, 3, 4, None, 9]


def test_how_the_query_was_understood_is_said_in_vietnamese(client: FlaskClient) -> None:
    body = page(client, '/?q="tham nhũng')
    assert "Thiếu dấu ngoặc kép đóng" in body
    assert "cần tìm" in page(client, "/?q=-tham", 400)  # only excluded words: nothing to look for


def test_notices_are_shown_in_vietnamese_by_code(client: FlaskClient) -> None:
    # A notice the old regex table did not know showed in English on the page.
    body = page(client, '/?q=tham nhũng "!!!"')
    assert "Đã bỏ qua «!!!» vì không có chữ cái hay chữ số nào." in html.unescape(body)
    assert "has no letters" not in body


def test_api_notices_are_objects_with_code_params_and_english_message(client: FlaskClient) -> None:
    data = client.get("/api/search", query_string={"q": 'tham nhũng "!!!"'}).get_json()
    assert data["notices"] == [
        {"code": "query.no_letters", "params": {"text": "!!!"}, "message": "'!!!' has no letters or digits and was ignored"}
    ]


def test_errors_on_the_page_are_vietnamese_and_in_the_api_english(client: FlaskClient) -> None:
    body = html.unescape(page(client, "/?q=tham&sort=score", 400))
    assert "Cách sắp xếp phải là" in body and "sort must be" not in body
    data = client.get("/api/search?q=tham&sort=score").get_json()
    assert data == {"code": "option.sort", "error": "sort must be 'relevance' or 'date'", "status": 400}


def test_search_after_an_update_of_documents_without_metadata(tmp_path: Path) -> None:
    # Two segments, neither with a committee column: Whoosh's multi-segment column reader used to fail.
    with Index.create(tmp_path / "ix") as ix:
        ix.add([Document(id="one", title="Một", text="Văn bản về môi trường.")], workers=1)
    with Index.open(tmp_path / "ix") as ix:
        ix.add([Document(id="two", title="Hai", text="Văn bản về môi trường.")], workers=1)
    app = create_app(str(tmp_path / "ix"))
    assert app.test_client().get("/api/search?q=môi trường").status_code == 200
    app.extensions["vnsearch"].close()


@pytest.mark.parametrize("url", ["/api/related", "/api/related?id=", "/api/doc", "/api/doc?id="])
def test_an_api_route_given_no_id_is_a_bad_request_not_a_missing_document(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert response.get_json() == {"code": "option.missing_id", "error": "missing parameter id (the document's id)",
                                   "status": 400}


def test_the_document_page_given_no_id_says_so(client: FlaskClient) -> None:
    assert "Thiếu tham số id" in html.unescape(page(client, "/doc", 400))


def test_the_obvious_search_address_leads_to_the_results(client: FlaskClient) -> None:
    response = client.get("/search?q=tham%20nh%C5%A9ng&page=2")
    assert response.status_code == 302
    assert response.headers["Location"] == "/?q=tham%20nh%C5%A9ng&page=2"
    assert total_on(page(client, response.headers["Location"])) > 0
    assert client.get("/search").headers["Location"] == "/"
