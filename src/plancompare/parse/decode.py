"""Stage 'decode': bytes -> Unicode lines (NFC), legacy Vietnamese encodings converted.

UTF-8 (with or without a byte-order mark) and UTF-16 LE/BE (Notepad's "Unicode": with a
byte-order mark, or without one when the zero bytes of mostly-ASCII text show the byte
order) are decoded before the binary check. Invisible format characters (Unicode
category Cf: U+200B zero-width space, U+FEFF, U+00AD soft hyphen, bidi marks...) are
removed, since they hide line starts and words from the parser; a
``format_chars_removed`` problem gives their count. The text is otherwise kept as it is.

Legacy TCVN3 (ABC) and VNI files are detected by content and converted with
``viparse``'s conversion tables (a maintained library with tested tables for
TCVN3, VNI and VISCII: far better than a hand-written map).
"""

from __future__ import annotations

import codecs
import unicodedata
from typing import Any

from ..errors import BinaryFileError, DecodeError, EmptyFileError
from ..models import Problem
from .stages import Decoded, Line, RawInput

_VIET_LETTERS = "ăâđêôơưĂÂĐÊÔƠƯ"  # with U+1EA0..U+1EF9: the letters of Unicode Vietnamese that no legacy text read as Latin has


def _charmap(chars: str) -> Any:
    """A C-level encoding map (codecs.charmap_build) taking each of ``chars`` (BMP, at most 255) to its position
    (1, 2, ...) and U+0000 to 0: ``codecs.charmap_encode(text, "ignore", map)`` then keeps, in C, only those
    characters of a text (and its NULs), one byte each, where a regular expression would walk it in Python objects."""
    assert len(chars) <= 255 and all(ord(c) <= 0xFFFF for c in chars)
    return codecs.charmap_build("\x00" + chars + "\ufffe" * (255 - len(chars)))


_VIET_CHARS = "".join(map(chr, range(0x1EA0, 0x1EFA))) + _VIET_LETTERS
_LATIN1_CHARS = "".join(map(chr, range(0xA0, 0x100)))  # U+00A0..U+00FF: Latin-1 less ASCII and the C1 controls
# one map for both counts: Latin-1 only (positions 1...), both (â ê ô Â Ê Ô), Vietnamese only
_BOTH = "".join(c for c in _LATIN1_CHARS if c in _VIET_CHARS)
_HEAD_MAP = _charmap("".join(c for c in _LATIN1_CHARS if c not in _BOTH) + _BOTH + "".join(c for c in _VIET_CHARS if c not in _BOTH))
_N_LATIN1_ONLY = len(_LATIN1_CHARS) - len(_BOTH)
_NOT_LATIN1 = bytes([0, *range(len(_LATIN1_CHARS) + 1, len(_LATIN1_CHARS) + len(_VIET_CHARS) - len(_BOTH) + 1)])  # NUL and the Vietnamese-only
_NOT_VIET = bytes(range(_N_LATIN1_ONLY + 1))  # NUL and the Latin-1-only
#: every format character (category Cf) of the Basic Multilingual Plane; those above it are looked for as before
_CF_BMP = "".join(c for c in map(chr, range(0x80, 0x10000)) if unicodedata.category(c) == "Cf")
_CF_MAP = _charmap(_CF_BMP)


