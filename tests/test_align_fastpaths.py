"""Shortcuts of the aligner's preparation and of the batch worker give what the long way gives."""

from __future__ import annotations

import copy

from plancompare.align.core import candidates
from plancompare.align.text import Vocab, WordWeights, apply_idf, prepare
from plancompare.scale import batch

PARENT = [
    "Xây dựng, ban hành kế hoạch chuyển đổi số của tỉnh giai đoạn 2026-2030.",
    "Hoàn thành 100% hồ sơ công việc được xử lý trên môi trường mạng.",
    "Tổ chức tập huấn kỹ năng số cho cán bộ, công chức cấp xã.",
]
CHILD = [
    "Hoàn thành 100% hồ sơ công việc được xử lý trên môi trường mạng.",  # verbatim
    "Tổ chức tập huấn kỹ năng số cho cán bộ, công chức của phường.",
    "Phấn đấu 80% người dân có danh tính số, tài khoản định danh điện tử.",
    "Hoàn thành 100% hồ sơ công việc được xử lý trên môi trường mạng.",  # verbatim, twice
]


def _fields(ps):
    return [(p.idx, p.side, p.words, p.keys, p.toks, p.tok_word, p.key, p.text) for p in ps]


def test_a_verbatim_child_task_shares_the_parents_preparation_and_gets_the_same_tokens():
    v1, v2 = Vocab(), Vocab()
    ps1, ps2 = prepare(PARENT, "p", v1), prepare(PARENT, "p", v2)
    plain = prepare(CHILD, "c", v1)
    shared = prepare(CHILD, "c", v2, seen=ps2)
    assert _fields(shared) == _fields(plain)
    assert v2.ids == v1.ids
    assert shared[0].toks is ps2[1].toks and shared[3].toks is ps2[1].toks  # shared, not recomputed
    assert shared[1].toks is not ps2[2].toks  # a changed text is prepared on its own
    # the weights are set per comparison on each Prepared, not on the shared lists
    apply_idf(ps2 + shared)
    apply_idf(ps1 + plain)
    assert [p.weights for p in shared] == [p.weights for p in plain]


def test_word_weights_read_the_idf_of_the_word_and_one_outside_the_vocabulary():
    v = Vocab()
    ps = prepare(PARENT, "p", v)
    idf = apply_idf(ps)
    w = WordWeights(idf, v.ids).__getitem__
    for word, tok in v.ids.items():
        assert w(word) == idf[tok]
    assert w("không-có-trong-từ-điển") == 1.0
    assert w("không-có-trong-từ-điển") == 1.0  # memoised: the same answer


def test_candidates_are_symmetric_and_find_the_shared_wording():
    v = Vocab()
    ps = prepare(PARENT, "p", v)
    cs = prepare(CHILD, "c", v, seen=ps)
    apply_idf(ps + cs)
    got = candidates(ps, cs, 2)
    assert (1, 0) in got and (2, 1) in got
    # the mirror problem gives the mirror pairs (the scores are built in both directions)
    mirror = candidates([copy.copy(c) for c in cs], [copy.copy(p) for p in ps], 2)
    assert {(j, i) for i, j in mirror} == got


class _Prep:
    def __init__(self, doc):
        self.doc = doc


def test_a_worker_keeps_a_parents_preparation_by_content_hash_for_the_same_document_only():
    batch._PREPARED.clear()
    doc, other = object(), object()
    a = batch._prepared("sha-a", doc, _Prep)
    assert batch._prepared("sha-a", doc, _Prep) is a  # a later chunk of the same parent
    b = batch._prepared("sha-a", other, _Prep)  # the document was parsed again: a new preparation
    assert b is not a and b.doc is other
    for n in range(batch._PREPARED_PARENTS + 3):
        batch._prepared(f"sha-{n}", object(), _Prep)
    assert len(batch._PREPARED) == batch._PREPARED_PARENTS
    batch._PREPARED.clear()


def _match_fields(m):
    return (m.p, m.c, m.p_mask, m.c_mask, m.wp, m.wc, m.cov_p, m.cov_c, m.dice, m.run, m.phrases, m.block)


