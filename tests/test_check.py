"""plancheck rules on purpose-built drafts.

Each draft is a corpus parent's own text with a few edits (a task dropped,
softened, retargeted, a deadline moved, a lead agency blanked...), so that
each rule is seen both passing and failing on real document layouts:
146/KH-UBND (web scrape, body tasks) and 25/KH-UBND Thái Nguyên (appendix
task table with lead agency and deadline).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from functools import lru_cache

import pytest

from _corpus import FILES, RAW, ROOT
from plancompare.gate import RULES, CheckConfig, CheckResult, corpus_numbers_from_dir, junit_xml, numbers, parse_deadline, run_check
from plancompare.errors import ConfigError
from plancompare.parse import parse_text

TODAY = dt.date(2025, 10, 1)


@lru_cache(maxsize=None)
def raw(name: str) -> str:
    return (RAW / FILES[name]).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def parent(name: str = "146"):
    return parse_text(raw(name), FILES[name])


def draft(name: str = "146", *edits: tuple[str, str]):
    """The parent's text with edits (old -> new, every occurrence; the old text must exist)."""
    text = raw(name)
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    return parse_text(text, "draft.txt"), text


def cfg(**data) -> CheckConfig:
    return CheckConfig.from_dict(data)


def check(d, config: CheckConfig | None = None, name: str = "146", **kw) -> CheckResult:
    kw.setdefault("today", TODAY)
    return run_check(d, parent(name), config, **kw)


def line_of(text: str, needle: str) -> int:
    """Line of the last occurrence (146/KH-UBND repeats its opening; the parser keeps the second copy)."""
    return text[: text.rindex(needle)].count("\n") + 1


# tasks of 146/KH-UBND used below (as they are written in the file)
T_I = "i) Phấn đấu đến hết năm 2030 tỷ lệ chi cho khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số từ 3% GRDP trở lên và bố trí từ 1,5% trở lên trong tổng chi ngân sách địa phương.\n"
T_O = "o) Xây dựng chương trình chuyên biệt về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số trên truyền hình, phát thanh và mạng xã hội.\n"
T_H = "đạt tối thiểu 25%."
T_6H = "h) Xây dựng bộ tiêu chí đánh giá hiệu quả đầu tư chuyển đổi số tại tỉnh."
SOFTEN_3G = ("g) Phát triển mạng lưới kết nối", "g) Phối hợp phát triển mạng lưới kết nối")


def _drop(task_line: str) -> tuple[str, str]:
    return (task_line, "")


def _drop_6h() -> tuple[str, str]:
    text = raw("146")
    start = text.index(T_6H)
    end = text.index("\n", start) + 1
    return (text[start:end], "")


# ------------------------------------------------------------------ the unchanged draft


def test_the_parent_itself_passes_every_rule():
    d, _ = draft()
    c = cfg(coverage={"overall": 1.0, "per_section": 1.0}, protected=[{"task": "II.1.i"}, {"section": "II.3", "forbid": ["changed"]}], references={"external": ["71/NQ-CP", "61-CTr/TU", "49/KH-UBND"]})
    r = check(d, c, corpus_numbers={"57-NQ/TW", "283-KH/TU", "03/NQ-CP"})
    assert r.passed, r.to_text()
    assert [x.rule for x in r.rules] == list(RULES)
    assert {x.rule: x.status for x in r.rules} == {
        "dropped": "pass",
        "weakened": "pass",
        "coverage": "pass",
        "protected": "pass",
        "waivers": "skip",
        "targets": "pass",
        "deadlines": "skip",
        "assignments": "skip",
        "duplicates": "pass",
        "references": "pass",
    }
    assert r.coverage == 1.0 and r.parent_tasks == 55


def test_without_config_unset_rules_skip_with_a_reason():
    d, _ = draft()
    r = check(d)
    assert r.passed and r.config is None
    assert r.rule("coverage").summary == "no minimum set (coverage.overall, coverage.per_section or coverage.sections)"
    assert r.rule("references").summary == "no corpus folder given (--corpus or references.corpus in the config)"


# ------------------------------------------------------------------ coverage


