"""Lineage across the cascade: the corpus index, chain, trace, attribution, drops from the top, siblings, indicators.

Two kinds of truth:

* the seven corpus documents, with answers worked out by reading them (see the
  comments at each assertion: the sentence of the source that decides it);
* synthetic chains of three and four levels, built here from real tasks of
  03/NQ-CP with known edits (copy, extend, soften, drop, add), so that every
  task's origin is known.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema
import pytest

from plancompare.store import Corpus, DocumentNotFoundError, Manifest
from plancompare.errors import ConfigError, InputError, MissingFileError
from plancompare.lineage import attribute, build_graph, chain, compare_targets, dropped_from_top, indicators, siblings, trace
from plancompare.models import Level, Target
from plancompare.schemas.lineage import write_schemas

from _corpus import FILES, RAW, ROOT

# ====================================================================== the real corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return Corpus.scan(RAW, store=tmp_path_factory.mktemp("store"))


@pytest.fixture(scope="module")
def graph(corpus):
    return build_graph(corpus)


def cid(corpus, name):
    return corpus.resolve(FILES[name])


def edge_set(corpus, g):
    return {(corpus.label(e.parent), corpus.label(e.child)) for e in g.edges}


HD = "Chương trình hành động (Hải Dương)"
TL = "Kế hoạch (phường Tân Lập)"


def test_scan_indexes_every_file_by_content_hash(corpus, parsed):
    rep = corpus.report
    assert rep.parsed == 7 and rep.reused == 0 and rep.errors == 0
    index = json.loads((Path(rep.store) / "_corpus_index.json").read_text(encoding="utf-8"))
    assert len(index["documents"]) == 7
    for sha, e in index["documents"].items():
        assert e["sha256"] == sha and (Path(rep.store) / e["record"]).exists()
    # the stored record is the parser's output, written as data/parsed/ holds it
    rec = Path(rep.store) / "dak-lak_146-KH-UBND_2025-06-25.json"
    assert rec.read_text(encoding="utf-8") == parsed("146").model_dump_json(indent=2) + "\n"


def test_rescan_reparses_only_what_changed(tmp_path):
    src = tmp_path / "raw"
    src.mkdir()
    for k in ("146", "tanlap"):
        (src / FILES[k]).write_bytes((RAW / FILES[k]).read_bytes())
    store = tmp_path / "store"
    first = Corpus.scan(src, store=store).report
    assert (first.parsed, first.reused) == (2, 0)
    again = Corpus.scan(src, store=store).report
    assert (again.parsed, again.reused) == (0, 2)
    f = src / FILES["tanlap"]
    f.write_text(f.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # new content, new hash
    third = Corpus.scan(src, store=store).report
    assert (third.parsed, third.reused) == (1, 1)
    assert {x.file: x.status for x in third.files}[FILES["tanlap"]] == "parsed"
    (src / FILES["146"]).unlink()
    fourth = Corpus.scan(src, store=store).report
    assert fourth.removed == [FILES["146"]]


def test_records_are_content_addressed_and_verified(tmp_path):
    """One record layout for corpus and batch: the index points at the DocumentCache record of each
    content hash; a record is reused only while its bytes are the ones written, and the readable
    <stem>.json beside it is a view (rewritten when missing, never read)."""
    from plancompare.store import DOCS_DIR, DocumentCache

    src = tmp_path / "raw"
    src.mkdir()
    for k in ("146", "tanlap"):
        (src / FILES[k]).write_bytes((RAW / FILES[k]).read_bytes())
    store = tmp_path / "store"
    first = Corpus.scan(src, store=store)
    entries = {e.file: e for e in first.index.documents.values()}
    e146, etl = entries[FILES["146"]], entries[FILES["tanlap"]]
    assert e146.record == DOCS_DIR + DocumentCache.name(e146.parser, e146.sha256)
    view = store / e146.view
    assert view.name == Path(FILES["146"]).stem + ".json"
    view.write_text("not read", encoding="utf-8")  # a view: the scan does not read it
    (store / etl.view).unlink()
    again = Corpus.scan(src, store=store).report
    assert (again.parsed, again.reused) == (0, 2)
    assert (store / etl.view).exists() and view.read_text(encoding="utf-8") == "not read"
    rec = store / etl.record
    rec.write_bytes(rec.read_bytes()[:-1] + b"x")  # a damaged record is parsed again, and rewritten
    third = Corpus.scan(src, store=store)
    assert {x.file: x.status for x in third.report.files} == {FILES["146"]: "reused", FILES["tanlap"]: "parsed"}
    assert third.doc(third.resolve("tan-lap")).model_dump() == first.doc(first.resolve("tan-lap")).model_dump()
    fourth = Corpus.scan(src, store=store).report
    assert (fourth.parsed, fourth.reused) == (0, 2)


def test_comparisons_are_cached_by_the_pair_of_content_hashes(tmp_path):
    src = tmp_path / "raw"
    src.mkdir()
    for k in ("146", "tanlap"):
        (src / FILES[k]).write_bytes((RAW / FILES[k]).read_bytes())
    store = tmp_path / "store"
    c1 = Corpus.scan(src, store=store)
    a = c1.compare(c1.resolve("146"), c1.resolve("tan-lap"))
    assert c1.cache_misses == 1
    c2 = Corpus.scan(src, store=store)
    b = c2.compare(c2.resolve("146"), c2.resolve("tan-lap"))
    assert (c2.cache_hits, c2.cache_misses) == (1, 0)
    assert a.model_dump() == b.model_dump()
    assert len(list((store / "_comparisons").glob("*.json"))) == 1


def test_parents_found_from_references(corpus, graph):
    """Each document's 'Thực hiện ...' / 'Căn cứ ...' matched to the corpus by number and date."""
    edges = edge_set(corpus, graph)
    assert ("283-KH/TU", "146/KH-UBND") in edges  # 146: "Kế hoạch hành động số 283-KH/TU ngày 22/5/2025"
    assert ("146/KH-UBND", TL) in edges  # Tân Lập: "Căn cứ Kế hoạch số 146/KH-UBND ngày 25/6/2025"
    assert ("57-NQ/TW", "283-KH/TU") in edges  # 283: "Thực hiện Nghị quyết số 57-NQ/TW, ngày 22/12/2024"
    assert ("03/NQ-CP", "25/KH-UBND") in edges and ("57-NQ/TW", "25/KH-UBND") in edges  # 25: both in its "Thực hiện"
    assert ("57-NQ/TW", "03/NQ-CP") in edges  # 03: "Căn cứ Nghị quyết số 57-NQ/TW"
    assert ("57-NQ/TW", HD) in edges
    # Tân Lập does not cite 283-KH/TU or 57-NQ/TW as its own parents: it reaches them through 146
    assert ("283-KH/TU", TL) not in edges and ("57-NQ/TW", TL) not in edges
    assert len(edges) == len(graph.edges)  # one edge per pair


