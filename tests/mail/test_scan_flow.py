"""What a scan says and does on a terminal and off it: skipping, refusing, a referral
that cannot be, the look back, and the reminder in `followups`."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from mailboxes import ME, contacts, write_maildir

from conftest import Clock, Runner
from infoint.mail import imap as imap_module
from infoint.mail import state
from infoint.models import MailSettings
from infoint.services import Tracker


@pytest.fixture
def run(clock: Clock, home: Path) -> Runner:
    return Runner(clock, home)


@pytest.fixture
def maildir(tracker: Tracker, tmp_path: Path) -> Path:
    contacts(tracker)
    tracker.config_set("mail.user", ME)
    return write_maildir(tmp_path / "Mail")


@pytest.fixture
def terminal(run: Runner) -> None:
    run.interactive = True


def kinds(tracker: Tracker) -> list[str]:
    return [e.kind for e in tracker.read().events if (e.model_extra or {}).get("message_id")]


def test_skipping_a_reply_keeps_it_for_later_and_followups_names_it(
    maildir: Path, tracker: Tracker, run: Runner, terminal: None
) -> None:
    # plain ones yes; Sam: skip; Jane: agreed; Chidi: just heard
    out = run("mail", "scan", "--maildir", maildir, input="y\nsah")
    assert "1 reply left to sort" in out.stderr
    assert kinds(tracker) == ["outreach", "reply", "thank", "outreach", "touch", "heard", "heard"]
    left = state.load(tracker.paths.data_dir).unsorted
    assert [(u.name, u.subject) for u in left] == [("Sam Lee", "Re: Twenty minutes?")]
    reminder = run("followups").stderr
    assert (
        "Mail: a reply found in your mail waits for you to say what it said (Sam Lee): "
        "infoint mail scan"
    ) in reminder
    # next time, outside the window of the last scan, Sam's reply comes round again
    out = run("mail", "scan", "--maildir", maildir, input="d")
    assert "Sam Lee wrote on Thu 5 Nov 2026: Re: Twenty minutes?" in out.stderr
    assert "Recorded a no from Sam Lee" in out.stderr
    assert state.load(tracker.paths.data_dir).unsorted == []
    assert "Mail:" not in run("followups").stderr


def test_saying_no_to_the_plain_ones_records_only_the_answers_given(
    maildir: Path, tracker: Tracker, run: Runner, terminal: None
) -> None:
    run("mail", "scan", "--maildir", maildir, input="n\nsss")
    assert kinds(tracker) == []
    assert len(state.load(tracker.paths.data_dir).unsorted) == 3


def test_a_referral_to_the_same_person_is_not_recorded_and_the_rest_is(
    maildir: Path, tracker: Tracker, run: Runner, terminal: None
) -> None:
    out = run("mail", "scan", "--maildir", maildir, input="y\nrsam-lee\nss")
    assert (
        "Not recorded: Sam Lee, Thu 5 Nov 2026: A contact cannot refer you to themselves."
        in out.stderr
    )
    assert kinds(tracker) == ["outreach", "thank", "outreach", "touch", "heard"]
    left = [u.name for u in state.load(tracker.paths.data_dir).unsorted]
    assert left == ["Sam Lee", "Jane Doe", "Chidi Okafor"]  # Sam's comes round again


def test_json_never_asks_even_on_a_terminal(
    maildir: Path, tracker: Tracker, run: Runner, terminal: None
) -> None:
    out = run("mail", "scan", "--maildir", maildir, "--json", code=1)
    assert "there is no terminal to ask on" in out.stderr
    assert kinds(tracker) == []


def test_since_says_what_it_understood_and_looks_that_far_only(
    maildir: Path, tracker: Tracker, run: Runner
) -> None:
    out = run("mail", "scan", "--maildir", maildir, "--since", "2026-11-20", "--dry-run")
    assert "Since: Fri 20 Nov 2026\n" in out.stderr
    assert "Mail since Fri 20 Nov 2026" in out.stdout
    found = json.loads(
        run("mail", "scan", "--maildir", maildir, "--since", "2026-11-20", "--dry-run",
            "--json").stdout
    )  # fmt: skip
    assert [p["contact"] for p in found["proposals"]] == [
        "chidi-okafor", "eleanor-shellstrop", "bo-chen", "chidi-okafor"
    ]  # fmt: skip
    assert "Nothing was recorded (--dry-run)." in out.stderr
    assert not (tracker.paths.data_dir / "mail.json").exists()


def test_the_next_scan_looks_back_to_the_last_one(
    maildir: Path, tracker: Tracker, run: Runner, clock: Clock
) -> None:
    run("mail", "scan", "--maildir", maildir, "--yes")
    clock.advance(days=10)
    out = run("mail", "scan", "--maildir", maildir, "--yes")
    assert "Mail since Wed 25 Nov 2026" in out.stdout  # a day before the last scan
    assert out.stdout.count("reply?") == 3  # only the replies left to sort


def test_an_empty_scan_says_so(tracker: Tracker, run: Runner, tmp_path: Path) -> None:
    import mailbox

    mailbox.Maildir(tmp_path / "Empty", create=True)
    out = run("mail", "scan", "--maildir", tmp_path / "Empty")
    assert "nothing new to record." in out.stdout
    assert (tracker.paths.data_dir / "mail.json").exists()


def test_what_is_listed_is_safe_for_a_terminal(
    tracker: Tracker, run: Runner, tmp_path: Path
) -> None:
    import mailbox
    from email.message import EmailMessage

    contacts(tracker)
    msg = EmailMessage()
    msg["From"] = "jane@example.org"
    msg["To"] = ME
    msg["Subject"] = "Hi \x1b[31mred\x1b[0m"
    msg["Date"] = "Tue, 24 Nov 2026 10:00:00 +0000"
    msg.set_content("x")
    box = mailbox.Maildir(tmp_path / "M", create=True)
    box.add(mailbox.MaildirMessage(msg))
    out = run("mail", "scan", "--maildir", tmp_path / "M", "--dry-run")
    assert "\x1b" not in out.stdout
    assert "heard    from Jane Doe: Hi red" in out.stdout


# the network, failing in ways a test can make happen on 127.0.0.1 ---------------------


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    held: list[socket.socket] = []

    def accept() -> None:
        try:
            while True:
                held.append(listener.accept()[0])
        except OSError:
            return

    threading.Thread(target=accept, daemon=True).start()
    yield int(listener.getsockname()[1])
    listener.close()
    for sock in held:
        sock.close()


def test_a_server_that_never_answers_times_out_in_one_line(
    silent_port: int, tracker: Tracker, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imap_module, "CONNECT_SECONDS", 0.3)
    monkeypatch.setattr(imap_module, "READ_SECONDS", 0.3)
    from mailboxes import use_server

    use_server(tracker, silent_port)
    out = run.refused("mail", "scan", "--yes")
    assert f"Error: 127.0.0.1:{silent_port} did not answer within 0.3 seconds." in out.stderr


def test_the_settings_check_holds_even_for_a_file_edited_by_hand() -> None:
    from infoint.mail.imap import MailError, check_settings

    odd = MailSettings.model_construct(host="imap.example.org", user="me", tls="none")
    with pytest.raises(MailError, match=r"plain text is only for 127\.0\.0\.1"):
        check_settings(odd)
    assert imap_module.port_of(MailSettings(host="h", tls="starttls")) == 143
    assert imap_module.port_of(MailSettings(host="h")) == 993


@pytest.mark.parametrize("end", ["\x04", ""])
def test_ctrl_d_at_a_reply_records_what_was_said_and_keeps_the_rest_to_sort(
    end: str,
    maildir: Path,
    tracker: Tracker,
    run: Runner,
    terminal: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On a terminal Ctrl-D is EOFError; where the input just ends, no key comes."""
    import typer
    from click._termui_impl import _translate_ch_to_exc

    keys = iter(["a", end])

    def getchar(echo: bool = False) -> str:
        key = next(keys, "")
        _translate_ch_to_exc(key)
        return key

    monkeypatch.setattr(typer, "getchar", getchar)
    out = run("mail", "scan", "--maildir", maildir, input="y\n")
    assert "Recorded a yes from Sam Lee" in out.stderr
    assert "2 replies left to sort" in out.stderr
    left = state.load(tracker.paths.data_dir).unsorted
    assert [u.name for u in left] == ["Jane Doe", "Chidi Okafor"]
    assert "Traceback" not in out.stderr and "unexpectedly" not in out.stderr
