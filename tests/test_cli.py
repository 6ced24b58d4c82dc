"""CLI tests with typer's CliRunner: formats, files written whole, and bad input with exact messages."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from plancompare.cli import app
from _corpus import FILES, RAW

runner = CliRunner()
P, C = str(RAW / FILES["146"]), str(RAW / FILES["tanlap"])


def run(*args: str):
    return runner.invoke(app, list(args))


def test_parse_json_has_the_contract_fields():
    r = run("parse", P, "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert set(d) >= {"document", "tasks", "indicators", "references", "problems"}
    assert all("text" in t for t in d["tasks"]) and len(d["tasks"]) == 55
    assert all("number" in x for x in d["references"])


def test_parse_several_files_one_object_per_line():
    r = run("parse", P, C, "--format", "json")
    objs = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
    assert [o["document"]["source_file"] for o in objs] == [FILES["146"], FILES["tanlap"]]


def test_parse_table_and_yaml():
    r = run("parse", C)
    assert r.exit_code == 0 and "Phan Thanh Dũng" not in r.stdout.splitlines()[0]
    assert "Nâng cao nhận thức" in r.stdout
    r = run("parse", C, "--format", "yaml")
    assert r.exit_code == 0 and "tasks:" in r.stdout


def test_parse_out_writes_one_file_per_document(tmp_path):
    r = run("parse", P, C, "--out", str(tmp_path))
    assert r.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([FILES["146"].replace(".txt", ".json"), FILES["tanlap"].replace(".txt", ".json")])
    assert r.stdout == ""  # messages go to stderr


@pytest.mark.parametrize("stage", ["read", "decode", "clean", "segment", "structure", "records"])
def test_parse_stage(stage):
    r = run("parse", C, "--stage", stage)
    assert r.exit_code == 0, r.output
    json.loads(r.stdout)


def test_diff_formats(tmp_path):
    r = run("diff", P, C, "--format", "json")
    assert r.exit_code == 0
    d = json.loads(r.stdout)
    assert set(d) >= {"summary", "pairs"} and d["summary"]["statuses"]["dropped"] == 4
    assert all({"status", "kinds", "score", "parent", "child", "diff"} <= set(p) for p in d["pairs"])
    r = run("diff", P, C, "--format", "csv", "--only", "dropped")
    assert r.stdout.startswith("\ufeffstatus,kinds,score") and r.stdout.count("\ndropped,") == 4
    r = run("diff", P, C, "--format", "md")
    assert r.stdout.startswith("# 146/KH-UBND →")
    out = tmp_path / "d.csv"
    r = run("diff", P, C, "--format", "csv", "--out", str(out))
    assert out.read_bytes().startswith(b"\xef\xbb\xbf") and "Tân Lập" not in r.stdout
    r = run("diff", P, C)
    assert r.exit_code == 0 and "coverage 93%" in r.stdout


def test_diff_accepts_parsed_json(tmp_path):
    run("parse", P, C, "--out", str(tmp_path))
    r = run("diff", str(tmp_path / FILES["146"].replace(".txt", ".json")), str(tmp_path / FILES["tanlap"].replace(".txt", ".json")), "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["summary"]["statuses"]["dropped"] == 4


def test_identical_files_are_all_copied():
    r = run("diff", C, C, "--format", "json")
    s = json.loads(r.stdout)["summary"]["statuses"]
    assert s == {"copied": 51, "changed": 0, "dropped": 0, "added": 0}


# ---- bad input: one line, a defined exit code, no traceback, no partial file


def test_missing_file():
    r = run("parse", "nope.txt")
    assert r.exit_code == 2
    assert r.stderr == "plancompare: error: nope.txt: no such file\n"


def test_empty_file(tmp_path):
    f = tmp_path / "empty.txt"
    f.write_text("")
    r = run("parse", str(f))
    assert (r.exit_code, r.stderr) == (2, f"plancompare: error: {f}: the file is empty\n")


def test_binary_file(tmp_path):
    f = tmp_path / "x.txt"
    f.write_bytes(bytes(range(256)) * 4)
    r = run("parse", str(f))
    assert r.exit_code == 2 and r.stderr == "plancompare: error: x.txt: binary data, not a text plan (.txt, .md, .docx, .pdf, .html are read)\n"


def test_not_a_plan_cannot_be_compared(tmp_path):
    """The same non-plan file is the same input error (exit 2, the same line) in parse and in diff."""
    f = tmp_path / "note.txt"
    f.write_text("Ghi chú cuộc họp.\nKhông có nhiệm vụ nào.\n", encoding="utf-8")
    line = f"plancompare: error: {f}: not a plan: no tasks, indicators or objectives found (2 blocks, 0 headings)\n"
    r = run("diff", P, str(f))
    assert (r.exit_code, r.stdout, r.stderr) == (2, "", line)
    r = run("parse", str(f), "--format", "json")
    assert (r.exit_code, r.stdout, r.stderr) == (2, "", line)


def test_bad_format_and_status():
    r = run("diff", P, C, "--format", "xml")
    assert r.exit_code == 2 and "'xml' is not one of: table, json, csv, md" in r.stderr
    r = run("diff", P, C, "--only", "lost")
    assert r.exit_code == 2 and "'lost' is not a status" in r.stderr


def test_unwritable_output_leaves_no_partial_file(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = run("diff", P, C, "--format", "json", "--out", str(blocker / "out.json"))
    assert r.exit_code == 4 and r.stderr.startswith("plancompare: error: ")
    assert list(tmp_path.iterdir()) == [blocker]


def test_legacy_encoding_is_converted(tmp_path):
    from test_stages import _vni

    f = tmp_path / "vni.txt"
    f.write_bytes(_vni((RAW / FILES["tanlap"]).read_text(encoding="utf-8")))
    r = run("parse", str(f), "--format", "json")
    assert r.exit_code == 0
    d = json.loads(r.stdout)
    assert d["document"]["encoding"] == "vni" and len(d["tasks"]) == 51
    assert d["problems"][0]["code"] == "legacy_encoding_converted"
    assert r.stderr == "plancompare: note: vni.txt: text was in the legacy VNI encoding; converted to Unicode\n"


def test_debug_shows_traceback_and_keeps_the_exit_code():
    r = run("--debug", "parse", "nope.txt")
    assert r.exit_code == 2
    assert "Traceback (most recent call last)" in r.stderr and "MissingFileError: nope.txt: no such file" in r.stderr
    assert r.stderr.endswith("plancompare: error: nope.txt: no such file\n")


def test_python_dash_m_is_the_same_command():
    r = subprocess.run([sys.executable, "-m", "plancompare", "diff", P, C, "--format", "json", "--only", "dropped"], capture_output=True, text=True)
    assert r.returncode == 0 and len(json.loads(r.stdout)["pairs"]) == 4
    r = subprocess.run([sys.executable, "-m", "plancompare", "parse", "nope.txt"], capture_output=True, text=True)
    assert (r.returncode, r.stderr, r.stdout) == (2, "plancompare: error: nope.txt: no such file\n", "")


def test_diff_child_with_several_parents_as_written_in_the_issue():
    """`diff CHILD --parents P1 P2`: every parent counts, not only the option's first value."""
    r = run("diff", P, "--parents", str(RAW / FILES["283"]), str(RAW / FILES["03"]), "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    text = json.dumps(d, ensure_ascii=False)
    assert "283-KH/TU" in text and "03/NQ-CP" in text


def test_diff_needs_exactly_one_child():
    r = run("diff", P)
    assert r.exit_code == 2
    r = run("diff", P, C, C)
    assert r.exit_code == 2


def test_a_reader_that_stops_early_is_not_an_error():
    """`plancompare diff A B | head -1` exits 0, with nothing on stderr."""
    import shutil

    exe = shutil.which("plancompare") or ""
    cmd = f"{sys.executable} -m plancompare diff {P} {C} | head -1 > /dev/null; echo ${{PIPESTATUS[0]}}"
    r = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True)
    assert r.stdout.strip() == "0" and r.stderr == "", (r.stdout, r.stderr, exe)


