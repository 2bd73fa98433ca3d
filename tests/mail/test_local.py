"""The same mailbox read from local files: a Maildir (mutt, aerc, notmuch) and an mbox
(Gmail Takeout), through the standard `mailbox` module, never written to."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from mailboxes import EXPECTED, ME, contacts, files_under, write_maildir, write_mbox

from conftest import Clock, Runner
from infoint.services import Tracker


@pytest.fixture
def run(clock: Clock, home: Path) -> Runner:
    return Runner(clock, home)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file's name and a digest of its bytes: flags live in Maildir file names."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in files_under(folder)
    }


def proposals(text: str) -> list[tuple[str, str, list[str]]]:
    return [(p["contact"], p["kind"], p["missing"]) for p in json.loads(text)["proposals"]]


@pytest.mark.parametrize("kind", ["maildir", "mbox"])
def test_a_local_mailbox_gives_the_same_proposals_and_is_left_as_it_was(
    kind: str, tracker: Tracker, run: Runner, tmp_path: Path
) -> None:
    contacts(tracker)
    tracker.config_set("mail.user", ME)
    if kind == "maildir":
        where = write_maildir(tmp_path / "Mail")
        before = snapshot(where)
    else:
        where = write_mbox(tmp_path / "All mail.mbox")
        before = {"mbox": hashlib.sha256(where.read_bytes()).hexdigest()}
    option = f"--{kind}"
    out = run("mail", "scan", option, where, "--dry-run", "--json")
    assert proposals(out.stdout) == EXPECTED
    first = run("mail", "scan", option, where, "--yes", "--json")
    assert [p["recorded"] for p in json.loads(first.stdout)["proposals"]] == [
        None, "outreach", None, "thank", "outreach", "touch", "heard", None
    ]  # fmt: skip
    events = [e.model_dump(mode="json") for e in tracker.read().events]
    again = json.loads(run("mail", "scan", option, where, "--yes", "--json", "--since",
                           "2026-08-01").stdout)  # fmt: skip
    assert [p["kind"] for p in again["proposals"]] == ["reply", "reply", "reply"]
    assert [e.model_dump(mode="json") for e in tracker.read().events] == events
    if kind == "maildir":
        assert snapshot(where) == before
    else:
        assert {"mbox": hashlib.sha256(where.read_bytes()).hexdigest()} == before


def test_the_sent_mail_of_a_maildir_is_known_by_its_folder_without_mail_user(
    tracker: Tracker, run: Runner, tmp_path: Path
) -> None:
    contacts(tracker)
    where = write_maildir(tmp_path / "Mail")
    out = run("mail", "scan", "--maildir", where, "--dry-run", "--json")
    assert proposals(out.stdout) == EXPECTED


def test_a_takeout_mbox_without_labels_needs_your_address(
    tracker: Tracker, run: Runner, tmp_path: Path
) -> None:
    """Without mail.user and without Gmail's labels, a message to a contact could be
    anyone's: only what contacts sent you is proposed."""
    import mailbox

    contacts(tracker)
    path = write_mbox(tmp_path / "all.mbox")
    box = mailbox.mbox(path)
    for key in list(box.keys()):
        msg = box[key]
        del msg["X-Gmail-Labels"]
        box[key] = msg
    box.flush()
    box.close()
    out = run("mail", "scan", "--mbox", path, "--dry-run", "--json")
    assert [k for _, k, _ in proposals(out.stdout)] == ["reply", "heard", "heard", "heard"]


def test_a_folder_that_is_not_a_maildir_is_refused(run: Runner, tmp_path: Path) -> None:
    out = run.refused("mail", "scan", "--maildir", tmp_path)
    assert f"Error: {tmp_path} is not a Maildir" in out.stderr
    out = run.refused("mail", "scan", "--mbox", tmp_path / "none.mbox")
    assert "is not a file" in out.stderr
    out = run.refused("mail", "scan", "--mbox", "a", "--maildir", "b")
    assert "not both" in out.stderr


def test_a_draft_handed_over_as_eml_and_recorded_is_known_by_its_message_id(
    tracker: Tracker, run: Runner, tmp_path: Path
) -> None:
    """`draft --eml FILE --record` gives the .eml a Message-ID and keeps it in the
    record: the sent copy found later is that outreach, never a second one."""
    import email
    import mailbox
    from email import policy

    contacts(tracker)
    tracker.config_set("mail.user", ME)
    eml = tmp_path / "draft.eml"
    run("draft", "jane-doe", "--goal", "Learn which skills matter", "--no-edit", "--eml", eml,
        "--record", "--force")  # fmt: skip
    sent = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert sent["Message-ID"].endswith("@infoint.invalid>")
    sent["From"] = ME
    sent["Date"] = "Wed, 25 Nov 2026 10:00:00 +0000"
    box = mailbox.Maildir(tmp_path / "Mail", create=True)
    box.add_folder("Sent").add(mailbox.MaildirMessage(sent))
    found = json.loads(run("mail", "scan", "--maildir", tmp_path / "Mail", "--dry-run",
                           "--json").stdout)  # fmt: skip
    assert found["proposals"] == []
    assert found["already_recorded"] == 1
