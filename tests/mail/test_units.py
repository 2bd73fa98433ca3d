"""The parts of mail scanning on their own: reading a message, whose it is, what it
becomes, the password, the settings and the questions of `mail setup`."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from keyring.backend import KeyringBackend
from mailboxes import PASSWORD, Server, contacts, use_server
from mailboxes import imap as imap_fixture

from conftest import Clock, Runner
from infoint.errors import BadInput
from infoint.mail import imap, secret, state
from infoint.mail.message import parse
from infoint.mail.sort import address_book, sort
from infoint.models import Contact, MailSettings
from infoint.services import Tracker

__all__ = ["imap_fixture"]


@pytest.fixture
def run(clock: Clock, home: Path) -> Runner:
    return Runner(clock, home)


class MemoryKeyring(KeyringBackend):
    """A keyring that keeps its secrets in this process only."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@pytest.fixture
def keys() -> Any:
    import keyring

    before = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(before)


# reading a message ----------------------------------------------------------------------


def raw(**headers: str) -> bytes:
    msg = EmailMessage()
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content("Grüße aus Köln")
    return bytes(msg)


DAY = "Tue, 24 Nov 2026 10:00 +0000"


def test_a_message_without_a_message_id_gets_the_same_one_everywhere() -> None:
    one = parse(
        raw(From="a@x.org", To="b@y.org", Subject="Hi", Date="Tue, 24 Nov 2026 10:00 +0000")
    )
    two = parse(
        raw(From="a@x.org", To="b@y.org", Subject="Hi", Date="Tue, 24 Nov 2026 10:00 +0000")
    )
    other = parse(
        raw(From="a@x.org", To="b@y.org", Subject="Ho", Date="Tue, 24 Nov 2026 10:00 +0000")
    )
    assert one.message_id == two.message_id != other.message_id
    assert one.message_id.endswith("@no-message-id.infoint>")
    assert one.text == "Grüße aus Köln"
    assert one.at == datetime(2026, 11, 24, 10, tzinfo=UTC)


def test_addresses_are_read_whatever_their_case_and_names() -> None:
    mail = parse(raw(From='"Doe, Jane" <Jane@Example.ORG>', To="A <a@x.org>, b@y.org",
                     Cc="c@z.org", Date="nonsense", Message_ID="<x1@y> trailing"))  # fmt: skip
    assert mail.sender == "jane@example.org"
    assert mail.recipients == ("a@x.org", "b@y.org", "c@z.org")
    assert mail.message_id == "<x1@y>"
    assert mail.at.year == 1970  # a date that cannot be read is never "since"


def test_a_message_with_html_only_is_read_as_its_words() -> None:
    msg = EmailMessage()
    msg["From"] = "a@x.org"
    msg.set_content(
        "<html><head><style>p {color: red}</style></head><body><p>Hello&nbsp;Jane,</p>"
        "<p>I'm <b>Alex</b>.<br>Talk soon?</p><script>x()</script></body></html>",
        subtype="html",
    )
    assert parse(bytes(msg)).text == "Hello Jane,\nI'm Alex.\nTalk soon?"


def test_the_text_part_is_found_past_attachments() -> None:
    class Body(tuple):  # type: ignore[type-arg]
        is_multipart = True

    class Part(tuple):  # type: ignore[type-arg]
        is_multipart = False

    attachment = Part((b"text", b"plain", None, None, None, b"base64", 10, 1, None,
                       (b"attachment", (b"filename", b"a.txt"))))  # fmt: skip
    text = Part((b"TEXT", b"PLAIN", None, None, None, b"7bit", 10, 1))
    image = Part((b"image", b"png", None, None, None, b"base64", 10))
    inner = Body(([image, text], b"alternative"))
    assert imap._text_path(Body(([attachment, inner], b"mixed"))) == (2, 2)
    assert imap._text_path(Body(([image], b"mixed"))) is None
    assert imap._text_path(text) == ()


# whose it is, what it becomes ---------------------------------------------------------


def person(name: str, email: str | None, notes: str | None = None, **kw: Any) -> Contact:
    now = datetime(2026, 11, 1, tzinfo=UTC)
    handle = name.lower().replace(" ", "-")
    return Contact(id=1, handle=handle, name=name, email=email, notes=notes,
                   created_at=now, updated_at=now, **kw)  # fmt: skip


def test_a_second_address_counts_once_it_is_in_the_notes_and_a_shared_one_never() -> None:
    jane = person("Jane Doe", "jane@example.org", notes="Also: Jane.Doe@gmail.com (home)")
    bo = person("Bo Chen", "team@example.com")
    ann = person("Ann Lee", "team@example.com")
    book = address_book([jane, bo, ann])
    assert book["jane.doe@gmail.com"] is jane
    assert "team@example.com" not in book


