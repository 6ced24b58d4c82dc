"""Many comparisons in one process: a parent prepared once, and ``compare_many``.

A notebook or a server that compares many plans should not pay a process start per pair
(Python, pydantic, the models: most of a `plancompare diff`), nor re-read and re-tokenise
the same parent for each of its children::

    from plancompare.align import compare_many
    for cmp in compare_many([(province, commune) for commune in communes]):
        print(cmp.child.number, cmp.summary.coverage)

or, holding on to one parent::

    from plancompare.align import PreparedParent, compare
    pp = PreparedParent(province_doc)
    results = [compare(province_doc, c, prepared=pp) for c in commune_docs]

The results are identical to :func:`~plancompare.align.compare` without preparation (the
parent's words get the same token ids: they start the vocabulary either way).
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..models import ParsedDocument, Task, TaskScope
from .confidence import warm
from .core import compare, stock_masks
from .models import Comparison
from .text import Prepared, Vocab, prepare


class PreparedParent:
    """A parent plan's task texts split, keyed and numbered once, for many comparisons.

    Only the first alignment group of a comparison (the body tasks, or the tasks of a
    plan that lists them only in a table) starts the vocabulary, so only it is kept; an
    appendix group compared separately is prepared as usual. Thread-compatible for reading
    (each comparison gets copies), not for concurrent first use."""

    def __init__(self, doc: ParsedDocument) -> None:
        self.doc = doc
        self.texts: dict[str, Prepared] = {}  # the child task texts met so far: their words, kept (text.prepare)
        self._memo: dict[tuple[str, ...], tuple[dict[str, int], list[Prepared]]] = {}

    def tokens(self, tasks: list[Task]) -> tuple[Vocab, list[Prepared]]:
        """A fresh vocabulary that starts with these tasks' words, and their prepared copies."""
        k = tuple(t.id for t in tasks)
        hit = self._memo.get(k)
        if hit is None:
            v = Vocab()
            ps = prepare([t.text for t in tasks], "p", v, [t.key for t in tasks])
            for p in ps:  # facts of the words alone, computed once here: every copy below shares them
                warm(p)
                p.masked_key  # noqa: B018  (computed and kept on the task: see text._LazyMasked)
                p.__dict__["_runs"] = {}  # the word runs it shares with the child texts it meets (core._runs), for later children
            masks = tuple(stock_masks(ps))  # the stock clauses of these tasks (the merge/split step), with each task's place
            for n, p in enumerate(ps):
                p.__dict__["_stock"] = (masks, n)
            hit = self._memo[k] = (dict(v.ids), ps)
        ids, ps = hit
        vocab = Vocab()
        vocab.ids = dict(ids)
        # a comparison sets weights and shifts indices on its own copies; token lists are shared (read only)
        return vocab, [_copy(p) for p in ps]


def _copy(p: Prepared) -> Prepared:
    """A shallow copy of a prepared task (what copy.copy makes of it, without the pickle protocol's detour)."""
    x = object.__new__(Prepared)
    x.__dict__.update(p.__dict__)
    return x


def _doc(x: Any, cache: "OrderedDict[str, ParsedDocument]", size: int) -> ParsedDocument:
    if isinstance(x, ParsedDocument):
        return x
    from ..parse import load

    key = str(Path(x).resolve())
    doc = cache.get(key)
    if doc is None:
        doc = cache[key] = load(x)
        while len(cache) > size:
            cache.popitem(last=False)
    else:
        cache.move_to_end(key)
    return doc


def compare_many(pairs: Iterable[tuple[Any, Any]], *, settings: dict | None = None, include_appendix: bool | None = None,
                 other_records: bool = False, cache_size: int = 16, scope: TaskScope | str | None = None) -> Iterator[Comparison]:
    """Compare each (parent, child) of ``pairs``, in order, in this process.

    Each side is a :class:`~plancompare.models.ParsedDocument` or a path (any file
    :func:`plancompare.parse.load` reads; parsed once and kept while it is among the
    ``cache_size`` most recently used). Each parent is prepared once while it is among
    the ``cache_size`` most recently used parents. Errors are raised as by
    :func:`~plancompare.align.compare` (for one pair: wrap the loop to go on). ``scope`` as in
    :func:`~plancompare.align.compare` (``include_appendix`` is the older keyword for it)."""
    sc = TaskScope.of(scope if scope is not None else include_appendix)
    docs: OrderedDict[str, ParsedDocument] = OrderedDict()
    preps: OrderedDict[int, PreparedParent] = OrderedDict()
    for p, c in pairs:
        parent = _doc(p, docs, cache_size)
        child = _doc(c, docs, cache_size)
        pp = preps.get(id(parent))
        if pp is None or pp.doc is not parent:
            pp = preps[id(parent)] = PreparedParent(parent)
            while len(preps) > cache_size:
                preps.popitem(last=False)
        else:
            preps.move_to_end(id(parent))
        yield compare(parent, child, settings=settings, scope=sc, other_records=other_records, prepared=pp)


__all__ = ["PreparedParent", "compare_many"]
