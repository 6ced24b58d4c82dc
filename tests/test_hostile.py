"""Hostile and broken input (issue 13): bounded reading, safe outputs, one line and the
documented exit code for every failure. Every input is generated here (the ZIP bomb with
zipfile, the PDF with fpdf2)."""

from __future__ import annotations

import io
import json
import os
import re
import socket
import stat
import subprocess
import sys
import threading
import zipfile

import pytest
from typer.testing import CliRunner

from _corpus import FILES, RAW
from plancompare.cli import app
from plancompare.errors import ConfigError, LimitError, OutputError, TimeLimitError
from plancompare.parse import parse_file, parse_text
from plancompare.parse.limits import Limits
from plancompare.parse.read import read

runner = CliRunner()
P, C = str(RAW / FILES["146"]), str(RAW / FILES["tanlap"])
CHILD_TEXT = (RAW / FILES["tanlap"]).read_text(encoding="utf-8")
PARENT_TEXT = (RAW / FILES["146"]).read_text(encoding="utf-8")


def run(*args: str, **kw):
    return runner.invoke(app, list(args), **kw)


def one_error_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("plancompare: error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


def cli(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "plancompare", *args], capture_output=True, text=True, **kw)


# ====================================================================== 1. bounded readers


def _docx_bytes(document_xml: bytes, extra: dict[str, bytes] | None = None, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml", document_xml)
        for k, v in (extra or {}).items():
            z.writestr(k, v)
    return buf.getvalue()


def test_zip_bomb_docx_is_refused_before_unpacking(tmp_path):
    # 40 MB of one repeated byte in document.xml: about 40 KB packed (1000:1)
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(_docx_bytes(b"<w:document>" + b" " * (40 * 1024 * 1024) + b"</w:document>"))
    assert bomb.stat().st_size < 200_000
    r = run("parse", str(bomb))
    assert r.exit_code == 2
    line = one_error_line(r.stderr)
    assert line.startswith(f"plancompare: error: {bomb.name}: word/document.xml unpacks ") and "ZIP bomb" in line and "docs/limits.md" in line


def test_docx_total_unpacked_size_and_member_count_are_bounded(tmp_path):
    from plancompare.parse.readers import docx_text

    data = _docx_bytes(b"<w:document/>", {f"word/media/{i}.bin": os.urandom(2048) for i in range(40)}, method=zipfile.ZIP_STORED)
    with pytest.raises(LimitError, match=r"x.docx: the package unpacks to 82\d+ bytes \(the limit is 50000 bytes"):
        docx_text(data, "x.docx", limits=Limits(max_unpacked_bytes=50_000))
    with pytest.raises(LimitError, match=r"x.docx: the package has 42 members \(the limit is 10,"):
        docx_text(data, "x.docx", limits=Limits(max_zip_entries=10))


def test_pdf_pages_are_bounded(tmp_path):
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.set_font("helvetica", size=12)
    for i in range(5):
        pdf.add_page()
        pdf.cell(text=f"Page {i}")
    f = tmp_path / "five.pdf"
    f.write_bytes(bytes(pdf.output()))
    with pytest.raises(LimitError) as e:
        read(f, limits=Limits(max_pdf_pages=3))
    assert str(e.value) == "five.pdf: the PDF has 5 pages (the limit is 3, see docs/limits.md)" and e.value.exit_code == 2
    assert "Page 4" in read(f).text  # within the default limit it is read


def test_pdf_decompression_bomb_is_refused_before_pdfminer_inflates_it():
    import zlib

    from plancompare.parse.readers import pdf_text

    inner = zlib.compress(b"\0" * (24 * 1024 * 1024), 9)  # 24 MB of zeros in about 24 KB
    for payload in (inner, zlib.compress(inner, 9)):  # one Flate layer, and two
        data = b"%PDF-1.4\n1 0 obj\n<< /Length " + str(len(payload)).encode() + b" /Filter /FlateDecode >>\nstream\n" + payload + b"\nendstream\nendobj\n%%EOF\n"
        with pytest.raises(LimitError) as e:
            pdf_text(data, "bomb.pdf", limits=Limits(max_stream_bytes=16 * 1024 * 1024))
        assert str(e.value) == "bomb.pdf: a compressed stream of the PDF unpacks to more than 16 MB (the limit, see docs/limits.md): a decompression bomb or a damaged file"


def test_file_size_limit_also_for_devices_and_fifos(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:  # sparse: 60 MB on paper, nothing on disk
        fh.truncate(60 * 1024 * 1024)
    r = run("parse", str(big))
    assert r.exit_code == 2
    assert one_error_line(r.stderr) == f"plancompare: error: {big}: the file is too large (60 MB; the limit is 50 MB per file, see docs/limits.md)"
    # /dev/zero never ends: read up to the limit, then refused (the environment lowers the limit)
    r = run("parse", "/dev/zero", env={"PLANCOMPARE_MAX_FILE_MB": "1"})
    assert r.exit_code == 2
    assert one_error_line(r.stderr) == "plancompare: error: /dev/zero: the file is too large (more than 1 MB per file, see docs/limits.md)"


def test_extracted_text_length_is_bounded(tmp_path):
    with pytest.raises(LimitError, match=r"too much text \(1\d,\d{3} characters; the limit is 1,000 per file"):
        from plancompare.parse.limits import check_text

        check_text("x.txt", PARENT_TEXT[:15000], Limits(max_text_chars=1000))
    f = tmp_path / "p.txt"
    f.write_text(PARENT_TEXT, encoding="utf-8")
    assert len(parse_file(f).tasks) == 55


# ====================================================================== per-file time limit in corpus scan


def test_corpus_scan_skips_a_file_over_the_time_limit(tmp_path):
    from plancompare.store import Corpus

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "slow.txt").write_text(PARENT_TEXT * 4, encoding="utf-8")
    (raw / "ok.txt").write_text(CHILD_TEXT, encoding="utf-8")
    with pytest.raises(TimeLimitError):
        from plancompare.parse.limits import time_limit

        with time_limit(0.001, "slow.txt"):
            parse_text(PARENT_TEXT * 4)
    c = Corpus.scan(raw, store=tmp_path / "parsed", time_limit=30)
    assert c.report.errors == 0 and c.report.parsed == 2  # a generous limit changes nothing
    r = run("corpus", "scan", str(raw), "--store", str(tmp_path / "p2"), "--time-limit", "0.001", "--format", "json")
    if r.exit_code == 2:  # both files took longer than 1 ms on this machine
        assert "none of the 2 files could be read as a plan" in r.stderr
    else:
        rep = json.loads(r.stdout)
        slow = next(f for f in rep["files"] if f["file"] == "slow.txt")
        assert slow["status"] == "error" and slow["error"] == "slow.txt: parsing took more than 0.001 s (the per-file time limit, see docs/limits.md); skipped"


# ====================================================================== 3. --out: links, FIFOs, special files, stale temps


def test_out_writes_through_a_symlink_to_its_target(tmp_path):
    target = tmp_path / "real" / "cmp.json"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    r = run("diff", P, C, "--format", "json", "--out", str(link))
    assert r.exit_code == 0, r.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["parent_tasks"] == 55
    assert not [p for p in tmp_path.rglob(".*.tmp")]
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "real" / "new.json")
    assert run("diff", P, C, "--format", "json", "--out", str(dangling)).exit_code == 0
    assert dangling.is_symlink() and (tmp_path / "real" / "new.json").stat().st_size > 1000