def test_missing_links_and_the_amendment_standing_in(corpus, graph):
    missing = {(corpus.label(m.child), m.number): m for m in graph.missing}
    # 146 implements 71/NQ-CP and 61-CTr/TU, neither in the corpus
    assert ("146/KH-UBND", "71/NQ-CP") in missing and ("146/KH-UBND", "61-CTr/TU") in missing
    # 71/NQ-CP is "về sửa đổi, bổ sung cập nhật Chương trình hành động của Chính phủ thực hiện Nghị quyết số 57-NQ/TW":
    # the programme of 03/NQ-CP, which stands in for it
    m71 = missing[("146/KH-UBND", "71/NQ-CP")]
    assert m71.stands_in == cid(corpus, "03")
    sub = next(e for e in graph.edges if e.child == cid(corpus, "146") and e.parent == cid(corpus, "03"))
    assert sub.match == "amendment" and sub.substitution.cited == "71/NQ-CP" and sub.substitution.source == "text"
    assert "sửa đổi, bổ sung" in sub.substitution.evidence and sub.substitution.score >= 85
    # the ward cites 61-CTr/TU in the sentence that names 146, which cites it too
    assert missing[(TL, "61-CTr/TU")].via == cid(corpus, "146")
    assert ("25/KH-UBND", "62-CTr/TU") in missing and ("283-KH/TU", "01-CV/BCĐTW") in missing
    assert not any(n in ("57-NQ/TW", "03/NQ-CP", "283-KH/TU", "146/KH-UBND") for _, n in missing)


def test_a_mention_with_a_wrong_date_still_places_hai_duong_under_03(corpus, graph):
    """Hải Dương cites "Nghị quyết 03/NQ-CP ngày 09/02/2025" (the document is of 09/01/2025) in its purposes only."""
    e = next(e for e in graph.edges if e.parent == cid(corpus, "03") and e.child == cid(corpus, "hd"))
    assert e.relation == "mentions" and e.match == "number_date_differs" and "09/02/2025" in e.note


def test_chain_tree_with_edge_summaries(corpus):
    res = chain(corpus)
    assert {d.label for d in res.documents} >= {"57-NQ/TW", "03/NQ-CP", "283-KH/TU", "146/KH-UBND", "25/KH-UBND", HD, TL}
    assert [corpus.label(n.doc) for n in res.tree] == ["57-NQ/TW"]
    e = next(e for e in res.edges if corpus.label(e.parent) == "146/KH-UBND")
    # the ward copies 146 almost whole (CORPUS.md): high coverage, nothing added
    assert e.summary.coverage > 0.85 and e.summary.parent_tasks == 55 and e.summary.child_tasks == 51
    # every document is expanded once; 146 under its nearest parent (283-KH/TU)
    expanded = []

    def walk(n, parent):
        if not n.repeated:
            expanded.append((n.doc, parent))
        for ch in n.children:
            walk(ch, n.doc)

    for n in res.tree:
        walk(n, None)
    assert sorted(d for d, _ in expanded) == sorted(d.id for d in res.documents)
    assert dict(expanded)[cid(corpus, "146")] == cid(corpus, "283")


def test_chain_of_one_document_keeps_its_line(corpus):
    res = chain(corpus, "tan-lap")
    assert {d.label for d in res.documents} == {TL, "146/KH-UBND", "283-KH/TU", "03/NQ-CP", "57-NQ/TW"}
    assert {m.number for m in res.missing} == {"71/NQ-CP", "61-CTr/TU", "01-CV/BCĐTW"}


