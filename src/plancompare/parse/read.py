"""Stage 'read': get the bytes of a plan (or the text of a .docx/.pdf/.html)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ..errors import EmptyFileError, InputError, MissingFileError, UnsupportedFormatError
from .limits import Limits, check_file_size, check_text, default_limits, read_bounded
from .stages import RawInput

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
DOC_SUFFIXES = {".docx", ".pdf", ".html", ".htm"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}  # read by OCR (parse/ocr.py)
CONVERT_SUFFIXES = {".doc", ".rtf", ".odt"}  # converted to .docx by LibreOffice (parse/convert.py)


def read(path: str | Path, *, limits: Limits | None = None) -> RawInput:
    p = Path(path)
    lim = limits or default_limits()
    if not p.exists():
        raise MissingFileError(f"{p}: no such file", path=str(p))
    if p.is_dir():
        raise InputError(f"{p}: is a directory, not a plan file", path=str(p))
    if p.is_file():
        check_file_size(str(p), p.stat().st_size, lim)
    try:
        with open(p, "rb") as f:  # bounded: also a FIFO or a device (/dev/zero) ends at the limit
            data = read_bounded(str(p), f, lim)
    except OSError as e:
        raise InputError(f"{p}: cannot read ({e.strerror or e})", path=str(p)) from None
    if not data.strip():
        raise EmptyFileError(f"{p}: the file is empty", path=str(p))
    suffix = p.suffix.lower()
    raw = RawInput(name=p.name, suffix=suffix, size=len(data), sha256=hashlib.sha256(data).hexdigest(), data=data)
    if suffix in IMAGE_SUFFIXES or suffix in CONVERT_SUFFIXES or suffix == ".pdf":
        from .ocr import read_scan_or_old  # lazy: OCR and conversion only when such a file is read

        if read_scan_or_old(p, data, raw, limits=lim):
            check_text(str(p), raw.text or "", lim)
            return raw
    if suffix in DOC_SUFFIXES:
        from . import readers  # lazy: pulls python-docx / pdfplumber / lxml only when needed

        text, layout = readers.extract_text(p, data, limits=lim)
        check_text(str(p), text, lim)
        raw.text, raw.layout = text, layout
    elif suffix not in TEXT_SUFFIXES and data[:4] in (b"PK\x03\x04", b"%PDF"):
        raise UnsupportedFormatError(f"{p}: a {suffix or 'binary'} file; plancompare reads .txt, .md, .docx, .pdf and .html", path=str(p))
    return raw


_SURROGATE = re.compile("[\ud800-\udfff]")


def from_text(text: str, name: str = "<text>") -> RawInput:
    """A string as the 'read' stage's value. A lone surrogate (possible in a Python string,
    never in a file) cannot be encoded: it becomes U+FFFD, the replacement character."""
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    data = text.encode("utf-8")
    return RawInput(name=name, suffix=Path(name).suffix.lower(), size=len(data), sha256=hashlib.sha256(data).hexdigest(), data=data, text=None)
