"""JSON Schemas generated from the pydantic models.

Regenerate with ``python -m plancompare.schemas`` (writes ``schemas/``);
``tests/test_schemas.py`` fails when a checked-in schema is out of date.

The package owns the JSON Schemas of every result model; it may import every library package
(it only reads their models), never the CLI.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def all_schemas() -> dict[str, dict[str, Any]]:
    from ..align.models import Comparison
    from ..models import ParsedDocument

    out: dict[str, dict[str, Any]] = {
        "parsed_document.schema.json": ParsedDocument.model_json_schema(mode="serialization"),
        "comparison.schema.json": Comparison.model_json_schema(mode="serialization"),
    }
    from . import check, lineage

    for m in (lineage, check):
        out.update(m.write_schemas())
    for name, schema in out.items():
        schema.setdefault("$schema", "https://json-schema.org/draft/2020-12/schema")
        schema.setdefault("$id", f"plancompare/{name}")
    return out


def dump(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write(folder: str | Path = "schemas") -> list[Path]:
    from ..io import atomic_write

    paths = []
    for name, schema in all_schemas().items():
        paths.append(atomic_write(Path(folder) / name, dump(schema)))
    return paths