def test_attribution_to_several_parents(corpus):
    """146/KH-UBND implements 71/NQ-CP (03/NQ-CP stands in), 61-CTr/TU (absent) and 283-KH/TU."""
    res = attribute(corpus.doc(cid(corpus, "146")), [corpus.doc(cid(corpus, "283")), corpus.doc(cid(corpus, "03"))], corpus=corpus)
    by = {t.child.path: t for t in res.tasks}
    p283, p03 = cid(corpus, "283"), cid(corpus, "03")
    # 146 2.a "Tăng cường công tác rà soát, để kịp thời sửa đổi, bổ sung, thay thế hoặc bãi bỏ ..." is 283's 3.1 word for word
    assert by["II.2.a"].parent == p283 and [x.path for x in by["II.2.a"].parent_tasks] == ["III.3.1"]
    # 146 2.đ "Tham mưu cơ chế, điều kiện chuyển giao công nghệ ..." is 283's 3.4 "Xây dựng cơ chế ..." softened
    assert by["II.2.đ"].parent == p283 and by["II.2.đ"].parent_tasks[0].path == "III.3.4"
    # 146 4.a and 4.b are 283's 6.1 and 6.2
    assert (by["II.4.a"].parent, by["II.4.a"].parent_tasks[0].path) == (p283, "III.6.1")
    assert (by["II.4.b"].parent, by["II.4.b"].parent_tasks[0].path) == (p283, "III.6.2")
    # 146 1.h (25% of leaders with technical expertise) is 03's 1.i, localised
    assert (by["II.1.h"].parent, by["II.1.h"].parent_tasks[0].path) == (p03, "II.1.i")
    # 146 1.k is 03's 1.k word for word
    assert (by["II.1.k"].parent, by["II.1.k"].status.value) == (p03, "copied")
    # 146 1.g, its own emulation movement, is in neither
    assert by["II.1.g"].parent is None and by["II.1.g"].status.value == "added"
    shares = {s.parent: s for s in res.per_parent}
    assert shares[p03].attributed > shares[p283].attributed > 0
    assert res.unattributed == sum(1 for t in res.tasks if t.parent is None)
    assert sum(s.attributed for s in res.per_parent) + res.unattributed == len(res.tasks) == 55


def test_trace_a_ward_task_to_its_origin(corpus):
    # Tân Lập 2.a "... để kịp thời đề xuất, sửa đổi ..." -> 146 2.a -> 283 3.1
    res = trace(corpus, "tan-lap", "II.2.a")
    step = next(s for s in res.up if s.doc == cid(corpus, "146"))
    assert step.task.path == "II.2.a" and step.status.value == "changed" and "softened" in [k.value for k in step.kinds]
    top = res.origins[0]
    # its way up goes through 283 3.1 (verbatim); 283 3.1 itself shares 57-NQ/TW III.2's first dash's
    # list of laws (đầu tư công, mua sắm công, sở hữu trí tuệ, thuế: a link of confidence ~0.6)
    assert top.path[:3] == [cid(corpus, "tanlap"), cid(corpus, "146"), cid(corpus, "283")]
    assert (corpus.label(top.doc), top.task.path) in (("283-KH/TU", "III.3.1"), ("57-NQ/TW", "III.2.-1"))


def test_trace_the_25_percent_task_down_the_cascade(corpus):
    """03/NQ-CP 1.i: "Phấn đấu bố trí tỷ lệ cán bộ có chuyên môn, kinh nghiệm về khoa học kỹ thuật trong đội ngũ lãnh đạo ... tối thiểu đạt 25%"."""
    res = trace(corpus, "03/NQ-CP", "II.1.i")
    got = {(corpus.label(p.doc), p.task.path) for p in res.descendants}
    # Thái Nguyên copies it as a dash item of II.1; Hải Dương joins it into its 1.7; 146 as 1.h; the ward as 1.h
    assert {("25/KH-UBND", "II.1.-6"), (HD, "III.1.7"), ("146/KH-UBND", "II.1.h"), (TL, "II.1.h")} <= got
    tn = next(s for s in res.down if s.doc == cid(corpus, "tn"))
    assert tn.status.value == "copied"
    # up from the ward: the origin is 03's task, reached through 146 (which stands in for 71/NQ-CP)
    up = trace(corpus, "tan-lap", "II.1.h")
    assert (corpus.label(up.origins[0].doc), up.origins[0].task.path) == ("03/NQ-CP", "II.1.i")
    via = next(s for s in up.up[0].steps if s.doc == cid(corpus, "03"))
    assert via.substitution == "71/NQ-CP"


def test_trace_looks_further_up_when_no_parent_carries_the_task(corpus):
    # 146 7.a "Tập trung đẩy mạnh hợp tác nghiên cứu khoa học, phát triển công nghệ với các quốc gia ..." is in neither
    # 283-KH/TU nor 03/NQ-CP: it is 57-NQ/TW's section 7, word for word in its opening
    res = trace(corpus, "146", "II.7.a")
    assert {s.status.value for s in res.up if s.via == "parent"} == {"added"}
    far = [s for s in res.up if s.via == "ancestor"]
    assert [(corpus.label(s.doc), s.task.path) for s in far] == [("57-NQ/TW", "III.7.¶")]
    assert corpus.label(res.origins[0].doc) == "57-NQ/TW"


