"""The page's timeline, browsing without a query, the CSV download, /openapi.json and /api/stats,
through Flask's test client on `support.dated_documents()`."""

from __future__ import annotations

import csv
import inspect
import io
import re
from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from support import dated_documents
from vnsearch import Index
from vnsearch.web import create_app
from vnsearch.web.app import parse_params

DOCUMENTS: list[Any] = dated_documents()
THAM_NHUNG = [d for d in DOCUMENTS if "tham nhũng" in (d.title + " " + d.text).lower()]


@pytest.fixture(scope="module")
def app(dated_index_path: Path) -> Iterator[Flask]:
    app = create_app(str(dated_index_path))
    yield app
    app.extensions["vnsearch"].close()


@pytest.fixture(scope="module")
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class _Chart(HTMLParser):
    """The timeline's bar links (href, <title> text), its table rows, the hit ids and every link."""

    def __init__(self) -> None:
        super().__init__()
        self.bars: list[tuple[str, str]] = []
        self.table: list[list[str]] = []
        self.hits: list[str] = []
        self.links: list[tuple[str, str]] = []
        self._in: list[str] = []
        self._href = ""
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self._in.append(tag)
        if tag == "a":
            self._href, self._text = values.get("href") or "", []
        if tag == "tr":
            self.table.append([])
        if tag == "a" and "/doc/" in (values.get("href") or "") and "h2" in self._in:
            self.hits.append(urlsplit(values["href"] or "").path.removeprefix("/doc/"))

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "title" and "svg" in self._in:
            self.bars.append((self._href, data))
        elif self._in and self._in[-1] in ("th", "td") and "table" in self._in:
            self.table[-1].append(data)
        if "a" in self._in:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self.links.append((self._href, " ".join("".join(self._text).split())))
        while self._in and self._in.pop() != tag:
            pass


def parsed(client: FlaskClient, url: str) -> tuple[str, _Chart]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    body = response.get_data(as_text=True)
    chart = _Chart()
    chart.feed(body)
    return body, chart


def total_on(body: str) -> int:
    match = re.search(r'<p class="total"><strong>([\d.]+)</strong>', body)
    assert match, "no total on the page"
    return int(match.group(1).replace(".", ""))


# -- the timeline -----------------------------------------------------------------------------


def test_each_year_with_matches_is_a_titled_bar_linking_to_that_year(client: FlaskClient) -> None:
    body, chart = parsed(client, "/?q=tham+nhũng")
    years = Counter(d.date[:4] for d in THAM_NHUNG if d.date)
    assert [title for _, title in chart.bars] == [f"Năm {y}: {years[y]} văn bản" for y in sorted(years)]
    for href, title in chart.bars:
        year = title.split()[1].rstrip(":")
        assert parse_qs(urlsplit(href).query) == {"q": ["tham nhũng"], "from": [f"{year}-01-01"], "to": [f"{year}-12-31"]}
        narrowed, _ = parsed(client, href)
        assert total_on(narrowed) == years[year]
        assert f"Năm {year}" in narrowed  # the active filter says which year
    # For screen readers: every year of the span, empty ones too, as a table.
    assert chart.table[1:] == [[str(y), str(years.get(str(y), 0))] for y in range(2015, 2025)]
    assert "2 văn bản không rõ ngày" in body


def test_within_a_year_the_bars_are_months(client: FlaskClient) -> None:
    _, chart = parsed(client, "/?q=tham+nhũng&from=2023-01-01&to=2023-12-31")
    months = Counter(int(d.date[5:7]) for d in THAM_NHUNG if (d.date or "").startswith("2023"))
    assert [title for _, title in chart.bars] == [f"Tháng {m}/2023: {months[m]} văn bản" for m in sorted(months)]
    href = chart.bars[0][0]
    assert parse_qs(urlsplit(href).query)["to"] == [f"2023-{min(months):02d}-31"]


def test_the_chart_needs_no_script_and_no_inline_style(client: FlaskClient) -> None:
    body, _ = parsed(client, "/?q=tham+nhũng")
    figure = body[body.index("<figure"):body.index("</figure>")]
    assert "<svg" in figure and "<script" not in body and "style=" not in figure and " on" not in figure.lower()


def test_api_and_json_carry_the_counts_per_period(client: FlaskClient, dated_index_path: Path) -> None:
    data = client.get("/api/search", query_string={"q": "tham nhũng"}).get_json()
    with Index.open(dated_index_path) as ix:
        assert data == ix.search("tham nhũng", timeline=True).to_dict()
    assert sum(p["count"] for p in data["timeline"]["periods"]) + data["timeline"]["undated"] == data["total"]


# -- browsing without a query -----------------------------------------------------------------


def newest_ids(documents: list[Any], count: int) -> list[str]:
    dated = sorted(sorted((d for d in documents if d.date), key=lambda d: d.id), key=lambda d: d.date, reverse=True)
    return [d.id for d in dated][:count]


def test_the_start_page_shows_the_newest_documents_the_facets_and_the_timeline(client: FlaskClient) -> None:
    body, chart = parsed(client, "/")
    assert f"<strong>{len(DOCUMENTS)}</strong> văn bản" in body  # the welcome's count
    assert chart.hits == newest_ids(DOCUMENTS, 10)
    assert 'class="filters"' in body and "Bộ Chính trị" in body and chart.bars
    assert "Liên quan nhất" not in body  # nothing to rank by relevance
    assert "Tải CSV" not in body


