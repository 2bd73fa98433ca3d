"""`infoint draft` in a real terminal (tmux): edit, fail a check, edit again, and the
text is shown and kept. Needs tmux (.ci/run installs it)."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import Runner
from test_drafts import INTRO, fake_editor
from test_kept_drafts import TWO_PASSES

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


class Tmux:
    """One tmux server of our own (its own socket), one window of 80 by 30."""

    def __init__(self, socket: Path) -> None:
        self.socket = str(socket)

    def __call__(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-S", self.socket, *args], capture_output=True, text=True, timeout=30
        )
        return done.stdout

    def screen(self) -> str:
        return self("capture-pane", "-p", "-J", "-S", "-200", "-t", "draft")

    def wait_for(self, text: str, seconds: float = 30) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never showed; the screen was:\n{self.screen()}")


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    session = Tmux(tmp_path / "tmux.sock")
    yield session
    session("kill-server")  # only the server on our own socket


def test_draft_edit_again_in_a_real_terminal_keeps_the_text(
    run: Runner, tmux: Tmux, tmp_path: Path, home: Path
) -> None:
    run("config", "me.intro", INTRO)
    run("config", "me.name", "Alex Kim")
    run("add-contact", "Ana Ruiz", "--why", "Built Fjord's research practice.")
    editor = fake_editor(tmp_path, TWO_PASSES)
    environ = {
        "INFOINT_HOME": str(home),
        "XDG_CONFIG_HOME": os.environ["XDG_CONFIG_HOME"],
        "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"],
        "EDITOR": editor,
        "TERM": "xterm",
        "NO_COLOR": "1",
        "TZ": "UTC",
        "PATH": os.environ.get("PATH", ""),
    }
    command = " ".join(
        [
            "env -i",
            *(f"{k}={shlex.quote(v)}" for k, v in environ.items()),
            shlex.quote(sys.executable),
            "-m infoint draft ana-ruiz --goal 'Learn how research teams hire'",
            "; echo EXIT=$?; sleep 60",
        ]
    )
    tmux("new-session", "-d", "-s", "draft", "-x", "80", "-y", "30", command)
    shown = tmux.wait_for("Edit it again?")
    assert "a placeholder is left: [sign here]" in shown
    tmux("send-keys", "-t", "draft", "y", "Enter")
    shown = tmux.wait_for("EXIT=")
    assert "EXIT=0" in shown
    assert "Edited twice." in shown and "Dear Ana," in shown  # the text is shown
    assert "Kept as draft 1" in shown
    saved = json.loads((home / "drafts" / "1.json").read_text())
    assert saved["text"].endswith("Edited twice.\n")  # and kept
    assert (tmp_path / "editor.count").read_text() == "2"
