"""Regenerate every checked-in generated file: ``python -m plancompare.regen``.

* ``data/parsed/<name>.json`` — the parser's output for every file in ``data/raw/``
  (the corpus golden files: ``tests/test_corpus_golden.py`` checks they are current);
* ``schemas/*.json`` — JSON Schemas of the models;
* ``tests/golden/*.json`` — comparisons of the corpus pairs;
* ``src/plancompare/cli/_help.py`` — `plancompare --help` as typer renders it (answered without typer);
* the marked regions of ``README.md`` and ``docs/*.md`` (``python -m plancompare.regen docs``
  does only these; ``--check`` rewrites nothing and exits 1 naming the regions that are stale,
  which tests/test_output.py runs). A region is

      <!-- regen:exit-codes -->...<!-- /regen:exit-codes -->   the exit code table (errors.EXIT_CODES)
      <!-- regen:formats -->...<!-- /regen:formats -->         each command's --format values
      <!-- regen:run [head=N] [stderr] plancompare ARGS... -->...<!-- /regen:run -->

  the second one: the real output of the command, run in the repository on its corpus
  (``head=N``: its first N lines, then "…"; ``stderr``: the messages too, after the data).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

GOLDEN_PAIRS = [
    ("dak-lak_146-KH-UBND_2025-06-25.txt", "dak-lak_tan-lap_KH-UBND_2025.txt"),
    ("dak-lak_283-KH-TU_2025-05-22.txt", "dak-lak_146-KH-UBND_2025-06-25.txt"),
    ("central_03-NQ-CP_2025-01-09.md", "thai-nguyen_25-KH-UBND_2025-01-24.txt"),
    ("central_57-NQ-TW_2024-12-22.md", "hai-duong_CTr-TU_2025.txt"),
]


def raw_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "data" / "raw").iterdir() if p.is_file() and not p.name.startswith("."))


def golden_name(parent: str, child: str) -> str:
    return f"diff__{Path(parent).stem}__{Path(child).stem}.json"


def main(root: str | Path = ".") -> None:
    from . import schemas
    from .align import compare
    from .io import atomic_write
    from .parse import parse_file

    root = Path(root)
    docs = {}
    for f in raw_files(root):
        doc = parse_file(f)
        docs[f.name] = doc
        atomic_write(root / "data" / "parsed" / f"{f.stem}.json", doc.model_dump_json(indent=2) + "\n")
        print(f"data/parsed/{f.stem}.json")
    schemas.write(root / "schemas")
    print("schemas/")
    for p, c in GOLDEN_PAIRS:
        if p in docs and c in docs:
            atomic_write(root / "tests" / "golden" / golden_name(p, c), compare(docs[p], docs[c]).to_json() + "\n")
            print(f"tests/golden/{golden_name(p, c)}")
    from .cli import write_help_module

    write_help_module(Path(__file__).parent / "cli" / "_help.py")
    print("src/plancompare/cli/_help.py")
    for name in regen_docs(root):
        print(name)


# ====================================================================== docs

_REGION = re.compile(r"(<!-- regen:(?P<name>[\w-]+)(?P<args>[^>]*?)-->\n)(?P<body>.*?)(<!-- /regen:(?P=name) -->)", re.S)
SAMPLE_COLUMNS = 110  # terminal width of the samples


def doc_files(root: Path) -> list[Path]:
    return [root / "README.md", *sorted((root / "docs").glob("*.md"))]


def exit_code_table() -> str:
    from .errors import EXIT_CODES

    return "| exit code | meaning |\n|---|---|\n" + "".join(f"| {code} | {meaning} |\n" for code, meaning in EXIT_CODES.items())


def command_sample(spec: str, root: Path) -> str:
    """A console block: ``$ plancompare ARGS`` and what the command prints, run in ``root``."""
    words = shlex.split(spec)
    at = words.index("plancompare")
    opts, args = words[:at], words[at + 1:]
    head = next((int(o.split("=", 1)[1]) for o in opts if o.startswith("head=")), None)
    env = {k: v for k, v in os.environ.items() if k not in ("PLANCOMPARE_LANG", "LINES", "FORCE_COLOR")}
    env.update(COLUMNS=str(SAMPLE_COLUMNS), NO_COLOR="1", PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    run = subprocess.run([sys.executable, "-m", "plancompare", *args], cwd=root, capture_output=True, text=True, env=env)
    if run.returncode == 70:  # a bug, not a sample: write nothing rather than a sample of the crash
        raise RuntimeError(f"plancompare {' '.join(args)}: {run.stderr.strip()}")
    lines = (run.stdout + (run.stderr if "stderr" in opts else "")).rstrip("\n").split("\n")
    if head is not None and len(lines) > head:
        lines = [*lines[:head], "…"]
    shown = "plancompare " + " ".join(shlex.quote(a) for a in args)
    return "```console\n$ " + shown + "\n" + "\n".join(line.rstrip() for line in lines) + "\n```\n"


def format_table() -> str:
    """Each command and the --format values it takes (default first), read from the CLI itself."""
    import typer.main

    from .cli import build_app
    from .cli.output import FORMAT_HELP

    rows = []

    def walk(group: object, prefix: str) -> None:
        for name, cmd in sorted(getattr(group, "commands", {}).items()):
            if hasattr(cmd, "commands"):
                walk(cmd, f"{prefix}{name} ")
                continue
            opt = next((p for p in cmd.params if p.name == "format"), None)
            if opt is None:
                continue
            text = " ".join((opt.help or "").split())
            listed = re.findall(r"(\w+) \(", text.split("Default:")[0])
            default = text.split("Default: ", 1)[1].rstrip(".")
            ordered = [default, *(f for f in listed if f != default)]
            assert set(listed) <= set(FORMAT_HELP), listed
            rows.append(f"| `{prefix}{name}` | " + ", ".join(f"`{f}`" for f in ordered) + " |")

    walk(typer.main.get_command(build_app()), "")
    return "| command | `--format` (default first) |\n|---|---|\n" + "\n".join(rows) + "\n"


def _region_text(name: str, args: str, root: Path) -> str:
    if name == "exit-codes":
        return exit_code_table()
    if name == "formats":
        return format_table()
    if name == "run":
        return command_sample(args.strip(), root)
    raise ValueError(f"unknown regen region {name!r}")


def regen_docs(root: str | Path = ".", *, check: bool = False) -> list[str]:
    """Rewrite every marked region from real output (``check``: rewrite nothing); the regions that
    were (or, with ``check``, would be) changed, as 'FILE: NAME ARGS'."""
    from .io import atomic_write

    root = Path(root)
    changed: list[str] = []
    for path in doc_files(root):
        text = path.read_text(encoding="utf-8")

        def fill(m: re.Match[str], path: Path = path) -> str:
            body = _region_text(m["name"], m["args"], root)
            if body != m["body"]:
                changed.append(f"{path.relative_to(root)}: {m['name']}{m['args'].rstrip()}")
            return m.group(1) + body + m.group(5)

        new = _REGION.sub(fill, text)
        if new != text and not check:
            atomic_write(path, new)
    return changed


def _cli(argv: list[str]) -> int:
    if argv[:1] == ["docs"]:
        check = "--check" in argv[1:]
        stale = regen_docs(".", check=check)
        for name in stale:
            print(("stale: " if check else "") + name, file=sys.stderr if check else sys.stdout)
        if check and stale:
            print("run: python -m plancompare.regen docs", file=sys.stderr)
            return 1
        return 0
    main()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(_cli(sys.argv[1:]))
