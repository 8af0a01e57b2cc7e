"""Vietnamese word segmentation: pyvi's CRF model, driven directly and lazily.

pyvi (0.1.1) spends about three quarters of its time in Python around its model: building a
feature dict per syllable and converting it for python-crfsuite. This module loads the *same*
model file from the installed pyvi package and feeds python-crfsuite compact feature lists,
which gives identical labels (a test checks this against `pyvi.ViTokenizer.tokenize`) at a
fraction of the cost, returns character offsets, and avoids pyvi's 2-4 s import and the
temporary file it writes on every import. A token's attributes (as itself and as a neighbour)
are built once per distinct token and kept, and indexing asks for words only
(`segment_words`: no match objects, no spans): together a third less time than building every
attribute string for every occurrence.

The kept attributes are UTF-8 bytes, which python-crfsuite passes on without encoding them,
and leave out the names missing from the model's dictionary (crfsuite would drop them, so no
score changes). A text's items are assembled by map() over C functions, with no Python code
per syllable, and `segment_words` tokenises letter-and-digit chunks without the regular
expression: together about 30% less time again. About half of what remains is crfsuite itself,
converting and looking up each attribute, which python-crfsuite's interface leaves no way around.

Nothing here is loaded until the first call: `import vnsearch` must stay instant.
"""

from __future__ import annotations

import importlib.util
import os
import pickle
import re
import string
import struct
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, compress, count
from operator import add, attrgetter, contains, getitem
from typing import Any

from .errors import VnsearchError

# pyvi's own syllabification (ViTokenizer.sylabelize), kept verbatim so labels match pyvi's.
_PYVI_PATTERNS = [
    r"[A-ZĐ]+\.", r"Tp\.", r"Mr\.", r"Mrs\.", r"Ms\.", r"Dr\.", r"ThS\.",  # abbreviations
    r"==>", r"->", r"\.\.\.", r">>", "\n",  # specials
    r"\w+://[^\s]+",  # web
    r"([a-zA-Z0-9_.+-]+@([a-zA-Z0-9-]+\.)+[a-zA-Z0-9-]+)",  # email
    r"\d+([\.,_]\d+)+",  # digit groups
    r"[^\w\s]",  # any other symbol
    r"\w+",  # word
]
PYVI_TOKEN_RE = re.compile("(" + "|".join(_PYVI_PATTERNS) + ")", re.UNICODE)
# The same alternatives without capturing groups, so that findall returns the tokens themselves.
_TOKENS = re.compile("|".join(p.replace("(", "(?:") for p in _PYVI_PATTERNS), re.UNICODE).findall
_PUNCTUATION = frozenset(string.punctuation)


def _tokens(text: str) -> list[str]:
    """`_TOKENS(text)` in half the time. The regular expression tries its alternatives at every
    character, but most whitespace-separated chunks are letters and digits only (str.isalnum:
    every \\w character but "_"), and such a chunk is a single token: every alternative but the
    last, \\w+, needs some other character (".", ":", "@", "_" or "," between digits, a symbol, a
    newline). Tokens never span whitespace and the pattern has no look-around, so a chunk is
    tokenised alike alone or in its text. A newline is whitespace to split() but a token of its
    own (no other alternative takes one), hence the lines."""
    tokens: list[str] = []
    append, extend = tokens.append, tokens.extend
    for line in text.split("\n"):
        for chunk in line.split():  # split() and \s agree on whitespace, and no \w is whitespace
            if chunk.isalnum():
                append(chunk)
            else:
                extend(_TOKENS(chunk))
        append("\n")
    tokens.pop()  # the newline after the last line
    return tokens


@dataclass(frozen=True, slots=True)
class Word:
    """A segmented word: its syllables joined by "_" as pyvi writes it, and its span in the text."""

    text: str
    start: int
    end: int


class _Model:
    """The CRF tagger and the n-gram lexicon pyvi's features consult."""

    def __init__(self) -> None:
        import pycrfsuite  # lazily: it is only needed once text is segmented

        directory = _pyvi_models_dir()
        self.trigrams: set[str] = set()
        # Tokens hold no space, so "a b" is a bigram exactly when b is in bigram_next[a]: a
        # set look-up of a token already hashed instead of building a string per token pair.
        bigram_next: dict[str, set[str]] = {}
        trigram_second: dict[str, set[str]] = {}  # the same for the first two words of trigrams
        with open(os.path.join(directory, "words.txt"), encoding="utf-8") as handle:
            for entry in handle.read().split("\n"):
                words = entry.split(" ")
                if len(words) == 2:
                    bigram_next.setdefault(words[0], set()).add(words[1])
                elif len(words) == 3:
                    self.trigrams.add(entry)
                    trigram_second.setdefault(words[0], set()).add(words[1])
        self.bigram_next = {word: frozenset(after) for word, after in bigram_next.items()}
        self.trigram_second = {word: frozenset(after) for word, after in trigram_second.items()}
        with open(os.path.join(directory, "pyvi3.pkl"), "rb") as handle:
            # The tagger reads this buffer in place: it must live as long as the tagger.
            self._model_bytes = _read_crfsuite_bytes(handle)
        self.known_attributes = _crfsuite_attributes(self._model_bytes)
        # the attributes that do not depend on the token, looked up once
        self.flag = {name: self.attribute(name) for name in _FLAGS}
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open_inmemory(self._model_bytes)
        self.token_features = _FeatureCache(self)

    def attribute(self, name: str) -> tuple[bytes, ...]:
        """(`name`,) as python-crfsuite sends it to crfsuite (UTF-8 bytes, which it passes on
        without encoding them again), or () if the model does not know it: crfsuite looks each
        name up as a C string (up to its first NUL) and drops unknown ones, so leaving them out
        changes no score and saves their conversion and look-up."""
        encoded = name.encode("utf-8")
        return (encoded,) if encoded.split(b"\0", 1)[0] in self.known_attributes else ()


