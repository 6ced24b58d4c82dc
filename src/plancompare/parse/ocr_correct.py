"""Post-OCR correction of Vietnamese tone marks and diacritics, from context.

Tesseract's Vietnamese model misreads about one tone mark or diacritic in a thousand
characters, and most misreadings are valid syllables ('tinh thần' read 'tỉnh thần',
'hạ tầng' read 'hạ tâng'), so no spell check can see them one word at a time. This
module looks at a word's neighbours instead: every OCR'd syllable has as candidates
the syllables with the same base letters (its diacritic variants: 'tinh', 'tính',
'tỉnh', 'tình', ...), and a candidate wins when, with its neighbours, it makes a
compound word of the dictionary while the syllable as read makes none.

The dictionary is the Vietnamese lexicon of the ``underthesea`` package (Viet74K:
74,000 words and compounds, from Hồ Ngọc Đức's free Vietnamese dictionary), read
from the installed package (nothing from it is copied here); without the package the
text is left as read. Nothing is learnt from the texts being read.

A syllable is only reconsidered when Tesseract's confidence in its word is below
``OcrSettings.correct_below`` and it is not capitalised inside a sentence (a name).
A second, letter-level rule (:func:`fix_l_for_i`) reads a lower-case 'l' before a
capital inside a word as the 'I' it is ('loT' -> 'IoT'). Each change becomes a
:class:`Correction` (page, line, word, as read, as corrected, why), which
``ocr.result_text`` reports as an ``ocr_word_corrected`` problem.

Imports: the standard library and pydantic only (no other plancompare module).
"""

from __future__ import annotations

import functools
import importlib.util
from collections import Counter
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import BaseModel, Field

__all__ = ["Correction", "Lexicon", "PairEvidence", "RunnerUp", "canonical", "correct_line", "correct_lines", "diacritic_edits", "document_pairs", "fix_l_for_i", "fold", "load_lexicon"]

_LEXICON_FILES = ("corpus/data/Viet74K.txt",)
_TOKEN = re.compile(r"^(\W*)(\w+)(\W*)$")
_BREAK = re.compile(r"[^\w\s]")  # punctuation between two words ends a compound


class Correction(BaseModel):
    """One word changed by the post-OCR correction."""

    page: int
    line: int = Field(description="1-based line on the page.")
    word: int = Field(description="1-based word on the line.")
    was: str = Field(description="The word as Tesseract read it.")
    now: str = Field(description="The word after correction.")
    confidence: float | None = Field(None, description="Tesseract's confidence in the word as read.")
    reason: str = Field(description="Why: the dictionary compound the word makes with its neighbours, or the letter rule applied.")


_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below


@functools.lru_cache(maxsize=1 << 16)
def fold(syllable: str) -> str:
    """The base letters of a syllable: diacritics and tone marks removed, 'đ' as 'd', lower case."""
    s = unicodedata.normalize("NFD", syllable.casefold().replace("đ", "d"))
    return "".join(c for c in s if not unicodedata.combining(c))


@functools.lru_cache(maxsize=1 << 16)
def _split_tone(syllable: str) -> tuple[str, str]:
    """(the syllable without its tone mark, in NFC; the tone mark or '')."""
    s = unicodedata.normalize("NFD", syllable.casefold())
    tone = "".join(c for c in s if c in _TONES)
    return unicodedata.normalize("NFC", "".join(c for c in s if c not in _TONES)), tone


@functools.lru_cache(maxsize=1 << 16)
def canonical(syllable: str) -> str:
    """The syllable with its tone mark written after its letters: 'hoá' and 'hóa', 'uỷ' and 'ủy'
    (the two placements in use) are the same syllable."""
    letters, tone = _split_tone(syllable)
    return letters + tone


def diacritic_edits(a: str, b: str) -> int:
    """How many marks differ between two syllables with the same base letters: the tone, and
    each letter's vowel mark or stroke ('tầng'/'tâng': 1, 'số'/'sở': 2)."""
    (la, ta), (lb, tb) = _split_tone(a), _split_tone(b)
    return (ta != tb) + sum(x != y for x, y in zip(la, lb)) + abs(len(la) - len(lb))


