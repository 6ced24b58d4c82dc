"""Facts the models carry once: targets, deadlines, document labels, the task finder, task scope."""

from __future__ import annotations

import re

import pytest

from plancompare.align.kinds import classify
from plancompare.align.targets import is_weaker, retargets_of, target_change
from plancompare.models import Deadline, DocumentInfo, Target, Task, TaskScope, find_tasks
from plancompare.parse.quantities import read_deadline
from plancompare.parse.records import _IND_SENT, is_rank


def test_a_rank_inside_a_phrase_is_not_a_target_value():
    text = "Việt Nam thuộc nhóm 3 nước dẫn đầu Đông Nam Á; kinh tế số đạt 30% GDP; xếp hạng 5 toàn quốc"
    values = [m.group("val").strip() for m in _IND_SENT.finditer(text) if not is_rank(text, m)]
    assert values == ["30% GDP"]
    ranks = [m.group("val").strip() for m in _IND_SENT.finditer(text) if is_rank(text, m)]
    assert ranks == ["3"]


def test_the_resolution_s_rank_is_not_read_as_an_indicator():
    from pathlib import Path

    from plancompare.parse import load

    doc = load(Path(__file__).resolve().parents[1] / "data" / "raw" / "central_57-NQ-TW_2024-12-22.md")
    assert not [i for i in doc.body_targets if i.name.endswith("Việt Nam")]
    assert "tối thiểu 30% GDP" in [t.raw for i in doc.body_targets for t in i.targets]


def test_a_number_removed_with_its_words_is_not_a_target_and_not_retargeted():
    p = "Thường xuyên kiểm tra, đánh giá an toàn thông tin cho các hệ thống thông tin mức độ 3 trên địa bàn tỉnh."
    c = "Thường xuyên kiểm tra, đánh giá an toàn thông tin cho các hệ thống thông tin trên địa bàn phường."
    res = classify(p, c)
    assert [(r.old, r.new, r.target) for r in res.retargets] == [("3", None, False)]
    assert "retargeted" not in [k.value for k in res.kinds]


def test_a_lower_minimum_is_one_structured_weaker_retarget():
    p = "Phấn đấu đến năm 2030 có ít nhất 50% doanh nghiệp ứng dụng công nghệ số."
    c = "Phấn đấu đến năm 2030 có ít nhất 40% doanh nghiệp ứng dụng công nghệ số."
    res = classify(p, c)
    (r,) = res.retargets
    assert (r.old, r.new, r.unit, r.direction, r.change, r.target) == ("50%", "40%", "percent", "at_least", "weaker", True)
    assert "retargeted" in [k.value for k in res.kinds]
    later = retargets_of(classify("Hoàn thành trong năm 2025 việc số hóa.", "Hoàn thành trong năm 2027 việc số hóa.").diff)
    assert [(r.direction, r.change) for r in later] == [("later", "weaker")]


def test_indicator_targets_and_task_numbers_share_one_weaker_rule():
    assert is_weaker("at_least", 50, 40) and not is_weaker("at_least", 50, 60)
    assert is_weaker("at_most", 5, 6) and not is_weaker("unstated", 5, 6, default="ignore")
    assert target_change(Target(year=2030, op="≥", value=30, raw="≥ 30%"), Target(year=2030, op="≥", value=20, raw="≥ 20%")) == "weaker"
    assert target_change(Target(year=2030, op="≤", value=5, raw="≤ 5%"), Target(year=2030, op="≤", value=4, raw="≤ 4%")) == "better"
    assert target_change(Target(raw="Có", qualitative=True), Target(raw="Có", qualitative=True)) is None


@pytest.mark.parametrize(
    "text, fields",
    [
        ("Quý II/2025", (2025, 2, None, False)),
        ("Tháng 7/2025", (2025, None, 7, False)),
        ("2025 - 2026", (2026, None, None, False)),
        ("Thường xuyên", (None, None, None, True)),
        ("Theo tiến độ dự án", (None, None, None, False)),
    ],
)
def test_deadlines_are_read_by_the_parser(text, fields):
    d = read_deadline(text)
    assert d is not None and d.text == text and str(d) == text
    assert (d.year, d.quarter, d.month, d.open_ended) == fields


def test_a_deadline_stored_as_text_is_read_when_loaded():
    t = Task.model_validate({"id": "T:1", "marker": "row", "path": "1", "text": "x", "key": "x", "line_start": 1, "line_end": 1, "deadline": "Quý III/2026"})
    assert isinstance(t.deadline, Deadline) and (t.deadline.year, t.deadline.quarter) == (2026, 3)


def test_one_label_names_a_document():
    assert DocumentInfo(number="146/KH-UBND", place="Đắk Lắk").label == "146/KH-UBND"
    assert DocumentInfo(kind="Kế hoạch", place="phường Tân Lập", source_file="x/tan-lap.txt").label == "Kế hoạch (phường Tân Lập)"
    assert DocumentInfo(source_file="data/raw/tan-lap.txt").label == "Văn bản (tan-lap)"


def _task(path: str, label: str) -> Task:
    return Task(id="T:" + path, label=label, marker="letter", path=path, text=path, key=path, line_start=1, line_end=1)


