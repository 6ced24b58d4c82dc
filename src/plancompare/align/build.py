"""Step 5 of the alignment (see :mod:`.core`): the Comparison built from the links. A Pair per link (its
status and kinds from the word diff, its merge or split group), per dropped parent task and per added
child task (each with its closest counterpart), in plan order; and the summary."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..models import ParsedDocument, Task
from . import kinds as kinds_mod
from .models import Comparison, Kind, Pair, Related, SectionSummary, Status, Summary, TaskRef, pair_counts
from .settings import AlignSettings
from .text import Prepared, Vocab, WordWeights

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable

    from .core import Match, _Link


def _build(parent: ParsedDocument, child: ParsedDocument, ptasks: list[Task], ctasks: list[Task], ps: list[Prepared], cs: list[Prepared], links: list[_Link], rel_p: dict[int, tuple[int, float, Match]], rel_c: dict[int, tuple[int, float, Match]], idf: dict[int, float], st: AlignSettings, vocab: Vocab) -> Comparison:
    """The Comparison: a Pair per link, per dropped parent task and per added child task, in plan order."""
    sides = _Sides(ptasks, ctasks, ps, cs, WordWeights(idf, vocab.ids).__getitem__)
    by_p: dict[int, list[_Link]] = {}
    by_c: dict[int, list[_Link]] = {}
    for lk in links:
        by_p.setdefault(lk.p, []).append(lk)
        by_c.setdefault(lk.c, []).append(lk)
    pairs, p_status = _linked_pairs(sides, links, by_p, by_c)
    pairs += _dropped_pairs(sides, by_p, rel_p, p_status)
    pairs += _added_pairs(sides, by_c, rel_c)
    pairs.sort(key=lambda x: x[0])
    plist = [p for _, p in pairs]
    return Comparison(parent=parent.document, child=child.document, summary=_summary(ptasks, ctasks, p_status, plist), pairs=plist, settings=st)


_KIND_ORDER = {k: n for n, k in enumerate(Kind)}  # a pair lists its kinds in the order of the Kind enum


@dataclass
class _Sides:
    """The two plans' tasks, their prepared forms and the word weight classify reads (``idf_of``)."""

    ptasks: list[Task]
    ctasks: list[Task]
    ps: list[Prepared]
    cs: list[Prepared]
    weight: Callable[[str], float]


def _linked_pairs(sides: _Sides, links: list[_Link], by_p: dict[int, list[_Link]], by_c: dict[int, list[_Link]]) -> tuple[list[tuple[tuple, Pair]], dict[int, Status]]:
    """A Pair per link (by parent, then child task), keyed for the plan order; each linked parent task's status."""
    groups: dict[tuple[str, int], str] = {}
    pairs: list[tuple[tuple, Pair]] = []
    p_status: dict[int, Status] = {}
    for lk in sorted(links, key=lambda l: (l.p, l.c)):
        multi_p = len(by_p[lk.p]) > 1  # parent split over several children
        multi_c = len(by_c[lk.c]) > 1  # child merges several parents
        group = None
        if multi_c or multi_p:  # the links of one merge (M) or split (S) share a group id
            gkey = ("c", lk.c) if multi_c else ("p", lk.p)
            if gkey not in groups:
                groups[gkey] = f"{'M' if multi_c else 'S'}{len(groups) + 1}"
            group = groups[gkey]
        pair = _linked_pair(sides, lk, multi_p, multi_c, group)
        pairs.append(((lk.p, lk.c), pair))
        p_status[lk.p] = Status.changed if (lk.p in p_status or pair.status == Status.changed) else Status.copied
    return pairs, p_status


def _linked_pair(sides: _Sides, lk: _Link, multi_p: bool, multi_c: bool, group: str | None) -> Pair:
    """One link's Pair: classified on the parts it links when it is one link of a split or merge."""
    pt, ct = sides.ptasks[lk.p], sides.ctasks[lk.c]
    p_part = _part_text(sides.ps[lk.p], lk.m.p_mask) if multi_p else None
    c_part = _part_text(sides.cs[lk.c], lk.m.c_mask) if multi_c else None
    whole = not (p_part or c_part)
    keys = (pt.key, ct.key) if whole else None
    px, cx = sides.ps[lk.p], sides.cs[lk.c]
    masked = (px.masked_key, cx.masked_key) if whole else None
    words = (px.words, cx.words, px.keys, cx.keys) if whole else None
    res = kinds_mod.classify(p_part or pt.text, c_part or ct.text, idf_of=sides.weight, keys=keys, masked=masked, words=words)
    ks = list(res.kinds)
    if multi_c:
        ks.append(Kind.merged)
    if multi_p:
        ks.append(Kind.split)
    status = Status.copied if (res.copied and not multi_c and not multi_p) else Status.changed
    if status == Status.changed and not ks:
        ks = [Kind.reworded]
    ks = sorted(set(ks), key=_KIND_ORDER.__getitem__)
    return Pair(
        status=status,
        kinds=ks,
        score=round(lk.m.dice, 3),
        confidence=round(lk.conf, 3),
        parent=TaskRef.of(pt),
        child=TaskRef.of(ct),
        parent_coverage=round(lk.m.cov_p, 3),
        child_coverage=round(lk.m.cov_c, 3),
        parent_part=p_part,
        child_part=c_part,
        group=group,
        diff=res.diff if status == Status.changed else [],
        retargets=res.retargets,
    )