def test_an_archived_contact_and_your_answer_to_them_are_left_alone(
    tracker: Tracker, clock: Clock
) -> None:
    contacts(tracker)
    tracker.archive("bo-chen")
    doc = tracker.read()
    mails = [
        parse(raw(From="bo@example.com", To="me@x.org", Date="Sun, 22 Nov 2026 10:00 +0000",
                  Message_ID="<1@b>")),
        parse(raw(From="me@x.org", To="sam@example.net", Date="Mon, 23 Nov 2026 10:00 +0000",
                  Message_ID="<2@b>")),
    ]  # fmt: skip
    found = sort(doc, mails, ["me@x.org"])
    # Sam's hand-typed outreach stands for nothing here (the mail is three weeks later);
    # the outreach is pending, so a message to Sam is a nudge: an outreach
    assert [(s.contact.handle, s.reason) for s in found.skipped] == [("bo-chen", "archived")]
    assert [(p.contact.handle, p.kind) for p in found.proposals] == [("sam-lee", "outreach")]


def test_a_reply_typed_by_hand_stands_for_the_mail(tracker: Tracker) -> None:
    contacts(tracker)
    tracker.reply("sam-lee", "referred", "Ana Ruiz", on=datetime(2026, 11, 6, tzinfo=UTC))
    mail = parse(raw(From="sam@example.net", To="me@x.org", Date="Thu, 5 Nov 2026 10:00 +0000"))
    found = sort(tracker.read(), [mail], [])
    assert (found.known, found.proposals) == (1, [])
    answer = parse(raw(From="me@x.org", To="sam@example.net",
                       Date="Sat, 7 Nov 2026 10:00 +0000"))  # fmt: skip
    left = sort(tracker.read(), [answer], ["me@x.org"]).skipped
    assert [s.reason.split(" (")[0] for s in left] == ["your answer to their message"]


# the password ---------------------------------------------------------------------------


def test_a_password_command_that_fails_never_shows_what_it_printed() -> None:
    with pytest.raises(BadInput) as caught:
        secret.from_command(f"echo {PASSWORD}; exit 3")
    assert caught.value.message == "mail.password_command failed (exit status 3)."
    with pytest.raises(BadInput, match="printed no password"):
        secret.from_command("true")
    assert secret.from_command(f"printf '{PASSWORD}\\nmore'") == PASSWORD


def test_without_a_command_the_keyring_is_asked(keys: MemoryKeyring) -> None:
    settings = MailSettings(host="imap.example.org", user="me@example.org")
    with pytest.raises(BadInput, match=r"There is no mail password for me@example\.org"):
        secret.password(settings)
    secret.store(settings, PASSWORD)
    assert keys.secrets == {("infoint-mail", "me@example.org@imap.example.org"): PASSWORD}
    assert secret.password(settings) == PASSWORD


def test_no_keyring_at_all_says_what_to_do_instead() -> None:
    import keyring
    from keyring.backends.fail import Keyring as Failing

    before = keyring.get_keyring()
    keyring.set_keyring(Failing())
    try:
        with pytest.raises(BadInput) as caught:
            secret.password(MailSettings(host="h.example", user="u"))
    finally:
        keyring.set_keyring(before)
    assert "keyring cannot be used here" in caught.value.message
    assert "mail.password_command" in (caught.value.hint or "")


