"""The cluster engine's pieces that need no running node: URLs, node configurations, tokens, query text."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from vnsearch import VnsearchError
from vnsearch.cluster_cli import ENGINE_ENVVAR, cluster
from vnsearch.engine import ENGINE_ENVVAR as LIBRARY_ENVVAR
from vnsearch.engine import engine_url, use
from vnsearch.engine.sphinx import parse_node, parse_url
from vnsearch.engine.sphinx.compile import exact_units, match_query, node_query, superset_units_query, units_query
from vnsearch.engine.sphinx.schema import MAX_TOKEN_CHARS, shard_of, sphinx_id, token
from vnsearch.planner import build_plan
from vnsearch.query import parse


def test_an_engine_url_names_the_nodes_and_the_index() -> None:
    location = parse_url("sphinxql://10.0.0.1:9306,10.0.0.2:9307:9400/news")
    assert [(n.host, n.port, n.api_port) for n in location.nodes] == [("10.0.0.1", 9306, 9312), ("10.0.0.2", 9307, 9400)]
    assert location.name == "news" and location.url == "sphinxql://10.0.0.1:9306,10.0.0.2:9307/news"
    assert parse_url("sphinxql://localhost/").name == "vnsearch"
    assert parse_node("db1").port == 9306


@pytest.mark.parametrize("url", ["mysql://h:9306/x", "sphinxql:///x", "sphinxql://h:port/x", "sphinxql://h:9306/Bad-Name"])
def test_a_wrong_engine_url_is_one_clear_error(url: str) -> None:
    with pytest.raises(VnsearchError) as caught:
        parse_url(url)
    assert caught.value.code in ("cluster.bad_url", "cluster.bad_node")
    assert "sphinxql://" in str(caught.value) or "HOST:PORT" in str(caught.value)


def test_the_engine_is_chosen_by_argument_then_option_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert ENGINE_ENVVAR == LIBRARY_ENVVAR
    monkeypatch.setenv(ENGINE_ENVVAR, "sphinxql://env:9306/x")
    assert engine_url() == "sphinxql://env:9306/x"
    use("sphinxql://option:9306/x")
    try:
        assert engine_url() == "sphinxql://option:9306/x"
        assert engine_url("sphinxql://arg:9306/x") == "sphinxql://arg:9306/x"
    finally:
        use(None)
    monkeypatch.setenv(ENGINE_ENVVAR, "embedded")
    assert engine_url() is None


def test_the_cli_engine_choice_ends_with_the_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from vnsearch.cli import main

    monkeypatch.delenv(ENGINE_ENVVAR, raising=False)
    down = "sphinxql://127.0.0.1:9/nowhere"  # port 9 (discard): nothing answers SphinxQL there
    for args, env in ((["--engine", down], {}), ([], {ENGINE_ENVVAR: down})):
        result = CliRunner().invoke(main, ["stats", "--index", str(tmp_path), *args], env=env)
        assert result.exit_code == 1 and "Traceback" not in result.output
        # The option reached the cluster engine: it asked the node, or (without the cluster
        # extra installed, as in the README's test run) said what it needs to ask it.
        assert "127.0.0.1:9" in result.output or "cluster engine needs the pymysql" in result.output
        assert engine_url() is None  # and the next library call in this process is embedded again
    assert "--engine" in CliRunner().invoke(main, ["search", "--help"]).output
    assert "config" in CliRunner().invoke(main, ["cluster", "--help"]).output


def test_cluster_config_writes_each_node_its_shard_and_agents_to_the_others(tmp_path: Path) -> None:
    result = CliRunner().invoke(cluster, ["config", "--nodes", "127.0.0.1:9306,127.0.0.1:9307:9313", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "sphinxql://127.0.0.1:9306,127.0.0.1:9307/vnsearch"
    first, second = (tmp_path / "node-1.conf").read_text(), (tmp_path / "node-2.conf").read_text()
    assert "listen = 127.0.0.1:9306:mysql41" in first and "agent = 127.0.0.1:9313:vnsearch_rt" in first
    assert "listen = 127.0.0.1:9313" in second and "agent = 127.0.0.1:9312:vnsearch_rt" in second
    for text in (first, second):
        assert "index vnsearch_rt" in text and "type = distributed" in text and "local = vnsearch_rt" in text
        assert "rt_field = body_pairs_folded" in text and "rt_attr_string = body_text" in text
    assert str(tmp_path.resolve() / "node-2") in second


@pytest.mark.parametrize("nodes", ["", "h:0", "h:9306,h:9306", "h:x"])
def test_cluster_config_refuses_wrong_nodes(tmp_path: Path, nodes: str) -> None:
    result = CliRunner().invoke(cluster, ["config", "--nodes", nodes, "--out", str(tmp_path)])
    assert result.exit_code in (1, 2) and "Traceback" not in result.output
    assert not (tmp_path / "node-1.conf").exists()


def test_tokens_name_their_field_and_stay_whole() -> None:
    assert token("body", "chống") == "b_chống"
    assert token("body_pairs_folded", "tham nhung") == "bp_tham_nhung"
    assert token("title_words", "tỉnh_ủy") == "tw_tỉnh_ủy"
    assert token("number", "21-nq/tw") == "n_21ǂ2dǂnqǂ2fǂtw"  # "-" and "/" are not in the charset table
    assert token("number", "21-nq/tw") != token("number", "21/nq-tw")
    assert token("body", "maybe") == "b_maybe"  # never one of Sphinx's operators
    long = token("body_words", "chủ_nghĩa_xã_hội_" * 4)
    assert len(long) <= MAX_TOKEN_CHARS and long != token("body_words", "chủ_nghĩa_xã_hội_" * 5)


def test_documents_go_to_the_same_shard_every_time() -> None:
    assert sphinx_id("nq-21") == sphinx_id("nq-21") > 0
    assert {shard_of(f"doc-{i}", 2) for i in range(50)} == {0, 1}


def _plan(text: str):
    return build_plan(parse(text))


def test_all_units_of_a_short_query_are_required_and_a_near_match_is_an_or_of_combinations() -> None:
    plan = _plan("phòng chống tham nhũng lãng phí")
    assert plan.min_units == len(plan.units) and exact_units(plan, plan.near_min_units)
    strict, near = units_query(plan, plan.min_units), units_query(plan, plan.near_min_units)
    assert strict == " ".join(dict.fromkeys(node_query(unit) for unit in plan.units))  # every unit, ANDed
    assert near is not None and near.count(") | (") >= 2  # any near_min_units of them


def test_a_long_query_counts_its_units_through_a_quorum_superset() -> None:
    plan = _plan("Tòa án cấp nào có thẩm quyền giải quyết việc hủy kết hôn trái pháp luật, việc ly hôn giữa công dân")
    assert not exact_units(plan, plan.min_units)
    quorum = superset_units_query(plan, plan.min_units)
    assert quorum.startswith('"') and '"/' in quorum
    assert 1 <= int(quorum.rsplit("/", 1)[1]) <= plan.min_units
    assert "MAYBE" not in match_query(plan, plan.min_units)


def test_a_local_cluster_gets_distinct_ports() -> None:
    from vnsearch.engine.sphinx.local import free_ports

    for _ in range(20):
        ports = free_ports(8)
        assert len(set(ports)) == 8  # probed one at a time, a freed port could come back twice
