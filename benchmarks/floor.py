"""The physical floor of a national batch: read every plan, NFC-normalise it, split it into words.

Run:  python benchmarks/floor.py CORPUS_DIR        (prints JSON: files, characters, words, CPU seconds)

Whatever `plancompare batch` does on top (structure, records, alignment, tables) is measured
against this, in the same run (benchmarks/bench_batch.py): one process, no parallelism, the
same files as the batch finds (plancompare.scale.batch.discover).
"""

from __future__ import annotations

import json
import re
import sys
import time
import unicodedata
from pathlib import Path

WORD = re.compile(r"\w+")


def floor(corpus: str | Path) -> dict:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    from plancompare.scale.batch import discover

    root = Path(corpus)
    files = discover(root)
    t = time.process_time()
    chars = words = 0
    for rel in files:
        text = unicodedata.normalize("NFC", (root / rel).read_bytes().decode("utf-8", errors="replace"))
        chars += len(text)
        words += len(WORD.findall(text.lower()))
    cpu = time.process_time() - t
    return {"files": len(files), "chars": chars, "words": words, "cpu_seconds": round(cpu, 3)}


if __name__ == "__main__":
    print(json.dumps(floor(sys.argv[1])))
