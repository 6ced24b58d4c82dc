"""Is a parent task carried into the child plan? The one place that says so.

A parent task is *carried* when at least one of its links has a carrying status:
``copied`` or ``changed``. Every other status a link can have — ``dropped``
today, and any weaker status added later (a ``related`` link of low confidence)
— leaves the task **not carried**: the gate (:mod:`plancompare.gate`), the gap
lists (:mod:`plancompare.views.gaps`) and the report treat it as left out.

:func:`parent_outcomes` groups a comparison's pairs by parent task (in parent
order) and gives each parent task one status: the status of its links when none
carries it (``dropped``, or the weak status), else ``changed`` when any link
is changed, else ``copied``.
"""

from __future__ import annotations

from typing import Iterable, NamedTuple

from .models import Comparison, Pair, Status

CARRYING: frozenset[str] = frozenset({Status.copied.value, Status.changed.value})


def is_carried_status(status: Status | str) -> bool:
    """True for the statuses that carry a parent task (copied, changed)."""
    return (status.value if isinstance(status, Status) else str(status)) in CARRYING


def is_carried(pairs: Iterable[Pair]) -> bool:
    """True when any of a parent task's links carries it."""
    return any(is_carried_status(p.status) for p in pairs)


class ParentOutcome(NamedTuple):
    """One parent task: its id, its links, its status and whether it is carried."""

    parent_id: str
    pairs: list[Pair]
    status: Status
    carried: bool


def outcome_of(pairs: list[Pair]) -> Status:
    """The one status of a parent task, from its links."""
    if not is_carried(pairs):
        return next((p.status for p in pairs if p.status != Status.dropped), Status.dropped)
    if any(p.status == Status.changed for p in pairs):
        return Status.changed
    return Status.copied


def parent_outcomes(comparison: Comparison | Iterable[Pair]) -> list[ParentOutcome]:
    """Every parent task of the comparison, in parent order, with its status."""
    pairs = comparison.pairs if isinstance(comparison, Comparison) else list(comparison)
    order: list[str] = []
    by_parent: dict[str, list[Pair]] = {}
    for p in pairs:
        if p.parent is None:
            continue
        if p.parent.id not in by_parent:
            order.append(p.parent.id)
        by_parent.setdefault(p.parent.id, []).append(p)
    out = []
    for pid in order:
        prs = by_parent[pid]
        out.append(ParentOutcome(pid, prs, outcome_of(prs), is_carried(prs)))
    return out


__all__ = ["CARRYING", "is_carried_status", "is_carried", "outcome_of", "parent_outcomes", "ParentOutcome"]
