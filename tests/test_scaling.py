"""Scaling of compare(): the masked keys the aligner hands to classify give the result classify computes itself."""

from __future__ import annotations

from plancompare.align.kinds import classify
from plancompare.align.text import masked_key

PARENT = "II. NHIỆM VỤ\n1. Xây dựng cơ sở dữ liệu khoa học của tỉnh Đắk Lắk.\n2. Tổ chức hội thảo đổi mới sáng tạo cấp tỉnh.\n"
CHILD = "II. NHIỆM VỤ\n1. Xây dựng cơ sở dữ liệu khoa học của phường Tân Lập.\n2. Đề xuất tổ chức hội thảo đổi mới sáng tạo.\n"


def test_classify_with_the_masked_keys_given_is_classify_alone():
    for pt, ct in [("Xây dựng cơ sở dữ liệu của tỉnh.", "Xây dựng cơ sở dữ liệu của phường."),
                   ("Tổ chức hội thảo cấp tỉnh về đổi mới.", "Đề xuất tổ chức hội thảo về đổi mới sáng tạo."),
                   ("Nâng tỷ lệ lên 30% vào năm 2025.", "Nâng tỷ lệ lên 40% vào năm 2026.")]:
        assert classify(pt, ct, masked=(masked_key(pt), masked_key(ct))) == classify(pt, ct)


def test_compare_hands_classify_the_masked_keys_it_has(monkeypatch):
    """The aligner computes each task's masked key once; classify must not compute it again
    through masked_key's bounded cache, which the largest plans overflow (then every link
    paid for it twice)."""
    from plancompare.align import compare, kinds
    from plancompare.parse import parse_text

    calls = []
    real = kinds.masked_key
    monkeypatch.setattr(kinds, "masked_key", lambda t: calls.append(t) or real(t))
    cmp = compare(parse_text(PARENT, "p.txt"), parse_text(CHILD, "c.txt"))
    assert sum(1 for p in cmp.pairs if p.parent and p.child) == 2
    assert any(p.status.value == "changed" for p in cmp.pairs)  # classify went past the equal keys
    assert calls == []


def test_given_masked_keys_decide_a_localized_copy():
    pt, ct = "Xây dựng kho dữ liệu của tỉnh.", "Xây dựng kho dữ liệu của phường."
    assert classify(pt, ct, masked=("a", "a")).copied
    assert not classify(pt, ct, masked=("a", "b")).copied
