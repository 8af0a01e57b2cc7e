"""Highlighting: the document's own words marked, escaped HTML, fragments around the matches."""

from vnsearch.highlight import Pattern, highlight_all, snippets

TEXT = "Đấu tranh phòng, chống tham nhũng, lãng phí. <b>Tỉnh ủy</b> chỉ đạo."


def test_sequence_crosses_punctuation_and_keeps_the_documents_spelling() -> None:
    html = highlight_all(TEXT, [Pattern(("phòng", "chống", "tham", "nhũng"))])
    assert '<mark id="first-match">phòng, chống tham nhũng</mark>' in html


def test_folded_pattern_marks_words_with_diacritics() -> None:
    html = highlight_all(TEXT, [Pattern(("tham", "nhung"), folded=True)])
    assert "<mark" in html and ">tham nhũng</mark>" in html


def test_everything_else_is_escaped() -> None:
    html = highlight_all(TEXT, [Pattern(("tỉnh", "ủy"))])
    assert "&lt;b&gt;<mark" in html and "<b>" not in html


def test_weak_pattern_only_next_to_a_strong_one() -> None:
    patterns = [Pattern(("tham",), weak=True), Pattern(("nhũng",))]
    assert ">tham nhũng</mark>" in highlight_all("tham nhũng", patterns)
    assert "<mark" not in highlight_all("tham gia", patterns)


def test_longest_match_wins() -> None:
    html = highlight_all("Ban Thường vụ Tỉnh ủy", [Pattern(("tỉnh",)), Pattern(("ban", "thường", "vụ", "tỉnh", "ủy"))])
    assert html == '<mark id="first-match">Ban Thường vụ Tỉnh ủy</mark>'


def test_snippets_are_fragments_around_matches_on_one_line() -> None:
    text = ("Mở đầu không liên quan. " * 30) + "Công tác phòng, chống\ntham nhũng được đẩy mạnh. " + ("Kết thúc. " * 30)
    (fragment,) = snippets(text, [Pattern(("phòng", "chống", "tham", "nhũng"))])
    assert fragment.startswith("… ") and fragment.endswith(" …")
    assert "<mark>phòng, chống tham nhũng</mark>" in fragment and "\n" not in fragment


def test_no_match_gives_the_opening() -> None:
    assert snippets("Văn bản ngắn.", [Pattern(("không",))]) == ("Văn bản ngắn.",)
