"""The gate of issue 12: strict by default, a baseline config, every finding named in
every format, exit codes CI can rely on (with and without --debug), several drafts,
--changed-only, and the check summary in Vietnamese.

The corpus pair (146/KH-UBND -> phường Tân Lập) drops four parent tasks; a small
two-level plan written here gives the exact JUnit and GitHub outputs."""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
from typer.testing import CliRunner

from _corpus import FILES, RAW
from plancompare.align.carried import is_carried_status, parent_outcomes
from plancompare.cli import app

runner = CliRunner()
P, C = str(RAW / FILES["146"]), str(RAW / FILES["tanlap"])
DROPS = ["II.1.i", "II.1.o", "II.6.e", "II.6.h"]
TODAY = "2025-10-01"


def run(*args: str, **kw):
    return runner.invoke(app, list(args), **kw)


# ------------------------------------------------------------------ "carried" in one place


def test_carried_is_copied_or_changed_and_nothing_else():
    assert is_carried_status("copied") and is_carried_status("changed")
    assert not is_carried_status("dropped") and not is_carried_status("added")
    assert not is_carried_status("related")  # a weak link status (issue 11) does not carry a task


# ------------------------------------------------------------------ the corpus pair, no config


def test_no_config_fails_and_names_the_four_drops_in_every_format():
    text = run("check", C, "--against", P, "--today", TODAY)
    assert text.exit_code == 1
    lines = text.stdout.splitlines()
    assert "  strict: every parent task the draft leaves out fails unless a waiver covers it" in lines
    assert "FAIL  dropped      4 parent tasks left out; 4 fail: not waived" in lines
    for d in DROPS:
        assert any(x.startswith(f"      - {d} «") and "is dropped: no task of the draft carries it" in x for x in lines), d
    assert "      - II.6.e «Công bố danh mục các bài toán lớn về khoa học, công nghệ…» (parent line 99) is dropped: no task of the draft carries it; expected in draft section II.6 (line 426)" in lines
    assert lines[-1] == "FAILED: 1 failed, 2 passed, 1 with warnings, 6 skipped"

    j = json.loads(run("check", C, "--against", P, "--today", TODAY, "--format", "json").stdout)
    assert j["passed"] is False and j["strict"] is True
    assert [t["path"] for t in j["tasks"] if t["verdict"] == "fail"] == DROPS
    assert [f["parent_task"] for f in next(r for r in j["rules"] if r["rule"] == "dropped")["findings"]] == [f"T:{d}" for d in DROPS]

    x = run("check", C, "--against", P, "--today", TODAY, "--format", "junit")
    assert x.exit_code == 1
    suite = ET.fromstring(x.stdout).find("testsuite")
    failed = [c.get("name").split(" ")[0] for c in suite.findall("testcase") if c.get("classname").endswith(".tasks") and c.find("failure") is not None]
    assert failed == DROPS
    assert suite.get("tests") == str(55 + 10) and suite.get("failures") == "5"  # 4 tasks and the 'dropped' rule

    g = run("check", C, "--against", P, "--today", TODAY, "--format", "github")
    errors = [x for x in g.stdout.splitlines() if x.startswith("::error")]
    assert [e.split("title=plancheck dropped ")[1].split("::")[0] for e in errors] == DROPS
    # a drop points at the draft section where the parent's section went, with the parent line in the message
    assert errors[0].startswith(f"::error file={C},line=69,title=plancheck dropped II.1.i::II.1.i «Phấn đấu đến hết năm 2030")
    assert "(parent line 59)" in errors[0]
    warnings = [x for x in g.stdout.splitlines() if x.startswith("::warning")]
    assert len(warnings) == 21 and all("title=plancheck weakened" in w for w in warnings)