def test_out_writes_directly_to_a_fifo(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    r = run("diff", P, C, "--format", "json", "--out", str(fifo))
    reader.join(timeout=30)
    assert r.exit_code == 0, r.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # still a FIFO, not replaced by a file
    assert json.loads(got[0])["summary"]["parent_tasks"] == 55


def test_out_to_a_character_device_is_written_not_replaced(tmp_path):
    link = tmp_path / "null.json"
    link.symlink_to("/dev/null")
    assert run("diff", P, C, "--format", "json", "--out", str(link)).exit_code == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode) and link.is_symlink()
    full = tmp_path / "full.json"
    full.symlink_to("/dev/full")
    r = run("diff", P, C, "--format", "json", "--out", str(full))
    assert r.exit_code == 4
    assert one_error_line(r.stderr) == "plancompare: error: /dev/full: cannot write (No space left on device)"
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_out_refuses_sockets_and_folders(tmp_path):
    sock_path = tmp_path / "s.sock"
    s = socket.socket(socket.AF_UNIX)
    try:
        s.bind(str(sock_path))
        r = run("diff", P, C, "--format", "json", "--out", str(sock_path))
        assert r.exit_code == 4
        assert one_error_line(r.stderr) == f"plancompare: error: {sock_path}: not a regular file (a block device or a socket); not written"
        assert stat.S_ISSOCK(os.stat(sock_path).st_mode)
    finally:
        s.close()
    r = run("diff", P, C, "--format", "json", "--out", str(tmp_path))
    assert r.exit_code == 4 and one_error_line(r.stderr) == f"plancompare: error: {tmp_path}: is a folder; give a file name"


