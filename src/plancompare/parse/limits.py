"""Resource limits for reading one input file (documented in docs/limits.md).

A plan is a few hundred kilobytes of text; the largest real file in the corpus (a
scanned-and-OCRed PDF with its images) is a few megabytes. The limits below are far
above any real plan and far below what exhausts a machine: a 3 MB .docx whose
``document.xml`` unpacks to 2 GB, a PDF with a million empty pages or a 50 MB text
file are refused with one line (:class:`~plancompare.errors.LimitError`, exit 2)
instead of taking all memory or hours of parsing.

The limits are a frozen settings model; :data:`DEFAULT_LIMITS` is used unless a caller
passes others (``read(path, limits=Limits(max_file_bytes=...))``). The environment
variable ``PLANCOMPARE_MAX_FILE_MB`` raises or lowers the per-file size limit for the
command line (for example for an unusually large appendix PDF).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import threading
import zlib
from typing import IO, TYPE_CHECKING, Any, Iterator

from ..modelbase import base

from ..errors import CorruptFileError, LimitError, TimeLimitError

if TYPE_CHECKING:
    from pydantic import BaseModel, ConfigDict, Field
else:  # pydantic's, or the light base in the fast diff's process (see plancompare.modelbase)
    BaseModel, ConfigDict, Field, _ = base()

MiB = 1024 * 1024


class Limits(BaseModel):
    """What one input file may hold. Every value is checked before the work it bounds."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_file_bytes: int = Field(50 * MiB, gt=0, description="Size of the file on disk (any format).")
    max_text_chars: int = Field(10_000_000, gt=0, description="Characters of text extracted or decoded from one file (about 3,000 pages).")
    max_zip_entries: int = Field(10_000, gt=0, description="Members of a .docx package.")
    max_unpacked_bytes: int = Field(200 * MiB, gt=0, description="Total declared uncompressed size of a .docx package's members.")
    max_zip_ratio: float = Field(100.0, gt=1, description="Uncompressed / compressed size of a member (XML compresses about 5-20 times).")
    ratio_floor_bytes: int = Field(10 * MiB, ge=0, description="Members smaller than this when unpacked are not ratio-checked.")
    max_pdf_pages: int = Field(2_000, gt=0, description="Pages of a PDF.")
    max_stream_bytes: int = Field(200 * MiB, gt=0, description="Unpacked size of one compressed (Flate) stream of a PDF (a 600 dpi colour page image is about 100 MB).")
    max_seconds_per_file: float = Field(120.0, gt=0, description="Time to parse one file in `corpus scan` (a real plan takes well under a second).")


def default_limits() -> Limits:
    mb = os.environ.get("PLANCOMPARE_MAX_FILE_MB")
    if mb:
        try:
            return Limits(max_file_bytes=int(float(mb) * MiB))
        except ValueError:
            pass  # an unusable value: the default applies
    return DEFAULT_LIMITS


DEFAULT_LIMITS = Limits()


def _mb(n: float) -> str:
    return f"{n / MiB:.0f} MB" if n >= MiB else f"{n:.0f} bytes"


def check_file_size(name: str, size: int, limits: Limits) -> None:
    if size > limits.max_file_bytes:
        raise LimitError(f"{name}: the file is too large ({_mb(size)}; the limit is {_mb(limits.max_file_bytes)} per file, see docs/limits.md)", path=name)


def read_bounded(name: str, f: IO[bytes], limits: Limits) -> bytes:
    """Read a stream (also a FIFO or a device such as /dev/zero) up to the size limit."""
    data = f.read(limits.max_file_bytes + 1)
    if len(data) > limits.max_file_bytes:
        raise LimitError(f"{name}: the file is too large (more than {_mb(limits.max_file_bytes)} per file, see docs/limits.md)", path=name)
    return data


def check_text(name: str, text: str, limits: Limits) -> None:
    if len(text) > limits.max_text_chars:
        raise LimitError(f"{name}: too much text ({len(text):,} characters; the limit is {limits.max_text_chars:,} per file, see docs/limits.md)", path=name)


