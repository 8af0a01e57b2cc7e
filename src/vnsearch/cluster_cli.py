"""`vnsearch cluster …` (configure and check a Sphinx cluster) and the `--engine` option.

Registered by cli.py (`main.add_command(cluster)`); kept apart from it so the cluster's
commands do not touch the embedded engine's. Like cli.py it is a skin: library errors become
one line on stderr and exit status 1.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from .cli_errors import fail_cleanly
from .errors import VnsearchError
from .messages import render

# engine.ENGINE_ENVVAR, named here so that `vnsearch --help` does not import the engines.
ENGINE_ENVVAR = "VNSEARCH_ENGINE"



def _choose_engine(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    from . import engine

    engine.use(value)  # None: VNSEARCH_ENGINE if set, else the embedded index
    # The choice lasts as long as the command: a process that runs several (a test's CliRunner,
    # an embedding application) must not find the next library call on the cluster.
    ctx.call_on_close(functools.partial(engine.use, None))


engine_option = click.option(
    "--engine", "engine_url", metavar="URL", envvar=ENGINE_ENVVAR, show_envvar=True, expose_value=False,
    callback=_choose_engine,
    help="Where the index is: sphinxql://HOST:PORT[,HOST:PORT...]/NAME for a Sphinx cluster "
         "(--index then only holds the local lock and file record); default: the embedded index in --index.",
)


@click.group("cluster")
def cluster() -> None:
    """Configure and check a Sphinx cluster.

    The index can live on several machines running Sphinx's searchd: write their
    configurations here, start searchd on each, then give every other command
    --engine sphinxql://HOST:PORT,HOST:PORT/NAME (or set VNSEARCH_ENGINE).

    \b
    Examples:
      vnsearch cluster config --nodes 10.0.0.1:9306,10.0.0.2:9306 --out cluster/
      vnsearch cluster status --engine sphinxql://10.0.0.1:9306/vnsearch
    """


@cluster.command("config")
@click.option("--nodes", required=True, metavar="HOST:PORT,...",
              help="Every node's address and SphinxQL port, in order (HOST:PORT:API_PORT to choose the "
                   "agents' port; default PORT+6, as 9306 and 9312).")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for node-1.conf, node-2.conf, ...")
@click.option("--name", default="vnsearch", show_default=True, help="Index name (the NAME of the engine URL).")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where each node keeps its data, as DATA/node-N [default: OUT/node-N].")
@fail_cleanly
def config_command(nodes: str, out: Path, name: str, data: Path | None) -> None:
    """Write each node's searchd configuration: its shard, the distributed index over all.

    \b
    Example:
      vnsearch cluster config --nodes 127.0.0.1:9306,127.0.0.1:9307:9313 --out cluster/
    """
    from .engine.sphinx import Location, parse_node, write_configs

    parsed = tuple(parse_node(spec) for spec in nodes.split(",") if spec.strip())
    if not parsed:
        raise click.UsageError(render("cluster.no_nodes", {}))
    if len({node.address for node in parsed}) != len(parsed):
        raise click.UsageError(render("cluster.node_twice", {}))
    written = write_configs(parsed, out, name, data)
    for node, path in zip(parsed, written, strict=True):
        click.echo(f"{path}: on {node.host}, run: searchd --config {path}", err=True)
    click.echo(f"Then: vnsearch index PATH --engine {Location(parsed, name).url}", err=True)
    click.echo(Location(parsed, name).url)


@cluster.command("status")
@click.option("--engine", "url", required=True, envvar=ENGINE_ENVVAR, show_envvar=True, metavar="URL",
              help="The cluster's engine URL.")
@fail_cleanly
def status_command(url: str) -> None:
    """Each node: whether it answers and how many documents its shard holds.

    \b
    Example:
      vnsearch cluster status --engine sphinxql://127.0.0.1:9306/vnsearch
    """
    from .engine.sphinx import SphinxEngine, parse_url
    from .engine.sphinx.connection import Connection

    location = parse_url(url)
    try:
        nodes = SphinxEngine.open(Path("."), url).location.nodes
    except VnsearchError as error:
        click.echo(f"{location.nodes[0].address}: {error.message('en')}", err=True)
        nodes = location.nodes
    down = 0
    for number, node in enumerate(nodes, 1):
        connection = Connection(node)
        try:
            status = dict(connection.query(f"SHOW INDEX {location.name}_rt STATUS"))
            chunks = int(status.get("disk_chunks", 0))
            # Sphinx 2.2 ranks only the RAM chunk's documents (config.RT_MEM_LIMIT).
            warning = f"; {chunks} disk chunk{'s' if chunks > 1 else ''}: documents there are not ranked" if chunks else ""
            click.echo(f"node {number} {node.address}: up, {int(status.get('indexed_documents', 0)):,} documents{warning}")
        except VnsearchError as error:
            down += 1
            click.echo(f"node {number} {node.address}: DOWN ({error.message('en')})")
        finally:
            connection.close(quietly=True)
    if down:
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover - `python -m vnsearch.cluster_cli`, as `vnsearch cluster`
    cluster()
