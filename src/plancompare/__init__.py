"""plancompare: parse Vietnamese government plans and compare each with the plan above it.

Python API (every function returns pydantic models that serialise themselves)::

    from plancompare import parse_file, compare
    parent = parse_file("data/raw/dak-lak_146-KH-UBND_2025-06-25.txt")
    child = parse_file("data/raw/dak-lak_tan-lap_KH-UBND_2025.txt")
    result = compare(parent, child)          # a Comparison
    print(result.summary.coverage)
    result.model_dump_json()                 # the same JSON as `plancompare diff --format json`
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from .align import compare, compare_many
    from .parse import load, parse_file, parse_text

_LAZY = {"parse_file": "parse", "parse_text": "parse", "load": "parse", "compare": "align", "compare_many": "align"}


def __getattr__(name: str) -> Any:  # lazy imports keep `plancompare --help` fast
    if name in _LAZY:
        import importlib

        mod = importlib.import_module(f".{_LAZY[name]}", __name__)
        return getattr(mod, name)
    raise AttributeError(name)


__all__ = ["parse_file", "parse_text", "load", "compare", "compare_many", "__version__"]