def test_temp_files_left_by_a_killed_writer_are_cleaned(tmp_path):
    from plancompare.io import atomic_write

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".out.json.{dead.pid}.abc123.tmp"
    stale.write_text("partial", encoding="utf-8")
    live = tmp_path / f".out.json.{os.getpid()}.def456.tmp"  # a writer that is still running
    live.write_text("in progress", encoding="utf-8")
    other = tmp_path / f".other.json.{dead.pid}.abc123.tmp"
    other.write_text("x", encoding="utf-8")
    atomic_write(tmp_path / "out.json", "{}")
    assert not stale.exists() and live.exists() and other.exists()
    assert (tmp_path / "out.json").read_text(encoding="utf-8") == "{}"


# ====================================================================== 4. CSV formulas


def _hostile_child() -> str:
    payloads = ['=HYPERLINK("http://evil.example","bấm") ', "+cmd|' /C calc'!A0 ", "-2+3 ", "@SUM(A1) "]
    it = iter(payloads)
    return re.sub(r"(?m)^a\) ", lambda m: "a) " + next(it, ""), CHILD_TEXT)


def test_io_csv_cell_neutralises_formula_starts():
    from plancompare.io import csv_cell, csv_text

    for v in ("=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "- gạch đầu dòng"):
        assert csv_cell(v) == "'" + v
    for v in ("Xây dựng", "", " =1", "1=1", 5, -2, 1.5, None):
        assert csv_cell(v) == v
    assert csv_text(["a", "b"], [{"a": "=1+1", "b": -3}]) == "a,b\n'=1+1,-3\n"


def test_every_csv_the_tool_writes_is_neutralised(tmp_path):
    child = tmp_path / "child.txt"
    child.write_text(_hostile_child(), encoding="utf-8")
    r = run("diff", P, str(child), "--format", "csv")
    assert r.exit_code == 0, r.stderr
    import csv

    cells = [c for row in csv.reader(io.StringIO(r.stdout.lstrip("\ufeff"))) for c in row]
    assert any(c.startswith("'=HYPERLINK(") for c in cells) and any(c.startswith("'+cmd|") for c in cells)
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    out = tmp_path / "g.csv"
    # the ward's a) tasks are the parent's too: make the hostile text the parent's so gaps lists it
    r = run("gaps", str(child), P, "--csv", str(out))
    assert r.exit_code == 0, r.stderr
    cells = [c for row in csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))) for c in row]
    assert any(c.startswith("'=HYPERLINK(") for c in cells)
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_batch_csv_tables_are_neutralised():
    pa = pytest.importorskip("pyarrow")
    from plancompare.io import neutralise_table

    t = pa.table({"text": ["=1+1", "ok", None, "-x", "@y"], "n": [1, -2, 3, 4, 5]})
    out = neutralise_table(t)
    assert out.column("text").to_pylist() == ["'=1+1", "ok", None, "'-x", "'@y"] and out.column("n").to_pylist() == [1, -2, 3, 4, 5]
    assert out.schema == t.schema
    clean = pa.table({"text": ["a", "b"]})
    assert neutralise_table(clean) is clean


