"""Where the files live (files.py) without INFOINT_HOME."""

from __future__ import annotations

import os
from pathlib import Path

from infoint.files import Paths


def test_paths_without_infoint_home_follow_platformdirs(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "d"), "XDG_CONFIG_HOME": str(tmp_path / "c")}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        paths = Paths.from_env({})
        assert paths.store_file == tmp_path / "d" / "infoint" / "store.json"
        assert paths.config_file == tmp_path / "c" / "infoint" / "config.toml"
        assert paths.lock_file == tmp_path / "d" / "infoint" / ".infoint.lock"
        assert paths.lock_file != Paths.from_env({"INFOINT_HOME": str(tmp_path)}).lock_file
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
