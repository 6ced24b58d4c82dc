"""What a batch run did: :class:`BatchReport` (kept in the manifest as ``last_run``)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from ..io import Table, markdown_view
from .common import _M


class PhaseTimes(_M):
    discover: float = 0.0
    scan: float = 0.0
    resolve: float = 0.0
    align: float = 0.0
    tables: float = 0.0
    total: float = 0.0


class BatchReport(_M):
    """What `plancompare batch` did (also kept in the manifest as ``last_run``)."""

    FORMATS: ClassVar[tuple[str, ...]] = ("table", "json", "md")  # the CLI's --format values (cli/output.py)

    corpus: str
    out: str
    engine: str
    workers: int
    files: int
    documents: int = Field(description="Files read as plans.")
    parse_errors: int
    parsed: int = Field(description="Files parsed by this run (others came from the cache).")
    scan_chunks_run: int
    scan_chunks_reused: int
    align_chunks_run: int
    align_chunks_reused: int
    comparisons: int = Field(description="Comparisons made by this run.")
    compared_plans: int = Field(description="Plans with a parent in the corpus (aligned now or before).")
    pairs: int = Field(description="Rows of the pairs table.")
    tasks_aligned: int = Field(description="Parent + child tasks of the comparisons made by this run.")
    roots: int
    tops: list[str] = Field(description="Top documents (roots and national-level documents with children).")
    orphans: int = Field(description="Plans below national level whose parent is not in the corpus.")
    tables_written: bool
    tables: dict[str, str]
    seconds: PhaseTimes
    worker_seconds: dict[str, float] = Field(default_factory=dict, description="Summed over workers: load (parse or cache), compare, write.")
    worker_peak_rss_mb: dict[str, float] = Field(default_factory=dict, description="Peak resident memory of each worker process of this run (MB, by pid; 'main' for in-process work).")
    main_peak_rss_mb: float = Field(0.0, description="Peak resident memory of the process that ran the batch (MB).")
    csv: bool = Field(False, description="CSV tables written beside the Parquet ones (--csv).")
    repaired: list[str] = Field(default_factory=list, description="Files that failed verification against the manifest's checksums and were redone.")

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)

    def rows(self) -> list[tuple[str, str]]:
        s = self.seconds
        return [
            ("corpus", self.corpus), ("results", self.out), ("engine", f"{self.engine} ({self.workers} workers)"),
            ("plans", f"{self.documents} of {self.files} files ({self.parse_errors} unreadable)"),
            ("parsed now", str(self.parsed)),
            ("scan chunks", f"{self.scan_chunks_run} run, {self.scan_chunks_reused} reused"),
            ("align chunks", f"{self.align_chunks_run} run, {self.align_chunks_reused} reused"),
            ("comparisons now", str(self.comparisons)), ("plans with a parent", str(self.compared_plans)), ("pair rows", str(self.pairs)),
            ("top documents", ", ".join(self.tops) or "—"), ("orphans", str(self.orphans)),
            ("tables", ("written" if self.tables_written else "unchanged") + (" (Parquet and CSV)" if self.csv else " (Parquet)")),
            ("verification", f"{len(self.repaired)} files failed and were redone" if self.repaired else "every file matched its checksum"),
            ("peak memory", f"main {self.main_peak_rss_mb:.0f} MB; workers " + (", ".join(f"{v:.0f}" for v in self.worker_peak_rss_mb.values()) + " MB" if self.worker_peak_rss_mb else "—")),
            ("seconds", f"total {s.total:.1f} (scan {s.scan:.1f}, resolve {s.resolve:.1f}, align {s.align:.1f}, tables {s.tables:.1f})"),
        ]

    def to_tables(self) -> list[Table]:
        """The terminal view: one two-column table of :meth:`rows`."""
        return [Table("plancompare batch", ("", ""), self.rows())]

    @markdown_view
    def to_markdown(self) -> str:
        return "| | |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in self.rows()) + "\n"
