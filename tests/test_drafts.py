"""Drafts: composed from what infoint knows, edited in a (fake) editor, checked against
the article's rules, handed over as mailto: links and .eml files, and recorded."""

from __future__ import annotations

import email
import email.policy
import json
import os
import stat
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from conftest import NOW, Clock, MockEnvironment, Runner
from infoint import cli, drafts
from infoint.errors import BadInput
from infoint.records import ContactFields
from infoint.services import Tracker

INTRO = "I am a data analyst moving into product design."


def fake_editor(tmp_path: Path, body: str, name: str = "editor") -> str:
    """An $EDITOR that runs `body` (Python) with `path` bound to the draft file."""
    script = tmp_path / f"{name}.py"
    script.write_text(f"import sys, pathlib\npath = pathlib.Path(sys.argv[1])\n{body}\n")
    launcher = tmp_path / name
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{script}" "$@"\n')
    launcher.chmod(launcher.stat().st_mode | stat.S_IEXEC)
    return str(launcher)


@pytest.fixture
def people(tracker: Tracker, clock: Clock) -> Tracker:
    tracker.config_set("me.intro", INTRO)
    tracker.config_set("me.name", "Alex Kim")
    tracker.add_contact(
        "Ana Ruiz",
        ContactFields(
            company="Fjord Studio",
            why="Built Fjord's research practice.",
            email="ana@fjord.example",
        ),
    )
    tracker.reply("ana-ruiz", "referred", referred="Linus O'Neil")
    tracker.prep("ana-ruiz", "Runs research ops.", ["How did you start?", "Who hires juniors?"])
    tracker.schedule("ana-ruiz", NOW - timedelta(hours=3), None, "phone", held=True)
    tracker.done(
        "1",
        advice=["Build a portfolio", "Ask for critique early"],
        keep_in_touch=True,
        answered=[1],
    )
    return tracker


# composing -----------------------------------------------------------------------------------------


def test_an_outreach_says_who_referred_you(people: Tracker) -> None:
    text, contact = people.draft(
        "linus-o-neil", "outreach", goal="Learn how research ops teams are built"
    )
    assert contact.name == "Linus O'Neil"
    assert text.startswith("Subject: Thirty minutes of your time?\n\nDear Linus,\n")
    assert "Ana Ruiz suggested I write to you." in text and INTRO in text
    assert "I am trying to learn how research ops teams are built." in text
    assert text.rstrip().endswith("Alex Kim")


def test_a_thank_you_quotes_the_advice_and_asks_what_was_left(people: Tracker) -> None:
    text, _ = people.draft("ana-ruiz", "thank-you")
    assert 'Your advice, "Build a portfolio" and "Ask for critique early", is exactly' in text
    assert "One question we did not get to, if you ever have a moment: Who hires juniors?" in text
    assert "How did you start?" not in text  # answered in the meeting


def test_a_keep_in_touch_report_leaves_room_for_what_you_did(people: Tracker) -> None:
    text, _ = people.draft("ana-ruiz", "keep-in-touch")
    assert 'you told me "Build a portfolio" and "Ask for critique early".' in text
    problems = drafts.check(text, "keep-in-touch", 170)
    assert [str(p) for p in problems] == [
        "line 6: a placeholder is left: [what you did with it since, and how it went]"
    ]


def test_a_draft_without_what_infoint_needs_shows_placeholders(tracker: Tracker) -> None:
    tracker.add_contact("Bo Chen", ContactFields())
    text, _ = tracker.draft("bo-chen", "outreach")
    found = [str(p) for p in drafts.check(text, "outreach", 170)]
    assert any("[who you are" in f for f in found)
    assert any("[why them" in f for f in found) and any(
        "[what you hope to learn" in f for f in found
    )
    assert any("[your name]" in f for f in found)


