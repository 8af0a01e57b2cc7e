"""Readers and metadata extraction."""

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from support import SEED, write_jsonl
from vnsearch import documents
from vnsearch.documents import iter_paths, make_document, read_jsonl, read_path
from vnsearch.metadata import find_committee, find_date, find_doc_type, parse_date


@pytest.fixture(scope="module")
def seed():
    record = next(read_path(SEED, SEED.name))
    assert record.document is not None
    return record.document


def test_seed_title(seed) -> None:
    assert seed.title.startswith("Ban Thường vụ Tỉnh ủy kiểm điểm theo Nghị quyết Trung ương 4: ")


def test_seed_date_from_dateline(seed) -> None:
    assert seed.date == "2012-12-29"


def test_seed_has_no_committee_a_news_story_only_names_bodies(seed) -> None:
    # "Ban Thường vụ Tỉnh ủy" is what the story is about, not who issued it.
    assert seed.committee is None
    assert seed.source("date") == "inferred" and seed.source("committee") is None


def test_seed_is_news(seed) -> None:
    assert seed.doc_type == "Tin tức"


def test_seed_page_furniture_removed(seed) -> None:
    for furniture in ("TIN NỔI BẬT", "Các tin khác", "•", "1037"):
        assert furniture not in seed.text
    assert "Thái Sơn" in seed.text  # the byline is content


def test_seed_text_is_normalised(seed) -> None:
    import re

    assert "Tỉnh uỷ" not in seed.text and not re.search(r"\bkhoá\b", seed.text)
    assert "Tỉnh ủy (khóa XII)" in seed.text


def test_seed_cites_numbers(seed) -> None:
    assert "77/KL-TTTCP" in seed.cited_numbers


DATE_CASES = {
    "iso": ("2024-06-29", "2024-06-29"),
    "slashes": ("29/12/2012", "2012-12-29"),
    "dots": ("29.12.2012", "2012-12-29"),
    "worded": ("Hà Nội, ngày 24 tháng 11 năm 2015", "2015-11-24"),
    "year_only": ("2017", "2017-01-01"),
    "not_a_date": ("hôm qua", None),
    "impossible": ("31/02/2020", None),
}


@pytest.mark.parametrize("raw,expected", DATE_CASES.values(), ids=DATE_CASES.keys())
def test_parse_date(raw, expected) -> None:
    assert parse_date(raw) == expected


def test_find_date_prefers_dateline() -> None:
    assert find_date("(từ ngày 04/9 đến ngày 07/9/2012)\n 29.12.2012 - 15:58") == "2012-12-29"


COMMITTEE_CASES = {
    "politburo": ("Bộ Chính trị ban hành kết luận", "Bộ Chính trị"),
    "standing_committee_beats_province_party": ("Ban Thường vụ Tỉnh ủy họp", "Ban Thường vụ Tỉnh ủy"),
    "province_party": ("Tỉnh ủy Quảng Nam chỉ đạo", "Tỉnh ủy"),
    "peoples_committee_with_province": ("UBND tỉnh Bình Dương quyết định", "UBND tỉnh Bình Dương"),
    "national_assembly_standing": ("Ủy ban Thường vụ Quốc hội cho ý kiến", "Ủy ban Thường vụ Quốc hội"),
    "ministry_in_an_upper_case_header": ("BỘ QUỐC PHÒNG", "Bộ Quốc phòng"),
    "ministry_with_and": ("Bộ Kế hoạch và Đầu tư công bố", "Bộ Kế hoạch và Đầu tư"),
    "longest_name_at_a_position": ("Thanh tra Chính phủ kết luận", "Thanh tra Chính phủ"),
    "none": ("Trời mưa to", None),
}


@pytest.mark.parametrize("title,expected", COMMITTEE_CASES.values(), ids=COMMITTEE_CASES.keys())
def test_find_committee(title, expected) -> None:
    assert find_committee(title, "") == expected


def test_doc_type_from_header_line() -> None:
    assert find_doc_type("Về việc X", "CHÍNH PHỦ\nNGHỊ ĐỊNH\nQuy định chi tiết", None) == "Nghị định"


def test_doc_type_from_number_code() -> None:
    assert find_doc_type("Về công tác cán bộ", "", "21-NQ/TW") == "Nghị quyết"