def test_coverage_overall_and_per_section_fail():
    d, _ = draft("146", _drop(T_I), _drop(T_O))
    r = check(d, cfg(coverage={"overall": 0.97, "per_section": "90%"}))
    cov = r.rule("coverage")
    assert cov.status == "fail"
    assert cov.messages[0] == "overall coverage 96.4% of 55 parent tasks is below the minimum 97%: 2 dropped (II.1.i, II.1.o)"
    assert cov.messages[1] == "section II.1: coverage 86% of 14 tasks is below the minimum 90%: dropped II.1.i, II.1.o"
    assert cov.task_ids == ["T:II.1.i", "T:II.1.o"]
    # the same draft passes lower minimums
    assert check(d, cfg(coverage={"overall": 0.95, "per_section": 0.85})).rule("coverage").status == "pass"


def test_coverage_section_override_and_unknown_section():
    d, _ = draft("146", _drop(T_O))
    r = check(d, cfg(coverage={"per_section": 0.5, "sections": {"II.1": 1.0}}))
    assert r.rule("coverage").status == "fail" and r.rule("coverage").task_ids == ["T:II.1.o"]
    with pytest.raises(ConfigError) as e:
        check(d, cfg(coverage={"sections": {"IX.9": 0.5}}))
    assert str(e.value).startswith("plancheck.yaml: coverage.sections.IX.9: no such section among the parent's compared tasks (II.1, II.2,")


# ------------------------------------------------------------------ protected


def test_protected_task_dropped_by_path_and_by_text_prefix():
    d, _ = draft("146", _drop(T_I), _drop(T_O))
    c = cfg(protected=[{"task": "II.1.i", "note": "chỉ tiêu ngân sách"}, {"text": "xây dựng CHƯƠNG TRÌNH chuyên biệt"}, {"task": "II.1.h"}])
    r = check(d, c)
    p = r.rule("protected")
    assert p.status == "fail" and not r.passed
    assert p.task_ids == ["T:II.1.i", "T:II.1.o"]
    assert p.messages[0].startswith("protected task II.1.i «Phấn đấu đến hết năm 2030")
    assert p.messages[0].endswith("is dropped from the draft [protected[0]: chỉ tiêu ngân sách]")
    assert p.messages[1].endswith("is dropped from the draft [protected[1]]")
    assert p.summary == "3 protected tasks; 2 violations"


def test_protected_task_softened_points_at_the_draft_line():
    d, text = draft("146", SOFTEN_3G)
    r = check(d, cfg(protected=[{"section": "II.3"}]))
    p = r.rule("protected")
    assert p.status == "fail"
    (f,) = p.findings
    assert (f.parent_task, f.draft_task) == ("T:II.3.g", "T:II.3.g")
    assert f.line == line_of(text, SOFTEN_3G[1])
    assert "is softened in draft task II.3.g: added «Phối hợp»" in f.message
    # softening is allowed when only dropping is forbidden
    assert check(d, cfg(protected=[{"section": "II.3", "forbid": ["dropped"]}])).rule("protected").status == "pass"


def test_protected_retargeted_only_when_forbidden():
    d, _ = draft("146", (T_H, "đạt tối thiểu 30%."))
    assert check(d, cfg(protected=[{"task": "II.1.h"}])).rule("protected").status == "pass"
    r = check(d, cfg(protected=[{"task": "II.1.h", "forbid": ["retargeted"]}]))
    assert r.rule("protected").status == "fail" and "is retargeted in draft task II.1.h" in r.rule("protected").messages[0]


def test_protected_reference_errors_name_the_key():
    d, _ = draft()
    with pytest.raises(ConfigError) as e:
        check(d, cfg(protected=[{"task": "II.1.i"}, {"task": "II.9.z"}]))
    assert str(e.value) == "plancheck.yaml: protected[1].task: 'II.9.z' matches no task of the parent 146/KH-UBND"
    with pytest.raises(ConfigError) as e:
        check(d, cfg(protected=[{"task": "a"}]))
    assert str(e.value).startswith("plancheck.yaml: protected[0].task: 'a' is ambiguous in the parent 146/KH-UBND (II.1.a, II.2.a,")
    with pytest.raises(ConfigError) as e:
        check(d, cfg(protected=[{"text": "Không có nhiệm vụ này"}]))
    assert str(e.value) == "plancheck.yaml: protected[0].text: no task of the parent 146/KH-UBND starts with 'Không có nhiệm vụ này'"