def test_baseline_config_passes_then_one_more_drop_fails_naming_it(tmp_path):
    conf = tmp_path / "plancheck.yaml"
    w = run("check", C, "--against", P, "--today", TODAY, "--write-config", str(conf))
    assert w.exit_code == 0 and w.stdout == ""
    assert w.stderr == f"wrote {conf}: 4 waivers with reason TODO until 2025-12-30\n"
    body = conf.read_text(encoding="utf-8")
    assert body.count('reason: "TODO"') == 4 and body.count("expires: 2025-12-30") == 4
    assert '  - task: "II.6.e"  # Công bố danh mục các bài toán lớn về khoa học, công nghệ… (left out by ' in body

    ok = run("check", C, "--against", P, "--config", str(conf), "--today", TODAY)
    assert ok.exit_code == 0, ok.stdout
    assert "WARN  waivers      4 waivers (4 active on 2025-10-01); 4 tasks left out under a waiver; 4 with the reason still TODO" in ok.stdout
    todo = [x for x in ok.stdout.splitlines() if "reason is still TODO" in x]
    assert len(todo) == 4 and todo[0].startswith("      - II.1.i «Phấn đấu")
    assert ok.stdout.splitlines()[-1] == "PASSED: 0 failed, 3 passed, 2 with warnings, 5 skipped"
    g = run("check", C, "--against", P, "--config", str(conf), "--today", TODAY, "--format", "github")
    assert g.exit_code == 0 and sum(1 for x in g.stdout.splitlines() if x.startswith("::warning") and "title=plancheck waivers" in x) == 4

    # delete one more task (II.3.g, carried until now) from the draft: exactly that task fails
    text = (RAW / FILES["tanlap"]).read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    k = next(i for i, x in enumerate(lines) if "mạng lưới kết nối các Trung tâm đổi mới sáng tạo" in x)
    end = next(i for i in range(k, len(lines)) if "chiến lược và chuyển đổi số." in lines[i])  # the item wraps over 3 lines
    draft = tmp_path / "tan-lap.txt"
    draft.write_text("".join(lines[:k] + lines[end + 1 :]), encoding="utf-8")
    bad = run("check", str(draft), "--against", P, "--config", str(conf), "--today", TODAY, "--format", "json")
    assert bad.exit_code == 1
    r = json.loads(bad.stdout)
    assert [t["path"] for t in r["tasks"] if t["verdict"] == "fail"] == ["II.3.g"]
    assert r["rules"][0]["rule"] == "dropped" and r["rules"][0]["task_ids"] == ["T:II.3.g"]
    assert bad.stderr == f"plancheck: 1 of 1 draft failed: {draft}: dropped\n"


def test_write_config_extends_an_existing_config(tmp_path):
    conf = tmp_path / "c.yaml"
    conf.write_text("coverage:\n  overall: 0.5\nwaivers:\n  - task: II.6.h\n    reason: cấp tỉnh thực hiện\n    expires: 2026-12-31\n", encoding="utf-8")
    out = tmp_path / "new.yaml"
    r = run("check", C, "--against", P, "--config", str(conf), "--today", TODAY, "--write-config", str(out), "--expires", "2026-03-31")
    assert r.exit_code == 0 and r.stderr == f"wrote {out}: 3 waivers with reason TODO until 2026-03-31 added to {conf}\n"
    import yaml

    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["coverage"] == {"overall": 0.5}
    assert [w["task"] for w in data["waivers"]] == ["II.6.h", "II.1.i", "II.1.o", "II.6.e"]
    assert run("check", C, "--against", P, "--config", str(out), "--today", TODAY).exit_code == 0


def test_config_relaxes_and_says_so(tmp_path):
    conf = tmp_path / "c.yaml"
    conf.write_text("dropped:\n  exempt_sections: [II.6]\n", encoding="utf-8")
    r = run("check", C, "--against", P, "--config", str(conf), "--today", TODAY)
    assert r.exit_code == 1
    assert "  relaxed by the config: dropped.exempt_sections: the tasks of parent sections II.6 may be dropped" in r.stdout.splitlines()
    assert "FAIL  dropped      4 parent tasks left out (0 waived, 2 exempt); 2 fail: not waived" in r.stdout
    conf.write_text("dropped: false\ncoverage:\n  overall: 90%\n", encoding="utf-8")
    r = run("check", C, "--against", P, "--config", str(conf), "--today", TODAY)
    assert r.exit_code == 0
    assert "SKIP  dropped      relaxed: dropped.enabled is false in the config" in r.stdout


# ------------------------------------------------------------------ exact outputs, one failing draft

