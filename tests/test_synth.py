"""Synthetic child drafts (plancompare.synth) and the labelled pairs under tests/pairs/."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from _corpus import FILES, RAW, ROOT
from plancompare.parse import parse_file, parse_text
from plancompare.synth import (
    KIND_ORDER,
    DETECTED_LAYOUT,
    LAYOUTS,
    MIN_KEY_WORDS,
    SYNTHETIC_MARKER,
    EditMix,
    localize,
    make_draft,
    narrow,
    opening_key,
    reformat,
    soften,
    split_sentences,
    truth_norm,
    typo,
)

PAIRS = ROOT / "tests" / "pairs"
PARENTS = {"146": 1, "283": 2, "03": 3}  # parent -> seed used below


def _body(doc):
    return [t for t in doc.tasks if t.source == "body"]


_norm = lru_cache(maxsize=None)(truth_norm)


def _owners(key: str, tasks) -> list:
    """Tasks whose text starts with the truth key (the gold scorer's test)."""
    nk = _norm(key)
    return [t for t in tasks if _norm(t.text).startswith(nk)]


def _check_children(truth: dict, doc) -> None:
    """The child plan parses to exactly the truth's child tasks, each named by one key."""
    body = _body(doc)
    children: dict[str, str] = {}
    for p in truth["pairs"]:
        if p.get("child"):
            children[p["child"]] = p["child_label"]
    # a paragraph repeated word for word in the source (a scraping duplicate) is one task to the truth
    repeats = len(body) - len({_norm(t.text) for t in body})
    assert len(body) - repeats == len(children), f"parsed {len(body)} child tasks, truth has {len(children)}"
    seen = set()
    for key, label in children.items():
        owners = _owners(key, body)
        assert len(owners) >= 1 and len({_norm(t.text) for t in owners}) == 1, f"child key {key!r} names {len(owners)} parsed tasks"
        assert all(t.label == label for t in owners), (key, owners[0].label, label)
        seen.update(t.id for t in owners)
    assert len(seen) == len(body)


def _check_parents(truth: dict, parent_doc) -> None:
    body = _body(parent_doc)
    named = set()
    for p in truth["pairs"]:
        if not p.get("parent"):
            continue
        owners = _owners(p["parent"], body)
        assert len(owners) == 1, f"parent key {p['parent']!r} names {len(owners)} parent tasks"
        assert owners[0].label == p["parent_label"]
        named.add(owners[0].id)
    assert named == {t.id for t in body}, "every parent task is labelled"


# ---------------------------------------------------------------- determinism


def test_same_seed_same_draft(parsed):
    parent = parsed("146")
    for layout in LAYOUTS:
        a = make_draft(parent, seed=5, layout=layout)
        b = make_draft(parent, seed=5, layout=layout)
        assert a.text == b.text and a.truth == b.truth
    assert make_draft(parent, seed=6, layout="plain").text != make_draft(parent, seed=5, layout="plain").text


def test_layouts_render_the_same_draft(parsed):
    drafts = [make_draft(parsed("283"), seed=9, layout=layout) for layout in LAYOUTS]
    assert all(d.truth["pairs"] == drafts[0].truth["pairs"] for d in drafts)
    assert len({d.text for d in drafts}) == len(LAYOUTS)


def test_deterministic_across_processes():
    """No dependence on hash randomisation: two interpreters with different PYTHONHASHSEED agree."""
    code = (
        "import hashlib,sys; from plancompare.parse import parse_file; from plancompare.synth import make_draft;"
        f"p=parse_file({str(RAW / FILES['146'])!r});"
        "d=make_draft(p, seed=3, layout='pdf_text'); print(hashlib.sha256((d.text+d.truth_yaml()).encode()).hexdigest())"
    )
    outs = set()
    for hs in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=hs)
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
        outs.add(r.stdout.strip())
    assert len(outs) == 1


# ---------------------------------------------------------------- truth


