"""Mail as it comes in real mailboxes, not as a test would write it: HTML only, a
contact in Bcc, auto-replies and list mail, no Date, folders laid out by offlineimap
or mbsync, a file that is not an mbox, a --since in the future."""

from __future__ import annotations

import json
import mailbox
import os
from collections.abc import Iterator
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from mailboxes import (
    EXPECTED,
    ME,
    Server,
    at,
    contacts,
    imap,
    inbox_mail,
    message,
    sent_mail,
    start_server,
    use_server,
    write_mbox,
)
from test_imap import flags

from conftest import Clock, Runner
from infoint.records import ContactFields
from infoint.services import Tracker

__all__ = ["imap"]

HTML = (
    "<html><head><style>p {margin: 0}</style></head><body><p>Hi Dana,</p><p>I'm Alex, "
    "a data analyst moving into product design. Your <b>talk on research ops</b> made me "
    "rethink how teams share work. I hope to learn which skills matter most in your "
    "first year.</p><p>Could we talk for 20 minutes by phone, whenever suits you?</p>"
    "</body></html>"
)


@pytest.fixture
def run(clock: Clock, home: Path) -> Runner:
    return Runner(clock, home)


def html_outreach() -> EmailMessage:
    msg = message(ME, "Dana Fox <dana@example.com>", at(24), "Research ops", "", "s-dana")
    msg.set_content(HTML, subtype="html")
    return msg


def bcc_outreach() -> EmailMessage:
    msg = message(ME, "Alex <alex@example.org>", at(24, 11), "Twenty minutes?",
                  "I'm Alex; your work at Acme is why I write; I hope to learn how you "
                  "hire. A 20 minutes call whenever suits you?", "s-eve")  # fmt: skip
    msg["Bcc"] = "Eve Park <EVE@example.com>"
    return msg


def automatic() -> list[EmailMessage]:
    away = message("Dana Fox <dana@example.com>", ME, at(24, 12), "Out of office",
                   "I am away until Monday.", "r-dana-away")  # fmt: skip
    away["Auto-Submitted"] = "auto-replied"
    digest = message("Eve Park <eve@example.com>", ME, at(24, 13), "[design] weekly",
                     "Notes from the list.", "r-eve-list")  # fmt: skip
    digest["List-Id"] = "Design talk <design.lists.example.com>"
    bulk = message("Eve Park <eve@example.com>", ME, at(24, 14), "Newsletter",
                   "Our news.", "r-eve-bulk")  # fmt: skip
    bulk["Precedence"] = "bulk"
    return [away, digest, bulk]


def undated() -> EmailMessage:
    msg = message("Eve Park <eve@example.com>", ME, at(25), "Sure", "Happy to talk.", "r-eve")
    del msg["Date"]
    return msg


def more_contacts(tracker: Tracker) -> None:
    contacts(tracker)
    tracker.config_set("mail.user", ME)
    for name, email in (("Dana Fox", "dana@example.com"), ("Eve Park", "eve@example.com")):
        tracker.add_contact(name, ContactFields(email=email, why="your talk on research ops"))


#: What the odd messages become, after the story's EXPECTED.
ODD = [
    ("dana-fox", "outreach", []),  # its HTML read: it says all three parts of R1
    ("eve-park", "outreach", []),  # Eve was in Bcc
    ("eve-park", "reply", []),  # no Date: dated when it arrived
]
LEFT_ALONE = [
    ("dana-fox", "an automatic reply, not counted"),
    ("eve-park", "sent to a mailing list, not counted"),
    ("eve-park", "sent in bulk, not counted"),
]


def scanned(out: str) -> tuple[list[tuple[str, str, list[str]]], list[tuple[str, str]]]:
    found = json.loads(out)
    return (
        [(p["contact"], p["kind"], p["missing"]) for p in found["proposals"]],
        [(s["contact"], s["reason"]) for s in found["left_alone"]],
    )


def write_odd_maildir(root: Path, arrived: datetime) -> None:
    """The odd messages in a Maildir++ (the inbox at the root, sent mail in .Sent);
    the undated one delivered at `arrived`."""
    root.parent.mkdir(parents=True, exist_ok=True)
    box = mailbox.Maildir(root, create=True)
    sent = box.add_folder("Sent")
    for msg in (html_outreach(), bcc_outreach()):
        sent.add(mailbox.MaildirMessage(msg))
    for msg in automatic():
        box.add(mailbox.MaildirMessage(msg))
    key = box.add(mailbox.MaildirMessage(undated()))
    stamp = arrived.timestamp()
    os.utime(root / box._lookup(key), (stamp, stamp))  # the file delivered


@pytest.fixture
def odd_server(tmp_path: Path) -> Iterator[Server]:
    write_odd_maildir(tmp_path / "imap" / "alex", at(25))
    server = start_server(tmp_path / "imap")
    yield server
    server.stop()


