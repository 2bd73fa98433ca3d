"""What an index is built of: the rows, the names, the shards and their follow-up and
activity files, and the `Writer` that puts them. The contract is in `infoint.index`.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from infoint.files import Paths, atomic_write
from infoint.index_keys import (
    BUCKETS,
    FORMAT,
    KINDS,
    Summarize,
    _dump,
    bucket_of,
    folder,
    local_zone,
    settings_key,
)
from infoint.records import normal_linkedin

# building ----------------------------------------------------------------------------

ROW_FIELDS = ("id", "handle", "name", "company", "email", "role", "industry", "tags")


def row_of(contact: dict[str, Any]) -> list[Any]:
    """What listings need of a contact, and the rest of the text `--search` looks in
    (the row's own fields are searched too: see `matches`)."""
    hay = "\n".join(
        str(contact[k]) for k in ("email", "location", "notes", "why") if contact.get(k)
    )
    return [
        contact["uuid"],
        contact["id"],
        contact["handle"],
        contact["name"],
        contact.get("company"),
        contact.get("industry"),
        bool(contact.get("archived")),
        contact.get("created_at"),
        contact.get("referred_by"),
        list(contact.get("tags") or []),
        hay.lower(),
        contact.get("role"),
        (contact.get("email") or "").lower() or None,
        normal_linkedin(contact.get("linkedin")),
    ]


def matches(row: list[Any], needle: str) -> bool:
    """Whether `--search` text (lower case) is in a row: name, handle, e-mail, company,
    role, industry, location, notes, why them or a tag."""
    if needle in row[10]:
        return True
    for value in (row[3], row[2], row[4], row[11], row[5]):
        if value and needle in value.lower():
            return True
    return any(needle in tag.lower() for tag in row[9])


def _folded(text: str | None) -> str:
    """A value as the names file keeps it: lower case, on one line, without tabs."""
    return " ".join((text or "").lower().split())


def _twins(rows: Iterable[list[Any]]) -> set[str]:
    """The names (folded) that two or more contacts not archived go by."""
    counts: dict[str, int] = {}
    for row in rows:
        if not row[6]:
            counts[_folded(row[3])] = counts.get(_folded(row[3]), 0) + 1
    return {name for name, n in counts.items() if n > 1}


def _keys(name: str, email: str | None, linkedin: str | None) -> set[str]:
    keys = {f"\t={_folded(name)}\n"}
    if email:
        keys.add(f"\t@{_folded(email)}\t")
    if linkedin:
        keys.add(f"\t~{_folded(linkedin)}\t")
    return keys


def _names_blob(rows: Iterable[list[Any]], meetings: Iterable[tuple[int, str, int]]) -> str:
    """One line per contact (`handle, #id, uuid, bucket, >referred-by uuid, @e-mail,
    ~LinkedIn profile, =name` (the name only when not archived)) and per meeting
    (`#mID, contact uuid, bucket`): a lookup is one `str.find`."""
    parts = ["\n"]
    for row in rows:
        name = "" if row[6] else _folded(row[3])
        parts.append(
            f"{row[2]}\t#{row[1]}\t{row[0]}\t{bucket_of(row[0])}\t>{row[8] or ''}"
            f"\t@{_folded(row[12])}\t~{_folded(row[13])}\t={name}\n"
        )
    for mid, contact, bucket in meetings:
        parts.append(f"#m{mid}\t{contact}\t{bucket}\n")
    return "".join(parts)


def _prospects(rows: Iterable[list[Any]], active: Iterable[str]) -> dict[str, Any]:
    """The contacts with nothing recorded (`quiet`, with those someone referred: what
    `stats` counts without reading every row), and among them the prospects (not
    archived): how many, by industry and by company."""
    busy = set(active)
    total = quiet = 0
    referred: list[str] = []
    industry: dict[str, int] = {}
    company: dict[str, int] = {}
    for row in rows:
        if row[0] in busy:
            continue
        quiet += 1
        if row[8] is not None:
            referred.append(row[0])
        if row[6]:
            continue
        total += 1
        for value, counts in ((row[5], industry), (row[4], company)):
            if value:
                key = value.lower()
                counts[key] = counts.get(key, 0) + 1
    return {
        "total": total,
        "by_industry": industry,
        "by_company": company,
        "quiet": quiet,
        "quiet_referred": sorted(referred),
    }


class Writer:
    """Writes an index: every file of a full build, or those a change touched."""

    def __init__(self, paths: Paths, where: Path | None = None) -> None:
        self.paths = paths
        self.where = where or folder(paths)
        self.files: dict[str, int] = {}

    def put(self, name: str, data: bytes) -> None:
        atomic_write(self.where / name, data, durable=False)
        self.files[name] = zlib.crc32(data)

    def finish(self, manifest: dict[str, Any], key: dict[str, Any], built_ns: int) -> None:
        manifest.update(
            format=FORMAT,
            zone=local_zone(),
            settings=settings_key(self.paths),
            built_ns=built_ns,
            sources=key,
            files=self.files,
            folder=str(self.paths.data_dir.absolute()),
        )
        atomic_write(self.where / "manifest.json", _dump(manifest), durable=False)


def _shards(data: dict[str, Any]) -> list[dict[str, list[dict[str, Any]]]]:
    shards: list[dict[str, list[dict[str, Any]]]] = [
        {kind: [] for kind in KINDS} for _ in range(BUCKETS)
    ]
    home: dict[str, int] = {}
    for contact in data.get("contacts", []):
        b = home[contact["uuid"]] = bucket_of(contact["uuid"])
        shards[b]["contacts"].append(contact)
    for kind in ("events", "meetings"):
        for record in data.get(kind, []):
            b = home.get(record.get("contact", ""), bucket_of(record.get("contact", "")))
            shards[b][kind].append(record)
    return shards


def _bucket_activity(shard: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """The contacts of a shard who have events or meetings, each with them."""
    out: dict[str, dict[str, Any]] = {}
    contacts = {c["uuid"]: c for c in shard["contacts"]}
    for kind in ("events", "meetings"):
        for record in shard[kind]:
            owner = contacts.get(record.get("contact", ""))
            if owner is not None:
                entry = out.setdefault(owner["uuid"], {"contact": owner, "events": [],
                                                        "meetings": []})  # fmt: skip
                entry[kind].append(record)
    return out


def _bucket_follow(
    shard: dict[str, list[dict[str, Any]]],
    summarize: Summarize,
    changed: set[str] | None = None,
    kept: dict[str, dict[str, Any]] | None = None,
) -> dict[str, dict[str, Any]]:
    """Each contact of the shard with events or meetings, summarized; when `changed`
    is given, only those contacts are summarized again and the others' entries taken
    from `kept` (an entry depends on that contact's records alone), in the same order."""
    events: dict[str, list[dict[str, Any]]] = {}
    meetings: dict[str, list[dict[str, Any]]] = {}
    for e in shard["events"]:
        events.setdefault(e["contact"], []).append(e)
    for m in shard["meetings"]:
        meetings.setdefault(m["contact"], []).append(m)
    per = {}
    for contact in shard["contacts"]:
        u = contact["uuid"]
        if u not in events and u not in meetings:
            continue
        if changed is not None and kept is not None and u not in changed and u in kept:
            per[u] = kept[u]
        else:
            per[u] = summarize(contact, events.get(u, []), meetings.get(u, []))
    return per
