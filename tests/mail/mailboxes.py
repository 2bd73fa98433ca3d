"""A mailbox to scan, three ways: on a real IMAP server (pymap, started here on
127.0.0.1 with its maildir backend), as a local Maildir, and as an mbox file.

The story it tells, with "now" Thursday 26 November 2026 (conftest.NOW):
Sam Lee's outreach was typed in by hand; the mail is there too, then Sam answers
with a referral. Jane Doe gets an outreach and says yes; her second address,
unknown to infoint, writes too. Bo Chen is thanked after a meeting, then sends his
slides (a 20 MB attachment). Chidi Okafor gets an outreach that does not say what
you hope to learn, under a French subject, and answers in French. Eleanor, met and
thanked in September, gets a keep-in-touch note. A shop and a stranger write too.
"""

from __future__ import annotations

import contextlib
import mailbox
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest

from conftest import NOW
from infoint.files import Paths
from infoint.services import Tracker

ME = "alex@example.org"
PASSWORD = "s3cret-Hunter2-mailbox"
BIG = 20 * 1024 * 1024


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=NOW.tzinfo)


def message(
    sender: str,
    to: str,
    day: datetime,
    subject: str,
    body: str,
    mid: str,
    attachment: int = 0,
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(day)
    msg["Message-ID"] = f"<{mid}@mail.test>"
    msg.set_content(body)
    if attachment:
        msg.add_attachment(
            b"\x89PNG" + b"\0" * attachment, maintype="image", subtype="png", filename="slides.png"
        )
    return msg


OUTREACH = (
    "Hi Jane,\n\nI'm Alex, a data analyst moving into product design. Your talk on design "
    "systems made me rethink how teams share work. I hope to learn which skills matter "
    "most in your first year. Could we talk for 20 minutes by phone, whenever suits you?\n"
)


def sent_mail(big: bool = False) -> list[EmailMessage]:
    """What is in the Sent folder."""
    return [
        message(ME, "Sam Lee <sam@example.net>", at(3), "Twenty minutes?",
                "I'm Alex; your work at Acme is why I write; I hope to learn how you hire. "
                "A 20 minutes call whenever suits you?", "s-sam"),
        message(ME, "Jane Doe <jane@example.org>", at(10), "Your talk on design systems",
                OUTREACH, "s-jane"),
        message(ME, "Bo Chen <bo@example.com>", at(19), "Thank you for yesterday",
                "Thank you for the time and advice, Bo.", "s-bo"),
        message(ME, "Chidi Okafor <chidi@example.com>", at(20), "Café ☕ et questions",
                "Bonjour Chidi, I'm Alex. Your book on ethics changed how I work. "
                "Could we talk for 20 minutes by phone, whenever suits you? — Élodie's friend",
                "s-chidi"),
        message(ME, "Eleanor Shellstrop <eleanor@example.com>", at(21), "How are things?",
                "I started the course you suggested. Thank you again!", "s-eleanor"),
        message(ME, "someone@else.example", at(22), "Not a contact", "Hello there.", "s-other"),
    ]  # fmt: skip


def inbox_mail(big: bool = False) -> list[EmailMessage]:
    """What is in the inbox."""
    return [
        message("Sam Lee <sam@example.net>", ME, at(5), "Re: Twenty minutes?",
                "I'm swamped, but talk to Ana Ruiz, she leads research.", "r-sam"),
        message("Jane Doe <jane@example.org>", ME, at(12), "Re: Your talk on design systems",
                "Happy to talk! Tuesday 10:00?", "r-jane"),
        message("Jane Doe <jane.doe@gmail.com>", ME, at(14), "From my other address",
                "This is Jane, from home.", "r-jane-2"),
        message("Shop <news@shop.example>", ME, at(15), "50% off", "Buy now.", "r-shop"),
        message("Bo Chen <bo@example.com>", ME, at(22), "Slides",
                "Here are the slides I promised.", "r-bo", attachment=BIG if big else 0),
        message("Chidi Okafor <chidi@example.com>", ME, at(23), "Re: Café ☕ et questions",
                "Désolé, je n'ai pas le temps ce mois-ci. Peut-être en janvier ?", "r-chidi"),
    ]  # fmt: skip


#: What a scan proposes, oldest first: (contact, kind, R1 parts missing).
EXPECTED = [
    ("sam-lee", "reply", []),
    ("jane-doe", "outreach", []),
    ("jane-doe", "reply", []),
    ("bo-chen", "thank", []),
    ("chidi-okafor", "outreach", ["what you hope to learn"]),
    ("eleanor-shellstrop", "touch", []),
    ("bo-chen", "heard", []),
    ("chidi-okafor", "reply", []),
]


def contacts(tracker: Tracker) -> None:
    """The records the story starts from."""
    from infoint.records import ContactFields

    tracker.config_set("me.intro", "I'm a data analyst moving into product design.")
    for name, email, why in (
        ("Sam Lee", "sam@example.net", "your work at Acme"),
        ("Jane Doe", "jane@example.org", "your talk on design systems"),
        ("Bo Chen", "bo@example.com", "your research practice"),
        ("Chidi Okafor", "chidi@example.com", None),
        ("Eleanor Shellstrop", "eleanor@example.com", "your career change"),
    ):
        tracker.add_contact(name, ContactFields(email=email, why=why))
    tracker.outreach("sam-lee", None, "your work at Acme", "how you hire", sent=at(3, 11))
    tracker.outreach("bo-chen", None, "your research practice", "how you run studies", sent=at(2))
    tracker.reply("bo-chen", "agreed", on=at(4))
    _met("bo-chen", at(18), tracker)
    old = datetime(2026, 9, 1, 10, tzinfo=NOW.tzinfo)
    tracker.outreach(
        "eleanor-shellstrop", None, "your change", "how", sent=old - timedelta(days=10)
    )
    tracker.reply("eleanor-shellstrop", "agreed", on=old - timedelta(days=9))
    _met("eleanor-shellstrop", old, tracker)
    tracker.thank("eleanor-shellstrop", old + timedelta(days=1))


def _met(handle: str, start: datetime, tracker: Tracker) -> None:
    meeting = tracker.schedule(handle, start, 20, "phone", held=True).record
    tracker.done(str(meeting[0].id if isinstance(meeting, tuple) else meeting.id))


def write_maildir(root: Path, big: bool = False) -> Path:
    """A Maildir++ folder: the inbox at its root, the sent mail in .Sent."""
    box = mailbox.Maildir(root, create=True)
    sent = box.add_folder("Sent")
    for msg in sent_mail(big):
        sent.add(mailbox.MaildirMessage(msg))
    for msg in inbox_mail(big):
        box.add(mailbox.MaildirMessage(msg))
    return root


def write_mbox(path: Path) -> Path:
    """A Gmail Takeout mbox: all mail in one file, the sent mail labelled Sent."""
    box = mailbox.mbox(path, create=True)
    for msg in sent_mail():
        msg["X-Gmail-Labels"] = "Sent,Opened"
        box.add(mailbox.mboxMessage(msg))
    for msg in inbox_mail():
        msg["X-Gmail-Labels"] = "Inbox"
        box.add(mailbox.mboxMessage(msg))
    box.flush()
    box.close()
    return path


# the IMAP server ------------------------------------------------------------------------


@dataclass
class Server:
    port: int
    base: Path
    process: subprocess.Popen[bytes]

    @property
    def maildir(self) -> Path:
        return self.base / "alex"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(base: Path, big: bool = False, tls: tuple[Path, Path] | None = None) -> Server:
    """pymap on 127.0.0.1 with its maildir backend, user alex@example.org."""
    from pysasl.hashing import BuiltinHash

    base.mkdir(parents=True, exist_ok=True)
    (base / "pymap-etc-passwd").write_text(f"{ME}:x:1000:1000::alex:\n")
    (base / "pymap-etc-shadow").write_text(f"{ME}:{BuiltinHash(rounds=1000).hash(PASSWORD)}\n")
    write_maildir(base / "alex", big)
    port = free_port()
    command = [
        sys.executable,
        "-c",
        "from pymap.main import main; main()",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    if tls is None:
        command.append("--no-tls")
    else:
        command += ["--cert", str(tls[0]), "--key", str(tls[1])]
    command += ["maildir", str(base)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = Server(port, base, process)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.05)
    server.stop()
    raise RuntimeError("pymap did not start")


@pytest.fixture
def imap(tmp_path: Path) -> Iterator[Server]:
    server = start_server(tmp_path / "imap")
    yield server
    server.stop()


def use_server(tracker: Tracker, port: int, password_command: str | None = None) -> None:
    tracker.config_set("mail.host", "127.0.0.1")
    tracker.config_set("mail.tls", "none")
    tracker.config_set("mail.port", str(port))
    tracker.config_set("mail.user", ME)
    if password_command is None:  # like `pass show mail`: the password is kept elsewhere
        vault = tracker.paths.data_dir.parent / "vault"
        vault.mkdir(exist_ok=True)
        (vault / "mail").write_text(PASSWORD + "\n")
        password_command = f"cat '{vault / 'mail'}'"
    tracker.config_set("mail.password_command", password_command)


def new_tracker(clock: object) -> Tracker:
    return Tracker(Paths.from_env(), clock=clock)  # type: ignore[arg-type]


# a proxy between infoint and the server: it counts, and can cut the line --------------


@dataclass
class Proxy:
    """Forwards 127.0.0.1:port to the server; counts the bytes the server sends, and
    closes both sides once `cut_after` of them went through."""

    target: int
    cut_after: int | None = None
    port: int = 0
    received: int = 0
    sockets: list[socket.socket] = field(default_factory=list)

    def start(self) -> Proxy:
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(4)
        self.listener.settimeout(30)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def _accept(self) -> None:
        try:
            client, _ = self.listener.accept()
        except OSError:
            return
        upstream = socket.create_connection(("127.0.0.1", self.target), timeout=30)
        self.sockets += [client, upstream]
        threading.Thread(target=self._pipe, args=(client, upstream, False), daemon=True).start()
        self._pipe(upstream, client, True)

    def _pipe(self, source: socket.socket, sink: socket.socket, counted: bool) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if counted:
                    self.received += len(data)
                    if self.cut_after is not None and self.received > self.cut_after:
                        break
                sink.sendall(data)
        except OSError:
            pass
        self.close()

    def close(self) -> None:
        for sock in [*self.sockets, self.listener]:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


def files_under(*folders: Path) -> Iterator[Path]:
    for folder in folders:
        if folder.exists():
            for root, _dirs, names in os.walk(folder):
                for name in names:
                    yield Path(root) / name
