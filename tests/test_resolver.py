"""One parent resolver: `chain` (a Corpus), `batch` (its workers' headers) and `check` get the same parents.

Truth: the real corpus (146/KH-UBND implements 283-KH/TU and, through 71/NQ-CP which amends it,
03/NQ-CP: "Nghị quyết số 71/NQ-CP ... sửa đổi, bổ sung ... Nghị quyết số 03/NQ-CP") and the
synthetic national corpus, whose truth names each plan's parent.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from _corpus import FILES, RAW

from plancompare.lineage import build_graph, chain, resolve
from plancompare.models import DocumentInfo, Level, Reference
from plancompare.store import Corpus, DocHeader


def _batch_parents(root: Path, files: list[str]) -> dict[str, dict]:
    from plancompare.parse import parse_file
    from plancompare.scale.batch import header, resolve_parents, sha256_file

    return resolve_parents([header(f, sha256_file(root / f), parse_file(root / f)) for f in files])


def _chain_parents(corpus: Corpus) -> tuple[dict[str, set[str]], dict[str, str]]:
    """Every document's parents (files) in chain's result, and the parent each is expanded under."""
    res = chain(corpus, diff=False)
    file_of = {d.id: d.file for d in res.documents}
    parents: dict[str, set[str]] = {d.file: set() for d in res.documents}
    for e in res.edges:
        parents[file_of[e.child]].add(file_of[e.parent])
    primary: dict[str, str] = {}

    def walk(n, up):
        if not n.repeated and up is not None:
            primary[file_of[n.doc]] = file_of[up]
        for k in n.children:
            walk(k, n.doc)

    for n in res.tree:
        walk(n, None)
    return parents, primary


def _assert_agree(corpus: Corpus, found: dict[str, dict]) -> None:
    parents, primary = _chain_parents(corpus)
    assert set(found) == set(parents)
    for f, r in found.items():
        assert set(r["parents"]) == parents[f], f
        assert r["parent"] == primary.get(f), f
        assert (r["parents"][0] if r["parents"] else None) == r["parent"]


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    c = Corpus.scan(RAW, store=tmp_path_factory.mktemp("store"))
    return c, _batch_parents(RAW, [c.entry(i).file for i in c.ids])


def test_batch_and_chain_agree_on_every_parent_of_the_corpus(real):
    corpus, found = real
    _assert_agree(corpus, found)


def test_146_has_both_parents_in_batch_and_chain(real):
    _, found = real
    r = found[FILES["146"]]
    assert r["parent"] == FILES["283"]  # the closest level: the province's party plan
    assert set(r["parents"]) == {FILES["283"], FILES["03"]}  # 03/NQ-CP stands in for 71/NQ-CP, which amends it
    assert "71/NQ-CP" in r["missing"]


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    pytest.importorskip("pyarrow")
    pytest.importorskip("datasketch")
    from plancompare.synth.national import generate, load_truth

    d = tmp_path_factory.mktemp("national") / "corpus"
    generate(d, provinces=3, communes=12, seed=5, workers=1)
    plans, _ = load_truth(d)
    corpus = Corpus.scan(d, store=tmp_path_factory.mktemp("nstore"))
    return d, plans, corpus, _batch_parents(d, [p["file"] for p in plans])


def test_batch_and_chain_agree_on_the_national_corpus(national):
    _, plans, corpus, found = national
    _assert_agree(corpus, found)
    for p in plans:
        assert found[p["file"]]["parent"] == p.get("parent_file"), p["file"]


# ---------------------------------------------------------------- the rules, on headers


def _h(did: str, number: str | None, level: Level, date: str | None, issuer: str | None = None, refs: list[Reference] | None = None) -> DocHeader:
    info = DocumentInfo(number=number, level=level, issue_date=dt.date.fromisoformat(date) if date else None, issuer=issuer)
    return DocHeader(id=did, file=f"{did}.txt", document=info, references=refs or [])


def _ref(number: str, date: str | None = None, relation: str = "implements", issuer: str | None = None) -> Reference:
    return Reference(number=number, date=dt.date.fromisoformat(date) if date else None, relation=relation, issuer=issuer)  # type: ignore[arg-type]


def test_a_parent_never_sits_below_its_child():
    # two communes numbered alike: the one citing 12/KH-UBND (its province's plan, absent) is no child of the other
    a = _h("a" * 12, "30/KH-UBND", Level.commune, "2025-04-01", "UBND xã An", [_ref("12/KH-UBND", "2025-03-01")])
    b = _h("b" * 12, "12/KH-UBND", Level.commune, "2025-03-01", "UBND xã Bình")
    g = resolve([a, b])
    assert g.edges == [] and [m.number for m in g.missing] == ["12/KH-UBND"]


def test_same_level_parent_only_from_the_same_issuer():
    old = _h("a" * 12, "03/NQ-CP", Level.government, "2025-01-09", "Chính phủ")
    new = _h("b" * 12, "71/NQ-CP", Level.government, "2025-04-01", "Chính phủ", [_ref("03/NQ-CP", "2025-01-09", "amends")])
    assert [(e.parent, e.child) for e in resolve([old, new]).edges] == [(old.id, new.id)]
    other = old.model_copy(update={"document": old.document.model_copy(update={"issuer": "Bộ Chính trị"})})
    assert resolve([other, new]).edges == []


def test_no_edge_closes_a_cycle_and_the_primary_parent_is_the_nearest_level():
    top = _h("t" * 12, "1/NQ-CP", Level.government, None, refs=[_ref("2/KH-UBND")])
    prov = _h("p" * 12, "2/KH-UBND", Level.unknown, None, refs=[_ref("1/NQ-CP")])
    g = resolve([top, prov])
    assert len(g.edges) == 1 and any("cycle" in w for w in g.warnings)
    party = _h("q" * 12, "5-KH/TU", Level.provincial_party, "2025-02-01")
    plan = _h("k" * 12, "9/KH-UBND", Level.provincial_government, "2025-03-01", refs=[_ref("1/NQ-CP", relation="basis"), _ref("5-KH/TU", "2025-02-01")])
    g = resolve([top.model_copy(update={"references": []}), party, plan])
    assert {e.parent for e in g.parents(plan.id)} == {top.id, party.id}
    assert g.primary_parent(plan.id).parent == party.id  # type: ignore[union-attr]


def test_build_graph_is_resolve_over_the_corpus_headers(real):
    corpus, _ = real
    assert build_graph(corpus) == resolve(corpus.headers(), corpus.manifest)


def test_check_resolves_the_drafts_citations_with_the_same_resolver():
    from plancompare.gate import corpus_headers_from_dir, run_check
    from plancompare.parse import load

    corpus = corpus_headers_from_dir(RAW)
    assert {h.file for h in corpus} == set(FILES.values())
    draft, parent = load(RAW / FILES["146"]), load(RAW / FILES["283"])
    rule = next(r for r in run_check(draft, parent, corpus=corpus).rules if r.rule == "references")
    # 146/KH-UBND cites 71/NQ-CP and 61-CTr/TU, absent from the corpus; 283-KH/TU, 03/NQ-CP and 57-NQ/TW are found
    unresolved = {f.message.split(" (")[0].split()[-1] for f in rule.findings}
    assert {"61-CTr/TU", "71/NQ-CP"} <= unresolved and not unresolved & {"283-KH/TU", "03/NQ-CP", "57-NQ/TW"}
    # a citation of 03/NQ-CP dated in another year names another document (numbers restart every year)
    moved = [r.model_copy(update={"date": r.date.replace(year=2023)}) if r.number == "03/NQ-CP" and r.date else r for r in draft.references]
    redated = draft.model_copy(update={"references": moved})
    rule = next(r for r in run_check(redated, parent, corpus=corpus).rules if r.rule == "references")
    assert any("03/NQ-CP" in f.message for f in rule.findings)
    same = next(r for r in run_check(redated, parent, corpus_numbers=[h.document.number for h in corpus if h.document.number]).rules if r.rule == "references")
    assert not any("03/NQ-CP" in f.message for f in same.findings)  # numbers alone: no year to tell them apart


def test_check_reads_its_corpus_folder_with_the_store(tmp_path):
    """The same files as `corpus scan` and `batch` (one suffix list; README skipped), parsed JSON too."""
    import shutil

    from plancompare.gate import corpus_files, corpus_headers_from_dir

    shutil.copy(RAW / FILES["283"], tmp_path / FILES["283"])
    (tmp_path / "sub").mkdir()
    shutil.copy(RAW.parent / "parsed" / (Path(FILES["03"]).stem + ".json"), tmp_path / "sub" / "03.json")
    (tmp_path / "README.md").write_text("# not a plan", encoding="utf-8")
    (tmp_path / "_index.json").write_text("{}", encoding="utf-8")
    assert [f.relative_to(tmp_path).as_posix() for f in corpus_files(tmp_path)] == [FILES["283"], "sub/03.json"]
    assert sorted(h.document.number for h in corpus_headers_from_dir(tmp_path)) == ["03/NQ-CP", "283-KH/TU"]
    errors = []
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    assert len(corpus_headers_from_dir(tmp_path, on_error=lambda f, e: errors.append(f.name))) == 2 and errors == ["broken.json"]
