"""Filters match facet values ignoring case, diacritics and punctuation, by kind of body, and
say what the index holds when a value is not there; `number:` finds what the number finds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from vnsearch import Document, Index
from vnsearch.cli import main
from vnsearch.metadata import committee_key
from vnsearch.web import create_app

DOCUMENTS = [
    Document(id="bct", title="Kết luận về phòng, chống tham nhũng", text="Tiếp tục phòng, chống tham nhũng.",
             committee="Bộ Chính trị", doc_type="Kết luận", number="12-KL/TW"),
    Document(id="ubnd-bd", title="Chỉ thị về phòng, chống tham nhũng", text="Tăng cường phòng, chống tham nhũng.",
             committee="UBND tỉnh Bình Dương", doc_type="Chỉ thị"),
    Document(id="ubnd-hn", title="Kế hoạch phòng, chống tham nhũng", text="Thực hiện Kết luận 12-KL/TW về tham nhũng.",
             committee="UBND thành phố Hà Nội", doc_type="Kế hoạch", cited_numbers=("12-KL/TW", "57-NQ/TW")),
    Document(id="hdnd", title="Nghị quyết về tham nhũng", text="Giám sát phòng, chống tham nhũng.",
             committee="HĐND tỉnh Bình Dương", doc_type="Nghị quyết"),
    Document(id="news", title="Tin tham nhũng", text="Bài viết về tham nhũng, theo Nghị quyết 57-NQ/TW.",
             doc_type="Tin tức", cited_numbers=("57-NQ/TW",)),
]


@pytest.fixture(scope="module")
def index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("filters") / "ix"
    with Index.create(path) as ix:
        ix.add(DOCUMENTS, workers=1)
    return path


def cli_search(index_path: Path, *args: str) -> dict:
    result = CliRunner().invoke(main, ["search", *args, "--index", str(index_path), "--json", "--limit", "100"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def hit_ids(data: dict) -> set[str]:
    return {hit["id"] for hit in data["hits"]}


def notice_codes(data: dict) -> list[str]:
    return [notice["code"] for notice in data["notices"]]


SAME_BODY = {
    "folded": ['committee:"bo chinh tri" tham nhũng'],
    "option_lower_case": ["tham nhũng", "--committee", "bộ chính trị"],
    "title_case": ['committee:"Bộ Chính Trị" tham nhũng'],
    "upper_case_punctuated": ['committee:"BỘ CHÍNH TRỊ." tham nhũng'],
}


@pytest.mark.parametrize("args", SAME_BODY.values(), ids=SAME_BODY.keys())
def test_committee_filter_ignores_case_and_diacritics(index_path: Path, args: list[str]) -> None:
    data = cli_search(index_path, *args)
    assert hit_ids(data) == {"bct"} and data["total"] == 1
    assert notice_codes(data) == []


KINDS = {
    "ubnd": ("UBND", {"ubnd-bd", "ubnd-hn"}),
    "ubnd_spelled_out": ("Ủy ban nhân dân", {"ubnd-bd", "ubnd-hn"}),
    "hdnd_folded": ("hdnd", {"hdnd"}),
    "one_province_tp_form": ("UBND TP. Hà Nội", {"ubnd-hn"}),
    "one_province_without_level": ("ubnd ha noi", {"ubnd-hn"}),
}


@pytest.mark.parametrize("value,expected", KINDS.values(), ids=KINDS.keys())
def test_a_kind_of_body_matches_every_body_of_that_kind(index_path: Path, value: str, expected: set[str]) -> None:
    assert hit_ids(cli_search(index_path, "tham nhũng", "--committee", value)) == expected


def test_type_filter_ignores_case_and_diacritics(index_path: Path) -> None:
    for value in ("chi thi", "CHỈ THỊ", "Chỉ Thị"):
        assert hit_ids(cli_search(index_path, f'type:"{value}" tham nhũng')) == {"ubnd-bd"}
        assert hit_ids(cli_search(index_path, "tham nhũng", "--type", value)) == {"ubnd-bd"}


def test_an_unknown_committee_names_the_nearest_values(index_path: Path) -> None:
    data = cli_search(index_path, 'committee:"Bộ Chánh trị" tham nhũng')
    assert data["total"] == 0
    notice = data["notices"][-1]
    assert notice["code"] == "filter.unknown_value"
    assert notice["params"]["nearest"].split(", ")[0] == "Bộ Chính trị"
    assert "Bộ Chính trị" in notice["message"]


def test_an_unknown_type_names_the_nearest_values(index_path: Path) -> None:
    data = cli_search(index_path, "tham nhũng", "--type", "Chỉ thi")  # "Chỉ thì"-like slip: still folds to chi thi
    assert hit_ids(data) == {"ubnd-bd"}
    data = cli_search(index_path, 'type:"Ke hoach nam" tham nhũng')
    assert data["total"] == 0 and notice_codes(data) == ["filter.unknown_value"]
    assert "Kế hoạch" in data["notices"][0]["params"]["nearest"]


def test_number_filter_finds_the_documents_own_number(index_path: Path) -> None:
    data = cli_search(index_path, "number:12-KL/TW tham nhũng")
    assert hit_ids(data) == {"bct"} and notice_codes(data) == []


def test_number_filter_finds_what_the_number_finds_when_none_has_it_as_its_own(index_path: Path) -> None:
    bare = cli_search(index_path, "57-NQ/TW")
    filtered = cli_search(index_path, "number:57-NQ/TW")
    assert hit_ids(filtered) == hit_ids(bare) == {"ubnd-hn", "news"}
    assert notice_codes(filtered) == ["filter.number_cited"]
    assert filtered["notices"][0]["params"]["count"] == 2


def test_a_number_nobody_has_or_cites_says_so(index_path: Path) -> None:
    data = cli_search(index_path, "number:99-NQ/TW")
    assert data["total"] == 0 and notice_codes(data) == ["filter.number_unknown"]


def test_api_and_page_match_folded_committees_and_name_the_nearest(index_path: Path) -> None:
    app = create_app(str(index_path))
    app.testing = True
    client = app.test_client()
    data = client.get("/api/search", query_string={"q": "tham nhũng", "committee": "bo chinh tri"}).get_json()
    assert hit_ids(data) == {"bct"}
    data = client.get("/api/search", query_string={"q": "tham nhũng", "committee": "UBND"}).get_json()
    assert hit_ids(data) == {"ubnd-bd", "ubnd-hn"}
    page = client.get("/", query_string={"q": "tham nhũng", "committee": "Bộ Chánh trị"}).get_data(as_text=True)
    assert "các giá trị gần nhất trong chỉ mục: Bộ Chính trị" in page


def test_committee_keys_unify_the_spellings_of_one_body() -> None:
    assert len({committee_key(v) for v in ("UBND TP Hà Nội", "UBND TP. Hà Nội", "Ủy ban nhân dân thành phố Hà Nội")}) == 1
    assert committee_key("HĐND TP Hà Nội") == committee_key("HĐND thành phố Hà Nội") != committee_key("UBND TP Hà Nội")


def test_an_unknown_value_s_vietnamese_notice_names_the_field_in_vietnamese(index_path: Path) -> None:
    with Index.open(index_path) as ix:
        committee = ix.search("tham nhũng", committee="Bộ Chánh trị").notices[-1].text("vi")
        doc_type = ix.search("tham nhũng", doc_type="Ke hoach nam").notices[-1].text("vi")
    assert committee.startswith("Không có văn bản nào có cơ quan ban hành «Bộ Chánh trị»")
    assert doc_type.startswith("Không có văn bản nào có loại văn bản «Ke hoach nam»")
