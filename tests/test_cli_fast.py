"""The fast diff path (cli/fast.py, models on modelbase's light base) writes what the typer
command writes, reads the diff command's own options, and leaves everything else to typer."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from _corpus import FILES, RAW, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from plancompare.cli import fast
from plancompare.modelbase import (
    ConfigDict,
    Field,
    LightModel,
    field_validator,
    json_float,
)

SRC = str(Path(fast.__file__).resolve().parents[2])


def _pairs() -> list[tuple[str, str]]:
    """The golden diffs' pairs and each synthetic layout pair of tests/pairs (text files only)."""
    out = [(str(RAW / FILES[p]), str(RAW / FILES[c])) for p, c in (("146", "tanlap"), ("283", "146"), ("57", "hd"), ("03", "tn"))]
    for truth in sorted((ROOT / "tests" / "pairs").glob("*/truth.yaml")):
        head = dict(line.split(": ", 1) for line in truth.read_text(encoding="utf-8").splitlines()[:2] if ": " in line)
        if "parent_file" in head and "child_file" in head and head["child_file"].endswith((".txt", ".md")):
            pair = (ROOT / head["parent_file"], ROOT / head["child_file"])
            if all(f.exists() for f in pair):  # the hand-labelled real pairs read ../shared/realdocs, absent on a bare clone
                out.append((str(pair[0]), str(pair[1])))
    return out


P146, TANLAP = str(RAW / FILES["146"]), str(RAW / FILES["tanlap"])
OPTION_CASES = [["--format", "csv"], ["--format=md"], ["-f", "JSON", "--only", "changed,related"], ["--body-only", "-f", "json"],
                ["--appendix", "--format", "json", "--all"], ["--format", "md", "--only", "dropped", "--ocr", "never"]]


def _cases() -> list[list[str]]:
    cases = [[p, c, "--format", "json"] for p, c in _pairs()]
    return cases + [[P146, TANLAP, *opts] for opts in OPTION_CASES] + [["--only", "added", P146, "-f", "csv", TANLAP]]


_RUN_FAST = """
import contextlib, io, json, sys
from plancompare.cli import fast
out = []
for args in json.loads(sys.argv[1]):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        done = fast.diff(args)
    out.append([done, buf.getvalue()])
heavy = sorted({m.split('.')[0] for m in sys.modules} & {'pydantic', 'pydantic_core', 'typer', 'click', 'rich'})
print(json.dumps({"runs": out, "heavy": heavy}))
"""


@pytest.fixture(scope="module")
def fast_runs():
    env = {**os.environ, "PYTHONPATH": SRC}
    env.pop("PLANCOMPARE_FAST", None)
    res = subprocess.run([sys.executable, "-c", _RUN_FAST, json.dumps(_cases())], capture_output=True, text=True, check=True, env=env, cwd=ROOT)
    return json.loads(res.stdout)


def _typer_output(args: list[str]) -> str:
    from typer.testing import CliRunner

    from plancompare.cli import build_app

    res = CliRunner().invoke(build_app("diff"), ["diff", *args])
    assert res.exit_code == 0, res.output
    return res.stdout


def test_fast_path_imports_neither_typer_nor_pydantic(fast_runs):
    assert all(done for done, _ in fast_runs["runs"])
    assert fast_runs["heavy"] == []


@pytest.mark.parametrize("i", range(len(_cases())))
def test_fast_path_writes_what_the_typer_command_writes(fast_runs, i):
    args = _cases()[i]
    done, text = fast_runs["runs"][i]
    assert done
    assert text == _typer_output(args), args


def test_fast_json_is_the_golden_diff(fast_runs):
    golden = ROOT / "tests" / "golden" / "diff__dak-lak_146-KH-UBND_2025-06-25__dak-lak_tan-lap_KH-UBND_2025.json"
    got = json.loads(fast_runs["runs"][0][1])
    want = json.loads(golden.read_text(encoding="utf-8"))
    assert got["summary"] == want["summary"] and len(got["pairs"]) == len(want["pairs"])


def test_fast_options_are_the_diff_commands():
    """Names, flags and defaults of the fast path's options are those of the typer command."""
    import typer.main

    from plancompare.cli import build_app
    from plancompare.cli.diff_cmd import STATUSES

    cmd = typer.main.get_command(build_app("diff")).commands["diff"]
    values, flags, defaults = {}, {}, {}
    for p in cmd.params:
        if p.param_type_name != "option":
            continue
        defaults[p.name] = None if p.default is None else (str(p.default) if isinstance(p.default, Path) else p.default)
        if p.is_flag and p.secondary_opts:
            flags.update({o: (p.name, True) for o in p.opts} | {o: (p.name, False) for o in p.secondary_opts})
        elif p.is_flag:
            flags.update({o: (p.name, True) for o in p.opts})
        else:
            values.update({o: p.name for o in p.opts})
    assert values == fast.VALUE_OPTIONS
    assert flags == fast.FLAG_OPTIONS
    assert defaults == fast.DEFAULTS
    assert STATUSES == fast.STATUSES


