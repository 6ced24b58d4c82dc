"""Output files are written whole or not at all: a temporary file in the same folder, then a rename.

* A symlink is written through: its target is replaced (atomically, in the target's folder);
  the link stays a link.
* A character device or a FIFO (``/dev/stdout``, ``/dev/null``, a named pipe) is written
  directly; it is never replaced by a regular file. Other special files (block devices,
  sockets) and folders are refused.
* Temporary files are named ``.NAME.PID.XXXX.tmp``; the next write to NAME removes those
  left behind by a process that no longer runs (a ``kill -9``).

The CSV helpers here are the one way the tool writes CSV: every text cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe, so a
spreadsheet shows it as text instead of running it as a formula (CSV injection). The
Markdown and terminal helpers remove control characters (terminal escape sequences) and
escape raw HTML.
"""

from __future__ import annotations

import csv
import errno
import functools
import io
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

from .errors import OutputError

F = TypeVar("F", bound=Callable[..., Any])


# ====================================================================== atomic writes


def _oserror(p: Path, e: OSError, what: str = "cannot write") -> OutputError:
    return OutputError(f"{p}: {what} ({e.strerror or e})", path=str(p))


def _target(path: str | Path) -> tuple[Path, str]:
    """Where to write ``path``: (the real path, 'file' | 'stream'). Links are followed."""
    p = Path(path)
    real = Path(os.path.realpath(p)) if p.is_symlink() else p
    try:
        st = os.stat(real)
    except FileNotFoundError:
        return real, "file"
    except OSError as e:
        raise _oserror(p, e) from e
    if stat.S_ISREG(st.st_mode):
        return real, "file"
    if stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode):
        return real, "stream"
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{p}: is a folder; give a file name", path=str(p))
    raise OutputError(f"{p}: not a regular file (a block device or a socket); not written", path=str(p))


def _write_stream(p: Path, payload: bytes) -> None:
    try:
        with open(p, "wb", buffering=0) as f:
            view = memoryview(payload)
            while view:
                n = f.write(view)
                if not n:
                    raise OSError(errno.EIO, "write returned 0")
                view = view[n:]
    except OSError as e:
        raise _oserror(p, e) from e


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale_temps(folder: Path, name: str) -> int:
    """Remove ``.NAME.PID.*.tmp`` files of processes that no longer run; their count."""
    pat = re.compile(rf"^\.{re.escape(name)}\.(\d+)\.[^.]+\.tmp$")
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for e in entries:
        m = pat.match(e.name)
        if m and not _pid_alive(int(m.group(1))):
            try:
                os.unlink(e.path)
                removed += 1
            except OSError:
                pass
    return removed


def _stage(real: Path, shown: Path, payload: bytes) -> str:
    """Write ``payload`` to a fresh temporary file next to ``real``; its path."""
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        clean_stale_temps(real.parent, real.name)
        fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.{os.getpid()}.", suffix=".tmp", dir=real.parent)
    except OSError as e:
        raise OutputError(f"{shown}: cannot write here ({e.strerror or e})", path=str(shown)) from e
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
        os.chmod(tmp, 0o666 & ~_umask())
    except BaseException as e:
        _unlink(tmp)
        if isinstance(e, OSError):
            raise _oserror(shown, e) from e
        raise
    return tmp


