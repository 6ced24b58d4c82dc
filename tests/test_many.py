"""Many comparisons in one process: a prepared parent and compare_many give what compare gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from plancompare.align import PreparedParent, compare, compare_many
from plancompare.parse import parse_file

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
PAIRS = [("dak-lak_146-KH-UBND_2025-06-25.txt", "dak-lak_tan-lap_KH-UBND_2025.txt"),
         ("central_03-NQ-CP_2025-01-09.md", "thai-nguyen_25-KH-UBND_2025-01-24.txt"),  # body and appendix groups
         ("central_03-NQ-CP_2025-01-09.md", "dak-lak_146-KH-UBND_2025-06-25.txt")]


@pytest.fixture(scope="module")
def docs():
    return {n: parse_file(RAW / n) for pair in PAIRS for n in pair}


@pytest.mark.parametrize("kw", [{}, {"scope": "all"}, {"scope": "body"}, {"other_records": True}])
def test_prepared_parent_gives_identical_results(docs, kw):
    preps = {}
    for p, c in PAIRS:
        pp = preps.setdefault(p, PreparedParent(docs[p]))
        plain = compare(docs[p], docs[c], **kw).to_json()
        assert compare(docs[p], docs[c], prepared=pp, **kw).to_json() == plain
        assert compare(docs[p], docs[c], prepared=pp, **kw).to_json() == plain  # reused: nothing leaks between comparisons


def test_compare_many_takes_paths_and_documents_in_order(docs):
    got = list(compare_many([(RAW / p, RAW / c) for p, c in PAIRS] + [(docs[p], docs[c]) for p, c in PAIRS], cache_size=2))
    want = [compare(docs[p], docs[c]).to_json() for p, c in PAIRS]
    assert [g.to_json() for g in got] == want + want


def test_a_preparation_belongs_to_its_parent(docs):
    p, c = PAIRS[0]
    with pytest.raises(ValueError, match="another parent"):
        compare(docs[p], docs[c], prepared=PreparedParent(docs[c]))


def test_a_prepared_parent_keeps_its_stock_clauses_for_exactly_its_tasks(docs):
    from plancompare.align.core import _kept_stock, _stock_clauses, stock_masks

    p = docs["central_03-NQ-CP_2025-01-09.md"]  # a plan with stock clauses (a closing formula in several tasks)
    body = [t for t in p.tasks if t.source == "body"]
    _vocab, ps = PreparedParent(p).tokens(body)
    assert any(m is not None for m in stock_masks(ps))  # the plan has stock clauses: the test shows something
    assert _kept_stock(ps) == stock_masks(ps) == _stock_clauses(ps)  # kept, and equal to computing them
    assert _kept_stock(ps[1:]) is None and _kept_stock(ps[::-1]) is None  # another list of tasks: computed
