"""Property tests (hypothesis): layout and spelling variants do not change what is parsed or compared."""

from __future__ import annotations

import textwrap
from functools import lru_cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plancompare.align import Kind, Status, compare
from plancompare.normalize import alternate_tone
from plancompare.parse import parse_text
from _corpus import FILES, RAW

PLAIN = ["283", "hd", "146"]  # one paragraph per line


@lru_cache(maxsize=None)
def text_of(name: str) -> str:
    return (RAW / FILES[name]).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def keys_of(name: str) -> list[str]:
    return [t.key for t in parse_text(text_of(name), FILES[name]).tasks]


def rewrap(text: str, width: int, blank: bool) -> str:
    out = []
    for line in text.split("\n"):
        if "\t" in line or line.strip().startswith("|") or len(line) <= width:
            out.append(line)
            continue
        out.extend(textwrap.wrap(line, width=width, break_long_words=False, break_on_hyphens=False))
    return ("\n\n" if blank else "\n").join(out)


FAST = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(name=st.sampled_from(["283", "hd"]), width=st.integers(min_value=60, max_value=100), blank=st.booleans())
def test_rewrapping_lines_does_not_change_task_keys(name, width, blank):
    doc = parse_text(rewrap(text_of(name), width, blank), "wrapped.txt")
    assert [t.key for t in doc.tasks] == keys_of(name)


@FAST
@given(name=st.sampled_from(PLAIN + ["tanlap", "57"]))
def test_switching_tone_placement_does_not_change_keys(name):
    doc = parse_text(alternate_tone(text_of(name)), FILES[name])
    assert [t.key for t in doc.tasks] == keys_of(name)


@FAST
@given(name=st.sampled_from(PLAIN + ["tanlap", "57", "tn"]))
def test_a_document_compared_with_itself_is_all_copied(name):
    d = parse_text(text_of(name), FILES[name])
    s = compare(d, d).summary
    assert s.statuses["copied"] == s.parent_tasks and s.statuses["changed"] == s.statuses["dropped"] == s.statuses["added"] == 0


MIRROR_KIND = {Kind.merged: Kind.split, Kind.split: Kind.merged, Kind.narrowed: Kind.extended, Kind.extended: Kind.narrowed}
MIRROR_STATUS = {Status.dropped: Status.added, Status.added: Status.dropped}


def _links(cmp, swap=False):
    out = {}
    for p in cmp.pairs:
        a = p.parent.id if p.parent else None
        b = p.child.id if p.child else None
        st_ = p.status
        if swap:
            a, b = b, a
            st_ = MIRROR_STATUS.get(st_, st_)
        out[(a, b)] = st_
    return out


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pair=st.sampled_from([("146", "tanlap"), ("283", "146"), ("57", "hd"), ("283", "tanlap"), ("146", "tn")]))
def test_diff_a_b_mirrors_diff_b_a(pair):
    a = parse_text(text_of(pair[0]), FILES[pair[0]])
    b = parse_text(text_of(pair[1]), FILES[pair[1]])
    ab, ba = compare(a, b), compare(b, a)
    assert _links(ab) == _links(ba, swap=True)
    kinds_ab = {(p.parent.id, p.child.id): {MIRROR_KIND.get(k, k) for k in p.kinds if k in (Kind.merged, Kind.split)} for p in ab.pairs if p.parent and p.child}
    kinds_ba = {(p.child.id, p.parent.id): {k for k in p.kinds if k in (Kind.merged, Kind.split)} for p in ba.pairs if p.parent and p.child}
    assert kinds_ab == kinds_ba