CHECKS = [
    (
        "clean",
        "Dear Jo,\nI am an analyst. I admire your talk on design systems.\n"
        "I hope to learn which skills matter. Could we speak for 20 minutes, by phone\n"
        "or wherever suits you?\nAlex",
        [],
    ),
    ("too long a meeting", "I am Alex. Your talk was great. I hope to learn. An hour over lunch, whenever suits you?", ["more than thirty minutes"]),
    ("forty-five minutes", "I am Alex. Your talk. I hope to learn. 45 minutes by phone?", ["more than thirty minutes"]),
    ("no length", "I am Alex. Your talk. I hope to learn. Could we talk by phone?", ["thirty minutes or less"]),
    ("not at their convenience", "I am Alex. Your talk. I hope to learn. 20 minutes at my office.", ["time that suits them"]),
    ("who is missing", "Your talk moved me. I hope to learn. 20 minutes by phone?", ["who you are"]),
    ("why is missing", "I am Alex. I hope to learn. 20 minutes by phone?", ["why them"]),
    ("goal is missing", "I am Alex. Your talk. 20 minutes by phone?", ["what you hope to learn"]),
    ("a placeholder", "I am Alex. Your [TALK]. I hope to learn. 20 minutes by phone?", ["placeholder is left: [TALK]"]),
    ("a template field", "I am Alex. Your $why. I hope to learn. 20 minutes by phone?", ["placeholder is left: $why"]),
    ("too many words", "I am Alex. Your talk. I hope to learn. 20 minutes by phone? " + "word " * 200, ["words: keep it under"]),
]  # fmt: skip


@pytest.mark.parametrize(("case", "text", "expected"), CHECKS, ids=[c[0] for c in CHECKS])
def test_the_outreach_checks(case: str, text: str, expected: list[str]) -> None:
    found = [str(p) for p in drafts.check(text, "outreach", 170)]
    assert len(found) == len(expected), found
    for want, got in zip(expected, found, strict=True):
        assert want in got


def test_a_thank_you_is_not_held_to_the_outreach_rules() -> None:
    assert drafts.check("Thank you, Jo. It helped.\nAlex", "thank-you", 170) == []


# handing over --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body", ["Hello & welcome?\nSecond line #3 — naïve café 30%", "Plain", "a+b=c; d/e"]
)
def test_mailto_round_trips_through_urllib(body: str) -> None:
    text = f"Subject: Q&A? #1 — café\n\n{body}"
    link = drafts.mailto("jo.müller@example.com", text)
    parts = urlsplit(link)
    assert parts.scheme == "mailto" and unquote(parts.path) == "jo.müller@example.com"
    query = parse_qs(parts.query, keep_blank_values=True)
    assert query["subject"] == ["Q&A? #1 — café"] and query["body"] == [body]
    assert "\n" not in link and " " not in link


def test_eml_parses_back_with_headers_and_a_utf8_body() -> None:
    data = drafts.eml(
        "ana@fjord.example", "Alex Kim", "Subject: Merci, Ana — café\n\nThank you — naïve.\n"
    )
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert message["To"] == "ana@fjord.example" and message["From"] == '"Alex Kim"'
    assert message["Subject"] == "Merci, Ana — café"
    assert message.get_content_charset() == "utf-8"
    assert message.get_content().strip() == "Thank you — naïve."


def test_a_draft_without_a_subject_line() -> None:
    assert drafts.split_subject("Hello\nthere") == ("", "Hello\nthere")


# the command line --------------------------------------------------------------------------------


@pytest.fixture
def cli_people(run: Runner) -> Runner:
    run("config", "me.intro", INTRO)
    run("config", "me.name", "Alex Kim")
    run(
        "add-contact",
        "Ana Ruiz",
        "--why",
        "Built Fjord's research practice.",
        "--email",
        "ana@fjord.example",
    )
    return run


