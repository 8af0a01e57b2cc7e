"""The cluster engine (engine/sphinx) against real `searchd` nodes, beside the embedded engine.

Two `searchd` processes per collection run on free loopback ports with configurations written
by `vnsearch cluster config`'s code, and are stopped by their own pids. The same documents go
into an embedded index and into the cluster; the same queries must find the same documents.
Skipped with the reason when searchd (Debian's sphinxsearch) or pymysql is missing.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from support import FIXTURES, SEED, shared_file, write_jsonl
from vnsearch import Document, Index
from vnsearch.engine import EngineUnavailableError
from vnsearch.engine.sphinx.local import LocalCluster, searchd_path

pytestmark = pytest.mark.cluster

if searchd_path() is None:
    pytest.skip("searchd is not installed (apt-get install sphinxsearch)", allow_module_level=True)
pytest.importorskip("pymysql", reason="the cluster engine needs pymysql (pip install -e '.[cluster]')")

GAZETTE_DOCS = 20
NEWS_DOCS = 300
ALQAC_QUESTIONS = 80  # of the dev questions: a stable figure, quick enough for the suite (the benchmark runs all)


@pytest.fixture(scope="session")
def clusters(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, LocalCluster]]:
    """Two-node clusters, started on first use, all stopped at the end of the session."""
    started: dict[str, LocalCluster] = {}
    root = tmp_path_factory.mktemp("clusters")

    class Clusters(dict):  # type: ignore[type-arg]
        def __missing__(self, name: str) -> LocalCluster:
            cluster = LocalCluster(root / name, nodes=2)
            started[name] = cluster
            cluster.start()
            self[name] = cluster
            return cluster

    try:
        yield Clusters()
    finally:
        for cluster in started.values():
            cluster.stop()


def _pair(tmp: Path, cluster: LocalCluster, documents: list[Document]) -> tuple[Index, Index]:
    embedded = Index.create(tmp / "embedded")
    embedded.add(documents, workers=2)
    remote = Index.create(tmp / "state", engine_url=cluster.url)
    remote.add(documents, workers=2)
    return embedded, remote


def _ids(ix: Index, query: str, **options: object) -> set[str]:
    """Every document a query matches (the strict set), through pages of 100."""
    found: set[str] = set()
    for page in itertools.count(1):
        result = ix.search(query, limit=100, page=page, sort="date", **options)  # type: ignore[arg-type]
        found |= {hit.id for hit in result.hits}
        if page * 100 >= result.total:
            return found


@pytest.fixture(scope="module")
def shared_pair(clusters: dict[str, LocalCluster], tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Index, Index]]:
    from vnsearch.documents import read_jsonl

    gazette = itertools.islice(read_jsonl(shared_file("corpus/gazette.jsonl.gz")), GAZETTE_DOCS)
    news = itertools.islice(read_jsonl(shared_file("corpus/news-dated.jsonl.gz")), NEWS_DOCS)
    documents = [r.document for r in itertools.chain(gazette, news) if r.document is not None]
    embedded, remote = _pair(tmp_path_factory.mktemp("shared"), clusters["shared"], documents)
    yield embedded, remote
    embedded.close()
    remote.close()


PHRASES = ['"phòng, chống tham nhũng"', '"Ban Thường vụ Tỉnh ủy"', '"Bộ Chính trị"', '"kinh tế - xã hội"',
           '"cải cách hành chính"', '"Ủy ban nhân dân"', '"an ninh quốc phòng"', '"biển đông"']


@pytest.mark.parametrize("query", PHRASES)
def test_quoted_phrases_return_the_same_documents(shared_pair: tuple[Index, Index], query: str) -> None:
    embedded, remote = shared_pair
    assert _ids(remote, query) == _ids(embedded, query)


@pytest.mark.parametrize("query", ["phong chong tham nhung", "ban thuong vu tinh uy", "kinh te xa hoi", "bien dong"])
def test_queries_without_diacritics_find_the_same_documents(shared_pair: tuple[Index, Index], query: str) -> None:
    embedded, remote = shared_pair
    assert _ids(remote, query) == _ids(embedded, query)


def test_queries_without_diacritics_rank_the_usual_spelling_as_embedded(shared_pair: tuple[Index, Index]) -> None:
    embedded, remote = shared_pair
    for query in ("phong chong tham nhung", "ban thuong vu tinh uy", "cai cach hanh chinh"):
        restored = [[s["node"] for s in ix.search(query, explain=True).plan["signals"] if s["kind"].startswith("restored")]
                    for ix in (remote, embedded)]
        assert restored[0] == restored[1] and restored[0], query


def test_document_numbers_find_the_same_documents(shared_pair: tuple[Index, Index]) -> None:
    embedded, remote = shared_pair
    numbers = [d.number for d in (embedded.get(i) for i in sorted(embedded.fingerprints())[:40]) if d and d.number]
    assert numbers
    for number in numbers[:8]:
        assert _ids(remote, number) == _ids(embedded, number), number
        assert remote.search(number).hits[0].id == embedded.search(number).hits[0].id  # its own document first


@pytest.mark.parametrize("options", [
    {"committee": "Quốc hội"}, {"doc_type": "Nghị định"}, {"date_from": "2017", "date_to": "2018-06"},
    {"date_from": "2019-03-15"},
])
def test_filters_and_facet_counts_are_equal(shared_pair: tuple[Index, Index], options: dict[str, str]) -> None:
    embedded, remote = shared_pair
    for query in ("phát triển kinh tế", "Quốc hội", "tham nhũng"):
        mine, theirs = remote.search(query, **options), embedded.search(query, **options)  # type: ignore[arg-type]
        assert (mine.total, mine.facets) == (theirs.total, theirs.facets), (query, options)
        assert _ids(remote, query, **options) == _ids(embedded, query, **options)


LONG_QUESTIONS = ["Quốc hội đã thông qua luật nào về đất đai và những điểm mới của luật là gì",
                  "Cán bộ, đảng viên vi phạm quy định về phòng, chống tham nhũng bị xử lý kỷ luật như thế nào"]


@pytest.mark.parametrize("restricted", [False, True], ids=["holders-whole", "holders-among-candidates"])
def test_long_questions_match_count_and_facet_the_same_documents(shared_pair: tuple[Index, Index], restricted: bool,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from vnsearch.engine.sphinx import engine as sphinx_engine

    if restricted:  # the way of a large collection, tried on this small one
        monkeypatch.setattr(sphinx_engine, "UNRESTRICTED_CHECKS", 0)
    embedded, remote = shared_pair
    for question in LONG_QUESTIONS:
        mine, theirs = remote.search(question, limit=20), embedded.search(question, limit=20)
        assert (mine.total, mine.near_total, mine.facets) == (theirs.total, theirs.near_total, theirs.facets)
        assert _ids(remote, question) == _ids(embedded, question)
        assert len({h.id for h in mine.hits} & {h.id for h in theirs.hits}) >= 14  # the ranking, roughly


def test_stats_and_documents_are_the_same(shared_pair: tuple[Index, Index]) -> None:
    embedded, remote = shared_pair
    assert remote.stats() == embedded.stats()
    assert len(remote) == len(embedded)
    assert remote.fingerprints() == embedded.fingerprints()
    some = sorted(embedded.fingerprints())[::37]
    assert [remote.get(i) for i in some] == [embedded.get(i) for i in some]
    assert remote.get("no-such-id") is None


def test_date_order_and_snippets_look_the_same(shared_pair: tuple[Index, Index]) -> None:
    embedded, remote = shared_pair
    mine = remote.search("phòng chống tham nhũng", sort="date", limit=20)
    theirs = embedded.search("phòng chống tham nhũng", sort="date", limit=20)
    assert [h.id for h in mine.hits] == [h.id for h in theirs.hits]
    assert [(h.snippets, h.title_html) for h in mine.hits] == [(h.snippets, h.title_html) for h in theirs.hits]


def test_relevance_pages_follow_each_other(shared_pair: tuple[Index, Index]) -> None:
    _, remote = shared_pair
    whole = [h.id for h in remote.search("xây dựng Đảng", limit=30).hits]
    paged = [h.id for page in (1, 2, 3) for h in remote.search("xây dựng Đảng", limit=10, page=page).hits]
    assert paged == whole and len(set(whole)) == len(whole)


def _questions(limit: int) -> list[str]:
    path = shared_file("eval/alqac2024/queries-dev.jsonl")
    questions = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return questions[:limit]


def test_top10_overlap_with_the_embedded_engine_on_alqac_questions(
        clusters: dict[str, LocalCluster], tmp_path_factory: pytest.TempPathFactory) -> None:
    from vnsearch.documents import read_jsonl

    documents = [r.document for r in read_jsonl(shared_file("eval/alqac2024/corpus.jsonl.gz")) if r.document]
    embedded, remote = _pair(tmp_path_factory.mktemp("alqac"), clusters["alqac"], documents)
    with embedded, remote:
        overlaps = []
        for question in _questions(ALQAC_QUESTIONS):
            mine = {h.id for h in remote.search(question, limit=10).hits}
            theirs = {h.id for h in embedded.search(question, limit=10).hits}
            overlaps.append(len(mine & theirs) / max(1, len(theirs)))
    mean = sum(overlaps) / len(overlaps)
    print(f"\nALQAC dev, {len(overlaps)} questions: top-10 overlap with the embedded engine {mean:.3f}")
    assert mean >= 0.8


# -- the small corpus: writes, faults ------------------------------------------------------------


@pytest.fixture()
def small(tmp_path: Path) -> Iterator[tuple[LocalCluster, Path]]:
    """A fresh cluster index name for each test: a cluster restarted empty."""
    cluster = LocalCluster(tmp_path / "cluster", nodes=2)
    cluster.start()
    try:
        yield cluster, tmp_path
    finally:
        cluster.stop()


def test_reindexing_the_same_files_changes_nothing(small: tuple[LocalCluster, Path]) -> None:
    from vnsearch.indexer import index_paths

    cluster, tmp = small
    files = [FIXTURES / "small.jsonl", SEED]
    with Index.create(tmp / "state", engine_url=cluster.url) as ix:
        first = index_paths(ix, files, workers=1)
        generation, prints, stats = ix.generation(), ix.fingerprints(), ix.stats()
        again = index_paths(ix, files, workers=1)
        assert all(s.not_modified for s in again)
        assert (ix.generation(), ix.fingerprints(), ix.stats()) == (generation, prints, stats)
    with Index.open(tmp / "state", engine_url=cluster.url) as ix:
        (tmp / "state" / "vnsearch-files.json").unlink()  # forget the files: every record is compared
        compared = index_paths(ix, files, workers=1)
        assert [s.unchanged for s in compared] == [s.added for s in first]
        assert ix.generation() == generation


def test_a_malformed_record_is_reported_as_in_the_embedded_engine(small: tuple[LocalCluster, Path]) -> None:
    from vnsearch.indexer import index_paths

    cluster, tmp = small
    corpus = tmp / "bad.jsonl"
    write_jsonl(corpus, [{"id": "a", "title": "Tham nhũng", "text": "phòng, chống tham nhũng"}, {"id": "b"}])
    with corpus.open("a", encoding="utf-8") as handle:
        handle.write("{not json\n")
    reports: dict[str, list[str]] = {}
    summaries = {}
    for name, url in (("embedded", None), ("cluster", cluster.url)):
        reports[name] = []
        with Index.create(tmp / name, engine_url=url) as ix:
            done = index_paths(ix, [corpus], on_problem=lambda p, n=name: reports[n].append(str(p)))
            summaries[name] = [s.line() for s in done]
            assert len(ix) == 1
    assert reports["cluster"] == reports["embedded"] and len(reports["embedded"]) == 2
    assert summaries["cluster"] == summaries["embedded"]


def test_replace_delete_and_get(small: tuple[LocalCluster, Path]) -> None:
    cluster, tmp = small
    with Index.create(tmp / "state", engine_url=cluster.url) as ix:
        documents = [Document(id=f"d{i}", title=f"Văn bản {i}", text="phòng, chống tham nhũng " * (i + 1)) for i in range(20)]
        assert ix.add(documents, workers=1).added == 20
        changed = Document(id="d3", title="Văn bản 3", text="cải cách hành chính")
        report = ix.add([changed, documents[4]], workers=1)
        assert (report.replaced, report.unchanged) == (1, 1)
        assert ix.get("d3") == changed and len(ix) == 20
        assert ix.search('"cải cách hành chính"').total == 1
        assert ix.delete(["d3", "d5", "nothing"]) == 2
        assert ix.get("d3") is None and len(ix) == 18
        assert ix.search("tham nhũng").total == 18


def test_a_stopped_node_gives_a_partial_result_or_a_clear_error(small: tuple[LocalCluster, Path]) -> None:
    cluster, tmp = small
    documents = [Document(id=f"d{i}", title="Nghị quyết", text=f"phòng, chống tham nhũng lần {i}") for i in range(40)]
    with Index.create(tmp / "state", engine_url=cluster.url) as ix:
        ix.add(documents, workers=1)
        cluster.stop(1)  # the second node: a shard the first node's distributed index asks
        result = ix.search("tham nhũng")
        assert [n.code for n in result.notices] == ["cluster.partial"]
        assert 0 < result.total < 40  # what the first node's shard holds
        with pytest.raises(EngineUnavailableError, match="did not answer"):
            ix.add([Document(id=f"new{i}", title="x", text="y") for i in range(10)], workers=1)
        cluster.stop(0)  # the node every query goes through
        with pytest.raises(EngineUnavailableError, match="did not answer") as caught:
            ix.search("tham nhũng")
        assert caught.value.hint_text()
        cluster.start()
        assert ix.search("tham nhũng").notices == ()  # reconnects once the nodes are back
        cluster.stop()
        cluster.start()  # a restart between two searches: the idle connection died with it
        assert ix.search("tham nhũng").total == 40


def test_the_cli_says_one_line_when_the_cluster_is_down(small: tuple[LocalCluster, Path]) -> None:
    from click.testing import CliRunner

    from vnsearch.cli import main

    cluster, tmp = small
    Index.create(tmp / "state", engine_url=cluster.url).close()
    cluster.stop()
    result = CliRunner().invoke(main, ["search", "tham nhũng", "--index", str(tmp / "state")],
                                env={"VNSEARCH_ENGINE": cluster.url})
    assert result.exit_code == 1
    assert result.output.startswith("Error: cluster node 127.0.0.1:") and "Traceback" not in result.output


def test_search_through_the_cli_and_the_environment_variable(small: tuple[LocalCluster, Path]) -> None:
    from click.testing import CliRunner

    from vnsearch.cli import main
    from vnsearch.documents import read_jsonl

    cluster, tmp = small
    env = {"VNSEARCH_ENGINE": cluster.url}
    runner = CliRunner()
    indexed = runner.invoke(main, ["index", str(FIXTURES / "small.jsonl"), "--index", str(tmp / "state"), "-q"], env=env)
    assert indexed.exit_code == 0, indexed.output
    found = runner.invoke(main, ["search", "tham nhũng", "--json", "--index", str(tmp / "state")], env=env)
    assert found.exit_code == 0, found.output
    data = json.loads(found.output)
    with Index.create(tmp / "embedded") as ix:
        ix.add([r.document for r in read_jsonl(FIXTURES / "small.jsonl") if r.document], workers=1)
        expected = ix.search("tham nhũng").to_dict()
    assert [h["id"] for h in data["hits"]] == [h["id"] for h in expected["hits"]]
    assert [h["snippets"] for h in data["hits"]] == [h["snippets"] for h in expected["hits"]]
    assert data["facets"] == expected["facets"]
    assert set(data) == set(expected) and set(data["hits"][0]) == set(expected["hits"][0])  # the same shape
    by_option = runner.invoke(main, ["search", "tham nhũng", "--json", "--index", str(tmp / "state"),
                                     "--engine", cluster.url])
    assert by_option.exit_code == 0, by_option.output
    assert [h["id"] for h in json.loads(by_option.output)["hits"]] == [h["id"] for h in data["hits"]]
    shown = runner.invoke(main, ["search", "tham nhũng", "--index", str(tmp / "state")], env=env)
    assert shown.exit_code == 0 and shown.output == runner.invoke(
        main, ["search", "tham nhũng", "--index", str(tmp / "embedded")], env={"VNSEARCH_ENGINE": ""}).output


def test_the_search_page_and_api_run_on_the_cluster(small: tuple[LocalCluster, Path],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from vnsearch.indexer import index_paths
    from vnsearch.web.app import create_app

    cluster, tmp = small
    with Index.create(tmp / "state", engine_url=cluster.url) as ix:
        index_paths(ix, [FIXTURES / "small.jsonl", SEED], workers=1)
    monkeypatch.setenv("VNSEARCH_ENGINE", cluster.url)  # `vnsearch serve` with VNSEARCH_ENGINE set
    client = create_app(str(tmp / "state")).test_client()
    api = client.get("/api/search", query_string={"q": "tham nhũng"})
    assert api.status_code == 200 and api.get_json()["total"] >= 1
    first = api.get_json()["hits"][0]["id"]
    assert client.get(f"/api/doc/{first}").get_json()["id"] == first
    page = client.get("/", query_string={"q": "tham nhũng"})
    assert page.status_code == 200 and "<mark" in page.get_data(as_text=True)
    # No citations or related documents on a cluster: the pages leave those sections out, the
    # API that asks for them alone says why.
    assert client.get("/").status_code == 200
    assert client.get(f"/doc/{first}").status_code == 200
    related = client.get(f"/api/doc/{first}/related")
    assert related.status_code >= 400 and related.get_json()["code"] == "cluster.no_citations"


def test_cluster_status_names_each_node_and_says_which_is_down(small: tuple[LocalCluster, Path]) -> None:
    from click.testing import CliRunner

    from vnsearch.cluster_cli import cluster as cluster_group

    cluster, tmp = small
    with Index.create(tmp / "state", engine_url=cluster.url) as ix:
        ix.add([Document(id=f"d{i}", title="x", text=f"văn bản {i}") for i in range(10)], workers=1)
    head_only = cluster.url.split(",")[0] + "/" + cluster.name  # the first node alone: the layout names the rest
    up = CliRunner().invoke(cluster_group, ["status", "--engine", head_only])
    assert up.exit_code == 0 and up.output.count(": up, ") == 2, up.output
    cluster.stop(1)
    down = CliRunner().invoke(cluster_group, ["status", "--engine", head_only])
    assert down.exit_code == 1 and "node 2 " in down.output and "DOWN" in down.output and "Traceback" not in down.output


def test_browsing_lists_newest_first_and_the_timeline_is_said_to_be_missing(small: tuple[LocalCluster, Path],
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from vnsearch.indexer import index_paths
    from vnsearch.web.app import create_app

    cluster, tmp = small
    with Index.create(tmp / "state", engine_url=cluster.url) as remote, Index.create(tmp / "embedded") as embedded:
        for ix in (remote, embedded):
            index_paths(ix, [FIXTURES / "small.jsonl", SEED], workers=1)
        listed = remote.browse(limit=20)
        expected = embedded.browse(limit=20)
        assert listed.total == expected.total and listed.facets == expected.facets
        assert [(h.date, h.id) for h in listed.hits] == [(h.date, h.id) for h in expected.hits]
        result = remote.search("tham nhũng", timeline=True)
        assert result.timeline is None and [n.code for n in result.notices] == ["cluster.no_timeline"]
    monkeypatch.setenv("VNSEARCH_ENGINE", cluster.url)
    client = create_app(str(tmp / "state")).test_client()
    assert client.get("/").status_code == 200
    page = client.get("/", query_string={"q": "tham nhũng"}).get_data(as_text=True)
    assert "không đếm kết quả theo năm" in page and "<svg" not in page
