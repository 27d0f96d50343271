"""Fixtures shared by the unit tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.unit.loopback import Server


@pytest.fixture
def server() -> Iterator[Server]:
    """A loopback HTTP server (path, query string included -> route), stopped after the test."""
    with Server() as srv:
        yield srv
