"""The index: a machine-local copy of the store, laid out so a command reads what it
needs and nothing more. This module is its one owner: it builds, checks, reads and
updates it.

Contract
--------
- **Where.** Under the user's cache folder (`…/infoint/index/<dev>-<inode>/`), named by
  the data folder's identity (device and inode), never inside the data folder: it is
  machine-local and rebuildable from `store.json` + the change logs at any time.
- **What.** `manifest.json` (the keys below, the next ids, the last change seq, and a
  CRC-32 of every other file), `names.txt` (one line per handle, contact id and
  meeting id, found with one `str.find`), `rows.json` (one compact row per contact for
  listings and search) with `delta.json` (the rows changed since it was written
  whole), and per bucket of contacts (bucket = CRC-32 of the contact's UUID mod
  64): `shard-NN.json` (the records, each contact with its events and meetings),
  `follow-NN.json` (per contact with activity: follow-up candidates, planned
  meetings, status) and `activity-NN.json` (the contacts with events or meetings,
  with them: what the agenda and the statistics read). The prospect counts are in
  the manifest.
- **When it is valid.** The manifest's key of the sources equals the files on disk:
  each machine's change log by size and CRC-32 of its content (each is small: it is
  folded at 512 KiB) and the names in the history folder; the snapshot by size,
  mtime, ctime and inode, and also by the CRC-32 of its content whenever its
  timestamps fall within two seconds of the index's own ("racy", as git calls it:
  a same-size edit within a file system's timestamp granularity cannot pass).
  Plus the settings and the local time zone, which the
  derived follow-ups depend on. Each file read is checked against the CRC in the
  manifest, so a reader racing a writer, or a damaged cache, sees "stale", never a
  mix.
- **Trust.** Records come into the index validated (a full build validates every
  record with pydantic; an update carries records the command just validated), so a
  reader may use them without validating them again. Anything else (a hand edit, a
  sync tool) changes the sources' key and causes a full, validating build.
- **Updates.** A command that changed records rewrites the shards of the contacts it
  touched, their rows and names when their contact changed, their follow-up entries,
  and the manifest last. The result equals a full build (a property test holds
  them to it). A stale or missing index is rebuilt under the store's lock.

Nothing here imports pydantic, Rich or Typer.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path
from typing import Any

from infoint.errors import StoreError
from infoint.files import Paths
from infoint.index_keys import (
    BUCKETS,
    FORMAT,
    KINDS,
    RACY_NS,
    Stale,
    Summarize,
    _dump,
    bucket_of,
    crc_file,
    folder,
    journal_key,
    local_zone,
    settings_key,
    source_key,
)
from infoint.index_read import Index, due_view
from infoint.index_rows import (
    ROW_FIELDS,
    Writer,
    _bucket_activity,
    _bucket_follow,
    _folded,
    _names_blob,
    _prospects,
    _shards,
    _twins,
    matches,
    row_of,
)

__all__ = [
    "BUCKETS",
    "DELTA_ROWS",
    "FORMAT",
    "KINDS",
    "RACY_NS",
    "ROW_FIELDS",
    "Index",
    "Stale",
    "Summarize",
    "Writer",
    "bucket_of",
    "build",
    "clear",
    "crc_file",
    "due_view",
    "folder",
    "journal_key",
    "local_zone",
    "matches",
    "prune",
    "row_of",
    "settings_key",
    "source_key",
    "unreadable",
    "update",
]

#: Rewrite the rows and names whole once this many have changed since.
DELTA_ROWS = 1000


def build(
    paths: Paths,
    data: dict[str, Any],
    summarize: Summarize,
    key: dict[str, Any],
    valid_from: str,
) -> Index:
    """A full index of `data` (every record, already validated), for the sources' `key`."""
    started = time.time_ns()
    writer = Writer(paths)
    with contextlib.suppress(FileNotFoundError):
        for old in writer.where.iterdir():
            old.unlink()
    shards = _shards(data)
    for b, shard in enumerate(shards):
        for kind in KINDS:
            shard[kind].sort(key=lambda r: r.get("id", 0))
        writer.put(f"shard-{b:02d}.json", _dump(shard))
    rows = sorted((row_of(c) for c in data.get("contacts", [])), key=lambda r: r[1])
    meetings = [(m["id"], m["contact"], bucket_of(m["contact"])) for m in data.get("meetings", [])]
    writer.put("rows.json", _dump(rows))
    writer.put("names.txt", _names_blob(rows, meetings).encode())
    per: dict[str, Any] = {}
    for b, shard in enumerate(shards):
        entries = _bucket_follow(shard, summarize)
        per.update(entries)
        writer.put(f"follow-{b:02d}.json", _dump(entries))
        writer.put(f"activity-{b:02d}.json", _dump(_bucket_activity(shard)))
    manifest = {
        "twins": sorted(_twins(rows)),
        "prospects": _prospects(rows, per),
        "schema": data.get("schema_version"),
        "seq": data.get("seq", 0),
        "hlc": data.get("hlc", 0),
        "folded": data.get("folded", {}),
        "base": data.get("base"),
        "next_id": data.get("next_id", {"contact": 1, "meeting": 1, "event": 1}),
        "count": len(rows),
        "valid_from": valid_from,
    }
    if "store_crc" not in key and key.get("store") is not None:
        key = {**key, "store_crc": crc_file(paths.store_file)}
    writer.finish(manifest, key, started)
    prune(writer.where)
    return Index(writer.where, {**manifest, "files": writer.files})


