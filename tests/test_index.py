"""The index: create/open, add or replace by id, get, stats, format version."""

import json
from pathlib import Path

import pytest

from vnsearch import Document, Index, IndexNotFoundError, IndexVersionError
from vnsearch.engine.whoosh.store import FORMAT_FILE


def test_stats_of_the_small_index(small_index_path: Path) -> None:
    with Index.open(small_index_path) as ix:
        stats = ix.stats()
    assert stats.documents == 5
    assert stats.facets["committee"]["Bộ Chính trị"] == 1
    assert stats.facets["committee"]["Quốc hội"] == 1
    # The seed and tin-1 are news stories: the bodies their titles name did not issue them.
    assert set(stats.facets["committee"]) == {"Bộ Chính trị", "Quốc hội"}
    assert stats.facets["year"]["2012"] == 2
    assert stats.facets["doc_type"]["Luật"] == 1


def test_get_returns_the_normalised_document(small_index_path: Path) -> None:
    with Index.open(small_index_path) as ix:
        doc = ix.get("tin-1")
        assert ix.get("no-such-id") is None
    assert doc is not None
    assert doc.title == "Tỉnh ủy họp bàn về tinh gọn bộ máy"
    assert doc.date == "2012-12-29"
    assert "21-NQ/TW" in doc.cited_numbers


def test_add_replace_and_skip_unchanged(tmp_path: Path) -> None:
    with Index.create(tmp_path / "ix") as ix:
        first = ix.add([Document(id="a", title="Một", text="một hai"), Document(id="b", title="Hai", text="ba")],
                       workers=1)
        again = ix.add([Document(id="a", title="Một", text="một hai")], workers=1)
        changed = ix.add([Document(id="a", title="Một", text="đã sửa")], workers=1)
        assert (first.added, again.unchanged, changed.replaced) == (2, 1, 1)
        assert len(ix) == 2
        assert ix.get("a").text == "đã sửa"


def test_add_with_worker_processes_keeps_order(tmp_path: Path) -> None:
    docs = [Document(id=f"d{i}", title=f"Tiêu đề {i}", text=f"Nội dung số {i}") for i in range(30)]
    with Index.create(tmp_path / "ix") as ix:
        report = ix.add(docs, workers=2)
        assert report.added == 30
        assert ix.get("d17").title == "Tiêu đề 17"


def test_delete(tmp_path: Path) -> None:
    with Index.create(tmp_path / "ix") as ix:
        ix.add([Document(id="a", title="A", text="a"), Document(id="b", title="B", text="b")], workers=1)
        assert ix.delete(["a", "zzz"]) == 1
        assert ix.get("a") is None and len(ix) == 1


def test_open_missing_index(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFoundError):
        Index.open(tmp_path / "nothing")


def test_open_other_format_version_says_rebuild(tmp_path: Path) -> None:
    Index.create(tmp_path / "ix").close()
    (tmp_path / "ix" / FORMAT_FILE).write_text(json.dumps({"format": 0}))
    with pytest.raises(IndexVersionError) as caught:
        Index.open(tmp_path / "ix")
    assert "rebuild" in (caught.value.hint_text() or "")


def test_create_refuses_existing_index(tmp_path: Path) -> None:
    Index.create(tmp_path / "ix").close()
    with pytest.raises(Exception, match="already exists"):
        Index.create(tmp_path / "ix")
    Index.create(tmp_path / "ix", exist_ok=True).close()


def test_parallel_bulk_add_replace_and_duplicate_ids(tmp_path: Path) -> None:
    from vnsearch.engine.whoosh.store import PARALLEL_FROM

    n = PARALLEL_FROM + 50
    docs = [Document(id=f"d{i}", title=f"Tiêu đề {i}", text=f"Nội dung phòng, chống tham nhũng số {i}") for i in range(n)]
    with Index.create(tmp_path / "ix") as ix:
        report = ix.add(docs, workers=2)
        assert (report.added, len(ix)) == (n, n)
        changed = [Document(id=d.id, title=d.title, text=d.text + " đã sửa") for d in docs]
        # d0 twice in one stream: the later record wins, as in a serial run
        again = ix.add(changed + [Document(id="d0", title="Lần cuối", text="bản cuối cùng")], workers=2)
        assert again.replaced == n + 1 and len(ix) == n
        assert ix.get("d0").title == "Lần cuối"
        assert ix.get("d7").text.endswith("đã sửa")
        assert ix.search('"phòng chống tham nhũng"', limit=1).total == n - 1


def test_commits_merge_small_segments_only(tmp_path: Path, monkeypatch) -> None:
    import vnsearch.engine.whoosh.store as store

    monkeypatch.setattr(store, "SMALL_SEGMENT_DOCS", 3)

    def sizes(ix: Index) -> list[int]:
        return ix._engine.segment_sizes()

    with Index.create(tmp_path / "ix") as ix:
        for batch in range(3):  # three "big" segments of 4 documents
            ix.add([Document(id=f"b{batch}-{i}", title="", text=f"văn bản {i}") for i in range(4)], workers=1)
        assert sizes(ix) == [4, 4, 4]
        ix.add([Document(id="s1", title="", text="một")], workers=1)
        ix.add([Document(id="s2", title="", text="hai")], workers=1)
        # the earlier one-document segment was folded into the new one; the big ones were left alone
        assert sizes(ix) == [2, 4, 4, 4]
        ix.delete(["b0-0"])  # a deletion marks, it does not merge
        assert sizes(ix) == [2, 4, 4, 4] and len(ix) == 13


def test_warm_loads_what_searches_need(small_index_path: Path) -> None:
    with Index.open(small_index_path) as ix:
        ix.warm()
        assert ix._engine.snapshot().restorer().get("tham_nhung") == "tham_nhũng"
        assert ix.search("tham nhung").hits[0].id == "nq-21"