def test_trace_reports_where_a_task_is_dropped(corpus):
    res = trace(corpus, "146", "II.1.a")
    assert all(s.status.value != "dropped" for s in res.down)
    # 03's 1.d (national brand for innovation) reaches no Đắk Lắk plan
    res = trace(corpus, "03/NQ-CP", "II.1.d")
    assert cid(corpus, "146") in res.dropped_in


def test_dropped_from_the_top_for_dak_lak(corpus):
    res = dropped_from_top(corpus, ["tan-lap"])
    assert {corpus.label(t) for t in res.tops} == {"57-NQ/TW", "03/NQ-CP"}
    assert {corpus.label(p) for p in res.plans} == {"283-KH/TU", "146/KH-UBND", TL}
    fate = {(corpus.label(t.top), t.task.path): t for t in res.tasks}
    # national-only tasks no Đắk Lắk plan carries (none of their words is in 283, 146 or the ward):
    # 03 1.d national innovation brand; 2.k Ministry of Education to manage universities; 2.l/2.m ODA rules;
    # 7.c Vietnam in international standards bodies; 57's 3.2 strategies for sea, underground and outer space
    for key in [("03/NQ-CP", "II.1.d"), ("03/NQ-CP", "II.2.k"), ("03/NQ-CP", "II.2.l"), ("03/NQ-CP", "II.2.m"), ("03/NQ-CP", "II.7.c"), ("57-NQ/TW", "III.3.-2")]:
        assert not fate[key].carried, key
    # carried: the 25% task (146 1.h, the ward 1.h) and 57's section 7 (146 7.a)
    t = fate[("03/NQ-CP", "II.1.i")]
    assert t.carried and {corpus.label(c.doc) for c in t.carriers} == {"146/KH-UBND", TL}
    assert fate[("57-NQ/TW", "III.7.¶")].carried
    # 57's section 7 reached 146 directly, and 283 (its child) is where it was lost
    assert cid(corpus, "283") in fate[("57-NQ/TW", "III.7.¶")].lost_at
    # shares per section add up
    for top in res.tops:
        secs = [s for s in res.sections if s.top == top]
        assert sum(s.tasks for s in secs) == res.totals[top]["tasks"]
        assert sum(s.never_carried for s in secs) == res.totals[top]["never_carried"] == sum(1 for t in res.tasks if t.top == top and not t.carried)


def test_03_7a_reaches_146_7b(corpus):
    """146 7.b opens with the last clause of 03 7.a word for word (24 words): a verbatim clause links them."""
    res = trace(corpus, "03/NQ-CP", "II.7.a")
    assert (cid(corpus, "146"), "II.7.b") in {(p.doc, p.task.path) for p in res.descendants}


def test_siblings_coverage_matrix(corpus):
    res = siblings(corpus, [FILES["tn"], FILES["hd"], FILES["146"]])
    assert [corpus.label(a) for a in res.ancestors] == ["03/NQ-CP"]  # nearest common ancestor
    row = next(r for r in res.coverage if r.task.path == "II.1.i")
    cells = {corpus.label(c.doc): c for c in row.cells}
    # Thái Nguyên and Hải Dương both carry 03's task on the 25% share of leaders with technical expertise
    assert cells["25/KH-UBND"].status == "copied" and [t.path for t in cells["25/KH-UBND"].tasks] == ["II.1.-6"]
    assert cells[HD].status == "changed" and [t.path for t in cells[HD].tasks] == ["III.1.7"]
    assert cells["146/KH-UBND"].status == "changed" and row.kept == 3
    # 03's 1.d (national brand) is kept by none
    assert next(r for r in res.coverage if r.task.path == "II.1.d").kept == 0
    # Thái Nguyên keeps the most of the Government's programme (it implements 03 directly, CORPUS.md)
    cov = {corpus.label(s.doc): s.coverage for s in res.summary}
    assert cov["25/KH-UBND"] > cov[HD] and cov["25/KH-UBND"] > cov["146/KH-UBND"]
    assert sum(s.tasks for s in res.sections) == len(res.coverage) == 102


def test_siblings_unique_and_near_identical(corpus):
    res = siblings(corpus, [FILES["tn"], FILES["hd"], FILES["146"]], with_indicators=False)
    only = {(corpus.label(o.doc), o.task.path) for o in res.only_in}
    # Hải Dương's smart cities for "thành phố Hải Dương và Chí Linh" and Thái Nguyên's "Khu công nghệ thông tin tập trung Yên Bình"
    assert (HD, "III.3.6") in only and ("25/KH-UBND", "II.5.-25") in only
    # 03's 1.m (training programme for officials) is copied by all three: one near-identical group across the provinces
    grp = next(g for g in res.near_identical if any(m.task.path == "II.1.-9" for m in g.members))
    assert {corpus.label(m.doc) for m in grp.members} == {"25/KH-UBND", HD, "146/KH-UBND"}
    assert grp.ancestor_tasks == ["T:II.1.m"] and grp.min_score >= 0.9


