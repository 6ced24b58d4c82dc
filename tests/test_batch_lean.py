"""The batch's lean comparison (``compare(..., related=False)``, what its workers run): the pair rows
and summary rows are those of the full Comparison; the lean one lacks only the related counterparts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plancompare import compare, parse_file
from plancompare.align import PreparedParent
from plancompare.synth.national import generate, load_truth

pytest.importorskip("pyarrow")  # plancompare.scale.aligning's table schemas
from plancompare.scale.aligning import comparison_rows  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
PAIRS = [
    (RAW / "dak-lak_146-KH-UBND_2025-06-25.txt", RAW / "dak-lak_tan-lap_KH-UBND_2025.txt"),
    (RAW / "central_03-NQ-CP_2025-01-09.md", ROOT / "tests" / "pairs" / "03_web_scrape" / "child.txt"),
    (RAW / "dak-lak_146-KH-UBND_2025-06-25.txt", ROOT / "tests" / "pairs" / "146_hard_web_scrape" / "child.txt"),
]


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> list[tuple[Path, Path]]:
    d = tmp_path_factory.mktemp("lean") / "corpus"
    generate(d, provinces=1, communes=4, seed=2, workers=1)
    plans, _ = load_truth(d)
    return [(d / p["parent_file"], d / p["file"]) for p in plans if p.get("parent_file")]


def _without_related(cmp_json: str) -> dict:
    """The comparison with what the lean path leaves out blanked: related counterparts (and the
    confidence a dropped or added task takes from one), the summary's related counts."""
    d = json.loads(cmp_json)
    for p in d["pairs"]:
        if p["parent"] is None or p["child"] is None:
            p["related"], p["confidence"] = None, 0.0
    d["summary"]["related"] = d["summary"]["related_child"] = 0
    return d


def _check(pairs: list[tuple[Path, Path]]) -> int:
    related = 0
    for a, b in pairs:
        parent, child = parse_file(a), parse_file(b)
        full = compare(parent, child)
        lean = compare(parent, child, prepared=PreparedParent(parent), related=False)
        pinfo, cinfo = {"doc": "P", "file": a.name}, {"doc": "C", "file": b.name}
        assert comparison_rows(lean, pinfo, cinfo) == comparison_rows(full, pinfo, cinfo), (a.name, b.name)
        assert _without_related(lean.to_json()) == _without_related(full.to_json())
        assert all(p.related is None for p in lean.pairs)
        related += sum(p.related is not None for p in full.pairs)
    return related


def test_lean_rows_equal_the_full_comparisons_rows_on_real_and_hard_pairs():
    assert _check(PAIRS) > 0  # the pairs have related counterparts: the lean path left something out


def test_lean_rows_equal_the_full_comparisons_rows_on_national_plans(national):
    assert len(national) >= 4
    _check(national)
