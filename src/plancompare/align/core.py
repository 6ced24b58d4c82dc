"""Align a child plan's tasks with its parent's: candidates, confidence, links, statuses, kinds.

1. Candidates. Each task's words are keyed (NFC, one tone placement, lower
   case) and weighted by inverse document frequency over both plans, so that
   the boilerplate every task shares ('khoa học, công nghệ, đổi mới sáng tạo
   và chuyển đổi số') counts little. An inverted index of word pairs gives
   each task its K best counterparts: no all-pairs comparison.
2. Fine alignment, on candidates only. The token sequences are aligned
   (rapidfuzz's Indel opcodes, in C), runs of two or more words are kept, and
   a second pass over what is left catches moved sentences. The shared weight
   gives each side's coverage.
3. Confidence. The evidence of each candidate pair (coverage of both sides,
   longest verbatim run, shared rare wording and phrases, action verb, numbers,
   section, mutual best, best-covered sentence of the longer task, distance of
   the two places in their plans) goes through a logistic model fitted on labelled pairs
   (confidence.py): the probability that the child task derives from the parent.
4. Links. The one-to-one links are those above the decision threshold
   (``AlignSettings.link_threshold``) that maximise the total confidence (a
   global assignment, assign.py). Then merges and splits: a confident pair one
   of whose tasks the assignment left free is linked when it explains a quarter
   of that task beyond what is already explained, or, on its full match, half of
   the free task or half of one of its sentences (one sentence of a paragraph
   can become two tasks) and the free task is no echo of the linked task's own
   counterpart in its plan; a further link between two linked tasks is added when
   a quarter of what their first links leave unexplained is found in the other. A task left unlinked whose best counterpart reaches
   ``related_threshold`` is reported with it as ``related`` (it still counts as
   dropped or added).
5. Status and kinds from the word diff (see kinds.py), in the Comparison that build.py makes.

The procedure is symmetric: comparing B with A gives the mirror of A with B.
"""

from __future__ import annotations

import gc
import heapq
import itertools
import operator
import warnings
from collections import defaultdict
from contextlib import contextmanager
from itertools import compress
from operator import or_
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING


from ..errors import ComparisonError
from ..models import ParsedDocument, Task, TaskScope
from . import confidence as conf_mod
from .assign import assign
from .build import _build
from .models import Comparison, Kind
from .runs import Match, match
from .settings import DEFAULT, AlignSettings
from .text import Prepared, Vocab, apply_idf, prepare, word_key

_UNSET = object()  # the deprecated include_appendix keyword was not given

if TYPE_CHECKING:  # pragma: no cover
    from .prepared import PreparedParent

#: The default settings (a frozen model; every Comparison records the ones it used).
SETTINGS = DEFAULT


QUERY_GRAMS = 40


def _grams(x: Prepared) -> dict[tuple[int, int], float]:
    """The task's word pairs (consecutive tokens) with their weight (a one-word task: its word)."""
    t, w = x.toks, x.weights
    if len(t) == 1:
        return {(t[0], -1): w[0]}
    return dict(zip(itertools.pairwise(t), map(operator.add, w, w[1:])))


def _index(grams: dict[int, dict[tuple[int, int], float]]) -> dict[tuple[int, int], list[int]]:
    """Inverted index: word pair -> the tasks that hold it (in task order)."""
    index: defaultdict[tuple[int, int], list[int]] = defaultdict(list)
    for i, g in grams.items():
        for gram in g:
            index[gram].append(i)
    index.default_factory = None  # from now on a plain mapping (a missing word pair is a KeyError, not a new list)
    return index


def _query(g: dict[tuple[int, int], float], rare: dict[tuple[int, int], int], index: dict[tuple[int, int], list[int]], acc: dict[int, float]) -> None:
    """Add to ``acc`` (other task -> score) the weight of each of the task's rarest shared word
    pairs (at most QUERY_GRAMS, rarest first: the order of the additions is part of the result)."""
    mine = sorted([(rare[gr], gr) for gr in g if gr in rare])
    get = acc.get
    for _df, gram in mine[:QUERY_GRAMS]:
        w = g[gram]
        for o in index[gram]:
            acc[o] = get(o, 0.0) + w


def _top(lst: list[tuple[float, str, int, int]], k: int) -> list[int]:
    """The k best of (-score, key, order, task): ties by key, then by order (a stable sort)."""
    if len(lst) > k:
        lst.sort()
    return [x[3] for x in lst[:k]]


