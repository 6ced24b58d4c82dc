"""Which edits a draft makes, and how often: :class:`EditMix` and the names of the edits.

The edits themselves (what each does to a task's text) are in :mod:`.edits`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

__all__ = ["OPS", "KIND_ORDER", "SECOND_OPS", "APPLY_ORDER", "KIND_OF", "EditMix"]

#: per-task edit operations (``add`` and ``reorder`` act on the whole draft)
OPS = ("copy", "localize", "reformat", "drop", "soften", "narrow", "extend", "retarget", "reword", "typo", "merge", "split")
#: order in which kinds are listed in the truth
KIND_ORDER = ("softened", "narrowed", "extended", "retargeted", "reworded", "merged", "split", "localized", "typo")
#: edits that may be added, as a second edit, to a changed task
SECOND_OPS = ("localize", "soften", "narrow", "reword", "retarget", "extend")
#: order in which the text edits of one task are applied (extend last)
APPLY_ORDER = ("narrow", "retarget", "reword", "typo", "localize", "soften", "extend")
#: the truth's kind for each edit
KIND_OF = {"localize": "localized", "soften": "softened", "narrow": "narrowed", "extend": "extended", "retarget": "retargeted",
           "reword": "reworded", "typo": "typo", "merge": "merged", "split": "split"}

@dataclass(frozen=True)
class EditMix:
    """Relative weights of the per-task edits, plus draft-wide settings.

    Each parent task gets one primary edit drawn with these weights among the
    edits applicable to it (``split`` needs two sentences, ``retarget`` a number,
    ``localize`` a jurisdiction word, ...). A changed task gets a second edit
    with probability ``combine`` (giving kinds such as ``[softened, localized]``).
    ``add`` new child tasks are inserted; ``reorder`` is the probability that a
    section's tasks are shuffled and that a task moves to another section.
    ``ensure_all`` forces at least one occurrence of every edit with a non-zero
    weight when some parent task allows it. ``intensity`` scales how much one
    edit changes (words swapped by ``reword``, units removed by ``narrow``,
    sentences appended by ``extend``); :meth:`hard` is a preset."""

    copy: float = 0.22
    localize: float = 0.10
    reformat: float = 0.08
    drop: float = 0.08
    soften: float = 0.11
    narrow: float = 0.08
    extend: float = 0.06
    retarget: float = 0.05
    reword: float = 0.08
    typo: float = 0.02
    merge: float = 0.05
    split: float = 0.05
    combine: float = 0.25
    add: int = 3
    reorder: float = 0.3
    ensure_all: bool = True
    intensity: float = 1.0

    @classmethod
    def hard(cls) -> "EditMix":
        """Fewer verbatim copies, more combined edits, heavier rewording and narrowing."""
        return cls(copy=0.08, localize=0.08, reformat=0.04, drop=0.10, soften=0.14, narrow=0.14, extend=0.08, retarget=0.05,
                   reword=0.14, typo=0.03, merge=0.06, split=0.06, combine=0.6, add=6, reorder=0.6, intensity=2.5)

    def weights(self) -> dict[str, float]:
        return {op: float(getattr(self, op)) for op in OPS}

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def parse(cls, spec: str) -> "EditMix":
        """``'drop=0.2,add=5,reorder=0'`` -> an EditMix (unnamed fields keep their defaults)."""
        kw: dict[str, Any] = {}
        names = {f.name: f.type for f in fields(cls)}
        for part in filter(None, (p.strip() for p in spec.split(","))):
            name, _, value = part.partition("=")
            name = name.strip()
            if name not in names:
                raise ValueError(f"unknown edit {name!r}; one of {', '.join(names)}")
            if name == "add":
                kw[name] = int(value)
            elif name == "ensure_all":
                kw[name] = value.strip().lower() in ("1", "true", "yes", "on")
            else:
                kw[name] = float(value)
        return cls(**kw)

    @classmethod
    def only(cls, *ops: str, add: int = 0, reorder: float = 0.0) -> "EditMix":
        """A mix that applies only the named edits (equal weights), e.g. ``EditMix.only('soften')``."""
        for op in ops:
            if op not in OPS:
                raise ValueError(f"unknown edit {op!r}")
        kw: dict[str, Any] = {op: (1.0 if op in ops else 0.0) for op in OPS}
        return cls(**kw, combine=0.0, add=add, reorder=reorder, ensure_all=False)

