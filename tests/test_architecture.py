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
