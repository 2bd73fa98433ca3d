"""Drafts are never lost: every draft is kept in `drafts/` under the data folder
until it is recorded (`draft … --record`) or discarded (`drafts --discard N`).

One JSON file per draft, `N.json`, written atomically (0600) each time the text
changes, so a closed terminal, a crashed editor or a refused hand-off leaves the
words where `infoint drafts` and `infoint draft CONTACT --resume` find them.
The choices (which number, which draft to resume, whether a draft is already
kept) are pure functions of the list of kept drafts.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from infoint.errors import BadInput


@dataclass(frozen=True)
class Kept:
    """A kept draft: whom it is for, which kind, its text, when it was last saved."""

    number: int
    contact: str  # the contact's uuid: a new handle does not orphan the draft
    handle: str
    name: str
    kind: str
    text: str
    saved: str
    goal: str | None = None

    @property
    def subject(self) -> str:
        first = self.text.splitlines()[0] if self.text.strip() else ""
        if first.lower().startswith("subject:"):
            return first.split(":", 1)[1].strip()
        return first.strip()


def folder(data_dir: Path) -> Path:
    return data_dir / "drafts"


# choices --------------------------------------------------------------------------------


def next_number(kept: Sequence[Kept]) -> int:
    return max((k.number for k in kept), default=0) + 1


def same(kept: Sequence[Kept], contact: str, kind: str, text: str) -> Kept | None:
    """A draft already kept with exactly this text, for this person and kind."""
    return next(
        (k for k in kept if k.contact == contact and k.kind == kind and k.text == text), None
    )


def latest(kept: Sequence[Kept], contact: str, kind: str | None = None) -> Kept | None:
    """The draft last saved for this person (and kind, when given)."""
    mine = [k for k in kept if k.contact == contact and (kind is None or k.kind == kind)]
    return max(mine, key=lambda k: (k.saved, k.number), default=None)


def find(kept: Sequence[Kept], number: int) -> Kept:
    for k in kept:
        if k.number == number:
            return k
    listed = ", ".join(str(k.number) for k in kept) or "none"
    raise BadInput(
        f"There is no kept draft {number} (kept: {listed}).",
        hint="See them with: infoint drafts",
    )


# the folder -----------------------------------------------------------------------------


def load(data_dir: Path) -> list[Kept]:
    """Every kept draft, oldest number first; an unreadable file is skipped."""
    where = folder(data_dir)
    try:
        names = sorted(where.iterdir(), key=lambda p: p.name)
    except OSError:
        return []
    found: list[Kept] = []
    for path in names:
        if path.suffix != ".json" or not path.stem.isdigit():
            continue
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            found.append(Kept(**{**data, "number": int(path.stem)}))
        except (OSError, ValueError, TypeError):
            continue
    return sorted(found, key=lambda k: k.number)


def keep(
    data_dir: Path,
    kept: Sequence[Kept],
    draft: Kept,
    now: datetime,
) -> Kept:
    """Save `draft` (a new number when it has none yet) and return it as saved."""
    from infoint.files import atomic_write

    number = draft.number or next_number(kept)
    saved = replace(draft, number=number, saved=now.isoformat())
    data = asdict(saved)
    del data["number"]
    atomic_write(
        folder(data_dir) / f"{number}.json",
        (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode(),
    )
    return saved


def discard(data_dir: Path, number: int) -> None:
    with contextlib.suppress(FileNotFoundError):
        (folder(data_dir) / f"{number}.json").unlink()