@pytest.mark.parametrize("name", list(PARENTS))
def test_truth_names_existing_parent_tasks(parsed, name):
    parent = parsed(name)
    for seed in (PARENTS[name], 11):
        d = make_draft(parent, seed=seed, layout="plain")
        _check_parents(d.truth, parent)
        whole = {" ".join(t.text.split()) for t in parent.tasks} | {" ".join(c.text.split()) for c in d.plan.tasks()}
        for p in d.truth["pairs"]:
            for side in ("parent", "child"):
                if p.get(side):  # >= 10 words, or the whole (short) text
                    assert len(p[side].split()) >= MIN_KEY_WORDS or p[side] in whole


@pytest.mark.parametrize("name", list(PARENTS))
def test_truth_is_consistent(parsed, name):
    parent = parsed(name)
    d = make_draft(parent, seed=PARENTS[name], layout="plain")
    pairs = d.truth["pairs"]
    by_child: dict[str, list] = {}
    by_parent: dict[str, list] = {}
    for p in pairs:
        st = p["status"]
        kinds = p.get("kinds", [])
        assert st in ("copied", "changed", "dropped", "added")
        assert set(kinds) <= set(KIND_ORDER)
        assert kinds == [k for k in KIND_ORDER if k in kinds], "kinds in canonical order"
        if st == "copied":
            assert set(kinds) <= {"localized"}
        if st == "changed":
            assert kinds and kinds != ["localized"]
        if st == "dropped":
            assert p["child"] is None and p["parent"]
        if st == "added":
            assert p["parent"] is None and p["child"]
        if p.get("child"):
            by_child.setdefault(p["child"], []).append(p)
        if p.get("parent"):
            by_parent.setdefault(p["parent"], []).append(p)
    for c, ps in by_child.items():
        if any("merged" in p.get("kinds", []) for p in ps):
            assert len(ps) >= 2 and all("merged" in p.get("kinds", []) for p in ps)
    for k, ps in by_parent.items():
        if any("split" in p.get("kinds", []) for p in ps):
            assert len(ps) == 2
    # copied children equal their parent after normalisation (or after localisation)
    plan = d.plan
    ptexts = [t.text for t in _body(parent)]
    for c in plan.tasks():
        if c.status == "copied":
            (i,) = c.origin
            expect = localize(ptexts[i]) if "localized" in c.kinds else ptexts[i]
            assert truth_norm(c.text) == truth_norm(expect)
        elif c.status == "changed":
            assert all(truth_norm(c.text) != truth_norm(ptexts[i]) for i in c.origin)


def test_default_mix_has_every_edit(parsed):
    d = make_draft(parsed("146"), seed=1, layout="plain")
    statuses = {p["status"] for p in d.truth["pairs"]}
    kinds = {k for p in d.truth["pairs"] for k in p.get("kinds", [])}
    assert statuses == {"copied", "changed", "dropped", "added"}
    assert kinds == set(KIND_ORDER)
    assert any(c.rewrap or "reformat" in c.ops for c in d.plan.tasks())


def test_only_one_edit(parsed):
    d = make_draft(parsed("146"), seed=4, layout="plain", edits=EditMix.only("soften"))
    assert {p["status"] for p in d.truth["pairs"]} <= {"changed", "copied"}
    assert all(p.get("kinds") in (None, ["softened"]) for p in d.truth["pairs"])
    with pytest.raises(ValueError):
        EditMix.only("shuffle")


def test_editmix_parse():
    m = EditMix.parse("drop=0.5, add=2, ensure_all=false")
    assert m.drop == 0.5 and m.add == 2 and m.ensure_all is False and m.copy == EditMix().copy
    with pytest.raises(ValueError):
        EditMix.parse("explode=1")


# ---------------------------------------------------------------- layouts


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", list(PARENTS))
def test_layout_parses_to_the_truth_children(parsed, name, layout):
    d = make_draft(parsed(name), seed=PARENTS[name], layout=layout)
    doc = parse_text(d.text, name="child" + d.suffix)
    assert doc.document.layout == DETECTED_LAYOUT.get(layout, layout)
    assert len(_body(doc)) == d.child_task_count
    _check_children(d.truth, doc)


@pytest.mark.parametrize("name", list(PARENTS))
def test_hard_mix_parses_to_the_truth_children(parsed, name):
    for layout in LAYOUTS:
        d = make_draft(parsed(name), seed=PARENTS[name] + 40, layout=layout, edits=EditMix.hard())
        _check_children(d.truth, parse_text(d.text, name="child" + d.suffix))
    kinds = {k for p in d.truth["pairs"] for k in p.get("kinds", [])}
    assert {"merged", "split", "softened", "narrowed", "reworded"} <= kinds