# ====================================================================== 5. invisible format characters


@pytest.mark.parametrize("char", ["\u200b", "\ufeff", "\u00ad", "\u200f", "\u2066"])
def test_format_characters_at_line_starts_do_not_lose_tasks(char):
    text = "\n".join(char + line for line in PARENT_TEXT.split("\n"))
    doc = parse_text(text, "x.txt")
    assert len(doc.tasks) == 55
    prob = next(p for p in doc.problems if p.code == "format_chars_removed")
    n = PARENT_TEXT.count("\n") + 1 - (char == "\ufeff")  # the first U+FEFF is the byte-order mark
    assert prob.message.startswith(f"{n} invisible format characters")


def test_format_characters_inside_words_do_not_lose_tasks():
    words = CHILD_TEXT.split(" ")
    text = " ".join(w[:2] + "\u200b" + w[2:] if i % 7 == 0 and len(w) > 3 else w for i, w in enumerate(words))
    doc = parse_text(text, "x.txt")
    clean = parse_text(CHILD_TEXT, "x.txt")
    assert [t.text for t in doc.tasks] == [t.text for t in clean.tasks]


# ====================================================================== 6. UTF-16


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_files_are_read(tmp_path, encoding):
    f = tmp_path / "notepad.txt"
    f.write_bytes(PARENT_TEXT.encode(encoding))
    doc = parse_file(f)
    assert len(doc.tasks) == 55 and doc.document.number == "146/KH-UBND"
    r = run("parse", "--stage", "decode", "--format", "json", str(f))
    assert r.exit_code == 0 and json.loads(r.stdout)["encoding"] in ("utf-16-le", "utf-16-be")


def test_binary_data_with_zero_bytes_is_still_binary(tmp_path):
    f = tmp_path / "x.txt"
    f.write_bytes(bytes(range(256)) * 40)
    r = run("parse", str(f))
    assert r.exit_code == 2 and "binary data" in r.stderr


# ====================================================================== 7. stdout


def test_stdout_full_disk_is_exit_4_with_one_line():
    with open("/dev/full", "w") as full:
        r = subprocess.run([sys.executable, "-m", "plancompare", "diff", P, C, "--format", "json"], stdout=full, stderr=subprocess.PIPE, text=True)
    assert r.returncode == 4
    assert one_error_line(r.stderr) == "plancompare: error: stdout: cannot write (No space left on device)"
    with open("/dev/full", "w") as full:  # the terminal table too
        r = subprocess.run([sys.executable, "-m", "plancompare", "diff", P, C], stdout=full, stderr=subprocess.PIPE, text=True)
    assert r.returncode == 4 and one_error_line(r.stderr) == "plancompare: error: stdout: cannot write (No space left on device)"


def test_closed_stdout_is_exit_4_without_traceback(tmp_path):
    r = subprocess.run(["bash", "-c", f'"{sys.executable}" -m plancompare diff "{P}" "{C}" --format json >&-'], capture_output=True, text=True)
    assert r.returncode == 4
    assert one_error_line(r.stderr) == "plancompare: error: stdout: cannot write (stdout is closed)"
    out = tmp_path / "c.json"  # nothing for stdout: a closed stdout does not matter
    r = subprocess.run(["bash", "-c", f'"{sys.executable}" -m plancompare diff "{P}" "{C}" --format json --out "{out}" >&-'], capture_output=True, text=True)
    assert r.returncode == 0 and out.stat().st_size > 1000
    r = subprocess.run(["bash", "-c", f'"{sys.executable}" -m plancompare parse nope.txt 2>&-'], capture_output=True, text=True)
    assert r.returncode == 2 and r.stdout == ""  # a closed stderr: the message is lost, the exit code is not


# ====================================================================== 9. terminal and Markdown