@pytest.mark.parametrize("args", [
    [P146, TANLAP],  # the terminal table
    [P146, TANLAP, "--help"], [P146, TANLAP, "-f", "json", "--out", "x.json"], [P146, "-f", "json", "--parents", TANLAP, P146],
    [P146, TANLAP, "-fjson"], [P146, TANLAP, "-f=json"], [P146, TANLAP, "--all=yes", "-f", "json"], [P146, TANLAP, "--format", "yaml"], [P146, TANLAP, "-f", "json", "--only", "moved"],
    [P146, TANLAP, "-f", "json", "--ocr", "sometimes"], ["146", "tan-lap", "-f", "json"], [P146, "-f", "json"],
    [P146, TANLAP, "-f", "json", "--", "x"], [P146, TANLAP, "-f", "json", "--format"], [P146, TANLAP, "-f", "json", "--verbose"],
    [P146, str(ROOT / "data" / "parsed" / "x.json"), "-f", "json"],
])
def test_fast_path_leaves_the_rest_to_typer(args):
    read = fast.read_args(args)
    assert read is None or fast._plan(read[1], read[0]) is None


def test_an_error_on_the_fast_path_is_reported_by_the_typer_command(tmp_path):
    """A limit hit while parsing: the same message and exit code as the typer command's."""
    env = {**os.environ, "PYTHONPATH": SRC, "PLANCOMPARE_MAX_FILE_MB": "0.001"}
    cmd = [sys.executable, "-m", "plancompare", "diff", P146, TANLAP, "--format", "json"]
    fast_run = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    typer_run = subprocess.run(cmd, capture_output=True, text=True, env={**env, "PLANCOMPARE_FAST": "0"}, check=False)
    assert fast_run.returncode == typer_run.returncode != 0
    assert fast_run.stderr == typer_run.stderr and "too large" in fast_run.stderr
    assert fast_run.stdout == typer_run.stdout == ""


def test_a_gap_of_the_light_base_is_run_again_by_typer_in_a_fresh_process():
    """Should the light base fail on some input, the console script's diff still writes the
    typer command's output (from a fresh interpreter with pydantic models)."""
    code = ("import sys; sys.argv = ['plancompare', 'diff', sys.argv[1], sys.argv[2], '--format', 'json']\n"
            "from plancompare import modelbase\n"
            "def broken(self, **kw):\n    raise TypeError('a gap of the light base')\n"
            "modelbase.LightModel.model_dump_json = broken\n"
            "from plancompare.cli import main\nmain()")
    env = {**os.environ, "PYTHONPATH": SRC}
    env.pop("PLANCOMPARE_FAST", None)
    res = subprocess.run([sys.executable, "-c", code, P146, TANLAP], capture_output=True, text=True, env=env, check=False)
    assert res.returncode == 0, res.stderr
    assert res.stdout == _typer_output([P146, TANLAP, "--format", "json"])


# ------------------------------------------------------------------ the light base against pydantic

def _deadline(cls, v):
    return v.strip() if isinstance(v, str) else v


def _twins(base, config, field, validator):
    """The same two models on a base: the light one or pydantic's."""

    class Inner(base):
        model_config = config(extra="forbid")
        x: float
        note: str | None = field(None, description="d")

    class Outer(base):
        model_config = config(extra="forbid")
        name: str
        score: float = 0.0
        value: float | None = None
        count: int = field(0, ge=0)
        tags: list[str] = field(default_factory=list)
        inner: list[Inner] = field(default_factory=list)
        extra: dict[str, int] = field(default_factory=dict)
        flag: bool = False
        _strip = validator("name", mode="before")(classmethod(_deadline))

    return Inner, Outer


def _pydantic_twins():
    from pydantic import BaseModel
    from pydantic import ConfigDict as PC
    from pydantic import Field as PF
    from pydantic import field_validator as pv

    return _twins(BaseModel, PC, PF, pv)