@dataclass(frozen=True)
class Lexicon:
    """Syllables and compound words of a Vietnamese dictionary, indexed for the correction.

    Syllables are kept in their :func:`canonical` form (tone mark last), so either
    tone placement of the text finds the dictionary's."""

    compounds: frozenset[tuple[str, ...]]
    variants: dict[str, tuple[str, ...]]  # fold -> the canonical syllables with these base letters
    spellings: dict[str, tuple[str, ...]]  # canonical -> how the dictionary writes it
    longest: int
    source: str
    frequency: dict[str, float] = field(default_factory=dict)  # canonical syllable -> frequency in running Vietnamese text (wordfreq)

    def freq(self, key: str) -> float:
        """How often the canonical syllable occurs in running text (0 when unknown, or without wordfreq)."""
        return self.frequency.get(key, 0.0)

    @classmethod
    def from_words(cls, words: list[str], source: str) -> Lexicon:
        entries = [e.split() for e in unicodedata.normalize("NFC", "\n".join(words)).casefold().split("\n")]
        entries = [e for e in entries if e and all(s.isalpha() for s in e)]  # not hyphenated loanwords, abbreviations
        syllables = {s for e in entries for s in e}
        key = {s: canonical(s) for s in syllables}
        variants: dict[str, set[str]] = {}
        spellings: dict[str, set[str]] = {}
        for s, k in key.items():
            variants.setdefault(fold(s), set()).add(k)
            spellings.setdefault(k, set()).add(s)
        compounds = frozenset(tuple(key[s] for s in e) for e in entries if len(e) > 1)
        return cls(
            compounds,
            {k: tuple(sorted(v)) for k, v in variants.items()},
            {k: tuple(sorted(v)) for k, v in spellings.items()},
            min(max((len(c) for c in compounds), default=1), 4),
            source,
        )

    def spell(self, key: str, like: str) -> str:
        """How to write the canonical syllable ``key``: with its tone on the same letter as in ``like`` when the dictionary allows."""
        options = self.spellings.get(key) or (unicodedata.normalize("NFC", key),)

        def tone_at(s: str) -> int:
            return next((i for i, c in enumerate(s.casefold()) if any(m in _TONES for m in unicodedata.normalize("NFD", c))), -1)

        return next((o for o in options if tone_at(o) == tone_at(like)), options[0])


@functools.lru_cache(maxsize=1)
def load_lexicon() -> Lexicon | None:
    """The lexicon of the installed ``underthesea`` package, or None when it is not installed.

    The package's data files are read without importing it (its import loads models)."""
    spec = importlib.util.find_spec("underthesea")
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    words: list[str] = []
    for rel in _LEXICON_FILES:
        p = root / rel
        if p.is_file():
            words.extend(p.read_text(encoding="utf-8").splitlines())
    if not words:
        return None
    lex = Lexicon.from_words(words, "underthesea " + "+".join(Path(r).stem for r in _LEXICON_FILES))
    frequency = load_frequencies()
    return replace(lex, frequency=frequency, source=lex.source + " + wordfreq vi") if frequency else lex


def load_frequencies() -> dict[str, float]:
    """Syllable frequencies of running Vietnamese text from the installed ``wordfreq`` package
    (its 'small' Vietnamese list: about 10,700 syllables from subtitles, Wikipedia, news and
    the web), keyed by :func:`canonical` syllable (both tone placements added up); empty
    when the package is not installed."""
    try:
        import wordfreq
    except ImportError:
        return {}
    out: dict[str, float] = {}
    for word, f in wordfreq.get_frequency_dict("vi").items():
        w = unicodedata.normalize("NFC", word)
        if w.isalpha():
            k = canonical(w)
            out[k] = out.get(k, 0.0) + f
    return out


Choices = list[tuple[str, float]]  # a word's second readings: (the word as Tesseract's runner-up reads it, that runner-up's confidence)


@dataclass
class _Word:
    lead: str
    core: str
    trail: str
    conf: float | None
    alts: tuple[tuple[str, float], ...] = ()  # second readings of the core (same punctuation around it), strongest first

    @property
    def key(self) -> str:
        return canonical(self.core)


def _tokens(line: str, confs: list[float] | None, choices: list[Choices] | None = None) -> list[_Word | None]:
    """The line's words; None for a token that is not a plain word (numbers, codes, '57-NQ/TW')."""
    parts = line.split(" ")
    out: list[_Word | None] = []
    for k, part in enumerate(parts):
        m = _TOKEN.match(part)
        conf = confs[k] if confs is not None and k < len(confs) else None
        if not m or not m.group(2).isalpha():
            out.append(None)
            continue
        alts = choices[k] if choices is not None and k < len(choices) else ()
        out.append(_Word(m.group(1), m.group(2), m.group(3), conf, _core_choices(m.group(1), m.group(3), alts)))
    return out


