"""The `plancompare` command. One module per command group; each only parses
arguments, calls the library (plancompare.parse, plancompare.align, ...) and
renders the result."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import State

app = typer.Typer(
    name="plancompare",
    help="Parse Vietnamese government plans and compare each plan with the plan above it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show the full traceback on errors.")] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    State.debug = debug
    if version:
        from .. import __version__

        typer.echo(__version__)
        raise typer.Exit(0)


from . import diff_cmd, parse_cmd  # noqa: E402  (registers the commands)

parse_cmd.register(app)
diff_cmd.register(app)

for _mod in ("corpus_cmd", "check_cmd", "batch_cmd"):
    try:  # command groups added by later modules register themselves if present
        import importlib

        importlib.import_module(f".{_mod}", __name__).register(app)
    except ModuleNotFoundError as _e:
        if _e.name != f"{__name__}.{_mod}":
            raise


def main() -> None:
    app(prog_name="plancompare")
