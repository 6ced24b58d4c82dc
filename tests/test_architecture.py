"""The library core never imports the CLI's libraries, and the CLI starts without the heavy ones."""

from __future__ import annotations

import subprocess
import sys

CORE = ["plancompare.parse", "plancompare.align", "plancompare.corpus", "plancompare.lineage", "plancompare.check",
        "plancompare.gaps", "plancompare.report", "plancompare.batch", "plancompare.survey", "plancompare.synth", "plancompare.national"]


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "; import sys; print('\\n'.join(sys.modules))"], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_core_modules_do_not_import_typer_or_rich():
    mods = _modules_after("; ".join(f"import {m}" for m in CORE))
    assert not {m for m in mods if m.split(".")[0] in ("typer", "rich", "click")}


def test_diff_path_does_not_import_heavy_modules():
    mods = _modules_after("import plancompare.cli, plancompare.parse, plancompare.align")
    heavy = {"pandas", "pyarrow", "dask", "distributed", "openpyxl", "docx", "pdfplumber", "lxml", "datasketch", "rich"}
    assert not {m.split(".")[0] for m in mods} & heavy


def test_top_help_is_typers_own_and_needs_no_typer():
    """`plancompare --help` is answered from _help.py without importing typer; the text is what typer prints."""
    from plancompare.cli import render_top_help
    from plancompare.cli._help import TOP_HELP

    assert TOP_HELP == render_top_help(), "stale src/plancompare/cli/_help.py: run python -m plancompare.regen"
    out = subprocess.run([sys.executable, "-c", "import sys; sys.argv = ['plancompare', '--help']\nfrom plancompare.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass\nprint('typer' in sys.modules, 'pydantic' in sys.modules)"],
                         capture_output=True, text=True, check=True).stdout
    assert out == TOP_HELP + "False False\n"


def test_cli_package_imports_nothing_heavy():
    mods = _modules_after("import plancompare.cli")
    assert not {m.split(".")[0] for m in mods} & {"typer", "click", "pydantic", "rich", "rapidfuzz"}


def test_batch_and_survey_modules_import_no_table_library_until_used():
    mods = _modules_after("import plancompare.batch, plancompare.survey, plancompare.align.prepared")
    assert not {m.split(".")[0] for m in mods} & {"pandas", "pyarrow", "dask", "distributed", "datasketch", "typer", "rich"}