LightInner, LightOuter = _twins(LightModel, ConfigDict, Field, field_validator)
INNER, OUTER = _pydantic_twins()
floats = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**6, 10**6), st.sampled_from([1e-5, 1.5e-5, -2e-5, 1e-7, 1e16, 1e15, 0.0, -0.0]))
texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=20) | st.sampled_from(["Sở Khoa học và Công nghệ", "\x00\x1f\x7f\u2028\"\\", "đạt ≥ 1,0% GRDP"])


@settings(max_examples=300, deadline=None)
@given(name=texts, score=floats, value=st.none() | floats, count=st.integers(0, 2**40), tags=st.lists(texts, max_size=3),
       inner=st.lists(st.tuples(floats, st.none() | texts), max_size=3), extra=st.dictionaries(texts, st.integers(), max_size=3), flag=st.booleans(), indent=st.sampled_from([None, 2]))
def test_light_model_writes_pydantics_json(name, score, value, count, tags, inner, extra, flag, indent):
    light = LightOuter(name=name, score=score, value=value, count=count, tags=tags, inner=[LightInner(x=x, note=n) for x, n in inner], extra=extra, flag=flag)
    real = OUTER(name=name, score=score, value=value, count=count, tags=tags, inner=[INNER(x=x, note=n) for x, n in inner], extra=extra, flag=flag)
    assert light.model_dump_json(indent=indent) == real.model_dump_json(indent=indent)
    assert light.model_copy(update={"count": 1}).model_dump_json() == real.model_copy(update={"count": 1}).model_dump_json()


@settings(max_examples=500, deadline=None)
@given(st.floats())
def test_json_float_is_pydantics(x):
    from pydantic_core import to_json

    assert json_float(x) == to_json(x, inf_nan_mode="null").decode()  # as models write it
    if math.isfinite(x):
        assert float(json_float(x)) == x


def test_light_model_defaults_copy_and_frozen():
    a, b = LightOuter(name=" a "), LightOuter(name="a")
    assert a == b and a.name == "a" and a.tags == [] and a.tags is not b.tags
    assert isinstance(LightInner(x=1).x, float)
    with pytest.raises(TypeError):
        LightInner()
    with pytest.raises(TypeError):
        LightInner(x=1.0, y=2)

    class Frozen(LightModel):
        model_config = ConfigDict(frozen=True)
        v: int = 1

    with pytest.raises(TypeError):
        Frozen().v = 2
    assert hash(Frozen()) == hash(Frozen()) and {Frozen(): 1}[Frozen()] == 1


def test_light_base_is_refused_once_a_model_is_built_on_pydantic():
    import plancompare.models
    from plancompare import modelbase

    assert modelbase.use_light() is False and modelbase.is_light() is False
    from pydantic import BaseModel

    assert issubclass(plancompare.models.Task, BaseModel)


_LIGHT_FIELDS = """
import json, sys
from plancompare import modelbase
assert modelbase.use_light()
import importlib
out = {}
for mod in sys.argv[1].split(","):
    m = importlib.import_module(mod)
    for name, cls in vars(m).items():
        if isinstance(cls, type) and issubclass(cls, modelbase.LightModel) and cls.__module__ == mod:
            out[f"{mod}.{name}"] = [[f, None if d is modelbase._MISSING else repr(d), getattr(fac, "__name__", None), flt]
                                    for f, (d, fac, flt) in cls.__light_fields__.items()]
print(json.dumps(out))
"""
MODEL_MODULES = ["plancompare.models", "plancompare.align.models", "plancompare.align.settings", "plancompare.parse.limits", "plancompare.parse.ocr"]


def test_every_model_has_the_same_fields_and_defaults_on_both_bases():
    """Field names, their order, defaults, default factories and float fields read by the light
    base are pydantic's, for every model the fast path builds."""
    import importlib

    from pydantic import BaseModel
    from pydantic_core import PydanticUndefined

    env = {**os.environ, "PYTHONPATH": SRC}
    light = json.loads(subprocess.run([sys.executable, "-c", _LIGHT_FIELDS, ",".join(MODEL_MODULES)], capture_output=True, text=True, check=True, env=env).stdout)
    want = {}
    for mod in MODEL_MODULES:
        for name, cls in vars(importlib.import_module(mod)).items():
            if isinstance(cls, type) and issubclass(cls, BaseModel) and cls.__module__ == mod:
                want[f"{mod}.{name}"] = [[f, None if info.default is PydanticUndefined else repr(info.default),
                                          getattr(info.default_factory, "__name__", None), info.annotation in (float, float | None)]
                                         for f, info in cls.model_fields.items()]
    assert len(want) >= 20
    assert light == want