def test_a_prepared_parent_task_keeps_its_word_runs_and_they_give_the_same_match():
    """A prepared parent task keeps the word runs it shares with a child text (they depend on the
    tokens alone); a later child with that text, whose own new words get other token ids and whose
    weights differ, gets the Match computed afresh, float for float; the kept runs are bounded."""
    from plancompare.align import runs

    def pair(child_texts, memo):
        v = Vocab()
        ps = prepare(PARENT, "p", v)
        if memo is not None:
            for p in ps:
                p.__dict__["_runs"] = memo[p.idx]
        cs = prepare(child_texts, "c", v, seen=ps)
        apply_idf(ps + cs)
        return ps, cs

    memo = {i: {} for i in range(len(PARENT))}
    first = ["Một nhiệm vụ mới hoàn toàn về đất đai.", *CHILD]  # new words first: other ids for the child's own words
    ps, cs = pair(first, memo)
    runs.match(ps[2], cs[2])  # Tổ chức tập huấn ... của phường
    assert len(memo[2]) == 1, "the runs are kept"
    ps2, cs2 = pair(CHILD[1:], memo)  # a sibling with the same text: other weights, other ids for its own words
    ps0, cs0 = pair(CHILD[1:], None)
    assert cs2[0].toks != cs[2].toks  # the child's own words got other ids
    assert _match_fields(runs.match(ps2[2], cs2[0])) == _match_fields(runs.match(ps0[2], cs0[0]))
    assert len(memo[2]) == 1, "found, not computed again"
    # bounded: a parent task keeps the runs of at most RUNS_KEPT child texts
    big: dict = {}
    ps3, _ = pair(CHILD, None)
    ps3[0].__dict__["_runs"] = big
    for n in range(runs.RUNS_KEPT + 5):
        c = prepare([f"Xây dựng kế hoạch số {n} của tỉnh giai đoạn 2026-2030."], "c", Vocab())[0]
        c.weights, c.total = [1.0] * len(c.toks), float(len(c.toks))
        runs.match(ps3[0], c)
    assert len(big) == runs.RUNS_KEPT


def test_pruned_pairs_are_those_below_both_thresholds_and_the_rest_is_unchanged():
    """score(prune=True) leaves out only pairs whose confidence is below the link and related
    thresholds (which the alignment never reads); every other pair has the same features and confidence."""
    from plancompare.align import core
    from plancompare.align.settings import DEFAULT
    from plancompare.parse import load
    from tests._corpus import RAW

    parent, child = load(RAW / "central_57-NQ-TW_2024-12-22.md"), load(RAW / "central_03-NQ-CP_2025-01-09.md")
    (pt, ct), *_ = core._groups(parent, child, core.TaskScope.of(None))
    ps, cs, _ = core.prepare_group(pt, ct, Vocab())
    full = core.score(ps, cs, DEFAULT)
    lean = core.score(ps, cs, DEFAULT, prune=True)
    floor = min(DEFAULT.link_threshold, DEFAULT.related_threshold)
    assert lean.matches.keys() == full.matches.keys()
    assert lean.conf.keys() < full.conf.keys(), "some pair is pruned on this pair of plans"
    assert all(lean.conf[k] == full.conf[k] and lean.feats[k] == full.feats[k] for k in lean.conf)
    assert all(full.conf[k] < floor for k in full.conf.keys() - lean.conf.keys())


def test_child_texts_met_before_keep_their_words_and_get_this_comparisons_token_ids():
    """prepare(met=...): a child text prepared in an earlier comparison reuses its words and word
    keys, and takes its token ids from this comparison's vocabulary (a new word gets the next id,
    as without the memo); what it keeps is bounded."""
    from plancompare.align import text

    met: dict = {}
    v1 = Vocab()
    prepare(PARENT, "p", v1)
    prepare(["Xây dựng cơ sở dữ liệu đất đai của phường.", *CHILD], "c", v1, met=met)
    assert "Xây dựng cơ sở dữ liệu đất đai của phường." in met and CHILD[1] in met
    v2, v3 = Vocab(), Vocab()
    ps2, ps3 = prepare(PARENT, "p", v2), prepare(PARENT, "p", v3)
    again = prepare(CHILD, "c", v2, seen=ps2, met=met)
    plain = prepare(CHILD, "c", v3, seen=ps3)
    assert _fields(again) == _fields(plain) and v2.ids == v3.ids
    assert again[1].words is met[CHILD[1]].words  # reused, not split again
    from plancompare.align import confidence

    assert "_spans" in again[1].__dict__  # the word facts come with it
    assert [confidence.spans(x) for x in again] == [confidence.spans(x) for x in plain]
    old = text.TEXTS_KEPT
    try:
        text.TEXTS_KEPT = len(met)
        prepare(["Một nhiệm vụ chưa gặp."], "c", Vocab(), met=met)
        assert "Một nhiệm vụ chưa gặp." not in met
    finally:
        text.TEXTS_KEPT = old