def test_draft_in_the_editor_then_record(
    cli_people: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_people.interactive = True
    monkeypatch.setenv(
        "EDITOR",
        fake_editor(
            tmp_path,
            "path.write_text(path.read_text().replace('Thank you for considering it.', 'Many thanks.'))",
        ),
    )
    monkeypatch.delenv("VISUAL", raising=False)
    out = cli_people("draft", "ana-ruiz", "--goal", "Learn how research teams hire", "--record")
    assert "Check: it says who you are, why them and what you hope to learn" in out.stderr
    assert "Recorded the message to Ana Ruiz" in out.stderr
    (sent,) = cli_people.json("show", "ana-ruiz")["timeline"]
    assert sent["kind"] == "outreach" and sent["goal"] == "Learn how research teams hire"
    assert sent["subject"] == "Thirty minutes of your time?"
    assert sent["note"].startswith("Subject: Thirty minutes") and "Many thanks." in sent["note"]
    shown = cli_people("show", "ana-ruiz").stdout
    assert "You wrote (email): Thirty minutes of your time? — Dear Ana, …" in shown


def test_problems_send_you_back_to_the_editor(
    cli_people: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first edit leaves a placeholder; asked to edit again, the second fixes it."""
    cli_people.interactive = True
    monkeypatch.delenv("VISUAL", raising=False)
    editor = fake_editor(
        tmp_path,
        "count = pathlib.Path(str(path) + '.n')\n"
        "marker = pathlib.Path(sys.argv[0]).with_suffix('.count')\n"
        "n = int(marker.read_text()) if marker.exists() else 0\n"
        "marker.write_text(str(n + 1))\n"
        "text = path.read_text()\n"
        "path.write_text(text + '[sign here]\\n' if n == 0 else text.replace('[sign here]\\n', ''))",
    )
    monkeypatch.setenv("EDITOR", editor)
    out = cli_people("draft", "ana-ruiz", "--goal", "Learn", input="y\n")
    assert "Check: line" in out.stderr and "[sign here]" in out.stderr
    assert (tmp_path / "editor.count").read_text() == "2"


def test_a_failing_editor_keeps_nothing(
    cli_people: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_people.interactive = True
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", fake_editor(tmp_path, "sys.exit(3)"))
    before = cli_people.store_bytes()
    out = cli_people.refused("draft", "ana-ruiz", "--goal", "Learn", "--record")
    assert "exited with status 3" in out.stderr
    assert cli_people.store_bytes() == before
    monkeypatch.setenv("EDITOR", str(tmp_path / "no-such-editor"))
    assert "Could not start the editor" in cli_people.refused("draft", "ana-ruiz").stderr


EDITOR_RACE = """
import os, subprocess
for n in range(5):
    subprocess.run([sys.executable, "-m", "infoint", "add-contact", f"Racer {n}"], check=True,
                   capture_output=True)
path.write_text(path.read_text().replace("Thank you for considering it.", "Thanks."))
"""


def test_contacts_added_while_the_editor_is_open_are_kept(
    cli_people: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    cli_people.interactive = True
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", fake_editor(tmp_path, EDITOR_RACE))
    cli_people("draft", "ana-ruiz", "--goal", "Learn", "--record")
    handles = [c["handle"] for c in cli_people.json("contacts")]
    assert handles == ["ana-ruiz", *[f"racer-{n}" for n in range(5)]]
    assert cli_people.json("show", "ana-ruiz")["status"] == "contacted"


def test_without_an_editor_the_draft_is_printed(
    cli_people: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    out = cli_people("draft", "ana-ruiz", "--goal", "Learn which skills matter")
    assert out.stdout.startswith("Subject: Thirty minutes of your time?")
    assert "Set $EDITOR" in out.stderr


def test_mailto_and_eml_from_the_command_line(cli_people: Runner, tmp_path: Path) -> None:
    target = tmp_path / "to-ana.eml"
    out = cli_people(
        "draft", "ana-ruiz", "--goal", "Learn", "--no-edit", "--mailto", "--eml", str(target)
    )
    link = out.stdout.strip().splitlines()[-1]
    assert link.startswith("mailto:ana@fjord.example?subject=Thirty%20minutes")
    message = email.message_from_bytes(target.read_bytes(), policy=email.policy.default)
    assert message["To"] == "ana@fjord.example" and message["From"] is None  # the mail app adds it


def test_copy_needs_a_clipboard_tool(cli_people: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(drafts, "copy_command", lambda: None)
    assert (
        "No clipboard tool"
        in cli_people.refused("draft", "ana-ruiz", "--goal", "Learn", "--no-edit", "--copy").stderr
    )
    monkeypatch.setattr(
        drafts, "copy_command", lambda: [sys.executable, "-c", "import sys; sys.stdin.read()"]
    )
    copied = cli_people("draft", "ana-ruiz", "--goal", "Learn", "--no-edit", "--copy")
    assert "Copied the draft" in copied.stderr


def test_record_a_thank_you_and_a_touch(cli_people: Runner, clock: Clock) -> None:
    cli_people("schedule", "ana-ruiz", "2 hours ago", "--phone", "--held")
    cli_people("done", "1", "--advice", "Build a portfolio", "--keep-in-touch")
    cli_people("draft", "ana-ruiz", "--kind", "thank-you", "--no-edit", "--record")
    clock.advance(days=61)
    # the report keeps a placeholder for what you did: recorded as it is only when forced
    refused = cli_people.refused(
        "draft", "ana-ruiz", "--kind", "keep-in-touch", "--no-edit", "--record"
    )
    assert "--record did nothing" in refused.stderr and "--force" in refused.stderr
    cli_people("draft", "ana-ruiz", "--kind", "keep-in-touch", "--no-edit", "--record", "--force")
    kinds = [e["kind"] for e in cli_people.json("show", "ana-ruiz")["timeline"]]
    assert kinds[-2:] == ["thank", "touch"]
    assert "Build a portfolio" in cli_people.json("show", "ana-ruiz")["timeline"][-2]["note"]


def test_draft_needs_a_contact(run: Runner) -> None:
    assert "needs a CONTACT" in run.refused("draft").stderr
    assert run("draft", "x", "--kind", "letter", code=2).exit_code == 2


# templates ----------------------------------------------------------------------------------------


def test_a_template_you_edited_is_used(
    cli_people: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_people.interactive = True
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv(
        "EDITOR",
        fake_editor(
            tmp_path, "path.write_text('Subject: Hi\\n\\nHi $first_name, $intro\\n$signature\\n')"
        ),
    )
    out = cli_people("draft", "--edit-template", "outreach")
    assert "Saved" in out.stderr
    monkeypatch.delenv("EDITOR")
    assert cli_people("draft", "ana-ruiz").stdout == f"Subject: Hi\n\nHi Ana, {INTRO}\nAlex Kim\n"


def test_a_broken_template_is_reported_not_half_filled(
    cli_people: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    folder = home / "templates"
    folder.mkdir()
    (folder / "outreach.txt").write_text("Dear $first_name, about $weather")
    out = cli_people.refused("draft", "ana-ruiz", "--no-edit")
    assert "$weather" in out.stderr and "infoint does not know" in out.stderr
    (folder / "outreach.txt").write_text("Costs $5")
    assert "broken field" in cli_people.refused("draft", "ana-ruiz", "--no-edit").stderr
    cli_people.interactive = True
    monkeypatch.setenv("EDITOR", fake_editor(tmp_path, "path.write_text('Hello $nonsense')"))
    assert "$nonsense" in cli_people.refused("draft", "--edit-template", "thank-you").stderr
    assert not (folder / "thank-you.txt").exists()


def test_editing_a_template_needs_an_editor(run: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    assert "needs an editor" in run.refused("draft", "--edit-template", "nudge").stderr


def test_an_unknown_template_kind() -> None:
    with pytest.raises(BadInput, match="no draft kind"):
        drafts.template(Path("/nowhere/config.toml"), "sonnet")


def test_editor_command_prefers_visual() -> None:
    assert drafts.editor_command({"VISUAL": "code --wait", "EDITOR": "nano"}) == ["code", "--wait"]
    assert drafts.editor_command({"VISUAL": " ", "EDITOR": "nano"}) == ["nano"]
    assert drafts.editor_command({}) is None


def test_the_editor_is_the_commands_environments(cli_people: Runner, tmp_path: Path) -> None:
    """The editor comes from the environment the command runs in, not the process's."""
    opened = tmp_path / "opened.txt"
    environment = MockEnvironment.make(
        cli_people.home, cli_people.clock, environ={"EDITOR": f"sh -c 'cat \"$0\" > {opened}'"}
    )
    with pytest.raises(SystemExit) as done:
        cli.main(["draft", "ana-ruiz"], environment)
    assert done.value.code == 0
    assert "Dear Ana" in opened.read_text() and "Dear Ana" in environment.out


# questions and referrals ------------------------------------------------------------------------------


def test_the_question_bank(run: Runner) -> None:
    listed = run("questions").stdout
    assert listed.startswith("career-switch\n   1. ") and "\nmentor\n" in listed
    only = run("questions", "--goal", "mentor").stdout.splitlines()
    assert only[0] == "mentor" and len(only) == 5


def test_prep_pick_adds_questions_from_the_bank(
    run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from infoint.questions import listed

    run("add-contact", "Ana Ruiz")
    run.interactive = True
    out = run("prep", "ana-ruiz", "--pick", input="1, 3\n")
    assert "Ana Ruiz now has 2 question(s)." in out.stderr
    bank = listed()
    assert run.json("show", "ana-ruiz")["questions"] == [bank[0][1], bank[2][1]]
    # (a terminal would show the Enter; the test runner does not, hence code=1, not refused)
    assert (
        "not a list of numbers" in run("prep", "ana-ruiz", "--pick", input="one\n", code=1).stderr
    )
    assert "no question 999" in run("prep", "ana-ruiz", "--pick", input="999\n", code=1).stderr
    run.interactive = False
    assert "needs a terminal" in run.refused("prep", "ana-ruiz", "--pick").stderr


def test_done_answered_needs_a_real_question(run: Runner) -> None:
    run("add-contact", "Ana Ruiz")
    run("prep", "ana-ruiz", "--question", "Why?")
    run("schedule", "ana-ruiz", "1 hour ago", "--phone", "--held")
    assert "no question 2" in run.refused("done", "1", "--answered", "2").stderr
    run("done", "1", "--answered", "1")
    (meeting,) = run.json("meetings")
    assert meeting["answered"] == ["Why?"]


def test_a_referral_chain_shows_both_ways(people: Tracker, run: Runner) -> None:
    shown = run("show", "linus-o-neil").stdout
    assert "Referred by  Ana Ruiz (ana-ruiz)" in shown
    assert "Referred you to  Linus O'Neil (linus-o-neil)" in run("show", "ana-ruiz").stdout
    data = json.loads(run("show", "linus-o-neil", "--json").stdout)
    assert data["source"] == "referral" and data["referred_by_handle"] == "ana-ruiz"


def test_recording_a_nudge_needs_no_force_flag_from_you(people: Tracker, clock: Clock) -> None:
    people.config_set("max_nudges", "1")
    people.outreach("linus-o-neil", None, "Your research ops talk.", "Learn")
    clock.advance(days=8)
    text, _ = people.draft("linus-o-neil", "nudge")
    people.record_draft("linus-o-neil", "nudge", text, None)
    events = [e for e in people.read().events if e.kind == "outreach"]
    assert len(events) == 2 and events[-1].subject == "Re: Thirty minutes of your time?"
    assert os.environ.get("INFOINT_HOME")


CAPTURE = "pathlib.Path(sys.argv[0]).with_suffix('.seen').write_text(path.read_text())"


@pytest.mark.parametrize(
    ("kind", "handle", "facts"),
    [
        (
            "outreach",
            "linus-o-neil",
            ["Dear Linus,", "Ana Ruiz suggested I write to you.", INTRO, "Alex Kim"],
        ),
        (
            "nudge",
            "linus-o-neil",  # written to 8 days ago, with max_nudges 1 (see the test)
            ["Subject: Re: Thirty minutes of your time?", "gentle nudge"],
        ),
        (
            "thank-you",
            "ana-ruiz",
            ['"Build a portfolio" and "Ask for critique early"', "Who hires juniors?"],
        ),
        (
            "keep-in-touch",
            "ana-ruiz",
            ['you told me "Build a portfolio"', "[what you did with it since"],
        ),
    ],
)
def test_each_kind_opens_in_the_editor_with_its_facts(
    people: Tracker,
    run: Runner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    handle: str,
    facts: list[str],
) -> None:
    if kind == "nudge":  # R2: a nudge follows a message, and only if max_nudges allows one
        people.config_set("max_nudges", "1")
        people.outreach(handle, None, "Your talk.", "Learn", sent=NOW - timedelta(days=8))
    run.interactive = True
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", fake_editor(tmp_path, CAPTURE))
    out = run(
        "draft", handle, "--kind", kind, "--goal", "Learn how research teams hire", input="n\n"
    )
    seen = (tmp_path / "editor.seen").read_text()
    for fact in facts:
        assert fact in seen, fact
    if kind == "keep-in-touch":
        assert "Check: line 6: a placeholder is left" in out.stderr
    else:
        assert "Check:" in out.stderr


def test_research_notes_are_a_template_field(people: Tracker, home: Path) -> None:
    folder = home / "templates"
    folder.mkdir()
    (folder / "outreach.txt").write_text("Dear $first_name, I read that you: $research\n")
    text, _ = people.draft("ana-ruiz", "outreach")
    assert text == "Dear Ana, I read that you: Runs research ops.\n"


def test_recording_an_outreach_takes_the_last_goal_and_the_rules(
    people: Tracker, clock: Clock
) -> None:
    from infoint.errors import RuleBroken

    people.outreach("linus-o-neil", None, "Your talk.", "Learn about research ops")
    clock.advance(days=20)
    text, _ = people.draft("linus-o-neil", "outreach")
    assert "I am trying to learn about research ops." in text
    with pytest.raises(RuleBroken, match="moved on"):  # R2 holds for a recorded draft too
        people.record_draft("linus-o-neil", "outreach", text, None)
    people.add_contact("Bo Chen", ContactFields(why="Left banking for design."))
    people.record_draft("bo-chen", "outreach", "Subject: Hi\n\nHello Bo", "Learn about studios")
    last = [e for e in people.read().events if e.kind == "outreach"][-1]
    assert (last.goal, last.why_you, last.subject) == (
        "Learn about studios",
        "Left banking for design.",
        "Hi",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Just a gentle nudge: 20 minutes by phone, whenever suits you?", []),
        (
            "Just a gentle nudge: could we meet for an hour?",
            ["more than thirty minutes", "time that suits them"],
        ),
        (
            "Just a gentle nudge about my earlier note.",
            ["thirty minutes or less", "time that suits them"],
        ),
    ],
)
def test_the_nudge_checks(text: str, expected: list[str]) -> None:
    found = [str(p) for p in drafts.check(text, "nudge", 170)]
    assert len(found) == len(expected), found
    for want, got in zip(expected, found, strict=True):
        assert want in got


def test_mailto_without_an_address_or_subject() -> None:
    link = drafts.mailto(None, "Just a body")
    assert link == "mailto:?subject=&body=Just%20a%20body"


def test_open_hands_the_link_to_the_mail_app(
    cli_people: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import webbrowser

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    cli_people("draft", "ana-ruiz", "--goal", "Learn", "--no-edit", "--open")
    assert opened and opened[0].startswith("mailto:ana@fjord.example?")
    monkeypatch.setattr(webbrowser, "open", lambda url: False)
    refused = cli_people.refused("draft", "ana-ruiz", "--goal", "Learn", "--no-edit", "--open")
    assert "No mail app" in refused.stderr


def test_the_editor_sees_a_temp_file_that_is_removed_after(tmp_path: Path) -> None:
    editor = fake_editor(
        tmp_path,
        "pathlib.Path(sys.argv[0]).with_suffix('.path').write_text(str(path))\npath.write_text('edited')",
    )
    assert drafts.edit("original", [editor]) == "edited"
    used = Path((tmp_path / "editor.path").read_text())
    assert used.name.startswith("infoint-draft-") and not used.exists()


def test_a_clipboard_tool_is_found_when_there_is_one(monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/xclip" if name == "xclip" else None)
    assert drafts.copy_command() == ["xclip", "-selection", "clipboard"]
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert drafts.copy_command() is None


def test_the_bank_is_numbered_across_goals() -> None:
    from infoint.questions import BANK, GOALS, listed

    everything = listed()
    assert len(everything) == sum(len(q) for q in BANK.values())
    assert [g for g, _ in everything][:1] == [GOALS[0]] and listed("skills")[0][0] == "skills"
    assert all(q.endswith("?") for _, q in everything)


def test_a_goal_is_put_in_the_sentence_it_goes_in(people: Tracker) -> None:
    text, _ = people.draft("ana-ruiz", "outreach", goal="Understand how research teams hire.")
    assert "I am trying to understand how research teams hire. Would you" in text
    text, _ = people.draft("ana-ruiz", "outreach", goal="UX research career paths")
    assert "I am trying to UX research career paths." in text  # an acronym keeps its capitals


def test_a_subject_can_be_given(people: Tracker) -> None:
    text, _ = people.draft("ana-ruiz", "outreach", goal="Learn", subject="From a fellow researcher")
    assert text.startswith("Subject: From a fellow researcher\n")


@pytest.mark.parametrize("kind", drafts.KINDS)
def test_every_default_template_uses_only_known_fields(kind: str) -> None:
    filled = drafts.render(drafts.DEFAULTS[kind], dict.fromkeys(drafts.FIELDS, "X"), "default")
    assert "$" not in filled and filled.startswith("Subject: ")


def test_a_dollar_sign_is_written_twice_in_a_template() -> None:
    assert drafts.render("Costs $$5 for $name", {"name": "Jo"}, "t") == "Costs $5 for Jo"


def test_problems_read_with_and_without_a_line() -> None:
    assert str(drafts.Problem(3, "a placeholder")) == "line 3: a placeholder"
    assert str(drafts.Problem(0, "too long")) == "too long"


def test_templates_live_beside_the_config(home: Path) -> None:
    path = drafts.template_path(home / "config.toml", "thank-you")
    assert path == home / "templates" / "thank-you.txt"


@pytest.mark.parametrize("kind", ["outreach", "nudge", "thank-you", "keep-in-touch"])
def test_every_kind_prints_on_the_command_line(cli_people: Runner, kind: str) -> None:
    if kind == "nudge":  # R2: a nudge follows a message, and only if max_nudges allows one
        cli_people("config", "max_nudges", "1")
        cli_people("outreach", "ana-ruiz", "--why-you", "Your talk.", "--goal", "Learn")
    out = cli_people("draft", "ana-ruiz", "--kind", kind, "--no-edit")
    assert out.stdout.startswith("Subject: ") and "Dear Ana," in out.stdout
    assert out.stdout.rstrip().endswith("Alex Kim")


def test_a_printed_draft_never_carries_terminal_codes(run: Runner) -> None:
    """Found by the fuzz test: a name with escape codes went to the screen as is."""
    run("add-contact", "\x1b[31mEve\x07 \u202eEvil", "--why", "\x1b]0;pwned\x07Her work.")
    out = run("draft", "1", "--goal", "learn\x1b[2J", "--no-edit")
    for code in ("\x1b", "\x07", "\u202e"):
        assert code not in out.stdout
    assert "Dear Eve" in out.stdout and "Her work." in out.stdout
    run("schedule", "1", "1 hour ago", "--phone", "--held")
    run("done", "1", "--advice", "\x1b[31mred advice")
    assert "\x1b" not in run("insights", "--markdown").stdout
