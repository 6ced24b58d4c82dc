"""`plancompare diff CHILD --parents P1 P2 ...`: attribute each child task to the parent it came from."""

from __future__ import annotations

from pathlib import Path

from .common import emit


def run_multi(child: Path, parents: list[Path], fmt: str, out: Path | None, statuses: list[str] | None, appendix: bool | None) -> None:
    from ..lineage import attribute
    from ..parse import load

    result = attribute(load(child), [load(p) for p in parents], include_appendix=appendix).only(statuses)
    if fmt == "json":
        emit(result.to_json(), out)
    elif fmt == "csv":
        emit(result.to_csv(), out, csv=True)
    elif fmt == "md":
        emit(result.to_markdown(), out)
    else:
        from .render_lineage import render_attribution

        if out is not None:
            from io import StringIO

            from .common import console as _file_console

            buf = StringIO()
            render_attribution(result, _file_console(file=buf, width=160, force_terminal=False))
            emit(buf.getvalue(), out)
        else:
            render_attribution(result)