def _pyvi_models_dir() -> str:
    spec = importlib.util.find_spec("pyvi")  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise VnsearchError("segment.no_pyvi", hint="hint.install_pyvi")
    return os.path.join(list(spec.submodule_search_locations)[0], "models")


class _Captured:
    """Stands in for any pickled class: keeps the state, runs none of its code."""

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)


class _ModelUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module.startswith("sklearn_crfsuite"):
            return _Captured  # avoid importing scikit-learn just to read bytes
        return super().find_class(module, name)


def _read_crfsuite_bytes(handle: Any) -> bytes:
    estimator = _ModelUnpickler(handle).load()
    data = estimator.modelfile.__dict__.get("__FILE_RESOURCE_DATA__")
    if not isinstance(data, bytes):
        raise VnsearchError("segment.bad_model")
    return data


def _crfsuite_attributes(model: bytes) -> frozenset[bytes]:
    """The attribute names in a crfsuite model's dictionary (a CQDB chunk): every name crfsuite's
    tagger can find, read from the buckets of its 256 hash tables."""
    (offset,) = struct.unpack_from("<I", model, 36)  # header field off_attrs
    if model[offset : offset + 4] != b"CQDB":
        raise VnsearchError("segment.bad_model")
    names = set()
    for table in range(256):
        table_offset, size = struct.unpack_from("<II", model, offset + 24 + 8 * table)
        for bucket in range(size if table_offset else 0):
            (record,) = struct.unpack_from("<I", model, offset + table_offset + 8 * bucket + 4)
            if record:  # an empty bucket has offset 0; a record is: id, key size, key, NUL
                (key_size,) = struct.unpack_from("<I", model, offset + record + 4)
                names.add(model[offset + record + 8 : offset + record + 7 + key_size])
    return frozenset(names)


_model: _Model | None = None
_model_lock = threading.Lock()


def _get_model() -> _Model:
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                _model = _Model()
    return _model


def load_model() -> None:
    """Load the CRF model now (before forking workers, so they share it)."""
    _get_model()


class _TokenFeatures:
    """The attributes one token contributes to its own item and, as a neighbour, to the items
    before and after it: computed once per distinct token, not once per occurrence."""

    __slots__ = ("low", "own", "lefts", "rights", "gluable", "capital", "bigram_next", "trigram_second")

    def __init__(self, token: str, model: _Model) -> None:
        low = token.lower()
        upper, title = token.isupper(), token.istitle()
        self.low = low
        # what pyvi's joining rule (_joins) asks of a token
        self.gluable = token not in _PUNCTUATION and not token[0].isdigit()
        self.capital = token[0].istitle()
        self.bigram_next = model.bigram_next.get(low, _NO_WORDS)
        self.trigram_second = model.trigram_second.get(low, _NO_WORDS)
        keep, flag = model.attribute, model.flag
        self.own = (flag["bias"] + keep("word.lower():" + low) + flag["word.isupper()"] * upper
                    + flag["word.istitle()"] * title + flag["word.isdigit()"] * token.isdigit())
        # Seen from the next token (prefix -1) and from the previous one (+1), with the n-gram
        # flags that follow them in pyvi's order: index = bigram + 2 * trigram.
        before = keep("-1:word.lower():" + low) + flag["-1:word.istitle()"] * title + flag["-1:word.isupper()"] * upper
        bigram, trigram = flag["-1:word.bi_gram()"], flag["-2:word.tri_gram()"]
        self.lefts = (before, before + bigram, before + trigram, before + bigram + trigram)
        after = keep("+1:word.lower():" + low) + flag["+1:word.istitle()"] * title + flag["+1:word.isupper()"] * upper
        bigram, trigram = flag["+1:word.bi_gram()"], flag["+2:word.tri_gram()"]
        self.rights = (after, after + bigram, after + trigram, after + bigram + trigram)


_FLAGS = ("bias", "word.isupper()", "word.istitle()", "word.isdigit()", "-1:word.istitle()", "-1:word.isupper()",
          "-1:word.bi_gram()", "-2:word.tri_gram()", "+1:word.istitle()", "+1:word.isupper()", "+1:word.bi_gram()",
          "+2:word.tri_gram()")
_NO_WORDS: frozenset[str] = frozenset()
FEATURE_CACHE = 60_000  # distinct tokens whose attributes are kept (about 1 KB each)
_NONE: tuple[bytes, ...] = ()


