"""How a task of a top document survives down the cascade: one step per edge of the graph.

:func:`carry` is the one definition, used by :func:`~plancompare.lineage.dropped_from_top`
(every parent edge of a plan, over the corpus's comparisons) and by the national batch's
``survival`` table (the primary parent edge, over the pairs of its part files). What a plan
carries of a top task is the set of its tasks linked to the tasks of its parent that carried
it; the task is ``copied`` while every step copied it, ``changed`` once a step did not,
``dropped`` by the plan whose parent carried it and which has no linked task, and
``not_received`` below that.
"""

from __future__ import annotations

from typing import Literal, Mapping, NamedTuple, Sequence

#: one link of a parent task to a child task: (child task id, pair status, pair score)
Link = tuple[str, str, "float | None"]


class Carried(NamedTuple):
    """What a plan carries of one top task."""

    tasks: tuple[str, ...]  # the plan's task ids that carry it, in link order (empty: not carried)
    status: Literal["copied", "changed", "dropped", "not_received"]
    score: float | None = None  # the best score of the links that carry it into this plan


def top(task_id: str) -> Carried:
    """A top document carries its own task, as is."""
    return Carried((task_id,), "copied")


def carry(above: Carried, links: Mapping[str, Sequence[Link]]) -> Carried:
    """One step down an edge: what the child carries of what its parent carried (``links``: the
    comparison's links by parent task id)."""
    if not above.tasks:
        return Carried((), "not_received")
    got: list[str] = []
    changed = above.status == "changed"
    best: float | None = None
    for x in sorted(above.tasks):
        for child_task, status, score in links.get(x, ()):
            got.append(child_task)
            changed = changed or status != "copied"
            if score is not None:
                best = score if best is None else max(best, score)
    if not got:
        return Carried((), "dropped")
    return Carried(tuple(dict.fromkeys(got)), "changed" if changed else "copied", best)


__all__ = ["Carried", "Link", "carry", "top"]
