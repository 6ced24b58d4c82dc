"""What the lineage modules share: the relations that make a parent, the national levels, the base model, near-duplicate grouping."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Hashable, Iterable, Sequence, TypeVar
from pydantic import BaseModel, ConfigDict
from ..store import NATIONAL_LEVELS  # noqa: F401  (re-exported: plancompare.lineage.NATIONAL_LEVELS)


PARENT_RELATIONS = ("implements", "basis", "amends")
_REL_RANK = {"implements": 0, "basis": 1, "amends": 2, "manifest": 3, "mentions": 4}


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _csv(columns: Iterable[str], rows: list[dict[str, Any]]) -> str:
    from ..io import csv_text

    return csv_text(columns, rows)




H = TypeVar("H", bound=Hashable)


def connected_groups(items: Sequence[H], links: Iterable[tuple[H, H]]) -> list[list[H]]:
    """The items grouped by the links between them (union-find: linked items, and items linked to
    them, share a group); each group in the items' order, the groups in the order of their first
    item. The one near-duplicate grouping: of sibling tasks (:func:`~plancompare.lineage.siblings`)
    and of the national survey's added tasks (:func:`plancompare.scale.survey.near_duplicate_groups`)."""
    pos = {x: i for i, x in enumerate(items)}
    root = list(range(len(items)))

    def find(i: int) -> int:
        while root[i] != i:
            root[i] = root[root[i]]
            i = root[i]
        return i

    for a, b in links:
        ra, rb = find(pos[a]), find(pos[b])
        if ra != rb:
            root[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[H]] = defaultdict(list)
    for i, x in enumerate(items):
        groups[find(i)].append(x)
    return list(groups.values())
