"""The check's configuration: the ``plancheck.yaml`` models (rules, protected tasks, waivers) and their one-line errors."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path
from typing import Any, Literal
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator
from .settings import DEFAULT as CHECK
from ..errors import ConfigError
from ..i18n import N_


RULES = ("dropped", "weakened", "coverage", "protected", "waivers", "targets", "deadlines", "assignments", "duplicates", "references")

RULE_TITLES = {
    "dropped": N_("Every parent task the draft leaves out is waived"),
    "weakened": N_("Softened and narrowed parent tasks (warnings)"),
    "coverage": N_("Minimum coverage of the parent's tasks"),
    "protected": N_("Protected parent tasks are not dropped or softened"),
    "waivers": N_("Waived tasks: reasons and expiry dates"),
    "targets": N_("Numeric targets not weaker than the parent's"),
    "deadlines": N_("Deadlines not later than the parent's"),
    "assignments": N_("Every assigned task has a lead agency and a deadline"),
    "duplicates": N_("No duplicate tasks"),
    "references": N_("Every cited document is in the corpus or listed as external"),
}

TODO_REASON = "TODO"
BASELINE_DAYS = CHECK.baseline_days

RELATIONS = ("implements", "basis", "replaces", "amends", "mentions")


# ====================================================================== config


class _C(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _share(v: Any) -> Any:
    """0.9, 90% or '90%' -> 0.9; anything else outside 0..1 is an error."""
    if isinstance(v, bool):
        raise ValueError(f"must be a share between 0 and 1 or a percentage like '90%' (got {v!r})")
    if isinstance(v, str):
        s = v.strip()
        try:
            v = float(s[:-1].strip().replace(",", ".")) / 100 if s.endswith("%") else float(s.replace(",", "."))
        except ValueError:
            raise ValueError(f"must be a share between 0 and 1 or a percentage like '90%' (got {s!r})") from None
    if not isinstance(v, (int, float)) or not 0 <= v <= 1:
        raise ValueError(f"must be a share between 0 and 1 or a percentage like '90%' (got {v!r})")
    return float(v)


def _enabled_shorthand(v: Any) -> Any:
    """``duplicates: false`` is short for ``duplicates: {enabled: false}``."""
    if isinstance(v, bool):
        return {"enabled": v}
    if v is None:
        return {}
    return v


class TaskSelector(_C):
    """Names parent tasks: exactly one of ``task`` (id, path or label path:
    'T:II.1.i', 'II.1.i', '1.i'), ``text`` (a prefix of the task text, compared on
    normalised keys, so tone placement and case do not matter) or ``section``
    (every task under a parent section path, 'II.6')."""

    task: str | None = None
    text: str | None = None
    section: str | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> "TaskSelector":
        given = [k for k in ("task", "text", "section") if getattr(self, k) not in (None, "")]
        allowed = self._allowed()
        if len(given) != 1:
            raise ValueError(f"give exactly one of {', '.join(allowed)}" + (f" (got {', '.join(given)})" if given else ""))
        if given[0] not in allowed:
            raise ValueError(f"give exactly one of {', '.join(allowed)} (got {given[0]})")
        return self

    def _allowed(self) -> tuple[str, ...]:
        return ("task", "text", "section")

    def describe(self) -> str:
        if self.task:
            return f"task {self.task}"
        if self.text:
            return f"text '{self.text}'"
        return f"section {self.section}"


ForbiddenChange = Literal["dropped", "softened", "narrowed", "retargeted", "changed"]


class ProtectedTask(TaskSelector):
    """A parent task (or tasks) the draft must keep: by default neither dropped nor softened."""

    forbid: list[ForbiddenChange] = Field(default_factory=lambda: ["dropped", "softened"], min_length=1)
    note: str | None = None


class Waiver(TaskSelector):
    """A parent task the draft may leave out, why, and until when (inclusive)."""

    reason: str
    expires: dt.date

    def _allowed(self) -> tuple[str, ...]:
        return ("task", "text")

    @field_validator("reason")
    @classmethod
    def _reason(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("a waiver needs a reason")
        return v.strip()


class CompareSettings(_C):
    """Which tasks are compared. ``auto``: appendix task tables are included when
    both plans have one (so that their deadlines and leads are compared), else
    only body tasks (a side without body tasks uses its appendix)."""

    appendix: Literal["auto", "always", "never"] = "auto"


class DroppedRule(_C):
    """Strict by default: every parent task the draft does not carry fails the check
    unless an active waiver covers it. ``enabled: false`` relaxes the gate (then only
    ``coverage`` minimums and ``protected`` tasks guard against drops);
    ``exempt_sections`` lets the tasks of some parent sections be dropped."""

    enabled: bool = True
    exempt_sections: list[str] = Field(default_factory=list, description="Parent section paths ('II.8') whose tasks may be left out; reported as notes.")


class WeakenedRule(_C):
    """Carried parent tasks that the draft softened or narrowed: warnings by default."""

    enabled: bool = True
    kinds: list[Literal["softened", "narrowed", "retargeted"]] = Field(default_factory=lambda: ["softened", "narrowed"], min_length=1)
    severity: Literal["warn", "fail"] = "warn"


class CoverageRule(_C):
    enabled: bool = True
    overall: float | None = None
    per_section: float | None = None
    sections: dict[str, float] = Field(default_factory=dict)

    @field_validator("overall", "per_section", mode="before")
    @classmethod
    def _shares(cls, v: Any) -> Any:
        return None if v is None else _share(v)

    @field_validator("sections", mode="before")
    @classmethod
    def _sections(cls, v: Any) -> Any:
        if isinstance(v, dict):
            return {str(k): _share(x) for k, x in v.items()}
        return v


class TargetsRule(_C):
    enabled: bool = True
    severity: Literal["warn", "fail"] = Field("warn", description="A weaker target is a warning (default) or fails the check.")
    default_direction: Literal["at_least", "at_most", "ignore"] = Field("at_least", description="Direction of a number with no wording around it ('100% máy tính').")
    years: Literal["later_is_weaker", "ignore"] = "later_is_weaker"
    removed: Literal["fail", "ignore"] = Field("fail", description="A percentage or a worded minimum/maximum that the draft removes.")
    indicators: bool = True
    tolerance: float = Field(0.0, ge=0)


class DeadlinesRule(_C):
    enabled: bool = True
    open_ended: Literal["fail", "ignore"] = Field("ignore", description="The draft says 'Thường xuyên' / 'Hằng năm' where the parent has a date.")


class AssignmentsRule(_C):
    enabled: bool = True
    require: list[Literal["lead", "deadline"]] = Field(default_factory=lambda: ["lead", "deadline"], min_length=1)
    scope: Literal["appendix", "all"] = "appendix"


class DuplicatesRule(_C):
    enabled: bool = True


class ReferencesRule(_C):
    enabled: bool = True
    corpus: str | None = Field(None, description="Folder of plans the citations resolve against (relative to the config file); --corpus overrides.")
    external: list[str] = Field(default_factory=list, description="Numbers of cited documents that are not in the corpus ('71/NQ-CP').")
    relations: list[Literal["implements", "basis", "replaces", "amends", "mentions"]] = Field(default_factory=lambda: list(RELATIONS), min_length=1)


class CheckConfig(_C):
    """The whole ``plancheck.yaml``. Every key is optional; see examples/plancheck.yaml."""

    version: Literal[1] = 1
    compare: CompareSettings = Field(default_factory=CompareSettings)
    dropped: DroppedRule = Field(default_factory=DroppedRule)
    weakened: WeakenedRule = Field(default_factory=WeakenedRule)
    coverage: CoverageRule = Field(default_factory=CoverageRule)
    protected: list[ProtectedTask] = Field(default_factory=list)
    waivers: list[Waiver] = Field(default_factory=list)
    targets: TargetsRule = Field(default_factory=TargetsRule)
    deadlines: DeadlinesRule = Field(default_factory=DeadlinesRule)
    assignments: AssignmentsRule = Field(default_factory=AssignmentsRule)
    duplicates: DuplicatesRule = Field(default_factory=DuplicatesRule)
    references: ReferencesRule = Field(default_factory=ReferencesRule)

    _source: str = PrivateAttr("plancheck.yaml")
    _base: Path | None = PrivateAttr(None)

    @field_validator("compare", "dropped", "weakened", "coverage", "targets", "deadlines", "assignments", "duplicates", "references", mode="before")
    @classmethod
    def _shorthand(cls, v: Any) -> Any:
        return _enabled_shorthand(v)

    @field_validator("protected", "waivers", mode="before")
    @classmethod
    def _lists(cls, v: Any) -> Any:
        return [] if v is None else v

    # ------------------------------------------------------------ loading

    @classmethod
    def from_dict(cls, data: Any, source: str = "plancheck.yaml", base: Path | None = None) -> "CheckConfig":
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise ConfigError(f"{source}: the file must hold a mapping of rule names to settings (got {type(data).__name__})", path=source)
        try:
            cfg = cls.model_validate(data)
        except ValidationError as e:
            raise ConfigError(f"{source}: {_one_line(e, data)}", path=source) from None
        cfg._source = source
        cfg._base = base
        return cfg

    @classmethod
    def from_yaml_text(cls, text: str, source: str = "plancheck.yaml", base: Path | None = None) -> "CheckConfig":
        import yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            where = f"line {mark.line + 1}: " if mark is not None else ""
            problem = getattr(e, "problem", None) or str(e).splitlines()[0]
            raise ConfigError(f"{source}: {where}not valid YAML ({problem})", path=source) from None
        except RecursionError:
            raise ConfigError(f"{source}: not valid YAML (nested too deeply)", path=source) from None
        except ValueError as e:  # a scalar YAML resolves but Python refuses: 'expires: 2025-02-30'
            raise ConfigError(f"{source}: a value cannot be read ({e}; dates are written like 2025-12-31)", path=source) from None
        try:
            return cls.from_dict(data, source, base)
        except RecursionError:
            raise ConfigError(f"{source}: the settings are nested too deeply", path=source) from None

    @classmethod
    def from_yaml(cls, path: str | Path) -> "CheckConfig":
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise ConfigError(f"{p}: no such file", path=str(p)) from None
        except UnicodeDecodeError:
            raise ConfigError(f"{p}: not UTF-8 text", path=str(p)) from None
        except OSError as e:
            raise ConfigError(f"{p}: cannot read ({e.strerror or e})", path=str(p)) from None
        return cls.from_yaml_text(text, str(p), p.parent)

    @property
    def source(self) -> str:
        return self._source

    def corpus_dir(self) -> Path | None:
        """The ``references.corpus`` folder. A path in a config file stays inside the config's
        folder (a shared config cannot make the tool read /etc or a home folder); any other
        folder is given on the command line (``--corpus``)."""
        if not self.references.corpus:
            return None
        p = Path(self.references.corpus)
        if self._base is None:
            return p
        base = self._base.resolve()
        full = (base / p).resolve()
        if p.is_absolute() or not full.is_relative_to(base):
            raise ConfigError(
                f"{self._source}: references.corpus '{self.references.corpus}' is outside the config's folder {self._base}; give that folder with --corpus instead",
                path=self._source,
            )
        return self._base / p


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def _allowed_keys(data: Any, loc: tuple[Any, ...]) -> list[str]:
    """Field names allowed where an unknown key was found."""
    model: Any = CheckConfig
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        f = getattr(model, "model_fields", {}).get(part)
        if f is None:
            return []
        ann = f.annotation
        args = getattr(ann, "__args__", ())
        model = next((a for a in (ann, *args) if isinstance(a, type) and issubclass(a, BaseModel)), None)
        if model is None:
            return []
    return list(getattr(model, "model_fields", {}))


def _one_line(e: ValidationError, data: Any) -> str:
    errs = e.errors(include_url=False)
    first = errs[0]
    loc = tuple(first["loc"])
    typ = first["type"]
    msg = first["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if typ == "extra_forbidden":
        allowed = _allowed_keys(data, loc)
        near = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        msg = "unknown key" + (f" (did you mean '{near[0]}'?)" if near else (f" (allowed: {', '.join(allowed)})" if allowed else ""))
    elif typ == "missing":
        msg = "required key missing"
    elif typ in ("literal_error", "enum"):
        msg = msg.replace("Input should be", "must be") + f" (got {first.get('input')!r})"
    elif typ.startswith("date"):
        msg = f"must be a date like 2025-12-31 (got {first.get('input')!r})"
    elif typ in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        want = {"list_type": "a list", "dict_type": "a mapping", "model_type": "a mapping", "model_attributes_type": "a mapping"}[typ]
        msg = f"must be {want} (got {type(first.get('input')).__name__})"
    elif msg.startswith("Input should be"):
        msg = msg.replace("Input should be", "must be", 1) + f" (got {first.get('input')!r})"
    more = f" (and {len(errs) - 1} more error{'s' if len(errs) > 2 else ''})" if len(errs) > 1 else ""
    return f"{_loc(loc)}: {msg}{more}"
