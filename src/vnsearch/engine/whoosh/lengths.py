"""Field lengths as Whoosh keeps them, read a segment at a time.

Whoosh stores each document's length in a field as one byte (`length_to_byte`, a lossy scale)
in a column file per field, one byte per document up to the last one with a length. Its reader
hands them out document by document (`doc_field_length`: a second for the ten scored fields of
news-all); the writer's block statistics and BM25's length normalisation want them all at once.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import W3Codec, _lenfield
from whoosh.util.numeric import byte_to_length

# What each length byte stands for (0: no length).
BYTE_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)


def length_bytes(perdoc: Any, fieldname: str) -> np.ndarray | None:
    """Each document's field length byte (0: none), as Whoosh's per-document reader has them
    (None: the segment has no length column for the field)."""
    if perdoc is None or not perdoc.has_column(_lenfield(fieldname)):
        return None
    count = perdoc.doc_count_all()
    name = W3Codec.column_filename(perdoc._segment, _lenfield(fieldname))
    handle = perdoc._storage.open_file(name)
    try:
        raw = handle.read()
    finally:
        handle.close()
    found = np.zeros(count, dtype=np.uint8)
    found[:len(raw)] = np.frombuffer(raw, dtype=np.uint8)
    return found
