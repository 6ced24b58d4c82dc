"""The child tasks that the chosen edits make of the parent's body tasks (before sections and labels).

Per parent task: its base text or texts (one; two for a ``split``; a ``merge`` joins two parents
first), the primary text edit, and on a changed task perhaps a second edit; then the kinds and the
status the truth records.
"""

from __future__ import annotations

import re
from random import Random

from ..models import Task
from .choice import EditChoice
from .edits import EDIT_FNS, reformat, split_points
from .mix import APPLY_ORDER, KIND_OF, KIND_ORDER, SECOND_OPS, EditMix
from .model import ChildTask
from .text import ensure_terminal, lcfirst, split_sentences
from .truth import truth_norm

__all__ = ["child_tasks"]

#: a base text and the structural edits that made it ('reformat', 'merge', 'split' or none)
Base = tuple[str, list[str]]


def child_tasks(choice: EditChoice, edits: EditMix, rng: Random) -> dict[int, list[ChildTask]]:
    """The child tasks made from each kept parent body task, by the parent's index."""
    placed: dict[int, list[ChildTask]] = {}
    for i, op in enumerate(choice.ops):
        if op == "drop" or op == "merge+":
            continue
        assert op is not None
        bases, origin, rewrap = _bases(choice, i, op, rng)
        for base, structural in bases:
            out, done = _edit(base, op, bool(structural and structural != ["reformat"]), edits, rng)
            c = _child(out, origin, structural + done, rewrap, choice.body)
            placed.setdefault(i, []).append(c)
    return placed


def _bases(choice: EditChoice, i: int, op: str, rng: Random) -> tuple[list[Base], list[int], bool]:
    """(base texts, origin, rewrap): what the primary edit starts from."""
    text = choice.body[i].text
    if op == "reformat":
        res = reformat(text, rng)
        text, rewrap = res if res else (text, False)
        return [(text, ["reformat"] if res else [])], [i], rewrap
    if op == "merge":
        j = choice.partner[i]
        other = choice.body[j].text
        if rng.random() < 0.5:
            text = ensure_terminal(text) + " " + ensure_terminal(other)
        else:
            text = re.sub(r"[.;:…]+\s*$", "", text) + "; đồng thời " + lcfirst(other)
        return [(text, ["merge"])], [i, j], False
    if op == "split":
        sents = split_sentences(text)
        k = rng.choice(split_points(text))
        return [(" ".join(sents[:k]), ["split"]), (" ".join(sents[k:]), ["split"])], [i], False
    return [(text, [])], [i], False


def _run_edits(text: str, todo: list[str], edits: EditMix, rng: Random) -> tuple[str, list[str]]:
    """Apply text edits in a fixed order (extend last, so no other edit touches the new
    sentence and narrowing never just removes it); keep those that change the text."""
    done: list[str] = []
    for o in sorted(todo, key=APPLY_ORDER.index):
        new = EDIT_FNS[o](text, rng, edits.intensity)
        if new is not None and truth_norm(new) != truth_norm(text):
            text = new
            done.append(o)
    return text, done


def _edit(base: str, op: str, structural: bool, edits: EditMix, rng: Random) -> tuple[str, list[str]]:
    """The primary text edit of ``base``, and on a changed task (with probability ``combine``) a second."""
    primary = [op] if op in EDIT_FNS else []
    out, done = _run_edits(base, primary, edits, rng)
    if primary and not done:
        out, done = base, []
    if (done or structural) and rng.random() < edits.combine:
        out, done = _second_edit(base, op, primary, (out, done), edits, rng)
    return out, done


def _second_edit(base: str, op: str, primary: list[str], first: tuple[str, list[str]], edits: EditMix, rng: Random) -> tuple[str, list[str]]:
    """The first candidate second edit that applies and keeps the primary one (a merged task is
    not narrowed: that could remove one parent's part entirely)."""
    weights = edits.weights()
    allowed2 = ("localize", "soften", "reword") if op == "merge" else SECOND_OPS
    cands = [o for o in allowed2 if o not in primary and weights.get(o, 0) > 0]
    rng.shuffle(cands)
    for o2 in cands:
        out2, done2 = _run_edits(base, primary + [o2], edits, rng)
        if o2 in done2 and all(o in done2 for o in first[1]):
            return out2, done2
    return first


def _child(text: str, origin: list[int], ops: list[str], rewrap: bool, body: list[Task]) -> ChildTask:
    c = ChildTask(text=ensure_terminal(text), origin=list(origin), ops=ops, rewrap=rewrap)
    kinds = {KIND_OF[o] for o in c.ops if o in KIND_OF}
    c.kinds = [k for k in KIND_ORDER if k in kinds]
    c.status = "changed" if any(k != "localized" for k in c.kinds) else "copied"
    if c.status == "changed":
        assert all(truth_norm(c.text) != truth_norm(body[o].text) for o in origin), (c.ops, c.text[:80])
    return c
