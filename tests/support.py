"""Paths and helpers shared by the tests (fixtures live in conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
SEED = ROOT / "corpus" / "ban-thuong-vu-tinh-uy-kiem-diem-nq-tw4.txt"


def shared_file(relative: str) -> Path:
    """A file from ../shared, or skip the test with the reason."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"needs {path} (the project's shared data), which is absent here")
    return path


def write_jsonl(path: Path, records: list[object]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def dated_documents() -> list[object]:
    """Documents over years and months for the timeline, browsing and export tests: Bộ Chính trị
    over 2015-2024 with years left out, Quốc hội within 2023 (a span under two years), two
    undated, one whose title a spreadsheet would run as a formula, three on another subject."""
    from vnsearch import Document

    years = [2015, 2015, 2016, 2018, 2018, 2018, 2020, 2021, 2021, 2022, 2024, 2024]
    documents = [
        Document(id=f"bct-{n:02d}", title=f"Nghị quyết {n} về phòng, chống tham nhũng",
                 text=f"Bộ Chính trị yêu cầu đẩy mạnh phòng, chống tham nhũng, lãng phí (lần {n}).",
                 date=f"{year}-{n % 12 + 1:02d}-15", committee="Bộ Chính trị", doc_type="Nghị quyết")
        for n, year in enumerate(years)
    ]
    documents += [
        Document(id=f"qh-{n}", title=f"Luật sửa đổi, tháng {month}: phòng, chống tham nhũng",
                 text="Quốc hội thông qua luật về phòng, chống tham nhũng.", date=f"2023-{month:02d}-{n + 1:02d}",
                 committee="Quốc hội", doc_type="Luật")
        for n, month in enumerate((1, 2, 2, 5, 11))
    ]
    documents += [
        Document(id="undated-1", title="Tin không rõ ngày về tham nhũng", text="Bàn về chống tham nhũng."),
        Document(id="undated-2", title="Tin khác không rõ ngày", text="Chống tham nhũng, tiêu cực."),
        Document(id="formula", title='=HYPERLINK("http://example.org","tham nhũng")', text="Một tin về tham nhũng.",
                 date="2019-07-01", committee="Ban Thường vụ Tỉnh ủy", doc_type="Tin tức"),
    ]
    documents += [
        Document(id=f"bhxh-{n}", title=f"Luật Bảo hiểm xã hội {n}", text="Quốc hội ban hành Luật Bảo hiểm xã hội.",
                 date=f"2019-0{n}-01", committee="Quốc hội", doc_type="Luật")
        for n in (1, 2, 3)
    ]
    return documents
