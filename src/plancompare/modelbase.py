"""The base the record and result models are built on.

Normally pydantic's: ``BaseModel``, ``ConfigDict``, ``Field`` and ``field_validator`` are
pydantic's own, and every model is a pydantic model. A process that only turns two plans
into the diff's JSON, CSV or Markdown and then exits (the CLI's fast path, ``plancompare.cli.fast``)
may ask for the *light* base instead, before anything imports the models: the same class
definitions (one model per fact) are then built on :class:`LightModel`, which has the part
of pydantic's interface that the parser, the aligner and the diff's views use — keyword
construction with defaults and default factories, ``mode="before"`` field validators,
int-to-float coercion of float fields, frozen models, ``model_copy``, ``model_dump`` and a
``model_dump_json`` that writes byte for byte what pydantic writes. Nothing is validated in
that mode (the same code runs validated under pydantic in the library and in the tests, which
compare both outputs), and importing pydantic — about half the cost of a whole diff — is
avoided.

Owns the choice of base; imports no other plancompare module.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from enum import Enum
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

_light = False
_pydantic_given = False  # some model is already built on pydantic: the light base is no longer an option


def use_light() -> bool:
    """Build the models that are imported from now on on :class:`LightModel`; True when that
    holds (False when a model was already built on pydantic: all stay pydantic models, so
    that light and pydantic models never mix)."""
    global _light
    if _pydantic_given:
        return False
    _light = True
    return True


def is_light() -> bool:
    return _light


def base() -> tuple[Any, Any, Any, Any]:
    """(BaseModel, ConfigDict, Field, field_validator) of the chosen base."""
    global _pydantic_given
    if _light:
        return LightModel, ConfigDict, Field, field_validator
    _pydantic_given = True
    from pydantic import BaseModel as PydanticModel
    from pydantic import ConfigDict as PydanticConfig
    from pydantic import Field as PydanticField
    from pydantic import field_validator as pydantic_validator

    return PydanticModel, PydanticConfig, PydanticField, pydantic_validator


# ---------------------------------------------------------------------------------- the light base

_MISSING: Any = object()


class FieldInfo:
    __slots__ = ("default", "default_factory")

    def __init__(self, default: Any = _MISSING, default_factory: Callable[[], Any] | None = None) -> None:
        self.default = default
        self.default_factory = default_factory


def Field(default: Any = _MISSING, *, default_factory: Callable[[], Any] | None = None, **_constraints: Any) -> Any:
    """A field's default (constraints and descriptions are pydantic's business)."""
    return FieldInfo(default, default_factory)


def ConfigDict(**config: Any) -> dict[str, Any]:
    return config


class _Validator:
    __slots__ = ("fields", "func", "mode")

    def __init__(self, fields: tuple[str, ...], func: Any, mode: str) -> None:
        self.fields, self.func, self.mode = fields, func, mode


def field_validator(*fields: str, mode: str = "after") -> Callable[[Any], _Validator]:
    def decorate(func: Any) -> _Validator:
        return _Validator(fields, func, mode)

    return decorate


_FLOAT_ANNOTATIONS = {"float", "float | None", "Optional[float]", float}


class LightModel:
    """What the models need of pydantic's BaseModel, without validation (see the module docstring)."""

    model_config: dict[str, Any] = {}
    # name -> (default, default factory, coerce int to float)
    __light_fields__: dict[str, tuple[Any, Any, bool]] = {}
    __light_before__: dict[str, list[Any]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields = dict(cls.__light_fields__)
        before = {k: list(v) for k, v in cls.__light_before__.items()}
        for name, ann in cls.__dict__.get("__annotations__", {}).items():
            if name.startswith("_") or "ClassVar" in str(ann) or name == "model_config":
                continue
            value = cls.__dict__.get(name, _MISSING)
            if isinstance(value, FieldInfo):
                default, factory = value.default, value.default_factory
                delattr(cls, name)
            else:
                default, factory = value, None
            fields[name] = (default, factory, ann in _FLOAT_ANNOTATIONS)
        for attr in list(cls.__dict__.values()):
            if isinstance(attr, _Validator) and attr.mode == "before":
                func = attr.func.__func__ if isinstance(attr.func, classmethod) else attr.func
                for f in attr.fields:
                    before.setdefault(f, []).append(func)
        cls.__light_fields__ = fields
        cls.__light_before__ = before

    def __init__(self, **data: Any) -> None:
        cls = type(self)
        values: dict[str, Any] = {}
        before = cls.__light_before__
        for name, (default, factory, to_float) in cls.__light_fields__.items():
            if name in data:
                v = data.pop(name)
            elif factory is not None:
                v = factory()
            elif default is _MISSING:
                raise TypeError(f"{cls.__name__}: field '{name}' is required")
            else:
                v = default.copy() if isinstance(default, (list, dict)) else default
            for func in before.get(name, ()):
                v = func(cls, v)
            if to_float and type(v) is int:
                v = float(v)
            values[name] = v
        if data:
            raise TypeError(f"{cls.__name__}: unknown field(s) {', '.join(sorted(data))}")
        object.__setattr__(self, "__dict__", values)

    def __setattr__(self, name: str, value: Any) -> None:
        if self.model_config.get("frozen"):
            raise TypeError(f"{type(self).__name__} is frozen")
        object.__setattr__(self, name, value)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        if not self.model_config.get("frozen"):
            raise TypeError(f"unhashable type: '{type(self).__name__}'")
        return hash((type(self), tuple(self.__dict__.values())))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.__dict__.items())})"

    @classmethod
    def model_validate(cls, data: dict[str, Any]) -> Any:
        return cls(**data)

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> Any:
        new = object.__new__(type(self))
        values = dict(self.__dict__)
        if update:
            values.update(update)
        object.__setattr__(new, "__dict__", values)
        return new

    def model_dump(self, *, mode: str = "python") -> dict[str, Any]:
        return {k: _dump(v, mode == "json") for k, v in self.__dict__.items()}

    def model_dump_json(self, *, indent: int | None = None) -> str:
        out: list[str] = []
        _write_json(self, indent, "", out)
        return "".join(out)


