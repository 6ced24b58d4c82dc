"""The corpus and lineage commands through the CLI (typer's CliRunner): formats, --out, bad input."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from plancompare.cli import app

from _corpus import FILES, RAW

runner = CliRunner()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = tmp_path_factory.mktemp("cli-store")
    r = runner.invoke(app, ["corpus", "scan", str(RAW), "--store", str(s), "--format", "json"])
    assert r.exit_code == 0, r.output
    return s


def run(store, *args: str):
    return runner.invoke(app, [*args, "--corpus", str(RAW), "--store", str(store)])


def test_scan_json_then_reuse(store):
    r = runner.invoke(app, ["corpus", "scan", str(RAW), "--store", str(store), "--format", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["parsed"] == 0 and d["reused"] == 7 and {f["status"] for f in d["files"]} == {"reused"}
    assert (store / "_corpus_index.json").exists()


def test_scan_table_and_csv(store, tmp_path):
    r = runner.invoke(app, ["corpus", "scan", str(RAW), "--store", str(store)])
    assert r.exit_code == 0 and "146/KH-UBND" in r.stdout and "reused" in r.stdout
    out = tmp_path / "scan.csv"
    r = runner.invoke(app, ["corpus", "scan", str(RAW), "--store", str(store), "--format", "csv", "--out", str(out)])
    assert r.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 7 and {r["number"] for r in rows} >= {"146/KH-UBND", "283-KH/TU", "57-NQ/TW"}


def test_chain_table(store):
    r = run(store, "chain")
    assert r.exit_code == 0, r.output
    for s in ("57-NQ/TW", "03/NQ-CP", "283-KH/TU", "146/KH-UBND", "phường Tân Lập", "substitution", "71/NQ-CP", "61-CTr/TU", "missing link", "coverage"):
        assert s in r.stdout, s


def test_chain_json_and_csv(store):
    r = run(store, "chain", "146", "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    labels = {x["id"]: x["label"] for x in d["documents"]}
    edges = {(labels[e["parent"]], labels[e["child"]]): e for e in d["edges"]}
    assert ("283-KH/TU", "146/KH-UBND") in edges and edges[("03/NQ-CP", "146/KH-UBND")]["substitution"]["cited"] == "71/NQ-CP"
    assert edges[("283-KH/TU", "146/KH-UBND")]["summary"]["parent_tasks"] == 45
    r = run(store, "chain", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout.lstrip("\ufeff"))))
    assert {row["row"] for row in rows} == {"edge", "missing"}
    assert any(row["row"] == "missing" and row["parent"] == "61-CTr/TU" for row in rows)


def test_trace_formats(store):
    r = run(store, "trace", "tan-lap", "II.2.a")
    assert r.exit_code == 0, r.output
    assert "283-KH/TU" in r.stdout and "III.3.1" in r.stdout and "origin" in r.stdout
    r = run(store, "trace", "tan-lap", "2.a", "--format", "json")
    d = json.loads(r.stdout)
    assert d["task"]["id"] == "T:II.2.a"
    # the way up goes through 283-KH/TU III.3.1 (verbatim source of 146's II.2.a); the origin is
    # the top of that way (57-NQ/TW's III.2 dash on the same laws, or III.3.1 itself)
    up = json.dumps(d["up"], ensure_ascii=False)
    assert '"path": "III.3.1"' in up
    assert d["origins"][0]["task"]["path"] in ("III.3.1", "III.2.-1")
    r = run(store, "trace", FILES["03"], "II.1.i", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout.lstrip("\ufeff"))))
    assert {(row["doc"], row["task_label"]) for row in rows if row["direction"] == "down"} >= {("25/KH-UBND", "'-"), ("146/KH-UBND", "h")}  # CSV: a cell starting with "-" is neutralised


def test_diff_with_several_parents(store, tmp_path):
    child, p1, p2 = str(RAW / FILES["146"]), str(RAW / FILES["283"]), str(RAW / FILES["03"])
    r = runner.invoke(app, ["diff", child, "--parents", p1, "--parents", p2, "--format", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    labels = {p["id"]: p["label"] for p in d["parents"]}
    t = next(t for t in d["tasks"] if t["child"]["path"] == "II.2.a")
    assert labels[t["parent"]] == "283-KH/TU" and t["parent_tasks"][0]["label"] == "3.1"
    r = runner.invoke(app, ["diff", child, "--parents", p1, "--parents", p2, "--only", "added", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(r.stdout.lstrip("\ufeff"))))
    assert rows and {row["status"] for row in rows} == {"added"} and all(row["parent"] == "" for row in rows)
    out = tmp_path / "attr.txt"
    r = runner.invoke(app, ["diff", child, "--parents", p1, "--parents", p2, "--out", str(out)])
    assert r.exit_code == 0 and "283-KH/TU" in out.read_text(encoding="utf-8")


def test_siblings(store):
    r = run(store, "siblings", FILES["tn"], "hai-duong", "146", "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    labels = {x["id"]: x["label"] for x in d["documents"]}
    assert [labels[a] for a in d["ancestors"]] == ["03/NQ-CP"]
    row = next(x for x in d["coverage"] if x["task"]["path"] == "II.1.i")
    assert row["kept"] == 3
    r = run(store, "siblings", FILES["tn"], "hai-duong", "--part", "coverage", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout.lstrip("\ufeff"))))
    assert len(rows) == 102 and "25/KH-UBND" in rows[0]
    r = run(store, "siblings", FILES["tn"], "hai-duong", "--part", "near")
    assert r.exit_code == 0 and "near-identical" in r.stdout
    r = run(store, "siblings", FILES["tn"], "hai-duong", "--part", "nope")
    assert r.exit_code == 2


def test_dropped_and_indicators(store):
    r = run(store, "dropped", "tan-lap", "--format", "md")
    assert r.exit_code == 0, r.output
    assert "never carried" in r.stdout and "II.1.d" in r.stdout
    r = run(store, "indicators", FILES["tn"], "hai-duong", "283", "--parent", "03/NQ-CP", "--format", "csv")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout.lstrip("\ufeff"))))
    assert any(row["doc"] == "283-KH/TU" and "weaker_value" in row["flags"] for row in rows)
    r = run(store, "indicators", FILES["tn"], "hai-duong", "--parent", "03/NQ-CP")
    assert r.exit_code == 0 and "Quy mô kinh tế số" in r.stdout


# ------------------------------------------------------------------ bad input


def test_missing_doc(store):
    r = run(store, "trace", "no-such-plan", "II.1.a")
    assert r.exit_code == 2
    assert "no document 'no-such-plan'" in r.stderr and "146/KH-UBND" in r.stderr
    r = run(store, "chain", "999/KH-UBND")
    assert r.exit_code == 2


def test_unknown_task(store):
    r = run(store, "trace", "146", "IX.9.z")
    assert r.exit_code == 2
    assert "has no task 'IX.9.z'" in r.stderr


def test_empty_directory(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    r = runner.invoke(app, ["corpus", "scan", str(empty)])
    assert r.exit_code == 2 and "no plan files" in r.stderr
    r = runner.invoke(app, ["chain", "--corpus", str(empty)])
    assert r.exit_code == 2
    r = runner.invoke(app, ["corpus", "scan", str(tmp_path / "absent")])
    assert r.exit_code == 2 and "no such folder" in r.stderr


def test_bad_manifest(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / FILES["146"]).write_bytes((RAW / FILES["146"]).read_bytes())
    (tmp_path / "m.yaml").write_text("documents:\n  - file: x.txt\n    colour: red\n", encoding="utf-8")
    r = runner.invoke(app, ["corpus", "scan", str(tmp_path / "raw"), "--manifest", str(tmp_path / "m.yaml")])
    assert r.exit_code == 2 and "invalid manifest" in r.stderr


def test_bad_format(store):
    r = run(store, "chain", "--format", "yaml")
    assert r.exit_code == 2
