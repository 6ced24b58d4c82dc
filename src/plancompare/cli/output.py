"""The one output layer of the CLI: every command hands its result to :func:`emit`.

A result model declares the formats it has (its ``FORMATS`` class attribute) and renders
each of them itself (``to_json``, ``to_csv``, ``to_markdown``, ``to_yaml``, ``to_text``,
``to_junit``, ``to_github``, ``to_html``); the terminal table is drawn here, by the rich view
registered for the result's type (``render.py``, ``render_lineage.py``) or, for a result
without one, from the plain tables its ``to_tables()`` method returns. Each command's
``--format`` option lists only the formats of its result (:func:`format_option`).

Data goes to stdout, or to ``--out FILE`` whole or not at all (:func:`write`).
"""

from __future__ import annotations

import importlib
import sys
from io import StringIO
from pathlib import Path
from typing import Annotated, Any, Callable, Optional

import typer

from ..errors import OutputError

# what each format is, for the --format help of the commands that have it
FORMAT_HELP = {
    "table": "terminal tables",
    "text": "a plain summary",
    "json": "the result model",
    "csv": "flat rows, UTF-8 with BOM",
    "md": "Markdown",
    "yaml": "YAML",
    "junit": "JUnit XML",
    "github": "GitHub annotations",
    "html": "one HTML page",
}

# the method that renders each format, on the result model
METHODS = {"json": "to_json", "csv": "to_csv", "md": "to_markdown", "yaml": "to_yaml", "text": "to_text", "junit": "to_junit", "github": "to_github", "html": "to_html"}

# result type name -> (module of this package, rich view): the terminal views that exist
TABLE_VIEWS = {
    "ParsedDocuments": ("render", "render_parsed_all"),
    "Comparison": ("render", "render_comparison"),
    "GapList": ("render", "render_gaps"),
    "SurveyResult": ("render", "render_survey"),
    "Attribution": ("render_lineage", "render_attribution"),
    "ScanReport": ("render_lineage", "render_scan"),
    "ChainResult": ("render_lineage", "render_chain"),
    "TraceResult": ("render_lineage", "render_trace"),
    "SiblingsResult": ("render_lineage", "render_siblings"),
    "TopDrops": ("render_lineage", "render_dropped"),
    "IndicatorTable": ("render_lineage", "render_indicators"),
}

FILE_WIDTH = 160  # columns of a terminal table written to a file


def format_option(formats: tuple[str, ...], default: str) -> Any:
    """The --format option of a command whose result has these formats (its help lists only them)."""
    listed = "; ".join(f"{f} ({FORMAT_HELP[f]})" for f in formats)
    return Annotated[Optional[str], typer.Option("--format", "-f", help=f"Output format: {listed}. Default: {default}.", show_default=False)]


def choose_format(fmt: str | None, formats: tuple[str, ...], default: str) -> str:
    """The format asked for (default when none), or a usage error naming the formats there are."""
    f = (fmt or default).lower()
    if f not in formats:
        raise typer.BadParameter(f"'{f}' is not one of: {', '.join(formats)}", param_hint="'--format'")
    return f


def formats_of(result: Any) -> tuple[str, ...]:
    return tuple(getattr(result, "FORMATS", ()))


def emit(result: Any, fmt: str, out: Path | None = None, **options: Any) -> None:
    """Render ``result`` in ``fmt`` to stdout or ``out``; ``options`` (``lang=``, ``parts=``,
    ``limit=``...) go to the terminal view or the format's method that takes them."""
    if fmt not in formats_of(result):  # a command offering a format its result lacks: a bug (exit 70)
        raise ValueError(f"{type(result).__name__} has no {fmt} format (it has: {', '.join(formats_of(result))})")
    if fmt == "table":
        draw = _table_view(result)
        if out is None:
            draw(result, None, **options)
            return
        write(draw_to_text(draw, result, **options), out)
        return
    method = getattr(result, METHODS[fmt])
    text = method(**{k: v for k, v in options.items() if k in _accepts(method)})
    write(text, out, csv=fmt == "csv")


def draw_to_text(draw: Callable[..., None], result: Any, **options: Any) -> str:
    """A terminal view as plain text (no colours), as written to ``--out``."""
    from .common import console

    buf = StringIO()
    draw(result, console(file=buf, width=FILE_WIDTH, force_terminal=False), **options)
    return buf.getvalue()


def _accepts(fn: Callable[..., Any]) -> tuple[str, ...]:
    import inspect

    try:
        return tuple(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        return ()


def _table_view(result: Any) -> Callable[..., None]:
    name = type(result).__name__
    if name in TABLE_VIEWS:
        module, fn = TABLE_VIEWS[name]
        view = getattr(importlib.import_module(f".{module}", __package__), fn)
        takes = _accepts(view)
        return lambda r, con, **o: view(r, con, **{k: v for k, v in o.items() if k in takes})
    if hasattr(result, "to_tables"):
        return lambda r, con, **o: render_tables(r.to_tables(**{k: v for k, v in o.items() if k in _accepts(r.to_tables)}), con)
    raise ValueError(f"{name} has no terminal view")


def render_tables(tables: list[Any], con: Any = None) -> None:
    """Plain tables (``io.Table``) drawn with rich."""
    from rich.table import Table as RichTable

    from .common import console

    con = con or console()
    for t in tables:
        if not any(t.columns):  # a list of name / value lines
            rt = RichTable(title=t.title or None, show_header=False, box=None, pad_edge=False)
            rt.add_column(style="bold")
            for _ in t.columns[1:]:
                rt.add_column()
        else:
            rt = RichTable(title=t.title or None, show_header=True, header_style="bold", expand=len(t.columns) > 3)
            for c in t.columns:
                rt.add_column(c)
        for r in t.rows:
            rt.add_row(*r)
        con.print(rt)


def write(text: str, out: Path | None = None, *, csv: bool = False) -> None:
    """Data to stdout, or atomically to a file in an existing folder (never created: a typo in
    a path is an error, exit 4); CSV with a byte-order mark."""
    from ..io import atomic_write, write_csv
    from .common import err, stdout_error

    if out is not None:
        check_folder(out)
        (write_csv if csv else atomic_write)(out, text)
        err(f"wrote {out}")
        return
    if csv:
        text = "\ufeff" + text
    try:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as e:  # full disk, /dev/full, a closed stdout
        raise stdout_error(e) from None


def check_folder(*outs: Path | None) -> None:
    """Every output file goes into an existing folder: folders are never created (a typo in a
    path is an error, exit 4, before any work is done)."""
    for out in outs:
        if out is None:
            continue
        folder = Path(out).parent
        if not folder.exists():
            raise OutputError(f"{out}: no such folder: {folder}", path=str(out))
