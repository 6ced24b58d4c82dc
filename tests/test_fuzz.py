"""Fuzzing parse_text and compare (issue 13): mutated corpus texts and random Unicode
(surrogates, format characters, control characters, line and paragraph separators,
numbering markers) raise only the package's own errors (plancompare.errors).

Bounded to well under a minute in the normal suite; ``PLANCOMPARE_FUZZ=N`` runs N times
as many examples (``PLANCOMPARE_FUZZ=50 python -m pytest tests/test_fuzz.py``)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _corpus import FILES, RAW
from plancompare.align import compare
from plancompare.errors import PlanCompareError
from plancompare.parse import parse_text

SCALE = max(1, int(os.environ.get("PLANCOMPARE_FUZZ", "1") or 1))
TEXTS = {k: (RAW / FILES[k]).read_text(encoding="utf-8") for k in ("146", "tanlap")}
BASE = {k: parse_text(v, k + ".txt") for k, v in TEXTS.items()}

SPECIAL = [
    "\ud800", "\udfff", "\udc80",  # lone surrogates (possible in a Python str)
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u200f", "\u202e", "\u2066", "\u2069",  # format (Cf)
    "\x00", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9b", "\r", "\t",  # controls
    "\u2028", "\u2029", "\ufffd", "\U0001f600", "\u0301", "\u0323",  # separators, emoji, combining marks
]
MARKERS = ["\nI. ", "\nII. ", "\n1. ", "\n1.1. ", "\na) ", "\n- ", "\n+ ", "\n(1) ", "\n# ", "\n**", "\n| a | b |\n", "\t", "\nPhụ lục ", "\nNơi nhận:\n", "\n\n"]

chars = st.one_of(st.characters(), st.sampled_from(SPECIAL))
junk = st.one_of(st.text(chars, max_size=40), st.sampled_from(MARKERS + SPECIAL))


@st.composite
def mutated(draw: st.DrawFn, key: str) -> str:
    text = TEXTS[key]
    for _ in range(draw(st.integers(1, 6))):
        n = len(text)
        i = draw(st.integers(0, n))
        op = draw(st.sampled_from(["insert", "delete", "duplicate", "replace", "sprinkle"]))
        if op == "insert":
            text = text[:i] + draw(junk) + text[i:]
        elif op == "delete":
            text = text[:i] + text[i + draw(st.integers(1, 3000)):]
        elif op == "duplicate":
            text = text[:i] + text[i:i + draw(st.integers(1, 2000))] * draw(st.integers(2, 4)) + text[i:]
        elif op == "replace":
            text = text[:i] + draw(junk) + text[i + draw(st.integers(1, 200)):]
        else:  # one character after every k-th newline
            c = draw(st.sampled_from(SPECIAL))
            k = draw(st.integers(1, 5))
            lines = text.split("\n")
            text = "\n".join(c + ln if j % k == 0 else ln for j, ln in enumerate(lines))
    return text


def _parse(text: str, name: str):
    try:
        return parse_text(text, name)
    except PlanCompareError:
        return None


FAST = settings(max_examples=25 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FAST
@given(st.sampled_from(sorted(TEXTS)), st.data())
def test_mutated_corpus_texts_parse_and_compare_with_own_errors_only(key, data):
    text = data.draw(mutated(key))
    doc = _parse(text, "mutated.txt")
    if doc is None:
        return
    other = BASE["tanlap" if key == "146" else "146"]
    for parent, child in ((doc, other), (other, doc)):
        try:
            cmp = compare(parent, child)
        except PlanCompareError:
            continue
        cmp.to_json(), cmp.to_csv(), cmp.to_markdown()  # every serialisation holds too


@settings(max_examples=150 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(chars, max_size=600))
def test_random_unicode_parses_with_own_errors_only(text):
    doc = _parse(text, "random.txt")
    if doc is not None and doc.tasks:
        try:
            compare(doc, BASE["tanlap"])
        except PlanCompareError:
            pass


@settings(max_examples=60 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(MARKERS), st.text(chars, max_size=60)), max_size=40))
def test_random_outlines_parse_and_compare_with_own_errors_only(parts):
    text = "".join(m + t for m, t in parts)
    doc = _parse(text, "outline.txt")
    if doc is not None and doc.tasks:
        for parent, child in ((doc, BASE["146"]), (BASE["146"], doc), (doc, doc)):
            try:
                compare(parent, child)
            except PlanCompareError:
                pass
