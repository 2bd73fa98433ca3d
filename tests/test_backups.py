"""Backups (backups.py) of a data folder that has no store yet."""

from __future__ import annotations

from infoint import backups
from infoint.files import Paths


def test_backups_without_a_store(paths_home: Paths) -> None:
    assert backups.keep_copy(paths_home, reason="x") is None
    backups.daily(paths_home)
    assert backups.listed(paths_home) == []
