"""Parsed documents as ``plancompare parse`` shows them: one JSON document for one file, JSON
lines (one document per line) for several, YAML documents separated by ``---``."""

from __future__ import annotations

import json
from typing import ClassVar

from ..models import ParsedDocument


class ParsedDocuments:
    """The documents one ``parse`` run read, in the order given."""

    FORMATS: ClassVar[tuple[str, ...]] = ("table", "json", "yaml")  # the CLI's --format values (cli/output.py)

    def __init__(self, documents: list[ParsedDocument]) -> None:
        self.documents = documents

    def to_json(self) -> str:
        if len(self.documents) == 1:
            return self.documents[0].model_dump_json(indent=2)
        return "\n".join(d.model_dump_json() for d in self.documents)

    def to_yaml(self) -> str:
        import yaml

        return "---\n".join(yaml.safe_dump(json.loads(d.model_dump_json()), allow_unicode=True, sort_keys=False) for d in self.documents)


__all__ = ["ParsedDocuments"]
