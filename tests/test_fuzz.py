"""Open-ended input through the whole CLI: nasty text never crashes it, never leaks an
escape sequence to the screen, and never leaves the store invalid."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Clock, Runner
from infoint.files import Paths
from infoint.store import Store

NASTY = [
    "[", "[/", "[/]", "[bold]", "[link=http://x]", "\x1b[31m", "\x1b]8;;http://x\x07", "\x07",
    "=", "+", "-", "@", "\t", "\r", "\x00", "../", "\u202e", "\ufeff", "💥", "Ω", "'", '"', "\\",
    "--", "-x", "%s", "{}", "{0}", "x" * 300, " ", "",
]  # fmt: skip

text = st.lists(st.sampled_from(NASTY) | st.text(max_size=8), max_size=6).map("".join)

COMMANDS = st.sampled_from(
    [
        lambda t: ("add-contact", t),
        lambda t: ("add-contact", "Jane Doe", "--company", t, "--tag", t),
        lambda t: ("add-contact", "Jane Doe", "--email", t),
        lambda t: ("show", t),
        lambda t: ("edit", "1", "--notes", t),
        lambda t: ("edit", "1", "--name", t),
        lambda t: ("contacts", "--search", t),
        lambda t: ("outreach", "1", "--who-i-am", t, "--why-you", t, "--goal", t),
        lambda t: ("reply", "1", "--agreed", "--note", t),
        lambda t: ("reply", "1", "--referred", t),
        lambda t: ("schedule", "1", t, "--phone"),
        lambda t: ("schedule", "1", "2026-12-03 10:00", "--at", t, "--venue", "cafe"),
        lambda t: ("prep", "1", "--research", t, "--question", t),
        lambda t: ("followups", "--as-of", t),
        lambda t: ("touch", "1", "--note", t, "--force"),
        lambda t: ("config", "me.name", t),
        lambda t: ("config", t, "3"),
        lambda t: ("cancel", t),
        lambda t: ("undo", "--yes"),
        lambda t: ("history", "--limit", t),
        lambda t: ("doctor",),
        lambda t: ("merge", t),
        lambda t: ("archive", t),
        lambda t: ("heard", "1", "--on", t, "--note", t),
        lambda t: ("draft", "1", "--goal", t, "--subject", t, "--no-edit"),
        lambda t: ("draft", t, "--kind", "thank-you", "--no-edit"),
        lambda t: ("agenda", "--days", t),
        lambda t: ("stats", "--since", t),
        lambda t: ("insights",),
        lambda t: ("done", "1", "--advice", t, "--paid", t),
        lambda t: ("reply", "1", "--referred", t),
        lambda t: ("contacts", "--sort", "last-touch", "--search", t),
        lambda t: ("import", "vcard", t),
    ]
)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(st.tuples(COMMANDS, text), min_size=1, max_size=4))
def test_any_input_gives_a_clean_answer(steps: list[tuple[object, str]], tmp_path: Path) -> None:
    home = tmp_path / "fuzz"
    shutil.rmtree(home, ignore_errors=True)
    run = Runner(Clock(), home)
    run("add-contact", "Seed Person")
    for make, value in steps:
        args = make(value)  # type: ignore[operator]
        outcome = run(*args, code=None)
        assert outcome.exit_code in (0, 1, 2), (args, outcome)
        if args[0] == "doctor":
            continue  # doctor exits 1 when it finds a problem: that is its answer
        if outcome.exit_code == 1:
            assert "Error: " in outcome.stderr
        for stream in (outcome.stdout, outcome.stderr):
            assert "\x1b" not in stream and "\x07" not in stream and "\u202e" not in stream
        Store(Paths.from_env({"INFOINT_HOME": str(home)})).load()  # it still loads and validates
    listed = run("contacts", "--all", "--json")
    json.loads(listed.stdout)
    json.loads(run("followups", "--json").stdout)
