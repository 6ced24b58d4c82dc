"""Text normalisation for comparison keys. Display text is never changed by this module.

Why a small rule and not a library: Vietnamese has exactly one spelling
variation that matters here, the placement of the tone mark in the syllable
endings -oa, -oe, -uy ('hoá'/'hóa', 'thuỷ'/'thủy', 'uỷ'/'ủy'). Both are correct;
the key moves the mark to the first vowel (the "old" style) when the syllable
ends in that pair. This is the same rule underthesea's normaliser encodes in a
token table; doing it with a 15-entry map keeps the key pure, fast (it runs on
every task of every plan) and free of underthesea's heavy dependencies.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# tone on 2nd vowel -> tone on 1st vowel, only at the end of a syllable
_TONE_PAIRS = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
_OTHER_PLACEMENT = {v: k for k, v in _TONE_PAIRS.items()}


def _tone_pattern(pairs: dict[str, str]) -> re.Pattern[str]:
    """The pairs' keys at the end of a syllable, in any case ('qu' excepted: 'quý' keeps its tone)."""
    return re.compile("(?<![qQ])(" + "|".join(pairs) + ")(?![\\w])", re.IGNORECASE)


_TONE_RE = _tone_pattern(_TONE_PAIRS)
_OTHER_RE = _tone_pattern(_OTHER_PLACEMENT)


def _swap_tone(pairs: dict[str, str], s: str, *, second_capital: bool) -> str:
    """``s``'s counterpart in ``pairs``, with the first letter's capital kept (and the second's when
    ``second_capital``: the canonical placement keeps both, the test helper :func:`alternate_tone` only the first)."""
    out = pairs[s.lower()]
    if s[0].isupper():
        out = out[0].upper() + out[1:]
    if second_capital and s[1].isupper():
        out = out[0] + out[1].upper()
    return out


def _tone_sub(m: re.Match[str]) -> str:
    return _swap_tone(_TONE_PAIRS, m.group(1), second_capital=True)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def normalize_tone(text: str) -> str:
    """Canonical tone placement: 'hoá' -> 'hóa', 'thuỷ' -> 'thủy' ('quý' untouched)."""
    return _TONE_RE.sub(_tone_sub, text)


def alternate_tone(text: str) -> str:
    """The other placement ('hóa' -> 'hoá'); used by tests to check invariance."""
    return _OTHER_RE.sub(lambda m: _swap_tone(_OTHER_PLACEMENT, m.group(1), second_capital=False), text)


_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "\u00a0": " ", "…": "..."})
# a document number split by a line wrap: '57- NQ/TW' -> '57-NQ/TW'
_SPLIT_NUMBER = re.compile(r"(\d+[-/])\s+(?=[A-ZĐ]{1,6}[/-])")
_WS = re.compile(r"\s+")
_NONWORD = re.compile(r"[^\w%/.,-]+")


@lru_cache(maxsize=65536)
def clean_display(text: str) -> str:
    """NFC, single spaces, rejoined wrapped document numbers. Safe for display."""
    text = nfc(text)
    text = _SPLIT_NUMBER.sub(r"\1", text)
    return _WS.sub(" ", text).strip()


_TOKEN = re.compile(r"\d+(?:[.,/]\d+)*%?|[\w]+(?:[-/][\w]+)*%?", re.UNICODE)


@lru_cache(maxsize=65536)
def key(text: str) -> str:
    """The comparison key: NFC, lower case, one tone placement, typographic
    quotes and dashes folded, punctuation dropped, spacing collapsed,
    wrapped document numbers rejoined. Two texts with equal keys are the same text."""
    return " ".join(tokens(text))


def tokens(text: str) -> list[str]:
    """Word tokens of the key (numbers keep their decimal separators and %)."""
    t = nfc(text).translate(_QUOTES)
    t = _SPLIT_NUMBER.sub(r"\1", t)
    t = normalize_tone(t).lower()
    return _TOKEN.findall(t)


# ---------------------------------------------------------------- document numbers

_TYPE_CODES = ("NQ", "KH", "CTr", "CTR", "QĐ", "QD", "CT", "KL", "TB", "HD", "HĐ", "BC", "CV", "TTr", "QC", "ĐA", "DA", "TT", "NĐ", "CĐ")
_NUM_GLUED = re.compile(r"^(\d+)-(" + "|".join(_TYPE_CODES) + r")(TW|TU|ĐU|DU|HU|BCĐTW|BCĐ)$")


def normalize_number(number: str) -> str:
    """Normalise a document number/symbol: spacing removed, 'KHTU' -> 'KH/TU', 'NQ/CP' kept.

    '57- NQ/TW' -> '57-NQ/TW'; '283-KHTU' -> '283-KH/TU'; '03/NQ-CP' unchanged.
    """
    n = nfc(number).strip().strip(".,;:)(")
    n = re.sub(r"\s+", "", n)
    n = n.replace("–", "-")
    m = _NUM_GLUED.match(n)
    if m:
        n = f"{m.group(1)}-{m.group(2)}/{m.group(3)}"
    return n


def number_key(number: str | None) -> str | None:
    """Key to match numbers across documents: case-folded, '-' and '/' treated alike."""
    if not number:
        return None
    n = normalize_number(number).upper().replace("Đ", "D")
    return re.sub(r"[-/]", "/", n)


# ---------------------------------------------------------------- display helpers (shared by the views)


def shorten(text: str | None, n: int = 90) -> str:
    """One line of at most n characters, with '…' where it was cut."""
    t = " ".join((text or "").split())
    return t if len(t) <= n else t[: n - 1] + "…"


def md_cell(text: str | None) -> str:
    """Text safe inside a Markdown table cell."""
    return (text or "").replace("|", "\\|").replace("\n", " ")
