"""Drafts are never lost: each one is kept under the data folder until it is recorded
or discarded, the text is always shown, the editor runs whenever one is set, and a
draft that fails its checks is not handed off (mailto, .eml, clipboard, record)
without --force."""

from __future__ import annotations

import email
import email.policy
import json
from pathlib import Path

import pytest

from conftest import Runner
from infoint import drafts, kept
from test_drafts import INTRO, fake_editor

GOAL = ("--goal", "Learn how research teams hire")


@pytest.fixture
def people(run: Runner, monkeypatch: pytest.MonkeyPatch) -> Runner:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    run("config", "me.intro", INTRO)
    run("config", "me.name", "Alex Kim")
    run("add-contact", "Ana Ruiz", "--why", "Built Fjord's research practice.",
        "--email", "ana@fjord.example")  # fmt: skip
    run("add-contact", "Bo Chen", "--why", "Wrote the book on service design.")
    return run


def kept_files(home: Path) -> dict[str, dict[str, str]]:
    folder = home / "drafts"
    if not folder.exists():
        return {}
    return {p.name: json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))}


TWO_PASSES = (
    "marker = pathlib.Path(sys.argv[0]).with_suffix('.count')\n"
    "n = int(marker.read_text()) if marker.exists() else 0\n"
    "marker.write_text(str(n + 1))\n"
    "text = path.read_text()\n"
    "path.write_text(text + '[sign here]\\n' if n == 0 else"
    " text.replace('[sign here]\\n', 'Edited twice.\\n'))"
)


