"""Stage 'decode': bytes -> Unicode lines (NFC), legacy Vietnamese encodings converted.

Legacy TCVN3 (ABC) and VNI files are detected by content and converted with
``viparse``'s conversion tables (a maintained library with tested tables for
TCVN3, VNI and VISCII: far better than a hand-written map).
"""

from __future__ import annotations

import re
import unicodedata

from ..errors import BinaryFileError, DecodeError, EmptyFileError
from ..models import Problem
from .stages import Decoded, Line, RawInput

_VIET = re.compile("[\u1ea0-\u1ef9ăâđêôơưĂÂĐÊÔƠƯ]")
_LATIN1 = re.compile("[\u00a0-\u00ff]")


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    ctrl = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return ctrl > len(head) * 0.05


def _legacy_encoding(text: str) -> str | None:
    """Name of the legacy encoding the text is written in, or None for Unicode."""
    sample = text[:20000]
    if len(_LATIN1.findall(sample)) <= len(_VIET.findall(sample)):
        return None
    from viparse.normalize.detector import detect_encoding_by_content  # lazy
    from viparse.normalize.encodings import AUTO_DETECT_CHARMAPS

    return detect_encoding_by_content(sample, AUTO_DETECT_CHARMAPS).encoding


def convert_legacy(text: str, encoding: str) -> str:
    from viparse.normalize.encodings import CHARMAPS
    from viparse.normalize.tables import convert

    return convert(text, CHARMAPS[encoding])


def decode(raw: RawInput) -> Decoded:
    problems: list[Problem] = []
    if raw.text is not None:
        text, encoding = raw.text, "utf-8"
    else:
        data = raw.data
        if _looks_binary(data):
            raise BinaryFileError(f"{raw.name}: binary data, not a text plan (.txt, .md, .docx, .pdf, .html are read)", path=raw.name)
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text, encoding = data.decode("utf-16"), "utf-16"
        else:
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
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise EmptyFileError(f"{raw.name}: no text in the file", path=raw.name)
    lines = [Line(no=i, end=i, text=t.rstrip(" \r\x0b\x0c")) for i, t in enumerate(text.split("\n"), start=1)]
    return Decoded(encoding=encoding, layout=raw.layout, lines=lines, problems=problems)
