"""vnsearch's Whoosh segment writer: Whoosh's SegmentWriter with postings written in bulk;
deleting by id.

Everything about a commit (locking, the merge policy, deletions, the table of contents) is
Whoosh's `SegmentWriter`; what changes is where postings go. Whoosh puts every posting in a
sorting pool as a tuple and writes them one by one at flush; here `Terms` values (a field's
terms in text order, as `schema.whoosh_values` gives them) go straight into per-field arrays,
postings of merged segments are read a block at a time, and `codec.BulkFieldWriter` encodes
each field's posting lists at once. Stored fields, lengths and columns are written per document
by Whoosh's own per-document writer, exactly as `SegmentWriter.add_document` does. Commits
are durable (`durable.py`).

Two kinds of fields get no posting lists of their own in Whoosh's files: the folded syllable
fields (read through the exact ones, `schema.FOLDED_FROM`) and the pair fields (a pair file per
segment, `pairs.py`, derived at flush from the syllable field's tokens, `schema.PAIRS_FROM`).
Their field lengths are written as before.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from typing import Any

import numpy as np
from whoosh.writing import SegmentWriter

from . import durable, pairs
from .codec import BulkCodec, FieldPostings, Postings, read_segment_postings
from .schema import FOLDED_FROM, PAIRS_FROM, Terms


class Writer(SegmentWriter):  # type: ignore[misc]
    def __init__(self, ix: Any, **kwargs: Any) -> None:
        kwargs.setdefault("codec", BulkCodec())
        super().__init__(ix, **kwargs)
        schema = self.schema
        # Term vectors and separate spelling words are Whoosh features vnsearch's schema does
        # not use, and this writer does not write.
        unsupported = [name for name in schema.names() if schema[name].vector or schema[name].separate_spelling()]
        if unsupported:
            raise NotImplementedError(unsupported)
        # The documents whose pairs are derived from their syllables at flush (schema.PAIRS_FROM).
        self._derived_pairs: dict[str, array[int]] = {name: array("q") for name in PAIRS_FROM}
        self._fields: defaultdict[str, FieldPostings] = defaultdict(
            lambda: FieldPostings(False), {
                name: FieldPostings(schema[name].format.supports("positions"))
                for name in schema.names() if schema[name].indexed
            })

    def add_document(self, **fields: Any) -> None:
        # SegmentWriter.add_document (Whoosh 2.7.4), with postings into self._fields.
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        docboost = self._doc_boost(fields)
        fieldnames = sorted([name for name in fields if not name.startswith("_")])
        self._check_fields(schema, fieldnames)

        perdocwriter.start_doc(docnum)
        as_terms = set()  # fields whose Terms went in by add_terms
        for fieldname in fieldnames:
            value = fields.get(fieldname)
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            if field.indexed and fieldname in FOLDED_FROM:  # no postings: derived when read
                if field.scorable:
                    length = len(value) if isinstance(value, Terms) else sum(
                        freq for _term, freq, _weight, _value in field.index(value))
            elif field.indexed:
                fieldboost = self._field_boost(fields, fieldname, docboost)
                postings = self._fields[fieldname]
                plain = isinstance(value, Terms) and fieldboost == 1.0 and field.format.field_boost == 1.0
                if plain and PAIRS_FROM.get(fieldname) in as_terms \
                        and len(value) == max(len(fields[PAIRS_FROM[fieldname]]) - 1, 0):
                    self._derived_pairs[fieldname].append(docnum)  # postings derived at flush
                    if field.scorable:
                        length = len(value)
                elif plain:
                    postings.add_terms(docnum, value)
                    as_terms.add(fieldname)
                    if field.scorable:
                        length = len(value)
                else:
                    scorable = field.scorable
                    for tbytes, freq, weight, vbytes in field.index(value):
                        if scorable:
                            length += freq
                        postings.add_item(tbytes, docnum, weight * fieldboost, vbytes)

            customval = fields.get(f"_stored_{fieldname}", value)
            perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
            column = field.column_type
            if column and customval is not None:
                perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def add_postings_to_pool(self, reader: Any, startdoc: int, docmap: dict[int, int] | None) -> None:
        # Called by add_reader when the merge policy folds a segment into this one.
        read_segment_postings(reader, docmap, startdoc, self._fields, self.schema.names())

    def _derive_pairs(self) -> None:
        """The pair fields' postings of the documents noted in `_derived_pairs`, from their
        syllable field's token ids (pairs.from_syllables)."""
        for name, docnums in self._derived_pairs.items():
            if not docnums:
                continue
            base = self._fields[PAIRS_FROM[name]]
            tokens = np.frombuffer(base.tokens, dtype=np.int32)
            token_docs = np.repeat(np.frombuffer(base.docs, dtype=np.int64), np.frombuffer(base.counts, dtype=np.int64))
            wanted = np.frombuffer(docnums, dtype=np.int64)
            if len(wanted) != len(base.docs):  # some documents gave their pairs otherwise
                keep = np.isin(token_docs, wanted)
                tokens, token_docs = tokens[keep], token_docs[keep]
            terms, term, doc, weight = pairs.from_syllables(list(base.vocabulary), tokens, token_docs)
            self._fields[name].add_postings(Postings(terms, term, doc, weight, None))

    def _flush_segment(self) -> None:
        self._derive_pairs()
        self.perdocwriter.close()
        perdoc = self.per_document_reader() if self.codec.length_stats else None
        try:
            self.fieldwriter.write(self.schema, self._fields, perdoc)
            self.fieldwriter.close()
        finally:
            if perdoc is not None:
                perdoc.close()


    def _commit_toc(self, segments: list[Any]) -> None:
        # SegmentWriter._commit_toc, made durable (durable.py): the files of the segments this
        # commit adds and the folder are synced before the new TOC is written, synced and
        # renamed into place; only then are the replaced generation's files deleted.
        from whoosh.index import TOC, clean_files

        known = {segment.segment_id() for segment in self.segments}
        durable.sync_segments(self.storage.folder,
                              [segment.segment_id() for segment in segments if segment.segment_id() not in known])
        durable.write_toc(self.storage, TOC(self.schema, segments, self.generation), self.indexname)
        clean_files(self.storage, self.indexname, self.generation, segments)


class IdDeleter:
    """Deletes documents by id through one searcher for a whole writer session.

    Whoosh's `delete_by_term` opens every segment anew on each call unless given a searcher:
    0.6 s and gigabytes of copied term tables a call on a 35,000-document index.
    """

    def __init__(self, writer: Any) -> None:
        self._writer = writer
        self._searcher: Any = None

    def delete(self, doc_id: str) -> int:
        if self._searcher is None:
            self._searcher = self._writer.searcher()
        return int(self._writer.delete_by_term("id", doc_id, searcher=self._searcher))

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
