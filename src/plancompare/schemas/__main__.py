"""``python -m plancompare.schemas [folder]``: write the JSON Schemas of every model (default ``schemas/``)."""

import sys

from . import write

for p in write(sys.argv[1] if len(sys.argv) > 1 else "schemas"):
    print(p)
