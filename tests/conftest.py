from __future__ import annotations

from functools import lru_cache

import pytest

from _corpus import FILES, RAW


@lru_cache(maxsize=None)
def _parsed(name: str):
    from plancompare.parse import parse_file

    return parse_file(RAW / FILES[name])


@pytest.fixture(scope="session")
def parsed():
    return _parsed


@pytest.fixture(scope="session")
def raw_path():
    return lambda name: RAW / FILES[name]