def test_one_task_finder():
    tasks = [_task("II.3.đ", "đ"), _task("II.4.đ", "đ"), _task("II.4.e", "e")]
    assert [t.path for t in find_tasks(tasks, "T:II.3.đ")] == ["II.3.đ"]
    assert [t.path for t in find_tasks(tasks, "II.3.đ")] == ["II.3.đ"]
    assert [t.path for t in find_tasks(tasks, "4.e)")] == ["II.4.e"]
    assert len(find_tasks(tasks, "đ")) == 2 and find_tasks(tasks, "z") == []


def test_task_scope_maps_the_old_keyword():
    assert TaskScope.of(None) is TaskScope.auto and TaskScope.of(False) is TaskScope.body and TaskScope.of(True) is TaskScope.all
    assert TaskScope.of("appendix") is TaskScope.appendix
    assert [s.include_appendix for s in TaskScope] == [None, False, True, True]
    assert re.fullmatch(r"auto|body|appendix|all", TaskScope.body.value)


def _cmp():
    from pathlib import Path

    from plancompare.align import compare
    from plancompare.parse import load

    raw = Path(__file__).resolve().parents[1] / "data" / "raw"
    return compare(load(raw / "dak-lak_146-KH-UBND_2025-06-25.txt"), load(raw / "dak-lak_tan-lap_KH-UBND_2025.txt"))


def test_only_returns_a_summary_that_agrees_with_its_pairs():
    from plancompare.align.models import pair_counts

    c = _cmp()
    assert {k: v for k, v in pair_counts(c.pairs).items()} == {k: getattr(c.summary, k) for k in pair_counts(c.pairs)}
    d = c.only(["dropped"])
    assert d.selection == ["dropped"] and {p.status.value for p in d.pairs} == {"dropped"}
    assert d.summary.statuses == {"copied": 0, "changed": 0, "dropped": len(d.pairs), "added": 0}
    assert d.summary.links == 0 and d.summary.coverage == c.summary.coverage and d.summary.parent_tasks == c.summary.parent_tasks


def test_include_appendix_keyword_still_works_with_a_warning():
    import warnings

    from plancompare.align import compare
    from plancompare.models import TaskScope

    c = _cmp()
    p, ch = None, None
    from plancompare.parse import load
    from pathlib import Path

    raw = Path(__file__).resolve().parents[1] / "data" / "raw"
    p, ch = load(raw / "central_03-NQ-CP_2025-01-09.md"), load(raw / "thai-nguyen_25-KH-UBND_2025-01-24.txt")
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        old = compare(p, ch, include_appendix=False)
    assert any(issubclass(x.category, DeprecationWarning) for x in w)
    assert old.summary == compare(p, ch, scope=TaskScope.body).summary
    assert compare(p, ch, scope="all").summary.parent_tasks > old.summary.parent_tasks
    assert c.summary.parent_tasks == 55


def test_settings_are_frozen_and_recorded_in_results():
    from pydantic import ValidationError

    from plancompare.gate import run_check
    from plancompare.gate.settings import CheckSettings
    from plancompare.lineage.settings import DEFAULT, LineageSettings
    from plancompare.parse import load
    from pathlib import Path

    with pytest.raises(ValidationError):
        DEFAULT.near = 0.5  # type: ignore[misc]
    raw = Path(__file__).resolve().parents[1] / "data" / "raw"
    r = run_check(load(raw / "dak-lak_tan-lap_KH-UBND_2025.txt"), load(raw / "dak-lak_146-KH-UBND_2025-06-25.txt"))
    assert r.settings == CheckSettings() and r.align_settings is not None
    assert "settings" in r.model_dump() and LineageSettings().scope.value == "auto"


def test_copied_lists_of_statuses_and_kinds_agree_with_the_enums():
    from plancompare import i18n
    from plancompare.align.models import KIND_NAMES, STATUS_NAMES
    from plancompare.cli import fast
    from plancompare.scale import batch

    assert batch.KINDS == KIND_NAMES == i18n.KINDS
    assert i18n.STATUSES[:4] == STATUS_NAMES
    assert fast.STATUSES == (*STATUS_NAMES, "related") == i18n.STATUSES[:5]


def test_status_literals_of_the_lineage_records_are_the_parent_statuses():
    """The Literal types of the lineage records (kept literal for the schemas) name align.models' statuses."""
    from typing import get_args, get_type_hints

    from plancompare.align.models import PARENT_STATUSES, Status
    from plancompare.lineage.siblings import SiblingCell
    from plancompare.lineage.survival import Carried

    assert PARENT_STATUSES == (Status.copied, Status.changed, Status.dropped)
    assert get_args(SiblingCell.model_fields["status"].annotation) == PARENT_STATUSES
    assert get_args(get_type_hints(Carried)["status"]) == (*PARENT_STATUSES, "not_received")


def test_the_parser_gives_each_reference_the_clause_citing_it():
    from pathlib import Path

    from plancompare.parse import load

    doc = load(Path(__file__).resolve().parents[1] / "data" / "raw" / "thai-nguyen_25-KH-UBND_2025-01-24.txt")
    cited = [r for r in doc.references if r.number == "45-NQ/TW"]
    assert cited and all(r.context and "45-NQ/TW" in r.context and ";" not in r.context for r in cited)