def _unlink(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass


def _payload(data: str | bytes, encoding: str) -> bytes:
    return data.encode(encoding) if isinstance(data, str) else data


def atomic_write(path: str | Path, data: str | bytes, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` to ``path`` atomically (never leaves a partial file); see the module doc
    for links, devices and FIFOs."""
    return atomic_write_many([(path, data)], encoding=encoding)[0]


def atomic_write_many(items: Iterable[tuple[str | Path, str | bytes]], *, encoding: str = "utf-8") -> list[Path]:
    """Write several files all or none: every temporary file is written first; only when
    all are complete are they renamed into place. Streams (devices, FIFOs) are written last."""
    plan = [(Path(p), *_target(p), _payload(d, encoding)) for p, d in items]
    staged: list[tuple[Path, str, Path]] = []
    try:
        for shown, real, kind, payload in plan:
            if kind == "file":
                staged.append((shown, _stage(real, shown, payload), real))
        for shown, tmp, real in staged:
            try:
                os.replace(tmp, real)
            except OSError as e:
                raise _oserror(shown, e) from e
        staged = []
        for shown, real, kind, payload in plan:
            if kind == "stream":
                _write_stream(real, payload)
    finally:
        for _, tmp, _ in staged:
            _unlink(tmp)
    return [shown for shown, *_ in plan]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# ====================================================================== CSV

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text: text starting with = + - @ tab or CR gets a
    leading apostrophe ("'=1+1"). Numbers (also negative ones) and empty cells are unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_text(columns: Iterable[str], rows: Iterable[dict[str, Any]]) -> str:
    """CSV text, header first, every cell neutralised (:func:`csv_cell`); None is empty.
    The caller adds the byte-order mark (:func:`write_csv`, or the CLI on stdout)."""
    cols = list(columns)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    for r in rows:
        w.writerow({k: "" if r.get(k) is None else csv_cell(r.get(k)) for k in cols})
    return buf.getvalue()


def neutralise_table(table: Any) -> Any:
    """A pyarrow table with :func:`csv_cell` applied to its string columns (for pyarrow's CSV writer)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    cols = []
    changed = False
    for i, field in enumerate(table.schema):
        col = table.column(i)
        if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            risky = pc.match_substring_regex(col, r"^[=+\-@\t\r]")
            if pc.any(risky).as_py():
                col = pc.if_else(risky, pc.binary_join_element_wise(pa.scalar("'", field.type), col, ""), col)
                changed = True
        cols.append(col)
    return pa.Table.from_arrays(cols, schema=table.schema) if changed else table


def write_csv(path: str | Path, text: str) -> Path:
    """CSV in UTF-8 with a byte-order mark, so that Excel shows Vietnamese correctly."""
    return atomic_write(path, text, encoding="utf-8-sig")


# ====================================================================== plain tables


class Table:
    """A plain table any renderer can draw (terminal, CSV, Markdown): a title, column names and
    rows of text cells. Results that have no view of their own expose ``to_tables()`` returning these."""

    __slots__ = ("title", "columns", "rows")

    def __init__(self, title: str, columns: Iterable[str], rows: Iterable[Iterable[Any]]) -> None:
        self.title = title
        self.columns = tuple(columns)
        self.rows = [tuple("" if c is None else str(c) for c in r) for r in rows]

    def __repr__(self) -> str:
        return f"Table({self.title!r}, {self.columns!r}, {len(self.rows)} rows)"

    def to_csv(self) -> str:
        return csv_text(self.columns, (dict(zip(self.columns, r)) for r in self.rows))

    def to_markdown(self) -> str:
        def cell(v: str) -> str:
            return safe_markdown(" ".join(v.split())).replace("|", "\\|")

        out = [f"## {cell(self.title)}", "", "| " + " | ".join(cell(c) for c in self.columns) + " |", "|" + "---|" * len(self.columns)]
        out += ["| " + " | ".join(cell(v) for v in r) + " |" for r in self.rows]
        return "\n".join(out) + "\n"


def tables_csv(tables: Iterable[Table]) -> str:
    """Several tables as one CSV: the first table's rows (CSV has one header); see ``tables_markdown``."""
    first = next(iter(tables), None)
    return first.to_csv() if first is not None else ""


def tables_markdown(tables: Iterable[Table]) -> str:
    return "\n".join(t.to_markdown() for t in tables)


# ====================================================================== terminal and Markdown

# C0 and C1 control characters but newline and tab; bidi embeddings, overrides and isolates
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_TAB = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str, *, keep_newlines: bool = True) -> str:
    """Text without control characters (ESC, BEL, OSC sequences' introducers, C1 CSI, ...):
    plan text can never clear a screen, set a window title or write the clipboard (OSC 52)."""
    return (_CONTROL if keep_newlines else _CONTROL_TAB).sub("", text)


def safe_markdown(text: str) -> str:
    """Markdown a viewer cannot be attacked through: control characters removed, raw HTML
    escaped ('<script>' shows as text, it does not run)."""
    return strip_controls(text).replace("<", "&lt;")  # no tag can open without '<'; entities only make text


def markdown_view(fn: F) -> F:
    """Decorator for ``to_markdown`` methods: the returned Markdown goes through :func:`safe_markdown`."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> str:
        return safe_markdown(fn(*args, **kwargs))

    return wrapper  # type: ignore[return-value]


def terminal_view(fn: F) -> F:
    """Decorator for plain-text views (``check --format text|github``): control characters removed."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> str:
        return strip_controls(fn(*args, **kwargs))

    return wrapper  # type: ignore[return-value]


__all__ = ["terminal_view", "Table", "tables_csv", "tables_markdown",
    "atomic_write", "atomic_write_many", "clean_stale_temps", "write_csv", "csv_cell", "csv_text", "neutralise_table",
    "strip_controls", "safe_markdown", "markdown_view",
]