def test_odd_mail_on_a_server_is_read_as_written_and_no_flag_changes(
    odd_server: Server, tracker: Tracker, run: Runner
) -> None:
    more_contacts(tracker)
    use_server(tracker, odd_server.port)
    before = flags(odd_server.port)
    found, left = scanned(run("mail", "scan", "--dry-run", "--json").stdout)
    assert found == EXPECTED + ODD
    assert left == LEFT_ALONE
    assert flags(odd_server.port) == before


@pytest.mark.parametrize("kind", ["maildir", "mbox"])
def test_odd_mail_in_local_files_is_read_as_written(
    kind: str, tracker: Tracker, run: Runner, tmp_path: Path
) -> None:
    more_contacts(tracker)
    if kind == "maildir":
        where = tmp_path / "Mail"
        write_odd_maildir(where, at(25))
        box = mailbox.Maildir(where, create=False)
        for msg in inbox_mail():
            box.add(mailbox.MaildirMessage(msg))
        for msg in sent_mail():
            box.get_folder("Sent").add(mailbox.MaildirMessage(msg))
    else:
        where = write_mbox(tmp_path / "All mail.mbox")
        box = mailbox.mbox(where)
        for msg in (html_outreach(), bcc_outreach()):
            msg["X-Gmail-Labels"] = "Opened, Sent"  # spaces after the commas too
            box.add(mailbox.mboxMessage(msg))
        for msg in automatic():
            box.add(mailbox.mboxMessage(msg))
        late = mailbox.mboxMessage(undated())
        late.set_from("eve@example.com", at(25).timetuple())
        box.add(late)
        box.flush()
        box.close()
    found, left = scanned(run("mail", "scan", f"--{kind}", where, "--dry-run", "--json").stdout)
    assert found == EXPECTED + ODD
    assert left == LEFT_ALONE
    done = run("mail", "scan", f"--{kind}", where, "--yes", "--json")
    recorded = [p["recorded"] for p in json.loads(done.stdout)["proposals"]]
    assert recorded[-3:] == ["outreach", "outreach", None]
    eve = [e for e in tracker.read().events if e.contact == tracker.read().contacts[-1].uuid]
    assert [e.at for e in eve] == [at(24, 11)]


@pytest.mark.parametrize("layout", ["verbatim", "gmail", "fs"])
def test_a_folder_of_maildirs_is_read_with_its_sent_folder(
    layout: str, tracker: Tracker, run: Runner, tmp_path: Path
) -> None:
    """offlineimap and mbsync keep each folder as a Maildir of its own: ~/Mail/INBOX,
    ~/Mail/Sent or ~/Mail/[Gmail]/Sent Mail; a Gmail Maildir++ names it .[Gmail].Sent Mail;
    Dovecot's fs layout keeps Sent/ inside the inbox's Maildir."""
    contacts(tracker)
    tracker.config_set("mail.user", ME)
    root = tmp_path / "Mail"
    if layout == "verbatim":
        for folder in ("Personal", "Archive"):
            (root / folder).mkdir(parents=True)
        inbox = mailbox.Maildir(root / "INBOX", create=True)
        sent = mailbox.Maildir(root / "Personal" / "Sent", create=True)
        mailbox.Maildir(root / "Archive" / "2024", create=True)
    elif layout == "fs":  # Dovecot's LAYOUT=fs: the inbox at the root, folders in it
        inbox = mailbox.Maildir(root, create=True)
        sent = mailbox.Maildir(root / "Sent", create=True)
    else:
        tracker.config_set("mail.sent_folder", "[Gmail]/Sent Mail")
        inbox = mailbox.Maildir(root, create=True)
        sent = inbox.add_folder("[Gmail].Sent Mail")
    for msg in inbox_mail():
        inbox.add(mailbox.MaildirMessage(msg))
    for msg in sent_mail():
        msg.replace_header("From", "Alex <alex@work.example>")  # not mail.user: the folder says
        sent.add(mailbox.MaildirMessage(msg))
    found, _ = scanned(run("mail", "scan", "--maildir", root, "--dry-run", "--json").stdout)
    assert found == EXPECTED


def test_a_folder_with_no_maildir_in_it_is_refused(run: Runner, tmp_path: Path) -> None:
    (tmp_path / "Mail" / "notes").mkdir(parents=True)
    out = run.refused("mail", "scan", "--maildir", tmp_path / "Mail", "--dry-run")
    assert "is not a Maildir" in out.stderr
    assert "Hint: Give the folder that holds cur/" in out.stderr


