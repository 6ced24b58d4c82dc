"""The one output layer (cli/output.py) and the CLI's edges: formats per command, exit codes per
command with and without --debug, output paths, and the docs regenerated from real output."""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plancompare.cli import app
from plancompare.errors import EXIT_CODES
from _corpus import FILES, RAW

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
P, C = str(RAW / FILES["146"]), str(RAW / FILES["tanlap"])
P283, P03 = str(RAW / FILES["283"]), str(RAW / FILES["03"])

NO_TASKS = "ỦY BAN NHÂN DÂN PHƯỜNG TÂN LẬP\nKẾ HOẠCH\nTriển khai chuyển đổi số năm 2025\n\nI. MỤC TIÊU\n1. Mục tiêu chung\nĐến năm 2025, 100% hồ sơ công việc được xử lý trên môi trường mạng.\n"
NOT_A_PLAN = "Ghi chú cuộc họp.\nKhông có nhiệm vụ nào.\n"


def run(*args: str):
    return runner.invoke(app, list(args))


# ====================================================================== formats per command

# command -> (the CLI module's constant, the result model whose FORMATS it must equal)
RESULTS = {
    "parse": ("parse_cmd.FORMATS", "plancompare.views.documents:ParsedDocuments"),
    "diff": ("diff_cmd.FORMATS", "plancompare.align.models:Comparison"),
    "chain": ("corpus_cmd.FORMATS", "plancompare.lineage:ChainResult"),
    "trace": ("corpus_cmd.FORMATS", "plancompare.lineage:TraceResult"),
    "siblings": ("corpus_cmd.FORMATS", "plancompare.lineage:SiblingsResult"),
    "dropped": ("corpus_cmd.FORMATS", "plancompare.lineage:TopDrops"),
    "indicators": ("corpus_cmd.FORMATS", "plancompare.lineage:IndicatorTable"),
    "corpus scan": ("corpus_cmd.FORMATS", "plancompare.store:ScanReport"),
    "check": ("check_cmd.CHECK_FORMATS", "plancompare.gate.result:CheckResult"),
    "gaps": ("check_cmd.GAPS_FORMATS", "plancompare.views.gaps:GapList"),
    "batch": ("batch_cmd.BATCH_FORMATS", "plancompare.scale.batch:BatchReport"),
    "survey": ("batch_cmd.SURVEY_FORMATS", "plancompare.scale.survey:SurveyResult"),
    "synth": ("batch_cmd.SYNTH_FORMATS", "plancompare.synth.national:NationalReport"),
}


def _load(ref: str):
    mod, _, name = ref.partition(":") if ":" in ref else ref.rpartition(".")
    return getattr(importlib.import_module(mod if ":" in ref else f"plancompare.cli.{mod}"), name)


def _help_formats(command: str) -> list[str]:
    r = run(*command.split(), "--help")
    assert r.exit_code == 0, r.output
    text = " ".join(r.stdout.split())
    m = re.search(r"Output format: (.*?)\. Default: (\w+)\.", text)
    assert m, text
    return re.findall(r"(\w+) \(", m.group(1))


@pytest.mark.parametrize("command", sorted(RESULTS))
def test_each_help_lists_only_the_formats_of_its_result(command):
    constant, model = RESULTS[command]
    formats = tuple(_help_formats(command))
    assert formats == _load(constant) == _load(model).FORMATS


def test_the_attribution_has_the_formats_of_diff():
    from plancompare.lineage import Attribution

    assert Attribution.FORMATS == _load("diff_cmd.FORMATS")


@pytest.mark.parametrize("command", ["parse", "diff", "chain", "gaps", "check"])
def test_a_format_the_command_does_not_have_is_refused_in_one_line(command):
    args = {"parse": [P], "diff": [P, C], "chain": [], "gaps": [P, C], "check": [C, "--against", P]}[command]
    r = run(*command.split(), *args, "--format", "junit" if command != "check" else "csv")
    formats = ", ".join(_load(RESULTS[command][0]))
    assert r.exit_code == 2
    assert r.stderr == f"plancompare: error: Invalid value for '--format': '{'junit' if command != 'check' else 'csv'}' is not one of: {formats} (see 'plancompare {command} --help')\n"


