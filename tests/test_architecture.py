"""The library core never imports the CLI's libraries, and the CLI starts without the heavy ones."""

from __future__ import annotations

import subprocess

import pytest
import sys

CORE = ["plancompare.parse", "plancompare.align", "plancompare.store", "plancompare.lineage", "plancompare.gate",
        "plancompare.views.gaps", "plancompare.views.report", "plancompare.scale.batch", "plancompare.scale.survey", "plancompare.synth", "plancompare.synth.national"]


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


def test_json_diff_of_two_text_files_imports_neither_typer_nor_pydantic():
    """`plancompare diff A B --format json` (the console script's main) runs on the fast path: cli/fast.py,
    the models on modelbase's light base; the typer command stays for everything else."""
    from _corpus import FILES, RAW

    code = (f"import sys; sys.argv = ['plancompare', 'diff', {str(RAW / FILES['146'])!r}, {str(RAW / FILES['tanlap'])!r}, '--format', 'json']\n"
            "import contextlib, io\nfrom plancompare.cli import main\nbuf = io.StringIO()\n"
            "try:\n    with contextlib.redirect_stdout(buf):\n        main()\nexcept SystemExit as e:\n    assert e.code in (0, None), e.code\n"
            "assert buf.getvalue().startswith('{')\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'typer', 'click', 'rich', 'pydantic', 'pydantic_core'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "[]\n"


def test_cli_package_imports_nothing_heavy():
    mods = _modules_after("import plancompare.cli")
    assert not {m.split(".")[0] for m in mods} & {"typer", "click", "pydantic", "rich", "rapidfuzz"}


def test_batch_and_survey_modules_import_no_table_library_until_used():
    mods = _modules_after("import plancompare.scale.batch, plancompare.scale.survey, plancompare.align.prepared")
    assert not {m.split(".")[0] for m in mods} & {"pandas", "pyarrow", "dask", "distributed", "datasketch", "typer", "rich"}


# ---------------------------------------------------------------- the packages and what each may import
import ast  # noqa: E402
from pathlib import Path  # noqa: E402

PKG = Path(__file__).resolve().parents[1] / "src" / "plancompare"
BASE = {"models", "modelbase", "normalize", "errors", "io", "i18n"}
# what each package may import (besides the shared modules in BASE); the package docstrings say the same
MAY_IMPORT = {
    "parse": set(),
    "align": {"parse"},
    "store": {"parse", "align"},
    "lineage": {"parse", "align", "store"},
    "gate": {"parse", "align", "store", "lineage"},
    "views": {"align", "__version__"},
    "scale": {"parse", "align", "store", "lineage"},
    "synth": {"parse"},
    "schemas": {"align", "store", "lineage", "gate", "views", "scale", "synth"},
}


def _imports_of(package: str) -> set[str]:
    """The top-level plancompare modules and packages that the modules of ``package`` import."""
    out: set[str] = set()
    for f in (PKG / package).rglob("*.py"):
        here = list(f.relative_to(PKG.parent).parts[:-1])
        for n in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if not isinstance(n, ast.ImportFrom):
                continue
            if n.level == 0:
                parts = (n.module or "").split(".")
                if parts[0] != "plancompare":
                    continue
                parts = parts[1:]
            else:
                base = here[: len(here) - (n.level - 1)]
                parts = (base + (n.module.split(".") if n.module else []))[1:] or [a.name for a in n.names][:1]
            if parts and parts[0] != package:
                out.add(parts[0])
    return out


@pytest.mark.parametrize("package", sorted(MAY_IMPORT))
def test_each_package_imports_only_what_it_may(package):
    extra = _imports_of(package) - BASE - MAY_IMPORT[package]
    assert not extra, f"plancompare.{package} imports {sorted(extra)}; its docstring and MAY_IMPORT say what it may import"


@pytest.mark.parametrize("package", sorted([*MAY_IMPORT, "cli"]))
def test_each_package_says_what_it_owns_and_may_import(package):
    doc = ast.get_docstring(ast.parse((PKG / package / "__init__.py").read_text(encoding="utf-8"))) or ""
    assert "may import" in doc.lower() and ("owns" in doc.lower()), f"plancompare.{package}: the docstring must say what it owns and may import"


def test_no_flat_module_left_where_a_package_answers_the_question():
    flat = {p.stem for p in PKG.glob("*.py")}
    assert flat <= {"__init__", "__main__", "models", "modelbase", "normalize", "errors", "io", "i18n", "regen"}, sorted(flat)


# ---------------------------------------------------------------- modules and functions sized to be read at once
MAX_FUNCTION_LINES = 60  # a function in named steps fits on a screen
MAX_MODULE_LINES = 800  # a module answers one question


def _checked_modules() -> list[Path]:
    """Every module of the package: none is exempt (scale/batch.py and align/ were the last ones split)."""
    return sorted(PKG.rglob("*.py"))


def test_no_function_longer_than_a_screen():
    long = []
    for f in _checked_modules():
        for n in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.end_lineno - n.lineno + 1 > MAX_FUNCTION_LINES:
                long.append(f"{f.relative_to(PKG)}:{n.lineno} {n.name} ({n.end_lineno - n.lineno + 1} lines)")
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines (split them into named steps): {long}"


def test_no_module_longer_than_one_question():
    long = [f"{f.relative_to(PKG)} ({n} lines)" for f in _checked_modules() if (n := len(f.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES]
    assert not long, f"modules over {MAX_MODULE_LINES} lines (split them by question): {long}"


def test_synth_drafts_keeps_its_old_import_path():
    """synth.drafts was split into modules; every public name it had is still importable from it and from synth."""
    import plancompare.synth as synth
    import plancompare.synth.drafts as drafts

    old = ["LAYOUTS", "STYLES", "OPS", "KIND_ORDER", "SYNTHETIC_MARKER", "EditMix", "ChildTask", "ChildSection", "ChildPlan", "Draft",
           "plan_draft", "render", "make_draft", "write_pair", "truth_norm", "opening_key", "MIN_KEY_WORDS", "localize", "soften", "narrow",
           "extend", "retarget", "reword", "typo", "reformat", "split_sentences", "split_clauses", "DETECTED_LAYOUT", "VN_LETTERS",
           "LOCALIZE_RULES", "SOFTEN_START", "SOFTEN_ANY", "SYNONYMS", "EXTEND_POOL", "ADD_POOL", "SECTION_TOPICS", "PLACES", "SIGNERS",
           "SECOND_OPS", "APPLY_ORDER", "KIND_OF"]
    assert [n for n in old if not hasattr(drafts, n)] == []
    assert [n for n in drafts.__all__ if not hasattr(synth, n)] == []
