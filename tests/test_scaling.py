"""Scaling of compare(): the collector paused while comparing and restored after; the masked keys
the aligner hands to classify give the result classify computes itself."""

from __future__ import annotations

import gc
import threading

import pytest

from plancompare.align import compare, core
from plancompare.align.kinds import classify
from plancompare.align.text import masked_key
from plancompare.errors import ComparisonError
from plancompare.parse import parse_text

PARENT = "II. NHIỆM VỤ\n1. Xây dựng cơ sở dữ liệu khoa học của tỉnh Đắk Lắk.\n2. Tổ chức hội thảo đổi mới sáng tạo cấp tỉnh.\n"
CHILD = "II. NHIỆM VỤ\n1. Xây dựng cơ sở dữ liệu khoa học của phường Tân Lập.\n2. Đề xuất tổ chức hội thảo đổi mới sáng tạo.\n"


@pytest.mark.parametrize("enabled", [True, False])
def test_compare_restores_the_collector_state(enabled):
    p, c = parse_text(PARENT, "p.txt"), parse_text(CHILD, "c.txt")
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        seen = []
        real = core._compare_groups

        def spy(*a, **k):
            seen.append(gc.isenabled())
            return real(*a, **k)

        core._compare_groups = spy
        try:
            compare(p, c)
        finally:
            core._compare_groups = real
        assert seen == [False]  # paused while aligning
        assert gc.isenabled() is enabled  # and given back as it was
        with pytest.raises(ComparisonError):  # also after an error
            compare(p, parse_text("Không có nhiệm vụ.\n", "e.txt"))
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_nested_and_concurrent_pauses_restore_once():
    was = gc.isenabled()
    gc.enable()
    try:
        inside = threading.Event()
        release = threading.Event()

        def other():
            with core._gc_paused():
                inside.set()
                release.wait(5)

        t = threading.Thread(target=other)
        t.start()
        inside.wait(5)
        with core._gc_paused():
            with core._gc_paused():
                assert not gc.isenabled()
            assert not gc.isenabled()
        assert not gc.isenabled()  # the other thread still compares
        release.set()
        t.join(5)
        assert gc.isenabled()
    finally:
        gc.enable() if was else gc.disable()


def test_classify_with_the_masked_keys_given_is_classify_alone():
    for pt, ct in [("Xây dựng cơ sở dữ liệu của tỉnh.", "Xây dựng cơ sở dữ liệu của phường."),
                   ("Tổ chức hội thảo cấp tỉnh về đổi mới.", "Đề xuất tổ chức hội thảo về đổi mới sáng tạo."),
                   ("Nâng tỷ lệ lên 30% vào năm 2025.", "Nâng tỷ lệ lên 40% vào năm 2026.")]:
        assert classify(pt, ct, masked=(masked_key(pt), masked_key(ct))) == classify(pt, ct)