def test_check_takes_format_table():
    r = run("check", C, "--against", P, "--format", "table", "--today", "2025-10-01")
    assert r.exit_code == 1, r.output  # the corpus pair fails: four drops
    assert "FAIL" in r.stdout and "dropped" in r.stdout and "II.6.e" in r.stdout
    assert r.stdout.count("rule") >= 1


def test_every_format_of_every_comparison_view_renders():
    for fmt in ("table", "json", "csv", "md"):
        r = run("diff", P, C, "--format", fmt)
        assert r.exit_code == 0 and r.stdout.strip(), fmt


# ====================================================================== one flat pair row, JSON from models


def test_one_flat_pair_row():
    from plancompare.align.models import PAIR_COLUMNS, Comparison

    r = run("diff", P, C, "--format", "csv")
    header = r.stdout.lstrip("\ufeff").splitlines()[0].split(",")
    assert tuple(header) == PAIR_COLUMNS == Comparison.CSV_COLUMNS
    assert "parent_task_id" in header and "parent_id" not in header and "child_task_id" in header
    cmp = Comparison.model_validate_json(run("diff", P, C, "--format", "json").stdout)
    assert set(cmp.pairs[0].flat_row()) == set(PAIR_COLUMNS)


def test_several_drafts_are_one_json_document():
    one = json.loads(run("check", C, "--against", P, "--format", "json").stdout)
    r = run("check", C, P283, "--against", P, "--format", "json")
    both = json.loads(r.stdout)
    assert r.exit_code == 1 and isinstance(both, list) and len(both) == 2
    assert both[0] == one


def test_parse_several_files_with_a_stage_is_json_lines():
    for extra in (["--stage", "records"], ["--format", "json"]):
        r = run("parse", P, C, *extra)
        assert r.exit_code == 0
        lines = r.stdout.splitlines()
        assert len(lines) == 2 and [type(json.loads(x)) for x in lines] == [dict, dict], extra


def test_diff_all_changes_every_format():
    for fmt in ("table", "md", "csv"):
        plain = run("diff", P283, P, "--format", fmt).stdout
        every = run("diff", P283, P, "--format", fmt, "--all").stdout
        assert every != plain and every.startswith(plain.splitlines()[0]), fmt
    csv_all = run("diff", P283, P, "--format", "csv", "--all").stdout
    assert ",objective\n" in csv_all and ",assignment\n" in csv_all and ",task\n" in csv_all
    md_all = run("diff", P283, P, "--format", "md", "--all").stdout
    assert "## objectives (" in md_all and "## assignments (" in md_all


# ====================================================================== CLI edges


def test_version():
    from plancompare import __version__

    for args in (["--version"], ["--debug", "--version"]):
        r = subprocess.run([sys.executable, "-m", "plancompare", *args], capture_output=True, text=True)
        assert (r.returncode, r.stdout, r.stderr) == (0, __version__ + "\n", ""), args


def test_diff_takes_short_names_as_the_lineage_commands_do():
    short = run("diff", "146", "tan-lap", "--format", "json", "--corpus", str(RAW))
    full = run("diff", P, C, "--format", "json")
    assert short.exit_code == 0, short.output
    assert json.loads(short.stdout)["summary"] == json.loads(full.stdout)["summary"]


def test_diff_parent_child_with_parents_is_refused():
    r = run("diff", P283, P, "--parents", C)
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr == "plancompare: error: Invalid value for '--parents': with --parents, give one CHILD and then the parents: diff CHILD --parents P1 P2 ... (see 'plancompare diff --help')\n"
    ok = run("diff", P, "--parents", P283, P03, "--format", "json")
    assert ok.exit_code == 0, ok.output
    assert [p["label"] for p in json.loads(ok.stdout)["parents"]] == ["283-KH/TU", "03/NQ-CP"]


