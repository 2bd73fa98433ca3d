"""Where a data folder keeps what, for tests that look at the files themselves."""

from __future__ import annotations

from pathlib import Path

from infoint.files import Paths


def own_log(home: Path) -> Path:
    """This machine's change log in the data folder `home` (`journal.<device>.jsonl`)."""
    return Paths(home, home / "config.toml").journal_file


def all_logs(home: Path) -> list[Path]:
    """Every machine's change log in `home`."""
    return Paths(home, home / "config.toml").logs()