PARENT = """ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK
Số: 12/KH-UBND
KẾ HOẠCH
Triển khai chuyển đổi số năm 2025

I. MỤC ĐÍCH, YÊU CẦU
Đẩy mạnh chuyển đổi số trên địa bàn tỉnh.

II. NHIỆM VỤ, GIẢI PHÁP
1. Hạ tầng số
a) Xây dựng nền tảng dữ liệu dùng chung của tỉnh trong năm 2025.
b) Triển khai mạng wifi miễn phí tại các điểm công cộng của tỉnh.
c) Nâng cấp trung tâm điều hành thông minh của tỉnh.
2. Nhân lực số
a) Tổ chức đào tạo kỹ năng số cho cán bộ, công chức hằng năm.
b) Ban hành chính sách thu hút chuyên gia công nghệ thông tin về làm việc tại tỉnh.
"""

DRAFT = """ỦY BAN NHÂN DÂN PHƯỜNG TÂN LẬP
Số: 34/KH-UBND
KẾ HOẠCH
Triển khai chuyển đổi số năm 2025

I. MỤC ĐÍCH, YÊU CẦU
Đẩy mạnh chuyển đổi số trên địa bàn phường.

II. NHIỆM VỤ, GIẢI PHÁP
1. Hạ tầng số
a) Xây dựng nền tảng dữ liệu dùng chung của phường trong năm 2025.
b) Nâng cấp trung tâm điều hành thông minh của phường.
2. Nhân lực số
a) Tổ chức đào tạo kỹ năng số cho cán bộ, công chức hằng năm.
b) Đề xuất chính sách thu hút chuyên gia công nghệ thông tin về làm việc tại phường.
"""

DROP = "II.1.b «Triển khai mạng wifi miễn phí tại các điểm công cộng của…» (parent line 12) is dropped: no task of the draft carries it; expected in draft section II.1 (line 10)"
SOFT = "II.2.b «Ban hành chính sách thu hút chuyên gia công nghệ thông tin…» is softened in draft task II.2.b: removed «Ban hành … tỉnh.»; added «Đề xuất … phường.»"

GITHUB = f"""::error file=draft.txt,line=10,title=plancheck dropped II.1.b::{DROP}
::warning file=draft.txt,line=15,title=plancheck weakened II.2.b::{SOFT}
::notice title=plancheck::draft.txt failed 1 rule: dropped (coverage 80.0%25 of 5 parent tasks)
"""

JUNIT = f"""<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="plancheck" tests="15" failures="2" errors="0" skipped="6">
  <testsuite name="plancheck draft.txt" tests="15" failures="2" errors="0" skipped="6" timestamp="2025-10-01">
    <properties>
      <property name="draft" value="draft.txt" />
      <property name="draft_number" value="34/KH-UBND" />
      <property name="parent" value="12/KH-UBND" />
      <property name="coverage" value="0.800" />
      <property name="config" value="" />
      <property name="strict" value="yes" />
    </properties>
    <testcase classname="plancheck.draft_txt.tasks" name="II.1.a Xây dựng nền tảng dữ liệu dùng chung của tỉnh trong năm…" time="0" />
    <testcase classname="plancheck.draft_txt.tasks" name="II.1.b Triển khai mạng wifi miễn phí tại các điểm công cộng của…" time="0">
      <failure message="{DROP}" type="dropped">{DROP}</failure>
    </testcase>
    <testcase classname="plancheck.draft_txt.tasks" name="II.1.c Nâng cấp trung tâm điều hành thông minh của tỉnh." time="0" />
    <testcase classname="plancheck.draft_txt.tasks" name="II.2.a Tổ chức đào tạo kỹ năng số cho cán bộ, công chức hằng năm." time="0" />
    <testcase classname="plancheck.draft_txt.tasks" name="II.2.b Ban hành chính sách thu hút chuyên gia công nghệ thông tin…" time="0">
      <system-out>{SOFT}</system-out>
    </testcase>
    <testcase classname="plancheck.draft_txt.rules" name="dropped" time="0">
      <failure message="1 parent task left out; 1 fails: not waived" type="dropped">{DROP}</failure>
    </testcase>
    <testcase classname="plancheck.draft_txt.rules" name="weakened" time="0">
      <system-out>1 carried parent task softened or narrowed
{SOFT}</system-out>
    </testcase>
    <testcase classname="plancheck.draft_txt.rules" name="coverage" time="0">
      <skipped message="no minimum set (coverage.overall, coverage.per_section or coverage.sections)" />
    </testcase>
    <testcase classname="plancheck.draft_txt.rules" name="protected" time="0">
      <skipped message="no protected tasks in the config" />
    </testcase>
    <testcase classname="plancheck.draft_txt.rules" name="waivers" time="0">
      <skipped message="no waivers in the config" />
    </testcase>
    <testcase classname="plancheck.draft_txt.rules" name="targets" time="0" />
    <testcase classname="plancheck.draft_txt.rules" name="deadlines" time="0">
      <skipped message="no linked task has a deadline on both sides" />
    </testcase>
    <testcase classname="plancheck.draft_txt.rules" name="assignments" time="0">
      <skipped message="the draft has no assignment table (no appendix tasks)" />
    </testcase>
    <testcase classname="plancheck.draft_txt.rules" name="duplicates" time="0" />
    <testcase classname="plancheck.draft_txt.rules" name="references" time="0">
      <skipped message="no corpus folder given (--corpus or references.corpus in the config)" />
    </testcase>
  </testsuite>
</testsuites>
"""


