"""Stage 'read': get the bytes of a plan (or the text of a .docx/.pdf/.html)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import EmptyFileError, InputError, MissingFileError, UnsupportedFormatError
from .stages import RawInput

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
DOC_SUFFIXES = {".docx", ".pdf", ".html", ".htm"}


def read(path: str | Path) -> RawInput:
    p = Path(path)
    if not p.exists():
        raise MissingFileError(f"{p}: no such file", path=str(p))
    if p.is_dir():
        raise InputError(f"{p}: is a directory, not a plan file", path=str(p))
    data = p.read_bytes()
    if not data.strip():
        raise EmptyFileError(f"{p}: the file is empty", path=str(p))
    suffix = p.suffix.lower()
    raw = RawInput(name=p.name, suffix=suffix, size=len(data), sha256=hashlib.sha256(data).hexdigest(), data=data)
    if suffix in DOC_SUFFIXES:
        from . import readers  # lazy: pulls python-docx / pdfplumber / lxml only when needed

        text, layout = readers.extract_text(p, data)
        raw.text, raw.layout = text, layout
    elif suffix not in TEXT_SUFFIXES and data[:4] in (b"PK\x03\x04", b"%PDF"):
        raise UnsupportedFormatError(f"{p}: a {suffix or 'binary'} file; plancompare reads .txt, .md, .docx, .pdf and .html", path=str(p))
    return raw


def from_text(text: str, name: str = "<text>") -> RawInput:
    data = text.encode("utf-8")
    return RawInput(name=name, suffix=Path(name).suffix.lower(), size=len(data), sha256=hashlib.sha256(data).hexdigest(), data=data, text=None)