def test_a_file_that_is_not_an_mbox_is_refused(
    tracker: Tracker, run: Runner, tmp_path: Path
) -> None:
    contacts(tracker)
    export = tmp_path / "mail.zip"
    export.write_bytes(b"PK\x03\x04" + b"\0" * 64)
    out = run.refused("mail", "scan", "--mbox", export, "--yes")
    assert out.stderr.startswith(f"Error: {export} is not an mbox file")
    assert "Hint: Give an mbox file" in out.stderr
    assert not (run.home / "mail.json").exists()
    empty = tmp_path / "empty.mbox"
    empty.write_bytes(b"")
    assert "nothing new to record" in run("mail", "scan", "--mbox", empty, "--dry-run").stdout


@pytest.mark.parametrize("when", ["tomorrow", "2030-01-01", "in 3 days"])
def test_a_since_in_the_future_is_refused(
    when: str, tracker: Tracker, run: Runner, tmp_path: Path
) -> None:
    contacts(tracker)
    where = write_mbox(tmp_path / "All mail.mbox")
    out = run.refused("mail", "scan", "--mbox", where, "--since", when, "--yes")
    assert "after today: there is no mail from then yet." in out.stderr
    assert 'Hint: Give a day in the past, e.g. --since "30 days ago"' in out.stderr
    assert not (run.home / "mail.json").exists()


@pytest.mark.parametrize("password", ["pässwört-ü", "wrong-pässwört"])
def test_a_password_that_is_not_ascii_logs_in_and_never_shows(
    password: str, imap: Server, tracker: Tracker, run: Runner
) -> None:
    from pysasl.hashing import BuiltinHash

    shadow = imap.base / "pymap-etc-shadow"
    shadow.write_text(f"{ME}:{BuiltinHash(rounds=1000).hash('pässwört-ü')}\n")
    use_server(tracker, imap.port, f"printf '%s\\n' '{password}'")
    contacts(tracker)
    if password.startswith("wrong"):
        out = run.refused("mail", "scan", "--dry-run")
        assert out.stderr.startswith("Error: 127.0.0.1 refused the login of alex@example.org")
    else:
        out = run("mail", "scan", "--dry-run", "--json")
        assert [p["kind"] for p in json.loads(out.stdout)["proposals"]][:2] == ["reply", "outreach"]
    for secret in (password, "ä", "\\xe4"):
        assert secret not in out.stdout + out.stderr


@pytest.fixture
def late_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """Jane's answer, dated 5 November by her clock, reached the server on 26 November
    at noon, after the last scan; the story's mail all arrived on 3 November."""
    import mailboxes

    story = mailboxes.write_maildir

    def write(root: Path, big: bool = False) -> Path:
        story(root, big)
        for path in root.rglob("*"):
            if path.is_file():
                os.utime(path, (at(3).timestamp(), at(3).timestamp()))
        box = mailbox.Maildir(root, create=False)
        late = message("Jane Doe <jane@example.org>", ME, at(5), "Slow answer", "Yes!", "r-late")
        path = root / box._lookup(box.add(mailbox.MaildirMessage(late)))
        os.utime(path, (at(26, 12).timestamp(), at(26, 12).timestamp()))
        return root

    monkeypatch.setattr(mailboxes, "write_maildir", write)
    server = start_server(tmp_path / "imap")
    yield server
    server.stop()


def test_mail_that_arrives_after_the_last_scan_counts_though_dated_before(
    late_server: Server, tracker: Tracker, run: Runner, clock: Clock, tmp_path: Path
) -> None:
    contacts(tracker)
    use_server(tracker, late_server.port)
    empty = tmp_path / "empty.mbox"
    empty.write_bytes(b"")
    run("mail", "scan", "--mbox", empty, "--yes")  # the last scan: now, 26 November 9:00
    clock.advance(days=1)
    out = json.loads(run("mail", "scan", "--dry-run", "--json").stdout)
    assert [(p["contact"], p["subject"]) for p in out["proposals"]] == [("jane-doe", "Slow answer")]


def test_of_a_strangers_mail_in_a_local_file_only_the_headers_are_read(
    tracker: Tracker, run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As on a server: a Takeout of thousands of newsletters is not read through."""
    from infoint.mail import local

    contacts(tracker)
    tracker.config_set("mail.user", ME)
    where = write_mbox(tmp_path / "All mail.mbox")
    box = mailbox.mbox(where)
    for n in range(30):
        box.add(mailbox.mboxMessage(message(f"Shop <news{n}@shop.example>", ME, at(20),
                                            "Sale", "SECRET-BODY " * 50, f"news{n}")))  # fmt: skip
    box.flush()
    box.close()
    read: list[bytes] = []

    def parse(raw: bytes, role: str = "any", text: bytes | None = None) -> object:
        read.append(raw)
        return local_parse(raw, role, text)  # type: ignore[arg-type]

    local_parse = local.parse
    monkeypatch.setattr(local, "parse", parse)
    found, _ = scanned(run("mail", "scan", "--mbox", where, "--dry-run", "--json").stdout)
    assert found == EXPECTED
    assert read and not any(b"SECRET-BODY" in raw for raw in read)
