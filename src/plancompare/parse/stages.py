"""Intermediate values passed between the parsing stages.

Each stage is a pure function from one of these to the next; each value can
be dumped as JSON (``plancompare parse FILE --stage NAME``) to see what the
stage made of the input. They are plain dataclasses (not pydantic models): the
parser makes one per line of every plan, and they never cross a trust boundary.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from ..models import Problem


class _Dump:
    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            if f.metadata.get("exclude"):
                continue
            out[f.name] = _plain(getattr(self, f.name))
        return out

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)


def _plain(v: Any) -> Any:
    if isinstance(v, _Dump):
        return v.to_dict()
    if isinstance(v, Problem):
        return v.model_dump(mode="json")
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


@dataclass(slots=True)
class RawInput(_Dump):
    """Stage 'read': the file's bytes, or the text a document reader extracted."""

    name: str
    suffix: str
    size: int
    sha256: str
    data: bytes = field(repr=False, metadata={"exclude": True})
    text: str | None = None  # set by the .docx/.pdf/.html readers, which produce text directly
    layout: str | None = None
    problems: list[Problem] = field(default_factory=list)  # what reading noticed (OCR confidence, conversions)


@dataclass(slots=True)
class Line(_Dump):
    no: int  # 1-based raw line number of the first physical line
    end: int  # last raw line joined into this logical line
    text: str


@dataclass(slots=True)
class Decoded(_Dump):
    """Stage 'decode': text as Unicode (NFC), one entry per raw line."""

    encoding: str
    lines: list[Line]
    layout: str | None = None
    problems: list[Problem] = field(default_factory=list)


@dataclass(slots=True)
class Dropped(_Dump):
    """A raw line the cleaner removed, and why (``plancompare parse FILE --stage clean`` lists them)."""

    line: int
    text: str
    reason: str


@dataclass(slots=True)
class Cleaned(_Dump):
    """Stage 'clean': logical lines (wrapped lines rejoined), junk removed."""

    layout: str
    encoding: str
    lines: list[Line]
    problems: list[Problem] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)


BlockKind = Literal["heading", "item", "para", "row", "caption", "meta", "signature", "blank"]


@dataclass(slots=True)
class Block(_Dump):
    """Stage 'segment': one logical line classified."""

    kind: str  # BlockKind
    text: str
    line: int
    end: int
    marker: str | None = None  # roman, arabic, decimal, letter, paren, dash, plus, article, markdown, bold
    label: str | None = None
    depth: int | None = None  # decimal depth (1.1 -> 2) or markdown heading level
    cells: list[str] | None = None  # table cells for kind == 'row'
    table: str | None = None  # table syntax: tsv, pipe, cell
    bold: bool = False


@dataclass(slots=True)
class Segmented(_Dump):
    layout: str
    encoding: str
    blocks: list[Block]
    problems: list[Problem] = field(default_factory=list)
