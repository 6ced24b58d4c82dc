"""What the store knows of one document without its tasks: a :class:`DocHeader`, and the order documents are listed in.

A header is what the lineage resolver (:func:`plancompare.lineage.resolve`) reads: the
document's identity (after the manifest), its task and indicator counts, every numbered
reference with the sentence citing it, and what the manifest adds (parents, references to
ignore). The corpus builds them from its parsed documents, the national batch from the
headers its workers write, the gate from a corpus folder or a list of numbers.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from ..models import DocumentInfo, Level, ParsedDocument, Reference

if TYPE_CHECKING:
    from .corpus import Citation, ManifestDocument

#: the cascade, top first: a parent sits above its child
LEVEL_RANK = {
    Level.central_party: 0,
    Level.government: 1,
    Level.ministry: 2,
    Level.provincial_party: 3,
    Level.provincial_government: 4,
    Level.commune: 5,
}

#: the national levels (above every province), and the provincial ones
NATIONAL_LEVELS = (Level.central_party, Level.government, Level.ministry)
PROVINCIAL_LEVELS = (Level.provincial_party, Level.provincial_government)


def level_rank(level: Level | str | None) -> int | None:
    """The level's place in the cascade (0 at the top), None when unknown."""
    return LEVEL_RANK.get(level) if level is not None else None  # type: ignore[call-overload]


def document_order(info: DocumentInfo, did: str) -> tuple:
    """How documents are listed everywhere: by level (top first), date, label, id."""
    return (LEVEL_RANK.get(info.level, 9), info.issue_date or dt.date.max, info.label, did)


class DocHeader(BaseModel):
    """One document as the lineage resolver reads it."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Short content hash (12 hex digits).")
    file: str | None = Field(None, description="Path relative to the corpus folder.")
    document: DocumentInfo = Field(description="Identity, after the manifest's corrections.")
    tasks: int = 0
    indicators: int = 0
    references: list[Reference] = Field(default_factory=list, description="The references, each with the sentence citing it in ``context``.")
    parents: list[str] = Field(default_factory=list, description="Parents the manifest adds (numbers or file names).")
    ignore_references: list[str] = Field(default_factory=list, description="Cited numbers the manifest says to ignore.")

    @property
    def label(self) -> str:
        return self.document.label

    @property
    def order(self) -> tuple:
        return document_order(self.document, self.id)

    @classmethod
    def of(cls, did: str, doc: ParsedDocument, file: str | None = None, citations: "list[Citation] | None" = None,
           manifest: "ManifestDocument | None" = None) -> "DocHeader":
        """The header of a parsed document; ``citations`` (one per reference, as the corpus index
        keeps them) give the citing sentences where the parser did not."""
        refs = []
        for i, r in enumerate(doc.references):
            ctx = citations[i].context if citations is not None and i < len(citations) else (r.context if r.context is not None else (r.title or ""))
            refs.append(r if r.context == ctx else r.model_copy(update={"context": ctx}))
        return cls(id=did, file=file or doc.document.source_file, document=doc.document, tasks=len(doc.tasks), indicators=len(doc.all_indicators()), references=refs,
                   parents=list(manifest.parents) if manifest else [], ignore_references=list(manifest.ignore_references) if manifest else [])

    @classmethod
    def of_number(cls, number: str) -> "DocHeader":
        """A document known only by its number (level, date and issuer unknown)."""
        import hashlib

        return cls(id=hashlib.sha256(number.encode()).hexdigest()[:12], document=DocumentInfo(number=number))


__all__ = ["DocHeader", "LEVEL_RANK", "NATIONAL_LEVELS", "PROVINCIAL_LEVELS", "document_order", "level_rank"]