@pytest.mark.parametrize("style", ["letter", "decimal", "dash"])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_style_in_every_layout(parsed, style, layout):
    d = make_draft(parsed("283"), seed=21, layout=layout, style=style)
    _check_children(d.truth, parse_text(d.text, name="child" + d.suffix))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_marker_line(parsed, layout):
    d = make_draft(parsed("146"), seed=8, layout=layout)
    assert d.text.splitlines()[0] == SYNTHETIC_MARKER.format(seed=8)
    doc = parse_text(d.text, name="child" + d.suffix)
    records = [t.text for t in doc.tasks] + [o.text for o in doc.objectives] + [a.text for a in doc.assignments]
    records += [s.title or "" for s in doc.sections] + [s.intro or "" for s in doc.sections]
    assert not any("BẢN NHÁP TỔNG HỢP" in r for r in records), "the marker line is preamble, not a record"


def test_pdf_layout_splits_document_numbers(parsed):
    d = make_draft(parsed("146"), seed=2, layout="pdf_text")
    lines = d.text.splitlines()
    assert any(ln.rstrip().endswith(("57-", "283-", "146/", "71/", "61-")) for ln in lines)
    assert all(lines[i].strip() == "" for i in range(1, len(lines), 2)), "a blank line after every physical line"


def test_web_layout_repeats_the_opening(parsed):
    d = make_draft(parsed("146"), seed=2, layout="web_scrape")
    assert "| Số hiệu |" in d.text and d.text.rstrip().endswith("Việc làm Hồ Chí Minh")
    doc = parse_text(d.text, name="child.txt")
    codes = {p.code for p in doc.problems}
    assert {"repeated_block_removed", "site_text_removed", "heading_inferred"} <= codes


# ---------------------------------------------------------------- edit functions


def test_localize():
    t = "Phát động phong trào thi đua trong toàn tỉnh; bố trí cán bộ trên địa bàn tỉnh Đắk Lắk đạt 25%, báo cáo Tỉnh ủy."
    out = localize(t)
    assert "toàn phường" in out and "trên địa bàn phường đạt" in out and "Tỉnh ủy" in out
    assert localize("hợp tác với các quốc gia có trình độ khoa học") is None
    assert "chuyển đổi số địa phương" in localize("đột phá chuyển đổi số quốc gia")


def test_soften():
    from random import Random

    assert soften("Xây dựng, ban hành quy định trách nhiệm người đứng đầu", Random(0)).startswith("Đề xuất xây dựng quy định")
    assert soften("Rà soát, sửa đổi quy định về khuyến khích", Random(0)) == "Rà soát, đề xuất sửa đổi quy định về khuyến khích"
    assert soften("Phát triển mạng lưới kết nối", Random(0)) == "Phối hợp phát triển mạng lưới kết nối"
    assert soften("Ban hành quy chế", Random(0)) == "Tham mưu ban hành quy chế"
    assert soften("Phấn đấu đạt 25%", Random(0)) is None
    assert soften("Tham mưu cơ chế, điều kiện", Random(0)) is None


def test_narrow_removes_a_fifth():
    from random import Random

    t = ("Xây dựng quỹ phát triển khoa học - công nghệ, quỹ hỗ trợ đổi mới sáng tạo, quỹ đầu tư khởi nghiệp. "
         "Ưu tiên bố trí ngân sách cho các nhiệm vụ khoa học, công nghệ trọng điểm, dự án chuyển đổi số, đồng thời kêu gọi xã hội hóa.")
    for seed in range(5):
        out = narrow(t, Random(seed))
        assert out is not None and len(out) <= 0.8 * len(t)
        assert truth_norm(out) in truth_norm(t) or all(truth_norm(s) in truth_norm(t) for s in split_sentences(out))
    assert narrow("Một câu duy nhất không có dấu chấm phẩy nào để bỏ đi cả.", Random(0)) is None


