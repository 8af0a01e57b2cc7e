"""Legacy Vietnamese encodings: TCVN3 (ABC), VNI and Windows-1258 detected and converted.

Samples are built by writing Unicode Vietnamese in those encodings with vnsearch's own tables,
plus the two strings everyone who met these encodings has seen, typed in by hand, and a check
of the TCVN3 table against glibc's converter.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from vnsearch import legacy
from vnsearch.documents import read_jsonl, read_path

HEADER = "Cộng hòa xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc"
DECISION = (
    "QUYẾT ĐỊNH về việc thành lập Ban Chỉ đạo phòng, chống tham nhũng, lãng phí của Tỉnh ủy Quảng Nam. "
    "Ủy ban nhân dân tỉnh giao Sở Tư pháp chủ trì, phối hợp với các sở, ngành liên quan hướng dẫn thực hiện; "
    "người đứng đầu cơ quan, đơn vị chịu trách nhiệm trước Ban Thường vụ Tỉnh ủy. Mường Khương, Bảo Thắng."
)
LEGACY = [legacy.TCVN3, legacy.VNI]


def test_the_classic_tcvn3_header_typed_by_hand() -> None:
    text, found = legacy.repair("Céng hoµ x· héi chñ nghÜa ViÖt Nam")
    assert found is not None and found.encoding == legacy.TCVN3 and found.confident
    assert text == "Cộng hoà xã hội chủ nghĩa Việt Nam"


def test_the_classic_vni_header_typed_by_hand() -> None:
    text, found = legacy.repair("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam")
    assert found is not None and found.encoding == legacy.VNI
    assert text == "Cộng hòa xã hội chủ nghĩa Việt Nam"


@pytest.mark.parametrize("encoding", LEGACY)
def test_font_text_round_trip(encoding: str) -> None:
    font = legacy.to_font_text(DECISION, encoding)
    assert font != DECISION and not legacy.looks_unicode_vietnamese(font)
    assert legacy.convert(font, encoding) == DECISION


def test_tcvn3_capitals_font_words_come_back_in_capitals() -> None:
    # ABC users set headings in .VnTimeH, which draws the lowercase codes as capitals.
    font = legacy.to_font_text("QUYẾT ĐỊNH", legacy.TCVN3)
    assert font == "QUYÕT §ÞNH"
    assert legacy.convert(font, legacy.TCVN3) == "QUYẾT ĐỊNH"


def test_tcvn3_u_horn_is_a_soft_hyphen() -> None:
    # 0xAD is ư in TCVN3 and an invisible soft hyphen in Windows-1252: it must be converted
    # before normalisation removes invisible characters.
    font = legacy.to_font_text("Mường Khương, Lương Sơn", legacy.TCVN3)
    assert "\u00ad" in font
    assert legacy.repair(font)[0] == "Mường Khương, Lương Sơn"


@pytest.mark.parametrize("encoding", [*LEGACY, legacy.WINDOWS_1258])
def test_bytes_in_a_legacy_encoding_are_detected_and_decoded(encoding: str) -> None:
    data = legacy.encode(HEADER + ". " + DECISION, encoding)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    decoded = legacy.decode(data)
    assert decoded.encoding == encoding
    assert decoded.text == HEADER + ". " + DECISION
    assert decoded.guess is not None and decoded.guess.confident


def test_tcvn3_table_matches_glibc() -> None:
    iconv = shutil.which("iconv")
    if iconv is None:
        pytest.skip("needs iconv (glibc) to compare tables")
    data = legacy.encode(DECISION.lower(), legacy.TCVN3)
    out = subprocess.run([iconv, "-f", "TCVN5712-1", "-t", "UTF-8"], input=data, capture_output=True, check=True)
    assert unicodedata.normalize("NFC", out.stdout.decode("utf-8")) == DECISION.lower()


UNICODE_OR_FOREIGN = {
    "unicode_vietnamese": DECISION,
    "ascii_vietnamese": "Cong hoa xa hoi chu nghia Viet Nam",
    "french": "Le café est très bon à Paris, où l'été dure; déjà vu, naïve façade.",
    "german": "Müller wohnt in der Straße über Köln, schön und groß.",
    "spanish": "El niño español pasó un año con el señor García.",
    "typography": "© 2024 — “quoted” text… • bullet ‘single’ – dash ½ ¼",
}


@pytest.mark.parametrize("text", UNICODE_OR_FOREIGN.values(), ids=UNICODE_OR_FOREIGN.keys())
def test_unicode_and_other_languages_are_left_alone(text: str) -> None:
    repaired, found = legacy.repair(text)
    assert repaired == text
    assert found is None or not found.confident


@pytest.mark.parametrize("text", list(UNICODE_OR_FOREIGN.values())[2:], ids=list(UNICODE_OR_FOREIGN)[2:])
def test_western_bytes_are_not_taken_for_vietnamese(text: str) -> None:
    decoded = legacy.decode(text.encode("cp1252"))
    assert decoded.encoding == "UTF-8" and decoded.replaced > 0  # reported, never "converted"


def test_too_little_text_is_not_converted() -> None:
    # Two words cannot make the case; the guess is still there to name in a report.
    font = legacy.to_font_text("Việt Nam ơi", legacy.TCVN3)
    text, found = legacy.repair(font)
    assert text == font
    assert found is not None and found.encoding == legacy.TCVN3 and not found.confident and found.plausible


def test_damaged_utf8_is_decoded_as_far_as_possible() -> None:
    data = DECISION.encode("utf-8")
    data = data[:40] + b"\xff" + data[40:]
    decoded = legacy.decode(data)
    assert decoded.encoding == "UTF-8" and decoded.replaced == 1 and decoded.first_bad == 40
    assert decoded.text.replace("\ufffd", "") == DECISION


def test_syllable_check() -> None:
    assert all(map(legacy.is_syllable, "người nghiêng khuya quyết giữa thuở tuổi Việt".split()))
    assert not any(map(legacy.is_syllable, ["hoứa", "Vieọt", "café", "Müller", "xaừ", "ñaø"]))


# -- through the readers --------------------------------------------------------------------


@pytest.mark.parametrize("encoding", LEGACY)
def test_jsonl_file_saved_in_a_legacy_encoding(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "old.jsonl"
    records = [{"id": "a", "title": "Quyết định số 12", "text": DECISION}, {"id": "b", "text": HEADER}]
    unicode_lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in records)
    path.write_bytes(legacy.encode(unicode_lines, encoding))  # as an old editor saved it
    records_read = list(read_jsonl(path))
    assert [r.document.id for r in records_read if r.document] == ["a", "b"]
    first = records_read[0].document
    assert first is not None and first.title == "Quyết định số 12"
    assert "phòng, chống tham nhũng" in first.text
    assert str(records_read[0].problems[0]).startswith(f"{path}:1: text in the {encoding} encoding")
    assert "converted to Unicode" in str(records_read[0].problems[0])


@pytest.mark.parametrize("encoding", LEGACY)
def test_font_text_pasted_into_utf8_json(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "pasted.jsonl"
    record = {"id": "p", "title": legacy.to_font_text("Thông báo", encoding), "text": legacy.to_font_text(DECISION, encoding)}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    (read,) = read_jsonl(path)
    assert read.document is not None
    assert read.document.title == "Thông báo" and read.document.text == DECISION
    assert [p.skipped for p in read.problems] == [False]
    assert f"text in the {encoding} encoding" in str(read.problems[0])


def test_text_file_in_tcvn3(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes(legacy.encode("Thông báo kết luận\n" + DECISION, legacy.TCVN3))
    (record,) = read_path(path, "old.txt")
    assert record.document is not None
    assert record.document.title == "Thông báo kết luận"
    assert "Ban Thường vụ Tỉnh ủy" in record.document.text
