"""What every command shares: error translation, the --out and --ocr options, the rich console
(the --format option and writing the output: output.py).

The CLI only parses arguments, calls the library and renders. stdout carries
data only; messages and progress go to stderr.
"""

from __future__ import annotations

import contextlib
import functools
import sys
import traceback
from pathlib import Path
from typing import Annotated, Any, Callable, Iterator, Optional, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

from ..errors import EXIT_INTERNAL, EXIT_INTERRUPTED, OutputError, PlanCompareError

F = TypeVar("F", bound=Callable[..., Any])

OutOpt = Annotated[Optional[Path], typer.Option("--out", "-o", help="Write to this file instead of stdout: whole or not at all, into a folder that exists (exit 4 otherwise).")]
AppendixOpt = Annotated[Optional[bool], typer.Option("--appendix/--body-only", help="--appendix: body and appendix tasks in one alignment; --body-only: no appendix tables (default: tables compared with tables when both plans have one).", show_default=False)]
OcrOpt = Annotated[
    str,
    typer.Option("--ocr", help="Scanned PDFs and images: auto (OCR only pages without a text layer; pages with text and images both ways), always (OCR every page), never.", metavar="auto|always|never"),
]

# click's exceptions, wherever this typer version keeps click (its own copy since typer 0.22)
_ClickException: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")
_ClickAbort: type[BaseException] = getattr(sys.modules[_ClickException.__module__], "Abort", typer.Abort)
_get_current_context: Callable[[], Any] = getattr(sys.modules[TyperCommand.__mro__[1].__module__.rsplit(".", 1)[0] + ".globals"], "get_current_context")


class State:
    debug = False


def err(message: str) -> None:
    """One line on stderr (control characters of file names or plan text removed)."""
    from ..io import strip_controls

    sys.stderr.write(strip_controls(message.rstrip(), keep_newlines=False) + "\n")


def note_conversions(doc: Any) -> None:
    """Say on stderr when an input was converted from a legacy Vietnamese encoding."""
    for p in doc.problems:
        if p.code == "legacy_encoding_converted":
            err(f"plancompare: note: {doc.document.source_file}: {p.message}")


def check_format(fmt: str | None, allowed: tuple[str, ...], default: str) -> str:
    """The --format value asked for (see :func:`plancompare.cli.output.choose_format`)."""
    from .output import choose_format

    return choose_format(fmt, allowed, default)


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
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except BrokenPipeError:
            raise typer.Exit(0) from None
        except Exception as e:  # an internal error: still one line (after the traceback with --debug)
            if State.debug:
                traceback.print_exc()
            err(f"plancompare: internal error: {type(e).__name__}: {e} (run with --debug for the traceback)")
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]


def emit(text: str, out: Path | None = None, *, csv: bool = False) -> None:
    """Text to stdout or atomically to a file (:func:`plancompare.cli.output.write`); commands
    hand their result to :func:`plancompare.cli.output.emit` instead."""
    from .output import write

    write(text, out, csv=csv)


def stdout_error(e: BaseException) -> OutputError:
    reason = getattr(e, "strerror", None) or str(e) or type(e).__name__
    return OutputError(f"stdout: cannot write ({reason})", path="<stdout>")


class ClosedStream:
    """Stands for a stdout that was closed before the program started (``>&-``): any write is
    an output error (exit 4), not an AttributeError."""

    encoding = "utf-8"

    def write(self, s: str) -> int:
        import errno

        raise OSError(errno.EBADF, "stdout is closed")

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        import io

        raise io.UnsupportedOperation("stdout is closed")


