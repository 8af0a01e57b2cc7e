"""The shape of the house: one engine boundary, no import cycles, errors that tell the truth."""

import ast
from pathlib import Path

import pytest

from vnsearch import Document, DocumentError, Index, IndexExistsError

SRC = Path(__file__).resolve().parent.parent / "src" / "vnsearch"


def _modules() -> dict[str, Path]:
    modules = {}
    for path in SRC.rglob("*.py"):
        name = ".".join(("vnsearch", *path.relative_to(SRC).with_suffix("").parts))
        modules[name.removesuffix(".__init__")] = path
    return modules


def _imports(path: Path, *, top_level_only: bool) -> list[tuple[int, str | None, list[str]]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = []
    for node in nodes:
        if isinstance(node, ast.ImportFrom):
            found.append((node.level, node.module, [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            found += [(0, alias.name, []) for alias in node.names]
    return found


def test_only_the_engine_package_imports_whoosh() -> None:
    for name, path in _modules().items():
        if name.startswith("vnsearch.engine.whoosh"):
            continue
        for level, module, _ in _imports(path, top_level_only=False):
            assert not (level == 0 and (module or "").split(".")[0] == "whoosh"), f"{name} imports Whoosh"
            assert "whoosh" not in (module or "") or name == "vnsearch.engine", f"{name} imports the Whoosh engine"


def test_no_import_cycles_between_modules() -> None:
    modules = _modules()
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        targets = set()
        for level, module, names in _imports(path, top_level_only=True):
            if not level:
                continue
            base = package.split(".")[: len(package.split(".")) - (level - 1)]
            target = ".".join(base + ([module] if module else []))
            targets |= {f"{target}.{n}" if f"{target}.{n}" in modules else target for n in names}
        edges[name] = targets

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in edges.get(start, ()):
            if nxt == goal or (nxt not in seen and (seen.add(nxt) or reaches(nxt, goal, seen))):
                return True
        return False

    cyclic = sorted(name for name in modules if reaches(name, name, set()))
    assert cyclic == []


def test_a_misspelled_search_option_is_a_type_error_not_a_damaged_index(small_index_path: Path) -> None:
    with Index.open(small_index_path) as ix, pytest.raises(TypeError, match="comittee"):
        ix.search("tham nhũng", comittee="UBND")  # type: ignore[call-arg]


def test_search_has_a_signature_and_a_docstring() -> None:
    import inspect

    parameters = inspect.signature(Index.search).parameters
    assert {"limit", "page", "committee", "doc_type", "date_from", "date_to", "sort", "explain"} <= set(parameters)
    assert all(p.kind is p.KEYWORD_ONLY for name, p in parameters.items() if name not in ("self", "query"))
    assert "QueryError" in (Index.search.__doc__ or "")


def test_add_takes_mappings_and_says_what_it_cannot_take(tmp_path: Path) -> None:
    with Index.create(tmp_path / "ix") as ix:
        report = ix.add([{"id": "m1", "title": "Nghị quyết", "text": "phòng, chống tham nhũng"}], workers=1)
        assert report.added == 1 and ix.get("m1").title == "Nghị quyết"
        with pytest.raises(DocumentError, match="iterable of documents"):
            ix.add({"id": "m2", "text": "x"}, workers=1)  # type: ignore[arg-type]
        with pytest.raises(DocumentError, match="got int"):
            ix.add([42], workers=1)  # type: ignore[list-item]
        with pytest.raises(DocumentError, match="unknown document fields: 'body'"):
            ix.add([{"id": "m3", "body": "x"}], workers=1)
        assert len(ix) == 1


def test_create_on_an_existing_index_is_a_typed_error(tmp_path: Path) -> None:
    Index.create(tmp_path / "ix").close()
    with pytest.raises(IndexExistsError) as caught:
        Index.create(tmp_path / "ix")
    assert caught.value.hint
    Index.create(tmp_path / "ix", exist_ok=True).close()


def test_no_engine_object_is_public_on_the_index() -> None:
    public = {name for name in dir(Index) if not name.startswith("_")}
    assert not public & {"searcher", "postings", "column"}


def test_documents_round_trip_through_the_engine(tmp_path: Path) -> None:
    document = Document(id="x", title="Tiêu đề", text="Nội dung", date="2024-01-02", committee="Bộ Chính trị",
                        doc_type="Nghị quyết", number="21-NQ/TW", url="https://example.org/x",
                        cited_numbers=("15/2020/NĐ-CP",), extras={"source": "test"})
    with Index.create(tmp_path / "ix") as ix:
        ix.add([document], workers=1)
        assert ix.get("x") == document
