"""Diacritic restoration from the index's own statistics (vnsearch.restore)."""

import pytest

from spelling_corpus import build
from vnsearch import Index
from vnsearch.restore import SpellingStats, restore, restore_scored, restored_words, spelling_stats


@pytest.fixture(scope="module")
def stats(tmp_path_factory: pytest.TempPathFactory):
    path = build(tmp_path_factory.mktemp("restore") / "ix")
    with Index.open(path) as index:
        yield spelling_stats(index._engine.snapshot())


@pytest.mark.parametrize(("typed", "restored"), [
    ("xay dung dang", "xây dựng đảng"),  # "đang" is commoner alone; after "xây dựng", "Đảng" is
    ("phong chong tham nhung", "phòng chống tham nhũng"),  # "những" is commoner alone
    ("bi thu tinh uy", "bí thư tỉnh ủy"),  # "bị" is commoner alone
    ("quoc hoi", "quốc hội"),
])
def test_a_folded_phrase_gets_the_spelling_the_index_holds(stats, typed: str, restored: str) -> None:
    assert restore(typed.split(), stats) == restored.split()


def test_a_lone_syllable_gets_its_commonest_spelling(stats) -> None:
    assert restore(["dang"], stats) == ["đang"]


def test_syllables_the_index_does_not_hold_are_kept_as_typed(stats) -> None:
    assert restore(["covid", "xay", "dung"], stats) == ["covid", "xây", "dựng"]


def test_restoration_comes_with_its_posterior(stats) -> None:
    spelled, posterior = restore_scored(["tham", "nhung"], stats)
    assert spelled == ["tham", "nhũng"] and 0.5 < posterior <= 1.0


def test_nothing_to_restore_is_an_empty_answer(stats) -> None:
    assert restore([], stats) == []


def test_restore_says_nothing_when_the_statistics_cannot_tell() -> None:
    # Three spellings as frequent as each other, no words, no pairs: no spelling is likely.
    even = SpellingStats(documents=30, syllables={"ba": 10, "bà": 10, "bá": 10}, words={},
                         pair_frequency=lambda _pair: 0)
    assert restore(["ba"], even) is None
    assert restore(["ba"], even, confident=0.2) is not None


def test_statistics_without_sampling_use_the_words() -> None:
    # Built by hand (no index): words alone say "tham nhũng".
    stats = SpellingStats(documents=100, syllables={"tham": 40, "nhũng": 10, "những": 60}, words={"tham_nhũng": 10},
                          pair_frequency=lambda _pair: 10)
    assert restore(["tham", "nhung"], stats) == ["tham", "nhũng"]


def test_a_run_too_long_to_restore_quickly_is_not_restored(stats) -> None:
    from vnsearch.restore import MAX_SYLLABLES

    assert restore(["quoc", "hoi"] * MAX_SYLLABLES, stats) is None


def test_query_words_are_the_restored_words_for_ranking(stats) -> None:
    from vnsearch.restore import query_words

    assert query_words(["xay", "dung", "dang"], stats) == ["xây_dựng", "đảng"]
    assert query_words(["ba"], SpellingStats(documents=30, syllables={"ba": 10, "bà": 10, "bá": 10}, words={},
                                            pair_frequency=lambda _pair: 0)) == []


def test_restored_syllables_group_into_the_index_words(stats) -> None:
    assert restored_words(["xây", "dựng", "đảng"], stats) == ["xây_dựng", "đảng"]
    assert restored_words(["bí", "thư", "tỉnh", "ủy"], stats) == ["bí_thư", "tỉnh_ủy"]


def test_statistics_are_built_once_per_snapshot_and_feed_the_planner_restorer(tmp_path) -> None:
    from vnsearch.restore import word_restorer

    path = build(tmp_path / "ix")
    with Index.open(path) as index:
        snapshot = index._engine.snapshot()
        assert spelling_stats(snapshot) is spelling_stats(snapshot)
        assert word_restorer(snapshot)(["bi", "thu", "tinh", "uy"]) == ["bí_thư", "tỉnh_ủy"]


def test_snapshots_replaced_by_commits_are_freed_with_their_spelling_statistics(tmp_path) -> None:
    import gc

    from vnsearch.engine.whoosh.postings import WhooshSnapshot

    with Index.create(tmp_path / "ix") as ix:
        ix.add([{"id": "a", "title": "Phòng, chống tham nhũng", "text": "Công tác phòng, chống tham nhũng."}], workers=1)
        for n in range(3):
            ix.search("tham nhung")  # typed without diacritics: the spelling statistics are built
            ix.add([{"id": f"d{n}", "title": "Tin", "text": f"nội dung {n}"}], workers=1)  # a commit: a new snapshot
        ix.search("tham nhung")
        gc.collect()
        alive = [o for o in gc.get_objects() if isinstance(o, WhooshSnapshot) and o.path == tmp_path / "ix"]
        assert len(alive) == 1  # the latest; before the fix, one per commit
