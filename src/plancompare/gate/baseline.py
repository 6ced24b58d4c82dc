"""Baselines (a config that waives every current drop) and the drafts changed in git."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from .config import TODO_REASON, CheckConfig
from .result import CheckResult


# ====================================================================== baseline and git


def baseline_yaml(results: list[CheckResult], existing: str | None = None, *, expires: dt.date, source: str = "plancheck.yaml", today: dt.date | None = None) -> tuple[str, int]:
    """A config that waives every parent task the drafts leave out today, each with
    ``reason: "TODO"`` and an expiry date (a linter's baseline): the team adopts the
    gate on an existing draft, and from then on only new drops fail. ``existing``:
    the YAML of a config to extend (its keys are kept; tasks it already waives are not
    repeated). Returns (YAML text, number of waivers added)."""
    import json

    import yaml

    data: dict[str, Any] = {}
    if existing is not None and existing.strip():
        loaded = yaml.safe_load(existing)
        CheckConfig.from_dict(loaded, source)  # valid before it is extended
        data = dict(loaded or {})
    waivers = list(data.get("waivers") or [])
    have = {str(w.get("task") or "").removeprefix("T:") for w in waivers if isinstance(w, dict)}
    new: list[tuple[str, str, str]] = []  # (path, words, draft)
    for r in results:
        for t in r.tasks:
            if t.status in ("copied", "changed") or t.verdict != "fail" or "dropped" not in t.rules:
                continue
            if t.path in have:
                continue
            have.add(t.path)
            new.append((t.path, t.words, r._draft_name()))
    header = [
        "# plancheck baseline: written by `plancompare check --write-config` on " + (today or dt.date.today()).isoformat() + ".",
        "# Every parent task the draft leaves out today is waived with reason TODO until " + expires.isoformat() + ":",
        "# write the real reason for each (check warns while a reason is TODO), or put the task back.",
        "# From now on only new drops fail. Every key: examples/plancheck.yaml.",
    ]
    if data:
        data["waivers"] = waivers + [{"task": p, "reason": TODO_REASON, "expires": expires} for p, _w, _d in new]
        body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
        return "\n".join(header) + "\n" + body, len(new)
    lines = header + ["version: 1", "waivers:" + (" []" if not new else "")]
    for p, words, draft in new:
        lines.append(f"  - task: {json.dumps(p, ensure_ascii=False)}  # {words} (left out by {draft})")
        lines.append(f'    reason: "{TODO_REASON}"')
        lines.append(f"    expires: {expires.isoformat()}")
    return "\n".join(lines) + "\n", len(new)


def changed_files(base: str, cwd: str | Path = ".") -> set[Path]:
    """Files changed between ``base`` and HEAD (``git diff --name-only BASE...HEAD``), as
    resolved absolute paths. UsageError when git is missing or the range is unknown."""
    import subprocess

    from ..errors import UsageError

    def git(*args: str) -> str:
        try:
            r = subprocess.run(["git", *args], cwd=str(cwd), capture_output=True, text=True, timeout=60)
        except FileNotFoundError:
            raise UsageError("--changed-only: git is not installed") from None
        if r.returncode != 0:
            msg = (r.stderr.strip().splitlines() or ["git failed"])[-1]
            raise UsageError(f"--changed-only {base}: {msg}")
        return r.stdout

    top = Path(git("rev-parse", "--show-toplevel").strip())
    names = git("diff", "--name-only", f"{base}...HEAD").splitlines()
    return {(top / n).resolve() for n in names if n.strip()}


__all__ = ["baseline_yaml", "changed_files"]