@pytest.fixture()
def plans(tmp_path, monkeypatch):
    (tmp_path / "parent.txt").write_text(PARENT, encoding="utf-8")
    (tmp_path / "draft.txt").write_text(DRAFT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_exact_github_output_for_one_failing_draft(plans):
    r = run("check", "draft.txt", "--against", "parent.txt", "--today", TODAY, "--format", "github")
    assert r.exit_code == 1
    assert r.stdout == GITHUB
    assert r.stderr == "plancheck: 1 of 1 draft failed: draft.txt: dropped\n"


def test_exact_junit_output_for_one_failing_draft(plans):
    r = run("check", "draft.txt", "--against", "parent.txt", "--today", TODAY, "--format", "junit")
    assert r.exit_code == 1
    assert r.stdout == JUNIT


def test_check_summary_in_vietnamese(plans, monkeypatch):
    r = run("check", "draft.txt", "--against", "parent.txt", "--today", TODAY, "--lang", "vi")
    lines = r.stdout.splitlines()
    assert r.exit_code == 1
    assert lines[1:5] == [
        "  so với: 12/KH-UBND — UBND tỉnh",
        "  kế thừa 80,0% của 5 nhiệm vụ cấp trên; giữ nguyên 3, sửa đổi 1, bỏ 1, bổ sung 0; quy tắc mặc định (không có cấu hình)",
        "  nghiêm ngặt: mỗi nhiệm vụ cấp trên bị dự thảo bỏ là lỗi, trừ khi có miễn trừ",
        "  nhiệm vụ cấp trên: 1 lỗi, 1 cảnh báo, 0 được miễn trừ, 3 đạt",
    ]
    assert "LỖI       dropped      1 nhiệm vụ cấp trên bị bỏ; 1 lỗi: không có miễn trừ" in lines
    assert "      - II.1.b «Triển khai mạng wifi miễn phí tại các điểm công cộng của…» (dòng 12 văn bản cấp trên) bị bỏ: không nhiệm vụ nào của dự thảo kế thừa; cần có trong mục II.1 của dự thảo (dòng 10)" in lines
    assert "CẢNH BÁO  weakened     1 nhiệm vụ cấp trên được kế thừa nhưng bị làm nhẹ đi hoặc thu hẹp" in lines
    assert lines[-1] == "KHÔNG ĐẠT: 1 lỗi, 2 đạt, 1 cảnh báo, 6 bỏ qua"
    # the environment variable chooses the language too; --lang wins over it
    monkeypatch.setenv("PLANCOMPARE_LANG", "vi")
    x = run("check", "draft.txt", "--against", "parent.txt", "--today", TODAY, "--format", "junit")
    assert 'message="1 nhiệm vụ cấp trên bị bỏ; 1 lỗi: không có miễn trừ"' in x.stdout
    assert run("check", "draft.txt", "--against", "parent.txt", "--today", TODAY, "--lang", "en").stdout.splitlines()[-1].startswith("FAILED")
    monkeypatch.setenv("PLANCOMPARE_LANG", "fr")
    bad = run("check", "draft.txt", "--against", "parent.txt")
    assert (bad.exit_code, bad.stderr) == (2, "plancompare: error: PLANCOMPARE_LANG: 'fr' is not one of: vi, en\n")


# ------------------------------------------------------------------ exit codes, with and without --debug

NO_TASKS = """ỦY BAN NHÂN DÂN PHƯỜNG TÂN LẬP
KẾ HOẠCH
Triển khai chuyển đổi số năm 2025

I. MỤC TIÊU
1. Mục tiêu chung
Đến năm 2025, 100% hồ sơ công việc được xử lý trên môi trường mạng.
"""


@pytest.mark.parametrize("debug", [False, True])
def test_exit_codes_are_the_same_with_debug(plans, debug):
    pre = ["--debug"] if debug else []
    (plans / "ok.yaml").write_text("waivers:\n  - task: II.1.b\n    reason: phường chưa có điểm công cộng\n    expires: 2026-12-31\n", encoding="utf-8")
    (plans / "notasks.txt").write_text(NO_TASKS, encoding="utf-8")
    base = ["check", "--today", TODAY, "--against", "parent.txt"]
    assert run(*pre, *base, "draft.txt", "--config", "ok.yaml").exit_code == 0
    assert run(*pre, *base, "draft.txt").exit_code == 1
    r = run(*pre, *base, "nope.txt")
    assert r.exit_code == 2 and r.stderr.endswith("plancompare: error: nope.txt: no such file\n")
    assert ("Traceback (most recent call last)" in r.stderr) is debug
    assert run(*pre, *base, "draft.txt", "--lang", "de").exit_code == 2
    assert run(*pre, *base, "draft.txt", "--format", "xml").exit_code == 2
    r = run(*pre, *base, "notasks.txt")
    assert r.exit_code == 3 and r.stderr.endswith("plancompare: error: notasks.txt: the child plan has no tasks to compare\n")


# ------------------------------------------------------------------ several drafts, --changed-only


def test_several_drafts_each_judged_one_junit_suite_each(plans):
    r = run("check", "draft.txt", "parent.txt", "--against", "parent.txt", "--today", TODAY, "--format", "junit")
    assert r.exit_code == 1
    suites = ET.fromstring(r.stdout).findall("testsuite")
    assert [s.get("name") for s in suites] == ["plancheck draft.txt", "plancheck parent.txt"]
    assert [s.get("failures") for s in suites] == ["2", "0"]
    assert r.stderr == "plancheck: 1 of 2 drafts failed: draft.txt: dropped\n"


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_changed_only_checks_the_drafts_changed_in_the_range(plans):
    def git(*a: str) -> None:
        subprocess.run(["git", *a], cwd=plans, check=True, capture_output=True)

    (plans / "other.txt").write_text(PARENT.replace("12/KH-UBND", "56/KH-UBND"), encoding="utf-8")
    git("init", "-q", "-b", "main")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    (plans / "other.txt").write_text(PARENT.replace("12/KH-UBND", "56/KH-UBND") + "c) Tổ chức hội thảo chuyển đổi số.\n", encoding="utf-8")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "edit other")
    r = run("check", "draft.txt", "other.txt", "--against", "parent.txt", "--today", TODAY, "--changed-only", "HEAD~1", "--format", "json")
    assert r.exit_code == 0, r.output  # draft.txt (failing) did not change: only other.txt is checked
    assert json.loads(r.stdout)["draft_file"] == "other.txt"
    assert r.stderr == "plancheck: 1 of 2 drafts changed since HEAD~1: other.txt\n"
    # the parent changed: every draft is checked
    (plans / "parent.txt").write_text(PARENT + "\n", encoding="utf-8")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "edit parent")
    r = run("check", "draft.txt", "other.txt", "--against", "parent.txt", "--today", TODAY, "--changed-only", "HEAD~1")
    assert r.exit_code == 1 and r.stderr.startswith("plancheck: parent.txt changed since HEAD~1: checking every draft\n")
    none = run("check", "draft.txt", "--against", "parent.txt", "--changed-only", "HEAD")
    assert (none.exit_code, none.stdout, none.stderr) == (0, "", "plancheck: 0 of 1 draft changed since HEAD: nothing to check\n")
    bad = run("check", "draft.txt", "--against", "parent.txt", "--changed-only", "no-such-ref")
    assert bad.exit_code == 2 and bad.stderr.startswith("plancompare: error: --changed-only no-such-ref: ")


def test_parent_outcomes_agree_with_the_summary():
    from plancompare.align import compare
    from plancompare.parse import parse_file

    c = compare(parse_file(RAW / FILES["146"]), parse_file(RAW / FILES["tanlap"]))
    out = parent_outcomes(c)
    assert len(out) == c.summary.parent_tasks
    assert sum(1 for o in out if not o.carried) == c.summary.statuses["dropped"] == 4
