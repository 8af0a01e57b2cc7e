"""Citations, the most cited and related documents through the CLI (CliRunner) and the web app
(Flask's test client). What they hold is tested in test_citations.py; here, how they are shown."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

import test_web
from test_citations import DOCUMENTS
from test_web import link_to, page, parse_page
from vnsearch import Document, Index
from vnsearch.cli import main

HOSTILE = Document(id="tin-<b>", title="<script>alert(1)</script> Tin trích luật", text="Người lao động.",
                   date="2023-06-01", cited_numbers=("45/2019/QH14",))


# The web tests' app and client fixtures, here over this module's index_path.
app, client = test_web.app, test_web.client


@pytest.fixture(scope="module")
def index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("citations-surfaces") / "index"
    with Index.create(path) as ix:
        ix.add([*DOCUMENTS, HOSTILE], workers=1)
    return path


def run(index_path: Path, *args: str) -> str:
    result = CliRunner().invoke(main, [*args, "--index", str(index_path)])
    assert result.exit_code == 0, result.output
    return result.output


# -- the command line ---------------------------------------------------------------------------


def test_show_citations_lists_both_ways_instead_of_the_text(index_path: Path) -> None:
    out = run(index_path, "show", "tin-2023", "--citations")
    assert "cites (2 numbers in the index, 1 not):" in out
    assert "45/2019/QH14: 2019-11-20  45/2019/QH14  Bộ luật Lao động  [qh/bo-luat-45]" in out
    assert "99/2030/QH99: not in the index" in out
    assert "cited by (0 documents" in out
    assert "tiêu chuẩn lao động" not in out  # the text is left out

    law = run(index_path, "show", "qh/bo-luat-45", "--citations")
    citing = [line.split("[")[-1].rstrip("]") for line in law.split("cited by")[1].splitlines()[1:] if "[" in line]
    assert citing == ["tin-2024", "tin-<b>", "tin-2023", "cp/nd-145"]  # newest first
    assert "cited by (4 documents, newest first):" in law


def test_show_json_carries_cites_cited_by_and_related(index_path: Path) -> None:
    data = json.loads(run(index_path, "show", "qh/bo-luat-45", "--citations", "--related", "--json"))
    assert data["id"] == "qh/bo-luat-45" and data["text"]  # the document's own fields stay
    assert [ref["id"] for ref in data["cited_by"]] == ["tin-2024", "tin-<b>", "tin-2023", "cp/nd-145"]
    assert data["cited_by"][0] == {"id": "tin-2024", "title": "Người lao động và hợp đồng", "date": "2024-02-01",
                                   "number": None}
    assert data["cited_by_total"] == 4 and data["cites"] == []
    related = [item["id"] for item in data["related"]]
    assert related and "qh/bo-luat-45" not in related and "tin-khac" not in related
    assert {"score", "shared_citations", "title", "date"} <= data["related"][0].keys()
    plain = json.loads(run(index_path, "show", "qh/bo-luat-45", "--json"))
    assert "cited_by" not in plain and "related" not in plain  # only when asked


def test_show_related_lists_the_closest_documents(index_path: Path) -> None:
    out = run(index_path, "show", "qh/bo-luat-45", "--related")
    assert out.split("related (")[1].startswith("5 documents, closest first):")
    assert "[cp/nd-145]" in out and "(1 shared citation)" in out and "[tin-khac]" not in out


def test_stats_shows_the_most_cited(index_path: Path) -> None:
    out = run(index_path, "stats")
    most = out.split("most cited")[1].splitlines()
    assert most[1].split() == ["4", "2019-11-20", "45/2019/QH14", "Bộ", "luật", "Lao", "động", "[qh/bo-luat-45]"]
    data = json.loads(run(index_path, "stats", "--json"))
    assert [(item["id"], item["cited_by"]) for item in data["most_cited"]][:3] == [
        ("qh/bo-luat-45", 4), ("nq-21 (2012)", 2), ("nq-21 (2022)", 2)]
    assert data["documents"] == len(DOCUMENTS) + 1  # the stats beside it are unchanged


def test_cli_search_cites(index_path: Path) -> None:
    data = json.loads(run(index_path, "search", "cites:45/2019/QH14", "--sort", "date", "--json"))
    assert [hit["id"] for hit in data["hits"]] == ["tin-2024", "tin-<b>", "tin-2023", "cp/nd-145"]


# -- the page -----------------------------------------------------------------------------------


def section(body: str, heading: str) -> str:
    """The HTML of the section under `heading` (up to the next section)."""
    start = body.index(heading)
    end = body.find("</section>", start)
    return body[start:end]


def test_document_page_lists_what_it_cites_and_offers_missing_numbers_as_searches(client: FlaskClient) -> None:
    body = page(client, "/doc/tin-2023")
    cites = section(body, "Văn bản này dẫn chiếu")
    links = parse_page(cites).links
    assert ("/doc/qh/bo-luat-45", "Bộ luật Lao động") in links
    assert ("/doc/nq-21 (2022)", "Nghị quyết về tổ chức cơ sở đảng") in [(unquote(href), label) for href, label in links]
    assert "45/2019/QH14 · 20/11/2019" in cites  # number and date beside the title
    missing = link_to(cites, "99/2030/QH99")
    assert parse_qs(urlsplit(missing).query)["q"] == ["99/2030/QH99"]
    assert "Được dẫn chiếu bởi" not in body  # nobody cites a news item
    assert "Văn bản liên quan" in body


def test_cited_by_is_counted_newest_first_and_links_to_all_of_them(client: FlaskClient) -> None:
    body = page(client, "/doc/qh/bo-luat-45")
    cited_by = section(body, "Được dẫn chiếu bởi")
    assert "4 văn bản" in cited_by
    titles = [label for href, label in parse_page(cited_by).links if href.startswith("/doc/")]
    assert titles[:2] == ["Người lao động và hợp đồng", "<script>alert(1)</script> Tin trích luật"]
    assert "<script>alert" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in cited_by  # escaped
    everything = link_to(cited_by, "Xem tất cả 4 văn bản dẫn chiếu")
    assert parse_qs(urlsplit(everything).query) == {"q": ["cites:45/2019/QH14"], "sort": ["date"]}
    results = page(client, everything)
    assert [unquote(urlsplit(href).path) for href, _ in parse_page(results).links if href.startswith("/doc/")][:4] == [
        "/doc/tin-2024", "/doc/tin-<b>", "/doc/tin-2023", "/doc/cp/nd-145"]


def test_document_page_shows_related_documents_but_not_itself(client: FlaskClient) -> None:
    body = page(client, "/doc/qh/bo-luat-45")
    related = [href for href, _ in parse_page(section(body, "Văn bản liên quan")).links]
    assert related and "/doc/qh/bo-luat-45" not in related and "/doc/tin-khac" not in related
    assert "/doc/cp/nd-145" in related


def test_start_page_lists_the_most_cited(client: FlaskClient) -> None:
    body = page(client, "/")
    most = section(body, "Văn bản được dẫn chiếu nhiều nhất")
    assert link_to(most, "Bộ luật Lao động") == "/doc/qh/bo-luat-45"
    assert parse_qs(urlsplit(link_to(most, "4 văn bản dẫn chiếu")).query)["q"] == ["cites:45/2019/QH14"]


# -- the API ------------------------------------------------------------------------------------


def test_api_document_has_cites_and_cited_by(client: FlaskClient) -> None:
    data = client.get("/api/doc/tin-2023").get_json()
    assert [(c["number"], [d["id"] for d in c["documents"]]) for c in data["cites"]] == [
        ("21-NQ/TW", ["nq-21 (2022)"]), ("45/2019/QH14", ["qh/bo-luat-45"]), ("99/2030/QH99", [])]
    law = client.get("/api/doc/qh/bo-luat-45").get_json()
    assert law["cited_by_total"] == 4 and law["cited_by"][0]["id"] == "tin-2024"
    assert set(law["cited_by"][0]) == {"id", "title", "date", "number"}


def test_api_related(client: FlaskClient) -> None:
    response = client.get("/api/doc/qh/bo-luat-45/related")  # an id with a slash
    assert response.status_code == 200
    data = response.get_json()
    assert data["id"] == "qh/bo-luat-45"
    ids = [item["id"] for item in data["related"]]
    assert ids and "qh/bo-luat-45" not in ids and "cp/nd-145" in ids
    assert client.get("/api/related", query_string={"id": "qh/bo-luat-45"}).get_json() == data
    missing = client.get("/api/doc/no-such/related")
    assert missing.status_code == 404 and missing.get_json()["code"] == "document.not_found"


def test_a_long_title_is_cut_in_the_terminal_lists() -> None:
    from vnsearch.citations import DocumentRef, MostCited
    from vnsearch.terminal_citations import TITLE_WIDTH, render_most_cited

    title = "Quyết định về việc ban hành quy chế " * 17  # about 600 characters, as some records have
    line = render_most_cited([MostCited(DocumentRef("qd-1", title.strip(), "2020-01-02", "1/QĐ"), 7)]).splitlines()[1]
    shown = line.split("1/QĐ  ", 1)[1].split("  [qd-1]")[0]
    assert shown.endswith("…") and len(shown) <= TITLE_WIDTH and title.startswith(shown[:-1])
