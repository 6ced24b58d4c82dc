"""Batch pipeline (plancompare.scale.batch), the national survey (plancompare.scale.survey) and their CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("pyarrow")  # dependencies of the national-scale modules (see docs/batch.md)
pytest.importorskip("datasketch")
from typer.testing import CliRunner

from plancompare.scale.batch import TABLES, run_batch
from plancompare.cli import app
from plancompare.synth.national import TEMPLATE_TASKS, generate, load_truth
from plancompare.normalize import key

SORT = {"pairs": ["doc", "pair"], "documents": ["file"], "survival": ["top_doc", "top_task_id", "doc"], "top_tasks": ["top_doc", "task_id"]}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("batch") / "corpus"
    generate(d, provinces=2, communes=10, seed=1, workers=1, template_share=0.6)
    return d


@pytest.fixture(scope="module")
def results(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("batch") / "results"
    rep = run_batch(corpus, out, workers=1, chunk_size=3, csv=True)
    return out, rep


def _sorted_csv(out: Path, name: str) -> bytes:
    df = pd.read_parquet(out / f"{name}.parquet")
    return df.sort_values(SORT[name], kind="stable").to_csv(index=False).encode()


def test_tables_have_the_expected_rows(corpus, results):
    out, rep = results
    plans, truth = load_truth(corpus)
    for t in TABLES:
        assert (out / f"{t}.parquet").exists()
        assert (out / f"{t}.csv").read_bytes()[:3] == b"\xef\xbb\xbf"  # UTF-8 with BOM
    docs = pd.read_parquet(out / "documents.parquet")
    assert len(docs) == len(plans) == rep.documents == 14
    assert rep.compared_plans == 13 and rep.comparisons == 13 and rep.parse_errors == 0
    # every plan's parent found, as the truth says
    by_file = dict(zip(docs["file"], docs["parent_file"]))
    for p in plans:
        assert (by_file[p["file"]] if isinstance(by_file[p["file"]], str) else None) == p["parent_file"], p["file"]
    assert sorted(rep.tops) == ["03/NQ-CP", "57-NQ/TW"]
    pairs = pd.read_parquet(out / "pairs.parquet")
    assert len(pairs) == rep.pairs
    assert set(pairs["status"]) == {"copied", "changed", "dropped", "added"}
    # one row per pair of each comparison; the summary counts agree with the rows
    for r in docs[docs["parent_file"].notna()].itertuples():
        rows = pairs[pairs["doc"] == r.doc]
        assert (rows["status"] == "added").sum() == r.added
        assert rows.loc[rows["status"] != "added", "parent_task_id"].nunique() == r.parent_tasks
    communes = docs[docs["level"] == "commune"]
    assert len(communes) == 10 and communes["province"].notna().all()
    # survival: every task of a top document, in every plan below it
    surv = pd.read_parquet(out / "survival.parquet")
    top = pd.read_parquet(out / "top_tasks.parquet")
    assert set(surv["status"]) <= {"copied", "changed", "dropped", "not_received"}
    n03 = (top["top_number"] == "03/NQ-CP").sum()
    assert ((surv["top_number"] == "03/NQ-CP") & (surv["level"] == "commune")).sum() == n03 * 10
    csv = pd.read_csv(out / "pairs.csv", encoding="utf-8-sig")
    assert len(csv) == len(pairs)


def test_rerun_does_no_work(corpus, results):
    out, _ = results
    before = {p: p.stat().st_mtime_ns for p in out.glob("*.parquet")}
    rep = run_batch(corpus, out, workers=1, chunk_size=3, csv=True)
    assert (rep.parsed, rep.scan_chunks_run, rep.align_chunks_run, rep.comparisons) == (0, 0, 0, 0)
    assert not rep.tables_written
    assert {p: p.stat().st_mtime_ns for p in out.glob("*.parquet")} == before


def test_resume_after_an_interruption(corpus, results, tmp_path):
    out_full, rep_full = results
    out = tmp_path / "res"
    seen = []

    def stop(phase, done, total):
        if phase == "align" and done > 0:
            seen.append(done)
            if len(seen) == 2:
                raise KeyboardInterrupt  # as if Ctrl-C after two chunks

    with pytest.raises(KeyboardInterrupt):
        run_batch(corpus, out, workers=1, chunk_size=3, progress=stop, csv=True)
    assert not (out / "pairs.parquet").exists()
    assert not list(out.rglob("*.tmp"))
    rep = run_batch(corpus, out, workers=1, chunk_size=3, csv=True)
    total = rep_full.align_chunks_run
    assert rep.align_chunks_reused == 2 and rep.align_chunks_run == total - 2
    assert rep.scan_chunks_run == 0 and rep.parsed < rep_full.parsed
    for t in TABLES:
        assert (out / f"{t}.csv").read_bytes() == (out_full / f"{t}.csv").read_bytes()


def test_a_changed_file_realigns_only_its_chunk(corpus, results, tmp_path):
    out_full, rep_full = results
    c2 = tmp_path / "corpus"
    shutil.copytree(corpus, c2)
    out = tmp_path / "res"
    shutil.copytree(out_full, out)
    docs = pd.read_parquet(out / "documents.parquet")
    f = docs.loc[docs["level"] == "commune", "file"].iloc[0]
    with open(c2 / f, "a", encoding="utf-8") as fh:
        fh.write("\n")
    rep = run_batch(c2, out, workers=1, chunk_size=3, csv=True)
    assert rep.align_chunks_run == 1 and rep.parsed == 1 and rep.tables_written


def test_dask_engine_gives_identical_tables(corpus, results, tmp_path):
    pytest.importorskip("dask.distributed")
    out_local, _ = results
    out = tmp_path / "dask"
    rep = run_batch(corpus, out, workers=2, engine="dask", chunk_size=3)  # a LocalCluster of 2 worker processes
    assert rep.engine == "dask" and rep.comparisons == 13
    for t in TABLES:
        assert _sorted_csv(out, t) == _sorted_csv(out_local, t), t


def test_survey_finds_the_planted_copy_and_template(corpus, results):
    from plancompare.scale.survey import survey

    out, _ = results
    plans, truth = load_truth(corpus)
    r = survey(out)
    planted = {p["file"] for p in plans if p["near_verbatim"]}
    assert planted and {v.file for v in r.verbatim} == planted
    adopters = {tid: {p["file"] for p in plans if tid in p["template_tasks"]} for tid, _t, _w in TEMPLATE_TASKS}
    t1 = next(t for i, t, _w in TEMPLATE_TASKS if i == "T1")
    assert len(adopters["T1"]) >= 3
    head = key(t1.format(unit="xã"))[:60]
    found = [t for t in r.templates if key(t.text).startswith(head[:40])]
    assert len(found) == 1 and found[0].communes == len(adopters["T1"]) and found[0].in_parent is None
    # local tasks of a single commune are never reported as templates
    assert all(t.communes >= 3 for t in r.templates)
    # survival shares: a task every province dropped is not received by any commune
    for t in r.tasks:
        if t.top_number == "03/NQ-CP" and t.province_dropped == 1.0:
            assert t.commune_not_received == 1.0
    assert r.stats["lsh_candidate_pairs"] < r.stats["all_pairs_would_be"]


def test_survey_settings_are_a_frozen_model_recorded_in_the_result(results):
    import pydantic
    from plancompare.scale.survey import DEFAULT, SurveySettings, survey

    out, _ = results
    with pytest.raises(pydantic.ValidationError):
        DEFAULT.min_ratio = 50.0  # frozen: no caller changes the defaults of the next one
    with pytest.raises(pydantic.ValidationError):
        SurveySettings(lsh_treshold=0.4)  # a misspelt setting is refused, not ignored
    strict = SurveySettings(template_min_communes=10**6)
    r = survey(out, settings=strict)
    assert r.settings == strict and r.templates == []
    assert survey(out).settings == DEFAULT


# ---------------------------------------------------------------- CLI

runner = CliRunner()


def test_cli_batch_and_survey(corpus, results, tmp_path):
    out = tmp_path / "cli"
    res = runner.invoke(app, ["batch", str(corpus), "--out", str(out), "--workers", "1", "--format", "json", "--quiet"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["comparisons"] == 13
    res = runner.invoke(app, ["survey", str(out), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["verbatim"] and data["templates"] and data["tasks"]
    res = runner.invoke(app, ["survey", str(out), "--format", "csv"])
    assert res.exit_code == 0 and res.stdout.startswith("\ufeffsection,")
    res = runner.invoke(app, ["survey", str(out)])
    assert res.exit_code == 0 and "Near-verbatim" in res.stdout
    # the default terminal view of batch (its report's plain tables; the report's `tables` field
    # once shadowed the method that draws them: "'dict' object is not callable")
    res = runner.invoke(app, ["batch", str(corpus), "--out", str(out), "--workers", "1", "--quiet"])
    assert res.exit_code == 0, res.output
    assert "plancompare batch" in res.stdout and "align chunks" in res.stdout and "every file matched its checksum" in res.stdout


def test_cli_bad_input(corpus, results, tmp_path):
    res = runner.invoke(app, ["batch", str(tmp_path / "missing"), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and "no such folder" in res.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    res = runner.invoke(app, ["batch", str(empty), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and "no plan files" in res.stderr
    res = runner.invoke(app, ["survey", str(corpus)])  # a corpus, not a results folder
    assert res.exit_code == 2 and "not a results folder" in res.stderr
    res = runner.invoke(app, ["survey", str(tmp_path / "missing")])
    assert res.exit_code == 2
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("x", encoding="utf-8")
    res = runner.invoke(app, ["batch", str(corpus), "--out", str(foreign), "--quiet"])
    assert res.exit_code == 4 and "not a results folder" in res.stderr
    res = runner.invoke(app, ["batch", str(corpus), "--out", str(tmp_path / "o"), "--engine", "spark"])
    assert res.exit_code == 2
    res = runner.invoke(app, ["batch", str(corpus), "--out", str(tmp_path / "o"), "--scheduler", "tcp://127.0.0.1:1", "--quiet"])
    assert res.exit_code == 2 and "--engine dask" in res.stderr


def test_cli_synth(tmp_path):
    out = tmp_path / "syn"
    res = runner.invoke(app, ["synth", "--provinces", "1", "--communes", "2", "--out", str(out), "--seed", "5", "--workers", "1", "--format", "json", "--quiet"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["plans"] == 3
    assert "SYNTHETIC" in (out / "README.md").read_text(encoding="utf-8")
    res = runner.invoke(app, ["synth", "--provinces", "1", "--communes", "2", "--out", str(Path(__file__).resolve().parent.parent / "data" / "raw" / "x"), "--quiet"])
    assert res.exit_code == 4 and "data/raw" in res.stderr
