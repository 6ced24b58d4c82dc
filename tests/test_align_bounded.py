"""The work of the merge/split step per task is bounded by a setting, whatever the number of a task's partial counterparts."""

from __future__ import annotations

import collections
import itertools

import pytest

from plancompare.align import compare, core
from plancompare.align.settings import AlignSettings
from plancompare.parse import parse_text

# six sentences recombined: every parent task shares a whole sentence with several child tasks
POOL = [
    "Xây dựng cơ sở dữ liệu dùng chung về khoa học công nghệ của địa phương",
    "Tổ chức tập huấn kỹ năng số cho cán bộ công chức viên chức",
    "Triển khai nền tảng hợp đồng lao động điện tử trên toàn địa bàn",
    "Hoàn thiện hạ tầng mạng băng rộng cáp quang đến từng thôn bản",
    "Thúc đẩy doanh nghiệp nhỏ và vừa ứng dụng trí tuệ nhân tạo trong sản xuất",
    "Phát triển hệ sinh thái khởi nghiệp đổi mới sáng tạo gắn với trường đại học",
]


def _plan(tasks: list[str]) -> str:
    return "II. NHIỆM VỤ\n" + "\n".join(f"{k + 1}. {t}" for k, t in enumerate(tasks)) + "\n"


@pytest.fixture(scope="module")
def near_identical():
    combos = list(itertools.combinations(range(len(POOL)), 2))
    parent = [f"{POOL[a]}. {POOL[b]}." for a, b in combos]
    child = [f"{POOL[a]}." for a, _ in combos] + [f"{POOL[b]}." for _, b in combos[::2]]  # narrowed, and some second halves (splits)
    return parse_text(_plan(parent), "p.txt"), parse_text(_plan(child), "c.txt")


def _trials(monkeypatch, P, C, cap: int) -> tuple[dict, collections.Counter]:
    """The pairs tried as merge/split links, per task, and the trials (residual matches) per task."""
    tried: dict[tuple[str, int], set] = collections.defaultdict(set)
    calls: collections.Counter = collections.Counter()
    real = core._Residuals._trial

    def counting(self, i, j):
        for t in (("p", i), ("c", j)):
            tried[t].add((i, j))
            calls[t] += 1
        return real(self, i, j)

    monkeypatch.setattr(core._Residuals, "_trial", counting)
    compare(P, C, settings={"merge_trials_per_task": cap})
    monkeypatch.undo()
    return tried, calls


@pytest.mark.parametrize("cap", [1, 2, 3])
def test_merge_split_trials_per_task_stay_within_the_setting(monkeypatch, near_identical, cap):
    tried, calls = _trials(monkeypatch, *near_identical, cap)
    assert tried and max(len(v) for v in tried.values()) <= cap
    # a pair is tried again only when one of its tasks became linked (twice at most) or gained
    # coverage from a link of this step (at most cap links per task): bounded too
    assert max(calls.values()) <= cap * (3 + 2 * cap)


def test_without_the_bound_the_same_plans_try_more_pairs_per_task(monkeypatch, near_identical):
    """The fixture does exercise the bound: unbounded, a task is tried against more counterparts."""
    tried, _ = _trials(monkeypatch, *near_identical, 10_000)
    assert max(len(v) for v in tried.values()) > 3


def test_the_bound_keeps_the_strongest_pairs_and_is_recorded():
    assert AlignSettings().merge_trials_per_task == 2
    assert "merge_trials_per_task" in AlignSettings.model_fields
    P = parse_text(_plan([f"{POOL[0]}. {POOL[1]}.", POOL[2] + "."]), "p.txt")
    C = parse_text(_plan([POOL[0] + ".", POOL[1] + ".", POOL[2] + "."]), "c.txt")
    cmp = compare(P, C, settings={"merge_trials_per_task": 1})
    assert cmp.settings.merge_trials_per_task == 1
    # the split of the first parent task into two child tasks survives the tightest bound
    assert sorted((p.parent.id, p.child.id) for p in cmp.pairs if p.parent and p.child and p.parent.id == P.tasks[0].id) == \
        sorted((P.tasks[0].id, c.id) for c in C.tasks[:2])