def test_make_document_fills_missing_metadata() -> None:
    doc, repairs = make_document(
        {"text": "QUỐC HỘI\nLuật số: 41/2024/QH15\nHà Nội, ngày 29 tháng 6 năm 2024"}, default_id="f.jsonl:3"
    )
    assert doc.id == "f.jsonl:3" and repairs
    assert doc.number == "41/2024/QH15"
    assert doc.date == "2024-06-29"
    assert doc.committee == "Quốc hội"


def test_unknown_fields_are_kept_as_extras() -> None:
    doc, _ = make_document({"id": "x", "text": "a", "status": "Còn hiệu lực"}, default_id="x")
    assert doc.extras == {"status": "Còn hiệu lực"}


def test_malformed_lines_are_reported_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"id": "ok1", "text": "một"}\n'
        "not json\n"
        "[1, 2]\n"
        '{"id": "empty", "text": ""}\n'
        '{"id": "ok2", "text": "hai", "date": "hôm qua"}\n',
        encoding="utf-8",
    )
    records = list(read_jsonl(path))
    assert [r.document.id for r in records if r.document] == ["ok1", "ok2"]
    problems = [str(p) for r in records for p in r.problems]
    assert problems[0].startswith(f"{path}:2: not valid JSON")
    assert problems[1].startswith(f"{path}:3: not a JSON object")
    assert problems[2].startswith(f"{path}:4: no text")
    assert problems[3].startswith(f"{path}:5: date 'hôm qua' is not a date")


def test_a_pretty_printed_json_array_saved_as_jsonl_is_read_as_its_records(tmp_path: Path) -> None:
    path = tmp_path / "array.jsonl"
    records_written = [{"id": "a1", "title": "Một", "text": "phòng, chống tham nhũng"},
                       {"title": "Hai", "text": "lãng phí"}, 42]
    path.write_text(json.dumps(records_written, ensure_ascii=False, indent=2), encoding="utf-8")
    records = list(read_jsonl(path))
    assert [(r.line, r.document.id) for r in records if r.document] == [(2, "a1"), (7, "array.jsonl:7")]
    problems = [str(p) for r in records for p in r.problems]
    assert problems[0] == f"{path}: a JSON array, not JSON Lines (one object per line): its elements read as records"
    assert f"{path}:11: not a JSON object but a number; skipped" in problems
    assert not any("not valid JSON" in p for p in problems)


def test_a_json_array_on_one_line_gives_each_record_its_own_id(tmp_path: Path) -> None:
    path = tmp_path / "one-line.jsonl"
    path.write_text('[{"text": "một"}, {"text": "hai"}]\n', encoding="utf-8")
    assert [r.document.id for r in read_jsonl(path) if r.document] == ["one-line.jsonl:1", "one-line.jsonl:1:2"]


