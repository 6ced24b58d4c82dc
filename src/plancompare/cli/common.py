"""What every command shares: the --format option, error translation, output writing.

The CLI only parses arguments, calls the library and renders. stdout carries
data only; messages and progress go to stderr.
"""

from __future__ import annotations

import functools
import sys
import traceback
from pathlib import Path
from typing import Annotated, Any, Callable, Optional, TypeVar

import typer

from ..errors import PlanCompareError

F = TypeVar("F", bound=Callable[..., Any])

FormatOpt = Annotated[
    Optional[str],
    typer.Option("--format", "-f", help="Output format: table (terminal), json, csv, md, yaml, text, junit, github, html — each command lists the ones it has.", show_default=False),
]
OutOpt = Annotated[Optional[Path], typer.Option("--out", "-o", help="Write to this file (or folder) instead of stdout; written whole or not at all.")]
AppendixOpt = Annotated[bool, typer.Option("--appendix/--body-only", help="Include appendix task tables (default: only when a plan has no body tasks).")]

EXIT_INTERNAL = 70


class State:
    debug = False


def err(message: str) -> None:
    """One line on stderr."""
    sys.stderr.write(message.rstrip() + "\n")


def note_conversions(doc: Any) -> None:
    """Say on stderr when an input was converted from a legacy Vietnamese encoding."""
    for p in doc.problems:
        if p.code == "legacy_encoding_converted":
            err(f"plancompare: note: {doc.document.source_file}: {p.message}")


def check_format(fmt: str | None, allowed: tuple[str, ...], default: str) -> str:
    f = (fmt or default).lower()
    if f not in allowed:
        raise typer.BadParameter(f"'{f}' is not one of: {', '.join(allowed)}", param_hint="'--format'")
    return f


def handle_errors(fn: F) -> F:
    """Translate domain errors into one clear line and the error's exit code (--debug: traceback)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (typer.Exit, typer.Abort, typer.BadParameter):
            raise
        except PlanCompareError as e:
            if State.debug:  # the traceback, and still the error's exit code
                traceback.print_exc()
            err(f"plancompare: error: {e}")
            raise typer.Exit(e.exit_code) from None
        except KeyboardInterrupt:
            err("plancompare: interrupted")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            raise typer.Exit(0) from None
        except Exception as e:  # an internal error: still one line (after the traceback with --debug)
            if State.debug:
                traceback.print_exc()
            err(f"plancompare: internal error: {type(e).__name__}: {e} (run with --debug for the traceback)")
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]


def emit(text: str, out: Path | None = None, *, csv: bool = False) -> None:
    """Data to stdout, or atomically to a file."""
    from ..io import atomic_write, write_csv

    if out is not None:
        if csv:
            write_csv(out, text)
        else:
            atomic_write(out, text)
        err(f"wrote {out}")
        return
    if csv:
        text = "\ufeff" + text
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


def console(stderr: bool = False) -> Any:
    """A rich console; on stdout, a reader that stops early ('| head') ends the output quietly."""
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise SystemExit(0)

    return _Console(stderr=stderr, soft_wrap=False) if not stderr else Console(stderr=True, soft_wrap=False)
