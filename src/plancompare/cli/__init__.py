"""The `plancompare` command. One module per command group; each only parses
arguments, calls the library (plancompare.parse, plancompare.align, ...) and
renders the result."""

from __future__ import annotations

import os

# The CLI uses no pydantic plugins; looking for them scans the entry points of every installed
# distribution (about 0.1 s with dask and pyarrow installed). A user who wants plugins sets the
# variable themselves.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from typing import Annotated  # noqa: E402

import typer  # noqa: E402

from .common import OneLineGroup, State  # noqa: E402

# command name -> the module that registers it (each module's register(app) adds its commands)
COMMANDS = {
    "parse": "parse_cmd",
    "diff": "diff_cmd",
    "corpus": "corpus_cmd", "chain": "corpus_cmd", "trace": "corpus_cmd", "siblings": "corpus_cmd", "dropped": "corpus_cmd", "indicators": "corpus_cmd",
    "check": "check_cmd", "gaps": "check_cmd", "report": "check_cmd",
    "batch": "batch_cmd", "survey": "batch_cmd", "synth": "batch_cmd",
}


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(__version__)
        raise typer.Exit(0)


def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show the full traceback on errors.")] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.", is_eager=True, callback=_version)] = False,
) -> None:
    State.debug = debug


def build_app(only: str | None = None) -> typer.Typer:
    """The CLI with every command, or (``only``) with the one module that holds that command:
    typer converts every registered command's parameters on each call, so the console script
    registers just the command it runs."""
    import importlib

    application = typer.Typer(
        name="plancompare",
        help="Parse Vietnamese government plans and compare each plan with the plan above it.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        cls=OneLineGroup,
    )
    application.callback()(_root)
    modules = dict.fromkeys(COMMANDS.values()) if only is None else {COMMANDS[only]: None}
    for mod in modules:
        importlib.import_module(f".{mod}", __name__).register(application)
    return application


app = build_app()


def main() -> None:
    import sys

    from .common import ClosedStream, err

    if sys.stdout is None:  # started with stdout closed ('>&-'): writing data is an output error
        sys.stdout = ClosedStream()  # type: ignore[assignment]
    if sys.stderr is None:  # messages have nowhere to go: dropped, the exit code still tells
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    name = next((a for a in sys.argv[1:] if not a.startswith("-")), None)
    code: int | str | None = 0
    try:
        (build_app(name) if name in COMMANDS else app)(prog_name="plancompare")
    except SystemExit as e:
        code = e.code
    try:  # what is still buffered: a full disk or /dev/full shows here at the latest
        sys.stdout.flush()
    except BrokenPipeError:  # 'plancompare diff A B | head': a reader that stops early is not an error
        _quiet_stdout()
    except (OSError, ValueError) as e:
        err(f"plancompare: error: stdout: cannot write ({getattr(e, 'strerror', None) or e})")
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
