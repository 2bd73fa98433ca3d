"""One surface: one spelling per concept (two ways to type it behave the same),
--json on every listing, help in plain words that is never cut short, and the
settings explained where they are listed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer.main

from conftest import Runner
from infoint import cli
from infoint.setting_notes import NOTES

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def a_week(run: Runner) -> None:
    run("config", "me.intro", "I am a data analyst moving into product design.")
    run("add-contact", "Jane Doe", "--company", "Acme", "--why", "Her talk on design systems.")
    run("add-contact", "Sam Lee")
    run("outreach", "sam-lee", "--why-you", "Your essays.", "--goal", "Learn how editors work.",
        "--on", "2026-11-02 09:00")  # fmt: skip
    run("outreach", "jane-doe", "--why-you", "Your talk.", "--goal", "Learn the craft.",
        "--on", "2026-11-20 10:00")  # fmt: skip
    run("reply", "jane-doe", "--agreed", "--on", "2026-11-21 10:00")
    run("schedule", "jane-doe", "2026-11-24 10:00", "--phone", "--held")
    run("done", "1", "--advice", "Ship a portfolio")


# --json on every listing ----------------------------------------------------------------

LISTINGS = [
    ("contacts",), ("meetings",), ("followups",), ("history",), ("drafts",), ("agenda",),
    ("questions",), ("stats",), ("insights",), ("config",), ("show", "jane-doe"),
]  # fmt: skip


@pytest.mark.parametrize("listing", LISTINGS, ids=" ".join)
def test_every_listing_accepts_json(run: Runner, listing: tuple[str, ...]) -> None:
    a_week(run)
    out = run(*listing, "--json")
    json.loads(out.stdout)  # stdout is the JSON document and nothing else


def test_every_command_that_lists_has_json() -> None:
    """A new listing (a command whose help starts "List", or a plural noun) gets --json."""
    group = typer.main.get_command(cli.app)
    plural = {"contacts", "meetings", "followups", "drafts", "questions", "stats", "insights"}
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        if name in plural or (command.help or "").startswith("List"):
            options = {o for p in command.params for o in getattr(p, "opts", [])}
            assert "--json" in options, name


def test_the_agenda_as_json(run: Runner) -> None:
    a_week(run)
    run("reply", "sam-lee", "--agreed")
    run("schedule", "sam-lee", "2026-11-27 10:00", "--video")
    days = run.json("agenda", "--days", "2")
    assert [(d["day"], d["today"]) for d in days] == [("2026-11-26", True), ("2026-11-27", False)]
    (meeting,) = days[1]["meetings"]
    assert meeting["contact"] == "sam-lee" and meeting["mode"] == "video"
    assert meeting["prep"] == "no research yet, 0 of 3 questions"
    assert [(d["kind"], d["contact"], d["overdue"]) for d in days[0]["due"]] == [
        ("thank_you", "jane-doe", True)
    ]


def test_the_question_bank_as_json(run: Runner) -> None:
    bank = run.json("questions", "--goal", "skills")
    assert bank[0] == {
        "number": 1,
        "goal": "skills",
        "question": "Which skills do you look for when you hire someone at my level?",
    }
    assert {q["goal"] for q in bank} == {"skills"}


# two ways to type it, one behaviour ---------------------------------------------------------


def scrubbed(text: str) -> str:
    return UUID.sub("UUID", text)


def replay(
    run: Runner, home: Path, monkeypatch: pytest.MonkeyPatch, steps: list[tuple[str, ...]]
) -> list[tuple[int, str, str]]:
    """Run `steps` in a fresh data folder; what each one printed, uuids aside."""
    monkeypatch.setenv("INFOINT_HOME", str(home))
    run.home = home
    seen = []
    for step in steps:
        out = run(*step, code=None)
        seen.append((out.exit_code, scrubbed(out.stdout), scrubbed(out.stderr)))
    return seen


WRITE = ("outreach", "sam-lee", "--why-you", "Your essays.", "--goal", "Learn.", "--force")
TWO_SPELLINGS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "--sent is --on": (
        (*WRITE, "--sent", "2026-11-25 09:00"),
        (*WRITE, "--on", "2026-11-25 09:00"),
    ),
    "moved-on is moved_on": (
        ("contacts", "--status", "moved-on"),
        ("contacts", "--status", "moved_on"),
    ),
    "thank-you is thank_you": (
        ("draft", "jane-doe", "--kind", "thank-you", "--no-edit"),
        ("draft", "jane-doe", "--kind", "thank_you", "--no-edit"),
    ),
    "keep-in-touch is keep_in_touch": (
        ("draft", "jane-doe", "--kind", "keep-in-touch", "--no-edit"),
        ("draft", "jane-doe", "--kind", "keep_in_touch", "--no-edit"),
    ),
    "last-touch is last_touch": (
        ("contacts", "--sort", "last-touch"),
        ("contacts", "--sort", "last_touch"),
    ),
    "in-person is in_person": (
        ("add-contact", "Bo Chen", "--prefers", "in-person"),
        ("add-contact", "Bo Chen", "--prefers", "in_person"),
    ),
    "career-switch is career_switch": (
        ("questions", "--goal", "career-switch"),
        ("questions", "--goal", "career_switch"),
    ),
    "reply-wait-days is reply_wait_days": (
        ("config", "reply-wait-days", "21"),
        ("config", "reply_wait_days", "21"),
    ),
    "-n is --limit": (("contacts", "-n", "1"), ("contacts", "--limit", "1")),
    "-y is --yes": (("remove", "sam-lee", "-y"), ("remove", "sam-lee", "--yes")),
    "-h is --help": (("meetings", "-h"), ("meetings", "--help")),
}  # fmt: skip


@pytest.mark.parametrize("case", list(TWO_SPELLINGS))
def test_every_option_spelled_two_ways_behaves_the_same(
    case: str, run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, other = TWO_SPELLINGS[case]
    results = []
    for n, step in enumerate((one, other)):
        home = tmp_path / f"home-{n}"
        monkeypatch.setenv("INFOINT_HOME", str(home))
        run.home = home
        a_week(run)
        results.append(
            replay(
                run,
                home,
                monkeypatch,
                [step, ("contacts", "--json"), ("show", "sam-lee", "--json"), ("config", "--json")],
            )
        )
    assert results[0] == results[1]
    assert results[0][0][0] == 0, results[0][0]


def test_done_takes_on_like_every_other_record(run: Runner) -> None:
    run("config", "me.intro", "I am a data analyst.")
    run("add-contact", "Jane Doe")
    run("outreach", "jane-doe", "--why-you", "Your talk.", "--goal", "Learn.", "--on", "2 days ago")
    run("reply", "jane-doe", "--agreed", "--on", "1 day ago")
    run("schedule", "jane-doe", "2026-11-26 10:00", "--phone")  # they called the day before
    out = run("done", "1", "--on", "2026-11-25 17:00")
    assert "Took place: Wed 25 Nov 2026, 17:00" in out.stderr
    (meeting,) = run.json("meetings")
    assert meeting["start"] == "2026-11-25T17:00:00Z" and meeting["status"] == "done"
    (due,) = [f for f in run.json("followups") if f["kind"] == "thank_you"]
    assert due["due"] == "2026-11-26T17:30:00Z"  # a day after it ended, not after the plan


def test_done_on_refuses_the_future(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    run("schedule", "jane-doe", "2026-11-25 10:00", "--phone", "--held")
    out = run.refused("done", "1", "--on", "tomorrow 10:00")
    assert "Error:" in out.stderr


# help in plain words ---------------------------------------------------------------------


def every_command() -> list[tuple[str, ...]]:
    group = typer.main.get_command(cli.app)
    found: list[tuple[str, ...]] = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subs = getattr(command, "commands", None)
        if subs:
            found.extend((name, sub) for sub in subs)
        else:
            found.append((name,))
    return found


@pytest.mark.parametrize("command", every_command(), ids=" ".join)
def test_help_shows_values_in_plain_words(run: Runner, command: tuple[str, ...]) -> None:
    shown = run(*command, "--help").stdout
    for python in ("<str>", "<int>", "<float>", "list[", "[[", "<list", "Optional"):
        assert python not in shown, (command, python, shown)
    assert re.search(r"<[a-z_|]+>", shown) is None, shown


def test_options_name_what_they_take(run: Runner) -> None:
    shown = run("edit", "--help").stdout
    assert "--company TEXT" in shown and "--tag TEXT" in shown
    assert "--prefers in_person|phone|video" in shown
    assert "--limit N" in run("contacts", "--help").stdout
    assert "Usage: infoint doctor [OPTIONS] [BACKUP]" in run("doctor", "--help").stdout


def test_the_top_level_help_never_cuts_a_description(
    run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    shown = run("--help").stdout.split("Commands:")[1]
    assert "..." not in shown and "…" not in shown
    flat = " ".join(shown.split())
    group = typer.main.get_command(cli.app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        first = " ".join((command.help or "").split("\n\n")[0].split())
        assert f"{name} {first}" in flat, name


def test_export_help_names_the_default_file(run: Runner) -> None:
    defaults = {"ics": "infoint-meetings.ics", "csv": "infoint-contacts.csv",
                "vcard": "infoint-contacts.vcf", "json": "infoint-export.json"}  # fmt: skip
    for kind, name in defaults.items():
        assert f"(default: {name}" in " ".join(run("export", kind, "--help").stdout.split())


def test_import_json_dry_run_changes_nothing(run: Runner, tmp_path: Path) -> None:
    run("add-contact", "Jane Doe")
    dump = tmp_path / "all.json"
    run("export", "json", "--out", str(dump))
    run("remove", "jane-doe", "--yes")
    before = run.store_bytes()
    out = run("import", "json", str(dump), "--dry-run")
    assert "Would import" in out.stderr and "1 new record(s)" in out.stderr
    assert "Nothing was changed (--dry-run)." in out.stderr
    assert run.store_bytes() == before and run.json("contacts") == []
    run("import", "json", str(dump))
    assert [c["handle"] for c in run.json("contacts")] == ["jane-doe"]


# settings, explained ------------------------------------------------------------------------


def test_config_says_what_each_setting_does_and_its_default(run: Runner) -> None:
    run("config", "reply_wait_days", "21")
    rows = [line.rstrip() for line in run("config").stdout.splitlines()]
    assert rows[0].split() == ["Setting", "Value", "Default", "What", "it", "does"]
    (wait,) = [r for r in rows if r.startswith("reply_wait_days")]
    assert wait.split()[:3] == ["reply_wait_days", "21", "14"]
    assert wait.endswith("R2: days without a reply before infoint says move on")
    (intro,) = [r for r in rows if r.startswith("me.intro")]
    assert "(empty)" in intro and "who you are in one sentence" in intro


def test_every_setting_has_a_description() -> None:
    from infoint.services import SETTING_KEYS

    assert set(SETTING_KEYS) <= set(NOTES)
    assert all(len(NOTES[k]) <= 70 for k in NOTES)  # one line, beside the value