# ------------------------------------------------------------------ waivers


def test_waiver_active_until_its_expiry_date_inclusive():
    d, _ = draft("146", _drop_6h())
    c = cfg(coverage={"overall": 1.0}, protected=[{"section": "II.6"}], waivers=[{"task": "II.6.h", "reason": "cấp tỉnh thực hiện", "expires": "2025-12-31"}])
    r = check(d, c, today=dt.date(2025, 12, 31))
    assert r.passed, r.to_text()
    w = r.rule("waivers")
    assert w.status == "pass"
    assert w.messages == ["II.6.h «Xây dựng bộ tiêu chí đánh giá hiệu quả đầu tư chuyển đổi số tại tỉnh. Xây dựng …» left out under a waiver until 2025-12-31: cấp tỉnh thực hiện"]
    assert r.rule("coverage").summary == "overall 100.0% of 54 parent tasks (minimum 100%) (1 waived task not counted)"
    assert r.rule("protected").messages == ["II.6.h: waived until 2025-12-31 (cấp tỉnh thực hiện)"]


def test_expired_waiver_no_longer_applies():
    d, _ = draft("146", _drop_6h())
    c = cfg(coverage={"overall": 1.0}, protected=[{"section": "II.6"}], waivers=[{"task": "II.6.h", "reason": "cấp tỉnh thực hiện", "expires": "2025-12-31"}])
    r = check(d, c, today=dt.date(2026, 1, 1))
    assert not r.passed
    assert {x.rule for x in r.failed_rules} == {"dropped", "coverage", "protected", "waivers"}
    assert r.rule("dropped").messages[0].endswith("(its waiver expired on 2025-12-31)")
    assert r.rule("waivers").messages[0].startswith("waiver for II.6.h «Xây dựng bộ tiêu chí")
    assert r.rule("waivers").messages[0].endswith("expired on 2025-12-31 (reason: cấp tỉnh thực hiện) but the draft still leaves the task out [waivers[0]]")
    assert r.rule("waivers").task_ids == ["T:II.6.h"]


def test_unused_waiver_is_a_note_not_a_failure():
    d, _ = draft()
    r = check(d, cfg(waivers=[{"text": "Xây dựng bộ tiêu chí đánh giá hiệu quả", "reason": "x", "expires": "2025-01-01"}]))
    w = r.rule("waivers")
    assert w.status == "pass"
    assert w.messages == ["expired waiver for II.6.h (2025-01-01) is no longer needed: the draft keeps the task [waivers[0]]"]


# ------------------------------------------------------------------ targets


def test_lower_minimum_is_weaker_higher_is_not():
    d, text = draft("146", (T_H, "đạt tối thiểu 20%."))
    t = check(d).rule("targets")
    assert t.status == "warn"  # a warning by default; targets.severity: fail makes it fail
    assert check(d, cfg(targets={"severity": "fail"})).rule("targets").status == "fail"
    (f,) = t.findings
    assert f.message.startswith("II.1.h → draft II.1.h: 25% → 20% is a lower minimum than the parent's («…")
    assert f.line == line_of(text, "đạt tối thiểu 20%.") and f.draft_task == "T:II.1.h"
    d2, _ = draft("146", (T_H, "đạt tối thiểu 30%."))
    t2 = check(d2).rule("targets")
    assert t2.status == "pass" and t2.messages == ["II.1.h → draft II.1.h: 25% → 30% (not weaker)"]


def test_later_year_and_lower_share_with_decimal_comma():
    d, _ = draft("146", ("đến hết năm 2030 tỷ lệ chi", "đến hết năm 2032 tỷ lệ chi"), ("bố trí từ 1,5% trở lên", "bố trí từ 1,2% trở lên"))
    t = check(d).rule("targets")
    assert t.status == "warn"
    assert [m.split(" is ")[0] for m in t.messages] == ["II.1.i → draft II.1.i: 2030 → 2032", "II.1.i → draft II.1.i: 1,5% → 1,2%"]
    assert "a later date" in t.messages[0] and "a lower minimum" in t.messages[1]
    # years can be ignored; the share still fails
    t2 = check(d, cfg(targets={"years": "ignore"})).rule("targets")
    assert len(t2.findings) == 1 and "1,5% → 1,2%" in t2.messages[0]


