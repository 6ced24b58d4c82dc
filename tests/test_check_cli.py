"""`plancompare check`, `gaps` and `report` through typer's CliRunner: exit codes
0/1/2, stdout carrying only data, files written whole, one-line errors."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from typer.testing import CliRunner

from _corpus import FILES, RAW, ROOT
from plancompare.cli import app

runner = CliRunner()
P, C = str(RAW / FILES["146"]), str(RAW / FILES["tanlap"])
EXAMPLE = str(ROOT / "examples" / "plancheck.yaml")
PASSING = "dropped: false\ncoverage:\n  overall: 0.9\nreferences:\n  external: [71/NQ-CP, 61-CTr/TU, 49/KH-UBND]\n"


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture()
def passing_config(tmp_path):
    p = tmp_path / "plancheck.yaml"
    p.write_text(PASSING, encoding="utf-8")
    return str(p)


# ------------------------------------------------------------------ check: exit codes


def test_check_passes_exit_0(passing_config):
    r = run("check", C, "--against", P, "--config", passing_config, "--corpus", str(RAW))
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[-1] == "PASSED: 0 failed, 4 passed, 1 with warnings, 5 skipped"
    assert "  relaxed by the config: dropped.enabled is false: a dropped parent task does not fail the check (coverage minimums and protected tasks still apply)" in r.stdout.splitlines()
    assert r.stderr == ""


def test_check_fails_exit_1_and_still_writes_the_output():
    r = run("check", C, "--against", P, "--config", EXAMPLE, "--corpus", str(RAW), "--today", "2025-10-01")
    assert r.exit_code == 1
    assert "FAIL  protected" in r.stdout and "FAIL  waivers" in r.stdout and "FAIL  dropped" in r.stdout
    assert r.stdout.splitlines()[-1] == "FAILED: 3 failed, 4 passed, 1 with warnings, 2 skipped"


def test_check_waiver_date_decides(passing_config, tmp_path):
    conf = tmp_path / "w.yaml"
    conf.write_text(PASSING + "waivers:\n  - task: II.1.o\n    reason: không có đài truyền thanh\n    expires: 2025-09-30\n", encoding="utf-8")
    args = ["check", C, "--against", P, "--config", str(conf), "--corpus", str(RAW)]
    assert run(*args, "--today", "2025-09-30").exit_code == 0
    r = run(*args, "--today", "2025-10-01")
    assert r.exit_code == 1 and "FAIL  waivers" in r.stdout


def test_check_formats():
    base = ["check", C, "--against", P, "--config", EXAMPLE, "--corpus", str(RAW), "--today", "2025-10-01"]
    j = run(*base, "--format", "json")
    assert j.exit_code == 1
    d = json.loads(j.stdout)
    assert d["passed"] is False and d["draft_file"] == C
    assert j.stderr == f"plancheck: 1 of 1 draft failed: {C}: dropped, protected, waivers\n"
    x = run(*base, "--format", "junit")
    root = ET.fromstring(x.stdout)
    rules = [t.get("name") for t in root.iter("testcase") if t.get("classname").endswith(".rules")]
    assert rules == ["dropped", "weakened", "coverage", "protected", "waivers", "targets", "deadlines", "assignments", "duplicates", "references"]
    g = run(*base, "--format", "github")
    lines = g.stdout.splitlines()
    assert lines[0].startswith(f"::error file={C},line=69,title=plancheck dropped II.1.i::II.1.i «Phấn đấu đến hết năm 2030")
    assert lines[-1].startswith("::notice title=plancheck::")


def test_check_several_drafts_json_array_and_out_file(tmp_path, passing_config):
    out = tmp_path / "res" / "check.json"
    out.parent.mkdir()  # --out writes into an existing folder; it creates none
    r = run("check", C, P, "--against", P, "--config", passing_config, "--corpus", str(RAW), "--format", "json", "--out", str(out))
    assert r.exit_code == 0, r.output
    assert r.stdout == ""  # data went to the file; the message to stderr
    assert f"wrote {out}" in r.stderr
    arr = json.loads(out.read_text(encoding="utf-8"))
    assert [x["draft_file"] for x in arr] == [C, P] and all(x["passed"] for x in arr)


def test_check_picks_up_plancheck_yaml_in_the_working_folder(tmp_path, monkeypatch):
    (tmp_path / "plancheck.yaml").write_text("coverage:\n  overall: 0.99\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    r = run("check", C, "--against", P)
    assert r.exit_code == 1 and "FAIL  coverage" in r.stdout
    assert r.stderr == "using plancheck.yaml\n"


# ------------------------------------------------------------------ check: bad input -> 2, one line


def test_check_missing_draft():
    r = run("check", "nope.txt", "--against", P)
    assert (r.exit_code, r.stderr, r.stdout) == (2, "plancompare: error: nope.txt: no such file\n", "")


def test_check_missing_parent():
    r = run("check", C, "--against", "nope.txt")
    assert (r.exit_code, r.stderr) == (2, "plancompare: error: nope.txt: no such file\n")


def test_check_bad_config(tmp_path):
    bad = tmp_path / "plancheck.yaml"
    bad.write_text("coverage:\n  overall: 1.5\n", encoding="utf-8")
    r = run("check", C, "--against", P, "--config", str(bad))
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == f"plancompare: error: {bad}: coverage.overall: must be a share between 0 and 1 or a percentage like '90%' (got 1.5)\n"


def test_check_config_naming_a_missing_task(tmp_path):
    bad = tmp_path / "plancheck.yaml"
    bad.write_text("protected:\n  - task: II.9.z\n", encoding="utf-8")
    r = run("check", C, "--against", P, "--config", str(bad))
    assert r.exit_code == 2
    assert r.stderr == f"plancompare: error: {bad}: protected[0].task: 'II.9.z' matches no task of the parent 146/KH-UBND\n"


def test_check_missing_config_and_corpus(tmp_path):
    r = run("check", C, "--against", P, "--config", str(tmp_path / "none.yaml"))
    assert (r.exit_code, r.stderr) == (2, f"plancompare: error: {tmp_path / 'none.yaml'}: no such file\n")
    r = run("check", C, "--against", P, "--corpus", str(tmp_path / "nowhere"))
    assert (r.exit_code, r.stderr) == (2, f"plancompare: error: {tmp_path / 'nowhere'}: no such folder\n")


def test_check_usage_errors():
    r = run("check", C, "--against", P, "--format", "xml")
    assert r.exit_code == 2 and "'xml' is not one of: text, table, json, junit, github" in r.stderr
    r = run("check", C, "--against", P, "--today", "tomorrow")
    assert r.exit_code == 2 and "'tomorrow' is not a date like 2025-12-31" in r.stderr
    r = run("check", C)
    assert r.exit_code == 2 and "--against" in r.stderr


# ------------------------------------------------------------------ gaps


def test_gaps_files_and_stdout(tmp_path):
    pytest.importorskip("openpyxl")
    r = run("gaps", P, C, "--csv", str(tmp_path / "g.csv"), "--xlsx", str(tmp_path / "g.xlsx"))
    assert r.exit_code == 0, r.output
    assert r.stdout == ""
    assert r.stderr == f"wrote {tmp_path / 'g.csv'} (28 rows)\nwrote {tmp_path / 'g.xlsx'} (28 rows)\n"
    assert (tmp_path / "g.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (tmp_path / "g.xlsx").read_bytes()[:2] == b"PK"


def test_gaps_formats():
    j = run("gaps", P, C, "--format", "json")
    assert j.exit_code == 0
    rows = json.loads(j.stdout)
    assert len(rows) == 28 and rows[0]["parent_id"] == "T:II.1.a"
    c = run("gaps", P, C, "--format", "csv")
    assert c.stdout.startswith("\ufeffMục (cấp trên),Ký hiệu,Nhiệm vụ cấp trên,Tình trạng")  # Vietnamese by default
    e = run("gaps", P, C, "--format", "csv", "--lang", "en")
    assert e.stdout.startswith("\ufeffSection (parent),Label,Parent task,Status")
    t = run("gaps", P, C)
    assert t.exit_code == 0 and "28 khác biệt" in t.stdout and "II.1.i" in t.stdout and "làm nhẹ đi" in t.stdout
    t = run("gaps", P, C, "--lang", "en")
    assert t.exit_code == 0 and "28 gaps" in t.stdout and "softened" in t.stdout


def test_gaps_bad_input():
    r = run("gaps", P, "nope.txt")
    assert (r.exit_code, r.stderr) == (2, "plancompare: error: nope.txt: no such file\n")
    r = run("gaps", P, C, "--format", "md")
    assert r.exit_code == 2 and "'md' is not one of: table, json, csv" in r.stderr


# ------------------------------------------------------------------ report


def test_report_html_file_and_stdout(tmp_path):
    out = tmp_path / "r" / "report.html"
    out.parent.mkdir()
    r = run("report", P, C, "--html", str(out))
    assert r.exit_code == 0 and r.stdout == "" and r.stderr == f"wrote {out}\n"
    h = out.read_text(encoding="utf-8")
    assert h.startswith("<!DOCTYPE html>") and "Phấn đấu đến hết năm 2030" in h
    s = run("report", P, C)
    assert s.stdout.startswith("<!DOCTYPE html>")


def test_report_bad_input(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    r = run("report", str(empty), C, "--html", str(tmp_path / "x.html"))
    assert r.exit_code == 2 and r.stderr == f"plancompare: error: {empty}: the file is empty\n"
    assert not (tmp_path / "x.html").exists()


def test_progress_bar_goes_to_stderr_only(passing_config):
    """On a terminal (forced here) several drafts show a rich progress bar on stderr; stdout stays pure JSON."""
    r = runner.invoke(app, ["check", C, P, "--against", P, "--config", passing_config, "--corpus", str(RAW), "--format", "json"], env={"FORCE_COLOR": "1"})
    assert r.exit_code == 0, r.output
    assert len(json.loads(r.stdout)) == 2
    assert "reading corpus" in r.stderr and "checking drafts" in r.stderr and "2/2" in r.stderr
    assert "\x1b" not in r.stdout


def test_body_only_is_honoured_by_gaps_and_report():
    p03, tn = str(RAW / "central_03-NQ-CP_2025-01-09.md"), str(RAW / "thai-nguyen_25-KH-UBND_2025-01-24.txt")
    auto = run("gaps", p03, tn, "--format", "json")
    body = run("gaps", p03, tn, "--format", "json", "--body-only")
    assert auto.exit_code == body.exit_code == 0
    rows_auto, rows_body = json.loads(auto.stdout), json.loads(body.stdout)
    assert len(rows_body) < len(rows_auto)
    assert not any(r["parent_id"].startswith("T:PL") for r in rows_body)
