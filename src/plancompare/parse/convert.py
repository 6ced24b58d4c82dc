"""Old word-processor files (.doc, .rtf, .odt) -> .docx through LibreOffice in headless mode.

The .docx is then read by the ordinary .docx reader (Word numbering and tables
kept). LibreOffice (Debian ``libreoffice-writer-nogui``) is the only maintained
converter that reads Word 97-2003 binary files with their automatic numbering and
tables; each conversion runs ``soffice --headless --convert-to docx`` in a fresh
temporary folder with its own user profile (parallel runs do not share a lock),
under a time limit, and bounded in input and output size. Converted files are
cached by the input's SHA-256 in ``<cache>/convert/`` like OCR results, so a
second run does not start LibreOffice again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import CorruptFileError, InputError, MissingToolError

__all__ = ["CONVERT_SUFFIXES", "soffice", "to_docx"]

CONVERT_SUFFIXES = {".doc", ".rtf", ".odt"}
INSTALL = "apt-get install libreoffice-writer-nogui"
MAX_INPUT = 100 * 1024 * 1024
MAX_OUTPUT = 200 * 1024 * 1024
TIMEOUT = 180.0
CACHE_VERSION = 1

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def soffice() -> str:
    """Path of LibreOffice's soffice; a one-line MissingToolError with the install command when absent."""
    for name in ("soffice", "libreoffice"):
        exe = shutil.which(name)
        if exe:
            return exe
    raise MissingToolError(f"reading .doc, .rtf and .odt files needs LibreOffice, which is not installed: {INSTALL}")


def _looks_like(suffix: str, data: bytes) -> bool:
    if suffix == ".doc":
        return data[:8] == _OLE or data.lstrip()[:5] == b"{\\rtf"  # Word also saves RTF as .doc
    if suffix == ".rtf":
        return data.lstrip()[:5] == b"{\\rtf"
    if suffix == ".odt":
        return data[:4] == b"PK\x03\x04"
    return False


def to_docx(data: bytes, name: str, suffix: str, *, cache_dir: str | Path | None = None, use_cache: bool = True, timeout: float = TIMEOUT) -> bytes:
    """The bytes of a .docx made by LibreOffice from a .doc, .rtf or .odt file."""
    suffix = suffix.lower()
    if suffix not in CONVERT_SUFFIXES:
        raise InputError(f"{name}: no converter for {suffix}", path=name)
    if len(data) > MAX_INPUT:
        raise InputError(f"{name}: {len(data):,} bytes; .doc/.rtf/.odt files are converted up to {MAX_INPUT:,} bytes", path=name)
    if not _looks_like(suffix, data):
        raise CorruptFileError(f"{name}: not a {suffix} file (its first bytes are not those of one); it is damaged or mislabelled", path=name)
    exe = soffice()
    sha = hashlib.sha256(data).hexdigest()
    cache = None
    if use_cache:
        from .ocr import default_cache_dir

        root = Path(cache_dir) if cache_dir else default_cache_dir()
        cache = root / "convert" / sha[:2] / f"{sha}-v{CACHE_VERSION}.docx"
        if cache.exists() and 0 < cache.stat().st_size <= MAX_OUTPUT:
            return cache.read_bytes()
    with tempfile.TemporaryDirectory(prefix="plancompare-soffice-") as tmp:
        src = Path(tmp) / f"input{suffix}"
        src.write_bytes(data)
        profile = Path(tmp) / "profile"
        cmd = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(Path(tmp) / "out"), str(src)]
        env = {**os.environ, "HOME": tmp, "SAL_USE_VCLPLUGIN": "svp"}
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, env=env, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as e:
            raise InputError(f"{name}: LibreOffice did not convert the file within {timeout:.0f} s", path=name) from e
        except OSError as e:
            raise MissingToolError(f"reading {suffix} files needs LibreOffice, which does not start ({e.strerror or e}): {INSTALL}") from e
        out = Path(tmp) / "out" / "input.docx"
        if proc.returncode != 0 or not out.exists() or out.stat().st_size == 0:
            said = (proc.stderr or proc.stdout or b"").decode("utf-8", "replace").strip().splitlines()
            reason = said[-1][:160] if said else f"exit status {proc.returncode}"
            raise CorruptFileError(f"{name}: LibreOffice could not convert this {suffix} file ({reason}); it is damaged or not a document", path=name)
        if out.stat().st_size > MAX_OUTPUT:
            raise InputError(f"{name}: the converted document is larger than {MAX_OUTPUT:,} bytes", path=name)
        docx = out.read_bytes()
    if cache is not None:
        from ..io import atomic_write

        try:
            atomic_write(cache, docx)
        except Exception:  # an unwritable cache never fails the read
            pass
    return docx
