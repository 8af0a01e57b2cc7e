"""`vnsearch daemon start|stop|status`: the resident searcher (resident/), seen from the command line."""

from __future__ import annotations

import json
import math
import os
import signal
import time
from typing import Any

import click

from .resident import client, wire

WAIT_S = 10.0  # for a searcher to answer after starting, or to be gone after stopping


@click.group("daemon", short_help="Keep indexes open between searches.")
def daemon() -> None:
    """The resident searcher: keeps indexes open so that searches answer at once.

    A `vnsearch search`, `show` or `stats` run from a terminal starts it in the background when
    none is running; later calls hand their arguments to it over a Unix socket in a private
    folder ($XDG_RUNTIME_DIR/vnsearch, else /tmp/vnsearch-UID; VNSEARCH_RUNTIME_DIR to choose)
    and print what it answers, exactly what the command would print (exports with --format,
    --engine and the cluster always run in the calling process). It runs the same code: after
    an upgrade it makes way. It stops after 10 idle minutes.

    \b
    VNSEARCH_DAEMON=off: never start it, never use it.

    \b
    Examples:
      vnsearch daemon status
      vnsearch daemon start --idle 60
    """
    if not wire.supported():
        raise click.ClickException("the resident searcher needs Unix sockets, which this system lacks")


MAX_IDLE_MINUTES = 7 * 24 * 60  # a week: "never" in practice, and a number every timer takes


def _finite_minutes(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if not math.isfinite(value):  # FloatRange lets inf and nan through
        raise click.BadParameter(f"{value} is not a number of minutes (at most {MAX_IDLE_MINUTES:,})", ctx, param)
    return value


@daemon.command("start")
@click.option("--idle", "idle_minutes", type=click.FloatRange(min=0.01, max=MAX_IDLE_MINUTES), callback=_finite_minutes,
              default=wire.IDLE_S / 60, show_default=True, help="Minutes without a request after which it stops.")
def start_command(idle_minutes: float) -> None:
    """Start it now.

    A search typed in a terminal starts it when needed; searches run by a script use it when it
    runs, but do not start it."""
    answer = client.ask("status")
    if answer is not None:
        stuck = " but not answering (`vnsearch daemon status`)" if answer == client.NOT_ANSWERING else ""
        click.echo(f"Already running (pid {_pid(answer)}){stuck}.")
        return
    if wire.private_dir(create=True) is None:
        raise click.ClickException(f"{wire.runtime_dir()} is not a folder of this user's alone (mode 0700)")
    if wire.socket_path(create=False) is None:
        raise click.ClickException(f"the socket's path in {wire.runtime_dir()} would be longer than a socket address "
                                   f"may be ({wire.MAX_SOCKET_PATH} bytes): set {wire.DIR_VARIABLE} to a shorter folder")
    client.start_detached(idle_minutes * 60)
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        running = _status()
        if running is not None:
            click.echo(f"Started (pid {running['pid']}); it stops after {idle_minutes:g} idle minutes.")
            return
        time.sleep(0.05)
    raise click.ClickException(f"it did not start; see {os.path.join(wire.runtime_dir(), wire.LOG_NAME)}")


@daemon.command("stop")
def stop_command() -> None:
    """Stop it now.

    Searches then run in their own process until one typed in a terminal starts it again. One
    that does not answer (stuck) is sent SIGTERM."""
    answer = client.ask("stop")
    if answer is None:
        click.echo("Not running.")
        return
    pid = wire.lock_pid()
    if answer == client.NOT_ANSWERING and pid:
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline and client.connect() is not None:
        time.sleep(0.05)
    if client.connect() is not None:
        raise click.ClickException(f"it did not stop within {WAIT_S:g} s (pid {pid or 'unknown'})")
    click.echo(f"Stopped (pid {pid})." if pid else "Stopped.")


@daemon.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def status_command(as_json: bool) -> None:
    """Whether it runs, and which indexes it holds open.

    Also since when, and how many requests it answered."""
    answer = client.ask("status")
    if answer == client.NOT_ANSWERING:
        pid = wire.lock_pid()
        if as_json:
            click.echo(json.dumps({"running": True, "answering": False, "pid": pid}, indent=2))
            return
        click.echo(f"Running (pid {pid}) but not answering within 10 s: busy with a long command, or stuck "
                   "(`vnsearch daemon stop` stops it; searches meanwhile run in their own process).")
        return
    running = _account(answer)
    if as_json:
        click.echo(json.dumps({"running": running is not None, **({"answering": True} if running else {}),
                               **(running or {})}, ensure_ascii=False, indent=2))
        return
    if running is None:
        click.echo(f"Not running (socket folder: {wire.runtime_dir()}).")
        return
    minutes = (time.time() - running["started"]) / 60
    click.echo(f"Running: pid {running['pid']}, for {minutes:.1f} minutes, {running['requests']} requests answered, "
               f"stops after {running['idle_timeout_s'] / 60:g} idle minutes.")
    if not running["same_version"]:
        click.echo("It runs another version of vnsearch: it makes way at the next search.")
    for kept in running["indexes"]:
        documents = "unreadable now" if kept["documents"] is None else f"{kept['documents']:,} documents"
        click.echo(f"  open: {kept['path']} ({documents})")


def _status() -> dict[str, Any] | None:
    """The searcher's own account of itself, or None (none there, or not answering)."""
    return _account(client.ask("status"))


def _account(answer: tuple[int, bytes] | None) -> dict[str, Any] | None:
    if answer is None or answer == client.NOT_ANSWERING:
        return None
    status, output = answer
    return json.loads(output) if status == 0 and output else None


def _pid(answer: tuple[int, bytes]) -> int | None:
    return int((_account(answer) or {}).get("pid") or 0) or wire.lock_pid()