def test_removed_target_fails_unless_ignored():
    d, _ = draft("146", (" đạt tối thiểu 25%.", "."))
    t = check(d).rule("targets")
    assert t.status == "warn" and t.messages[0].startswith("II.1.h → draft II.1.h: target 25% removed («…")
    assert check(d, cfg(targets={"removed": "ignore"})).rule("targets").status == "pass"
    assert check(d, cfg(targets=False)).rule("targets").status == "skip"


def test_numbers_and_directions():
    ns = numbers("tối thiểu 25%, 1,5% GRDP, năm 2030, tháng 6/2025, 1.000 doanh nghiệp, Nghị quyết 57-NQ/TW, cấp độ 3.")
    assert [(n.text, n.value, n.kind) for n in ns] == [("25%", 25.0, "percent"), ("1,5%", 1.5, "percent"), ("2030", 2030.0, "year"), ("6/2025", 2025 + 5 / 12, "month"), ("1.000", 1000.0, "number"), ("3", 3.0, "number")]
    from plancompare.parse.quantities import direction_of

    assert direction_of("giảm tỷ lệ hộ nghèo xuống dưới", "") == "at_most"
    assert direction_of("có ít nhất", " dự án") == "at_least"
    assert direction_of("đạt", " trở lên") == "at_least"
    assert direction_of("phủ sóng", " dân số") == "unstated"


# ------------------------------------------------------------------ deadlines and assignments (appendix tables)

TN_30 = ("Văn bản của cấp có thẩm quyền |\nTháng 01/2026 |\n31. |", "Văn bản của cấp có thẩm quyền |\nTháng 06/2026 |\n31. |")
TN_31_LEAD = (
    "Sở Nội vụ |\nCác Sở, ban, ngành; UBND các huyện, thành phố |\nVăn bản của cấp có thẩm quyền |\nNăm 2025 |\n32. |",
    " |\nCác Sở, ban, ngành; UBND các huyện, thành phố |\nVăn bản của cấp có thẩm quyền |\nNăm 2025 |\n32. |",
)


def test_deadline_later_than_the_parent_fails_earlier_passes():
    d, text = draft("tn", TN_30)
    r = check(d, name="tn")
    dl = r.rule("deadlines")
    assert dl.status == "fail"
    (f,) = dl.findings
    assert f.message.startswith("PLII.IV.30 → draft PLII.IV.30: deadline «Tháng 06/2026» is later than the parent's «Tháng 01/2026»")
    assert f.line == line_of(text, "30. |\nXây dựng Kế hoạch phát triển, trọng dụng nhân tài") and f.draft_task == "T:PLII.IV.30"
    d2, _ = draft("tn", (TN_30[0], TN_30[0].replace("Tháng 01/2026", "Quý IV/2025")))
    assert check(d2, name="tn").rule("deadlines").status == "pass"


def test_open_ended_deadline_is_configurable():
    d, _ = draft("tn", (TN_30[0], TN_30[0].replace("Tháng 01/2026", "Thường xuyên")))
    assert check(d, name="tn").rule("deadlines").status == "pass"
    r = check(d, cfg(deadlines={"open_ended": "fail"}), name="tn")
    assert r.rule("deadlines").status == "fail" and "«Thường xuyên» is open-ended where the parent's is «Tháng 01/2026»" in r.rule("deadlines").messages[0]


def test_deadlines_skip_without_appendix_tables():
    d, _ = draft()
    assert check(d).rule("deadlines").status == "skip"


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Quý II/2025", (dt.date(2025, 6, 30), False)),
        ("Tháng 7/2025", (dt.date(2025, 7, 31), False)),
        ("02/2026", (dt.date(2026, 2, 28), False)),
        ("Năm 2025", (dt.date(2025, 12, 31), False)),
        ("Năm 2025- 2026", (dt.date(2026, 12, 31), False)),
        ("Năm 2025 và giai đoạn 2026 - 2030", (dt.date(2025, 12, 31), False)),
        ("Từ năm 2025 và các năm tiếp theo", (dt.date(2025, 12, 31), False)),
        ("Thường xuyên", (None, True)),
        ("Hằng năm", (None, True)),
        ("Tháng 11 của năm trước", (None, False)),
        (None, (None, False)),
    ],
)
def test_parse_deadline(text, expected):
    assert parse_deadline(text) == expected


