"""The cache folder's lookup tables (engine/whoosh/lookup.py) read back as the dicts written."""

from __future__ import annotations

import mmap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vnsearch.engine.whoosh import cache
from vnsearch.engine.whoosh.lookup import LookupTable, encode, is_lookup_table

keys = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(keys, st.integers(-(1 << 63), (1 << 63) - 1), max_size=40), st.lists(keys, max_size=10))
def test_integer_tables_read_back(table: dict[str, int], others: list[str]) -> None:
    read = LookupTable(encode(table))
    assert dict(read.items()) == table and len(read) == len(table)
    for key in others:
        assert (key in read) == (key in table)
        assert read.get(key) == table.get(key)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(keys, st.one_of(st.tuples(st.text(max_size=5), st.integers()),
                                       st.dictionaries(st.tuples(keys, keys), st.integers(), max_size=3),
                                       st.integers(min_value=1 << 64)), max_size=40))
def test_tables_of_other_values_read_back(table: dict[str, object]) -> None:
    read = LookupTable(encode(table))
    assert {key: read[key] for key in table} == table
    assert sorted(read) == sorted(table) and dict(read.items()) == table


def test_missing_keys_and_other_types_are_not_found() -> None:
    read = LookupTable(encode({"tham_nhung": "tham_nhũng", "": "empty"}))
    assert read[""] == "empty" and read["tham_nhung"] == "tham_nhũng"
    for missing in ("tham", "tham_nhung_", "zzz", 5, None):
        assert missing not in read
    with pytest.raises(KeyError):
        read["tham"]


def test_only_dicts_with_string_keys_are_tables() -> None:
    assert is_lookup_table({"a": 1}) and is_lookup_table({})
    assert not is_lookup_table({("a", "b"): 1}) and not is_lookup_table([("a", 1)])


def test_the_cache_keeps_dicts_as_lookup_tables_and_the_rest_as_pickles(tmp_path: Path) -> None:
    built = []

    def build(value):
        def make():
            built.append(value)
            return value
        return make

    first = cache.cached(tmp_path, "words", "k1", build({"a": 1}))
    assert isinstance(first, LookupTable) and dict(first) == {"a": 1}  # read-only from the first call
    assert cache.cached(tmp_path, "list", "k1", build([1, 2])) == [1, 2]
    again = cache.cached(tmp_path, "words", "k1", build({"wrong": 0}))
    assert isinstance(again, LookupTable) and dict(again) == {"a": 1}
    assert isinstance(again._data, mmap.mmap)  # mapped, not read whole
    assert cache.cached(tmp_path, "list", "k1", build([0])) == [1, 2]
    assert built == [{"a": 1}, [1, 2]]
    assert sorted(p.name for p in (tmp_path / cache.FOLDER).iterdir()) == ["list-k1.pickle", "words-k1.table"]
    retired = tmp_path / cache.FOLDER / f"{cache.RETIRED[0]}-k0.pickle"
    retired.write_bytes(b"")
    cache.cached(tmp_path, "words", "k2", build({"b": 2}))  # a new key replaces the old file, and retired ones go
    assert sorted(p.name for p in (tmp_path / cache.FOLDER).iterdir()) == ["list-k1.pickle", "words-k2.table"]


def test_a_damaged_table_is_built_again(tmp_path: Path) -> None:
    cache.cached(tmp_path, "words", "k", lambda: {"a": 1})
    path = tmp_path / cache.FOLDER / "words-k.table"
    whole = path.read_bytes()
    for cut in (5, len(whole) - 1):
        path.write_bytes(whole[:cut])
        assert cache.cached(tmp_path, "words", "k", lambda: {"b": 2}) == {"b": 2}
        path.write_bytes(whole)


def test_a_table_that_cannot_replace_the_old_file_leaves_no_temporary_file(tmp_path: Path, monkeypatch) -> None:
    def refuse(source: str, target: object) -> None:
        raise PermissionError("mapped by another process")  # as Windows refuses a mapped file

    monkeypatch.setattr(cache.os, "replace", refuse)
    assert cache.cached(tmp_path, "words", "k", lambda: {"a": 1}) == {"a": 1}
    assert list((tmp_path / cache.FOLDER).iterdir()) == []
