"""What changed between two linked task texts: the word diff and its kinds.

* copied: equal keys; or equal once jurisdiction words are masked (localized).
* softened: the child adds a verb of proposing/advising/coordinating ('đề xuất',
  'phối hợp', 'tham mưu', 'kiến nghị') or drops the building/issuing verb
  that heads the parent task ('Xây dựng, ban hành ...' -> 'Nâng cao ...').
* retargeted: a target (a percentage, a worded minimum or maximum, a number or year
  changed in place) differs; see :mod:`plancompare.align.targets` (old -> new listed).
* narrowed / extended: a substantial part (15% of the weighted words, or a run
  of six words) removed / added.
* typo: a word replaced by a near-identical word.
* reworded: other replacements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from rapidfuzz.distance import Indel
from rapidfuzz.fuzz import ratio

from ..normalize import key as text_key
from .models import DiffOp, Kind, Retarget
from .targets import retargets_of
from .text import SOFT, STRONG, count_phrases, has_jurisdiction, masked_key, split_words, task_has_jurisdiction, word_key

_NUM = re.compile(r"\d")
SUBSTANTIAL = 0.15
LONG_RUN = 6
HEAD = 4
INLINE = 4  # a change of at most this many words is an edit in place


@dataclass
class Result:
    copied: bool
    kinds: list[Kind] = field(default_factory=list)
    diff: list[DiffOp] = field(default_factory=list)
    retargets: list[Retarget] = field(default_factory=list)


def word_diff(a_words: list[str], b_words: list[str], a_keys: list[str] | None = None, b_keys: list[str] | None = None) -> list[DiffOp]:
    """Word-level diff from a to b (insertions and deletions), comparing word keys (``a_keys``,
    ``b_keys``: the words' keys, ``word_key`` of each, if known)."""
    ak = [k or w for k, w in zip(a_keys, a_words)] if a_keys is not None else [word_key(w) or w for w in a_words]
    bk = [k or w for k, w in zip(b_keys, b_words)] if b_keys is not None else [word_key(w) or w for w in b_words]
    # the runs as (op, text, parent_text), neighbouring runs of the same op merged; one DiffOp per merged run
    merged: list[tuple[str, str, str | None]] = []
    for tag, s1, e1, s2, e2 in Indel.opcodes(ak, bk).as_list():
        if tag == "equal":
            child_side = " ".join(b_words[s2:e2])
            parent_side = " ".join(a_words[s1:e1])
            runs = [("equal", child_side, parent_side if parent_side != child_side else None)]
        else:
            runs = []
            if e1 > s1:
                runs.append(("delete", " ".join(a_words[s1:e1]), None))
            if e2 > s2:
                runs.append(("insert", " ".join(b_words[s2:e2]), None))
        for d in runs:
            if merged and merged[-1][0] == d[0]:
                op, text, ptext = merged[-1]
                pt = None
                if op == "equal" and (ptext or d[2]):
                    pt = (ptext or text) + " " + (d[2] or d[1])
                merged[-1] = (op, text + " " + d[1], pt)
            else:
                merged.append(d)
    return [DiffOp(op=op, text=text, parent_text=pt) for op, text, pt in merged]


def _regions(a: list[str], b: list[str]) -> list[tuple[list[str], list[str]]]:
    """(deleted words, inserted words) of each changed region, on keys."""
    regions: list[tuple[list[str], list[str]]] = []
    cur_d: list[str] = []
    cur_i: list[str] = []
    for op in Indel.opcodes(a, b):
        if op.tag == "equal":
            if cur_d or cur_i:
                regions.append((cur_d, cur_i))
                cur_d, cur_i = [], []
        else:
            cur_d += a[op.src_start : op.src_end]
            cur_i += b[op.dest_start : op.dest_end]
    if cur_d or cur_i:
        regions.append((cur_d, cur_i))
    return regions


def classify(p_text: str, c_text: str, idf_of: Callable[[str], float] | None = None, keys: tuple[str, str] | None = None,
             masked: tuple[str, str] | None = None, words: tuple[list[str], list[str], list[str], list[str]] | None = None) -> Result:
    """Kinds of change from p_text to c_text (``keys``: their comparison keys, ``masked``:
    their masked keys, if known: the aligner has them for every task, and its bounded
    cache of masked keys would not hold them all for the largest plans; ``words``: the two
    texts' words (``split_words``) and those words' keys (``word_key``), if known: the
    aligner's prepared tasks hold them)."""
    weight = idf_of or (lambda w: 1.0)
    pk, ck = keys if keys else (text_key(p_text), text_key(c_text))
    if pk == ck:
        return Result(copied=True)
    pm, cm = masked if masked else (masked_key(p_text), masked_key(c_text))
    localized = task_has_jurisdiction(p_text) or task_has_jurisdiction(c_text)
    if pm == cm:
        return Result(copied=True, kinds=[Kind.localized] if localized else [])
    diff = word_diff(words[0], words[1], words[2], words[3]) if words else word_diff(split_words(p_text), split_words(c_text))
    kinds: list[Kind] = []
    if localized and _jur_changed(diff):
        kinds.append(Kind.localized)
    a, b = pm.split(), cm.split()
    ed = _tally(_regions(a, b), weight)
    p_total = sum(map(weight, a)) or 1.0  # in order, from 0 (as the generator did), in C
    c_total = sum(map(weight, b)) or 1.0
    if _softened(a, b) or ed.soft_ins:
        kinds.append(Kind.softened)
    if ed.long_del or ed.del_w >= SUBSTANTIAL * p_total:
        kinds.append(Kind.narrowed)
    if ed.long_ins or ed.ins_w >= SUBSTANTIAL * c_total:
        kinds.append(Kind.extended)
    retargets = retargets_of(diff, c_text)  # the one reading of changed numbers (align.targets)
    if any(r.target for r in retargets):
        kinds.append(Kind.retargeted)
    if ed.typo:
        kinds.append(Kind.typo)
    if ed.reword:
        kinds.append(Kind.reworded)
    if not kinds:
        kinds.append(Kind.reworded)
    return Result(copied=False, kinds=kinds, diff=diff, retargets=retargets)


@dataclass
class _Edits:
    """What the changed regions of the masked keys add up to (weights of the words deleted and inserted, net
    of the replaced ones; long runs; one-word typos; rewordings; softening verbs put in place)."""

    del_w: float = 0.0
    ins_w: float = 0.0
    long_del: bool = False
    long_ins: bool = False
    typo: bool = False
    reword: bool = False
    soft_ins: int = 0


def _tally(regions: list[tuple[list[str], list[str]]], weight: Callable[[str], float]) -> _Edits:
    """The changed regions (deleted words, inserted words) tallied, numbers left out (targets are read apart)."""
    ed = _Edits()
    for d, i in regions:
        d2 = [w for w in d if not _NUM.search(w)]
        i2 = [w for w in i if not _NUM.search(w)]
        if len(d2) == 1 and len(i2) == 1 and ratio(d2[0], i2[0]) >= 60:
            ed.typo = True
            continue
        s = count_phrases(" ".join(i2), SOFT)
        # proposing/coordinating put in place of (or before) the action; not a verb inside a sentence added whole
        if len(i2) <= INLINE + 2 or len(i2) <= 2 * len(d2):
            ed.soft_ins += s
        dw = sum(map(weight, d2))
        iw = sum(map(weight, i2))
        if d2 and i2 and min(len(d2), len(i2)) >= 1 and not s:
            ed.reword = ed.reword or (len(d2) >= 1 and len(i2) >= 1)
        net_d, net_i = dw - min(dw, iw) * 0.5, iw - min(dw, iw) * 0.5
        ed.del_w += net_d
        ed.ins_w += net_i if not s else max(0.0, net_i - 2 * weight(i2[0]) if i2 else 0.0)
        if len(d2) >= LONG_RUN and len(d2) >= 2 * len(i2):
            ed.long_del = True
        if len(i2) >= LONG_RUN and len(i2) >= 2 * len(d2) and not s:
            ed.long_ins = True
    return ed


def _softened(a: list[str], b: list[str]) -> bool:
    """The child's opening has more softening verbs, or drops the parent's strong verb for none."""
    soft_more = count_phrases(" ".join(b[:HEAD + 2]), SOFT) > count_phrases(" ".join(a[:HEAD + 2]), SOFT)
    head_p, head_c = " ".join(a[:HEAD]), " ".join(b[:HEAD])
    strong_dropped = count_phrases(head_p, STRONG) > 0 and count_phrases(head_c, STRONG) == 0 and count_phrases(head_c, SOFT) == 0 and head_p != head_c
    return soft_more or strong_dropped


def _jur_changed(diff: list[DiffOp]) -> bool:
    """Jurisdiction words swapped, dropped or added inline ('tỉnh' -> 'phường', 'của tỉnh'),
    not inside a whole sentence the child added or removed."""
    return any(d.op != "equal" and len(d.text.split()) <= INLINE + 1 and has_jurisdiction(d.text) for d in diff)