class OneLineGroup(TyperGroup):
    """The root command: a usage error (unknown command, missing argument, bad option value)
    is one line on stderr and exit 2, as the README promises, not click's usage block."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except _ClickException as e:
            if type(e).__name__ == "NoArgsIsHelpError":  # 'plancompare' alone: the help, as click shows it
                sys.stderr.write(e.format_message().rstrip() + "\n")
                sys.exit(getattr(e, "exit_code", 2))
            msg = " ".join(e.format_message().split())
            where = getattr(getattr(e, "ctx", None), "command_path", None) or prog_name or "plancompare"
            err(f"plancompare: error: {msg} (see '{where} --help')")
            sys.exit(getattr(e, "exit_code", 2))
        except (_ClickAbort, typer.Abort):
            err("plancompare: aborted")
            sys.exit(EXIT_INTERRUPTED)  # never 1, the code of a failed check
        sys.exit(rv if isinstance(rv, int) else 0)


class ArgsCommand(TyperCommand):
    """A command that keeps its command line as given (``ctx.meta['plancompare.args']``), for the
    rare check that depends on the order of arguments and options."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        ctx.meta["plancompare.args"] = list(args)
        return super().parse_args(ctx, args)


def click_context() -> Any:
    """The running command's click context."""
    return _get_current_context()


_SAFE_CONSOLE: Any = None


def safe_console_class() -> Any:
    """rich's Console with plan text made harmless: control characters (ESC, BEL, C1 CSI...)
    are removed from the text before it reaches the terminal, so a plan cannot clear the
    screen, set the window title or write the clipboard (OSC 52); rich's own styles are
    added afterwards. Control characters take no cell, so tables stay aligned. A write
    error (full disk, closed stdout) is an OutputError (exit 4); a reader that stops early
    ('| head') ends the output quietly."""
    global _SAFE_CONSOLE
    if _SAFE_CONSOLE is not None:
        return _SAFE_CONSOLE
    from rich.console import Console
    from rich.segment import Segment

    from ..io import strip_controls

    class SafeConsole(Console):
        def _render_buffer(self, buffer: Any) -> str:
            return super()._render_buffer(s if s.control else Segment(strip_controls(s.text), s.style, None) for s in buffer)

        def _write_buffer(self) -> None:
            try:
                super()._write_buffer()
            except BrokenPipeError:
                raise
            except OSError as e:
                del self._buffer[:]
                if self.stderr:
                    raise
                raise stdout_error(e) from None

        def on_broken_pipe(self) -> None:
            import os

            if self.stderr:
                return
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise SystemExit(0)

    _SAFE_CONSOLE = SafeConsole
    return SafeConsole


def console(stderr: bool = False, **kwargs: Any) -> Any:
    """A rich console (see :func:`safe_console_class`) on stdout, or stderr, or ``file=``."""
    cls = safe_console_class()
    if stderr:
        return cls(stderr=True, soft_wrap=False, **kwargs)
    return cls(soft_wrap=False, **kwargs)


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(__version__)
        raise typer.Exit(0)


def root_callback(
    debug: Annotated[bool, typer.Option("--debug", help="Show the full traceback on errors.")] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.", is_eager=True, callback=_version)] = False,
) -> None:
    """The options of `plancompare` itself (before the command)."""
    State.debug = debug



class _PageProgress:
    """OCR progress on stderr, one bar per file (plain lines when stderr is not a terminal)."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.tasks: dict[str, Any] = {}

    def __call__(self, name: str, done: int, total: int) -> None:
        if not sys.stderr.isatty():
            if done:
                err(f"OCR {name}: page {done}/{total}")
            return
        if self.bar is None:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

            self.bar = Progress(TextColumn("OCR {task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("pages"), TimeElapsedColumn(), TimeRemainingColumn(), console=console(stderr=True), transient=False)
            self.bar.start()
        if name not in self.tasks:
            self.tasks[name] = self.bar.add_task(name, total=total)
        self.bar.update(self.tasks[name], completed=done, total=total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@contextlib.contextmanager
def ocr_reading(mode: str) -> Iterator[None]:
    """Read the command's files with this --ocr mode, showing OCR progress per page on stderr."""
    if mode not in ("auto", "always", "never"):
        raise typer.BadParameter(f"'{mode}' is not one of: auto, always, never", param_hint="'--ocr'")
    from ..parse.ocr import use_ocr

    bar = _PageProgress()
    try:
        with use_ocr(mode=mode, progress=bar):
            yield
    finally:
        bar.close()