def test_out_into_a_missing_folder_is_exit_4_and_creates_nothing(tmp_path):
    import subprocess
    import sys

    from _corpus import FILES, RAW

    target = tmp_path / "no" / "such" / "x.json"
    p = subprocess.run([sys.executable, "-m", "plancompare", "diff", str(RAW / FILES["146"]), str(RAW / FILES["tanlap"]), "--format", "json", "--out", str(target)], capture_output=True, text=True)
    assert p.returncode == 4 and p.stderr.strip() == f"plancompare: error: {target}: no such folder: {target.parent}"
    assert not (tmp_path / "no").exists()


def test_parse_stage_of_several_files_is_json_lines():
    import json
    import subprocess
    import sys

    from _corpus import FILES, RAW

    p = subprocess.run([sys.executable, "-m", "plancompare", "parse", str(RAW / FILES["146"]), str(RAW / FILES["tanlap"]), "--stage", "records"], capture_output=True, text=True)
    assert p.returncode == 0
    assert [len(json.loads(line)["tasks"]) for line in p.stdout.splitlines()] == [55, 51]


def test_diff_terminal_table_in_vietnamese_and_english():
    import subprocess
    import sys

    from _corpus import FILES, RAW

    args = [sys.executable, "-m", "plancompare", "diff", str(RAW / FILES["146"]), str(RAW / FILES["tanlap"])]
    env = {k: v for k, v in __import__("os").environ.items() if k != "PLANCOMPARE_LANG"} | {"COLUMNS": "200"}
    vi = subprocess.run(args + ["--lang", "vi"], capture_output=True, text=True, env=env)
    en = subprocess.run(args, capture_output=True, text=True, env=env)
    assert vi.returncode == en.returncode == 0
    assert vi.stdout.splitlines()[0] == "146/KH-UBND → Kế hoạch (phường Tân Lập): kế thừa 93% của 55 nhiệm vụ cấp trên (51 nhiệm vụ cấp dưới)"
    assert en.stdout.splitlines()[0] == "146/KH-UBND → Kế hoạch (phường Tân Lập): coverage 93% of 55 parent tasks (51 child tasks)"
    assert "theo từng mục của kế hoạch cấp trên" in vi.stdout and "per parent section" in en.stdout


def test_diff_takes_the_short_names_the_lineage_commands_take(tmp_path):
    import json
    import shutil
    import subprocess
    import sys

    from _corpus import FILES, RAW

    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    base = [sys.executable, "-m", "plancompare", "diff"]
    by_name = subprocess.run(base + ["146", "tan-lap", "--corpus", str(raw), "--format", "json"], capture_output=True, text=True)
    by_path = subprocess.run(base + [str(raw / FILES["146"]), str(raw / FILES["tanlap"]), "--format", "json"], capture_output=True, text=True)
    assert by_name.returncode == by_path.returncode == 0, by_name.stderr
    assert json.loads(by_name.stdout)["summary"] == json.loads(by_path.stdout)["summary"]
    missing = subprocess.run(base + ["146", "nosuch", "--corpus", str(raw)], capture_output=True, text=True)
    assert missing.returncode == 2 and missing.stderr.strip().splitlines()[-1].startswith("plancompare: error: no document 'nosuch'")
