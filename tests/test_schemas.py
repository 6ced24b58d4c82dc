"""Checked-in JSON Schemas match the models; outputs validate against them."""

from __future__ import annotations

import json

import jsonschema
import pytest

from plancompare import schemas
from _corpus import ROOT

ALL = schemas.all_schemas()


@pytest.mark.parametrize("name", sorted(ALL))
def test_schema_files_are_in_sync(name):
    f = ROOT / "schemas" / name
    assert f.exists(), f"schemas/{name} missing: run `python -m plancompare.regen`"
    assert f.read_text(encoding="utf-8") == schemas.dump(ALL[name]), f"schemas/{name} is stale: run `python -m plancompare.regen`"


def test_every_checked_in_schema_is_generated():
    """A schema file that no model produces any more (or whose module the generator skips) is stale, not current."""
    assert sorted(p.name for p in (ROOT / "schemas").glob("*.schema.json")) == sorted(ALL)


def test_outputs_validate(parsed):
    from plancompare.align import compare

    jsonschema.validate(json.loads(parsed("146").model_dump_json()), ALL["parsed_document.schema.json"])
    cmp = compare(parsed("146"), parsed("tanlap"))
    jsonschema.validate(json.loads(cmp.to_json()), ALL["comparison.schema.json"])
