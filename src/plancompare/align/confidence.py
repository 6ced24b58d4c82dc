"""Confidence of a link: the probability that the child task derives from the parent task.

The evidence the aligner already has for a candidate pair (see :func:`features`) is
combined by a logistic model, ``p = 1 / (1 + exp(-(b0 + sum(b_i * x_i))))``, whose
coefficients are fitted on hand-labelled and synthetic pairs by
``python benchmarks/fit_confidence.py`` (scikit-learn, a development dependency) and
checked in as :mod:`plancompare.align._coef`. Applying them imports nothing heavy.

Every feature is symmetric in the two tasks (the larger and the smaller coverage,
never "the parent's"), so that comparing B with A gives the mirror of A with B.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import operator
from itertools import compress, filterfalse
from typing import TYPE_CHECKING

from . import _coef

if TYPE_CHECKING:  # pragma: no cover
    from .core import Match
    from .text import Prepared

FEATURES: tuple[str, ...] = (
    "cov_max",  # the larger weighted coverage (share of one task's weighted words found in the other)
    "cov_min",  # the smaller one
    "log_run",  # log(1 + longest verbatim run, in words)
    "log_shared",  # log(1 + shared weight): how much rare wording is shared
    "phrases",  # shared runs of phrase_run words or more (capped at 5)
    "same_verb",  # both tasks open with the same action verb (first two words)
    "num_both",  # both tasks carry numbers
    "num_jaccard",  # share of their numbers in common
    "section_sim",  # overlap of the section titles' words (0 when a title is unknown)
    "mutual",  # each is the other's best candidate
    "cov_short",  # coverage of the shorter task (by weight): a sentence taken from a long task (split, merge)
    "short_best",  # the other task is the shorter task's best candidate
    "log_block",  # log(1 + weight of the heaviest shared run): one distinctive phrase taken whole
    "clause_long",  # best-covered sentence or clause of the longer task: one sentence of a paragraph made a task (split, merge)
    "order_gap",  # distance of the two tasks' places in their plans (0 first .. 1 last): a plan mostly keeps its parent's order
)

_ENDS = tuple(".;:!?")
_CLOSERS = ")\"'”’»*"
_TAIL = frozenset(".;:!?" + _CLOSERS)
_CLAUSE_MIN = 4  # tokens: a shorter clause ('Khẩn trương.') joins the next one
_LAST = operator.itemgetter(-1)


def _numbers(x: "Prepared") -> frozenset[str]:
    v = x.__dict__.get("_numbers")
    if v is None:  # once per task
        # the keys that hold a digit (the filters run in C: most keys are words)
        v = x.__dict__["_numbers"] = frozenset(k for k in filterfalse(str.isalpha, filter(None, x.keys)) if any(map(str.isdigit, k)))
    return v


def _verb(x: "Prepared") -> tuple[str, ...]:
    v = x.__dict__.get("_verb")
    if v is None:
        v = x.__dict__["_verb"] = tuple(k for k in x.keys[:3] if k)[:2]
    return v


def _spans(x: "Prepared") -> tuple[tuple[int, int], ...]:
    """The task's sentences and clauses as (first token, end token), split after a word that ends
    with . ; : ! or ? (once per task; they depend on its words only, not on the weights, so a
    prepared parent computes them once for all its comparisons: see :func:`warm`)."""
    v = x.__dict__.get("_spans")
    if v is None:
        n = len(x.toks)
        # the last token at or before each word that ends a clause
        # (the words whose last character can end a clause picked in C first: most words are not read at all)
        words = x.words
        maybe = compress(range(len(words)), map(_TAIL.__contains__, map(_LAST, words)))
        ends = sorted({bisect.bisect_right(x.tok_word, wi) for wi in maybe if words[wi].rstrip(_CLOSERS).endswith(_ENDS)} - {0, n})
        out: list[tuple[int, int]] = []
        start = 0
        for e in [*ends, n]:
            if e - start >= _CLAUSE_MIN or (e == n and not out):
                out.append((start, e))
                start = e
        if start < n:  # a short tail joins the clause before it
            out[-1] = (out[-1][0], n)
        v = x.__dict__["_spans"] = tuple((a, b) for a, b in out if b > a)
    return v


def _clauses(x: Prepared) -> tuple[tuple[int, int, float], ...]:
    """The task's sentences and clauses as (first token, end token, weight) (once per task and weighting)."""
    v = x.__dict__.get("_clauses")
    if v is None:
        w = x.weights
        v = x.__dict__["_clauses"] = tuple((a, b, sum(w[a:b])) for a, b in _spans(x))
    return v