def _core_choices(lead: str, trail: str, alts: Choices | tuple[()]) -> tuple[tuple[str, float], ...]:
    """The second readings that change the word's letters, not the punctuation around it."""
    out = []
    for alt, conf in alts:
        m = _TOKEN.match(alt)
        if m and m.group(1) == lead and m.group(3) == trail and m.group(2).isalpha():
            out.append((m.group(2), float(conf)))
    return tuple(out)


def _phrase_ok(words: list[_Word | None], start: int, end: int) -> bool:
    """Words start..end-1 are plain words with no punctuation between them."""
    if start < 0 or end > len(words):
        return False
    span = words[start:end]
    if any(w is None for w in span):
        return False
    return not any(_BREAK.search(w.trail) for w in span[:-1]) and not any(_BREAK.search(w.lead) for w in span[1:])


@dataclass(frozen=True)
class PairEvidence:
    """Word pairs of the document being read: how often two syllables follow each other (no
    punctuation between) where Tesseract read both with confidence (at or above the gate).

    A plan repeats its phrases ('kinh phí chi', 'hạ tầng số'); a doubted word whose one-mark
    variant the same document reads confidently next to the same neighbour, while the word as
    read never stands there, is most likely that variant. Nothing is learnt from other documents."""

    pairs: Counter[tuple[str, str]]
    gate: float | None  # words with a confidence at or above this were counted (None: every word)
    readings: Counter[str] = field(default_factory=Counter)  # syllable -> how often the document reads it with confidence

    def counted(self, w: _Word) -> bool:
        return self.gate is None or w.conf is None or w.conf >= self.gate

    def support(self, words: list[_Word | None], keys: list[str], i: int, syllable: str, sides: tuple[int, ...] = (-1, 1)) -> int:
        """Pairs of the document that ``syllable`` in place of word i makes with its neighbours on
        ``sides`` (-1 left, 1 right); the word's own pairs are left out when they were counted (an
        occurrence is no evidence for itself)."""
        w = words[i]
        assert w is not None
        own = self.counted(w) and syllable == keys[i]
        total = 0
        for a, b in ((i + min(d, 0), i + max(d, 0)) for d in sides):
            if not _phrase_ok(words, a, b + 1):
                continue
            left, right = (keys[a], syllable) if b == i else (syllable, keys[b])
            other = words[a] if b == i else words[b]
            assert other is not None
            if not self.counted(other):
                continue
            total += self.pairs[(left, right)] - (1 if own else 0)
        return max(total, 0)


def document_pairs(pages: list[tuple[list[str], list[list[float]] | None]], gate: float | None) -> PairEvidence:
    """The :class:`PairEvidence` of a document: its pages as (lines, word confidences or None), the
    words counted those read with a confidence of at least ``gate`` (every word when None)."""
    pairs: Counter[tuple[str, str]] = Counter()
    evidence = PairEvidence(pairs, gate)
    for lines, confs in pages:
        words, _ = _page_words(lines, confs)
        evidence.readings.update(w.key for w in words if w is not None and evidence.counted(w))
        for i in range(len(words) - 1):
            a, b = words[i], words[i + 1]
            if a is not None and b is not None and evidence.counted(a) and evidence.counted(b) and _phrase_ok(words, i, i + 2):
                pairs[(a.key, b.key)] += 1
    return evidence


def _page_words(lines: list[str], confs: list[list[float]] | None, choices: list[list[Choices]] | None = None) -> tuple[list[_Word | None], list[tuple[int, int]]]:
    """The words of consecutive lines, and where each is (line index, word index)."""
    words: list[_Word | None] = []
    where: list[tuple[int, int]] = []
    for n, line in enumerate(lines):
        line_confs = confs[n] if confs is not None and n < len(confs) else None
        if confs is not None and (line_confs is None or len(line_confs) != len(line.split(" "))):
            line_confs = [100.0] * len(line.split(" "))  # no word confidences (a text-layer line): left as read
        line_choices = choices[n] if choices is not None and n < len(choices) and len(choices[n]) == len(line.split(" ")) else None
        toks = _tokens(line, line_confs, line_choices)
        words.extend(toks)
        where.extend((n, k) for k in range(len(toks)))
    return words, where


