"""`infoint mail scan` against a real IMAP server (pymap on 127.0.0.1), end to end."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from imapclient import IMAPClient
from mailboxes import (
    EXPECTED,
    ME,
    PASSWORD,
    Proxy,
    Server,
    contacts,
    files_under,
    imap,
    start_server,
    use_server,
)

from conftest import Clock, Runner
from infoint.services import Tracker

__all__ = ["imap"]


@pytest.fixture
def run(clock: Clock, home: Path) -> Runner:
    return Runner(clock, home)


@pytest.fixture
def big(tmp_path: Path) -> Iterator[Server]:
    server = start_server(tmp_path / "big-imap", big=True)
    yield server
    server.stop()


def flags(port: int) -> dict[str, list[tuple[bytes, ...]]]:
    """Every message's flags, read the way infoint reads (EXAMINE): \\Recent aside."""
    client = IMAPClient("127.0.0.1", port=port, ssl=False, timeout=10)
    client.login(ME, PASSWORD)
    found = {}
    for name in ("INBOX", "Sent"):
        client.select_folder(name, readonly=True)
        got = client.fetch(client.search("ALL"), ["FLAGS"])
        found[name] = [tuple(f for f in got[u][b"FLAGS"] if f != b"\\Recent") for u in sorted(got)]
    client.logout()
    return found


def recorded_events(tracker: Tracker) -> list[dict[str, object]]:
    return [e.model_dump(mode="json") for e in tracker.read().events]


def proposals(outcome: str) -> list[tuple[str, str, list[str]]]:
    return [(p["contact"], p["kind"], p["missing"]) for p in json.loads(outcome)["proposals"]]


def test_a_scan_proposes_exactly_what_the_mail_says_and_changes_no_flag(
    big: Server, tracker: Tracker, run: Runner
) -> None:
    contacts(tracker)
    use_server(tracker, big.port)
    proxy = Proxy(big.port).start()
    tracker.config_set("mail.port", str(proxy.port))
    before = flags(big.port)
    out = run("mail", "scan", "--dry-run", "--json")
    assert proposals(out.stdout) == EXPECTED
    found = json.loads(out.stdout)
    assert found["already_recorded"] == 1  # Sam's outreach, typed in by hand
    subjects = [p["subject"] for p in found["proposals"]]
    assert "Café ☕ et questions" in subjects and "Re: Café ☕ et questions" in subjects
    # the 20 MB of slides stay on the server: headers and text parts only
    assert proxy.received < 1_000_000
    assert flags(big.port) == before
    assert "jane.doe@gmail.com" not in out.stdout  # her second address is not known


def test_yes_records_the_plain_ones_once_and_a_second_scan_finds_nothing_new(
    imap: Server, tracker: Tracker, run: Runner, home: Path
) -> None:
    contacts(tracker)
    use_server(tracker, imap.port)
    before = flags(imap.port)
    first = run("mail", "scan", "--yes", "--json")
    recorded = [(p["contact"], p["recorded"]) for p in json.loads(first.stdout)["proposals"]]
    assert recorded == [
        ("sam-lee", None),
        ("jane-doe", "outreach"),
        ("jane-doe", None),
        ("bo-chen", "thank"),
        ("chidi-okafor", "outreach"),
        ("eleanor-shellstrop", "touch"),
        ("bo-chen", "heard"),
        ("chidi-okafor", None),
    ]
    assert "3 replies left to sort" in first.stderr
    events = recorded_events(tracker)
    ids = [e.get("message_id") for e in events if e.get("message_id")]
    assert ids == [
        "<s-jane@mail.test>",
        "<s-bo@mail.test>",
        "<s-chidi@mail.test>",
        "<s-eleanor@mail.test>",
        "<r-bo@mail.test>",
    ]
    chidi = next(e for e in events if e.get("message_id") == "<s-chidi@mail.test>")
    assert chidi["r1_missing"] == ["what you hope to learn"]
    assert "Désolé" not in json.dumps(events)  # his answer waits to be sorted
    # the same window again: nothing new, nothing written
    again = run("mail", "scan", "--yes", "--json", "--since", "2026-08-01")
    found = json.loads(again.stdout)
    assert [(p["contact"], p["kind"], p["recorded"]) for p in found["proposals"]] == [
        ("sam-lee", "reply", None),
        ("jane-doe", "reply", None),
        ("chidi-okafor", "reply", None),
    ]
    assert found["already_recorded"] == 6
    assert recorded_events(tracker) == events
    assert flags(imap.port) == before


