"""One survival step (plancompare.lineage.survival.carry), used by dropped_from_top and the batch's survival table."""

from __future__ import annotations

from plancompare.lineage import connected_groups
from plancompare.lineage.survival import Carried, carry, top


def test_a_task_copied_down_two_edges_stays_copied_and_a_change_sticks():
    province = carry(top("T:1"), {"T:1": [("T:a", "copied", 0.98)]})
    assert province == Carried(("T:a",), "copied", 0.98)
    commune = carry(province, {"T:a": [("T:x", "changed", 0.7), ("T:y", "copied", 0.9)]})
    assert commune == Carried(("T:x", "T:y"), "changed", 0.9)
    below = carry(commune, {"T:x": [("T:q", "copied", 1.0)]})
    assert below.status == "changed" and below.tasks == ("T:q",)  # changed once, changed below


def test_dropped_by_the_plan_then_not_received_below():
    lost = carry(top("T:1"), {"T:2": [("T:a", "copied", 1.0)]})
    assert lost == Carried((), "dropped")
    assert carry(lost, {"T:1": [("T:b", "copied", 1.0)]}) == Carried((), "not_received")


def test_links_of_every_carrying_task_count_once():
    merged = carry(Carried(("T:2", "T:1"), "copied"), {"T:1": [("T:a", "copied", 0.8)], "T:2": [("T:a", "copied", 0.95), ("T:b", "copied", 0.6)]})
    assert merged == Carried(("T:a", "T:b"), "copied", 0.95)


def test_connected_groups_joins_what_links_join_in_item_order():
    items = ["a", "b", "c", "d", "e"]
    assert connected_groups(items, [("d", "b"), ("e", "d")]) == [["a"], ["b", "d", "e"], ["c"]]
    assert connected_groups([], []) == []