def test_assignment_table_rows_need_lead_and_deadline():
    d, text = draft("tn", TN_31_LEAD)
    a = check(d, name="tn").rule("assignments")
    assert a.status == "fail"
    (f,) = a.findings
    assert f.message.startswith("draft task PLII.IV.31 (Phụ lục II row 31, line ")
    assert "has no lead agency (chủ trì): «Rà soát, đảm bảo có chính sách đặc thù" in f.message
    assert a.task_ids == ["T:PLII.IV.31"] and f.line is not None
    assert check(d, cfg(assignments={"require": ["deadline"]}), name="tn").rule("assignments").status == "pass"
    ok, _ = draft("tn")
    assert check(ok, name="tn").rule("assignments").summary == "68 assigned tasks checked for lead and deadline, all complete"


# ------------------------------------------------------------------ duplicates


def test_duplicate_task_fails_with_its_line():
    dup = T_O.replace("o) ", "p) ")
    d, text = draft("146", (T_O, T_O + dup))
    r = check(d)
    u = r.rule("duplicates")
    assert u.status == "fail" and u.task_ids == ["T:II.1.p"]
    assert u.findings[0].line == line_of(text, dup)
    assert u.messages[0].startswith(f"draft task II.1.p (line {line_of(text, dup)}) repeats II.1.o (line {line_of(text, T_O)}) word for word")
    # Thái Nguyên's plan repeats one task word for word in the source
    tn = check(parent("tn"), name="tn").rule("duplicates")
    assert tn.status == "fail" and tn.task_ids == ["T:II.3.-21"]


# ------------------------------------------------------------------ references


def test_references_resolve_against_corpus_and_external_list():
    d, text = draft()
    corpus = {"57-NQ/TW", "283-KH/TU", "03/NQ-CP"}
    r = check(d, corpus_numbers=corpus).rule("references")
    assert r.status == "fail"
    nums = [re.search(r"cited document .*? (\S+) \(", m).group(1) for m in r.messages]
    assert nums == ["71/NQ-CP", "61-CTr/TU", "49/KH-UBND"]
    assert r.findings[0].line == line_of(text, "Thực hiện Nghị quyết số 71/NQ-CP")
    ok = check(d, cfg(references={"external": ["71/NQ-CP", "61/CTr-TU", "49/KH-UBND"]}), corpus_numbers=corpus).rule("references")
    assert ok.status == "pass"  # '61/CTr-TU' and '61-CTr/TU' are the same number
    only = check(d, cfg(references={"relations": ["implements"], "external": ["71/NQ-CP", "61-CTr/TU"]}), corpus_numbers=corpus).rule("references")
    assert only.status == "pass"


def test_references_corpus_folder_from_config(tmp_path):
    (tmp_path / "plans").mkdir()
    for n in ("57", "283", "03"):
        (tmp_path / "plans" / FILES[n]).write_text(raw(n), encoding="utf-8")
    conf = tmp_path / "plancheck.yaml"
    conf.write_text("references:\n  corpus: plans\n  external: [71/NQ-CP, 61-CTr/TU, 49/KH-UBND]\n", encoding="utf-8")
    c = CheckConfig.from_yaml(conf)
    assert c.corpus_dir() == tmp_path / "plans"
    d, _ = draft()
    r = check(d, c)
    assert r.rule("references").status == "pass" and r.config == str(conf)


# ------------------------------------------------------------------ config validation


