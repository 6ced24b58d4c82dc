"""Intermediate values passed between the parsing stages.

Each stage is a pure function from one of these to the next; each value can
be dumped as JSON (``plancompare parse FILE --stage NAME``) to see what the
stage made of the input.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..models import Problem


class StageModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RawInput(StageModel):
    """Stage 'read': the file's bytes, or the text a document reader extracted."""

    name: str
    suffix: str
    size: int
    sha256: str
    data: bytes = Field(exclude=True, repr=False)
    text: str | None = Field(None, description="Set by the .docx/.pdf/.html readers, which produce text directly.")
    layout: str | None = None


class Line(StageModel):
    no: int = Field(description="1-based raw line number of the first physical line.")
    end: int = Field(description="Last raw line joined into this logical line.")
    text: str


class Decoded(StageModel):
    """Stage 'decode': text as Unicode (NFC), one entry per raw line."""

    encoding: str
    layout: str | None = None
    lines: list[Line]
    problems: list[Problem] = Field(default_factory=list)


class Cleaned(StageModel):
    """Stage 'clean': logical lines (wrapped lines rejoined), junk removed."""

    layout: str
    encoding: str
    lines: list[Line]
    problems: list[Problem] = Field(default_factory=list)


BlockKind = Literal["heading", "item", "para", "row", "caption", "meta", "signature", "blank"]


class Block(StageModel):
    """Stage 'segment': one logical line classified."""

    kind: BlockKind
    marker: str | None = Field(None, description="roman, arabic, decimal, letter, paren, dash, plus, article, markdown, bold")
    label: str | None = None
    depth: int | None = Field(None, description="Decimal depth (1.1 -> 2) or markdown heading level.")
    text: str
    line: int
    end: int
    cells: list[str] | None = Field(None, description="Table cells for kind == 'row'.")
    table: str | None = Field(None, description="Table syntax: tsv, pipe, cell.")
    bold: bool = False


class Segmented(StageModel):
    layout: str
    encoding: str
    blocks: list[Block]
    problems: list[Problem] = Field(default_factory=list)