def test_escape_sequences_never_reach_the_terminal_or_markdown(tmp_path):
    evil = "\x1b]52;c;ZXZpbA==\x07\x1b[2J\x1b]0;owned\x07\x9b31m <script>alert(1)</script> "
    child = tmp_path / "child.txt"
    child.write_text(re.sub(r"(?m)^a\) ", "a) " + evil, CHILD_TEXT), encoding="utf-8")
    doc = parse_file(child)
    assert any("\x1b]52" in t.text for t in doc.tasks)  # the parser keeps the text as it is
    for args in (["diff", P, str(child)], ["diff", str(child), P], ["parse", str(child)], ["gaps", str(child), P]):
        r = run(*args)
        assert r.exit_code == 0, r.stderr
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", r.stdout), args
        assert "ZXZpbA==" in r.stdout or args[0] in ("gaps",)  # the rest of the text is kept
    r = run("diff", str(child), P, "--format", "md")
    assert r.exit_code == 0 and "\x1b" not in r.stdout and "\x07" not in r.stdout
    assert "<script>" not in r.stdout and "&lt;script>" in r.stdout


def test_check_text_and_github_views_drop_escape_sequences(tmp_path):
    parent = tmp_path / "parent.txt"
    parent.write_text(re.sub(r"(?m)^([a-z]\)) ", lambda m: m.group(1) + " \x1b]52;c;ZXZpbA==\x07\x1b[2J ", PARENT_TEXT), encoding="utf-8")
    conf = tmp_path / "c.yaml"
    conf.write_text("protected:\n  - section: II.1\n", encoding="utf-8")
    for fmt in ("text", "github"):
        r = run("check", C, "--against", str(parent), "--config", str(conf), "--format", fmt)
        assert r.exit_code == 1 and "ZXZpbA==" in r.stdout  # a protected task is dropped: its text is shown
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", r.stdout), fmt


def test_safe_markdown_and_strip_controls():
    from plancompare.io import safe_markdown, strip_controls

    assert strip_controls("a\x1b[2Jb\x07c\nd\te\u202ef") == "a[2Jbc\nd\tef"
    assert safe_markdown("| <img src=x onerror=alert(1)> |\n") == "| &lt;img src=x onerror=alert(1)> |\n"


# ====================================================================== 11. exit 70 cases


def test_usage_errors_are_one_line_exit_2():
    cases = {
        ("diff",): "plancompare: error: Missing argument 'parent'. (see 'plancompare diff --help')",
        ("nope",): "plancompare: error: No such command 'nope'. (see 'plancompare --help')",
        ("diff", P, C, "--format", "xml"): "plancompare: error: Invalid value for '--format': 'xml' is not one of: table, json, csv, md (see 'plancompare diff --help')",
        ("diff", P, C, "--bogus"): "plancompare: error: No such option: --bogus (see 'plancompare diff --help')",
    }
    for args, line in cases.items():
        r = run(*args)
        assert r.exit_code == 2, args
        got = one_error_line(r.stderr)
        assert got == line or (args[-1] == "--bogus" and got.startswith("plancompare: error: No such option: --bogus")), got


def test_version_option():
    r = run("--version")
    assert r.exit_code == 0 and re.fullmatch(r"\d+\.\d+\.\d+\n", r.stdout)