def test_split_sentences():
    t = "Gắn với công nghiệp 4.0, đáp ứng yêu cầu. Tại TP. Hồ Chí Minh có trung tâm… Phát triển thêm (IoT). Hết."
    assert split_sentences(t) == ["Gắn với công nghiệp 4.0, đáp ứng yêu cầu.", "Tại TP. Hồ Chí Minh có trung tâm…", "Phát triển thêm (IoT).", "Hết."]


def test_typo_changes_one_tone_mark():
    from random import Random

    t = "Thúc đẩy nghiên cứu, phát triển, khuyến khích doanh nghiệp khởi nghiệp công nghệ cao."
    for seed in range(10):
        out = typo(t, Random(seed))
        assert out and out != t and unicodedata.is_normalized("NFC", out)
        assert sum(a != b for a, b in zip(out.split(), t.split())) == 1 and len(out) == len(t)


def test_reformat_is_invisible_to_the_key():
    from random import Random

    t = "Tổ chức thể chế hóa, tập huấn kỹ thuật cho Ủy ban nhân dân, thủy lợi và công nghiệp hoá, hiện đại hóa."
    for seed in range(10):
        out, _ = reformat(t, Random(seed))
        assert truth_norm(out) == truth_norm(t)


def test_opening_key_is_unique():
    texts = ["Phát động phong trào thi đua trong toàn tỉnh để phát huy sức mạnh tổng hợp",
             "Phát động phong trào thi đua trong toàn tỉnh để phát huy tinh thần sáng tạo",
             "Ngắn gọn"]
    norms = [truth_norm(t) for t in texts]
    k0 = opening_key(texts[0], [norms[1], norms[2]])
    assert len(k0.split()) >= MIN_KEY_WORDS and not norms[1].startswith(truth_norm(k0))
    assert opening_key(texts[2], norms[:2]) == "Ngắn gọn"


# ---------------------------------------------------------------- the checked-in pairs

TRUTHS = sorted(PAIRS.glob("*/truth.yaml"))


def test_pairs_are_checked_in_and_small():
    assert len([t for t in TRUTHS if yaml.safe_load(t.read_text(encoding="utf-8")).get("synthetic")]) >= 12
    size = sum(p.stat().st_size for p in PAIRS.rglob("*") if p.is_file())
    assert size < 1.5 * 1024 * 1024


def _check_children_by_reading(truth: dict, child_path: Path) -> None:
    """A realdocs child is labelled by reading, not by the parser (which may read it differently):
    every child key occurs in the document's text and the key count is the realdocs hand count."""
    text = _norm(child_path.read_text(encoding="utf-8"))
    keys = {p["child"] for p in truth["pairs"] if p.get("child")}
    for k in keys:
        assert f" {_norm(k)} " in f" {text} ", f"child key {k!r} is not in {child_path.name}"
        assert not any(o != k and _norm(o).startswith(_norm(k)) for o in keys), f"child key {k!r} is a prefix of another"
    counts = json.loads((child_path.parent / "counts.json").read_text(encoding="utf-8"))
    assert len(keys) == counts[child_path.name]["tasks"]


@pytest.mark.parametrize("truth_path", TRUTHS, ids=[t.parent.name for t in TRUTHS])
def test_checked_in_pair(truth_path: Path):
    truth = yaml.safe_load(truth_path.read_text(encoding="utf-8"))
    parent = parse_file(ROOT / truth["parent_file"])
    child_path = ROOT / truth["child_file"]
    assert truth["parent"] == truth["parent_file"]
    _check_parents(truth, parent)
    if truth["child_file"].startswith("../shared/"):
        if not child_path.exists():
            pytest.skip(f"{truth['child_file']} not present (the realdocs are outside the repository)")
        _check_children_by_reading(truth, child_path)
        for r in truth.get("related_optional", []):
            assert len(_owners(r["parent"], _body(parent))) == 1
            assert r["child"] in {p["child"] for p in truth["pairs"] if p.get("child")}
        return
    child = parse_file(child_path)
    _check_children(truth, child)
    if truth.get("synthetic"):
        first = child_path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("BẢN NHÁP TỔNG HỢP (synthetic, seed=")
    for r in truth.get("related_optional", []):
        owners = _owners(r["child"], _body(child))
        assert len(_owners(r["parent"], _body(parent))) == 1 and owners and len({_norm(t.text) for t in owners}) == 1