def candidates(ps: list[Prepared], cs: list[Prepared], k: int) -> set[tuple[int, int]]:
    """Top-k counterparts of every task by shared weighted word pairs (inverted index).

    Returns pairs of task indices (``Prepared.idx``). Each task queries the other plan with
    its rarest shared word pairs (both directions, so that the scores are symmetric);
    word pairs in more than ``common`` tasks (both plans) carry no signal and would only
    cost time."""
    pg = {p.idx: _grams(p) for p in ps}
    cg = {c.idx: _grams(c) for c in cs}
    pkey = {p.idx: p.key for p in ps}
    ckey = {c.idx: c.key for c in cs}
    n = len(ps) + len(cs)
    common = max(8, min(n // 4, 60))
    pindex = _index(pg)
    cindex = _index(cg)
    rare_p: dict[tuple[int, int], int] = {}  # word pairs of the parent rare enough to query with
    rare_c: dict[tuple[int, int], int] = {}  # ... and also in the child
    for gram, post in pindex.items():
        other = cindex.get(gram)
        d = len(post) + (len(other) if other else 0)
        if d <= common:
            rare_p[gram] = d
            if other:
                rare_c[gram] = d
    scores: dict[tuple[int, int], float] = {}
    for j, g in cg.items():
        acc: dict[int, float] = {}
        _query(g, rare_p, pindex, acc)
        scores.update(zip(zip(acc, itertools.repeat(j)), acc.values()))  # (i, j) -> score, in acc's order
    for i, g in pg.items():
        acc = {}
        mine = sorted([(rare_c[gr], gr) for gr in g if gr in rare_c])
        for _df, gram in mine[:QUERY_GRAMS]:
            w = g[gram]
            for j in cindex[gram]:
                s = acc.get(j)
                acc[j] = (scores.get((i, j), 0.0) if s is None else s) + w
        scores.update(zip(zip(itertools.repeat(i), acc), acc.values()))
    plen = {i: len(g) for i, g in pg.items()}
    clen = {j: len(g) for j, g in cg.items()}
    by_p: defaultdict[int, list[tuple[float, str, int, int]]] = defaultdict(list)
    by_c: defaultdict[int, list[tuple[float, str, int, int]]] = defaultdict(list)
    for order, ((i, j), s) in enumerate(scores.items()):
        ns = -(s / (plen[i] + clen[j] + 1) ** 0.5)
        by_p[i].append((ns, ckey[j], order, j))
        by_c[j].append((ns, pkey[i], order, i))
    out: set[tuple[int, int]] = set()
    for i, lst in by_p.items():
        out.update((i, j) for j in _top(lst, k))
    for j, lst in by_c.items():
        out.update((i, j) for i in _top(lst, k))
    return out


def _identical(ps: list[Prepared], cs: list[Prepared], attr: str, used_p: set[int], used_c: set[int]) -> list[tuple[int, int]]:
    """Pairs of tasks with equal keys (in document order, so that the pairing is symmetric)."""
    groups: dict[str, list[int]] = {}
    for p in ps:
        k = getattr(p, attr)
        if p.idx not in used_p and len(k.split()) >= 3:
            groups.setdefault(k, []).append(p.idx)
    out = []
    for c in cs:
        if c.idx in used_c:
            continue
        lst = groups.get(getattr(c, attr))
        if lst:
            i = lst.pop(0)
            out.append((i, c.idx))
            used_p.add(i)
            used_c.add(c.idx)
    return out


def _full(p: Prepared, c: Prepared) -> Match:
    n = min(len(p.toks), len(c.toks))
    return Match(p.idx, c.idx, [True] * len(p.toks), [True] * len(c.toks), p.total, c.total, 1.0, 1.0, 1.0, n, 1, min(p.total, c.total))


@dataclass
class _Link:
    p: int
    c: int
    m: Match
    primary: bool
    conf: float = 1.0
    kinds: list[Kind] = field(default_factory=list)


def _sym_key(m: Match, ps: list[Prepared], cs: list[Prepared]) -> tuple:
    a, b = ps[m.p].key, cs[m.c].key
    return (-round(m.dice, 9), -round(max(m.cov_p, m.cov_c), 9), min(a, b), max(a, b))


@dataclass
class Scored:
    """The candidate pairs of one alignment with their evidence and confidence."""

    prelinks: list[_Link]  # identical (or identical but for jurisdiction words) texts
    prelink_feats: list[list[float]]
    matches: dict[tuple[int, int], Match]
    feats: dict[tuple[int, int], list[float]]
    conf: dict[tuple[int, int], float]


def score(ps: list[Prepared], cs: list[Prepared], settings: AlignSettings = DEFAULT, prune: bool = False) -> Scored:
    """Identical texts linked outright; every other candidate pair matched and given a confidence.

    ``prune``: leave out of ``feats`` and ``conf`` the pairs whose confidence is sure to stay below both
    thresholds (link and related), which the alignment never reads (the confidence model is fitted on
    every pair: benchmarks/fit_confidence.py scores without it)."""
    prelinks: list[_Link] = []
    prelink_feats: list[list[float]] = []
    used_p: set[int] = set()
    used_c: set[int] = set()
    # identical texts, then texts identical but for jurisdiction words, are linked first:
    # a plan that copies its parent costs no alignment (nothing else can link to them:
    # they are fully explained)
    for attr in ("key", "masked_key"):
        for i, j in _identical(ps, cs, attr, used_p, used_c):
            m = _full(ps[i], cs[j])
            if attr == "masked_key":  # the score shows how much the wording differs; both stay fully explained
                real = match(ps[i], cs[j], settings=settings)
                m.cov_p, m.cov_c, m.dice, m.run, m.phrases, m.block = real.cov_p, real.cov_c, real.dice, real.run, real.phrases, real.block
            x = conf_mod.features(m, ps[i], cs[j], True)
            prelinks.append(_Link(i, j, m, True, round(conf_mod.probability(x), 9)))
            prelink_feats.append(x)
    rest_p = [p for p in ps if p.idx not in used_p]
    rest_c = [c for c in cs if c.idx not in used_c]
    cand = candidates(rest_p, rest_c, settings.candidates_per_task)
    matches = {pc: match(ps[pc[0]], cs[pc[1]], settings=settings) for pc in sorted(cand)}
    best_p: dict[int, tuple] = {}
    best_c: dict[int, tuple] = {}
    for (i, j), m in matches.items():
        k = _sym_key(m, ps, cs)
        if i not in best_p or k < best_p[i][0]:
            best_p[i] = (k, j)
        if j not in best_c or k < best_c[j][0]:
            best_c[j] = (k, i)
    feats: dict[tuple[int, int], list[float]] = {}
    conf: dict[tuple[int, int], float] = {}
    floor = min(settings.link_threshold, settings.related_threshold) if prune else None
    for (i, j), m in matches.items():
        x = conf_mod.features(m, ps[i], cs[j], best_p[i][1] == j, best_c[j][1] == i, floor)
        if x is not None:
            feats[(i, j)] = x
            conf[(i, j)] = round(conf_mod.probability(x), 9)
    return Scored(prelinks, prelink_feats, matches, feats, conf)


@dataclass
class Aligned:
    links: list[_Link]
    related_p: dict[int, tuple[int, float, Match]]  # unlinked parent task -> (its best child, confidence, match)
    related_c: dict[int, tuple[int, float, Match]]


def align(ps: list[Prepared], cs: list[Prepared], settings: AlignSettings = DEFAULT, related: bool = True) -> Aligned:
    """The links of two lists of prepared tasks; with ``related``, each unlinked task's closest counterpart
    (at least ``related_threshold``) too."""
    sc = score(ps, cs, settings, prune=True)
    links = list(sc.prelinks)
    used_p = {lk.p for lk in links}
    used_c = {lk.c for lk in links}
    matches, conf = sc.matches, sc.conf
    # one-to-one links: above the decision threshold, maximising the total confidence
    edges = {pc: x for pc, x in conf.items() if x >= settings.link_threshold}
    for i, j in sorted(assign(edges, lambda i: (ps[i].key, i), lambda j: (cs[j].key, j), settings.exact_component)):
        links.append(_Link(i, j, matches[(i, j)], True, conf[(i, j)]))
        used_p.add(i)
        used_c.add(j)
    _merges_and_splits(ps, cs, settings, links, used_p, used_c, matches, conf)
    if not related:
        return Aligned(links, {}, {})
    linked_p = {lk.p for lk in links}
    linked_c = {lk.c for lk in links}
    related_p: dict[int, tuple[int, float, Match]] = {}
    related_c: dict[int, tuple[int, float, Match]] = {}
    for (i, j), x in sorted(conf.items(), key=lambda kv: (-kv[1], min(ps[kv[0][0]].key, cs[kv[0][1]].key), max(ps[kv[0][0]].key, cs[kv[0][1]].key))):
        if x < settings.related_threshold:
            break
        if i not in linked_p and i not in related_p:
            related_p[i] = (j, x, matches[(i, j)])
        if j not in linked_c and j not in related_c:
            related_c[j] = (i, x, matches[(i, j)])
    return Aligned(links, related_p, related_c)


def _merges_and_splits(ps: list[Prepared], cs: list[Prepared], settings: AlignSettings, links: list[_Link], used_p: set[int], used_c: set[int], matches: dict[tuple[int, int], Match], conf: dict[tuple[int, int], float]) -> None:
    """Unexplained parts of a task found in another task become further links (merges and splits).

    Two steps: the confident pairs the one-to-one assignment left out (:meth:`_Residuals.join_confident`),
    then a lazy greedy over the related pairs (:meth:`_Residuals.grow`)."""
    res = _Residuals(ps, cs, settings, links, used_p, used_c, matches, conf)
    res.join_confident()
    res.grow()


class _Residuals:
    """What the links explain of each task so far (covered tokens, covered weight, a version per task that
    changes when its coverage does), and the merge and split links added on what is left."""

    def __init__(self, ps: list[Prepared], cs: list[Prepared], settings: AlignSettings, links: list[_Link], used_p: set[int], used_c: set[int],
                 matches: dict[tuple[int, int], Match], conf: dict[tuple[int, int], float]) -> None:
        self.ps, self.cs, self.settings, self.links, self.used_p, self.used_c, self.matches, self.conf = ps, cs, settings, links, used_p, used_c, matches, conf
        self.p_cov = {i: [False] * len(ps[i].toks) for i in range(len(ps))}
        self.c_cov = {j: [False] * len(cs[j].toks) for j in range(len(cs))}
        self.p_done = [0.0] * len(ps)  # covered weight of each task
        self.c_done = [0.0] * len(cs)
        self.p_ver = [0] * len(ps)
        self.c_ver = [0] * len(cs)
        for lk in links:
            self.p_done[lk.p] += _or(self.p_cov[lk.p], lk.m.p_mask, ps[lk.p].weights)
            self.c_done[lk.c] += _or(self.c_cov[lk.c], lk.m.c_mask, cs[lk.c].weights)
        self.linked = {(lk.p, lk.c) for lk in links}
        self.wmin = settings.min_weight
        self.part = settings.part_coverage
        self.stock_p, self.stock_c = _stock_clauses(ps), _stock_clauses(cs)

    def take(self, i: int, j: int, r: Match) -> None:
        """Link (i, j) as a merge or split on the residual match r: what it explains is marked done."""
        full = self.matches[(i, j)]
        full.p_mask, full.c_mask = r.p_mask, r.c_mask
        full.wp, full.wc, full.cov_p, full.cov_c, full.dice = r.wp, r.wc, r.cov_p, r.cov_c, r.dice
        self.links.append(_Link(i, j, full, False, self.conf[(i, j)]))
        self.linked.add((i, j))
        self.used_p.add(i)
        self.used_c.add(j)
        self.p_done[i] += _or(self.p_cov[i], r.p_mask, self.ps[i].weights)
        self.c_done[j] += _or(self.c_cov[j], r.c_mask, self.cs[j].weights)

    def residual(self, i: int, j: int) -> Match:
        """The match of what tasks i and j have left unexplained."""
        return match(self.ps[i], self.cs[j], self.p_cov[i], self.c_cov[j], self.settings)

    # ------------------------------------------------------------ step 1: confident pairs left out
    def join_confident(self) -> None:
        """Confident pairs left out by the one-to-one assignment, one of whose tasks is still unlinked,
        join as merges or splits (strongest first) when what they share is not already explained.

        (What the linked task shares may already be explained: one sentence of a paragraph can become
        two tasks, so the full match stands in when it covers most of the free task or most of one of
        its sentences.)"""
        ps, cs, conf = self.ps, self.cs, self.conf
        order = sorted((pc for pc, x in conf.items() if x >= self.settings.link_threshold and pc not in self.linked),
                       key=lambda pc: (-conf[pc], min(ps[pc[0]].key, cs[pc[1]].key), max(ps[pc[0]].key, cs[pc[1]].key), pc))
        first_c = {lk.c: lk.p for lk in self.links if lk.primary}  # each linked task's one-to-one counterpart
        first_p = {lk.p: lk.c for lk in self.links if lk.primary}
        for i, j in order:
            if (i in self.used_p) == (j in self.used_c):
                continue
            r = self.residual(i, j)
            if not self._explains(i, j, r):
                r = self.matches[(i, j)]
                if not self._explains_sentence(i, j, r, first_c, first_p):
                    continue
            if not self._substantive(i, j, r):
                continue
            self.take(i, j, r)

    def _substantive(self, i: int, j: int, r: Match) -> bool:
        """What (i, j) shares is more than stock clauses (a closing formula repeated in several
        tasks), unless one of the two tasks is only stock clauses (a stock sentence made a task)."""
        if _only_stock(self.stock_p[i]) or _only_stock(self.stock_c[j]):
            return True
        return _weight_outside(r.p_mask, self.stock_p[i], self.ps[i].weights) >= self.wmin and _weight_outside(r.c_mask, self.stock_c[j], self.cs[j].weights) >= self.wmin

    def _explains(self, i: int, j: int, r: Match) -> bool:
        return r.wp >= self.wmin and r.wc >= self.wmin and (r.cov_p if i not in self.used_p else r.cov_c) >= self.part

    def _explains_sentence(self, i: int, j: int, r: Match, first_c: dict[int, int], first_p: dict[int, int]) -> bool:
        if r.wp < self.wmin or r.wc < self.wmin:
            return False
        ps, cs = self.ps, self.cs
        free, cov, share, sibling = (ps[i], r.cov_p, conf_mod.clause_share(ps[i], r.p_mask), ps[first_c[j]] if j in first_c else None) if i not in self.used_p \
            else (cs[j], r.cov_c, conf_mod.clause_share(cs[j], r.c_mask), cs[first_p[i]] if i in first_p else None)
        if max(cov, share) < self.settings.split_coverage:
            return False
        # an echo: the free task says what the linked task's own counterpart (in the same plan) says
        return sibling is None or match(free, sibling, settings=self.settings).cov_p < cov

    # ------------------------------------------------------------ step 2: lazy greedy over related pairs
    def grow(self) -> None:
        """Lazy greedy: trials sit in a heap keyed by their (symmetric) strength; a trial whose tasks
        gained coverage since it was scored is re-scored and pushed back before it can win."""
        eligible, by_task_p, by_task_c = self._eligible()
        heap: list[tuple] = []
        counter = itertools.count()

        def push(i: int, j: int) -> None:
            r = self._trial(i, j)
            if r is not None:
                heapq.heappush(heap, (_sym_key(r, self.ps, self.cs), i, j, self.p_ver[i], self.c_ver[j], next(counter), r))

        for i, j in eligible:
            push(i, j)
        while heap:
            _, i, j, pv, cv, _n, r = heapq.heappop(heap)
            if (i, j) in self.linked:
                continue
            if pv != self.p_ver[i] or cv != self.c_ver[j]:
                push(i, j)  # stale: re-score
                continue
            newly = [("p", i)] if i not in self.used_p else []
            newly += [("c", j)] if j not in self.used_c else []
            self.take(i, j, r)
            self.p_ver[i] += 1
            self.c_ver[j] += 1
            # pairs of a task that just became linked are trials now (their earlier score is stale anyway)
            for side, t in newly:
                for pair in (by_task_p if side == "p" else by_task_c).get(t, []):
                    if pair not in self.linked:
                        push(*pair)

    def _eligible(self) -> tuple[list[tuple[int, int]], dict[int, list[tuple[int, int]]], dict[int, list[tuple[int, int]]]]:
        """The related pairs not linked whose full match could still explain a part of a task, and them by task.

        Each task keeps its ``merge_trials_per_task`` strongest such pairs (by confidence; ties by the
        texts' keys, then the counterpart's place) and a pair is tried only when both its tasks keep it:
        the trials of a task are bounded whatever the number of its partial counterparts (a sentence
        repeated in many tasks of a large plan)."""
        wmin, part, floor = self.wmin, self.part, self.settings.related_threshold
        ps, cs, conf = self.ps, self.cs, self.conf
        pairs = []
        for (i, j), full in self.matches.items():
            if (i, j) in self.linked or full.wp < wmin or full.wc < wmin or conf.get((i, j), 0.0) < floor:  # a pruned pair is below it
                continue
            # a residual match can only be smaller than the full one
            if full.wp < max(wmin, part * ps[i].total) and full.wc < max(wmin, part * cs[j].total):
                continue
            pairs.append((i, j))
        cap = self.settings.merge_trials_per_task
        rank = {pc: (-conf[pc], *sorted((ps[pc[0]].key, cs[pc[1]].key))) for pc in pairs}
        kept = _best_per_task(pairs, cap, 0, rank) & _best_per_task(pairs, cap, 1, rank)
        by_task_p: dict[int, list[tuple[int, int]]] = {}
        by_task_c: dict[int, list[tuple[int, int]]] = {}
        eligible = [pc for pc in pairs if pc in kept]
        for i, j in eligible:
            by_task_p.setdefault(i, []).append((i, j))
            by_task_c.setdefault(j, []).append((i, j))
        return eligible, by_task_p, by_task_c

    def _trial(self, i: int, j: int) -> Match | None:
        if i not in self.used_p and j not in self.used_c:
            return None  # two unmatched tasks were judged above
        wmin, part, split = self.wmin, self.part, self.settings.split_coverage
        r = self.residual(i, j)
        p_left = self.ps[i].total - self.p_done[i]
        c_left = self.cs[j].total - self.c_done[j]
        ok_p = r.wp >= max(wmin, part * self.ps[i].total) and r.wp >= part * p_left
        ok_c = r.wc >= max(wmin, part * self.cs[j].total) and r.wc >= part * c_left
        # the new link must explain a real part of a task that is already linked,
        # and be substantial on the other side too
        if (i in self.used_p and j in self.used_c and ok_p and ok_c) or (i not in self.used_p and ok_p and r.wc >= wmin and r.cov_p >= split) \
                or (j not in self.used_c and ok_c and r.wp >= wmin and r.cov_c >= split):
            return r if self._substantive(i, j, r) else None
        return None


def _best_per_task(pairs: list[tuple[int, int]], k: int, side: int, rank: dict[tuple[int, int], tuple]) -> set[tuple[int, int]]:
    """The pairs among the ``k`` first (by ``rank``, then the counterpart's place) of the task on
    ``side`` (0: parent, 1: child) they hold."""
    by: dict[int, list[tuple[int, int]]] = {}
    for pc in pairs:
        by.setdefault(pc[side], []).append(pc)
    out: set[tuple[int, int]] = set()
    for lst in by.values():
        out.update(lst if len(lst) <= k else sorted(lst, key=lambda pc: (*rank[pc], pc[1 - side]))[:k])
    return out


def _stock_clauses(items: list[Prepared]) -> list[list[bool] | None]:
    """Per task, the tokens of its clauses that recur word for word in another task of the same
    plan (None when it has none): a stock sentence such as a closing formula ('Lồng ghép nội dung
    này vào kế hoạch công tác hằng năm...') says nothing about which task another came from.

    A prepared parent's tasks carry theirs, computed once for all its children (:func:`stock_masks`)."""
    kept = _kept_stock(items)
    return kept if kept is not None else stock_masks(items)


def _kept_stock(items: list[Prepared]) -> list[list[bool] | None] | None:
    """The masks kept on these tasks by their PreparedParent, when they are all of its tasks in its order (else None)."""
    first = items[0].__dict__.get("_stock") if items else None
    if first is None or len(first[0]) != len(items):
        return None
    masks = first[0]
    for k, x in enumerate(items):
        s = x.__dict__.get("_stock")
        if s is None or s[0] is not masks or s[1] != k:
            return None
    return list(masks)


def stock_masks(items: list[Prepared]) -> list[list[bool] | None]:
    """:func:`_stock_clauses` computed: from the tasks' words alone (their clauses' token spans; masks read only)."""
    spans = [[(a, b, tuple(x.toks[a:b])) for a, b in conf_mod.spans(x)] for x in items]
    tasks_with: dict[tuple[int, ...], int] = {}
    for sp in spans:
        for key in {k for _a, _b, k in sp}:
            tasks_with[key] = tasks_with.get(key, 0) + 1
    out: list[list[bool] | None] = []
    for x, sp in zip(items, spans):
        mask = None
        for a, b, k in sp:
            if tasks_with[k] > 1:
                if mask is None:
                    mask = [False] * len(x.toks)
                mask[a:b] = [True] * (b - a)
        out.append(mask)
    return out


def _only_stock(stock: list[bool] | None) -> bool:
    return stock is not None and all(stock)


def _weight_outside(mask: list[bool], stock: list[bool] | None, weights: list[float]) -> float:
    """Weight of the tokens ``mask`` covers outside the ``stock`` clauses."""
    if stock is None:
        return sum(itertools.compress(weights, mask))
    return sum(w for w, m, s in zip(weights, mask, stock) if m and not s)


def _or(a: list[bool], b: list[bool], weights: list[float]) -> float:
    """a |= b; returns the weight newly covered (added in token order; the filters run in C)."""
    new = list(map(operator.gt, b, a))  # b and not a (lists of bools)
    a[:] = map(or_, a, b)
    return sum(compress(weights, new), 0.0)


def _share(x: Prepared, mask: list[bool]) -> float:
    return sum(w for w, m in zip(x.weights, mask) if m) / x.total




def compare(parent: ParsedDocument, child: ParsedDocument, *, settings: AlignSettings | dict | None = None, scope: TaskScope | str | None = None, other_records: bool = False,
            prepared: "PreparedParent | None" = None, related: bool = True, include_appendix: bool | None | object = _UNSET) -> Comparison:
    """Compare a child plan with its parent plan; see :class:`~plancompare.align.models.Comparison`.

    Which tasks are compared (``scope``, a :class:`~plancompare.models.TaskScope`):

    * ``auto`` (default): body with body; when both plans also list tasks in an
      appendix table, appendix with appendix too (separately, so that a body task
      and its restatement in the parent's table are not taken for a merge); a plan
      with no body tasks is compared through its appendix;
    * ``all``: body and appendix tasks of both plans together, in one alignment;
    * ``appendix``: the appendix tasks only (a plan without any: its body tasks);
    * ``body``: body tasks only.

    ``include_appendix`` (None / True / False, the keyword before ``scope``) is still
    accepted for one release, with a DeprecationWarning (None -> auto, True -> all, False -> body).

    With ``other_records`` the objectives and the assignments are compared too, and
    reported apart (``Comparison.objectives``, ``Comparison.assignments``).

    ``prepared``: the parent's tokens kept from an earlier comparison
    (:class:`~plancompare.align.prepared.PreparedParent`, for many children of one parent);
    the result is the same as without it.

    ``related=False``: the lean result of a caller that reads only the links and the dropped and
    added tasks (the national batch's pair rows, :func:`plancompare.scale.aligning.comparison_rows`):
    a dropped or added task comes without its closest counterpart (``Pair.related`` None,
    ``Pair.confidence`` 0, ``Summary.related`` and ``related_child`` 0), which is then neither
    looked for nor diffed; every link, status, kind, diff, score and every other count is the same."""
    if prepared is not None and prepared.doc is not parent:
        raise ValueError("prepared is the preparation of another parent document")
    st = AlignSettings.of(settings)
    groups = _groups(parent, child, _scope(scope, include_appendix))
    if not any(p for p, _ in groups):
        raise ComparisonError(f"{parent.document.source_file or 'parent'}: the parent plan has no tasks to compare")
    if not any(c for _, c in groups):
        raise ComparisonError(f"{child.document.source_file or 'child'}: the child plan has no tasks to compare")
    with collector_paused():
        result = _compare_groups(parent, child, groups, st, prepared, related)
        if other_records:
            for name, get in (("objectives", lambda d: d.objectives), ("assignments", lambda d: d.assignments)):
                pr, cr = [_as_task(x) for x in get(parent)], [_as_task(x) for x in get(child)]
                if pr and cr:
                    setattr(result, name, _compare_lists(parent, child, pr, cr, st, related).pairs)
    return result


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector paused for one comparison (restored after, as the caller had it).

    The alignment allocates a few containers per candidate pair and makes no reference cycles:
    reference counting frees all of it. The collector would only traverse them, and the
    caller's parsed documents with them, again and again: measured at 20 / 85 / 160 µs per task
    at 100 / 1,000 / 10,000 tasks per side (benchmarks/bench_scale.py), the one cost per task of
    compare() that grew with the plans' size. The batch's workers pause it for a chunk of comparisons
    (plancompare.scale.aligning)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _compare_lists(parent: ParsedDocument, child: ParsedDocument, ptasks: list[Task], ctasks: list[Task], st: AlignSettings, related: bool = True) -> Comparison:
    return _compare_groups(parent, child, [(ptasks, ctasks)], st, related=related)


def _compare_groups(parent: ParsedDocument, child: ParsedDocument, groups: list[tuple[list[Task], list[Task]]], st: AlignSettings,
                    prepared: "PreparedParent | None" = None, related: bool = True) -> Comparison:
    """Align each group of (parent tasks, child tasks) on its own; report them as one comparison."""
    vocab = Vocab()
    all_pt: list[Task] = []
    all_ct: list[Task] = []
    all_ps: list[Prepared] = []
    all_cs: list[Prepared] = []
    all_links: list[_Link] = []
    rel_p: dict[int, tuple[int, float, Match]] = {}
    rel_c: dict[int, tuple[int, float, Match]] = {}
    idf: dict[int, float] = {}
    for n, (ptasks, ctasks) in enumerate(groups):
        pre = None
        if n == 0 and prepared is not None:  # the first group's parent tokens start the vocabulary: reusable
            vocab, pre = prepared.tokens(ptasks)
        ps, cs, g_idf = prepare_group(ptasks, ctasks, vocab, pre, prepared.texts if pre is not None else None)
        res = align(ps, cs, st, related) if ps and cs else Aligned([], {}, {})
        links = res.links
        op, oc = len(all_ps), len(all_cs)
        rel_p.update({i + op: (j + oc, x, m) for i, (j, x, m) in res.related_p.items()})
        rel_c.update({j + oc: (i + op, x, m) for j, (i, x, m) in res.related_c.items()})
        for x in ps:
            x.idx += op
        for x in cs:
            x.idx += oc
        for lk in links:
            lk.p += op
            lk.c += oc
            lk.m.p += op
            lk.m.c += oc
        for t, w in g_idf.items():
            idf.setdefault(t, w)
        all_pt += ptasks
        all_ct += ctasks
        all_ps += ps
        all_cs += cs
        all_links += links
    return _build(parent, child, all_pt, all_ct, all_ps, all_cs, all_links, rel_p, rel_c, idf, st, vocab)


@lru_cache(maxsize=4096)
def _section_words(title: str | None) -> frozenset:
    return frozenset(k for k in (word_key(w) for w in (title or "").split()) if k)


def prepare_group(ptasks: list[Task], ctasks: list[Task], vocab: Vocab, ps: list[Prepared] | None = None,
                  met: dict[str, Prepared] | None = None) -> tuple[list[Prepared], list[Prepared], dict[int, float]]:
    """The two lists of tasks ready for alignment (weights over both lists); ``ps``: the
    parent's tasks already prepared with ``vocab`` (PreparedParent); ``met``: the child texts
    its earlier comparisons prepared (their words reused, see :func:`~.text.prepare`)."""
    if ps is None:
        ps = prepare([t.text for t in ptasks], "p", vocab, [t.key for t in ptasks])
    cs = prepare([t.text for t in ctasks], "c", vocab, [t.key for t in ctasks], seen=ps, met=met)
    for side, tasks in ((ps, ptasks), (cs, ctasks)):
        last = max(len(tasks) - 1, 1)
        for k, (x, t) in enumerate(zip(side, tasks)):
            x.section = _section_words(t.section_title)
            x.pos = k / last
    return ps, cs, apply_idf(ps + cs)


def _as_task(x: object) -> Task:
    """An objective or assignment in the shape the aligner takes."""
    return Task(id=x.id, label=x.label, marker=type(x).__name__.lower(), path=x.path, section_title=getattr(x, "section_title", None), text=x.text, key=x.key, line_start=x.line_start, line_end=x.line_end)  # type: ignore[attr-defined]


def _scope(scope: TaskScope | str | None, include_appendix: object) -> TaskScope:
    """The scope asked for; the deprecated ``include_appendix`` keyword mapped with a warning."""
    if include_appendix is _UNSET:
        return TaskScope.of(scope)
    warnings.warn("compare(include_appendix=...) is deprecated: pass scope=TaskScope.auto / .body / .appendix / .all", DeprecationWarning, stacklevel=3)
    return TaskScope.of(include_appendix)  # type: ignore[arg-type]


def _groups(parent: ParsedDocument, child: ParsedDocument, scope: TaskScope) -> list[tuple[list[Task], list[Task]]]:
    pb = [t for t in parent.tasks if t.source == "body"]
    pa = [t for t in parent.tasks if t.source == "appendix"]
    cb = [t for t in child.tasks if t.source == "body"]
    ca = [t for t in child.tasks if t.source == "appendix"]
    if scope == TaskScope.all:
        return [(pb + pa, cb + ca)]
    if scope == TaskScope.appendix:
        return [(pa or pb, ca or cb)]
    if scope == TaskScope.auto:
        if pa and ca and pb and cb:
            return [(pb, cb), (pa, ca)]
        if not pb or not cb:  # a plan that lists its tasks only in a table
            return [(pb or pa, cb or ca)]
    return [(pb, cb)]


def _tasks(doc: ParsedDocument, include_appendix: bool | None) -> list[Task]:
    body = [t for t in doc.tasks if t.source == "body"]
    if include_appendix or not body:
        return body + [t for t in doc.tasks if t.source == "appendix"]
    return body