@pytest.mark.parametrize(
    "args",
    [
        ["diff", P, C, "--format", "json", "--out", "{d}/x.json"],
        ["diff", P, "--parents", C, "--out", "{d}/x.md", "--format", "md"],
        ["check", C, "--against", P, "--out", "{d}/x.txt"],
        ["check", C, "--against", P, "--write-config", "{d}/plancheck.yaml"],
        ["gaps", P, C, "--csv", "{d}/x.csv"],
        ["gaps", P, C, "--xlsx", "{d}/x.xlsx"],
        ["report", P, C, "--html", "{d}/x.html"],
        ["chain", "--corpus", str(RAW), "--out", "{d}/x.txt", "--no-diff"],
        ["parse", P, "--out", "{d}"],
    ],
    ids=lambda a: "-".join(x for x in a[:3] if not x.startswith("/")),
)
@pytest.mark.parametrize("debug", [False, True])
def test_out_into_a_missing_folder_is_refused_and_creates_nothing(tmp_path, args, debug):
    missing = tmp_path / "no" / "such" / "dir"
    argv = [a.replace("{d}", str(missing)) for a in args]
    r = run(*(["--debug"] if debug else []), *argv)
    assert r.exit_code == 4 and 4 in EXIT_CODES, r.output
    assert r.stderr.splitlines()[-1].startswith(f"plancompare: error: {missing}")
    assert "no such folder" in r.stderr.splitlines()[-1]
    assert ("Traceback (most recent call last)" in r.stderr) is debug
    assert not (tmp_path / "no").exists()


# ====================================================================== exit codes, per command, with and without --debug


def _inputs(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "note.txt").write_text(NOT_A_PLAN, encoding="utf-8")
    (tmp_path / "notasks.txt").write_text(NO_TASKS, encoding="utf-8")
    return {"note": str(tmp_path / "note.txt"), "notasks": str(tmp_path / "notasks.txt"), "nope": str(tmp_path / "nope.txt")}


# command -> how to give it (parent, child)
PAIR_COMMANDS = {
    "diff": lambda p, c: ["diff", p, c],
    "gaps": lambda p, c: ["gaps", p, c],
    "report": lambda p, c: ["report", p, c],
    "check": lambda p, c: ["check", c, "--against", p],
}


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("command", sorted(PAIR_COMMANDS))
def test_exit_codes_per_command(tmp_path, command, debug):
    f = _inputs(tmp_path)
    pre = ["--debug"] if debug else []
    argv = PAIR_COMMANDS[command]

    def code(*args: str, traceback: bool = True) -> tuple[int, str]:
        r = run(*pre, *args)
        assert ("Traceback (most recent call last)" in r.stderr) is (traceback and debug and r.exit_code not in (0, 1)), r.stderr
        return r.exit_code, (r.stderr.splitlines() or [""])[-1]

    ok = 1 if command == "check" else 0  # the corpus pair fails the strict check: that is exit 1, not an error
    assert code(*argv(P, C))[0] == ok
    assert code(*argv(P, f["nope"])) == (2, f"plancompare: error: {f['nope']}: no such file")
    line = f"plancompare: error: {f['note']}: not a plan: no tasks, indicators or objectives found (2 blocks, 0 headings)"
    assert code(*argv(P, f["note"])) == (2, line)  # the same line and code as parse gives
    assert code(*argv(P, f["notasks"])) == (3, "plancompare: error: notasks.txt: the child plan has no tasks to compare")
    assert code(*argv(P, C), "--no-such-option", traceback=False) == (2, f"plancompare: error: No such option: --no-such-option (see 'plancompare {command} --help')")


