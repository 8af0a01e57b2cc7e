"""Parallel bulk writing: every worker process analyses documents *and* writes its own Whoosh
segment; the parent holds the index lock, deletes the documents being replaced, and publishes
all the new segments in one commit.

Whoosh writes postings in pure Python, and for vnsearch's fields that costs more than word
segmentation, so analysing in parallel but writing in one process leaves a core idle. Here both
steps scale with the cores. Nothing is visible until `commit`: killing the run at any moment
leaves the last committed index as it was (unpublished segment files are removed by the next
commit). Workers end with their parent, however it ends (`process.die_with_parent`, and a
check at every wait), so a killed run leaves no process behind.
"""

from __future__ import annotations

import gc
import os
import queue
import traceback
from collections.abc import Callable
from typing import Any

from ...analysis import analyze_document
from ...documents import Document
from ...errors import IndexingError
from . import process
from .schema import whoosh_values
from .writer import IdDeleter, Writer

BATCH = 32  # documents per message to a worker
POLL_S = 1.0


def _worker_main(storage: Any, indexname: str, inbox: Any, outbox: Any, writer_options: dict[str, Any],
                 parent: int, worker: int) -> None:
    process.die_with_parent(parent)
    process.watch_parent(parent)
    process.tune_allocator()
    # The cyclic GC ran every 700 container allocations and analysis allocates millions of
    # tuples and lists: 8 % of a worker's time, for the few cycles there are. Objects inherited
    # from the parent (the CRF model) are frozen out of collection, so the collector does not
    # walk them (or copy their pages on write).
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    try:
        writer = Writer(storage.open_index(indexname), _lk=False, **writer_options)
        while True:
            try:
                batch = inbox.get(timeout=POLL_S)
            except queue.Empty:
                if not process.parent_alive(parent):  # the parent died: nothing will be committed
                    writer.cancel()
                    outbox.cancel_join_thread()  # nobody reads it: do not wait to flush it at exit
                    return
                continue
            if batch is None:
                break
            for document, stamp in batch:
                writer.add_document(**whoosh_values(analyze_document(document, stamp)))
        if writer._added:
            segment = writer._finalize_segment()
        else:
            writer._close_segment()
            segment = None
        outbox.put(("done", (worker, segment)))
    except BaseException:  # report anything, so the parent can stop instead of waiting
        outbox.put(("error", traceback.format_exc()))


class ParallelWriter:
    """Adds documents through `workers` processes; `commit` publishes them atomically."""

    def __init__(self, whoosh_ix: Any, open_writer: Callable[[], Any], workers: int,
                 writer_options: dict[str, Any]) -> None:
        # fork where it is safe (workers inherit the loaded CRF model), else spawn
        context = process.context()
        self._outbox = context.Queue()
        self._inboxes = [context.Queue(maxsize=4) for _ in range(workers)]
        self._procs = [
            context.Process(
                target=_worker_main,
                args=(whoosh_ix.storage, whoosh_ix.indexname, inbox, self._outbox, writer_options, os.getpid(), n),
                daemon=True,
            )
            for n, inbox in enumerate(self._inboxes)
        ]
        for proc in self._procs:
            proc.start()
        # Whoosh's write lock only after the fork: a worker orphaned by a killed parent must not
        # hold it (its descriptor would keep the lock alive until the worker noticed).
        try:
            self._main = open_writer()
        except BaseException:
            self._stop()
            raise
        self._deleter = IdDeleter(self._main)
        self._buffers: list[list[tuple[Document, str]]] = [[] for _ in range(workers)]
        self._next = 0

    def add(self, document: Document, fingerprint: str, *, replaces: bool) -> None:
        if replaces:
            self._deleter.delete(document.id)
        buffer = self._buffers[self._next]
        buffer.append((document, fingerprint))
        if len(buffer) >= BATCH:
            self._send(self._next, buffer)
            self._buffers[self._next] = []
            self._next = (self._next + 1) % len(self._inboxes)

    def _send(self, worker: int, message: list[tuple[Document, str]] | None) -> None:
        """Queue a message for a worker, waiting while its inbox is full, but never for a
        worker that has stopped reading it (died or failed)."""
        while True:
            try:
                self._inboxes[worker].put(message, timeout=POLL_S)
                return
            except queue.Full:
                if not self._procs[worker].is_alive():
                    self._raise_failure()

    def commit(self, *, mergetype: Callable[[Any, list[Any]], list[Any]]) -> None:
        for worker, buffer in enumerate(self._buffers):
            if buffer:
                self._send(worker, buffer)
            self._send(worker, None)
        segments = [segment for segment in self._collect() if segment is not None]
        self._deleter.close()
        main = self._main
        final = main._merge_segments(mergetype, None, None)
        if main._added:  # the merge policy moved old segments into this writer
            final.append(main._finalize_segment())
        else:
            main._close_segment()
        main._commit_toc(final + segments)
        main._finish()
        self._join()

    def cancel(self) -> None:
        self._stop()
        self._deleter.close()
        self._main.cancel()

    def _stop(self) -> None:
        for proc in self._procs:
            if proc.is_alive():
                proc.terminate()
        self._join()

    def _collect(self) -> list[Any]:
        """Each worker's segment (or None), in worker order whatever order they finish in: the
        same input gives the same document numbers."""
        results: dict[int, Any] = {}
        while len(results) < len(self._procs):
            try:
                kind, payload = self._outbox.get(timeout=POLL_S)
            except queue.Empty:
                if any(p.exitcode not in (None, 0) for p in self._procs):
                    self._raise_failure()
                continue
            if kind == "error":
                self._raise_error(payload)
            worker, segment = payload
            results[worker] = segment
        return [results[worker] for worker in sorted(results)]

    def _raise_failure(self) -> None:
        """A worker stopped: say why, from its report when it sent one."""
        try:
            while True:
                kind, payload = self._outbox.get(timeout=0.2)
                if kind == "error":
                    self._raise_error(payload)
        except queue.Empty:
            pass
        raise IndexingError("index.worker_died")

    @staticmethod
    def _raise_error(report: str) -> None:
        raise IndexingError("index.worker_failed", detail=report.strip().splitlines()[-1], traceback=report)

    def _join(self) -> None:
        for proc in self._procs:
            proc.join(timeout=10)
