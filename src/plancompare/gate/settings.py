"""The gate's own settings (apart from the rules a ``plancheck.yaml`` configures): one frozen model,
recorded in every :class:`~plancompare.gate.CheckResult`; the CLI takes its defaults from :data:`DEFAULT`."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class CheckSettings(BaseModel):
    """Cut-offs of ``plancompare check`` that are not rules."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    baseline_days: int = Field(90, ge=1, description="--write-config: days until the waivers of a baseline expire (when --expires is not given).")
    message_words: int = Field(60, ge=1, description="Length of the start of a parent task's text quoted in messages and JUnit test-case names.")


DEFAULT = CheckSettings()
