"""Line breaking as the corpus's sources break lines: re-wrapped paragraphs, PDF hard wraps, a
legal-document site's wraps. A physical line never starts with what the parser would read as a
list marker, a signature or a page number, where the parser must rejoin it."""

from __future__ import annotations

import re
from random import Random

__all__ = ["safe_break", "rewrap_lines", "pdf_wrap", "site_wrap", "bold_wrapped"]


def safe_break(words: list[str], k: int) -> bool:
    """May a line start with words[k]? (not a list marker, table cell, page number...)."""
    from ..parse.patterns import PAGE_NUMBER, SIGNATURE_CUE, starts_with_marker

    rest = " ".join(words[k: k + 4])
    if starts_with_marker(rest) or SIGNATURE_CUE.match(rest) or PAGE_NUMBER.match(words[k]):
        return False
    if words[k].startswith(("|", "#", "*")):
        return False
    return True


def rewrap_lines(text: str, rng: Random) -> list[str]:
    """Break a paragraph in 2-3 physical lines before lower-case words (the parser rejoins them)."""
    words = text.split(" ")
    cands = [k for k in range(4, len(words) - 3) if words[k][:1].islower() and safe_break(words, k)]
    if not cands:
        return [text]
    cuts = sorted(rng.sample(cands, min(len(cands), rng.choice([1, 1, 2]))))
    out, prev = [], 0
    for c in cuts:
        out.append(" ".join(words[prev:c]))
        prev = c
    out.append(" ".join(words[prev:]))
    return out


def pdf_wrap(text: str, width: int, rng: Random, indent: str = "") -> list[str]:
    """Hard-wrap like a PDF extraction: ~width chars, document numbers split after '-' or '/'."""
    words = text.split(" ")
    lines: list[str] = []
    cur: list[str] = []
    cur_len = len(indent)
    w = width
    k = 0
    while k < len(words):
        wd = words[k]
        if not wd:
            k += 1
            continue
        add = len(wd) + (1 if cur else 0)
        m = re.match(r"^(\d+[-/])([A-ZĐ]{1,6}[/-]\S*)$", wd)
        # a document number near the end of a line: break after its hyphen ('57-' / 'NQ/TW')
        near_end = cur and cur_len + add > w - 12 and rng.random() < 0.7
        if (not cur or cur_len + add <= w) and not (m and near_end):
            cur.append(wd)
            cur_len += add
            k += 1
            continue
        if m and cur and cur_len + 1 + len(m.group(1)) <= w + 2:
            cur.append(m.group(1))
            lines.append(" ".join(cur))
            words[k] = m.group(2)
            cur, cur_len = [], 0
            w = width + rng.randint(-4, 3)
            continue
        # do not start a line with something the parser reads as a marker
        back = 0
        while back < len(cur) - 1 and not safe_break(cur + words[k:], len(cur) - back):
            back += 1
        if back:
            carry = cur[len(cur) - back:]
            cur = cur[: len(cur) - back]
            words[k:k] = carry
        lines.append(" ".join(cur))
        cur, cur_len = [], 0
        w = width + rng.randint(-4, 3)
    if cur:
        lines.append(" ".join(cur))
    return lines


def site_wrap(text: str, width: int, rng: Random) -> list[str]:
    """Hard-wrap as a legal-document site's markdown does: at ~width, anywhere between words (so a
    line may start with '- 2030' or '- xã hội': the blank line, not the dash, starts a paragraph)."""
    words, lines, cur = text.split(), [], ""
    for wd in words:
        if cur and len(cur) + 1 + len(wd) > width:
            lines.append(cur)
            cur, width = wd, width + rng.randint(-6, 6)
        else:
            cur = f"{cur} {wd}" if cur else wd
    if cur:
        lines.append(cur)
    return lines or [""]


def bold_wrapped(text: str, rng: Random) -> list[str]:
    """A bold heading cut by the wrap inside its markup: '**III. NHIỆM VỤ VÀ' / 'GIẢI PHÁP**'."""
    words = text.split()
    if len(words) < 2 or rng.random() < 0.3:
        return [f"**{text}**"]
    k = rng.randint(1, len(words) - 1)
    return [f"**{' '.join(words[:k])}", f"{' '.join(words[k:])}**"]
