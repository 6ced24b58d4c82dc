"""The `plancompare` command. One module per command group; each only parses
arguments, calls the library (plancompare.parse, plancompare.align, ...) and
renders the result.

Start-up is part of every command's cost: this module imports nothing heavy. The console
script builds the typer application with only the module of the command it runs, and
answers `plancompare --help` and `--version` without importing typer at all (the help
text is typer's own rendering, kept in ``_help.py`` by ``python -m plancompare.regen``
and checked against typer's output by the tests); ``fast.py`` runs the common diff (two
text files, JSON/CSV/Markdown on stdout) without typer or pydantic.

The package owns the command line only: it may import every library package, and it is the only
package that imports typer or rich.
"""

from __future__ import annotations

import os
from typing import Any

# The CLI uses no pydantic plugins; looking for them scans the entry points of every installed
# distribution (about 0.1 s with dask and pyarrow installed). A user who wants plugins sets the
# variable themselves.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

# command name -> the module that registers it (each module's register(app) adds its commands)
COMMANDS = {
    "parse": "parse_cmd",
    "diff": "diff_cmd",
    "corpus": "corpus_cmd", "chain": "corpus_cmd", "trace": "corpus_cmd", "siblings": "corpus_cmd", "dropped": "corpus_cmd", "indicators": "corpus_cmd",
    "check": "check_cmd", "gaps": "check_cmd", "report": "check_cmd",
    "batch": "batch_cmd", "survey": "batch_cmd", "synth": "batch_cmd",
}
HELP = "Parse Vietnamese government plans and compare each plan with the plan above it."


def build_app(only: str | None = None) -> Any:
    """The CLI (a typer.Typer) with every command, or (``only``) with the one module that holds
    that command: typer converts every registered command's parameters on each call, so the
    console script registers just the command it runs."""
    import importlib

    import typer

    from .common import OneLineGroup, root_callback

    application = typer.Typer(
        name="plancompare",
        help=HELP,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        cls=OneLineGroup,
    )
    application.callback()(root_callback)
    modules = dict.fromkeys(COMMANDS.values()) if only is None else {COMMANDS[only]: None}
    for mod in modules:
        importlib.import_module(f".{mod}", __name__).register(application)
    return application


_APP: Any = None


def __getattr__(name: str) -> Any:  # `from plancompare.cli import app`: built on first use
    global _APP
    if name == "app":
        if _APP is None:
            _APP = build_app()
        return _APP
    raise AttributeError(name)


def _fast(args: list[str]) -> bool:
    """`plancompare --help` and `plancompare --version` answered without typer, and the diff of
    two text files as JSON, CSV or Markdown on stdout without typer or pydantic (``fast.py``)."""
    import sys

    if args[:1] == ["diff"]:
        from .fast import diff

        return diff(args[1:], fresh_process=True)

    if args == ["--help"]:
        from ._help import TOP_HELP

        sys.stdout.write(TOP_HELP)
        return True
    if args == ["--version"]:
        from .. import __version__

        sys.stdout.write(__version__ + "\n")
        return True
    return False


def main() -> None:
    import sys

    if sys.stdout is None:  # started with stdout closed ('>&-'): writing data is an output error
        from .common import ClosedStream

        sys.stdout = ClosedStream()  # type: ignore[assignment]
    if sys.stderr is None:  # messages have nowhere to go: dropped, the exit code still tells
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    code: int | str | None = 0
    try:
        if not _fast(sys.argv[1:]):
            name = next((a for a in sys.argv[1:] if not a.startswith("-")), None)
            build_app(name if name in COMMANDS else None)(prog_name="plancompare")
    except SystemExit as e:
        code = e.code
    except (OSError, ValueError) as e:  # the fast path's write to a closed or full stdout
        sys.stderr.write(f"plancompare: error: stdout: cannot write ({getattr(e, 'strerror', None) or e})\n")
        _quiet_stdout()
        sys.exit(4)
    try:  # what is still buffered: a full disk or /dev/full shows here at the latest
        sys.stdout.flush()
    except BrokenPipeError:  # 'plancompare diff A B | head': a reader that stops early is not an error
        _quiet_stdout()
    except (OSError, ValueError) as e:
        sys.stderr.write(f"plancompare: error: stdout: cannot write ({getattr(e, 'strerror', None) or e})\n")
        _quiet_stdout()
        code = 4 if code in (0, None) else code
    sys.exit(code)


def _quiet_stdout() -> None:
    """Point fd 1 at /dev/null so that the interpreter's last flush at exit cannot fail again."""
    import sys

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def render_top_help() -> str:
    """typer's own rendering of `plancompare --help` (what ``_help.TOP_HELP`` keeps), from a
    fresh process with no terminal, as the console script prints it into a pipe."""
    import subprocess
    import sys

    code = "import sys; from plancompare.cli import build_app; build_app()(['--help'], prog_name='plancompare')"
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout


def write_help_module(path: str | os.PathLike[str]) -> None:
    """Regenerate ``_help.py`` from typer's rendering."""
    from ..io import atomic_write

    atomic_write(path, '"""`plancompare --help` as typer renders it, answered without importing typer (regenerated by\n'
                 '``python -m plancompare.regen``; tests/test_architecture.py checks it is current)."""\n\n'
                 f"TOP_HELP = {render_top_help()!r}\n")
