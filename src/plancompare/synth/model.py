"""The draft as data: a :class:`ChildPlan` (every decision, before rendering) and a rendered :class:`Draft`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .mix import EditMix
from .truth import truth_pairs

__all__ = ["VN_LETTERS", "ChildTask", "ChildSection", "ChildPlan", "Draft", "label_tasks"]

#: task labels of the letter style, in the Vietnamese alphabet's order (a section has at most this many)
VN_LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()


@dataclass
class ChildTask:
    """One task of the child draft."""

    text: str
    origin: list[int] = field(default_factory=list)  # indexes into the parent's body tasks
    kinds: list[str] = field(default_factory=list)
    status: str = "copied"  # copied | changed | added
    ops: list[str] = field(default_factory=list)
    rewrap: bool = False
    label: str = ""
    key: str = ""


@dataclass
class ChildSection:
    title: str
    tasks: list[ChildTask] = field(default_factory=list)
    number: int = 0


@dataclass
class ChildPlan:
    """A draft before rendering: header facts, objectives, task sections, organisation."""

    seed: int
    style: str
    place: str
    number: str
    date: dt.date
    signer: str
    roman_sep: str
    parent_ref: str  # 'Kế hoạch số 146/KH-UBND ngày 25/6/2025 của UBND tỉnh Đắk Lắk'
    subject: str
    objectives: list[str]
    specific: str
    sections: list[ChildSection]
    funding: list[str]
    organisation: list[tuple[str, list[str]]]
    parent_keys: list[str]  # truth key of each parent body task
    parent_labels: list[str | None]
    dropped: list[int]
    edits: EditMix
    notes: list[str] = field(default_factory=list)

    def tasks(self) -> list[ChildTask]:
        return [t for s in self.sections for t in s.tasks]

    def relabel(self) -> None:
        """Renumber the sections and relabel their tasks after tasks were added, dropped or moved."""
        label_tasks(self.sections, self.style)

    def truth_pairs(self) -> list[dict[str, Any]]:
        """Truth entries in the gold format, in parent order, added tasks last."""
        return truth_pairs(self)


def label_tasks(sections: list[ChildSection], style: str) -> None:
    """Number ``sections`` 1, 2, ... and label their tasks in ``style``: a), b)... / 1.1, 1.2... / '-'."""
    for si, sec in enumerate(sections, 1):
        sec.number = si
        for ti, c in enumerate(sec.tasks, 1):
            c.label = VN_LETTERS[ti - 1] if style == "letter" else (f"{si}.{ti}" if style == "decimal" else "-")


@dataclass
class Draft:
    """A rendered synthetic child plan and its truth (gold-format dict)."""

    text: str
    truth: dict[str, Any]
    layout: str
    seed: int
    plan: ChildPlan = field(repr=False)

    @property
    def suffix(self) -> str:
        return ".md" if self.layout in ("markdown", "site_markdown") else ".txt"

    @property
    def child_task_count(self) -> int:
        return len({p["child"] for p in self.truth["pairs"] if p.get("child")})

    def truth_yaml(self) -> str:
        import yaml

        return yaml.safe_dump(self.truth, allow_unicode=True, sort_keys=False, width=1000)
