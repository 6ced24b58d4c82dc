"""Task texts prepared for alignment: word keys, display words, jurisdiction masks, weights."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, compress

from ..normalize import key as text_key
from ..normalize import nfc, normalize_tone
from .confidence import WORD_FACTS, warm

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "\u00a0": " "})
_WORD_KEY = re.compile(r"[^\w%]+", re.UNICODE)
_SPLIT_NUMBER = re.compile(r"(\d+[-/])\s+(?=[A-ZĐ]{1,6}[/-])")

# jurisdiction words: a ward writes 'phường' or 'địa phương' where the province wrote 'tỉnh'
_NAME = r"(?:\s+[A-ZĐ][\wÀ-ỹ]*(?:\s*-\s*[A-ZĐ][\wÀ-ỹ]*|\s+[A-ZĐ][\wÀ-ỹ]*)*)?"
_JUR = re.compile(
    r"\b(?:"
    r"(?i:tỉnh|phường|xã(?!\s+hội)|thị trấn|thị xã|huyện|quận|thành phố|đặc khu)" + _NAME
    + r"|(?i:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(?i:cấp xã|cấp huyện|cấp tỉnh|các cấp|các huyện, thành phố|các xã, phường)"
    + r"|(?i:các\s+(?:bộ|sở|phòng)(?:\s*,\s*(?:ban|ngành|cơ quan ngang bộ|cơ quan|đơn vị))*(?:\s*,?\s*(?:và\s+)?(?:ngành|địa phương))?)"
    + r"|(?i:địa phương|các cấp chính quyền|chính quyền các cấp|chính quyền cấp xã|cả nước|toàn quốc|quốc gia|trung ương|đất nước|Việt Nam|các cấp)"
    r")\b"
)
_JUR_LEAD = {"của", "tại", "trên", "địa", "bàn", "đối", "với", "cho", "trong", "toàn", "các", "cấp", "ở", "thuộc", "và", "mọi", "cả"}

SOFT = ("đề xuất", "phối hợp", "tham mưu", "kiến nghị", "góp ý", "đề nghị", "hỗ trợ thực hiện", "tham gia", "nghiên cứu", "xem xét", "từng bước")
STRONG = ("ban hành", "xây dựng", "thành lập", "đầu tư", "hoàn thành", "triển khai", "tổ chức thực hiện", "phát triển", "chủ trì", "sửa đổi", "thực hiện")


class _LazyMasked:
    """masked_key computed on first use (most tasks never need it)."""

    def __get__(self, obj: "Prepared", objtype: type | None = None) -> str:
        if obj is None:
            return self  # type: ignore[return-value]
        v = obj.__dict__.get("_masked")
        if v is None:
            v = obj.__dict__["_masked"] = masked_key(obj.text)
        return v


@dataclass
class Prepared:
    """One task ready for alignment."""

    idx: int
    side: str  # 'p' or 'c'
    words: list[str]  # display words (split on whitespace)
    keys: list[str]  # key of each display word ('' for pure punctuation)
    toks: list[int] = field(default_factory=list)  # token ids of non-empty keys
    tok_word: list[int] = field(default_factory=list)  # display-word index of each token
    weights: list[float] = field(default_factory=list)
    total: float = 0.0
    key: str = ""
    text: str = ""
    section: frozenset = frozenset()  # word keys of the task's section title (a feature of the confidence)
    pos: float = 0.0  # place in its plan's list of compared tasks, 0 (first) .. 1 (last) (a feature of the confidence)


_NUM_KEY = re.compile(r"[^\w%.,/-]+", re.UNICODE)
_EDGE_PUNCT = ".,;:!?()[]{}\"'“”‘’…«»-–—/*"
_TONED_2ND = set("àáảãạèéẻẽẹỳýỷỹỵÀÁẢÃẠÈÉẺẼẸỲÝỶỸỴ")


@lru_cache(maxsize=200_000)
def word_key(w: str) -> str:
    """Key of one word: NFC, lower case, one tone placement, punctuation dropped."""
    if not w.isascii():
        w = nfc(w).translate(_QUOTES)
    w = w.lower().strip(_EDGE_PUNCT)
    if len(w) >= 2 and w[-1] in _TONED_2ND and w[-2] in "ou" and not w.startswith("qu", len(w) - 3 if len(w) >= 3 else 0):
        w = normalize_tone(w)  # 'hoá' -> 'hóa' (the pair ends the syllable)
    if w.isalnum():
        return w
    if any(ch.isdigit() for ch in w):
        return _NUM_KEY.sub("", w).strip(".,/-")  # keep '1,5%', '25/6/2025', '2026-2030'
    return _WORD_KEY.sub("", w)


def split_words(text: str) -> list[str]:
    return _SPLIT_NUMBER.sub(r"\1", nfc(text)).split()


@lru_cache(maxsize=20_000)
def masked_key(text: str) -> str:
    """The key with jurisdiction words (and the little words that lead to them) removed."""
    t = _SPLIT_NUMBER.sub(r"\1", nfc(text))
    t = _JUR.sub(" \x00 ", t)
    words = t.split()
    out: list[str] = []
    for w in words:
        if w == "\x00":
            while out and (word_key(out[-1]) in _JUR_LEAD or not word_key(out[-1])):
                out.pop()
            continue
        out.append(w)
    return " ".join(k for k in (word_key(w) for w in out) if k)


def has_jurisdiction(text: str) -> bool:
    return bool(_JUR.search(text))


@lru_cache(maxsize=20_000)
def task_has_jurisdiction(text: str) -> bool:
    """:func:`has_jurisdiction` of a whole task text, kept: a parent task is classified against
    each of its children's tasks (bounded like :func:`masked_key`'s cache)."""
    return has_jurisdiction(text)


class Vocab:
    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def id(self, k: str) -> int:
        v = self.ids.get(k)
        if v is None:
            v = self.ids[k] = len(self.ids)
        return v


Prepared.masked_key = _LazyMasked()  # type: ignore[attr-defined]


def prepare(texts: list[str], side: str, vocab: Vocab, keys_: list[str] | None = None, seen: list[Prepared] | None = None,
            met: dict[str, Prepared] | None = None) -> list[Prepared]:
    """Tasks ready for alignment; ``keys_`` are their comparison keys if already known (Task.key).

    ``seen``: tasks already prepared with this vocabulary (the parent's, for the child's
    tasks): a text equal to one of theirs (a task copied verbatim) has the same words and
    token ids, so their lists are shared (read only) instead of computed again.
    ``met``: texts prepared in earlier comparisons (a prepared parent's children, kept by
    :class:`~plancompare.align.prepared.PreparedParent`): their words and word keys are reused and
    only their token ids taken from this vocabulary; a new text is added to it (bounded)."""
    out = []
    ids = vocab.ids  # Vocab.id inlined: once per word of both plans
    known = {x.text: x for x in seen} if seen else {}
    for i, t in enumerate(texts):
        same = known.get(t)
        if same is not None:
            out.append(_shared(same, i, side, keys_[i] if keys_ else text_key(t)))
            continue
        before = met.get(t) if met is not None else None
        if before is not None:
            words, keys, tok_word = before.words, before.keys, before.tok_word
        else:
            words = split_words(t)
            keys = list(map(word_key, words))
            tok_word = list(compress(range(len(keys)), keys))  # the words that have a key
        for k in dict.fromkeys(filter(None, keys)):  # a new key gets the next id, in the order keys first occur
            if k not in ids:
                ids[k] = len(ids)
        toks = list(map(ids.__getitem__, filter(None, keys)))
        x = Prepared(idx=i, side=side, words=words, keys=keys, toks=toks, tok_word=tok_word, key=keys_[i] if keys_ else text_key(t), text=t)
        if before is not None:
            _take_facts(x, before)
        elif met is not None and len(met) < TEXTS_KEPT:
            met[t] = _template(x)
            _take_facts(x, met[t])
        out.append(x)
    return out


#: a prepared parent keeps the words of at most this many of its children's task texts
TEXTS_KEPT = 5_000


def _template(x: Prepared) -> Prepared:
    """What later comparisons reuse of a task text: its words, word keys and word-only facts (no token ids, no weights)."""
    t = Prepared(idx=0, side=x.side, words=x.words, keys=x.keys, tok_word=x.tok_word, text=x.text)
    t.toks = x.toks  # the facts below read token positions only
    warm(t)
    t.masked_key  # noqa: B018  (kept on it: see _LazyMasked)
    t.toks = []
    return t


def _shared(same: Prepared, i: int, side: str, key: str) -> Prepared:
    """A task whose text is that of ``same`` (prepared with the same vocabulary): its lists shared."""
    x = Prepared(idx=i, side=side, words=same.words, keys=same.keys, toks=same.toks, tok_word=same.tok_word, key=key, text=same.text)
    _take_facts(x, same)
    return x


def _take_facts(x: Prepared, same: Prepared) -> None:
    """The facts that depend on the words only, if already known on ``same`` (confidence.warm)."""
    d = same.__dict__
    for f in (*WORD_FACTS, "_masked"):
        if f in d:
            x.__dict__[f] = d[f]


def apply_idf(items: list[Prepared], n_docs_hint: int | None = None) -> dict[int, float]:
    """Weight each token by inverse document frequency over all tasks of both plans."""
    df = Counter(chain.from_iterable(map(set, (p.toks for p in items))))  # in how many tasks each token is
    n = len(items)
    idf = {t: math.log((n + 1) / (c + 0.5)) + 0.1 for t, c in df.items()}
    weight = idf.__getitem__
    for p in items:
        p.weights = list(map(weight, p.toks))
        p.total = sum(p.weights) or 1e-9
    return idf


class WordWeights(dict):
    """Word key -> its weight (the idf of its token; 1.0 for a word outside the vocabulary),
    filled on first use: ``WordWeights(idf, vocab.ids).__getitem__`` is the ``idf_of`` of
    :func:`plancompare.align.kinds.classify`."""

    def __init__(self, idf: dict[int, float], ids: dict[str, int]) -> None:
        super().__init__()
        self._idf, self._ids = idf, ids

    def __missing__(self, w: str) -> float:
        v = self[w] = self._idf.get(self._ids.get(w, -1), 1.0)
        return v


@lru_cache(maxsize=64)
def _padded_phrases(phrases: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f" {normalize_tone(ph)} " for ph in phrases)


def count_phrases(text_key: str, phrases: tuple[str, ...]) -> int:
    """How many times the phrases occur in a key (whole words)."""
    padded = f" {text_key} "
    return sum(map(padded.count, _padded_phrases(phrases)))