def _segment(words: list[_Word | None], keys: list[str], lex: Lexicon) -> tuple[int, list[tuple[int, int]]]:
    """The line's words cut into dictionary compounds so that as many words as possible are in one:
    (words covered, the compounds as (start, end)). Compounds do not cross punctuation."""
    n = len(words)
    best: list[tuple[int, list[tuple[int, int]]]] = [(0, [])] * (n + 1)
    for end in range(1, n + 1):
        best[end] = best[end - 1]
        for size in range(2, min(lex.longest, end) + 1):
            start = end - size
            if best[start][0] + size > best[end][0] and _phrase_ok(words, start, end) and tuple(keys[start:end]) in lex.compounds:
                best[end] = (best[start][0] + size, best[start][1] + [(start, end)])
    return best[n]


def _cover(words: list[_Word | None], keys: list[str], i: int, syllable: str, lex: Lexicon) -> tuple[int, str]:
    """Words covered by compounds around word i when it is read as ``syllable``, and the compound holding it ('' if none)."""
    reach = 2 * lex.longest  # compounds this far away can still shift the cut near word i
    off = max(0, i - reach)
    window, local = words[off : i + reach + 1], keys[off : i + reach + 1]
    local[i - off] = syllable
    covered, spans = _segment(window, local, lex)
    holding = next((" ".join(lex.spell(k, k) for k in local[a:b]) for a, b in spans if a <= i - off < b), "")
    return covered, holding


def _with_case(template: str, syllable: str) -> str:
    """``syllable`` with the letter case of ``template`` (same base letters, so the same length in NFC)."""
    if template.isupper() and len(template) > 1:
        return syllable.upper()
    return "".join(c.upper() if t.isupper() else c for t, c in zip(template, syllable))


def _is_name(words: list[_Word | None], i: int) -> bool:
    """A capitalised word inside a sentence (not in an all-capitals line): a proper name, left alone."""
    w = words[i]
    assert w is not None
    if not w.core[:1].isupper() or w.core.isupper():
        return False
    prev = words[i - 1] if i > 0 else None
    starts_sentence = i == 0 or prev is None or bool(re.search(r"[.:;!?)]$", prev.trail)) or bool(re.search(r"[(\"“]", w.lead))
    return not starts_sentence


Change = tuple[int, int, str, str, "float | None", str]  # (line index, word index, was, now, confidence, reason)

FREQUENCY_RATIO = 1000.0  # a word is not replaced by a variant this many times rarer in running text (wordfreq): one practically unused


_L_FOR_I = re.compile(r"(?<=[a-z])l(?=[A-Z])|(?<![A-Za-z])l(?=[a-z]?[A-Z])")
_CAMEL = re.compile(r"[a-z][A-Z]")  # a capital after a small letter: a code ('IoT', 'VNeID'), not a capitalised word
_DOUBLED_I = re.compile(r"l(?=I)|(?<=I)l")
_O_FOR_ZERO = re.compile(r"^([(\[]?)((?=[oO\d]*\d)[oO\d]*[oO][oO\d]*)([)\].,;:]?)$")  # 'o1', '2o25': digits with a letter o among them


def fix_l_for_i(lines: list[str], only: set[int] | None = None) -> tuple[list[str], list[Change]]:
    """A lower-case 'l' before a capital inside a word ('loT', 'VNelD') is a capital I that OCR
    misread ('IoT', 'VNeID'): no word is written with 'l' before a capital. And in a code (a
    capital after a small letter), an 'l' beside an 'I' is the I's one stroke read twice
    ('IloT', 'VNelID' -> 'IoT', 'VNeID'). A letter 'o' among digits is a zero ('o1 vị trí' ->
    '01 vị trí'). ``only``: the indexes of the lines to look at (the OCR'd ones), else all."""
    out, changes = [], []
    for n, line in enumerate(lines):
        if only is not None and n not in only:
            out.append(line)
            continue
        parts = line.split(" ")
        for k, part in enumerate(parts):
            fixed = _DOUBLED_I.sub("", part) if _CAMEL.search(part) else part
            if fixed != part:
                changes.append((n, k, part, fixed, None, "an 'l' beside an 'I' inside a code is the I's stroke read twice"))
                parts[k] = part = fixed
            fixed = _L_FOR_I.sub("I", part)
            if fixed != part:
                changes.append((n, k, part, fixed, None, "a lower-case 'l' before a capital inside a word is a misread 'I'"))
                parts[k] = part = fixed
            m = _O_FOR_ZERO.match(part)
            if m:
                fixed = m.group(1) + m.group(2).replace("o", "0").replace("O", "0") + m.group(3)
                changes.append((n, k, part, fixed, None, "a letter 'o' among digits is a zero"))
                parts[k] = fixed
        out.append(" ".join(parts))
    return out, changes


