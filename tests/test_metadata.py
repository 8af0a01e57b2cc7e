"""Issuing bodies: one name per body at indexing time, inferred only where a text states it,
and where each metadata value came from (the record, or inferred from the text)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from support import write_jsonl
from vnsearch import metadata
from vnsearch.cli import main
from vnsearch.metadata import canonical_committee, infer_committee
from vnsearch.web import create_app

SAME_BODY = {
    "tp": ("UBND TP Hà Nội", "UBND thành phố Hà Nội"),
    "tp_dot": ("UBND TP. Hà Nội", "UBND thành phố Hà Nội"),
    "spelled_out": ("Ủy ban nhân dân thành phố Hà Nội", "UBND thành phố Hà Nội"),
    "no_level": ("UBND Hà Nội", "UBND thành phố Hà Nội"),
    "council_tp": ("HĐND TP Hà Nội", "HĐND thành phố Hà Nội"),
    "council_spelled_out": ("Hội đồng nhân dân thành phố Hà Nội", "HĐND thành phố Hà Nội"),
    "province_upper_case": ("ỦY BAN NHÂN DÂN TỈNH BÌNH DƯƠNG", "UBND tỉnh Bình Dương"),
    "remark_after_the_name": ("UBND tỉnh Bình Dương (mục Văn bản chỉ đạo điều hành, binhduong.gov.vn)",
                              "UBND tỉnh Bình Dương"),
    "old_tone_upper_case": ("TỈNH UỶ BÌNH DƯƠNG", "Tỉnh ủy Bình Dương"),
    "national_assembly_upper_case": ("QUỐC HỘI", "Quốc hội"),
    "ministry_comma": ("Bộ Lao động, Thương binh và Xã hội", "Bộ Lao động - Thương binh và Xã hội"),
    "unknown_kept": ("Hội Nông dân xã Tân Lập", "Hội Nông dân xã Tân Lập"),
}


@pytest.mark.parametrize("written,canonical", SAME_BODY.values(), ids=SAME_BODY.keys())
def test_one_name_per_body(written: str, canonical: str) -> None:
    assert canonical_committee(written) == canonical


STATED = {
    "legal_header": ("CHÍNH PHỦ\nSố: 158/2025/NĐ-CP\nHà Nội, ngày 25 tháng 6 năm 2025\nNGHỊ ĐỊNH\nCăn cứ Luật…", "Chính phủ"),
    "header_as_a_table": ("VĂN PHÒNG QUỐC HỘI | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 125/VBHN-VPQH", "Văn phòng Quốc hội"),
    "name_over_two_lines": ("NGÂN HÀNG NHÀ NƯỚC\nVIỆT NAM\nSố: 13/2026/TT-NHNN", "Ngân hàng Nhà nước Việt Nam"),
    "provincial_header": ("ỦY BAN NHÂN DÂN\nTỈNH BÌNH DƯƠNG\nSố: 12/QĐ-UBND\nQUYẾT ĐỊNH", "UBND tỉnh Bình Dương"),
    "enacting_formula": ("LUẬT\nCông đoàn\nCăn cứ Hiến pháp;\nQuốc hội ban hành Luật Công đoàn.\nĐiều 1. …", "Quốc hội"),
    "signature_block": ("QUYẾT ĐỊNH\n" + "Điều khoản.\n" * 30 + "TM. ỦY BAN NHÂN DÂN TỈNH LONG AN\nCHỦ TỊCH\nNguyễn Văn A",
                        "UBND tỉnh Long An"),
    "news_story_names_bodies": ("Ban Thường vụ Tỉnh ủy đã họp.\nBộ Chính trị đã gợi ý kiểm điểm.\nUBND tỉnh báo cáo.", None),
    "body_in_a_sentence": ("Chính phủ ban hành nhiều chính sách mới trong năm.", None),
}


@pytest.mark.parametrize("text,expected", STATED.values(), ids=STATED.keys())
def test_the_issuing_body_is_taken_only_where_the_text_states_it(text: str, expected: str | None) -> None:
    assert infer_committee(text) == expected


RECORDS = [
    {"id": "hn-1", "title": "Về việc một", "text": "Nội dung một.", "committee": "UBND TP Hà Nội"},
    {"id": "hn-2", "title": "Về việc hai", "text": "Nội dung hai.", "committee": "UBND TP. Hà Nội"},
    {"id": "hn-3", "title": "Về việc ba", "text": "Nội dung ba.", "committee": "HĐND TP Hà Nội"},
    {"id": "hn-4", "title": "Về việc bốn", "text": "Nội dung bốn.", "committee": "HĐND thành phố Hà Nội"},
    {"id": "luat", "title": "Luật Công đoàn",
     "text": "QUỐC HỘI\nLuật số: 12/2012/QH13\nHà Nội, ngày 20 tháng 6 năm 2012\nLUẬT\nCÔNG ĐOÀN\nCăn cứ Hiến pháp."},
    {"id": "tin", "title": "Ban Thường vụ Tỉnh ủy họp",
     "text": "29.12.2012 - 15:58\nBan Thường vụ Tỉnh ủy đã họp, theo gợi ý của Bộ Chính trị."},
]


@pytest.fixture(scope="module")
def index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("metadata")
    corpus = write_jsonl(root / "records.jsonl", RECORDS)
    result = CliRunner().invoke(main, ["index", str(corpus), "--index", str(root / "ix"), "--workers", "1", "-q"])
    assert result.exit_code == 0, result.output
    return root / "ix"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_near_duplicate_bodies_are_one_facet_value_in_the_usual_spelling(index_path: Path) -> None:
    stats = json.loads(run("stats", "--index", str(index_path), "--json").stdout)
    committees = stats["facets"]["committee"]
    assert committees["UBND thành phố Hà Nội"] == 2
    assert committees["HĐND thành phố Hà Nội"] == 2
    assert set(committees) == {"UBND thành phố Hà Nội", "HĐND thành phố Hà Nội", "Quốc hội"}  # the news story: none


def test_show_json_says_where_each_value_came_from(index_path: Path) -> None:
    inferred = json.loads(run("show", "luat", "--index", str(index_path), "--json").stdout)
    assert inferred["committee"] == "Quốc hội" and inferred["committee_source"] == "inferred"
    assert inferred["number_source"] == inferred["date_source"] == inferred["doc_type_source"] == "inferred"
    assert "_inferred" not in inferred["extras"]
    given = json.loads(run("show", "hn-1", "--index", str(index_path), "--json").stdout)
    assert given["committee_source"] == "record" and given["date_source"] is None


def test_show_marks_inferred_values(index_path: Path) -> None:
    output = run("show", "luat", "--index", str(index_path)).stdout
    assert " committee: Quốc hội (inferred from the text)" in output
    assert "_inferred" not in output
    assert "(inferred" not in run("show", "hn-1", "--index", str(index_path)).stdout


def test_api_and_page_show_inferred_values_as_such(index_path: Path) -> None:
    app = create_app(str(index_path))
    app.testing = True
    client = app.test_client()
    data = client.get("/api/doc/luat").get_json()
    assert data["committee_source"] == "inferred"
    page = client.get("/doc/luat").get_data(as_text=True)
    assert 'Quốc hội <span class="inferred">(suy ra từ nội dung văn bản)</span>' in page
    assert "suy ra" not in client.get("/doc/hn-1").get_data(as_text=True)


# -- faster forms of the same rules -------------------------------------------------------------


_DATELINE_PIECES = ["1", "29.12.2012", "1.2.", "2012", ".", " - 15:58", "-1:5", ":", " ", "\n", "a"]


@given(st.lists(st.sampled_from(_DATELINE_PIECES), max_size=10).map("".join))
def test_dateline_pattern_finds_what_the_pattern_as_written_finds(text: str) -> None:
    written = re.compile(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{4})\s*-\s*\d{1,2}:\d{2}")
    assert [(m.span(), m.groups()) for m in metadata._DATELINE_RE.finditer(text)] == \
        [(m.span(), m.groups()) for m in written.finditer(text)]
    assert metadata._has_dateline(text) == (written.search(text) is not None)


def _doc_type_as_written(value: str) -> str:
    """canonical_doc_type as first written: every type's key, then every alias's, compared in turn."""
    key = value.strip().lower()
    if key in metadata._TYPE_ALIASES:
        return metadata._TYPE_ALIASES[key]
    folded = metadata.facet_key(value)
    for doc_type in metadata.DOC_TYPES + [metadata.NEWS_TYPE, "Văn bản hợp nhất", "Thông tư liên tịch"]:
        if folded == metadata.facet_key(doc_type):
            return doc_type
    for alias, doc_type in metadata._TYPE_ALIASES.items():
        if folded == metadata.facet_key(alias):
            return doc_type
    return value.strip()


def test_canonical_doc_type_gives_what_comparing_one_by_one_gave() -> None:
    names = [*metadata.DOC_TYPES, metadata.NEWS_TYPE, "Văn bản hợp nhất", "Thông tư liên tịch", *metadata._TYPE_ALIASES,
             "Báo cáo tổng hợp", "", "  ", "VB-HN", "Thong tu lien tich.", "Công điện"]
    for name in names:
        for written in (name, name.upper(), name.lower(), metadata.fold(name), f" {name}. ", name.replace(" ", "  ")):
            assert metadata.canonical_doc_type(written) == _doc_type_as_written(written), written


# Words between separators: every kind of whitespace, one, two or three long, and "|".
_SEPARATORS = [" ", "  ", "   ", "\n", "\t", "\t\t\t", " \u2028 ", "\xa0\xa0 ", "\x0b ", "|", " | "]


@given(st.lists(st.tuples(st.sampled_from(["ab", "", "C"]), st.sampled_from(_SEPARATORS)), max_size=6).map(
    lambda parts: "".join(word + separator for word, separator in parts) + "z"))
def test_cells_are_those_of_splitting_every_line(text: str) -> None:
    split = [cell.strip() for line in text.split("\n") for cell in re.split(r"\||\s{3,}", line) if cell.strip()]
    assert metadata._cells(text) == split


# Every character, for checking character classes and case-insensitive letters exhaustively.
_EVERY_CHARACTER = "".join(map(chr, range(0x110000)))


def test_the_other_whitespace_is_what_the_whitespace_category_holds_but_space_and_line_break() -> None:
    assert metadata._OTHER_SPACE_RE.findall(_EVERY_CHARACTER) == re.findall(r"[^\S \n]", _EVERY_CHARACTER)


def test_own_number_pattern_finds_what_the_pattern_as_written_finds() -> None:
    # The pattern in use starts at an "ố" or "Ố": no other character matches "ố" in any case.
    assert re.findall("ố", _EVERY_CHARACTER, re.IGNORECASE) == ["Ố", "ố"]


_OWN_NUMBER_PIECES = ["Số", "số", "SỐ", "sỐ", "ſố", "ố", "S", "a", " hiệu", " HIỆU", ":", " ", "\n", "_", "21-NQ/TW", "5/QĐ", "1"]


def _own_number_as_written(text: str) -> str | None:
    written = re.compile(r"\bSố(?:\s+hiệu)?\s*:\s*(" + metadata.DOCUMENT_NUMBER_RE.pattern + ")", re.IGNORECASE)
    found = written.search(text[:2000])
    return found.group(1) if found else None


@given(st.lists(st.sampled_from(_OWN_NUMBER_PIECES), max_size=10).map("".join))
def test_own_number_is_what_the_pattern_as_written_finds(text: str) -> None:
    assert metadata.find_own_number(text) == _own_number_as_written(text)


@pytest.mark.parametrize("text", [
    "Số: 21-NQ/TW", "aSố: 21-NQ/TW", "_số: 1-NQ", "Luật số: 41/2024/QH15", "SỐ HIỆU : 5/QĐ", "sỐ:1-NQ", "ſố: 1-NQ",
    "Số hiệu: a 1-NQ", "Số: 1-NQ Số: 2-NQ", "x" * 1995 + "Số: 21-NQ/TW", "số:\n15/2020/NĐ-CP",
])
def test_own_number_is_what_the_pattern_as_written_finds_in_examples(text: str) -> None:
    assert metadata.find_own_number(text) == _own_number_as_written(text)


@given(st.lists(st.sampled_from(["Hà Nội", ", ", ",", "ngày", " 24 tháng 11 năm 2015", " ", "\n", "a", "29.12.2012 - 15:58"]),
                max_size=10).map("".join))
def test_find_date_is_what_trying_both_patterns_finds(text: str) -> None:
    for pattern in (metadata._DATELINE_RE, metadata._PLACE_DATE_RE):
        dates = [metadata._make_date(m.group(3), m.group(2), m.group(1)) for m in pattern.finditer(text[:3000])]
        if any(dates):
            assert metadata.find_date(text) == next(date for date in dates if date)
            return
    assert metadata.find_date(text) is None
