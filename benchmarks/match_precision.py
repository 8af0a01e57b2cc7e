"""Does the match set mean what the user typed? Date-sorted lists of short queries with diacritics.

Sorted by date, a list has no relevance to hide noise behind: every hit is a document the match
set holds. For each short query typed with diacritics (up to 6 words), the first 100 hits by
date are checked against their stored text: does each of the query's words appear in it, spelled
as typed (after normalisation, so old and new tone placement count as one spelling), its
syllables next to each other (punctuation between them allowed, as in "phòng, chống")?
Two counts: every word of the query, literally; and as vnsearch defines a match: content words
only (function words such as "ở", "cho" are never required) and a full form held through its
abbreviation ("Ủy ban nhân dân" through "UBND", "Bộ Chính trị" through "BCT").

    .venv/bin/python benchmarks/match_precision.py --index DIR [--write]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench_common import add_write_option, provenance, report

QUERIES = [
    "tham nhũng", "phòng chống tham nhũng", "biển đông", "Bộ Chính trị", "Quốc hội", "Ủy ban nhân dân tỉnh",
    "cán bộ đảng viên", "nhũng nhiễu", "cải cách hành chính", "tinh gọn bộ máy", "xây dựng Đảng", "đất đai",
    "Thủ tướng Chính phủ", "kỷ luật đảng viên", "bão lũ miền Trung", "giá xăng dầu", "Tỉnh uỷ Quảng Ninh",
    "hoà giải ở cơ sở",
]
FIRST = 100


def holds(text_syllables: list[str], word: list[str]) -> bool:
    n = len(word)
    return any(text_syllables[i : i + n] == word for i in range(len(text_syllables) - n + 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="a vnsearch index")
    add_write_option(parser)
    args = parser.parse_args()

    from vnsearch import Index
    from vnsearch.abbreviations import find_full_forms
    from vnsearch.analysis import analyze_text, syllables
    from vnsearch.planner import STOP_SYLLABLES
    from vnsearch.text import normalize

    rows = []
    shares = []
    with Index.open(args.index) as ix:
        for query in QUERIES:
            words = [syllables(w.replace("_", " ")) for w in analyze_text(normalize(query)).words]
            content = [w for w in words if not all(s in STOP_SYLLABLES for s in w)]
            terms = syllables(normalize(query))
            abbreviated = {abbreviation: terms[first:end] for first, end, abbreviation in find_full_forms(terms)}
            ids: list[str] = []
            page = 1
            while len(ids) < FIRST:
                result = ix.search(query, sort="date", limit=100, page=page)
                ids += [hit.id for hit in result.hits]
                if page >= result.pages:
                    break
                page += 1
            ids = ids[:FIRST]
            literal = matched = 0
            for doc_id in ids:
                document = ix.get(doc_id)
                assert document is not None
                text = syllables(document.title + "\n" + document.text)
                literal += all(holds(text, word) for word in words)
                covered = {s for abbreviation, full in abbreviated.items() if abbreviation in text for s in full}
                matched += all(holds(text, word) or set(word) <= covered for word in content)
            share = matched / len(ids) if ids else 1.0
            shares.append(share)
            rows.append([query, len(words), result.total, len(ids), literal, matched, f"{share:.2f}"])
    rows.append(["all", "", "", sum(r[3] for r in rows), sum(r[4] for r in rows), sum(r[5] for r in rows),
                 f"{min(shares):.2f} min, {sum(shares) / len(shares):.3f} mean"])
    print(provenance())
    headers = ["query", "words", "total", "checked", "hold every word", "hold its content words", "share"]
    report("Match precision: date-sorted lists (benchmarks/match_precision.py)", (headers, rows),
           f"first {FIRST} hits by date of each query; a hit holds a word when its syllables, as typed, stand next to "
           f"each other in the title or text", None, [f"index: {args.index}"], args.write)


if __name__ == "__main__":
    main()
