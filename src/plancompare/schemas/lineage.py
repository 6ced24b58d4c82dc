"""JSON Schemas of the corpus and lineage result models.

``write_schemas()`` returns ``{file name: schema}``; :mod:`plancompare.schemas`
collects it with the other schemas (``python -m plancompare.schemas`` writes
them all). ``python -m plancompare.schemas.lineage [folder]`` writes only
these, in the same form, into ``schemas/``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any


def write_schemas(folder: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """The schemas of the corpus and lineage models, by file name; also written to ``folder`` if given."""
    from ..store import CorpusIndex, Manifest, ScanReport
    from ..lineage import Attribution, ChainResult, IndicatorTable, LineageGraph, SiblingsResult, TopDrops, TraceResult

    models = {
        "corpus_index.schema.json": CorpusIndex,
        "corpus_manifest.schema.json": Manifest,
        "corpus_scan.schema.json": ScanReport,
        "lineage_graph.schema.json": LineageGraph,
        "lineage_chain.schema.json": ChainResult,
        "lineage_trace.schema.json": TraceResult,
        "lineage_attribution.schema.json": Attribution,
        "lineage_dropped.schema.json": TopDrops,
        "lineage_siblings.schema.json": SiblingsResult,
        "lineage_indicators.schema.json": IndicatorTable,
    }
    out: dict[str, dict[str, Any]] = {}
    for name, model in models.items():
        schema = model.model_json_schema(mode="validation" if model is Manifest else "serialization")
        schema.setdefault("$schema", "https://json-schema.org/draft/2020-12/schema")
        schema.setdefault("$id", f"plancompare/{name}")
        out[name] = schema
    if folder is not None:
        from ..io import atomic_write
        from . import dump

        for name, schema in out.items():
            atomic_write(Path(folder) / name, dump(schema))
    return out


if __name__ == "__main__":  # pragma: no cover
    target = sys.argv[1] if len(sys.argv) > 1 else "schemas"
    for name in write_schemas(target):
        print(Path(target) / name)
