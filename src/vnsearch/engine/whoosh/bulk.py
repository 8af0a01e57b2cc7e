"""Parallel bulk writing: every worker process analyses documents *and* writes its own Whoosh
segment; the parent holds the index lock, deletes the documents being replaced, and publishes
all the new segments in one commit.

Whoosh writes postings in pure Python, and for vnsearch's fields that costs more than word
segmentation, so analysing in parallel but writing in one process leaves a core idle. Here both
steps scale with the cores. Nothing is visible until `commit`: killing the run at any moment
leaves the last committed index as it was (unpublished segment files are removed by the next
commit).
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import traceback
from collections.abc import Callable
from typing import Any

from ...analysis import analyze_document
from ...documents import Document
from ...errors import IndexingError
from .schema import whoosh_values
from .writer import IdDeleter, Writer

BATCH = 32  # documents per message to a worker
POLL_S = 1.0


def _worker_main(storage: Any, indexname: str, inbox: Any, outbox: Any, writer_options: dict[str, Any],
                 parent: int) -> None:
    try:
        writer = Writer(storage.open_index(indexname), _lk=False, **writer_options)
        while True:
            try:
                batch = inbox.get(timeout=POLL_S)
            except queue.Empty:
                if os.getppid() != parent:  # the parent died (SIGKILL): nothing will be committed
                    writer.cancel()
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
        outbox.put(("done", segment))
    except BaseException:  # report anything, so the parent can stop instead of waiting
        outbox.put(("error", traceback.format_exc()))


class ParallelWriter:
    """Adds documents through `workers` processes; `commit` publishes them atomically."""

    def __init__(self, whoosh_ix: Any, open_writer: Callable[[], Any], workers: int,
                 writer_options: dict[str, Any]) -> None:
        context = multiprocessing.get_context("fork")  # workers inherit the loaded CRF model
        self._outbox = context.Queue()
        self._inboxes = [context.Queue(maxsize=4) for _ in range(workers)]
        self._procs = [
            context.Process(
                target=_worker_main,
                args=(whoosh_ix.storage, whoosh_ix.indexname, inbox, self._outbox, writer_options, os.getpid()),
                daemon=True,
            )
            for inbox in self._inboxes
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
            self._inboxes[self._next].put(buffer)
            self._buffers[self._next] = []
            self._next = (self._next + 1) % len(self._inboxes)

    def commit(self, *, mergetype: Callable[[Any, list[Any]], list[Any]]) -> None:
        for inbox, buffer in zip(self._inboxes, self._buffers, strict=True):
            if buffer:
                inbox.put(buffer)
            inbox.put(None)
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
        results: list[Any] = []
        while len(results) < len(self._procs):
            try:
                kind, payload = self._outbox.get(timeout=POLL_S)
            except queue.Empty:
                if any(p.exitcode not in (None, 0) for p in self._procs):
                    raise IndexingError("index.worker_died") from None
                continue
            if kind == "error":
                raise IndexingError("index.worker_failed", detail=payload.strip().splitlines()[-1], traceback=payload)
            results.append(payload)
        return results

    def _join(self) -> None:
        for proc in self._procs:
            proc.join(timeout=10)
