"""The aligner's settings: one frozen model, recorded in every :class:`Comparison`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

from ..modelbase import base

if TYPE_CHECKING:
    from pydantic import BaseModel, ConfigDict, Field
else:  # pydantic's, or the light base in the fast diff's process (see plancompare.modelbase)
    BaseModel, ConfigDict, Field, _ = base()


class AlignSettings(BaseModel):
    """Thresholds of the alignment (``compare(..., settings=...)`` takes this model or a dict of overrides)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    link_threshold: float = Field(0.5, ge=0.0, le=1.0, description="Decision threshold: a pair whose confidence (the calibrated probability that the child task derives from the parent task) reaches it can be linked (copied/changed).")
    related_threshold: float = Field(0.2, ge=0.0, le=1.0, description="Below link_threshold and at least this: the pair is shown as `related` on the dropped/added row; the parent task counts as dropped.")
    candidates_per_task: int = Field(6, ge=1, description="K: counterparts of each task taken from the inverted index of rare word pairs.")
    part_coverage: float = Field(0.25, description="Share of a task's unexplained words another task must explain for a merge/split link.")
    split_coverage: float = Field(0.5, description="Share of an unlinked task a residual match must cover to join a merge/split.")
    merge_trials_per_task: int = Field(2, ge=1, description="Merge/split trials of the lazy greedy step: each task keeps its this many strongest related pairs (by confidence) and a pair is tried only when both its tasks keep it, so that the work per task is bounded however many partial counterparts a task has.")
    min_weight: float = Field(3.0, description="Minimum shared weight of a merge/split link (about two distinctive words).")
    min_run: int = Field(2, description="Shortest run of words that counts as shared.")
    second_pass_run: int = Field(3, description="Shortest run for moved text (second pass of the word alignment).")
    phrase_run: int = Field(4, description="A shared run this long counts as one shared phrase (a feature of the confidence).")
    exact_component: int = Field(64, description="Connected components of the candidate graph up to this many tasks per side are assigned by the built-in exact method; larger ones by scipy's sparse assignment.")

    def items(self) -> Iterator[tuple[str, Any]]:
        """(name, value) pairs, like a dict (for views that list the settings)."""
        return iter(self.model_dump().items())

    @classmethod
    def of(cls, settings: "AlignSettings | dict[str, Any] | None") -> "AlignSettings":
        if settings is None:
            return cls()
        if isinstance(settings, AlignSettings):
            return settings
        return cls(**settings)


DEFAULT = AlignSettings()
