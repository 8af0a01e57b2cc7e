"""Citations both ways, the `cites:` query form, the most cited and related documents (library)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from vnsearch import Document, Index
from vnsearch.errors import VnsearchError
from vnsearch.query import parse

LABOUR = "Bộ luật quy định tiêu chuẩn lao động, quyền và nghĩa vụ của người lao động, hợp đồng lao động, tiền lương."
CORRUPTION = "Nghị quyết về phòng, chống tham nhũng, lãng phí trong công tác cán bộ của Đảng."

# Two Party resolutions share the number 21-NQ/TW (numbers restart each term): which one a text
# means depends on its date. Ids hold slashes and spaces, as ids from corpora do.
DOCUMENTS = [
    Document(id="qh/bo-luat-45", title="Bộ luật Lao động", text=LABOUR * 3, date="2019-11-20",
             number="45/2019/QH14", doc_type="Luật"),
    Document(id="nq-21 (2012)", title="Nghị quyết về tham nhũng khóa XI", text=CORRUPTION, date="2012-01-16",
             number="21-NQ/TW"),
    Document(id="nq-21 (2022)", title="Nghị quyết về tổ chức cơ sở đảng", text=CORRUPTION, date="2022-06-16",
             number="21-NQ/TW"),
    Document(id="cp/nd-145", title="Nghị định hướng dẫn Bộ luật Lao động về điều kiện lao động",
             text=LABOUR + " Hướng dẫn Bộ luật Lao động 45/2019/QH14.", date="2020-12-14",
             number="145/2020/NĐ-CP", cited_numbers=("45/2019/QH14",)),
    Document(id="tin-2015", title="Tỉnh ủy quán triệt nghị quyết chống tham nhũng", text=CORRUPTION,
             date="2015-05-01", cited_numbers=("21-NQ/TW",)),
    Document(id="tin-2023", title="Hội nghị về lao động và tham nhũng",
             text=LABOUR + " " + CORRUPTION, date="2023-01-01",
             cited_numbers=("21-NQ/TW", "45/2019/QH14", "99/2030/QH99")),
    Document(id="tin-undated", title="Bàn về nghị quyết", text=CORRUPTION, cited_numbers=("21-NQ/TW",)),
    Document(id="tin-2010", title="Tin cũ", text=CORRUPTION, date="2010-03-01", cited_numbers=("21-NQ/TW",)),
    Document(id="tin-2024", title="Người lao động và hợp đồng", text=LABOUR, date="2024-02-01",
             cited_numbers=("45/2019/QH14",)),
    Document(id="tin-khac", title="Thời tiết", text="Trời nắng nóng kéo dài ở các tỉnh miền Trung.", date="2024-07-01"),
]


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    with Index.create(tmp_path_factory.mktemp("citations") / "index") as index:
        index.add(DOCUMENTS, workers=1)
        yield index


def ids(refs: Any) -> list[str]:
    return [ref.id for ref in refs]


def test_cited_numbers_resolve_to_documents_with_title_and_date(ix: Index) -> None:
    citations = ix.citations("tin-2023")
    assert citations is not None
    by_number = {cited.number: cited for cited in citations.cites}
    assert list(by_number) == ["21-NQ/TW", "45/2019/QH14", "99/2030/QH99"]  # the order the text cites them
    law = by_number["45/2019/QH14"].documents
    assert [(ref.id, ref.title, ref.date) for ref in law] == [("qh/bo-luat-45", "Bộ luật Lao động", "2019-11-20")]
    assert by_number["99/2030/QH99"].documents == ()  # not in the index: the page offers it as a search
    assert [cited.number for cited in citations.unresolved] == ["99/2030/QH99"]
    assert ids(citations.cited_documents) == ["nq-21 (2022)", "qh/bo-luat-45"]


def test_cited_by_is_newest_first_counted_and_never_the_document_itself(ix: Index) -> None:
    citations = ix.citations("qh/bo-luat-45")
    assert citations is not None
    assert ids(citations.cited_by) == ["tin-2024", "tin-2023", "cp/nd-145"]
    assert citations.cited_by_total == 3
    assert citations.cites == ()  # its own number is not a citation
    shorter = ix.citations("qh/bo-luat-45", limit=1)
    assert shorter is not None and ids(shorter.cited_by) == ["tin-2024"] and shorter.cited_by_total == 3


def test_a_number_without_a_year_goes_to_the_latest_document_issued_before_the_citing_one(ix: Index) -> None:
    def cited(doc_id: str) -> list[str]:
        citations = ix.citations(doc_id)
        assert citations is not None
        return ids(citations.cites[0].documents)

    assert cited("tin-2015") == ["nq-21 (2012)"]
    assert cited("tin-2023") == ["nq-21 (2022)"]
    assert cited("tin-undated") == ["nq-21 (2012)", "nq-21 (2022)"]  # cannot tell: both
    assert cited("tin-2010") == []  # both were issued after it: the one it cites is not in the index
    for doc_id, citing in (("nq-21 (2012)", ["tin-2015", "tin-undated"]), ("nq-21 (2022)", ["tin-2023", "tin-undated"])):
        citations = ix.citations(doc_id)
        assert citations is not None and ids(citations.cited_by) == citing, doc_id  # the same rule both ways


def test_unknown_ids_give_none(ix: Index) -> None:
    assert ix.citations("no-such-id") is None
    assert ix.related("no-such-id") is None


def test_most_cited_counts_citing_documents(ix: Index) -> None:
    top = ix.most_cited(limit=3)
    assert [(item.document.id, item.count) for item in top] == [
        ("qh/bo-luat-45", 3), ("nq-21 (2012)", 2), ("nq-21 (2022)", 2)]
    assert top[0].to_dict()["cited_by"] == 3
    assert len(ix.most_cited(limit=1)) == 1


def test_cites_query_finds_the_documents_citing_a_number(ix: Index) -> None:
    assert parse("cites:45/2019/QH14 lao động").cites == "45/2019/QH14"
    assert parse("dẫn_chiếu:21-NQ/TW").cites == "21-NQ/TW"
    result = ix.search("cites:45/2019/QH14", sort="date")
    assert [hit.id for hit in result.hits] == ["tin-2024", "tin-2023", "cp/nd-145"]  # not the law itself
    assert result.filters["cites"] == "45/2019/QH14"
    narrowed = ix.search("cites:45/2019/QH14 tham nhũng")
    assert [hit.id for hit in narrowed.hits] == ["tin-2023"]
    nobody = ix.search("cites:12/2099/QH99")
    assert nobody.total == 0 and [notice.code for notice in nobody.notices] == ["filter.cites_none"]


def test_related_documents_share_words_or_citations_and_exclude_the_document(ix: Index) -> None:
    related = ix.related("qh/bo-luat-45")
    assert related is not None and related
    found = ids(item.document for item in related)
    assert "qh/bo-luat-45" not in found
    assert set(found[:2]) == {"tin-2024", "cp/nd-145"}  # its words, and they cite it
    assert "tin-khac" not in found  # nothing in common
    assert "tin-2023" in found
    shared = {item.document.id: item.shared_citations for item in related}
    assert shared["cp/nd-145"] == shared["tin-2024"] == 1
    scores = [item.score for item in related]
    assert scores == sorted(scores, reverse=True) and scores[-1] > 0
    assert len(ix.related("qh/bo-luat-45", limit=2) or ()) == 2


def test_resolution_is_incremental_and_does_not_depend_on_the_order_documents_arrive(tmp_path: Path) -> None:
    citing = Document(id="tin", title="Tin", text="Thi hành nghị định mới.", date="2025-01-01",
                      cited_numbers=("152/2024/NĐ-CP",))
    decree = Document(id="nd-152", title="Nghị định 152", text="Quy định mới.", date="2024-12-01", number="152/2024/NĐ-CP")
    with Index.create(tmp_path / "index") as ix:
        ix.add([citing], workers=1)
        before = ix.citations("tin")
        assert before is not None and before.cites[0].documents == ()
        ix.add([decree], workers=1)  # the cited document arrives after the citing one
        after = ix.citations("tin")
        assert after is not None and ids(after.cites[0].documents) == ["nd-152"]
        cited = ix.citations("nd-152")
        assert cited is not None and ids(cited.cited_by) == ["tin"]
        assert [item.document.id for item in ix.most_cited()] == ["nd-152"]
        ix.delete(["tin"])
        gone = ix.citations("nd-152")
        assert gone is not None and gone.cited_by_total == 0
        assert ix.most_cited() == ()


class _Cluster:
    """Enough of a PlanEngine to be taken for one."""

    format_version = 0

    def run(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("not reached")

    def stats(self) -> Any:
        return 0, {}

    def restorer(self) -> dict[str, str]:
        return {}

    def close(self) -> None:
        pass


@pytest.mark.parametrize("call", [
    lambda ix: ix.citations("a"), lambda ix: ix.related("a"), lambda ix: ix.most_cited(),
    lambda ix: ix.search("cites:21-NQ/TW"),
])
def test_a_cluster_index_says_it_has_no_citations(call: Any) -> None:
    ix = Index(Path("unused"), _Cluster())  # type: ignore[arg-type]
    with pytest.raises(VnsearchError) as raised:
        call(ix)
    assert raised.value.code == "cluster.no_citations"