def check_zip(name: str, data: bytes, limits: Limits) -> None:
    """Refuse a ZIP package (.docx) that would unpack beyond the limits, from its central
    directory alone (nothing is decompressed). zipfile never returns more than a member's
    declared size (a member that lies fails its CRC check), so the declared sizes bound
    the memory any later reader uses."""
    import io
    import zipfile  # only .docx packages need it (not imported on the diff of two text files)

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as e:
        raise CorruptFileError(f"{name}: the package is damaged ({type(e).__name__}: {str(e)[:120]})", path=name) from e
    if len(infos) > limits.max_zip_entries:
        raise LimitError(f"{name}: the package has {len(infos):,} members (the limit is {limits.max_zip_entries:,}, see docs/limits.md)", path=name)
    total = sum(i.file_size for i in infos)
    if total > limits.max_unpacked_bytes:
        raise LimitError(f"{name}: the package unpacks to {_mb(total)} (the limit is {_mb(limits.max_unpacked_bytes)}, see docs/limits.md)", path=name)
    for i in infos:
        if i.file_size > limits.ratio_floor_bytes and i.file_size > limits.max_zip_ratio * max(i.compress_size, 1):
            ratio = i.file_size / max(i.compress_size, 1)
            raise LimitError(
                f"{name}: {i.filename} unpacks {ratio:,.0f} times its packed size ({_mb(i.compress_size)} -> {_mb(i.file_size)}; "
                f"the limit is {limits.max_zip_ratio:.0f} times, see docs/limits.md): a ZIP bomb or a damaged file",
                path=name,
            )


_STREAM = re.compile(rb"stream\r?\n")
_ZLIB_HEADS = (b"\x78\x01", b"\x78\x5e", b"\x78\x9c", b"\x78\xda")
_CHUNK = 1 << 20


def _inflated_size(data: bytes, start: int, cap: int) -> int:
    """How many bytes the zlib stream at ``data[start:]`` unpacks to, counted up to ``cap``
    in 1 MB steps (never more than 1 MB held). A second zlib layer inside (the filters
    [/FlateDecode /FlateDecode]) is counted instead when there is one. 0 if it is not zlib."""
    outer = zlib.decompressobj()
    inner: Any = None
    total = 0
    buf = memoryview(data)[start:]
    first = True
    try:
        while True:
            out = outer.decompress(buf, _CHUNK)
            buf = memoryview(outer.unconsumed_tail)
            if first:
                first = False
                if out[:2] in _ZLIB_HEADS:
                    inner = zlib.decompressobj()
            if inner is not None:
                pending = out
                while pending:
                    total += len(inner.decompress(pending, _CHUNK))
                    pending = inner.unconsumed_tail
                    if total > cap:
                        return total
            else:
                total += len(out)
            if total > cap or outer.eof or not out:
                return total
    except zlib.error:
        return total


def check_pdf_streams(name: str, data: bytes, limits: Limits) -> None:
    """Refuse a PDF with a compressed stream that unpacks beyond ``max_stream_bytes``
    (pdfminer inflates each stream whole in memory): every Flate stream of the file is
    inflated in 1 MB steps and counted, nothing is kept."""
    for m in _STREAM.finditer(data):
        start = m.end()
        if data[start:start + 2] not in _ZLIB_HEADS:
            continue
        size = _inflated_size(data, start, limits.max_stream_bytes)
        if size > limits.max_stream_bytes:
            raise LimitError(
                f"{name}: a compressed stream of the PDF unpacks to more than {_mb(limits.max_stream_bytes)} (the limit, see docs/limits.md): a decompression bomb or a damaged file",
                path=name,
            )


def check_pages(name: str, pages: int, limits: Limits) -> None:
    if pages > limits.max_pdf_pages:
        raise LimitError(f"{name}: the PDF has {pages:,} pages (the limit is {limits.max_pdf_pages:,}, see docs/limits.md)", path=name)


@contextlib.contextmanager
def time_limit(seconds: float | None, name: str) -> Iterator[None]:
    """Raise :class:`~plancompare.errors.TimeLimitError` in the block when it runs longer than
    ``seconds`` (a real-time timer and SIGALRM: pure-Python work is interrupted, a long call
    into C ends first). Without effect when ``seconds`` is None, off the main thread, where
    the platform has no SIGALRM, or when another timer is already running."""
    usable = (
        seconds is not None
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    )
    if not usable:
        yield
        return

    def _expired(signum: int, frame: object) -> None:
        raise TimeLimitError(f"{name}: parsing took more than {seconds:g} s (the per-file time limit, see docs/limits.md); skipped", path=name)

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)  # type: ignore[arg-type]
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


__all__ = ["time_limit", "check_pdf_streams", "Limits", "DEFAULT_LIMITS", "default_limits", "check_file_size", "read_bounded", "check_text", "check_zip", "check_pages"]
