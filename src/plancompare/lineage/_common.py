"""What the lineage modules share: the relations that make a parent, the national levels, the base model."""

from __future__ import annotations

from typing import Any, Iterable
from pydantic import BaseModel, ConfigDict
from ..models import Level


PARENT_RELATIONS = ("implements", "basis", "amends")
NATIONAL_LEVELS = (Level.central_party, Level.government, Level.ministry)
_REL_RANK = {"implements": 0, "basis": 1, "amends": 2, "manifest": 3, "mentions": 4}


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _csv(columns: Iterable[str], rows: list[dict[str, Any]]) -> str:
    from ..io import csv_text

    return csv_text(columns, rows)