@pytest.mark.parametrize(
    "yaml_text,message",
    [
        ("coverage:\n  overall: 1.5\n", "plancheck.yaml: coverage.overall: must be a share between 0 and 1 or a percentage like '90%' (got 1.5)"),
        ("coverage:\n  per_section: lots\n", "plancheck.yaml: coverage.per_section: must be a share between 0 and 1 or a percentage like '90%' (got 'lots')"),
        ("coverge:\n  overall: 0.9\n", "plancheck.yaml: coverge: unknown key (did you mean 'coverage'?)"),
        ("coverage:\n  minimum: 0.9\n", "plancheck.yaml: coverage.minimum: unknown key (allowed: enabled, overall, per_section, sections)"),
        ("waivers:\n  - task: II.6.h\n    expires: 2025-12-31\n", "plancheck.yaml: waivers[0].reason: required key missing"),
        ("waivers:\n  - task: II.6.h\n    reason: x\n    expires: soon\n", "plancheck.yaml: waivers[0].expires: must be a date like 2025-12-31 (got 'soon')"),
        ("waivers:\n  - section: II.6\n    reason: x\n    expires: 2025-12-31\n", "plancheck.yaml: waivers[0]: give exactly one of task, text (got section)"),
        ("protected:\n  - task: II.1.i\n    text: Phấn đấu\n", "plancheck.yaml: protected[0]: give exactly one of task, text, section (got task, text)"),
        ("protected:\n  - task: II.1.i\n    forbid: [deleted]\n", "plancheck.yaml: protected[0].forbid[0]: must be 'dropped', 'softened', 'narrowed', 'retargeted' or 'changed' (got 'deleted')"),
        ("protected:\n  task: II.1.i\n", "plancheck.yaml: protected: must be a list (got dict)"),
        ("targets:\n  default_direction: up\n", "plancheck.yaml: targets.default_direction: must be 'at_least', 'at_most' or 'ignore' (got 'up')"),
        ("version: 2\n", "plancheck.yaml: version: must be 1 (got 2)"),
        ("coverage: [0.9]\n", "plancheck.yaml: coverage: must be a mapping (got list)"),
        ("- coverage\n", "plancheck.yaml: the file must hold a mapping of rule names to settings (got list)"),
        ("coverage:\n  overall: 0.9\n bad indent: 1\n", "plancheck.yaml: line 3: not valid YAML (expected <block end>, but found '<block mapping start>')"),
        ("coverage:\n  overall: 2\n  per_section: 3\n", "plancheck.yaml: coverage.overall: must be a share between 0 and 1 or a percentage like '90%' (got 2) (and 1 more error)"),
    ],
)
def test_config_errors_are_one_line_and_name_the_key(yaml_text, message):
    with pytest.raises(ConfigError) as e:
        CheckConfig.from_yaml_text(yaml_text)
    assert str(e.value) == message
    assert "\n" not in str(e.value) and e.value.exit_code == 2


def test_config_shorthands_and_percentages():
    c = CheckConfig.from_yaml_text("coverage:\n  overall: 90%\n  sections: {II.1: '75%'}\nduplicates: false\n")
    assert c.coverage.overall == 0.9 and c.coverage.sections == {"II.1": 0.75}
    assert c.duplicates.enabled is False and c.targets.enabled is True
    assert CheckConfig.from_yaml_text("") == CheckConfig()


def test_config_file_errors(tmp_path):
    with pytest.raises(ConfigError) as e:
        CheckConfig.from_yaml(tmp_path / "nope.yaml")
    assert str(e.value) == f"{tmp_path / 'nope.yaml'}: no such file"
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"\xff\xfe\x00coverage")
    with pytest.raises(ConfigError) as e:
        CheckConfig.from_yaml(bad)
    assert str(e.value) == f"{bad}: not UTF-8 text"


def test_example_config_is_valid_and_runs_on_the_corpus_pair():
    c = CheckConfig.from_yaml(ROOT / "examples" / "plancheck.yaml")
    assert c.coverage.overall == 0.9 and len(c.protected) == 3 and len(c.waivers) == 2
    r = run_check(parent("tanlap"), parent("146"), c, today=TODAY, corpus_numbers=corpus_numbers_from_dir(RAW))  # --corpus data/raw
    assert {x.rule: x.status for x in r.rules} == {
        "dropped": "fail",  # II.1.o (expired waiver), II.6.e and II.6.h are left out unwaived
        "weakened": "warn",
        "coverage": "pass",
        "protected": "fail",  # II.1.i (the budget target) is dropped by the ward
        "waivers": "fail",  # II.1.o is left out after its waiver expired (2025-09-30)
        "targets": "pass",
        "deadlines": "skip",
        "assignments": "skip",
        "duplicates": "pass",
        "references": "pass",
    }
    assert r.rule("protected").task_ids == ["T:II.1.i"]