def test_a_broken_json_array_keeps_what_came_before_and_says_where_it_broke(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_text('[\n {"id": "d1", "text": "x"},\n {"id": "d2" "text": "y"},\n {"id": "d3", "text": "z"}\n]\n')
    records = list(read_jsonl(path))
    assert [r.document.id for r in records if r.document] == ["d1"]
    assert str(records[-1].problems[0]) == (
        f"{path}:3: the JSON array stops being valid JSON here; the rest of the file is skipped")
    assert records[-1].problems[0].skipped


def test_json_lines_whose_lines_are_arrays_are_still_read_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "lines.jsonl"
    path.write_text('["x"]\n{"id": "c1", "text": "z"}\n', encoding="utf-8")
    records = list(read_jsonl(path))
    assert [r.document.id for r in records if r.document] == ["c1"]
    assert str(records[0].problems[0]).startswith(f"{path}:1: not a JSON object but a list")


def test_html_file(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(
        "<html><head><title>T</title><script>alert(1)</script></head>"
        "<body><h1>Nghị quyết về &amp; cán bộ</h1><p>Nội dung</p></body></html>",
        encoding="utf-8",
    )
    doc = read_path(page, "p.html").__next__().document
    assert doc.title == "Nghị quyết về & cán bộ"
    assert "alert" not in doc.text and "Nội dung" in doc.text


def test_folder_is_walked_in_order_without_readme(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("B", encoding="utf-8")
    (tmp_path / "a.md").write_text("# A", encoding="utf-8")
    (tmp_path / "README.md").write_text("docs", encoding="utf-8")
    assert [base for _, base in iter_paths([tmp_path])] == ["a.md", "b.txt"]


def test_jsonl_gz(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "c.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write('{"id": "g", "text": "nén"}\n')
    assert [r.document.id for r in read_jsonl(path)] == ["g"]


def test_write_jsonl_helper(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "x.jsonl", [{"id": "1", "text": "x"}])
    assert [r.document.id for r in read_jsonl(path)] == ["1"]


BAD_DATES = {
    "month_13": ("2024-13-01", "'2024-13-01' is not a date: 13 is not a month (1-12)"),
    "day_30_of_february": ("2025-02-30", "'2025-02-30' is not a date: 2025-02 has no day 30"),
    "month_only": ("2024-06", "'2024-06' is not a day: use YYYY-MM-DD (or DD/MM/YYYY)"),
    "words": ("hôm qua", "'hôm qua' is not a day: use YYYY-MM-DD (or DD/MM/YYYY)"),
}


@pytest.mark.parametrize("value,said", BAD_DATES.values(), ids=BAD_DATES.keys())
def test_a_document_with_a_date_that_is_no_day_is_refused(value: str, said: str) -> None:
    from vnsearch import Document, DocumentError

    with pytest.raises(DocumentError) as caught:
        Document(id="x", title="t", text="x", date=value)
    assert str(caught.value) == said


def test_a_document_date_in_a_form_the_readers_accept_is_written_iso() -> None:
    from vnsearch import Document

    assert Document(id="x", title="t", text="x", date="29/12/2012").date == "2012-12-29"
    assert Document(id="x", title="t", text="x", date="ngày 29 tháng 12 năm 2012").date == "2012-12-29"
    assert Document(id="x", title="t", text="x", date="").date is None
    # the same values in a record: the reader reads them alike
    assert make_document({"text": "x", "date": "29/12/2012"}, default_id="x")[0].date == "2012-12-29"


def test_index_add_refuses_a_mapping_with_a_wrong_date(tmp_path: Path) -> None:
    from vnsearch import DocumentError, Index

    with Index.create(tmp_path / "ix") as ix, pytest.raises(DocumentError, match="13 is not a month"):
        ix.add([{"id": "x", "title": "t", "text": "x", "date": "2024-13-01"}])


def test_dropping_controls_changes_what_the_table_changes() -> None:
    # _drop_controls translates only the texts where its look-ahead finds a character to change.
    for code in [*range(0x3000), 0xFEFF, 0xFFFD, 0x1F600]:
        char = chr(code)
        assert documents._drop_controls(f"a{char}b") == f"a{char}b".translate(documents._CONTROLS), hex(code)


def _looks_like_markdown_as_written(text: str) -> bool:
    if documents._MARKDOWN_LINK_RE.search(text):
        return True
    if len(documents._MARKDOWN_TABLE_ROW_RE.findall(text, 0, 20000)) >= 2:
        return True
    return len(documents._MARKDOWN_MARKS_RE.findall(text, 0, 20000)) >= 2


@given(st.lists(st.sampled_from(
    ["[", "]", "(", ")", "](", "!", "https:", "/", "www.", "|", "#", "##", "*", "**", " ", "\t", "\n", "ab", '"t"']
), max_size=14).map("".join))
def test_markdown_is_told_as_by_the_patterns_alone(text: str) -> None:
    assert documents.looks_like_markdown(text) == _looks_like_markdown_as_written(text)


@pytest.mark.parametrize("text", [
    "|a|\n|b|", "| a | b |\n| c | d |", "a | b |\n|c|", "# A\n**b**", "x" * 19990 + "| a |\n| b |", "x" * 19998 + "**b** **c**",
    "[a](https://x.vn)", "![a](/b.png)", "## Title\n\n## Next", "**a** and #b",
])
def test_markdown_is_told_as_by_the_patterns_alone_at_the_edges(text: str) -> None:
    assert documents.looks_like_markdown(text) == _looks_like_markdown_as_written(text)
