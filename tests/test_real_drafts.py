"""Drafts of the real documents with known truth (benchmarks/real_drafts.py): every real plan of
../shared/realdocs drafted once with the default edit mix, read back and compared with it.

A draft writes a real plan's fields, specification dashes, '+' lines and paragraphs again in another
layout; the links found must be the draft's own. Without ../shared/realdocs these tests skip."""

from __future__ import annotations

import sys

import pytest

from _corpus import ROOT, SHARED

DOCS = SHARED / "realdocs"
pytestmark = pytest.mark.skipif(not (DOCS / "counts.json").exists(), reason="../shared/realdocs is not beside this checkout (real documents are not kept in the repository)")
sys.path.insert(0, str(ROOT / "benchmarks"))


@pytest.mark.parametrize("layout", ["markdown", "pdf_text"])
def test_drafts_of_real_plans_link_their_own_tasks(layout):
    import _score
    from real_drafts import drafts_of, score_draft

    total: dict = {}
    plans = 0
    for path in sorted(DOCS.glob("*.md")):
        if path.name == "README.md":
            continue
        parent, drafts = drafts_of(path, [1], [layout], 4)
        plans += bool(drafts)
        for _seed, _layout, truth, text, suffix in drafts:
            _score.add_detail(total, score_draft(parent, truth, text, suffix))
    links = total["links"]
    assert plans >= 15
    assert links["tp"] >= 0.97 * links["pred"], links  # precision
    assert links["tp"] >= 0.97 * links["gold"], links  # recall
