"""Step 2 of the alignment (see :mod:`.core`): the fine alignment of two tasks' words.

The token sequences are aligned (rapidfuzz's Indel opcodes, in C); runs of at least
``min_run`` words are kept, and a second pass over what is left catches moved sentences
(runs of ``second_pass_run``). The shared weight gives each side's coverage (:class:`Match`).
The runs depend on the tokens alone, the coverages on the weights too: a prepared parent task
keeps its runs with the child texts it meets, for its later children (:func:`_runs`).
Imports only the prepared tasks and the settings of this package.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import compress
from operator import not_

from rapidfuzz.distance import Indel

from .settings import DEFAULT, AlignSettings
from .text import Prepared


@dataclass
class Match:
    p: int
    c: int
    p_mask: list[bool]
    c_mask: list[bool]
    wp: float
    wc: float
    cov_p: float
    cov_c: float
    dice: float
    run: int = 0  # longest verbatim run (tokens)
    phrases: int = 0  # shared runs of at least phrase_run tokens
    block: float = 0.0  # weight of the heaviest shared run (the smaller of its two sides)


def _blocks(a: list[int], b: list[int], min_run: int) -> list[tuple[int, int, int, int]]:
    """Equal runs of at least min_run tokens. The sequences are always aligned in one
    canonical order, so that aligning b with a gives the mirror of a with b."""
    flip = (len(a), a) > (len(b), b)
    x, y = (b, a) if flip else (a, b)
    out = []
    for tag, s1, e1, s2, e2 in Indel.opcodes(x, y).as_list():  # plain tuples: no Opcode object per run
        if tag == "equal" and e1 - s1 >= min_run:
            out.append((s2, e2, s1, e1) if flip else (s1, e1, s2, e2))
    return out




def _mark_run(marks: list[bool], weights: list[float] | None, places: list[int] | None, start: int, end: int) -> float:
    """Mark a shared run's tokens (``start``..``end`` of the aligned list; ``places``: where those sit
    in the task, None when nothing was excluded) and return their weight (none without ``weights``;
    slices and sums in C; sum() adds in order, from 0, as a loop did)."""
    if places is None:
        marks[start:end] = [True] * (end - start)
        return sum(weights[start:end]) if weights is not None else 0.0
    xs = places[start:end]
    for x in xs:
        marks[x] = True
    return sum(map(weights.__getitem__, xs)) if weights is not None else 0.0


def match(p: Prepared, c: Prepared, p_excl: list[bool] | None = None, c_excl: list[bool] | None = None, settings: AlignSettings = DEFAULT) -> Match:
    """Shared runs of words between two tasks (ignoring excluded tokens)."""
    if p_excl is None and c_excl is None:
        r = _runs(p, c, settings)
    else:
        r = _find_runs(p.toks, c.toks, settings.min_run, settings.second_pass_run, p_excl, c_excl)
    return _weigh(p, c, r, settings.phrase_run)


#: a prepared parent task keeps the word runs it shares with at most this many child texts (see _runs)
RUNS_KEPT = 128


@dataclass(frozen=True)
class _Runs:
    """Where two tasks share runs of words: what :func:`match` finds before it weighs anything (it
    depends on the two token sequences, and the excluded tokens, alone). ``first``: the runs of the
    first pass, (start, end) on each side of the aligned lists; ``p_places``, ``c_places``: where the
    aligned tokens sit in each task (None: all of them, nothing excluded); ``second``: the token
    positions of each run of the second pass (moved text). Read only (a prepared parent task keeps
    them for its later children; the masks are made per match)."""

    first: tuple[tuple[int, int, int, int], ...]
    p_places: list[int] | None
    c_places: list[int] | None
    second: tuple[tuple[list[int], list[int]], ...]


def _runs(p: Prepared, c: Prepared, settings: AlignSettings) -> _Runs:
    """The shared runs of two whole tasks; kept on a prepared parent task for the later children that
    have the same task text (the parent's token ids are the same in each of its comparisons, and a
    child's word that the parent lacks matches nothing, whatever its id: the runs are the same)."""
    memo = p.__dict__.get("_runs")
    if memo is None:
        return _find_runs(p.toks, c.toks, settings.min_run, settings.second_pass_run)
    key = (c.text, settings.min_run, settings.second_pass_run)
    r = memo.get(key)
    if r is None:
        r = _find_runs(p.toks, c.toks, settings.min_run, settings.second_pass_run)
        if len(memo) < RUNS_KEPT:
            memo[key] = r
    return r


def _find_runs(pt: list[int], ct: list[int], min_run: int, second_run: int, p_excl: list[bool] | None = None, c_excl: list[bool] | None = None) -> _Runs:
    # the positions aligned (all of them unless some are excluded) and their tokens
    pi = list(compress(range(len(pt)), map(not_, p_excl))) if p_excl else None
    ci = list(compress(range(len(ct)), map(not_, c_excl))) if c_excl else None
    first = tuple(_blocks(list(map(pt.__getitem__, pi)) if pi is not None else pt, list(map(ct.__getitem__, ci)) if ci is not None else ct, min_run))
    # second pass: moved sentences (the positions neither excluded nor matched yet, in order; the filters run in C)
    pm = list(p_excl) if p_excl else [False] * len(pt)
    cm = list(c_excl) if c_excl else [False] * len(ct)
    for s1, e1, s2, e2 in first:
        _mark_run(pm, None, pi, s1, e1)
        _mark_run(cm, None, ci, s2, e2)
    pi2 = list(compress(range(len(pt)), map(not_, pm)))
    ci2 = list(compress(range(len(ct)), map(not_, cm)))
    second: tuple[tuple[list[int], list[int]], ...] = ()
    if len(pi2) >= second_run and len(ci2) >= second_run:
        second = tuple((pi2[s1:e1], ci2[s2:e2]) for s1, e1, s2, e2 in _blocks(list(map(pt.__getitem__, pi2)), list(map(ct.__getitem__, ci2)), second_run))
    return _Runs(first, pi, ci, second)


def _weigh(p: Prepared, c: Prepared, r: _Runs, phrase_run: int) -> Match:
    """The Match of two tasks from their shared runs and their weights (the sums in the order the runs
    were found, token by token in the second pass)."""
    pw, cw = p.weights, c.weights
    pm = [False] * len(pw)
    cm = [False] * len(cw)
    wp = wc = 0.0
    run = phrases = 0
    block = 0.0
    for s1, e1, s2, e2 in r.first:
        n = e1 - s1
        run = max(run, n)
        phrases += n >= phrase_run
        bp = _mark_run(pm, pw, r.p_places, s1, e1)
        bc = _mark_run(cm, cw, r.c_places, s2, e2)
        wp += bp
        wc += bc
        block = max(block, min(bp, bc))
    for xs, ys in r.second:
        for x in xs:
            pm[x] = True
        for y in ys:
            cm[y] = True
        wp = sum(map(pw.__getitem__, xs), wp)
        wc = sum(map(cw.__getitem__, ys), wc)
    cov_p, cov_c = wp / p.total, wc / c.total
    return Match(p.idx, c.idx, pm, cm, wp, wc, cov_p, cov_c, (wp + wc) / (p.total + c.total), run, phrases, block)