def test_indicators_side_by_side(corpus):
    res = indicators(corpus, [FILES["tn"], FILES["hd"], FILES["283"]], parent="03/NQ-CP")
    rows = {r.parent.name: r for r in res.rows if r.parent}
    col = {corpus.label(c): i for i, c in enumerate(res.columns)}

    def cell(name, doc):
        return rows[name].cells[col[doc]]

    # digital economy: 03 ≥ 30% GDP by 2030; Thái Nguyên ≥ 40; Hải Dương ≥ 30% GRDP; 283 ≥ 30% GRDP by 2030
    de = "Quy mô kinh tế số"
    assert cell(de, "25/KH-UBND").targets[0].value == 40 and cell(de, HD).targets[0].unit == "% GRDP"
    assert not cell(de, "283-KH/TU").flags and [t.year for t in cell(de, "283-KH/TU").targets][:2] == [2025, 2030]
    # TFP contribution (03 writes "TEP"): Thái Nguyên "> 55", Hải Dương "từ 55% trở lên"
    tfp = next(n for n in rows if "năng suất nhân tố tổng hợp" in n)
    assert cell(tfp, "25/KH-UBND").score >= 90 and cell(tfp, HD).targets[0].value == 55
    # 5G: 03 "Phủ sóng 5G cho người dân" 99% by 2030; 283 "Tỷ lệ phủ sóng 5G trên địa bàn" 100% by 2030
    g5 = cell("Phủ sóng 5G cho người dân", "283-KH/TU")
    assert g5.name == "Tỷ lệ phủ sóng 5G trên địa bàn" and not g5.flags
    # the province's budget for science: 03 "≥ 3%" of the budget by 2030, 283 "≥ 1,5%" by 2030: weaker
    budget = next(n for n in rows if n.startswith("Chi ngân sách"))
    assert "weaker_value" in cell(budget, "283-KH/TU").flags and cell(budget, "283-KH/TU") is not None
    assert cell(budget, "283-KH/TU").unit_agreement == "compatible"
    # R&D spending: Hải Dương writes "2% GRDP" for 03's "2" (% GDP)
    rd = cell("Kinh phí chi cho nghiên cứu phát triển (R&D)", HD)
    assert rd.targets[0].value == 2 and not rd.flags
    # online public services: 03 ≥ 80, Thái Nguyên ≥ 85, Hải Dương 100%: none weaker
    ps = next(n for n in rows if n.startswith("Tỉ lệ sử dụng dịch vụ công trực tuyến"))
    assert cell(ps, "25/KH-UBND").targets[0].value == 85 and not rows[ps].weaker_in
    # Hải Dương has no 5G target: missing
    assert cid(corpus, "hd") in rows["Phủ sóng 5G cho người dân"].missing_in
    # names that share only common words are not matched: 03's "Lĩnh vực khoa học, công nghệ"
    assert cell("Lĩnh vực khoa học, công nghệ", "283-KH/TU") is None


def test_target_flags():
    def t(year, op, value, unit="%"):
        return Target(period=str(year), year=year, op=op, value=value, unit=unit, raw=f"{op} {value}{unit}")

    assert compare_targets([t(2030, "≥", 30)], [t(2030, "≥", 20)])[0] == ["weaker_value"]
    assert compare_targets([t(2030, "≥", 30)], [t(2030, "≥", 40)])[0] == []
    assert compare_targets([t(2030, "≥", 30)], [t(2025, "≥", 10), t(2035, "≥", 30)])[0] == ["later_year"]
    assert compare_targets([t(2030, "≤", 3, "Đông Nam Á")], [t(2030, "≤", 5, "Đông Nam Á")])[0] == ["weaker_value"]
    assert compare_targets([t(2030, "≤", 3, "Đông Nam Á")], [t(2030, "≤", 10, "các tỉnh")])[0] == ["not_comparable"]
    assert compare_targets([t(2030, "≥", 30)], [Target(year=2030, raw="Có", qualitative=True)])[0] == ["not_comparable"]


def test_results_validate_against_their_schemas(corpus):
    schemas = write_schemas()
    for name in schemas:
        assert (ROOT / "schemas" / name).exists(), f"run python -m plancompare.schemas.lineage ({name})"
    checks = {
        "lineage_chain.schema.json": chain(corpus),
        "lineage_trace.schema.json": trace(corpus, "tan-lap", "II.2.a"),
        "lineage_attribution.schema.json": attribute(corpus.doc(cid(corpus, "tanlap")), [corpus.doc(cid(corpus, "146"))], corpus=corpus),
        "lineage_dropped.schema.json": dropped_from_top(corpus, ["146"]),
        "lineage_siblings.schema.json": siblings(corpus, ["25/KH-UBND", "hai-duong"]),
        "corpus_scan.schema.json": corpus.report,
    }
    for name, res in checks.items():
        jsonschema.validate(json.loads(res.to_json()), schemas[name])
        assert res.to_markdown().startswith("#")
        assert res.to_csv().count("\n") >= 2


def test_checked_in_schemas_are_current():
    from plancompare.schemas import dump

    for name, schema in write_schemas().items():
        assert (ROOT / "schemas" / name).read_text(encoding="utf-8") == dump(schema), f"{name} is stale: run python -m plancompare.schemas.lineage"


# ====================================================================== bad input


def test_unknown_document(corpus):
    with pytest.raises(DocumentNotFoundError, match="no document 'nowhere-99'"):
        corpus.resolve("nowhere-99")


def test_unknown_task(corpus):
    with pytest.raises(InputError, match="has no task 'Z.9'"):
        trace(corpus, "146", "Z.9")


