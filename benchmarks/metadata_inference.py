"""How well vnsearch infers metadata from the text, measured on records that carry the truth.

For each gazette record (../shared/corpus/gazette.jsonl.gz: legal texts with their issuer, type,
number and date) the field is removed and the record read again, so the value comes from the
text alone. Reported per field: coverage (records given a value) and precision (values equal to
the record's, compared as the filters compare them: case, diacritics, punctuation and the
"UBND TP."/"thành phố" forms ignored).

The committee is also inferred the old way (the body named first in the title or head) for
comparison, and on news stories, which state no issuer: any committee given to one is wrong.

    .venv/bin/python benchmarks/metadata_inference.py [--gazette PATH] [--news PATH]
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from vnsearch import metadata
from vnsearch.documents import make_document
from vnsearch.text import normalize, number_key

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def records(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


KEYS: dict[str, Callable[[str], str]] = {
    "committee": lambda value: metadata.committee_key(metadata.canonical_committee(value)),
    "doc_type": lambda value: metadata.facet_key(metadata.canonical_doc_type(normalize(value))),
    "number": number_key,
    "date": lambda value: metadata.parse_date(value) or value,
}


def measure(rows: list[dict[str, Any]], name: str, infer: Callable[[dict[str, Any]], str | None]) -> dict[str, Any]:
    key = KEYS[name]
    truths = [(row, row[name]) for row in rows if row.get(name)]
    given = right = 0
    wrong: Counter[tuple[str, str]] = Counter()
    for row, truth in truths:
        found = infer(row)
        if not found:
            continue
        given += 1
        if key(found) == key(str(truth)):
            right += 1
        else:
            wrong[(str(truth), found)] += 1
    return {
        "field": name,
        "records": len(truths),
        "inferred": given,
        "coverage": round(given / len(truths), 4) if truths else None,
        "precision": round(right / given, 4) if given else None,
        "wrong": [{"truth": t, "inferred": f, "count": n} for (t, f), n in wrong.most_common(5)],
    }


def inferred_by_reader(name: str) -> Callable[[dict[str, Any]], str | None]:
    """The value the reader infers when the record lacks the field."""

    def infer(row: dict[str, Any]) -> str | None:
        raw = {key: value for key, value in row.items() if key != name}
        document, _ = make_document(raw, default_id="x")
        value = getattr(document, name)
        return value if document.source(name) == "inferred" else None

    return infer


def first_named(row: dict[str, Any]) -> str | None:
    """The previous rule: the body named first in the title, else in the text's first 600 characters."""
    return metadata.find_committee(normalize(row.get("title") or ""), normalize(row.get("text") or ""))


def stated(row: dict[str, Any]) -> str | None:
    return metadata.infer_committee(normalize(row.get("text") or ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gazette", type=Path, default=SHARED / "gazette.jsonl.gz")
    parser.add_argument("--news", type=Path, default=SHARED / "news-politics.jsonl.gz")
    args = parser.parse_args()

    gazette = records(args.gazette)
    report: dict[str, Any] = {"gazette": str(args.gazette), "fields": []}
    for name in ("committee", "doc_type", "number", "date"):
        report["fields"].append(measure(gazette, name, inferred_by_reader(name)))
    report["committee_first_named"] = measure(gazette, "committee", first_named)
    news = records(args.news)
    report["news"] = {
        "path": str(args.news),
        "stories": len(news),
        "given_a_committee_stated": sum(1 for row in news if stated(row)),
        "given_a_committee_first_named": sum(1 for row in news if first_named(row)),
    }
    for field in report["fields"] + [dict(report["committee_first_named"], field="committee (first named, old rule)")]:
        print(f"{field['field']:<34} coverage {field['coverage']:.1%} ({field['inferred']}/{field['records']}), "
              f"precision {field['precision']:.1%}")
    news_report = report["news"]
    print(f"news stories given a committee: stated {news_report['given_a_committee_stated']}, "
          f"first named (old rule) {news_report['given_a_committee_first_named']} of {news_report['stories']}")
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
