"""Tesseract's hOCR output with each character's alternatives (``lstm_choice_mode=2``): the
second readings of every word.

Imports: the standard library only.
"""

from __future__ import annotations

import unicodedata

__all__ = ["CHOICE_FLOOR", "MAX_CHOICES", "word_choices"]

CHOICE_FLOOR = 10.0  # runner-up characters below this confidence are not kept
MAX_CHOICES = 3  # second readings kept per word


def word_choices(hocr: bytes, expected: int | None = None) -> list[list[tuple[str, float]]] | None:
    """Per word of an hOCR page (in order): the word's second readings, each the word with one
    character replaced by Tesseract's runner-up for it and that runner-up's confidence, strongest
    first (at most ``MAX_CHOICES``, none under ``CHOICE_FLOOR``). None when the hOCR cannot be read
    or does not hold ``expected`` words (the words then carry no second readings)."""
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(hocr)
    except ET.ParseError:
        return None
    out: list[list[tuple[str, float]]] = []
    for word in root.iter("{http://www.w3.org/1999/xhtml}span"):
        if word.get("class") != "ocrx_word":
            continue
        chars: list[str] = []
        runner_ups: list[tuple[int, str, float]] = []
        for span in word:
            title = span.get("title") or ""
            if title.startswith("x_bboxes"):
                chars.append(span.text or "")
            elif (span.get("id") or "").startswith("lstm_choices") and chars:
                options = [(c.text or "", _confs(c.get("title") or "")) for c in span]
                top = chars[-1]
                runner_ups.extend((len(chars) - 1, ch, conf) for ch, conf in options[1:] if conf >= CHOICE_FLOOR and ch and ch != top)
        text = unicodedata.normalize("NFC", "".join(chars))
        alts: list[tuple[str, float]] = []
        for k, ch, conf in sorted(runner_ups, key=lambda r: -r[2]):
            alt = unicodedata.normalize("NFC", "".join(chars[:k]) + ch + "".join(chars[k + 1 :]))
            if alt != text and alt not in (a for a, _ in alts):
                alts.append((alt.strip(), round(conf, 1)))
            if len(alts) == MAX_CHOICES:
                break
        out.append(alts)
    if expected is not None and len(out) != expected:
        return None
    return out


def _confs(title: str) -> float:
    try:
        return float(title.split()[1])
    except (IndexError, ValueError):
        return 0.0
