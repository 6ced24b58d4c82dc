"""`plancompare diff PARENT CHILD --format json|csv|md` without typer or pydantic.

The diff of two plan files written to stdout is the command people run most, and the whole
process is its cost: importing typer and pydantic is more than half of it. When the
arguments are ones this module reads with certainty — the options of ``diff_cmd.diff``
(the same names and defaults; tests/test_cli_fast.py compares them with the typer
command), two existing text files (.txt, .md), a JSON, CSV or Markdown view on stdout — the
command runs here with the models on the light base (see :mod:`plancompare.modelbase`) and
writes what the library's ``to_json`` / ``to_csv`` / ``to_markdown`` return, byte for byte
what the typer command writes. Anything else (``--help``, ``--out``, ``--parents``, short
names looked up in the corpus, other formats, a value typer would reject, ``-fjson``)
goes to the typer command, as does any error: nothing has been written then, and typer's
command reports it as it always does (an error that is not the plans' own — a gap of the light
base — in a fresh interpreter on pydantic models). ``PLANCOMPARE_FAST=0`` turns the fast path off.
"""

from __future__ import annotations

import os
import sys
from typing import Any

# the options of `plancompare diff` (cli/diff_cmd.py) and what this path accepts of them
VALUE_OPTIONS = {"--format": "format", "-f": "format", "--out": "out", "-o": "out", "--only": "only", "--parents": "parents",
                 "--ocr": "ocr", "--corpus": "corpus", "-C": "corpus", "--lang": "lang"}
FLAG_OPTIONS = {"--appendix": ("appendix", True), "--body-only": ("appendix", False), "--all": ("all_records", True)}
DEFAULTS: dict[str, Any] = {"format": None, "out": None, "only": None, "parents": None, "ocr": "auto", "corpus": "data/raw",
                            "lang": None, "appendix": None, "all_records": False}
STATUSES = ("copied", "changed", "dropped", "added", "related")  # align.models.STATUS_NAMES and related (dropped/added tasks shown with a weak counterpart), literal: this path imports no model (tests/test_cli_fast.py keeps them equal); diff_cmd --only reads it too
FORMATS = ("json", "csv", "md")
TEXT_SUFFIXES = (".txt", ".md")


def read_args(args: list[str]) -> tuple[list[str], dict[str, Any]] | None:
    """(positional arguments, options) of a diff command line, or None when it holds anything
    this path does not read exactly as click would."""
    opts = dict(DEFAULTS)
    positional: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        name, eq, value = a.partition("=") if a.startswith("--") else (a, "", "")  # click reads '-f=json' as the value '=json'
        if a in FLAG_OPTIONS:
            key, val = FLAG_OPTIONS[a]
            opts[key] = val
        elif name in VALUE_OPTIONS and (eq or i + 1 < len(args)):
            if not eq:
                i += 1
                value = args[i]
            opts[VALUE_OPTIONS[name]] = value
        elif a.startswith("-"):  # --help, '--', '-fjson', an unknown option: typer's to answer
            return None
        else:
            positional.append(a)
        i += 1
    return positional, opts


def _statuses(only: str | None) -> list[str] | None:
    """diff_cmd.parse_only's reading of --only (None when it would reject a value)."""
    if not only:
        return []
    vals = [v.strip().lower() for v in only.split(",") if v.strip()]
    return vals if all(v in STATUSES for v in vals) else None


def _plan(opts: dict[str, Any], positional: list[str]) -> dict[str, Any] | None:
    """What to run, when this path can run it."""
    fmt = (opts["format"] or "table").lower()
    statuses = _statuses(opts["only"])
    files = [p for p in positional if os.path.isfile(p) and os.path.splitext(p)[1].lower() in TEXT_SUFFIXES]
    if fmt not in FORMATS or statuses is None or opts["out"] is not None or opts["parents"] is not None \
            or opts["ocr"] not in ("auto", "always", "never") or len(positional) != 2 or len(files) != 2:
        return None
    return {"format": fmt, "statuses": statuses or None, "files": files, "ocr": opts["ocr"],
            "appendix": opts["appendix"], "all_records": opts["all_records"]}


def _render(plan: dict[str, Any]) -> tuple[str, list[str]]:
    """The view's text and the notes for stderr (legacy encodings converted), as diff_cmd writes them."""
    from .. import modelbase

    modelbase.use_light()
    from ..align import compare
    from ..models import TaskScope
    from ..parse import load
    from ..parse.ocr import use_ocr

    with use_ocr(mode=plan["ocr"]):
        pdoc, cdoc = (load(f) for f in plan["files"])
    notes = [f"plancompare: note: {d.document.source_file}: {p.message}" for d in (pdoc, cdoc) for p in d.problems if p.code == "legacy_encoding_converted"]
    result = compare(pdoc, cdoc, scope=TaskScope.of(plan["appendix"]), other_records=plan["all_records"])
    view = result.only(plan["statuses"])
    if plan["format"] == "json":
        return view.to_json(), notes
    if plan["format"] == "csv":
        return "\ufeff" + view.to_csv(), notes
    return view.to_markdown(), notes


def diff(args: list[str], *, fresh_process: bool = False) -> bool:
    """Run `plancompare diff ARGS` here when it can be (True: done, the output written);
    False: the typer command is to run it. An error of the plans (a domain error) is left to
    the typer command in this process; any other error, with ``fresh_process`` (the console
    script's main), to the typer command in a fresh interpreter, where the models are
    pydantic's whatever went wrong here."""
    if os.environ.get("PLANCOMPARE_FAST") == "0":
        return False
    read = read_args(args)
    plan = _plan(read[1], read[0]) if read else None
    if plan is None:
        return False
    import gc

    from ..errors import PlanCompareError

    gc.disable()  # a short process that frees little: collecting would only cost time
    try:
        text, notes = _render(plan)
    except KeyboardInterrupt:
        sys.stderr.write("plancompare: interrupted\n")
        raise SystemExit(130) from None
    except PlanCompareError:  # the typer command runs it again and reports the error its usual way
        return False
    except Exception:
        from .. import modelbase

        if fresh_process and modelbase.is_light():
            _typer_in_fresh_process(args)
        return False
    finally:
        gc.enable()
    if notes:
        from ..io import strip_controls

        sys.stderr.write("".join(strip_controls(n.rstrip(), keep_newlines=False) + "\n" for n in notes))
    try:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    except BrokenPipeError:  # 'plancompare diff A B | head': not an error (as in the typer command)
        pass
    return True


def _typer_in_fresh_process(args: list[str]) -> None:
    """Replace this process by `python -m plancompare diff ARGS` with the fast path off."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.environ["PLANCOMPARE_FAST"] = "0"
    os.execv(sys.executable, [sys.executable, "-m", "plancompare", "diff", *args])
