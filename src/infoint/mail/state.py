"""What a scan leaves for the next one, in `mail.json` beside the store: when it
ran, and the replies it found that wait for the user to say what they were.

Which messages were recorded is not kept here but in the records themselves (their
Message-ID), so a copy of the store on another machine knows them too. This file
only saves work: a scan looks back from the last one, and `followups` can mention
the replies left to sort without reading any mail.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from infoint.mail.message import Mail

FILE = "mail.json"


@dataclass(frozen=True)
class Unsorted:
    """A reply found by a scan, not yet recorded as agreed, declined, referred or heard."""

    message_id: str
    contact: str  # uuid
    name: str
    sender: str
    at: str
    subject: str
    text: str

    def mail(self) -> Mail:
        from infoint.mail.message import Mail

        return Mail(
            self.message_id,
            self.sender,
            (),
            datetime.fromisoformat(self.at),
            self.subject,
            self.text,
            "inbox",
        )


@dataclass
class State:
    last_scan: str | None = None
    unsorted: list[Unsorted] = field(default_factory=list)


def load(data_dir: Path) -> State:
    """The state a scan left; an empty one if none did, or if the file is damaged (it
    only saves work: the next scan builds it again)."""
    try:
        raw: Any = json.loads((data_dir / FILE).read_text(encoding="utf-8"))
        return State(
            last_scan=raw.get("last_scan"),
            unsorted=[Unsorted(**item) for item in raw.get("unsorted", [])],
        )
    except (OSError, ValueError, TypeError, AttributeError):
        return State()


def save(data_dir: Path, state: State) -> None:
    from infoint.files import atomic_write, ensure_private_dir

    ensure_private_dir(data_dir)
    data = {"last_scan": state.last_scan, "unsorted": [asdict(u) for u in state.unsorted]}
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    atomic_write(data_dir / FILE, text.encode())


def notice(data_dir: Path) -> str | None:
    """The line `followups` adds when a scan found replies not sorted yet."""
    path = data_dir / FILE
    if not path.exists():
        return None
    left = []
    with contextlib.suppress(OSError, ValueError, TypeError, AttributeError, KeyError):
        left = [str(item["name"]) for item in json.loads(path.read_text("utf-8"))["unsorted"]]
    if not left:
        return None
    names = ", ".join(dict.fromkeys(left))
    count = len(left)
    what = "a reply" if count == 1 else f"{count} replies"
    return (
        f"Mail: {what} found in your mail wait{'s' if count == 1 else ''} for you to say "
        f"what {'it' if count == 1 else 'they'} said ({names}): infoint mail scan"
    )


def remind(data_dir: Path) -> None:
    """Say on stderr, after `followups`, which replies a scan left to sort."""
    line = notice(data_dir)
    if line:
        from infoint import term

        term.message(line)