#: what :func:`warm` fills in: the facts of a task that depend on its words only (never on the weights)
WORD_FACTS = ("_numbers", "_verb", "_spans")


def warm(x: "Prepared") -> None:
    """Compute the word-only facts of a task now (:data:`WORD_FACTS`), so that copies of it
    (a prepared parent's tasks, one copy per comparison) share them instead of recomputing them."""
    _numbers(x)
    _verb(x)
    _spans(x)


#: the task's clauses as (first token, end token, weight) (used by the merge/split step too)
clauses = _clauses
#: the task's clauses as (first token, end token) (the stock clauses of the merge/split step)
spans = _spans


def clause_share(x: Prepared, mask: list[bool]) -> float:
    """The largest share of one clause of ``x`` (by weight) that ``mask`` covers."""
    best = 0.0
    w = x.weights
    for a, b, total in _clauses(x):
        if total > 0:
            best = max(best, sum(itertools.compress(w[a:b], mask[a:b])) / total)
    return best


def features(m: "Match", p: "Prepared", c: "Prepared", p_best: bool, c_best: bool | None = None, floor: float | None = None) -> list[float] | None:
    """The evidence for one candidate pair, in the order of :data:`FEATURES`.

    ``p_best``: the child task is the parent task's best candidate; ``c_best``: the
    reverse (``None``: the same as ``p_best``). ``floor``: a confidence below which the pair
    does not matter to the caller: None is returned, without the costliest feature
    (``clause_long``), when the pair stays below it whatever that feature's value (0..1)."""
    if c_best is None:
        c_best = p_best
    np_, nc = _numbers(p), _numbers(c)
    both = bool(np_ and nc)
    sp, sc = p.section, c.section
    if sp and sc:
        section = len(sp & sc) / len(sp | sc)
    else:
        section = 0.0
    vp, vc = _verb(p), _verb(c)
    x = [
        max(m.cov_p, m.cov_c),
        min(m.cov_p, m.cov_c),
        math.log1p(m.run),
        math.log1p(min(m.wp, m.wc)),
        float(min(m.phrases, 5)),
        1.0 if (vp and vp == vc) else 0.0,
        1.0 if both else 0.0,
        len(np_ & nc) / len(np_ | nc) if both else 0.0,
        section,
        1.0 if (p_best and c_best) else 0.0,
        m.cov_p if p.total < c.total else m.cov_c if c.total < p.total else max(m.cov_p, m.cov_c),
        1.0 if (p_best if p.total < c.total else c_best if c.total < p.total else (p_best or c_best)) else 0.0,
        math.log1p(m.block),
        0.0,  # clause_long, below
        abs(p.pos - c.pos),
    ]
    if floor is not None and _below(x, floor):
        return None
    x[_CLAUSE_LONG] = clause_share(p, m.p_mask) if p.total > c.total else clause_share(c, m.c_mask) if c.total > p.total else max(clause_share(p, m.p_mask), clause_share(c, m.c_mask))
    return x


_CLAUSE_LONG = FEATURES.index("clause_long")


def _below(x: list[float], floor: float) -> bool:
    """Whether the pair's confidence stays below ``floor`` for any value of clause_long in 0..1
    (``x`` holds the other features and 0 in its place; a margin keeps rounding on the safe side)."""
    if not 0.0 < floor < 1.0:
        return False
    return logit(x) + max(_coef.COEF["weights"][_CLAUSE_LONG], 0.0) < _logit_of(floor) - 1e-6


@functools.lru_cache(maxsize=16)
def _logit_of(p: float) -> float:
    return math.log(p / (1.0 - p))


def logit(x: list[float], coef: dict | None = None) -> float:
    c = coef or _coef.COEF
    return c["intercept"] + sum(map(operator.mul, c["weights"], x))


def probability(x: list[float], coef: dict | None = None) -> float:
    """The calibrated confidence of a pair with features ``x`` (0..1)."""
    z = logit(x, coef)
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def label(conf: float) -> str:
    """A word for a confidence, for the views: 'high' (0.9+), 'medium' (0.7+), 'low'."""
    return "high" if conf >= 0.9 else "medium" if conf >= 0.7 else "low"
