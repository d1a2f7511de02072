"""The engine worker reads the word lists in a child process (issue #12): the same lists as read in-process."""

from __future__ import annotations

import pickle

import pytest

from bot.privacy import vocabulary


def test_lists_read_in_a_child_are_the_lists_read_here() -> None:
    packed = vocabulary._packed_in_child()
    assert packed is not None
    assert pickle.loads(packed) == pickle.loads(vocabulary._packed())  # noqa: S301 - our own bytes


def test_a_failing_child_falls_back_to_reading_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.executable", "/nonexistent/python")
    assert vocabulary._packed_in_child() is None
    monkeypatch.setitem(vocabulary._IN_CHILD, "on", True)
    lists = vocabulary._load()
    assert "jan" in lists.first_names
