"""Text helpers of the drafts: sentences, ';'-clauses, capitals and the final full stop."""

from __future__ import annotations

import re

__all__ = ["lcfirst", "ucfirst", "ensure_terminal", "word_count", "split_sentences", "split_clauses", "join_units"]


def lcfirst(s: str) -> str:
    if len(s) > 1 and s[0].isupper() and s[1].islower():
        return s[0].lower() + s[1:]
    return s


def ucfirst(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def ensure_terminal(s: str) -> str:
    s = s.rstrip()
    if not s:
        return s
    if re.search(r"[.:;!?…]\s*[\"”’)]*$", s):
        return s
    return s + "."


def word_count(s: str) -> int:
    return len(s.split())


_ABBREV = re.compile(r"(?:[A-ZĐ]{1,3}|TP|ThS|TS|PGS|GS|v\.v|Tr|St|Th)$")


def split_sentences(text: str) -> list[str]:
    """Sentences of one paragraph: a '.', '!', '?' or '…' followed by a capitalised word."""
    out: list[str] = []
    start = 0
    for m in re.finditer(r"[.!?…]+[\"”’)]*\s+", text):
        nxt = text[m.end(): m.end() + 2]
        if not nxt:
            continue
        up = nxt[0].isupper() or (nxt[0] in "\"“(" and len(nxt) > 1 and nxt[1].isupper())
        if not up:
            continue
        before = text[start: m.start()].split()
        if before and _ABBREV.match(before[-1]) and text[m.start()] == ".":
            continue
        out.append(text[start: m.end()].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def split_clauses(text: str) -> list[str]:
    """';'-separated clauses (outside parentheses), each keeping its ';'."""
    out: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch in "(“":
            depth += 1
        elif ch in ")”" and depth:
            depth -= 1
        elif ch == ";" and depth == 0 and i + 1 < len(text) and text[i + 1] == " ":
            out.append(text[start: i + 1].strip())
            start = i + 1
    out.append(text[start:].strip())
    return [c for c in out if c]


def join_units(units: list[str]) -> str:
    """Rejoin sentences/clauses after one was removed: the last one ends with '.'."""
    text = " ".join(u.strip() for u in units)
    text = re.sub(r"[;,]\s*$", ".", text.strip())
    return ensure_terminal(text)
