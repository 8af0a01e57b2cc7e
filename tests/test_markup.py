"""Markdown and HTML sources become plain text before indexing: link text kept, URLs dropped
from the text (kept as the "links" extra), images dropped, tables flattened; highlighting marks
the stored plain text exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from support import write_jsonl
from vnsearch.cli import main
from vnsearch.documents import looks_like_markdown, make_document, markdown_to_plain
from vnsearch.web import create_app

MARKDOWN = (
    "[Ban Thường vụ Tỉnh ủy Quảng Ninh](https://www.qdnd.vn/tin/ban-thuong-vu-tinh-uy-quang-ninh-1) "
    "![Ảnh Tỉnh ủy](https://www.qdnd.vn/anh/tinh-uy.jpg)\n\n"
    "## Kiểm tra công tác\n\n"
    "**Sáng 13/5**, đoàn kiểm tra làm việc với *Ban Thường vụ Tỉnh ủy*.\n\n"
    "| Đơn vị | Kết quả |\n|---|---|\n| Tỉnh ủy Quảng Ninh | Tốt |\n"
)

JSONL_RECORDS = [
    {"id": "md-auto", "title": "Ban Thường vụ Tỉnh ủy Quảng Ninh", "text": MARKDOWN},
    {"id": "md-said", "title": "Tin có định dạng", "text": "Tỉnh ủy họp **phiên thường kỳ**.", "format": "markdown"},
    {"id": "html-said", "title": "Tin HTML", "format": "html",
     "text": '<p>Tỉnh ủy <a href="https://example.vn/a">thông báo</a> kết quả.<img src="x.png"></p>'},
    {"id": "plain", "title": "Tin thường", "text": "Giá 5 * 3 = 15 # không phải Markdown; Tỉnh ủy họp."},
]


def test_markdown_to_plain_keeps_link_text_and_drops_urls_images_and_marks() -> None:
    plain = markdown_to_plain(MARKDOWN)
    assert plain.text.startswith("Ban Thường vụ Tỉnh ủy Quảng Ninh\n\nKiểm tra công tác\n\nSáng 13/5, đoàn kiểm tra")
    for gone in ("http", "](", "![", "**", "##", "*Ban", "|---"):
        assert gone not in plain.text
    assert "Đơn vị | Kết quả\nTỉnh ủy Quảng Ninh | Tốt" in plain.text  # one line per row
    assert plain.links == ["https://www.qdnd.vn/tin/ban-thuong-vu-tinh-uy-quang-ninh-1"]


DETECTION = {
    "link": ("Xem [bài](https://a.vn/x).", True),
    "image": ("![ảnh](https://a.vn/x.jpg)", True),
    "table": ("| a | b |\n|---|---|\n| c | d |", True),
    "headings_and_bold": ("## Một\n\n**Hai** và **ba**", True),
    "plain_with_one_star_pair": ("Giá 5 * 3 = 15, **chú ý** thôi", False),
    "plain": ("Tỉnh ủy họp bàn công tác cán bộ.", False),
}


@pytest.mark.parametrize("text,expected", DETECTION.values(), ids=DETECTION.keys())
def test_markdown_is_recognised_by_its_links_images_and_tables(text: str, expected: bool) -> None:
    assert looks_like_markdown(text) is expected


def test_a_record_in_markdown_is_stored_as_plain_text() -> None:
    document, repairs = make_document(JSONL_RECORDS[0], default_id="x")
    assert "https://" not in document.text and "![" not in document.text
    assert document.extras["links"] == ["https://www.qdnd.vn/tin/ban-thuong-vu-tinh-uy-quang-ninh-1"]
    assert repairs == []
    said, _ = make_document(JSONL_RECORDS[1], default_id="x")
    assert said.text == "Tỉnh ủy họp phiên thường kỳ." and "format" not in said.extras
    plain, _ = make_document(JSONL_RECORDS[3], default_id="x")
    assert plain.text == JSONL_RECORDS[3]["text"]


@pytest.fixture(scope="module")
def index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("markup")
    write_jsonl(root / "news.jsonl", JSONL_RECORDS)
    (root / "page.md").write_text("# Tỉnh ủy họp\n\nXem [thông báo](https://example.vn/tb) ![ảnh](a.png).\n", encoding="utf-8")
    (root / "page.html").write_text(
        "<html><head><title>Trang</title><style>p{}</style></head><body><h1>Tỉnh ủy ra nghị quyết</h1>"
        '<p>Đọc <a href="https://example.vn/nq">nghị quyết</a><img src="a.png" alt="ảnh"> của Tỉnh ủy.</p>'
        "<table><tr><td>Tỉnh ủy</td><td>Đồng ý</td></tr></table></body></html>", encoding="utf-8")
    result = CliRunner().invoke(main, ["index", str(root / "news.jsonl"), str(root / "page.md"), str(root / "page.html"),
                                       "--index", str(root / "ix"), "--workers", "1", "-q"])
    assert result.exit_code == 0, result.output
    return root / "ix"


def test_cli_snippets_show_plain_text_with_exact_marks(index_path: Path) -> None:
    result = CliRunner().invoke(main, ["search", "tinh uy", "--index", str(index_path), "--json", "--limit", "20"])
    data = json.loads(result.stdout)
    snippets = " ".join(s for hit in data["hits"] for s in hit["snippets"])
    assert "<mark>Tỉnh ủy</mark>" in snippets
    assert "http" not in snippets and "](" not in snippets and "**" not in snippets
    shown = json.loads(CliRunner().invoke(main, ["show", "page.md", "--index", str(index_path), "--json"]).stdout)
    assert shown["title"] == "Tỉnh ủy họp" and shown["text"] == "Xem thông báo ."
    assert shown["extras"]["links"] == ["https://example.vn/tb"]
    page = json.loads(CliRunner().invoke(main, ["show", "page.html", "--index", str(index_path), "--json"]).stdout)
    assert page["title"] == "Tỉnh ủy ra nghị quyết"
    assert "Đọc nghị quyết của Tỉnh ủy." in page["text"] and "Tỉnh ủy | Đồng ý" in page["text"]
    assert "p{}" not in page["text"] and "a.png" not in page["text"]


def test_page_and_api_mark_the_stored_plain_text(index_path: Path) -> None:
    app = create_app(str(index_path))
    app.testing = True
    client = app.test_client()
    document = client.get("/api/doc/md-auto").get_json()
    body = client.get("/doc/md-auto", query_string={"q": "tinh uy"}).get_data(as_text=True)
    assert '<mark id="first-match">Tỉnh ủy</mark>' in body
    assert "qdnd.vn/tin" not in body.split('class="doc-text"')[1]
    # Every mark sits on the stored text's own characters.
    text = document["text"]
    api = client.get("/api/search", query_string={"q": "tinh uy", "limit": 20}).get_json()
    for hit in api["hits"]:
        for snippet in hit["snippets"]:
            assert "http" not in snippet
    assert text.count("Tỉnh ủy") >= 3