REAL = [t for t in TRUTHS if not yaml.safe_load(t.read_text(encoding="utf-8")).get("synthetic")]


@pytest.mark.parametrize("truth_path", REAL, ids=[t.parent.name for t in REAL])
def test_real_truth_is_consistent(truth_path: Path):
    """Hand-labelled pairs: each task is either linked or dropped/added, never both; split and merged
    kinds match the link counts; related_optional pairs are not links."""
    truth = yaml.safe_load(truth_path.read_text(encoding="utf-8"))
    assert truth["labelled_by"].startswith("hand (reading both documents)") and truth["notes"]
    pairs = truth["pairs"]
    links = [(p["parent"], p["child"]) for p in pairs if p["parent"] and p["child"]]
    assert len(set(links)) == len(links)
    linked_p, linked_c = {a for a, _ in links}, {b for _, b in links}
    for p in pairs:
        st, kinds = p["status"], p.get("kinds", [])
        assert kinds == [k for k in KIND_ORDER if k in kinds]
        if st == "dropped":
            assert p["child"] is None and p["parent"] not in linked_p
        elif st == "added":
            assert p["parent"] is None and p["child"] not in linked_c
        else:
            assert st in ("copied", "changed", "either") and p["parent"] and p["child"]
            assert ("split" in kinds) == (sum(a == p["parent"] for a, _ in links) > 1), p
            assert ("merged" in kinds) == (sum(b == p["child"] for _, b in links) > 1), p
            if st == "copied":
                assert set(kinds) <= {"localized"}
    assert len([p for p in pairs if p["status"] == "dropped"]) == len({p["parent"] for p in pairs if p["status"] == "dropped"})
    assert len([p for p in pairs if p["status"] == "added"]) == len({p["child"] for p in pairs if p["status"] == "added"})
    for r in truth.get("related_optional", []):
        assert (r["parent"], r["child"]) not in set(links)


def test_real_pair_counts():
    truth = yaml.safe_load((PAIRS / "real_283_vs_146" / "truth.yaml").read_text(encoding="utf-8"))
    st = [p["status"] for p in truth["pairs"]]
    assert st.count("dropped") + len({p["parent"] for p in truth["pairs"] if p["child"] and p["parent"]}) == 45
    assert st.count("added") + len({p["child"] for p in truth["pairs"] if p["child"] and p["parent"]}) == 55
    merged = [p for p in truth["pairs"] if "merged" in p.get("kinds", [])]
    assert {p["parent_label"] for p in merged} == {"3.5", "3.10"} and len({p["child"] for p in merged}) == 1


def test_checked_in_pairs_are_what_the_generator_writes():
    """tests/pairs/ (the accuracy benchmark's synthetic drafts) is regenerated by
    `benchmarks/make_pairs.py`; a parser or generator change that alters a draft shows here."""
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_pairs.py"), "--check"], capture_output=True, text=True, cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert r.returncode == 0, r.stdout + r.stderr


def test_a_paragraph_of_a_task_stays_a_paragraph_in_the_draft():
    text = "KẾ HOẠCH\n\nI. MỤC TIÊU\n\nBảo đảm.\n\nII. NHIỆM VỤ\n\n1. Phòng chống\n\na) Triển khai biện pháp nắm chắc tình hình.\n\nPhát huy vai trò của lực lượng chuyên trách.\n\nb) Tổ chức tập huấn.\n- Cơ quan chủ trì: Công an tỉnh.\n\nIII. TỔ CHỨC THỰC HIỆN\n\nCác sở thực hiện."
    parent = parse_text(text, "p.md")
    assert [t.text for t in parent.tasks] == ["Triển khai biện pháp nắm chắc tình hình.\nPhát huy vai trò của lực lượng chuyên trách.", "Tổ chức tập huấn.\n- Cơ quan chủ trì: Công an tỉnh."]
    d = make_draft(parent, text, seed=3, edits=EditMix.only("copy"), layout="plain", style="letter")
    assert "\nPhát huy vai trò của lực lượng chuyên trách." in d.text and "- Phát huy" not in d.text
    assert "\n- Cơ quan chủ trì: Công an tỉnh." in d.text