def test_empty_and_missing_folder(tmp_path):
    with pytest.raises(InputError, match="no plan files"):
        Corpus.scan(tmp_path, store=tmp_path / "store")
    with pytest.raises(MissingFileError):
        Corpus.scan(tmp_path / "nope")


def test_siblings_need_two_plans(corpus):
    with pytest.raises(InputError, match="at least two"):
        siblings(corpus, ["146", "146/KH-UBND"])


def test_invalid_manifest(tmp_path):
    (tmp_path / "m.yaml").write_text("documents:\n  - file: a.txt\n    level: county\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="documents.0.level"):
        Manifest.load(tmp_path / "m.yaml")
    (tmp_path / "n.yaml").write_text("documents: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        Manifest.load(tmp_path / "n.yaml")


def test_manifest_adds_metadata_and_amendments(tmp_path):
    src = tmp_path / "raw"
    src.mkdir()
    for k in ("03", "146", "hd"):
        (src / FILES[k]).write_bytes((RAW / FILES[k]).read_bytes())
    (src / "corpus.yaml").write_text(
        f"documents:\n  - file: {FILES['hd']}\n    number: 99-CTr/TU\n    issue_date: 2025-02-20\n    parents: ['03/NQ-CP']\n"
        "amendments:\n  - amending: 61-CTr/TU\n    amended: 99-CTr/TU\n    note: test\n",
        encoding="utf-8",
    )
    c = Corpus.scan(src, store=tmp_path / "store")
    hd = c.resolve("99-CTr/TU")
    assert c.info(hd).number == "99-CTr/TU" and c.info(hd).level == Level.provincial_party
    g = build_graph(c)
    e = next(e for e in g.edges if e.child == hd and e.parent == c.resolve("03/NQ-CP"))
    assert e.relation == "manifest"
    sub = next(e for e in g.edges if e.child == c.resolve("146") and e.parent == hd)
    assert sub.substitution.cited == "61-CTr/TU" and sub.substitution.source == "manifest"
    assert next(f for f in c.report.files if f.file == FILES["hd"]).manifest


# ====================================================================== synthetic chains with known truth


@dataclass
class SynTask:
    text: str
    section: int
    origin: int | None  # index of the task it comes from in the level above (None: added here)
    op: str  # copy / extend / soften / add
    root: tuple[int, int] = (0, 0)  # (level, index) where the task first appears


@dataclass
class SynLevel:
    name: str
    number: str
    header: str
    date: tuple[int, int, int]
    cite: str  # the preamble sentence
    issuer_says: str
    tasks: list[SynTask] = field(default_factory=list)


SECTIONS = ["Nâng cao nhận thức, đổi mới tư duy", "Hoàn thiện thể chế", "Phát triển hạ tầng số", "Chuyển đổi số trong cơ quan nhà nước"]
EXTEND = ", gắn với điều kiện thực tế và nguồn lực được bố trí hằng năm."


def _edit(text: str, op: str) -> str:
    if op == "extend":
        return text.rstrip(". ") + EXTEND
    if op == "soften":
        return "Tham mưu " + text[0].lower() + text[1:]
    return text


def _render(level: SynLevel) -> str:
    d, m, y = level.date
    lines = [level.header, f"Số: {level.number}", f"Hòa Bình, ngày {d:02d} tháng {m:02d} năm {y}", "KẾ HOẠCH" if "KH" in level.number else "NGHỊ QUYẾT", "Triển khai chương trình thử nghiệm về chuyển đổi số"]
    lines.append(f"{level.cite}, {level.issuer_says} ban hành Kế hoạch như sau:")
    lines += ["I. MỤC TIÊU", "1. Mục tiêu chung", "Đưa chuyển đổi số trở thành động lực phát triển nhanh và bền vững.", "II. NHIỆM VỤ, GIẢI PHÁP"]
    letters = "a b c d đ e g h i k l m n o p q".split()
    for s, title in enumerate(SECTIONS):
        lines.append(f"{s + 1}. {title}")
        for n, t in enumerate([t for t in level.tasks if t.section == s]):
            lines.append(f"{letters[n]}) {t.text}")
    lines += ["III. TỔ CHỨC THỰC HIỆN", "1. Các cơ quan, đơn vị căn cứ chức năng, nhiệm vụ tổ chức thực hiện Kế hoạch này."]
    return "\n".join(lines) + "\n"


def make_chain(parsed, levels: int) -> list[SynLevel]:
    """Four levels (government -> provincial party -> province -> commune), truncated to ``levels``.

    Level 1 takes five real tasks from each of four sections of 03/NQ-CP; each
    lower level drops, extends, softens or copies its parent's tasks by a fixed
    rule and adds tasks taken from sections of 03/NQ-CP that level 1 left out."""
    src = parsed("03")
    body = [t for t in src.tasks if t.source == "body"]
    pick = {"II.1": 0, "II.2": 1, "II.3": 2, "II.5": 3}
    l1 = [SynTask(t.text, pick[t.section_path], None, "add") for sp in pick for t in [x for x in body if x.section_path == sp][:5]]
    # tasks for the lower levels to add: from 03's section 6 (science and technology enterprises), not in level 1
    spare = [t.text for t in body if t.section_path == "II.6"][2:8]
    for i, t in enumerate(l1):
        t.root = (0, i)
    specs = [
        SynLevel("l1", "15/NQ-CP", "CHÍNH PHỦ", (10, 1, 2025), "Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015", "Chính phủ", l1),
        SynLevel("l2", "40-KH/TU", "TỈNH ỦY HÒA BÌNH\nBAN THƯỜNG VỤ", (20, 2, 2025), "Thực hiện Nghị quyết số 15/NQ-CP ngày 10/01/2025 của Chính phủ về chương trình thử nghiệm về chuyển đổi số; Chương trình số 77-CTr/TU ngày 05/02/2025 của Ban Thường vụ Tỉnh ủy về chuyển đổi số", "Ban Thường vụ Tỉnh ủy"),
        SynLevel("l3", "88/KH-UBND", "ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH", (15, 3, 2025), "Thực hiện Kế hoạch số 40-KH/TU ngày 20/02/2025 của Ban Thường vụ Tỉnh ủy về chuyển đổi số", "UBND tỉnh"),
        SynLevel("l4", "12/KH-UBND", "ỦY BAN NHÂN DÂN XÃ AN BÌNH", (2, 4, 2025), "Căn cứ Kế hoạch số 88/KH-UBND ngày 15/3/2025 của UBND tỉnh Hòa Bình về chuyển đổi số", "UBND xã An Bình"),
    ][:levels]
    rules = {  # position in the parent's list -> op (others are copied)
        1: {"drop": {3, 9, 14}, "extend": {1, 6, 11, 16}, "soften": {2, 12}},
        2: {"drop": {4, 10}, "extend": {0, 7}, "soften": {5}},
        3: {"drop": {2, 8}, "extend": {3}, "soften": {6, 11}},
    }
    for k in range(1, levels):
        parent = specs[k - 1].tasks
        r = rules[k]
        kids = []
        for i, t in enumerate(parent):
            if i in r["drop"]:
                continue
            op = next((o for o in ("extend", "soften") if i in r[o]), "copy")
            kids.append(SynTask(_edit(t.text, op), t.section, i, op, t.root))
        for j in range(2):  # two tasks of its own, at the end of the last section
            kids.append(SynTask(spare[2 * (k - 1) + j], 3, None, "add", (k, len(kids))))
        for n, t in enumerate(kids):
            if t.op == "add":
                t.root = (k, n)
        specs[k].tasks = kids
    return specs


def _task_path(level: SynLevel, idx: int) -> str:
    t = level.tasks[idx]
    n = [x for x in level.tasks if x.section == t.section].index(t)
    return f"II.{t.section + 1}.{'a b c d đ e g h i k l m n o p q'.split()[n]}"


@pytest.fixture(scope="module", params=[3, 4], ids=["3-levels", "4-levels"])
def synthetic(request, tmp_path_factory, parsed):
    levels = make_chain(parsed, request.param)
    folder = tmp_path_factory.mktemp(f"syn{request.param}")
    raw = folder / "raw"
    raw.mkdir()
    for lv in levels:
        (raw / f"{lv.name}.txt").write_text(_render(lv), encoding="utf-8")
    c = Corpus.scan(raw, store=folder / "store")
    return levels, c


def test_synthetic_documents_parse_as_built(synthetic):
    levels, c = synthetic
    for lv in levels:
        d = c.doc(c.resolve(f"{lv.name}.txt"))
        assert d.document.number == lv.number
        assert [t.text for t in d.tasks] == [t.text for t in lv.tasks]


def test_synthetic_chain(synthetic):
    levels, c = synthetic
    res = chain(c)
    ids = [c.resolve(f"{lv.name}.txt") for lv in levels]
    assert {(e.parent, e.child) for e in res.edges} == set(zip(ids, ids[1:]))
    for e in res.edges:
        child = levels[ids.index(e.child)]
        parent = levels[ids.index(e.parent)]
        kept = {t.origin for t in child.tasks if t.origin is not None}
        assert e.summary.parent_tasks == len(parent.tasks) and e.summary.child_tasks == len(child.tasks)
        assert e.summary.dropped == len(parent.tasks) - len(kept)
        assert e.summary.added == sum(1 for t in child.tasks if t.origin is None)
        assert e.summary.copied == sum(1 for t in child.tasks if t.op == "copy")
    assert [m.number for m in res.missing] == ["77-CTr/TU"]


def test_synthetic_trace_up_follows_every_task_to_its_origin(synthetic):
    levels, c = synthetic
    ids = [c.resolve(f"{lv.name}.txt") for lv in levels]
    last = len(levels) - 1
    for i, t in enumerate(levels[last].tasks):
        res = trace(c, ids[last], _task_path(levels[last], i))
        lv, idx = t.root
        want = (ids[lv], _task_path(levels[lv], idx))
        assert (res.origins[0].doc, res.origins[0].task.path) == want, (i, t.op)
        assert res.origins[0].path == ids[lv:][::-1]
        # each step's status is the edit made at that level
        step, k, j = res.up, last, i
        while k > lv:
            tk = levels[k].tasks[j]
            s = next(s for s in step if s.task is not None)
            assert s.status.value == ("copied" if tk.op == "copy" else "changed"), (k, j, tk.op)
            if tk.op == "soften":
                assert "softened" in [x.value for x in s.kinds]
            if tk.op == "extend":
                assert "extended" in [x.value for x in s.kinds]
            step, k, j = s.steps, k - 1, tk.origin
        if lv > 0:  # added at level lv: the level above does not have it
            assert [s.status.value for s in step] == ["added"]


def test_synthetic_trace_down_finds_descendants_and_drops(synthetic):
    levels, c = synthetic
    ids = [c.resolve(f"{lv.name}.txt") for lv in levels]
    for i in range(len(levels[0].tasks)):
        res = trace(c, ids[0], _task_path(levels[0], i))
        got = {(p.doc, p.task.path) for p in res.descendants}
        want = set()
        dropped_at = None
        for k in range(1, len(levels)):
            hit = [j for j, t in enumerate(levels[k].tasks) if t.root == (0, i)]
            if not hit:
                dropped_at = ids[k]
                break
            want.add((ids[k], _task_path(levels[k], hit[0])))
        assert got == want, i
        assert res.dropped_in == ([dropped_at] if dropped_at else [])


def test_synthetic_dropped_from_top(synthetic):
    levels, c = synthetic
    ids = [c.resolve(f"{lv.name}.txt") for lv in levels]
    res = dropped_from_top(c, [ids[-1]])
    assert res.tops == [ids[0]] and set(res.plans) == set(ids[1:])
    never = {t.task.path for t in res.tasks if not t.carried}
    kept_l2 = {t.root[1] for t in levels[1].tasks if t.root[0] == 0}
    assert never == {_task_path(levels[0], i) for i in range(len(levels[0].tasks)) if i not in kept_l2}
    # where each level-1 task was lost is where it was dropped
    for t in res.tasks:
        i = next(n for n in range(len(levels[0].tasks)) if _task_path(levels[0], n) == t.task.path)
        lost = [ids[k] for k in range(1, len(levels)) if any(x.root == (0, i) for x in levels[k - 1].tasks) and not any(x.root == (0, i) for x in levels[k].tasks)]
        assert t.lost_at == lost


def test_synthetic_attribution_between_two_parents(synthetic):
    """A child built from two parents: each task is attributed to the one it was taken from."""
    levels, c = synthetic
    if len(levels) < 3:
        pytest.skip("needs three levels")
    l1, l2 = c.doc(c.resolve("l1.txt")), c.doc(c.resolve("l2.txt"))
    from plancompare.parse import parse_text

    own = [t for t in levels[1].tasks if t.op == "add"]
    from_l1 = [t.text for t in levels[0].tasks if not any(x.root == t.root for x in levels[1].tasks)]  # what l2 dropped
    mixed = SynLevel("mix", "5/KH-UBND", "ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH", (1, 5, 2025), "Thực hiện Kế hoạch số 40-KH/TU ngày 20/02/2025 của Ban Thường vụ Tỉnh ủy", "UBND tỉnh")
    mixed.tasks = [SynTask(t, 0, None, "copy") for t in from_l1] + [SynTask(t.text, 1, None, "copy") for t in own]
    child = parse_text(_render(mixed), "mix.txt")
    res = attribute(child, [l2, l1])
    got = {t.child.text: res.label(t.parent) for t in res.tasks}
    for t in from_l1:
        assert got[t] == "15/NQ-CP"
    for t in own:
        assert got[t.text] == "40-KH/TU"


def test_synthetic_amendment_stands_in(tmp_path, parsed):
    """A plan implementing an absent resolution that amends a corpus document: the amended one stands in for it."""
    levels = make_chain(parsed, 2)
    l1, l2 = levels
    l2.cite = "Thực hiện Nghị quyết số 99/NQ-CP ngày 01/3/2025 của Chính phủ về sửa đổi, bổ sung Chương trình thử nghiệm về chuyển đổi số; Kế hoạch số 7/KH-BCĐ ngày 02/3/2025 của Ban Chỉ đạo về sửa đổi, bổ sung quy chế làm việc"
    raw = tmp_path / "raw"
    raw.mkdir()
    for lv in levels:
        (raw / f"{lv.name}.txt").write_text(_render(lv), encoding="utf-8")
    c = Corpus.scan(raw, store=tmp_path / "store")
    g = build_graph(c)
    e = next(e for e in g.edges if e.child == c.resolve("40-KH/TU"))
    assert e.parent == c.resolve("15/NQ-CP") and e.match == "amendment" and e.substitution.cited == "99/NQ-CP"
    missing = {m.number: m for m in g.missing}
    assert missing["99/NQ-CP"].stands_in == c.resolve("15/NQ-CP")
    # an amendment of something else (no corpus document with that title and issuer) stands in for nothing
    assert missing["7/KH-BCĐ"].stands_in is None


def test_comparison_cache_keeps_the_three_appendix_scopes_apart(corpus):
    """After an 'auto' comparison, '--body-only' must not get the cached auto result (nor '--appendix')."""
    p, c = cid(corpus, "03"), cid(corpus, "tn")
    auto = corpus.compare(p, c, None)
    body = corpus.compare(p, c, False)
    both = corpus.compare(p, c, True)
    assert body.summary.parent_tasks == 102 and auto.summary.parent_tasks == 242 == both.summary.parent_tasks
    again = Corpus.scan(RAW, store=corpus.store)  # the store's files are kept apart too
    assert again.compare(p, c, False).summary.parent_tasks == 102