@dataclass(frozen=True)
class RunnerUp:
    """How a doubted word's second reading by Tesseract (kept from the OCR: the word with one
    character replaced by Tesseract's runner-up for it) is weighed: only when Tesseract gave it at
    least ``min_confidence``; it breaks a tie between variants that make the same number of
    compound words, and, where nothing else decides, it is taken when running Vietnamese text
    uses it at least ``ratio`` times as often as the syllable read (0: never taken that way), or
    when the document reads the syllable read with confidence at least ``usual`` times elsewhere
    (the same print read with doubt here is most likely what Tesseract's runner-up says; 0: off).
    ``confident``: a word read at or above the gate with a second reading (of any confidence
    kept) is reconsidered too, with that reading as its only candidate and compounds as the only
    evidence."""

    min_confidence: float = 50.0
    ratio: float = 10.0
    usual: int = 3
    confident: bool = True


def correct_lines(lines: list[str], confs: list[list[float]] | None, lex: Lexicon, correct_below: float = 100.0, max_edits: int = 1, min_ratio: float = FREQUENCY_RATIO, evidence: PairEvidence | None = None, choices: list[list[Choices]] | None = None, runner_up: RunnerUp | None = None) -> tuple[list[str], list[Change]]:
    """Correct the tone marks of consecutive OCR'd lines (a page: a compound may run on to the next line).

    Returns the lines and one (line index, word index, was, now, confidence, compound)
    per change. A word is reconsidered when its confidence is below ``correct_below``
    (every word when ``confs`` is None), it is not a name, and as read it is in no
    compound of the best cut of its line (below); it is replaced by the variant (at most ``max_edits``
    marks away: Tesseract drops, adds or swaps one mark) that puts the most words
    of the line into dictionary compounds, at least two more than as read (the
    line cut into compounds to cover as many words as possible); no change on a tie.
    A variant ``min_ratio`` times rarer in running Vietnamese text (wordfreq) than the
    word as read does not replace it (0: no such veto).

    ``evidence`` (:func:`document_pairs`): the word pairs of the whole document. A word in no
    compound then also takes the variant that the document's confident pairs call for (see
    :func:`_by_pairs`), and a compound's variant is not taken where the document's pairs
    clearly keep the word as read.

    ``choices`` (per line and word, as ``confs``): Tesseract's second readings of each word, weighed
    as ``runner_up`` says (:class:`RunnerUp`; the defaults when None)."""
    words, where = _page_words(lines, confs, choices)
    runner_up = runner_up or RunnerUp()
    keys = [w.key if w is not None else "" for w in words]
    changes: list[Change] = []
    changed: list[int] = []
    for i, w in enumerate(words):
        if w is None or _is_name(words, i):
            continue
        confident = w.conf is not None and w.conf >= correct_below
        if confident and not (runner_up.confident and w.alts):
            continue
        choice = _choose(words, keys, i, lex, max_edits, min_ratio, evidence, runner_up, confident)
        if choice is None:
            continue
        syllable, reason = choice
        now = _with_case(w.core, lex.spell(syllable, w.core))
        changes.append((*where[i], w.core, now, w.conf, reason))
        w.core, keys[i] = now, syllable
        changed.append(i)
    out = list(lines)
    for i in changed:
        n, k = where[i]
        w = words[i]
        assert w is not None
        parts = out[n].split(" ")
        parts[k] = w.lead + w.core + w.trail
        out[n] = " ".join(parts)
    return out, changes