def test_filters_alone_list_their_documents_newest_first_on_the_page_and_in_the_api(client: FlaskClient) -> None:
    expected = [d for d in DOCUMENTS if d.committee == "Quốc hội"]
    body, chart = parsed(client, "/?committee=Quốc+hội")
    assert total_on(body) == len(expected) and chart.hits == newest_ids(expected, 10)
    data = client.get("/api/search", query_string={"committee": "Quốc hội"}).get_json()
    assert data["total"] == len(expected) and data["sort"] == "date"
    assert [hit["id"] for hit in data["hits"]] == newest_ids(expected, 10)
    assert client.get("/api/search").status_code == 400  # neither words nor filters


# -- the CSV download -------------------------------------------------------------------------


def csv_rows(response: Any) -> list[dict[str, str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_the_page_offers_the_csv_of_its_query_and_filters(client: FlaskClient) -> None:
    body, chart = parsed(client, "/?q=tham+nhũng&committee=Bộ+Chính+trị&sort=date")
    href = next(href for href, text in chart.links if text == "Tải CSV")
    assert urlsplit(href).path == "/api/search"
    assert parse_qs(urlsplit(href).query) == {"q": ["tham nhũng"], "committee": ["Bộ Chính trị"], "sort": ["date"],
                                              "format": ["csv"]}
    response = client.get(href)
    assert response.status_code == 200 and response.mimetype == "text/csv" and response.is_streamed
    assert "attachment" in response.headers["Content-Disposition"]
    expected = [d for d in THAM_NHUNG if d.committee == "Bộ Chính trị"]
    rows = csv_rows(response)
    assert [row["id"] for row in rows] == newest_ids(expected, len(expected))
    assert response.headers["X-Total-Count"] == response.headers["X-Row-Count"] == str(len(expected))


def test_the_csv_stops_at_its_maximum_and_says_how_many_there_were(dated_index_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vnsearch.defaults.MAX_CSV_ROWS", 5)
    monkeypatch.setattr("vnsearch.export.PAGE_SIZE", 2)  # and several pages before it
    app = create_app(str(dated_index_path))
    client = app.test_client()
    response = client.get("/api/search", query_string={"q": "tham nhũng", "format": "csv"})
    assert len(csv_rows(response)) == 5
    assert (response.headers["X-Total-Count"], response.headers["X-Row-Count"]) == (str(len(THAM_NHUNG)), "5")
    assert "Tải CSV (5 dòng đầu)" in client.get("/?q=tham+nhũng").get_data(as_text=True)
    assert "Tải CSV (5" not in client.get("/?q=tham+nhũng&committee=Quốc+hội").get_data(as_text=True)
    app.extensions["vnsearch"].close()


@pytest.mark.parametrize("params", [{"q": "tham", "format": "xml"}, {"q": "tham", "format": "csv", "sort": "x"},
                                    {"format": "csv"}])
def test_a_csv_that_cannot_be_made_is_a_json_400(client: FlaskClient, params: dict[str, str]) -> None:
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 400 and response.get_json()["code"]


# -- the API's description and statistics ----------------------------------------------------


def _undescribed(value: Any, schema: dict[str, Any], spec: dict[str, Any], where: str) -> list[str]:
    """Keys of `value` that its schema does not list, recursively."""
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    missing = []
    if isinstance(value, dict) and "properties" in schema:
        for key, item in value.items():
            if key not in schema["properties"]:
                missing.append(f"{where}.{key}")
            else:
                missing += _undescribed(item, schema["properties"][key], spec, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for item in value:
            missing += _undescribed(item, schema["items"], spec, f"{where}[]")
    return missing


def test_openapi_describes_every_api_route_and_every_key_of_its_answers(client: FlaskClient, app: Flask) -> None:
    spec = client.get("/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    routes = {re.sub(r"<(?:path:)?(\w+)>", r"{\1}", rule.rule).replace("{doc_id}", "{id}")
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")}
    assert routes == set(spec["paths"])
    search = spec["paths"]["/api/search"]["get"]
    answer = client.get("/api/search", query_string={"q": "tham nhũng", "limit": "2"}).get_json()
    schema = search["responses"]["200"]["content"]["application/json"]["schema"]
    assert _undescribed(answer, schema, spec, "search") == []
    stats_schema = spec["paths"]["/api/stats"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert _undescribed(client.get("/api/stats").get_json(), stats_schema, spec, "stats") == []
    first = answer["hits"][0]["id"]
    related_schema = spec["paths"]["/api/doc/{id}/related"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert _undescribed(client.get(f"/api/doc/{first}/related").get_json(), related_schema, spec, "related") == []
    described = {parameter["name"] for parameter in search["parameters"]}
    read = set(re.findall(r'args(?:\.get\(|\[)"(\w+)"', inspect.getsource(parse_params)))  # what the app reads
    assert read | {"format"} == described and len(read) >= 8


def test_api_stats_is_the_index_s_statistics(client: FlaskClient, dated_index_path: Path) -> None:
    with Index.open(dated_index_path) as ix:
        assert client.get("/api/stats").get_json() == ix.stats().to_dict()
    assert client.get("/api/stats").get_json()["documents"] == len(DOCUMENTS)