def test_login_checks_the_password_then_keeps_it_in_the_keyring(
    imap_fixture: Server, tracker: Tracker, run: Runner, keys: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    use_server(tracker, imap_fixture.port, password_command="")
    run.interactive = True
    out = run("mail", "login", input="wrong\n", code=1)
    assert "wrong user name or password" in out.stderr
    assert keys.secrets == {}
    out = run("mail", "login", input=PASSWORD + "\n")
    assert "is in your system keyring" in out.stderr
    assert PASSWORD not in out.stdout + out.stderr
    assert run.json("mail", "folders") == ["INBOX", "Sent"]  # with the keyring's password


def test_login_and_setup_need_a_terminal(tracker: Tracker, run: Runner) -> None:
    tracker.config_set("mail.host", "imap.example.org")
    tracker.config_set("mail.user", "me@example.org")
    assert "asks for the password on a terminal" in run.refused("mail", "login").stderr
    assert "asks its questions on a terminal" in run.refused("mail", "setup").stderr


def test_a_scan_before_any_setup_says_how_to_set_up(run: Runner) -> None:
    out = run.refused("mail", "scan", "--yes")
    assert "The mail server is not set up yet." in out.stderr
    assert "infoint mail setup" in out.stderr


# settings and setup --------------------------------------------------------------------


def test_mail_settings_are_settings_like_the_others(run: Runner, home: Path) -> None:
    run("config", "mail.host", "imap.fastmail.com")
    run("config", "mail.port", "993")
    assert run.json("config", "mail.port") == {"mail.port": 993}
    assert "mail.port takes a whole number" in run.refused("config", "mail.port", "x").stderr
    assert "not a valid value for mail.tls" in run.refused("config", "mail.tls", "tls").stderr
    assert "[mail]" in (home / "config.toml").read_text()
    listing = run("config").stdout
    assert "mail.sent_folder" in listing and "see: infoint mail folders" in listing


@pytest.mark.parametrize(
    ("answers", "host", "sent", "needs"),
    [
        ("gmail\nme@gmail.com\n", "imap.gmail.com", "[Gmail]/Sent Mail", "app password"),
        ("icloud\nme@icloud.com\n", "imap.mail.me.com", "Sent Messages", "app-specific"),
        ("other\nme@example.org\nmail.example.org\nstarttls\n\nSent Items\n",
         "mail.example.org", "Sent Items", None),
    ],
)  # fmt: skip
def test_setup_asks_and_fills_in_known_services(
    run: Runner, monkeypatch: pytest.MonkeyPatch, answers: str, host: str, sent: str,
    needs: str | None,
) -> None:  # fmt: skip
    run.interactive = True
    out = run("mail", "setup", input=answers)
    settings = run.json("config")
    assert settings["mail.host"] == host
    assert settings["mail.sent_folder"] == sent
    if needs:
        assert needs in out.stderr
    else:
        assert settings["mail.tls"] == "starttls" and settings["mail.port"] == 143
    assert "infoint mail login" in out.stderr


# what a scan leaves -------------------------------------------------------------------


def test_a_damaged_state_file_only_costs_a_longer_look_back(tracker: Tracker) -> None:
    from infoint.mail import scan

    tracker.paths.data_dir.mkdir(parents=True, exist_ok=True)
    (tracker.paths.data_dir / "mail.json").write_text("{not json")
    assert state.load(tracker.paths.data_dir) == state.State()
    assert state.notice(tracker.paths.data_dir) is None
    assert (tracker.clock() - scan.since_default(tracker)).days == scan.FIRST_SCAN_DAYS


def test_setup_saves_all_or_nothing(run: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    run.interactive = True
    before = run.json("config")
    out = run("mail", "setup", input="other\nme@example.org\nimap.example.org\nnone\n143\nSent\n",
              code=1)  # fmt: skip
    assert "Error: Nothing was saved: tls none is only for a server on this machine" in out.stderr
    assert run.json("config") == before
    out = run("mail", "setup", input="other\nme@example.org\nimap.example.org\nssl\nport\nSent\n",
              code=1)  # fmt: skip
    assert "Nothing was saved: mail.port: Input should be a valid integer" in out.stderr
    assert run.json("config") == before


@pytest.mark.parametrize(
    ("charset", "body", "text"),
    [
        ("unknown-8bit", "Café, 20 minutes?".encode(), "Café, 20 minutes?"),
        ("x-mac-weird", "Café".encode("latin-1"), "Café"),
        ("windows-1252", "“Café”".encode("cp1252"), "“Café”"),
    ],
)
def test_a_text_in_a_charset_python_does_not_know_is_still_read(
    charset: str, body: bytes, text: str
) -> None:
    raw = (
        b"From: Jane <jane@x.org>\nContent-Type: text/plain; charset="
        + charset.encode()
        + b"\nContent-Transfer-Encoding: 8bit\n\n"
        + body
        + b"\n"
    )
    assert parse(raw).text == text


class BrokenKeyring(MemoryKeyring):
    """A keyring whose backend fails its own way, as Secret Service does without D-Bus."""

    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError(f"org.freedesktop.DBus.Error.ServiceUnknown {PASSWORD}")


def test_a_keyring_that_fails_its_own_way_is_one_line(tracker: Tracker, run: Runner) -> None:
    import keyring

    tracker.config_set("mail.host", "imap.example.org")
    tracker.config_set("mail.user", "me@example.org")
    before = keyring.get_keyring()
    keyring.set_keyring(BrokenKeyring())
    try:
        out = run.refused("mail", "scan", "--dry-run")
    finally:
        keyring.set_keyring(before)
    assert out.stderr.startswith(
        "Error: The system keyring cannot be used here (RuntimeError).\n"
        "Hint: Set a command that prints the password instead"
    )
    assert PASSWORD not in out.stderr