def _latin1_and_viet(sample: str) -> tuple[int, int]:
    """How many characters of ``sample`` are in U+00A0..U+00FF, and how many are Vietnamese letters
    (U+1EA0..U+1EF9 and _VIET_LETTERS) (counted in C)."""
    kept = codecs.charmap_encode(sample, "ignore", _HEAD_MAP)[0]
    return len(kept.translate(None, _NOT_LATIN1)), len(kept.translate(None, _NOT_VIET))


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the zero bytes say so: text whose characters are
    mostly below U+0100 (Vietnamese text is about 80% ASCII letters and spaces) has a zero
    in every other byte; binary data has zeros anywhere."""
    head = data[:8192]
    if len(head) < 4:
        return None
    head = head[: len(head) // 2 * 2]
    half = len(head) // 2
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    if odd >= 0.3 * half and even <= 0.02 * half:
        return "utf-16-le"
    if even >= 0.3 * half and odd <= 0.02 * half:
        return "utf-16-be"
    return None


def _decode_utf16(data: bytes, encoding: str) -> str | None:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return text


def remove_format_chars(text: str) -> tuple[str, int]:
    """The text without Unicode format characters (category Cf), and how many there were."""
    if text.isascii():
        return text, 0
    if len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text):  # no character above U+FFFF
        # the format characters present, picked in C (their positions in _CF_BMP, NULs as 0)
        bad = sorted({_CF_BMP[i - 1] for i in codecs.charmap_encode(text, "ignore", _CF_MAP)[0] if i})
    else:  # the categories of the distinct characters only (a few hundred)
        bad = [c for c in set(text) if not c.isascii() and unicodedata.category(c) == "Cf"]
    if not bad:
        return text, 0
    removed = sum(text.count(c) for c in bad)
    return text.translate(dict.fromkeys(map(ord, bad))), removed


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    ctrl = len(head) - len(head.translate(None, _CONTROL_BYTES))  # the control bytes counted in C
    return ctrl > len(head) * 0.05


def _legacy_encoding(text: str) -> str | None:
    """Name of the legacy encoding the text is written in, or None for Unicode."""
    sample = text[:20000]
    # characters U+00A0..U+00FF (Latin-1 less ASCII and the C1 controls) against the Vietnamese letters, counted in C
    latin1, viet = _latin1_and_viet(sample)
    if latin1 <= viet:
        return None
    from viparse.normalize.detector import detect_encoding_by_content  # lazy
    from viparse.normalize.encodings import AUTO_DETECT_CHARMAPS

    return detect_encoding_by_content(sample, AUTO_DETECT_CHARMAPS).encoding


def convert_legacy(text: str, encoding: str) -> str:
    from viparse.normalize.encodings import CHARMAPS
    from viparse.normalize.tables import convert

    return convert(text, CHARMAPS[encoding])


def decode(raw: RawInput) -> Decoded:
    problems: list[Problem] = list(raw.problems)
    if raw.text is not None:
        text, encoding = raw.text, "utf-8"
    else:
        data = raw.data
        text16: str | None = None
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a byte-order mark
            text16 = _decode_utf16(data, "utf-16")
            encoding = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
        elif (guess := _utf16_without_bom(data)) is not None:
            text16, encoding = _decode_utf16(data, guess), guess
        if text16 is not None and not _looks_binary(text16[:8192].encode("utf-8", "replace")):
            text = text16
        elif _looks_binary(data):
            raise BinaryFileError(f"{raw.name}: binary data, not a text plan (.txt, .md, .docx, .pdf, .html are read)", path=raw.name)
        else:
            if data.startswith(b"\xef\xbb\xbf"):
                data = data[3:]
            try:
                text, encoding = data.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                try:
                    text, encoding = data.decode("cp1252"), "cp1252"
                except UnicodeDecodeError:
                    text, encoding = data.decode("latin-1"), "latin-1"
    legacy = _legacy_encoding(text)
    if legacy:
        text = convert_legacy(text, legacy)
        problems.append(Problem(code="legacy_encoding_converted", severity="info", message=f"text was in the legacy {legacy.upper()} encoding; converted to Unicode"))
        encoding = legacy
    elif encoding in ("cp1252", "latin-1"):
        raise DecodeError(f"{raw.name}: not UTF-8 and not a recognised Vietnamese legacy encoding (TCVN3, VNI, VISCII)", path=raw.name)
    # after the legacy conversion: in TCVN3/VNI text read as cp1252, byte 0xAD is a letter
    text, removed = remove_format_chars(text)
    if removed:
        problems.append(Problem(code="format_chars_removed", severity="info", message=f"{removed} invisible format character{'s' if removed != 1 else ''} (zero-width spaces, soft hyphens, byte-order or bidi marks) removed"))
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise EmptyFileError(f"{raw.name}: no text in the file", path=raw.name)
    texts = text.split("\n")
    nos = range(1, len(texts) + 1)
    lines = list(map(Line, nos, nos, [t.rstrip(" \r\x0b\x0c") for t in texts]))  # Line(no, end, text)
    return Decoded(encoding=encoding, layout=raw.layout, lines=lines, problems=problems)
