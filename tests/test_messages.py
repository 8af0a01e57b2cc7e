"""The message catalogue: every code has both languages, and every code the source uses exists."""

from __future__ import annotations

import json
import pickle
import re
import string
from pathlib import Path

import pytest

from vnsearch import IndexNotFoundError, InvalidOptionError, Notice, QueryError, VnsearchError
from vnsearch.errors import IndexCorruptError
from vnsearch.messages import MESSAGES, FieldLabel, render

SRC = Path(__file__).resolve().parent.parent / "src" / "vnsearch"
CODE_RE = re.compile(r"^[a-z]+\.[a-z_]+$")


def _fields(template: str) -> set[str]:
    """The parameter names a str.format template uses ("{value!r}" -> "value")."""
    return {re.split(r"[.\[]", name)[0] for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_each_code_has_english_and_vietnamese_with_the_same_parameters(code: str) -> None:
    english, vietnamese = MESSAGES[code]
    assert CODE_RE.match(code)
    assert english.strip() and vietnamese.strip() and english != vietnamese
    assert _fields(english) == _fields(vietnamese)
    params = dict.fromkeys(_fields(english), 1)  # 1 formats under !r, :g and plain alike
    assert render(code, params, "en") and render(code, params, "vi")


def _codes_used_in_source() -> dict[str, list[str]]:
    """Codes passed to Notice(...), any ...Error(...), hint=..., default_hint = ... and render(...)."""
    patterns = [
        r"\bNotice\(\s*f?(?P<q>['\"])(?P<code>[^'\"]*)(?P=q)",
        r"\w*Error\(\s*f?(?P<q>['\"])(?P<code>[^'\"]*)(?P=q)",
        r"\bhint\s*=\s*(?P<q>['\"])(?P<code>[^'\"]*)(?P=q)",
        r"\bdefault_hint\s*=\s*(?P<q>['\"])(?P<code>[^'\"]*)(?P=q)",
        r"\brender\(\s*(?P<q>['\"])(?P<code>[^'\"]*)(?P=q)",
        # codes chosen by a conditional: "a.b" if ... else "c.d"
        r"(?P<q>['\"])(?P<code>[a-z]+\.[a-z_]+)(?P=q)\s+if\b",
        r"\belse\s+(?P<q>['\"])(?P<code>[a-z]+\.[a-z_]+)(?P=q)",
    ]
    found: dict[str, list[str]] = {}
    for path in SRC.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for pattern in patterns:
            for match in re.finditer(pattern, source):
                line = source.count("\n", 0, match.start()) + 1
                found.setdefault(match.group("code"), []).append(f"{path.relative_to(SRC)}:{line}")
    return found


def test_every_code_used_in_the_source_is_in_the_catalogue() -> None:
    used = _codes_used_in_source()
    assert len(used) > 30  # the scan itself works
    # Built-in exceptions (ValueError("no conversion table ...")) are bugs, not messages: only
    # strings that look like codes or sentences to people are checked here.
    unknown = {code: where for code, where in used.items() if code not in MESSAGES and CODE_RE.match(code)}
    sentences = {code: where for code, where in used.items() if not CODE_RE.match(code) and _is_vnsearch_site(where)}
    assert not unknown, f"codes missing from messages.MESSAGES: {unknown}"
    assert not sentences, f"sentences where a catalogue code belongs: {sentences}"


def _is_vnsearch_site(where: list[str]) -> bool:
    """True when the match sits in a raise or notice of vnsearch's own (not ValueError and the like)."""
    for place in where:
        name, line = place.rsplit(":", 1)
        text = (SRC / name).read_text(encoding="utf-8").splitlines()[int(line) - 1]
        if re.search(r"\b(ValueError|TypeError|KeyError|OSError|AssertionError)\(", text):
            continue
        return True
    return False


def test_unknown_code_is_a_bug() -> None:
    with pytest.raises(KeyError):
        render("no.such_code")
    with pytest.raises(KeyError):
        VnsearchError("no.such_code")
    with pytest.raises(ValueError):
        render("query.no_words", lang="fr")


def test_notice_text_and_json_form() -> None:
    notice = Notice("query.no_letters", {"text": "!!!"})
    assert notice.text() == str(notice) == "'!!!' has no letters or digits and was ignored"
    assert notice.text("vi") == "Đã bỏ qua «!!!» vì không có chữ cái hay chữ số nào."
    assert notice.to_dict() == {"code": "query.no_letters", "params": {"text": "!!!"}, "message": notice.text()}
    assert json.loads(json.dumps(notice.to_dict())) == notice.to_dict()
    same = Notice("query.no_letters", {"text": "!!!"})
    assert notice == same and len({notice, same}) == 1
    assert pickle.loads(pickle.dumps(notice)) == notice


def test_error_message_hint_and_code() -> None:
    error = IndexNotFoundError("index.not_found", path=Path("/tmp/x"))
    assert str(error) == error.message() == "no index at /tmp/x"
    assert error.message("vi") == "Không có chỉ mục tại /tmp/x."
    assert error.code == "index.not_found" and error.params == {"path": Path("/tmp/x")}
    assert error.hint == "hint.build_index"  # the class default
    assert error.hint_text() == "build one first with: vnsearch index corpus/"
    assert error.hint_text("vi") and error.hint_text("vi") != error.hint_text()
    assert VnsearchError("query.no_words").hint_text() is None
    overridden = IndexCorruptError("index.no_data", hint="hint.try_later", path="p")
    assert overridden.hint_text() == "try again later"
    assert error.to_dict() == {"code": "index.not_found", "error": "no index at /tmp/x", "hint": error.hint_text()}


def test_errors_survive_pickling_with_their_code() -> None:
    # Exceptions cross process boundaries (indexing workers); pickling must not lose the code.
    error = pickle.loads(pickle.dumps(InvalidOptionError("option.limit_range", max=100)))
    assert isinstance(error, InvalidOptionError) and isinstance(error, QueryError)
    assert error.code == "option.limit_range" and str(error) == "limit must be between 1 and 100"


@pytest.mark.parametrize("field,label", [("committee", "cơ quan ban hành"), ("type", "loại văn bản")])
def test_a_field_named_in_a_vietnamese_sentence_is_its_vietnamese_label(field: str, label: str) -> None:
    notice = Notice("filter.unknown_value", {"name": FieldLabel(field), "value": "xyz", "nearest": "Bộ Chính trị"})
    assert notice.text("vi").startswith(f"Không có văn bản nào có {label} «xyz»")
    assert field not in notice.text("vi")
    assert notice.text("en").startswith(f"no document has {field} 'xyz'")
    assert notice.to_dict()["params"]["name"] == field  # JSON keeps the plain name
    assert notice == Notice("filter.unknown_value", {"name": field, "value": "xyz", "nearest": "Bộ Chính trị"})
    assert pickle.loads(pickle.dumps(notice)).text("vi") == notice.text("vi")
