"""Mail in local files, for mutt, aerc, notmuch, Thunderbird and Gmail Takeout users:
a Maildir (with its Maildir++ folders) or an mbox file, read through the standard
`mailbox` module and never written to."""

from __future__ import annotations

import mailbox
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from infoint.errors import BadInput
from infoint.mail.message import Mail, Role, parse


def read_maildir(folder: Path, sent_folder: str, since: datetime) -> list[Mail]:
    """Every message since `since` in a Maildir and its folders; those in the folder
    named like `sent_folder` are the ones you sent."""
    if not (folder / "cur").is_dir() and not (folder / "new").is_dir():
        raise BadInput(
            f"{folder} is not a Maildir (it has no cur/ or new/ folder).",
            hint="Give the folder that holds cur/, new/ and tmp/, e.g. --maildir ~/Mail/INBOX",
        )
    box = mailbox.Maildir(folder, factory=None, create=False)
    found = list(_messages(box, "any", since))
    wanted = sent_folder.strip().lower().lstrip(".")
    try:
        names = box.list_folders()
    except OSError:
        names = []
    for name in names:
        role: Role = "sent" if name.lower().split(".")[-1] == wanted else "any"
        found.extend(_messages(box.get_folder(name), role, since))
    return found


def read_mbox(path: Path, since: datetime) -> list[Mail]:
    """Every message since `since` in an mbox file (Gmail Takeout: all your mail, its
    sent messages labelled "Sent")."""
    if not path.is_file():
        raise BadInput(f"{path} is not a file.", hint="Give an mbox file, e.g. --mbox All.mbox")
    box = mailbox.mbox(path, factory=None, create=False)
    try:
        return list(_messages(box, "any", since))
    finally:
        box.close()


def _messages(box: mailbox.Mailbox[mailbox.Message], role: Role, since: datetime) -> Iterator[Mail]:
    for key in list(box.keys()):
        try:
            handle = box.get_file(key)
        except (KeyError, OSError):
            continue  # moved away by the mail program while this read
        with handle:
            raw = handle.read()
        mail = parse(raw, role)
        if mail.at >= since:
            yield mail