def test_followups_mentions_the_replies_left_to_sort(
    imap: Server, tracker: Tracker, run: Runner
) -> None:
    contacts(tracker)
    use_server(tracker, imap.port)
    run("mail", "scan", "--yes")
    out = run("followups")
    assert (
        "Mail: 3 replies found in your mail wait for you to say what they said "
        "(Sam Lee, Jane Doe, Chidi Okafor): infoint mail scan"
    ) in out.stderr


def test_on_a_terminal_each_reply_is_sorted_with_one_key(
    imap: Server, tracker: Tracker, run: Runner, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    contacts(tracker)
    use_server(tracker, imap.port)
    run.interactive = True
    # yes to the plain ones; Sam referred you (to Ana Ruiz), Jane agreed, Chidi declined
    out = run("mail", "scan", input="y\nrAna Ruiz\nad")
    assert "Sam Lee wrote on Thu 5 Nov 2026: Re: Twenty minutes?" in out.stderr
    assert "Désolé, je n'ai pas le temps" in out.stderr
    assert "Recorded a referral from Sam Lee" in out.stderr
    doc = tracker.read()
    answers = {
        next(c.handle for c in doc.contacts if c.uuid == e.contact): e.answer
        for e in doc.events
        if e.kind == "reply" and (e.model_extra or {}).get("message_id")
    }
    assert answers == {"sam-lee": "referred", "jane-doe": "agreed", "chidi-okafor": "declined"}
    ana = next(c for c in doc.contacts if c.name == "Ana Ruiz")
    assert ana.source == "referral"
    assert "left to sort" not in out.stderr
    assert run("followups").stderr.count("Mail:") == 0
    # nothing left: a second scan records nothing
    stored = recorded_events(tracker)
    again = run("mail", "scan", "--since", "2026-08-01")
    assert "nothing new to record" in again.stdout
    assert recorded_events(tracker) == stored


def test_a_scan_without_a_terminal_or_yes_records_nothing(
    imap: Server, tracker: Tracker, run: Runner, home: Path
) -> None:
    contacts(tracker)
    use_server(tracker, imap.port)
    before = run.store_bytes()
    out = run("mail", "scan", code=1)
    assert "Error: Nothing was recorded: there is no terminal to ask on." in out.stderr
    assert "Hint: Add --yes" in out.stderr
    assert run.store_bytes() == before
    assert not (home / "mail.json").exists()


def test_folders_lists_the_server_folders(imap: Server, tracker: Tracker, run: Runner) -> None:
    use_server(tracker, imap.port)
    out = run("mail", "folders")
    assert out.stdout.splitlines() == ["INBOX  (mail.inbox_folder)", "Sent  (mail.sent_folder)"]
    assert run.json("mail", "folders") == ["INBOX", "Sent"]


# failures: one line each, nothing half-recorded --------------------------------------


def refused(run: Runner, *args: str) -> str:
    before = run.store_bytes()
    out = run(*args, code=1)
    assert run.store_bytes() == before
    lines = out.stderr.strip().splitlines()
    assert lines[0].startswith("Error: ") and len(lines) <= 2, out.stderr
    return out.stderr


def test_a_wrong_password_is_one_line(imap: Server, tracker: Tracker, run: Runner) -> None:
    contacts(tracker)
    use_server(tracker, imap.port, password_command="echo not-the-password")
    err = refused(run, "mail", "scan", "--yes")
    assert "refused the login of alex@example.org: wrong user name or password" in err
    assert "not-the-password" not in err


def test_a_missing_folder_names_it(imap: Server, tracker: Tracker, run: Runner) -> None:
    contacts(tracker)
    use_server(tracker, imap.port)
    tracker.config_set("mail.sent_folder", "Sent Items")
    err = refused(run, "mail", "scan", "--yes")
    assert "There is no folder 'Sent Items' on 127.0.0.1." in err
    assert "infoint mail folders" in err


def test_a_server_gone_mid_scan_leaves_everything_as_it_was(
    imap: Server, tracker: Tracker, run: Runner, home: Path
) -> None:
    contacts(tracker)
    use_server(tracker, imap.port)
    proxy = Proxy(imap.port, cut_after=2500).start()
    tracker.config_set("mail.port", str(proxy.port))
    err = refused(run, "mail", "scan", "--yes")
    assert "was lost" in err and "nothing was recorded" in err
    assert not (home / "mail.json").exists()


def test_nothing_listening_is_one_line(tracker: Tracker, run: Runner) -> None:
    from mailboxes import free_port

    use_server(tracker, free_port())
    err = refused(run, "mail", "scan", "--yes")
    assert "Nothing answers at 127.0.0.1:" in err


def test_tls_that_the_server_does_not_offer_is_refused_not_skipped(
    imap: Server, tracker: Tracker, run: Runner
) -> None:
    use_server(tracker, imap.port)
    tracker.config_set("mail.tls", "starttls")
    err = refused(run, "mail", "scan", "--yes")
    assert "does not offer STARTTLS; your password is never sent in plain text" in err
    tracker.config_set("mail.tls", "ssl")
    err = refused(run, "mail", "scan", "--yes")
    assert f"No TLS connection could be made with 127.0.0.1:{imap.port}" in err


def test_plain_text_is_only_for_this_machine(tracker: Tracker, run: Runner) -> None:
    run("config", "mail.host", "imap.example.org")
    out = run.refused("config", "mail.tls", "none")
    assert "tls none is only for a server on this machine" in out.stderr


def test_the_password_lands_in_no_file_and_no_output(
    imap: Server, tracker: Tracker, run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contacts(tracker)
    use_server(tracker, imap.port)
    outputs = []
    for args in (
        ("mail", "scan", "--yes", "--json"),
        ("mail", "folders"),
        ("mail", "scan", "--dry-run"),
        ("config",),
        ("config", "--json"),
        ("followups",),
    ):
        out = run(*args)
        outputs.append(out.stdout + out.stderr)
    run.interactive = True
    out = run("--debug", "mail", "scan", input="y\nhhh")
    outputs.append(out.stdout + out.stderr)
    tracker.config_set("mail.port", "1")
    outputs.append(run("mail", "scan", "--yes", code=1).stderr)
    assert outputs and all(PASSWORD not in text for text in outputs)
    seen = 0
    for path in files_under(tmp_path / "home", tmp_path / "config", tmp_path / "cache",
                            tmp_path / "data"):  # fmt: skip
        seen += 1
        assert PASSWORD.encode() not in path.read_bytes(), path
    assert seen >= 3  # the store, its log, config.toml, mail.json…


def test_of_mail_from_strangers_nothing_is_fetched_past_the_headers(
    imap: Server, tracker: Tracker
) -> None:
    from datetime import UTC, datetime

    from infoint.mail import imap as imap_module

    use_server(tracker, imap.port)
    settings = tracker.settings.mail
    asked: list[str] = []

    def wanted(mail: object) -> bool:
        asked.append(mail.sender)  # type: ignore[attr-defined]
        return mail.sender == "jane@example.org"  # type: ignore[attr-defined]

    since = datetime(2026, 8, 1, tzinfo=UTC)
    with imap_module.session(settings, PASSWORD) as client:
        found = imap_module.read(client, settings, since, wanted)
    assert len(asked) == 12  # every message's headers were looked at
    assert [(m.sender, m.text) for m in found] == [
        ("jane@example.org", "Happy to talk! Tuesday 10:00?")
    ]