def _related(sides: _Sides, i: int, j: int, x: float, m: Match) -> Related:
    """The closest task on the other side of an unlinked task (below the link threshold), with its diff."""
    pt, ct = sides.ptasks[i], sides.ctasks[j]
    px, cx = sides.ps[i], sides.cs[j]
    res = kinds_mod.classify(pt.text, ct.text, idf_of=sides.weight, keys=(pt.key, ct.key), masked=(px.masked_key, cx.masked_key), words=(px.words, cx.words, px.keys, cx.keys))
    return Related(parent=TaskRef.of(pt), child=TaskRef.of(ct), confidence=round(x, 3), score=round(m.dice, 3), parent_coverage=round(m.cov_p, 3), child_coverage=round(m.cov_c, 3), diff=res.diff)


def _dropped_pairs(sides: _Sides, by_p: dict[int, list[_Link]], rel_p: dict[int, tuple[int, float, Match]], p_status: dict[int, Status]) -> list[tuple[tuple, Pair]]:
    """A dropped Pair per parent task no link has (its status recorded), with its closest child task."""
    out: list[tuple[tuple, Pair]] = []
    for i, t in enumerate(sides.ptasks):
        if i not in by_p:
            p_status[i] = Status.dropped
            r = _related(sides, i, *rel_p[i]) if i in rel_p else None
            out.append(((i, -1), Pair(status=Status.dropped, score=0.0, confidence=r.confidence if r else 0.0, parent=TaskRef.of(t), related=r)))
    return out


def _added_pairs(sides: _Sides, by_c: dict[int, list[_Link]], rel_c: dict[int, tuple[int, float, Match]]) -> list[tuple[tuple, Pair]]:
    """An added Pair per child task no link has, placed after the parent tasks linked to the child tasks before it."""
    out: list[tuple[tuple, Pair]] = []
    last_p = -1  # the highest parent index linked to any earlier child task (a running maximum: linear)
    for j, t in enumerate(sides.ctasks):
        if j not in by_c:
            anchor = last_p + 0.5 if last_p >= 0 else -0.5
            r = _related(sides, rel_c[j][0], j, *rel_c[j][1:]) if j in rel_c else None
            out.append(((anchor, j), Pair(status=Status.added, score=0.0, confidence=r.confidence if r else 0.0, child=TaskRef.of(t), related=r)))
        else:
            last_p = max(last_p, max(l.p for l in by_c[j]))
    return out


def _summary(ptasks: list[Task], ctasks: list[Task], p_status: dict[int, Status], pairs: list[Pair]) -> Summary:
    carried = sum(1 for s in p_status.values() if s in (Status.copied, Status.changed))
    sections: dict[str | None, list[int]] = {}
    titles: dict[str | None, str | None] = {}
    for i, t in enumerate(ptasks):
        sections.setdefault(t.section_path, []).append(i)
        titles[t.section_path] = t.section_title
    # a heading the parent lost (scraped plans) is named after the child section its tasks went to
    child_titles: dict[str | None, dict[str, int]] = {}
    for p in pairs:
        if p.parent and p.child and p.child.section_title and titles.get(p.parent.section_path) is None:
            votes = child_titles.setdefault(p.parent.section_path, {})
            votes[p.child.section_title] = votes.get(p.child.section_title, 0) + 1
    secs = []
    for path, idx in sections.items():
        c = sum(1 for i in idx if p_status[i] == Status.copied)
        ch = sum(1 for i in idx if p_status[i] == Status.changed)
        d = sum(1 for i in idx if p_status[i] == Status.dropped)
        title, borrowed = titles[path], False
        if title is None and child_titles.get(path):
            title, borrowed = max(child_titles[path].items(), key=lambda kv: (kv[1], kv[0]))[0], True
        secs.append(SectionSummary(section_path=path, section_title=title, title_from_child=borrowed, parent_tasks=len(idx), copied=c, changed=ch, dropped=d, coverage=round((c + ch) / len(idx), 3)))
    return Summary(
        parent_tasks=len(ptasks),
        child_tasks=len(ctasks),
        coverage=round(carried / len(ptasks), 3) if ptasks else 0.0,
        sections=secs,
        **pair_counts(pairs),  # the counts only() recomputes for a selection: one definition
    )


def _part_text(x: Prepared, mask: list[bool]) -> str:
    idx = [x.tok_word[k] for k, m in enumerate(mask) if m]
    if not idx:
        return ""
    return " ".join(x.words[min(idx) : max(idx) + 1])
