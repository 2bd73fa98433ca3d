"""Shell completion: handles, meeting numbers, tags and setting names, served from
the index or the raw files, read-only, with no lock and no validation (a wrong
suggestion costs nothing; a slow one costs every Tab)."""

from __future__ import annotations

import json
from typing import Any

#: The settings `infoint config` knows (a test holds this to the Settings model).
SETTING_KEYS = (
    "reply_wait_days", "max_nudges", "nudge_after_days", "respond_within_hours",
    "max_meeting_minutes", "prep_window_hours", "min_questions", "alarm_minutes",
    "thank_you_within_hours", "keep_in_touch_days", "min_days_between_touches",
    "keep_backups", "draft_word_budget", "far_date_days",
    "mail.host", "mail.port", "mail.user", "mail.tls", "mail.sent_folder", "mail.inbox_folder",
    "mail.password_command",
    "me.name", "me.intro", "me.signature",
)  # fmt: skip


def _index() -> Any:
    from infoint.env import current
    from infoint.index import Index

    return Index.open(current().paths)


def _raw() -> dict[str, Any]:
    """The records as stored, change log replayed, without validation."""
    from infoint import logs
    from infoint.env import current

    paths = current().paths
    try:
        data: dict[str, Any] = json.loads(paths.store_file.read_bytes())
        replay = logs.Replay(data)
        replay.lines(logs.pending(paths, logs.folded_of(paths.store_file.read_bytes()[:4096])))
        data = replay.finish()
    except Exception:  # completion never fails loudly
        return {}
    return data


def handles(incomplete: str) -> list[str]:
    found_index = _index()
    if found_index is not None:
        found = found_index.handles()
    else:
        found = [c.get("handle", "") for c in _raw().get("contacts", [])]
    return [h for h in found if h.startswith(incomplete.lower())]


def meetings(incomplete: str) -> list[tuple[str, str]]:
    found = _index()
    if found is not None:
        items = [
            (str(p["id"]), f"{p['name']} {p['start'][:16]}")
            for entry in found.follow()["per"].values()
            for p in entry["planned"]
        ]
        items.sort(key=lambda item: item[1][-16:])
    else:
        names = {c.get("uuid"): c.get("name", "") for c in _raw().get("contacts", [])}
        items = [
            (str(m.get("id")), f"{names.get(m.get('contact'), '')} {str(m.get('start'))[:16]}")
            for m in _raw().get("meetings", [])
            if m.get("status") == "planned"
        ]
    return [(n, help_text) for n, help_text in items if n.startswith(incomplete)]


def tags(incomplete: str) -> list[str]:
    seen: dict[str, None] = {}
    for contact in _raw().get("contacts", []):
        for tag in contact.get("tags", []):
            seen.setdefault(tag, None)
    return [t for t in seen if t.lower().startswith(incomplete.lower())]


def settings(incomplete: str) -> list[str]:
    return [k for k in SETTING_KEYS if k.startswith(incomplete)]
