"""The lineage commands' settings: one frozen model, recorded in every lineage result."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ..models import TaskScope


class LineageSettings(BaseModel):
    """Thresholds of the corpus-level questions (chain, trace, attribution, dropped, siblings, indicators);
    the CLI takes its defaults from :data:`DEFAULT`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    scope: TaskScope = Field(TaskScope.auto, description="Which tasks the comparisons take (see TaskScope).")
    near: float = Field(0.9, ge=0.0, le=1.0, description="siblings: similarity above which tasks of two plans count as near-identical.")
    min_score: float = Field(80.0, ge=0.0, le=100.0, description="indicators, siblings: indicator name match threshold (rapidfuzz token_set_ratio).")
    min_overlap: float = Field(0.5, ge=0.0, le=1.0, description="indicators: weighted word overlap two indicator names must share.")
    margin: float = Field(0.05, ge=0.0, le=1.0, description="attribution: confidence margin by which one parent must beat the others to be named the source of a task.")


DEFAULT = LineageSettings()
