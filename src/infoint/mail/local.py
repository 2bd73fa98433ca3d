"""Mail in local files, for mutt, aerc, notmuch, Thunderbird and Gmail Takeout users:
a Maildir (with its Maildir++ folders, or a folder of Maildirs as offlineimap and
mbsync keep them) or an mbox file, read through the standard `mailbox` module and
never written to."""

from __future__ import annotations

import mailbox
import os
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from infoint.errors import BadInput
from infoint.mail.message import NO_DATE, Mail, Role, dated, parse

#: Which messages to read past their headers (None: all).
Wanted = Callable[[Mail], bool] | None
_END_OF_HEADER = re.compile(rb"\r?\n\r?\n")


def read_maildir(
    folder: Path, sent_folder: str, since: datetime, wanted: Wanted = None
) -> list[Mail]:
    """Every message since `since` in a Maildir and its folders for which
    `wanted(headers)` holds; those in the folder named like `sent_folder` are the
    ones you sent."""
    found: list[Mail] = []
    for box, name in _maildirs(folder):
        role: Role = "sent" if name and _same_folder(name, sent_folder) else "any"
        found.extend(_messages(box, role, since, wanted))
    return found


def _maildirs(folder: Path) -> list[tuple[mailbox.Maildir, str]]:
    """Each Maildir in `folder` and its name: the folder itself, its Maildir++ folders
    (.Sent, .[Gmail].Sent Mail), and the Maildirs under it as offlineimap, mbsync and
    Dovecot's fs layout keep them (INBOX/, Sent/, [Gmail]/Sent Mail/)."""
    found = []
    for top, dirs, _files in os.walk(folder) if folder.is_dir() else ():
        dirs[:] = sorted(d for d in dirs if d not in ("cur", "new", "tmp"))
        here = Path(top)
        if _is_maildir(here):
            box = mailbox.Maildir(here, factory=None, create=False)
            found.append((box, here.relative_to(folder).as_posix().removeprefix(".")))
    if not found:
        raise BadInput(
            f"{folder} is not a Maildir (it has no cur/ or new/ folder, nor a folder that has).",
            hint="Give the folder that holds cur/, new/ and tmp/, e.g. --maildir ~/Mail/INBOX, "
            "or the one that holds such folders, e.g. --maildir ~/Mail",
        )
    return found


def _is_maildir(folder: Path) -> bool:
    return (folder / "cur").is_dir() or (folder / "new").is_dir()


def _same_folder(name: str, sent_folder: str) -> bool:
    """Whether a local folder is the sent folder: `.Sent`, `Sent`, `Personal/Sent`,
    `[Gmail].Sent Mail` for `[Gmail]/Sent Mail`."""

    def parts(text: str) -> list[str]:
        return [p for p in text.strip().lower().replace("/", ".").split(".") if p]

    have, wanted = parts(name), parts(sent_folder)
    return bool(have and wanted) and (have == wanted or have[-1] == wanted[-1])


def read_mbox(path: Path, since: datetime, wanted: Wanted = None) -> list[Mail]:
    """Every message since `since` in an mbox file for which `wanted(headers)` holds
    (Gmail Takeout: all your mail, its sent messages labelled "Sent")."""
    if not path.is_file():
        raise BadInput(f"{path} is not a file.", hint="Give an mbox file, e.g. --mbox All.mbox")
    with path.open("rb") as handle:
        start = handle.read(5)
    if start and start != b"From ":
        raise BadInput(
            f"{path} is not an mbox file (an mbox starts with a line 'From …').",
            hint="Give an mbox file, e.g. a Gmail Takeout's All mail.mbox; for a folder of "
            "mail use --maildir DIR",
        )
    box = mailbox.mbox(path, factory=None, create=False)
    try:
        return list(_messages(box, "any", since, wanted))
    finally:
        box.close()


def _messages(
    box: mailbox.Mailbox[mailbox.Message], role: Role, since: datetime, wanted: Wanted
) -> Iterator[Mail]:
    for key in list(box.keys()):
        try:
            handle = box.get_file(key)
        except (KeyError, OSError):
            continue  # moved away by the mail program while this read
        with handle:
            raw = handle.read()
        header = _END_OF_HEADER.split(raw, maxsplit=1)[0] + b"\n\n"
        if wanted is not None and not wanted(parse(header, role, b"")):
            continue  # nobody you know: its text is not yours to read (and takes time)
        mail = parse(raw, role)
        mail = dated(mail, _arrived(box, key)) if mail.at == NO_DATE else mail
        if mail.at >= since:
            yield mail


def _arrived(box: mailbox.Mailbox[mailbox.Message], key: str) -> datetime | None:
    """When a message without a Date arrived: the date on its mbox 'From ' line, or
    when its Maildir file was delivered."""
    try:
        message = box.get_message(key)
    except (KeyError, OSError):
        return None
    if isinstance(message, mailbox.MaildirMessage):
        return datetime.fromtimestamp(message.get_date(), UTC)
    if isinstance(message, mailbox.mboxMessage):
        words = message.get_from().split()[1:]  # SENDER Thu Nov 26 09:00:00 2026
        try:
            moment = parsedate_to_datetime(" ".join(words))
        except (TypeError, ValueError, IndexError):
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return None