# ------------------------------------------------------------------ outputs


@lru_cache(maxsize=None)
def failing() -> CheckResult:
    d, _ = draft("146", _drop(T_I), (T_H, "đạt tối thiểu 20%."), SOFTEN_3G)
    c = cfg(coverage={"overall": 0.99}, protected=[{"task": "II.1.i"}, {"section": "II.3"}])
    return check(d, c, corpus_numbers={"57-NQ/TW"}, draft_path="plans/draft 100%.txt")


def test_json_round_trips():
    r = failing()
    back = CheckResult.model_validate_json(r.to_json())
    assert back == r
    d = json.loads(r.to_json())
    assert d["passed"] is False and [x["rule"] for x in d["rules"]] == list(RULES)
    assert all(set(x) >= {"status", "messages", "task_ids"} for x in d["rules"])


def test_text_summary():
    t = failing().to_text()
    lines = t.splitlines()
    assert lines[0] == "plancheck: plans/draft 100%.txt (146/KH-UBND) — UBND tỉnh Đắk Lắk"
    assert lines[1] == "  against: 146/KH-UBND — UBND tỉnh Đắk Lắk"
    assert "FAIL  coverage" in t and "FAIL  protected" in t and "WARN  targets" in t and "SKIP  deadlines" in t
    assert "FAIL  dropped      1 parent task left out; 1 fails: not waived" in t
    assert lines[-1] == "FAILED: 4 failed, 1 passed, 2 with warnings, 3 skipped"


def test_junit_xml_is_valid_one_testcase_per_parent_task_and_per_rule():
    r = failing()
    root = ET.fromstring(r.to_junit())
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    tasks = [c for c in cases if c.get("classname").endswith(".tasks")]
    rules = [c for c in cases if c.get("classname").endswith(".rules")]
    assert len(tasks) == r.parent_tasks == 55
    assert [c.get("name") for c in rules] == list(RULES)
    failed_tasks = [c.get("name").split(" ")[0] for c in tasks if c.find("failure") is not None]
    assert failed_tasks == ["II.1.i", "II.3.g"]  # dropped (and protected); softened though protected
    failed = {c.get("name"): c.find("failure") for c in rules if c.find("failure") is not None}
    assert set(failed) == {"dropped", "coverage", "protected", "references"}
    assert "II.1.i" in failed["protected"].text and failed["protected"].get("message") == r.rule("protected").summary
    skipped = [c.get("name") for c in rules if c.find("skipped") is not None]
    assert skipped == ["waivers", "deadlines", "assignments"]
    assert root.get("failures") == suite.get("failures") == str(len(failed_tasks) + len(failed))
    # several drafts: one suite each
    root2 = ET.fromstring(junit_xml([r, r]))
    assert len(root2.findall("testsuite")) == 2 and root2.get("tests") == str(2 * (55 + len(RULES)))


def test_github_annotations_use_the_draft_lines():
    r = failing()
    out = r.to_github().splitlines()
    pat = re.compile(r"^::(error|warning|notice) (file=[^,:]+(,line=\d+)?,)?title=[^:]+::\S.*$")
    assert all(pat.match(x) for x in out), out
    errors = [x for x in out if x.startswith("::error")]
    assert len(errors) == sum(len(x.findings) or 1 for x in r.failed_rules)
    warnings = [x for x in out if x.startswith("::warning")]
    assert len(warnings) == sum(len(x.findings) for x in r.rules if x.status == "warn") > 0
    soft = next(x for x in errors if "softened" in x)
    line = r.rule("protected").findings[-1].line
    assert soft.startswith(f"::error file=plans/draft 100%25.txt,line={line},title=plancheck protected II.3.g::")
    assert out[-1].startswith("::notice title=plancheck::plans/draft 100%25.txt failed 4 rules: dropped, coverage, protected, references")
    # messages never break the one-line format
    assert all("\n" not in x for x in out)
    assert failing().to_github(path="other.txt").count("file=other.txt") == len(errors) + len(warnings)