def _dump(v: Any, json_mode: bool) -> Any:
    if isinstance(v, LightModel):
        return v.model_dump(mode="json" if json_mode else "python")
    if isinstance(v, (list, tuple)):
        return [_dump(x, json_mode) for x in v]
    if isinstance(v, dict):
        return {k: _dump(x, json_mode) for k, x in v.items()}
    if json_mode:
        if isinstance(v, Enum):
            return v.value
        if isinstance(v, dt.date):
            return v.isoformat()
    return v


# ---------------------------------------------------------------------------------- JSON as pydantic writes it


def json_float(x: float) -> str:
    """A float as pydantic (serde) writes it: Python's shortest repr, but 'e-7' for 'e-07',
    positional digits for the exponent -5, and null for inf and nan."""
    if not math.isfinite(x):
        return "null"
    r = repr(x)
    if "e-" not in r:
        return r
    mantissa, exp = r.split("e-")
    if exp == "05":
        sign = "-" if mantissa.startswith("-") else ""
        return f"{sign}0.0000{mantissa.lstrip('-').replace('.', '')}"
    return f"{mantissa}e-{int(exp)}"


def _write_json(v: Any, indent: int | None, pad: str, out: list[str]) -> None:
    if isinstance(v, str):  # a str enum is written as its value
        out.append(encode_basestring(v.value if isinstance(v, Enum) else v))
    elif v is None:
        out.append("null")
    elif v is True:
        out.append("true")
    elif v is False:
        out.append("false")
    elif isinstance(v, int) and not isinstance(v, Enum):
        out.append(str(v))
    elif isinstance(v, float):
        out.append(json_float(v))
    elif isinstance(v, LightModel):
        _write_items(list(v.__dict__.items()), indent, pad, out)
    elif isinstance(v, dict):
        _write_items([(str(k.value if isinstance(k, Enum) else k), x) for k, x in v.items()], indent, pad, out)
    elif isinstance(v, (list, tuple)):
        _write_list(v, indent, pad, out)
    elif isinstance(v, Enum):
        _write_json(v.value, indent, pad, out)
    elif isinstance(v, dt.date):
        out.append(f'"{v.isoformat()}"')
    else:
        raise TypeError(f"cannot write {type(v).__name__} as JSON")


def _write_items(items: list[tuple[str, Any]], indent: int | None, pad: str, out: list[str]) -> None:
    if not items:
        out.append("{}")
        return
    inner = pad + " " * indent if indent is not None else ""
    sep, colon = (",\n" + inner, ": ") if indent is not None else (",", ":")
    out.append("{\n" + inner if indent is not None else "{")
    for i, (k, x) in enumerate(items):
        if i:
            out.append(sep)
        out.append(encode_basestring(k))
        out.append(colon)
        _write_json(x, indent, inner, out)
    out.append("\n" + pad + "}" if indent is not None else "}")


def _write_list(items: Any, indent: int | None, pad: str, out: list[str]) -> None:
    if not items:
        out.append("[]")
        return
    inner = pad + " " * indent if indent is not None else ""
    sep = ",\n" + inner if indent is not None else ","
    out.append("[\n" + inner if indent is not None else "[")
    for i, x in enumerate(items):
        if i:
            out.append(sep)
        _write_json(x, indent, inner, out)
    out.append("\n" + pad + "]" if indent is not None else "]")