def prune(mine: Path) -> None:
    """Remove the indexes of data folders that are gone (deleted, or their path now
    holds another folder): each can be as big as its store, and nothing else would
    ever remove it. Runs when an index is built, which is rare. An index that does
    not say which folder it is for, or one being built right now, is left alone."""
    import shutil

    try:
        others = [p for p in mine.parent.iterdir() if p != mine and p.is_dir()]
    except OSError:
        return
    for other in others:
        try:
            manifest = json.loads((other / "manifest.json").read_bytes())
            where = Path(manifest["folder"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
        try:
            st = os.stat(where)
            if other.name == f"{st.st_dev:x}-{st.st_ino:x}":
                continue  # still that folder's index
        except OSError:
            pass  # the folder is gone
        shutil.rmtree(other, ignore_errors=True)
        with contextlib.suppress(OSError):  # and its settings, as last validated
            other.with_name(other.name + ".settings.json").unlink()


def update(
    paths: Paths,
    index: Index,
    changes: list[dict[str, Any]],
    summarize: Summarize,
    key: dict[str, Any],
    seq: int,
    next_id: dict[str, int],
    valid_from: str,
    hlc: int = 0,
) -> None:
    """Apply one command's `changes` (records before and after) to a valid index."""
    started = time.time_ns()
    writer = Writer(paths, index.where)
    writer.files = dict(index.manifest["files"])
    touched: dict[int, dict[str, list[dict[str, Any]]]] = {}
    contact_changed = False
    meetings_moved = False
    home: dict[str, int] = {}
    for change in changes:
        kind, record = change["type"], change["after"] or change["before"]
        owner = record["uuid"] if kind == "contacts" else record.get("contact", "")
        b = home.setdefault(owner, bucket_of(owner))
        shard = touched.get(b)
        if shard is None:
            shard = touched[b] = {k: list(v) for k, v in index.shard(b).items()}
        items = shard[kind]
        at = next((i for i, r in enumerate(items) if r["uuid"] == change["uuid"]), None)
        if change["after"] is None:
            if at is not None:
                del items[at]
        elif at is None:
            items.append(change["after"])
        else:
            items[at] = change["after"]
        if kind == "contacts":
            contact_changed = True
        if kind == "meetings" and (change["before"] is None or change["after"] is None):
            meetings_moved = True
    for b, shard in touched.items():
        for kind in KINDS:
            shard[kind].sort(key=lambda r: r.get("id", 0))
        writer.put(f"shard-{b:02d}.json", _dump(shard))
    prospects = json.loads(json.dumps(index.manifest["prospects"]))
    for b, shard in touched.items():
        old_per = index.follow_bucket(b)
        per = _bucket_follow(shard, summarize, {u for u, at in home.items() if at == b}, old_per)
        writer.put(f"follow-{b:02d}.json", _dump(per))
        writer.put(f"activity-{b:02d}.json", _dump(_bucket_activity(shard)))
        old = {c["uuid"]: c for c in index.shard(b)["contacts"]}
        new = {c["uuid"]: c for c in shard["contacts"]}
        for u in old.keys() | new.keys():
            _count(prospects, old.get(u), u in old_per, -1)
            _count(prospects, new.get(u), u in per, +1)
    delta = {k: dict(v) for k, v in index.delta().items()}
    count = index.count
    for ch in changes:
        if ch["type"] == "contacts":
            if ch["after"] is None:
                delta["rows"][ch["uuid"]] = None
                count -= 1
            else:
                count += ch["before"] is None
                delta["rows"][ch["uuid"]] = row_of(ch["after"])
        elif ch["type"] == "meetings" and (ch["before"] is None or ch["after"] is None):
            record = ch["after"] or ch["before"]
            delta["meetings"][str(record["id"])] = (
                None if ch["after"] is None else [record["contact"], bucket_of(record["contact"])]
            )
    if len(delta["rows"]) + len(delta["meetings"]) > DELTA_ROWS:
        rows, meetings = index.rows(), index.meetings()
        for ch in changes:  # the delta above, folded into whole files
            if ch["type"] == "contacts":
                rows = [r for r in rows if r[0] != ch["uuid"]]
                if ch["after"] is not None:
                    rows.append(row_of(ch["after"]))
        rows.sort(key=lambda r: r[1])
        meetings = [m for m in meetings if str(m[0]) not in delta["meetings"]]
        meetings += [(int(k), v[0], int(v[1])) for k, v in delta["meetings"].items() if v]
        writer.put("rows.json", _dump(rows))
        writer.put("names.txt", _names_blob(rows, sorted(meetings)).encode())
        writer.files.pop("delta.json", None)
    elif contact_changed or meetings_moved:
        writer.put("delta.json", _dump(delta))

    twins = set(index.manifest.get("twins", []))
    if contact_changed:
        names = {
            _folded(record["name"])
            for ch in changes
            if ch["type"] == "contacts"
            for record in (ch["before"], ch["after"])
            if record is not None
        }
        if "delta.json" in writer.files:
            for name in names:
                many = index.namesakes(name, delta["rows"]) > 1
                (twins.add if many else twins.discard)(name)
        else:  # rewritten whole just now
            twins = _twins(rows)
    manifest = {
        "twins": sorted(twins),
        "prospects": prospects,
        "schema": index.manifest.get("schema"),
        "seq": seq,
        "hlc": hlc,
        "folded": index.manifest.get("folded", {}),
        "base": index.manifest.get("base"),
        "next_id": next_id,
        "count": count,
        "valid_from": valid_from,
    }
    writer.finish(manifest, key, started)


def _count(
    prospects: dict[str, Any], contact: dict[str, Any] | None, active: bool, by: int
) -> None:
    """Add (or take away) one contact's share of the prospect counts."""
    if contact is None or active:
        return
    prospects["quiet"] += by
    if contact.get("referred_by") is not None:
        referred = set(prospects["quiet_referred"])
        (referred.add if by > 0 else referred.discard)(contact["uuid"])
        prospects["quiet_referred"] = sorted(referred)
    if contact.get("archived"):
        return
    prospects["total"] += by
    for field, name in (("industry", "by_industry"), ("company", "by_company")):
        value = contact.get(field)
        if value:
            counts = prospects[name]
            key = value.lower()
            counts[key] = counts.get(key, 0) + by
            if counts[key] <= 0:
                del counts[key]


def clear(paths: Paths) -> None:
    """Forget the index (it is rebuilt by the next command)."""
    with contextlib.suppress(OSError):
        (folder(paths) / "manifest.json").unlink()


def unreadable(exc: Exception) -> StoreError:  # pragma: no cover - defensive
    return StoreError(f"The index could not be read ({exc}).")