@pytest.mark.parametrize("debug", [False, True])
def test_a_non_plan_is_the_same_error_in_parse(tmp_path, debug):
    f = _inputs(tmp_path)
    r = run(*(["--debug"] if debug else []), "parse", f["note"])
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.splitlines()[-1] == f"plancompare: error: {f['note']}: not a plan: no tasks, indicators or objectives found (2 blocks, 0 headings)"


def test_exit_codes_are_documented_once():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- regen:exit-codes -->\n", 1)[1].split("<!-- /regen:exit-codes -->", 1)[0]
    assert [int(m) for m in re.findall(r"^\| (\d+) \|", table, re.M)] == list(EXIT_CODES)
    from plancompare.regen import exit_code_table

    assert table == exit_code_table()


# ====================================================================== docs from real output


def test_docs_are_current():
    """README.md and docs/*.md: every marked region is what its command prints now
    (python -m plancompare.regen docs rewrites them)."""
    r = subprocess.run([sys.executable, "-m", "plancompare.regen", "docs", "--check"], cwd=ROOT, capture_output=True, text=True,
                       env={**__import__("os").environ, "PYTHONPATH": str(ROOT / "src")})
    assert r.returncode == 0, r.stderr


def test_a_stale_region_is_found_and_rewritten(tmp_path):
    from plancompare.regen import exit_code_table, regen_docs

    (tmp_path / "docs").mkdir()
    (tmp_path / "README.md").write_text("# x\n\n<!-- regen:exit-codes -->\n| exit code | meaning |\n| 0 | fine |\n<!-- /regen:exit-codes -->\ntail\n", encoding="utf-8")
    assert regen_docs(tmp_path, check=True) == ["README.md: exit-codes"]
    assert "| 0 | fine |" in (tmp_path / "README.md").read_text(encoding="utf-8")  # --check rewrites nothing
    assert regen_docs(tmp_path) == ["README.md: exit-codes"]
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "# x\n\n<!-- regen:exit-codes -->\n" + exit_code_table() + "<!-- /regen:exit-codes -->\ntail\n"
    assert regen_docs(tmp_path, check=True) == []


# the other commands: an input they cannot find is exit 2, one line (after the traceback with --debug)
OTHER_COMMANDS = {
    "chain": (["chain", "nosuchdoc", "--corpus", str(RAW)], "plancompare: error: no document 'nosuchdoc' in "),
    "trace": (["trace", "nosuchdoc", "II.1", "--corpus", str(RAW)], "plancompare: error: no document 'nosuchdoc' in "),
    "siblings": (["siblings", "nosuchdoc", "146", "--corpus", str(RAW)], "plancompare: error: no document 'nosuchdoc' in "),
    "dropped": (["dropped", "nosuchdoc", "--corpus", str(RAW)], "plancompare: error: no document 'nosuchdoc' in "),
    "indicators": (["indicators", "nosuchdoc", "--corpus", str(RAW)], "plancompare: error: no document 'nosuchdoc' in "),
    "diff --parents": (["diff", "{missing}/c.txt", "--parents", P], "plancompare: error: {missing}/c.txt: no such file"),
    "corpus scan": (["corpus", "scan", "{missing}"], "plancompare: error: {missing}: no such folder"),
    "survey": (["survey", "{missing}"], "plancompare: error: {missing}: no such folder"),
    "batch": (["batch", "{missing}", "--out", "{missing}-out"], "plancompare: error: {missing}: no such folder"),
}


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("command", sorted(OTHER_COMMANDS))
def test_exit_2_for_a_missing_input_in_every_other_command(tmp_path, command, debug):
    args, start = OTHER_COMMANDS[command]
    missing = str(tmp_path / "nope")
    r = run(*(["--debug"] if debug else []), *(a.replace("{missing}", missing) for a in args))
    assert r.exit_code == 2 and r.stdout == "", r.output
    assert r.stderr.splitlines()[-1].startswith(start.replace("{missing}", missing))
    assert ("Traceback (most recent call last)" in r.stderr) is debug
    assert not Path(missing + "-out").exists()