def test_impossible_waiver_date_and_deep_yaml_are_config_errors(tmp_path):
    bad = tmp_path / "w.yaml"
    bad.write_text("waivers:\n  - task: II.1.o\n    reason: x\n    expires: 2025-02-30\n", encoding="utf-8")
    r = run("check", C, "--against", P, "--config", str(bad))
    assert r.exit_code == 2
    assert one_error_line(r.stderr) == f"plancompare: error: {bad}: a value cannot be read (day is out of range for month; dates are written like 2025-12-31)"
    deep = tmp_path / "deep.yaml"
    deep.write_text("coverage: " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    r = run("check", C, "--against", P, "--config", str(deep))
    assert r.exit_code == 2 and one_error_line(r.stderr) == f"plancompare: error: {deep}: not valid YAML (nested too deeply)"
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "p.txt").write_text(CHILD_TEXT, encoding="utf-8")
    (raw / "corpus.yaml").write_text("documents: " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    r = run("corpus", "scan", str(raw), "--store", str(tmp_path / "s"))
    assert r.exit_code == 2 and one_error_line(r.stderr) == f"plancompare: error: {raw / 'corpus.yaml'}: not valid YAML (nested too deeply)"


def test_config_paths_stay_under_the_config_folder(tmp_path):
    from plancompare.gate import CheckConfig

    cfg_dir = tmp_path / "ci"
    (cfg_dir / "plans").mkdir(parents=True)
    for corpus in ("../../../../etc", "/etc", "plans/../../x"):
        conf = cfg_dir / "plancheck.yaml"
        conf.write_text(f"references:\n  corpus: {corpus}\n", encoding="utf-8")
        with pytest.raises(ConfigError) as e:
            CheckConfig.from_yaml(conf).corpus_dir()
        assert str(e.value) == f"{conf}: references.corpus '{corpus}' is outside the config's folder {cfg_dir}; give that folder with --corpus instead"
        r = run("check", C, "--against", P, "--config", str(conf))
        assert r.exit_code == 2 and "is outside the config's folder" in one_error_line(r.stderr)
        assert run("check", C, "--against", P, "--config", str(conf), "--corpus", str(RAW)).exit_code in (0, 1)  # the command line may
    conf.write_text("references:\n  corpus: plans\n", encoding="utf-8")
    assert CheckConfig.from_yaml(conf).corpus_dir() == cfg_dir / "plans"


def test_gaps_writes_csv_and_xlsx_all_or_none(tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("x", encoding="utf-8")
    out_csv = tmp_path / "g.csv"
    r = run("gaps", P, C, "--csv", str(out_csv), "--xlsx", str(blocker / "g.xlsx"))
    assert r.exit_code == 4
    assert one_error_line(r.stderr) == f"plancompare: error: {blocker / 'g.xlsx'}: cannot write (Not a directory)"
    assert not out_csv.exists() and not list(tmp_path.glob(".*.tmp"))
    r = run("gaps", P, C, "--csv", str(out_csv), "--xlsx", str(tmp_path / "g.xlsx"))
    assert r.exit_code == 0 and out_csv.exists() and (tmp_path / "g.xlsx").exists()


def test_lone_surrogate_in_parse_text():
    doc = parse_text(CHILD_TEXT.replace("a) Tổ chức triển khai", "a) Tổ \ud800chức triển khai", 1), "x.txt")
    assert len(doc.tasks) == 51 and any("\ufffd" in t.text for t in doc.tasks)


def test_output_error_is_exit_4():
    assert OutputError("x").exit_code == 4 and LimitError("x").exit_code == 2 and TimeLimitError("x").exit_code == 2


# ====================================================================== exit codes per command


COMMANDS = ["parse", "diff", "chain", "trace", "siblings", "dropped", "indicators", "check", "gaps", "report", "batch", "survey", "synth"]


@pytest.mark.parametrize("command", COMMANDS + ["corpus scan"])
def test_every_command_gives_a_usage_error_in_one_line(command):
    r = run(*command.split(), "--no-such-option")
    assert r.exit_code == 2, (command, r.output)
    line = one_error_line(r.stderr)
    assert "No such option: --no-such-option" in line and line.endswith(f"(see 'plancompare {command} --help')")


@pytest.mark.parametrize(
    "args",
    [
        ["parse", P, "--format", "json", "--out", "{blocked}"],
        ["diff", P, C, "--format", "json", "--out", "{blocked}/x.json"],
        ["gaps", P, C, "--xlsx", "{blocked}/x.xlsx"],
        ["report", P, C, "--html", "{blocked}/x.html"],
        ["check", C, "--against", P, "--format", "json", "--out", "{blocked}/x.json"],
    ],
    ids=lambda a: a[0],
)
def test_output_errors_are_exit_4_in_one_line(tmp_path, args):
    blocked = tmp_path / "afile"
    blocked.write_text("x", encoding="utf-8")
    r = run(*(a.replace("{blocked}", str(blocked)) for a in args))
    assert r.exit_code == 4, r.output
    assert "cannot write" in one_error_line(r.stderr)
    assert blocked.read_text(encoding="utf-8") == "x"
