"""Your data from the command line (cli/changes.py: history, undo, doctor; cli/data.py:
imports, exports, config)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from conftest import INTRO, Runner, at, meeting


def test_history_limit_and_json_from_the_command_line(run: Any) -> None:
    for name in ("Jane Doe", "Sam Lee", "Bo Chen"):
        run("add-contact", name)
    assert [e["seq"] for e in run.json("history", "--limit", "2")] == [3, 2]
    assert "--limit takes 1 or more" in run.refused("history", "-n", "0", "--json").stderr
    entry = run.json("history", "-n", "1")[0]
    assert entry["what"] == "add contact Bo Chen" and entry["undone_by"] is None


def test_export_into_a_folder_is_refused_plainly(run: Any, tmp_path: Any) -> None:
    run("add-contact", "Jane Doe")
    folder = tmp_path / "somewhere"
    folder.mkdir()
    for force in ((), ("--force",)):
        out = run("export", "csv", "--out", str(folder), *force, code=1)
        assert out.stderr.startswith(f"Error: {folder} is a folder, not a file.")
        assert f"--out {folder / 'infoint-contacts.csv'}" in out.stderr


@pytest.mark.parametrize(
    ("key", "value"), [("keep_backups", "0"), ("alarm_minutes", "9999"), ("min_questions", "99")]
)
def test_settings_out_of_bounds_are_refused(run: Any, key: str, value: str) -> None:
    out = run.refused("config", key, value)
    assert key in out.stderr


def test_a_google_dry_run_plans_without_writing(run: Any, home: Any) -> None:
    from pathlib import Path

    data = Path(__file__).resolve().parents[2] / "shared" / "data" / "google_contacts.csv"
    if not data.exists():
        pytest.skip("the shared sample data is not beside")
    out = run("import", "google", str(data), "--dry-run")
    assert "Would add 4 new contact(s)" in out.stderr
    assert "jane-doe" in out.stdout and "bo" in out.stdout
    assert not (home / "store.json").exists()


def test_the_first_undo_of_an_import_names_it(run: Any, tmp_path: Any) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text("First Name,Last Name\nAda,Lovelace\nGrace,Hopper\n")
    run("import", "linkedin", str(path))
    out = run.refused("undo")
    assert "The last change was import linkedin" in out.stderr
    assert "Undo will: remove contact Grace Hopper; remove contact Ada Lovelace." in out.stderr


def test_history_n_0_is_refused_not_an_empty_history(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    out = run.refused("history", "-n", "0")
    assert "--limit takes 1 or more" in out.stderr
    assert "add-contact" in run("history", "-n", "1").stdout


def test_doctor_exits_1_when_it_finds_a_problem(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    assert run("doctor").exit_code == 0
    os.chmod(run.home, 0o755)  # readable by others: a warning
    out = run("doctor", code=1)
    assert "chmod 700" in out.stdout


def test_a_damaged_vcard_body_is_refused(run: Runner, tmp_path: Path) -> None:
    path = tmp_path / "bad.vcf"
    path.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Ana\nEND:VCARD\nBEGIN:VCARD\n:::\n")
    out = run("import", "vcard", str(path), code=None)
    assert out.exit_code in (0, 1) and "Traceback" not in out.stderr


def test_config_prints_one_value_and_sets_text(run: Runner) -> None:
    assert run("config", "me.name").stdout == "\n"
    assert run("config", "me.name", "[Alex] Kim").stderr == "me.name = [Alex] Kim\n"
    assert run("config", "me.name").stdout == "[Alex] Kim\n"
    assert run.json("config", "me.name") == {"me.name": "[Alex] Kim"}


def test_every_setting_is_listed_with_its_default(run: Runner) -> None:
    listed = run.json("config")
    assert listed["keep_backups"] == 10 and listed["draft_word_budget"] == 170
    assert list(listed)[-3:] == ["me.name", "me.intro", "me.signature"]


def test_undo_names_the_place_and_mode_it_puts_back(met: Runner) -> None:
    met("meeting", "edit", "1", "--phone", "--paid", "0")
    out = met("undo", "--yes")
    assert (
        "Undo will: change meeting 1 with Jo Ma, Thu 26 Nov 07:00: mode back to in person, "
        "place back to Blue Bottle, venue back to cafe, bill back to 12.00." in out.stderr
    )
    assert meeting(met)["place"] == "Blue Bottle"


def test_undo_of_a_move_names_the_new_place_too(met: Runner) -> None:
    met("schedule", "jo-ma", at(days=2), "--phone", "--also")
    met("reschedule", "2", at(days=3), "--at", "Blue Bottle")
    out = met("undo", "--yes")
    assert (
        "move meeting 2 with Jo Ma to Sat 28 Nov 09:00: mode back to phone, place back to empty"
        in out.stderr
    )


def test_history_speaks_in_user_words(run: Runner) -> None:
    run("add-contact", "Sam Lee")
    run("outreach", "sam-lee", *INTRO, "--sent", at(days=-20))
    run("not-now", "sam-lee")
    run("edit", "sam-lee", "--company", "Acme", "--tag", "design", "--prefers", "in_person")
    shown = run("history", "--no-pager").stdout
    assert "let_go_at" not in shown and "_" not in shown.replace("not-now", "")
    entries = {e["command"]: e["what"] for e in run.json("history")}
    assert entries["not-now"] == "change Sam Lee: let go (not-now)"
    assert entries["edit"] == (
        "change Sam Lee: company to Acme, add tag design, preferred mode to in person"
    )
    run("undo", "--yes")
    assert "change Sam Lee: no longer let go." in run("undo", "--yes", "--older").stderr


def test_messages_are_named_by_their_own_command_in_history(met: Runner) -> None:
    met("thank", "jo-ma")
    met("heard", "jo-ma", "--note", "Thanks!")
    met("touch", "jo-ma", "--force")
    commands = [e["command"] for e in met.json("history")[:3]]
    assert commands == ["touch", "heard", "thank"]


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("far_date_days", "0", "far_date_days takes 1 to 36500 (got 0)."),
        ("max_nudges", "9", "max_nudges takes 0 to 5 (got 9)."),
    ],
)
def test_a_setting_out_of_range_says_its_range(
    run: Runner, key: str, value: str, words: str
) -> None:
    out = run.refused("config", key, value)
    assert f"Error: {words}" in out.stderr and "(the default)" in out.stderr


@pytest.mark.parametrize(
    ("config", "said"),
    [
        ("garbage = = =\n", "cannot be read"),
        ('max_nudges = "lots"\n', "has a bad value: max_nudges"),
    ],
)
def test_doctor_finds_a_settings_file_that_stops_every_command(
    run: Runner, home: Path, config: str, said: str
) -> None:
    run("add-contact", "Ana Ruiz")
    (home / "config.toml").write_text(config)
    assert said in run.refused("contacts").stderr
    found = run("doctor", code=1)
    assert said in found.stdout and "All good" not in found.stdout
    listed = run("doctor", "--json", code=1).stdout
    assert '"level": "error"' in listed and said in listed


def test_an_import_keeps_two_jane_does_with_different_e_mails(run: Runner, tmp_path: Path) -> None:
    run("add-contact", "Jane Doe", "--email", "jane1@x.example")
    path = tmp_path / "people.csv"
    path.write_text(
        "Name,Email\n"
        "Jane Doe,jane2@y.example\n"  # another Jane Doe: not merged into the first
        "Jane Doe,JANE1@x.example\n"  # the first again, by her e-mail
        "Jane Doe,\n"  # a name alone, no company: the first one, said as it is
    )
    out = run("import", "csv", str(path))
    assert "merged (same name and company" not in out.stdout + out.stderr
    listed = {c["handle"]: c["email"] for c in run.json("contacts")}
    assert listed == {"jane-doe": "jane1@x.example", "jane-doe-2": "jane2@y.example"}
    again = run("import", "csv", str(path), "--dry-run")
    assert "same name as jane-doe" in again.stdout + again.stderr


def test_config_at_50_columns_still_says_what_each_setting_does(run: Runner) -> None:
    from infoint import layout
    from infoint.setting_notes import note

    run("config", "max_nudges", "1")
    settings = run.json("config")
    run.width = 50
    shown = run("config").stdout
    lines = shown.splitlines()
    assert all(layout.cell_len(line) <= 50 for line in lines), lines
    flat = " ".join(shown.split())
    for key in settings:
        assert key in lines, key
        assert " ".join(note(key).split()) in flat, key
    assert flat.count(" · default ") == len(settings)
    assert "max_nudges 1 · R2: follow-up messages allowed" in flat and "· default 0" in flat


def test_an_import_merges_into_someone_added_by_hand(run: Runner, tmp_path: Path) -> None:
    run("add-contact", "Jane Doe", "--company", "Acme")
    export = tmp_path / "Connections.csv"
    export.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Jane,Doe,https://www.linkedin.com/in/jd,,Acme Inc,Editor,01 Jan 2025\n"
    )
    run("import", "linkedin", str(export))
    (jane,) = run.json("contacts")
    assert (jane["handle"], jane["role"]) == ("jane-doe", "Editor")
