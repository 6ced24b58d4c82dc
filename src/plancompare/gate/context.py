"""What every rule reads: the draft, its parent, their comparison (each parent task's links and outcome), the config and the selectors resolved."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable
from ..align.models import Comparison, Pair, Status
from .settings import DEFAULT as CHECK
from ..errors import ConfigError
from ..models import ParsedDocument, find_tasks
from ..store import PARSED_SUFFIX, PLAN_SUFFIXES, Corpus, DocHeader, plan_files
from ..normalize import key as text_key
from ..normalize import number_key
from ..normalize import shorten as _short
from ..align.carried import parent_outcomes
from ..i18n import fmt_date, gettext_for, ngettext_for
from .config import TaskSelector, Waiver, CheckConfig
from .result import first_words, _pct


# ====================================================================== corpus


def corpus_headers_from_dir(folder: str | Path, *, on_file: Callable[[Path], None] | None = None, on_error: Callable[[Path, Exception], None] | None = None) -> list[DocHeader]:
    """The documents of a corpus folder (raw files or parsed JSON) as the parent resolver reads them.

    Read by the corpus store (:meth:`plancompare.store.Corpus.scan`, writing nothing): the same
    files as ``corpus scan`` and ``batch``, the folder's manifest applied, and the records of a
    store beside it (``parsed/``) reused for unchanged files. Unreadable files are reported to
    ``on_error`` and skipped; a folder with none readable is an empty corpus."""
    from ..errors import InputError, MissingFileError

    p = Path(folder)
    if not p.is_dir():
        raise MissingFileError(f"{p}: no such folder", path=str(p))
    try:
        corpus = Corpus.scan(p, write=False, parsed=True, on_file=on_file, on_error=on_error)
    except MissingFileError:
        raise
    except InputError:  # no plan file, or none readable (each reported)
        return []
    return corpus.headers()


def corpus_numbers_from_dir(folder: str | Path, *, on_file: Callable[[Path], None] | None = None, on_error: Callable[[Path, Exception], None] | None = None) -> set[str]:
    """Number keys (:func:`plancompare.normalize.number_key`) of the plans in a
    folder (only documents present count, not those they cite)."""
    return {k for k in (number_key(h.document.number) for h in corpus_headers_from_dir(folder, on_file=on_file, on_error=on_error)) if k}


CORPUS_SUFFIXES = (*PLAN_SUFFIXES, PARSED_SUFFIX)


def corpus_files(folder: str | Path) -> list[Path]:
    """The plan files of a corpus folder, parsed JSON too (:func:`plancompare.store.plan_files`)."""
    p = Path(folder)
    return plan_files(p, parsed=True) if p.is_dir() else []


# ====================================================================== the check


class _Ctx:
    def __init__(self, draft: ParsedDocument, parent: ParsedDocument, cmp: Comparison, cfg: CheckConfig, today: dt.date, lang: str = "en") -> None:
        self.draft, self.parent, self.cmp, self.cfg, self.today, self.lang = draft, parent, cmp, cfg, today, lang
        self._ = gettext_for(lang)
        self.n_ = ngettext_for(lang)
        self.d_tasks = {t.id: t for t in draft.tasks}
        self.p_tasks = {t.id: t for t in parent.tasks}
        self.d_sections = {s.id: s for s in draft.sections}
        self.compared: list[str] = []  # parent task ids in the comparison, in order
        self.pairs_of: dict[str, list[Pair]] = {}
        self.status: dict[str, Status] = {}
        self.carried: dict[str, bool] = {}
        for o in parent_outcomes(cmp):  # the one definition of "carried": plancompare.align.carried
            self.compared.append(o.parent_id)
            self.pairs_of[o.parent_id] = o.pairs
            self.status[o.parent_id] = o.status
            self.carried[o.parent_id] = o.carried
        self.waived: dict[str, Waiver] = {}  # active waivers by parent task id
        self.expired: dict[str, Waiver] = {}
        self.waiver_tasks: list[tuple[int, Waiver, list[str]]] = []
        self._where: dict[str | None, tuple[str | None, int | None]] = {}

    def date(self, d: dt.date) -> str:
        return fmt_date(d, self.lang)

    def pct(self, x: float, digits: int = 0) -> str:
        return _pct(x, self.lang, digits)

    def words(self, pid: str, n: int = CHECK.message_words) -> str:
        """The first words of a parent task (for messages and test-case names)."""
        t = self.p_tasks.get(pid)
        return first_words(t.text, n) if t else ""

    def pline(self, pid: str) -> int | None:
        t = self.p_tasks.get(pid)
        return t.line_start if t else None

    def psection(self, pid: str) -> str | None:
        t = self.p_tasks.get(pid)
        return t.section_path if t else None

    def draft_place(self, pid: str) -> tuple[str | None, int | None]:
        """Where in the draft a parent task's section went: (draft section path, line of
        its heading). The draft section that holds most of the carried tasks of the same
        parent section; its heading line, or (heading lost) the first of those tasks' lines."""
        sec = self.psection(pid)
        if sec in self._where:
            return self._where[sec]
        votes: dict[str, list[int]] = {}
        for qid in self.compared:
            if self.psection(qid) != sec or not self.carried[qid]:
                continue
            for pr in self.pairs_of[qid]:
                t = self.d_tasks.get(pr.child.id) if pr.child is not None else None
                if t is not None and t.section_id:
                    votes.setdefault(t.section_id, []).append(t.line_start)
        place: tuple[str | None, int | None] = (None, None)
        if votes:
            sid = max(votes, key=lambda k: (len(votes[k]), -min(votes[k])))
            ds = self.d_sections.get(sid)
            line = ds.line if ds is not None and ds.line else min(votes[sid])
            place = (ds.path if ds is not None else sid.removeprefix("S:"), line)
        self._where[sec] = place
        return place

    def line(self, draft_id: str | None) -> int | None:
        t = self.d_tasks.get(draft_id or "")
        return t.line_start if t else None

    def ptext(self, pid: str) -> str:
        t = self.p_tasks.get(pid)
        return _short(t.text, 80) if t else ""

    def pname(self, pid: str) -> str:
        return pid[2:] if pid.startswith("T:") else pid

    def resolve(self, sel: TaskSelector, where: str) -> list[str]:
        """Parent task ids a selector names; ConfigError when none or ambiguous."""
        src = self.cfg.source
        tasks = self.parent.tasks
        pname = self.parent.document.label
        if sel.task:
            ref = sel.task.strip()
            hits = find_tasks(tasks, ref)
            if not hits:
                raise ConfigError(f"{src}: {where}.task: '{ref}' matches no task of the parent {pname}", path=src)
            if len(hits) > 1:
                raise ConfigError(f"{src}: {where}.task: '{ref}' is ambiguous in the parent {pname} ({', '.join(t.path for t in hits[:4])}{', …' if len(hits) > 4 else ''}); give the full path", path=src)
        elif sel.text:
            k = text_key(sel.text)
            hits = [t for t in tasks if t.key.startswith(k)] if k else []
            if not hits:
                raise ConfigError(f"{src}: {where}.text: no task of the parent {pname} starts with '{_short(sel.text, 60)}'", path=src)
        else:
            s = (sel.section or "").strip().removeprefix("S:")
            hits = [t for t in tasks if t.section_path and (t.section_path == s or t.section_path.startswith(s + "."))]
            if not hits:
                raise ConfigError(f"{src}: {where}.section: '{s}' has no tasks in the parent {pname}", path=src)
        ids = [t.id for t in hits]
        outside = [i for i in ids if i not in self.pairs_of]
        if outside and len(outside) == len(ids):
            raise ConfigError(f"{src}: {where}: {self.pname(outside[0])} is an appendix task but only body tasks are compared (set compare.appendix: always)", path=src)
        return [i for i in ids if i in self.pairs_of]
