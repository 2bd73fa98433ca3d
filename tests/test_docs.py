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


WALKTHROUGH = [
    ("config", "me.name", "Alex Kim"),
    ("config", "me.intro", "I'm a data analyst moving into product design."),
    (
        "add-contact",
        "Jane Doe",
        "--company",
        "Acme Publishing",
        "--role",
        "Editorial Director",
        "--industry",
        "Publishing",
        "--why",
        "Built Acme's design team from scratch",
        "--tag",
        "design",
    ),
    ("add-contact", "Sam Lee", "--industry", "Publishing", "--email", "sam@example.com"),
    (
        "outreach",
        "jane-doe",
        "--why-you",
        "Your talk on design systems changed how I work.",
        "--goal",
        "Learn which skills matter most for a first design role.",
        "--subject",
        "Thirty minutes?",
    ),
    ("outreach", "sam-lee", "--why-you", "…", "--goal", "…", "--sent", "last fri"),
    "wednesday",
    ("reply", "jane-doe", "--agreed"),
    (
        "schedule",
        "jane-doe",
        "2026-12-03 10:00",
        "--at",
        "Blue Bottle, 1 Main St",
        "--venue",
        "cafe",
    ),
    "tuesday",
    ("followups",),
    (
        "prep",
        "jane-doe",
        "--research",
        "Led the 2024 redesign; writes about hiring juniors.",
        "--question",
        "What did your first design role look like?",
        "--question",
        "Which skills do you hire juniors for?",
        "--question",
        "Who else should I talk to?",
    ),
    ("prep", "jane-doe"),
]


def test_the_walkthrough_prints_what_the_readme_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The week in the README, run in Berlin on the days it names: every line the
    README shows for it is a line infoint prints."""
    import time
    from datetime import datetime

    from rich.console import Console

    from infoint import render

    monkeypatch.setenv("TZ", "Europe/Berlin")
    monkeypatch.setattr(render, "out", Console(highlight=False, soft_wrap=True, width=110))
    time.tzset()
    try:
        clock = Clock(datetime(2026, 11, 23, 9, 0).astimezone())
        run = Runner(clock, tmp_path / "home")
        days = {"wednesday": datetime(2026, 11, 25, 11, 0), "tuesday": datetime(2026, 12, 1, 14, 0)}
        printed: list[str] = []
        for step in WALKTHROUGH:
            if isinstance(step, str):
                clock.now = days[step].astimezone()
                continue
            out = run(*step)
            printed += [line.rstrip() for line in (out.stdout + out.stderr).splitlines()]
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()
    readme = README.read_text()
    week = readme[readme.index("## A week with infoint") : readme.index("### Dates")]
    shown = [
        line for line in week.splitlines() if line and not line.startswith(("$", "    ", "```"))
    ]
    in_blocks = [line for line in shown if line in printed or not _looks_printed(line)]
    assert in_blocks == shown, [line for line in shown if line not in in_blocks]


def _looks_printed(line: str) -> bool:
    """Lines inside the walkthrough's console blocks (prose lines are not checked)."""
    starts = (
        "Added ",
        "Recorded ",
        "Sent: ",
        "Starts: ",
        "Scheduled ",
        "You pay",
        "Jane Doe",
        "Saved ",
        "Today",
        "  prep",
        "1 thing",
        "Why them",
        "Your goal",
        "Research",
        "Questions",
        "Reminders",
        "Thu 3 Dec",
        "jane-doe",
        "sam-lee",
        "           ",
    )
    return line.startswith(starts)
