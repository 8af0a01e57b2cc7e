"""vnsearch's segment writer writes exactly the files Whoosh's own does."""

from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from vnsearch import Document
from vnsearch.schema import analyze, build_schema
from vnsearch.writer import Writer

DOCS = [Document(id=f"d{i}", title=f"Tiêu đề {i}", text="phòng, chống tham nhũng " * (i + 1) + f"số {i}")
        for i in range(60)]


def _files(path: Path, writer_class: type) -> dict[str, bytes]:
    ix = whoosh_index.create_in(str(path), build_schema())
    writer = writer_class(ix, compound=False)
    for document in DOCS:
        writer.add_document(**analyze(document))
    writer.commit()
    # segment files, keyed by what follows the random segment name
    return {p.name.split(".", 1)[1]: p.read_bytes() for p in path.iterdir() if p.name.startswith("MAIN_") and "." in p.name}


def test_same_files_as_whoosh_segment_writer(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    ours, theirs = _files(tmp_path / "a", Writer), _files(tmp_path / "b", SegmentWriter)
    assert set(ours) == set(theirs) and len(ours) > 5
    for name in ours:
        assert ours[name] == theirs[name], name