class _FeatureCache(dict[str, _TokenFeatures]):
    """token -> its attributes; a miss builds them, and emptying the cache when it is full keeps
    memory bounded. Hits cost one C-level lookup, with no Python code per token."""

    def __init__(self, model: _Model) -> None:
        super().__init__()
        self.model = model

    def __missing__(self, token: str) -> _TokenFeatures:
        if len(self) > FEATURE_CACHE:
            self.clear()
        features = self[token] = _TokenFeatures(token, self.model)
        return features


def _token_features(tokens: Sequence[str], model: _Model) -> list[_TokenFeatures]:
    return list(map(model.token_features.__getitem__, tokens))


def _features(tokens: Sequence[str], model: _Model) -> list[tuple[bytes, ...]]:
    """pyvi's word2features as attribute tuples, in pyvi's order: False features (weight 0) are
    left out. Item i is token i's own attributes, then its left neighbour's (with the bigram
    and trigram flags ending at i), then its right neighbour's (with those starting at i)."""
    return _item_features(_token_features(tokens, model), model)


_LOW = attrgetter("low")
_OWN = attrgetter("own")
_LEFTS = attrgetter("lefts")
_RIGHTS = attrgetter("rights")
_BIGRAM_NEXT = attrgetter("bigram_next")
_TRIGRAM_SECOND = attrgetter("trigram_second")


def _item_features(parts: list[_TokenFeatures], model: _Model) -> list[tuple[bytes, ...]]:
    # Built with map() over C functions rather than comprehensions: no Python bytecode per token.
    lows = list(map(_LOW, parts))
    following = lows[1:]
    bigram: list[int] = list(map(contains, map(_BIGRAM_NEXT, parts), following))  # tokens i, i+1
    # index into lefts / rights: bigram + 2 * trigram; trigrams are rare, so found by their second
    # word first and patched in.
    left_index = right_index = bigram
    maybe = list(compress(count(), map(contains, map(_TRIGRAM_SECOND, parts[:-2]), following)))
    if maybe:
        trigrams = model.trigrams
        right_index = bigram.copy()
        left_index = bigram.copy()
        for i in maybe:
            if lows[i] + " " + lows[i + 1] + " " + lows[i + 2] in trigrams:
                right_index[i] += 2  # item i's right neighbour (token i+1) starts a trigram
                left_index[i + 1] += 2  # item i+2's left neighbour (token i+1) ends one
    lefts = map(getitem, map(_LEFTS, parts), left_index)  # for items 1..n-1
    rights = map(getitem, map(_RIGHTS, parts[1:]), right_index)  # for items 0..n-2
    return list(map(add, map(add, map(_OWN, parts), chain((_NONE,), lefts)), chain(rights, (_NONE,))))


def _joins(previous: str, token: str, label: str) -> bool:
    """pyvi's rule for gluing a syllable to the one before it."""
    return (
        label == "I_W"
        and token not in _PUNCTUATION
        and previous not in _PUNCTUATION
        and not token[0].isdigit()
        and not previous[0].isdigit()
        and not (token[0].istitle() and not previous[0].istitle())
    )


def segment(text: str) -> list[Word]:
    """Segment NFC `text` into words with their spans, exactly as pyvi would join them."""
    matches = list(PYVI_TOKEN_RE.finditer(text))
    if not matches:
        return []
    tokens = [m.group(0) for m in matches]
    model = _get_model()
    labels = model.tagger.tag(_features(tokens, model))
    words: list[Word] = []
    parts = [tokens[0]]
    start, end = matches[0].span()
    for i in range(1, len(tokens)):
        if _joins(tokens[i - 1], tokens[i], labels[i]):
            parts.append(tokens[i])
            end = matches[i].end()
        else:
            words.append(Word("_".join(parts), start, end))
            parts = [tokens[i]]
            start, end = matches[i].span()
    words.append(Word("_".join(parts), start, end))
    return words


def segment_words(text: str) -> list[str]:
    """The words of `segment(text)` without their spans ("Thường_vụ"): what indexing needs,
    with less work per syllable (no match objects, the joining rule on cached flags)."""
    tokens = _tokens(text)
    if not tokens:
        return []
    model = _get_model()
    parts = _token_features(tokens, model)
    labels = model.tagger.tag(_item_features(parts, model))
    # _joins(previous, token, label), token by token; glued syllables are joined by "_".
    glue = ["_" if label == "I_W" and a.gluable and b.gluable and not (b.capital and not a.capital) else " "
            for a, b, label in zip(parts, parts[1:], labels[1:], strict=False)]
    pieces = [""] * (2 * len(tokens) - 1)
    pieces[0::2] = tokens
    pieces[1::2] = glue
    return "".join(pieces).split(" ")  # no token holds a space


def tokenize(text: str) -> str:
    """pyvi.ViTokenizer.tokenize's output format: words joined by spaces, syllables by "_"."""
    return " ".join(word.text for word in segment(text))


def segment_many(texts: Iterable[str]) -> list[list[Word]]:
    """Segment several texts in this process (the indexer spreads batches over processes)."""
    return [segment(text) for text in texts]
