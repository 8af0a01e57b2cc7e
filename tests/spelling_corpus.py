"""A small corpus whose statistics decide spellings, shared by the restoration, did-you-mean
and vocabulary tests: "đang" is commoner than "đảng" alone, but "xây dựng" is followed by
"Đảng" more often; "những" and "bị" are commoner than "nhũng" and "bí" alone, but the words
"tham nhũng" and "bí thư" settle them; "lờ" and "vội" are rare words, not slips."""

from __future__ import annotations

from pathlib import Path

from vnsearch import Document, Index

_TEXTS = [
    (8, "Công tác xây dựng Đảng và chỉnh đốn Đảng là nhiệm vụ then chốt."),
    (10, "Dự án đang được triển khai, công nhân đang làm việc."),
    (2, "Bộ Xây dựng đang xem xét hồ sơ."),
    (6, "Đẩy mạnh phòng, chống tham nhũng, lãng phí."),
    (8, "Những người dân nhưng vẫn còn những khó khăn."),
    (5, "Bí thư Tỉnh ủy làm việc với Ban Thường vụ."),
    (5, "Thủ tướng Chính phủ chỉ đạo về tình hình."),
    (6, "Kỳ họp Quốc hội khai mạc, đại biểu đặt câu hỏi."),
    (6, "Người dân bị thiệt hại do bão."),
    (4, "Khắc phục sạt lở đất."),
    (1, "Ông ấy lờ đi."),
    (1, "Anh ấy vội vàng làm việc với mọi người."),
]
DOCUMENTS = [Document(id=f"d{group}-{i}", title=f"Tin {group}-{i}", text=text)
             for group, (count, text) in enumerate(_TEXTS) for i in range(count)]


def build(path: Path) -> Path:
    with Index.create(path) as index:
        index.add(DOCUMENTS, workers=1)
    return path