def test_an_edited_draft_is_printed_and_kept_after_editing_again(
    people: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    people.interactive = True
    monkeypatch.setenv("EDITOR", fake_editor(tmp_path, TWO_PASSES))
    out = people("draft", "ana-ruiz", *GOAL, input="y\n")
    assert "[sign here]" in out.stderr  # the first pass failed its check
    assert "Edited twice.\n" in out.stdout and "Subject: Thirty minutes" in out.stdout
    (saved,) = kept_files(home).values()
    assert saved["text"].endswith("Edited twice.\n") and saved["kind"] == "outreach"
    assert "Kept as draft 1: infoint draft ana-ruiz --resume" in out.stderr


def test_the_editor_runs_without_a_terminal(
    people: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A GUI editor (code --wait, gedit) needs no terminal: $EDITOR is enough."""
    people.interactive = False
    monkeypatch.setenv(
        "VISUAL", fake_editor(tmp_path, "path.write_text(path.read_text() + 'From the GUI.\\n')")
    )
    out = people("draft", "ana-ruiz", *GOAL)
    assert out.stdout.endswith("From the GUI.\n")


def test_an_editor_that_changes_nothing_still_shows_the_draft(
    people: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", "true")
    out = people("draft", "ana-ruiz", *GOAL)
    assert out.stdout.startswith("Subject: Thirty minutes of your time?")
    assert "Dear Ana," in out.stdout


def test_a_failing_editor_keeps_the_draft_as_it_was(
    people: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    monkeypatch.setenv("EDITOR", fake_editor(tmp_path, "sys.exit(3)"))
    out = people.refused("draft", "ana-ruiz", *GOAL)
    assert "exited with status 3" in out.stderr and "kept as it was (draft 1)" in out.stderr
    (saved,) = kept_files(home).values()
    assert "Dear Ana," in saved["text"]


@pytest.mark.parametrize(
    "handoff", [("--mailto",), ("--copy",), ("--open",), ("--record",), ("--eml", "x.eml")]
)
def test_a_draft_that_fails_its_checks_is_not_handed_off(
    people: Runner, handoff: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    opened: list[str] = []
    import webbrowser

    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    copied = tmp_path / "clipboard"
    monkeypatch.setattr(drafts, "copy_command", lambda: ["sh", "-c", f"cat > {copied}"])
    out = people.refused("draft", "ana-ruiz", "--no-edit", *handoff)  # no --goal: a placeholder
    assert "Check: line 8: a placeholder is left" in out.stderr
    assert f"{handoff[0]} did nothing" in out.stderr and "--force" in out.stderr
    assert out.stdout.startswith("Subject:")  # the text is still shown
    assert "mailto:" not in out.stdout and not opened and not copied.exists()
    assert not (tmp_path / "x.eml").exists()
    assert people.json("show", "ana-ruiz")["timeline"] == []
    forced = people("draft", "ana-ruiz", "--no-edit", *handoff, "--force")
    assert forced.exit_code == 0
    assert (
        opened
        or copied.exists()
        or (tmp_path / "x.eml").exists()
        or ("mailto:" in forced.stdout or people.json("show", "ana-ruiz")["timeline"])
    )


def test_eml_never_writes_over_a_file_without_force(people: Runner, tmp_path: Path) -> None:
    target = tmp_path / "to-ana.eml"
    target.write_text("my own notes")
    out = people.refused("draft", "ana-ruiz", *GOAL, "--no-edit", "--eml", str(target))
    assert "already exists" in out.stderr and f"--eml {target} --force" in out.stderr
    assert target.read_text() == "my own notes"
    people("draft", "ana-ruiz", *GOAL, "--no-edit", "--eml", str(target), "--force")
    message = email.message_from_bytes(target.read_bytes(), policy=email.policy.default)
    assert message["To"] == "ana@fjord.example"


def test_every_placeholder_of_a_line_is_reported() -> None:
    text = "Dear [name],\nI saw [talk] at [event] in $city.\n"
    problems = [str(p) for p in drafts.check(text, "thank-you", 200)]
    assert problems == [
        "line 1: a placeholder is left: [name]",
        "line 2: placeholders are left: [talk], [event], $city",
    ]


def test_the_check_says_where_infoint_fills_each_part_in(people: Runner) -> None:
    problems = [
        str(p) for p in drafts.check("Hello.\n20 minutes by phone?", "outreach", 200, "bo-chen")
    ]
    assert (
        'it does not say who you are (R1; infoint fills it in: infoint config me.intro "…")'
        in problems
    )
    assert (
        'it does not say why them (R1; infoint fills it in: infoint edit bo-chen --why "…")'
        in problems
    )
    goal = 'infoint draft bo-chen --goal "…"'
    assert f"it does not say what you hope to learn (R1; infoint fills it in: {goal})" in problems


# the kept drafts: list, resume, discard --------------------------------------------------


def test_drafts_lists_what_is_kept(people: Runner, home: Path) -> None:
    assert "No drafts kept" in people("drafts").stdout
    assert people.json("drafts") == []
    people("draft", "ana-ruiz", *GOAL, "--no-edit")
    people("draft", "bo-chen", "--no-edit")
    people("draft", "ana-ruiz", *GOAL, "--no-edit")  # the same text again: not kept twice
    listed = [line.rstrip() for line in people("drafts").stdout.splitlines()]
    assert listed == [
        "N  Contact   Kind      Saved            Checks    Subject",
        "1  ana-ruiz  outreach  Thu 26 Nov 2026  ok        Thirty minutes of your time?",
        "2  bo-chen   outreach  Thu 26 Nov 2026  1 to fix  Thirty minutes of your time?",
        "Go on with one: infoint draft HANDLE --resume",
    ]
    data = people.json("drafts")
    assert [(d["number"], d["contact"], d["problems"]) for d in data] == [
        (1, "ana-ruiz", 0),
        (2, "bo-chen", 1),
    ]
    assert data[0]["text"].startswith("Subject: Thirty minutes of your time?")


def test_resume_goes_on_with_the_kept_text(
    people: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    monkeypatch.setenv(
        "EDITOR", fake_editor(tmp_path, "path.write_text(path.read_text() + 'PS.\\n')")
    )
    people("draft", "ana-ruiz", *GOAL)
    out = people("draft", "ana-ruiz", "--resume")
    assert out.stdout.endswith("PS.\nPS.\n")  # the kept text, edited once more
    (saved,) = kept_files(home).values()
    assert saved["text"].endswith("PS.\nPS.\n")


def test_resume_without_a_kept_draft(people: Runner) -> None:
    out = people.refused("draft", "bo-chen", "--resume")
    assert "no kept draft for Bo Chen" in out.stderr
    assert "infoint draft bo-chen --kind outreach" in out.stderr
    people("draft", "bo-chen", "--no-edit")
    out = people.refused("draft", "bo-chen", "--resume", "--kind", "thank-you")
    assert "no kept thank-you draft" in out.stderr


def test_discard_and_record_end_a_kept_draft(people: Runner, home: Path) -> None:
    people("draft", "bo-chen", "--no-edit")
    people("draft", "ana-ruiz", *GOAL, "--no-edit")
    assert "Discarded draft 1 (outreach to Bo Chen)." in people("drafts", "--discard", "1").stderr
    assert list(kept_files(home)) == ["2.json"]
    assert "no kept draft 7" in people.refused("drafts", "--discard", "7").stderr.lower()
    people("draft", "ana-ruiz", "--resume", "--no-edit", "--record")
    assert kept_files(home) == {}
    assert people.json("show", "ana-ruiz")["status"] == "contacted"


def test_a_draft_for_someone_removed_still_lists(people: Runner) -> None:
    people("draft", "bo-chen", "--no-edit")
    people("remove", "bo-chen", "--yes")
    assert "bo-chen (removed)" in people("drafts").stdout


def test_kept_drafts_are_private_and_unreadable_ones_skipped(people: Runner, home: Path) -> None:
    people("draft", "bo-chen", "--no-edit")
    assert (home / "drafts" / "1.json").stat().st_mode & 0o077 == 0
    (home / "drafts" / "2.json").write_text("{not json")
    (home / "drafts" / "notes.txt").write_text("mine")
    assert [k.number for k in kept.load(home)] == [1]


def test_the_choices_about_kept_drafts() -> None:
    a = kept.Kept(1, "u1", "ana", "Ana", "outreach", "A", "2026-11-01T10:00:00+00:00")
    b = kept.Kept(4, "u1", "ana", "Ana", "thank-you", "B", "2026-11-03T10:00:00+00:00")
    c = kept.Kept(2, "u2", "bo", "Bo", "outreach", "C", "2026-11-05T10:00:00+00:00")
    assert kept.next_number([a, b, c]) == 5 and kept.next_number([]) == 1
    assert kept.latest([a, b, c], "u1") is b
    assert kept.latest([a, b, c], "u1", "outreach") is a
    assert kept.latest([a, b, c], "u3") is None
    assert kept.same([a, b, c], "u1", "outreach", "A") is a
    assert kept.same([a, b, c], "u1", "outreach", "B") is None
    assert kept.Kept(9, "u", "h", "N", "outreach", "Subject: Hi\n\nx", "").subject == "Hi"
    assert kept.Kept(9, "u", "h", "N", "outreach", "", "").subject == ""


def test_a_new_draft_says_an_older_one_is_kept(
    people: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    monkeypatch.setenv(
        "EDITOR", fake_editor(tmp_path, "path.write_text(path.read_text() + 'PS.\\n')")
    )
    people("draft", "ana-ruiz", *GOAL)
    out = people("draft", "ana-ruiz", *GOAL, "--no-edit")
    assert "Your outreach draft 1 to Ana Ruiz is kept as well" in out.stderr
    assert list(kept_files(home)) == ["1.json", "2.json"]
    assert "kept as well" not in people("draft", "ana-ruiz", *GOAL, "--no-edit").stderr
