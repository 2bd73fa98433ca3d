"""Imports and exports as services: read a file with its format's reader, plan what
it changes, and write it as one change (one undo); or write the store out in a format.
The Tracker's import and export methods delegate here."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from infoint.records import iso

if TYPE_CHECKING:
    from infoint.formats.plan import Outcomes
    from infoint.services.base import TrackerCore


def run(
    tracker: TrackerCore,
    kind: str,
    path: Path,
    tags: list[str] | None = None,
    dry_run: bool = False,
    columns: dict[str, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Outcomes:
    """Read `path` as `kind` and bring its people in; a dry run writes nothing, and an
    import that would bring in nobody is refused before anything is written."""
    from infoint.formats import READERS
    from infoint.formats.plan import Outcomes, nothing_imported, plan_import

    parsed = READERS[kind](path, columns)
    now = tracker.clock()
    batch = f"{kind}:{path.name}@{iso(now)}"
    clean_tags = [t.strip() for t in tags or [] if t.strip()]
    if dry_run:
        outcomes = plan_import(tracker.read(), parsed.rows, kind, batch, clean_tags, now, progress)
    else:
        with tracker._transaction(f"import {kind}", {"file": path.name}, scope="full") as doc:
            outcomes = plan_import(doc, parsed.rows, kind, batch, clean_tags, now, progress)
            refused = nothing_imported(outcomes, path.name, kind)
            if refused:
                raise refused
    refused = nothing_imported(outcomes, path.name, kind)
    if refused:
        raise refused
    return Outcomes(outcomes, parsed.notices, parsed.columns)


def export(
    tracker: TrackerCore,
    kind: str,
    excel: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    from infoint import rules
    from infoint.formats import WRITERS

    doc = tracker.read()
    if kind == "ics":
        return WRITERS["ics"](doc, tracker.settings, tracker.clock())
    if kind == "csv":
        now = tracker.clock()
        hist = rules.histories(doc, now)
        statuses = {u: rules.contact_status(h, tracker.settings, now) for u, h in hist.items()}
        return WRITERS["csv"](doc, dict(statuses), excel)
    if kind == "vcard":
        return WRITERS["vcard"](doc, progress)
    return WRITERS[kind](doc)
