"""Regenerate every checked-in generated file: ``python -m plancompare.regen``.

* ``data/parsed/<name>.json`` — the parser's output for every file in ``data/raw/``
  (the corpus golden files: ``tests/test_corpus_golden.py`` checks they are current);
* ``schemas/*.json`` — JSON Schemas of the models;
* ``tests/golden/*.json`` — comparisons of the corpus pairs;
* ``src/plancompare/cli/_help.py`` — `plancompare --help` as typer renders it (answered without typer).
"""

from __future__ import annotations

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


if __name__ == "__main__":  # pragma: no cover
    main()