def _choose(words: list[_Word | None], keys: list[str], i: int, lex: Lexicon, max_edits: int, min_ratio: float = FREQUENCY_RATIO, evidence: PairEvidence | None = None, runner_up: RunnerUp | None = None, confident: bool = False) -> tuple[str, str] | None:
    """The variant of word i its neighbours call for, and why; None to keep the word as read.

    A variant wins by compounds (it puts two more words of the line into dictionary
    compounds than the word as read, which is in none, and no other variant does as
    well), unless the syllable frequencies speak against it: the word as read at least
    ``min_ratio`` times as frequent in running text as the variant keeps it (0: no veto).
    With ``evidence``, the document's own word pairs decide where no compound does, and keep
    the word as read against a compound when they clearly favour it. With ``runner_up``,
    Tesseract's own second reading of the word breaks a tie between compounds and, last, wins
    by frequency (:func:`_by_runner_up`)."""
    w = words[i]
    assert w is not None
    options = [s for s in lex.variants.get(fold(w.core), ()) if s != keys[i] and diacritic_edits(s, keys[i]) <= max_edits]
    if confident:  # read with confidence: only Tesseract's own second readings are candidates
        offered = {canonical(a) for a, _ in w.alts}
        options = [s for s in options if s in offered]
    if not options:
        return None
    as_read, holding = _cover(words, keys, i, keys[i], lex)
    if holding:
        return None  # as read, it is part of a word of the dictionary
    scored = [(_cover(words, keys, i, s, lex), s) for s in options]
    best = max(n for (n, _), _ in scored)
    winners = [(c, s) for (n, c), s in scored if n == best and c]
    second = {canonical(a) for a, conf in w.alts if runner_up is not None and conf >= runner_up.min_confidence}
    if len(winners) > 1 and second:
        winners = [(c, s) for c, s in winners if s in second]  # a tie between compounds: Tesseract's own second reading decides
    if best >= as_read + 2 and len(winners) == 1:
        compound, syllable = winners[0]
        if evidence is not None and _pairs_keep(words, keys, i, syllable, compound, evidence):
            return None
        reason = f"it makes the dictionary word '{compound}'" + (", and Tesseract read it so second" if confident else "")
    elif confident:
        return None  # read with confidence: only a compound overrides it
    elif evidence is not None and (by_pairs := _by_pairs(words, keys, i, options, evidence)) is not None:
        syllable, reason = by_pairs
    elif runner_up is not None and (by_second := _by_runner_up(words, keys, i, options, lex, runner_up, evidence)) is not None:
        syllable, reason = by_second
    elif runner_up is not None and evidence is not None and (by_usual := _by_usual_reading(words, keys, i, options, lex, runner_up, evidence)) is not None:
        syllable, reason = by_usual
    else:
        return None  # the variant must put two more words in a compound; no change on a tie
    if _rarer(syllable, keys[i], lex, min_ratio):
        return None
    return syllable, reason


PAIRS_MIN = 2  # confident pairs of the document a variant needs to win by pairs alone
PAIRS_DOMINANCE = 3  # ... and how many times the pairs of the word as read (and of any other variant) it must have


def _by_pairs(words: list[_Word | None], keys: list[str], i: int, options: list[str], evidence: PairEvidence) -> tuple[str, str] | None:
    """The variant the document's confident word pairs call for: at least ``PAIRS_MIN`` pairs with
    word i's neighbours, where the word as read has none and every other variant under a third as many."""
    if evidence.support(words, keys, i, keys[i]) > 0:
        return None
    support = sorted(((evidence.support(words, keys, i, s), s) for s in options), reverse=True)
    (top, syllable), rest = support[0], support[1:]
    if top < PAIRS_MIN or any(n * PAIRS_DOMINANCE > top for n, _ in rest):
        return None
    return syllable, f"the document reads it this way with the same neighbour {top} times, and never as read"


def _by_runner_up(words: list[_Word | None], keys: list[str], i: int, options: list[str], lex: Lexicon, runner_up: RunnerUp, evidence: PairEvidence | None) -> tuple[str, str] | None:
    """Tesseract's own second reading of word i, where no compound and no document pair decides:
    taken when it is a variant of the word (``options``), Tesseract gave it at least
    ``runner_up.min_confidence``, running Vietnamese text (wordfreq) uses it at least
    ``runner_up.ratio`` times as often as the syllable read, and the document does not read the
    word as read with the same neighbour with confidence (``PAIRS_MIN`` times)."""
    w = words[i]
    assert w is not None
    if runner_up.ratio <= 0 or not lex.frequency:
        return None
    if evidence is not None and evidence.support(words, keys, i, keys[i]) >= PAIRS_MIN:
        return None
    for alt, conf in w.alts:
        key = canonical(alt)
        if conf < runner_up.min_confidence or key not in options:
            continue
        read, other = lex.freq(keys[i]), lex.freq(key)
        if other > 0 and other >= runner_up.ratio * read:
            times = f"{other / read:.0f} times as often as" if read > 0 else "where it never uses"
            return key, f"Tesseract's second reading (confidence {conf:.0f}); running Vietnamese text uses it {times} the syllable read"
    return None


