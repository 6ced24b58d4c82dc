"""Where a plan cites a document: the clause around each reference (``Reference.context``)."""

from __future__ import annotations

import re

from ..models import Reference
from ..normalize import clean_display, number_key
from .stages import Block

_NUM_IN_TEXT = re.compile(r"\d{1,4}\s*[-/]\s*[A-Za-zĐđ]+(?:\s*[-/]\s*[A-Za-zĐđ0-9]+)*")


def citing_clause(text: str, number: str | None) -> str:
    """The ';'-clause of a logical line that cites ``number`` (the line's start when it is not found)."""
    want = number_key(number) if number else None
    pos = -1
    if want:
        pos = next((m.start() for m in _NUM_IN_TEXT.finditer(text) if number_key(m.group(0)) == want), -1)
    if pos < 0:
        return text[:600]
    start = text.rfind(";", 0, pos) + 1
    end = text.find(";", pos)
    return text[start : end if end >= 0 else len(text)].strip()[:800]


def with_contexts(refs: list[Reference], blocks: list[Block]) -> list[Reference]:
    """The references with ``context`` set from the logical line (block) each one is on."""
    out = []
    for r in refs:
        block = next((b for b in blocks if r.line is not None and b.line <= r.line <= b.end), None)
        text = clean_display(block.text) if block is not None else ""
        out.append(r.model_copy(update={"context": citing_clause(text, r.number) if text else None}))
    return out
