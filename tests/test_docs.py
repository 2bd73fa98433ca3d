"""The README shows real output: the progress screens on the demo store are run here
and compared with the README's blocks. `INFOINT_UPDATE_README=1 pytest tests/test_docs.py`
rewrites the blocks after a deliberate change."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import Clock, Runner
from infoint import cli, demo

README = Path(__file__).resolve().parents[1] / "README.md"
SHOWN = {
    "agenda": ("agenda", "--days", "4"),
    "stats": ("stats",),
    "insights": ("insights",),
    "draft-outreach": (
        "draft",
        "chidi-okafor",
        "--goal",
        "Learn how you moved from academia to industry",
        "--no-edit",
    ),
    "draft-nudge": ("draft", "eleanor-shellstrop", "--kind", "nudge", "--no-edit"),
    "draft-thank-you": ("draft", "bo-chen", "--kind", "thank-you", "--no-edit"),
    "draft-keep-in-touch": ("draft", "sam-lee", "--kind", "keep-in-touch", "--no-edit"),
}


def block(name: str) -> re.Pattern[str]:
    return re.compile(
        rf"(<!-- demo:{name} -->\n```console\n)(.*?)(```\n<!-- /demo:{name} -->)", re.S
    )


@pytest.fixture
def demo_run(tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> Runner:
    home = tmp_path / "demo"
    demo.build(home, clock.now)
    monkeypatch.setenv("INFOINT_HOME", str(home))
    monkeypatch.setenv("COLUMNS", "100")
    return Runner(clock, home)


@pytest.mark.parametrize("name", list(SHOWN))
def test_the_readme_shows_real_output(demo_run: Runner, name: str) -> None:
    args = SHOWN[name]
    typed = " ".join(f'"{a}"' if " " in a else a for a in args)
    output = "\n".join(line.rstrip() for line in demo_run(*args).stdout.splitlines())
    text = f"$ infoint {typed}\n{output}\n"
    readme = README.read_text()
    pattern = block(name)
    if os.environ.get("INFOINT_UPDATE_README"):
        README.write_text(pattern.sub(lambda m: m[1] + text + m[3], readme))
        return
    found = pattern.search(readme)
    assert found is not None, f"the README has no demo:{name} block"
    assert found[2] == text


def test_every_command_is_in_the_readme() -> None:
    import typer.main

    readme = README.read_text()
    group = typer.main.get_command(cli.app)
    for name in group.commands:  # type: ignore[attr-defined]
        assert f"infoint {name}" in readme or f"`{name}`" in readme, name