def _by_usual_reading(words: list[_Word | None], keys: list[str], i: int, options: list[str], lex: Lexicon, runner_up: RunnerUp, evidence: PairEvidence) -> tuple[str, str] | None:
    """Tesseract's second reading of word i where the document reads the syllable as read with
    confidence at least ``runner_up.usual`` times and the runner-up fewer times than that:
    Tesseract reads a print it knows with confidence every time, so a doubted reading of it is
    most likely a print it does not know as well, its runner-up (at least
    ``runner_up.min_confidence``, a variant of the word). Not when the runner-up is
    ``runner_up.ratio`` times rarer in running text than the word as read (the same ratio the
    frequency rule asks the other way), nor when the document reads the word as read with the
    same neighbour with confidence (``PAIRS_MIN`` times)."""
    w = words[i]
    assert w is not None
    if not w.alts or w.conf is None:
        return None  # no second reading, or not a word Tesseract doubted
    usual = evidence.readings[keys[i]]
    if runner_up.usual <= 0 or usual < runner_up.usual or evidence.support(words, keys, i, keys[i]) >= PAIRS_MIN:
        return None
    for alt, conf in w.alts:
        key = canonical(alt)
        if conf < runner_up.min_confidence or key not in options or evidence.readings[key] >= runner_up.usual:
            continue
        if lex.frequency and runner_up.ratio > 0 and lex.freq(keys[i]) >= runner_up.ratio * max(lex.freq(key), 1e-9):
            continue
        return key, f"the document reads '{w.core}' with confidence {usual} times, here only {w.conf:.0f}: Tesseract's second reading (confidence {conf:.0f})"
    return None


def _pairs_keep(words: list[_Word | None], keys: list[str], i: int, syllable: str, compound: str, evidence: PairEvidence) -> bool:
    """The document's confident pairs clearly keep word i as read against ``syllable`` and its
    compound: with the neighbour(s) the compound takes in, the word as read stands at least
    ``PAIRS_MIN`` times in the document and ``PAIRS_DOMINANCE`` times as often as the variant."""
    size = len(compound.split())
    sides = tuple(d for d in (-1, 1) if 0 <= i + d < len(keys) and _in_compound(words, keys, i, i + d, syllable, size, compound))
    if not sides:
        return False
    kept = evidence.support(words, keys, i, keys[i], sides)
    return kept >= PAIRS_MIN and kept >= PAIRS_DOMINANCE * evidence.support(words, keys, i, syllable, sides)


def _in_compound(words: list[_Word | None], keys: list[str], i: int, j: int, syllable: str, size: int, compound: str) -> bool:
    """Word j is inside the compound (of ``size`` words, spelled ``compound``) that word i read as ``syllable`` makes."""
    want = tuple(canonical(x) for x in compound.casefold().split())
    lo = max(0, i - size + 1)
    local = keys[lo : i + size]  # the words any compound of word i can span, word i read as ``syllable``
    local[i - lo] = syllable
    return any(start <= j < start + size and tuple(local[start - lo : start - lo + size]) == want for start in range(lo, i + 1))


def _rarer(variant: str, as_read: str, lex: Lexicon, min_ratio: float) -> bool:
    """The variant is ``min_ratio`` times rarer in running Vietnamese text (wordfreq) than the syllable as read."""
    if not lex.frequency or min_ratio <= 0:
        return False
    return lex.freq(as_read) >= min_ratio * max(lex.freq(variant), 1e-9)


def correct_line(line: str, confs: list[float] | None, lex: Lexicon, correct_below: float = 100.0, max_edits: int = 1, min_ratio: float = FREQUENCY_RATIO) -> tuple[str, list[Change]]:
    """:func:`correct_lines` for one line."""
    out, changes = correct_lines([line], None if confs is None else [confs], lex, correct_below, max_edits, min_ratio)
    return out[0], changes
