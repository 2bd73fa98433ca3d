"""Reading a valid index: `Index`, file by file as a command needs them, and `due_view`.
The contract is in `infoint.index`.
"""

from __future__ import annotations

import contextlib
import json
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from infoint.files import Paths
from infoint.index_keys import (
    BUCKETS,
    FORMAT,
    Stale,
    _reseal,
    bucket_of,
    folder,
    local_zone,
    settings_key,
    source_key,
)
from infoint.index_rows import _folded, _keys


class Index:
    """A valid index, read file by file as a command needs them."""

    def __init__(self, where: Path, manifest: dict[str, Any]) -> None:
        self.where = where
        self.manifest = manifest
        self._names: str | None = None
        self._cache: dict[str, Any] = {}

    # opening ---------------------------------------------------------------------

    @classmethod
    def open(cls, paths: Paths) -> Index | None:
        """The index if it matches the store as it is now; None otherwise."""
        where = folder(paths)
        try:
            manifest = json.loads((where / "manifest.json").read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            return None
        if manifest.get("zone") != local_zone() or manifest.get("settings") != settings_key(paths):
            return None
        built = manifest.get("built_ns", 0)
        current = source_key(paths, built)
        recorded = manifest.get("sources", {})
        if current.get("store") != recorded.get("store") or current["journal"] != recorded.get(
            "journal"
        ):
            return None
        if "store_crc" in current:
            if current["store_crc"] != recorded.get("store_crc"):
                return None
            _reseal(where, manifest, paths)
        return cls(where, manifest)

    # reading ---------------------------------------------------------------------

    def _read(self, name: str) -> bytes:
        try:
            data = (self.where / name).read_bytes()
        except OSError:
            raise Stale(name) from None
        if zlib.crc32(data) != self.manifest["files"].get(name):
            with contextlib.suppress(OSError):  # damaged or not, the next command rebuilds
                if json.loads((self.where / "manifest.json").read_bytes()) == self.manifest:
                    (self.where / "manifest.json").unlink()
            raise Stale(name)
        return data

    def _json(self, name: str) -> Any:
        if name not in self._cache:
            self._cache[name] = json.loads(self._read(name))
        return self._cache[name]

    @property
    def next_id(self) -> dict[str, int]:
        return dict(self.manifest["next_id"])

    @property
    def seq(self) -> int:
        return int(self.manifest["seq"])

    @property
    def count(self) -> int:
        return int(self.manifest["count"])

    @property
    def valid_from(self) -> str:
        return str(self.manifest["valid_from"])

    def names(self) -> str:
        if self._names is None:
            self._names = self._read("names.txt").decode()
        return self._names

    def delta(self) -> dict[str, dict[str, Any]]:
        """Rows and meeting lookups changed since `rows.json` and `names.txt` were
        written whole: small writes touch this file only (see `update`)."""
        if "delta.json" not in self.manifest["files"]:
            return {"rows": {}, "meetings": {}}
        data: dict[str, dict[str, Any]] = self._json("delta.json")
        return data

    def _line(self, needle: str) -> list[str] | None:
        blob = self.names()
        at = blob.find(needle)
        if at < 0:
            return None
        start = blob.rfind("\n", 0, at + 1) + 1
        return blob[start : blob.find("\n", at + 1)].split("\t")

    def locate(self, ref: str) -> tuple[str, int] | None:
        """(contact uuid, bucket) for a handle, a contact id or a contact uuid."""
        ref = ref.strip()
        if ref.isdigit():
            ref = str(int(ref))  # "01", or digits of another script, name contact 1
        changed = self.delta()["rows"]
        for uuid, row in changed.items():
            if row is not None and ref in (row[2], str(row[1]), uuid):
                return uuid, bucket_of(uuid)
        needles = [f"\n{ref}\t"]
        if ref.isdigit():
            needles.append(f"\t#{ref}\t")
        elif len(ref) == 36 and ref.count("-") == 4:
            needles.append(f"\t{ref}\t")
        for needle in needles:
            line = self._line(needle)
            if line is not None and line[2] not in changed:
                return line[2], int(line[3])
        return None

    def has_handle(self, handle: str) -> bool:
        changed = self.delta()["rows"]
        if any(row is not None and row[2] == handle for row in changed.values()):
            return True
        line = self._line(f"\n{handle}\t")
        return line is not None and line[2] not in changed

    def handles(self) -> list[str]:
        changed = self.delta()["rows"]
        out = [
            parts[0]
            for line in self.names().split("\n")
            if line and not line.startswith("#m")
            for parts in [line.split("\t")]
            if parts[2] not in changed
        ]
        return out + [row[2] for row in changed.values() if row is not None]

    def _lines(self, needle: str) -> list[list[str]]:
        """Every contact line of the names file holding `needle`, split into fields."""
        blob, out, at = self.names(), [], 0
        while (at := blob.find(needle, at)) >= 0:
            start = blob.rfind("\n", 0, at) + 1
            end = blob.find("\n", at + 1)
            out.append(blob[start:end].split("\t"))
            at = end
        return out

    def referred_by(self, contact_uuid: str) -> list[tuple[str, int]]:
        """The contacts `contact_uuid` pointed you to: (uuid, bucket) each."""
        changed = self.delta()["rows"]
        out = [
            (parts[2], int(parts[3]))
            for parts in self._lines(f"\t>{contact_uuid}\t")
            if parts[2] not in changed
        ]
        out += [(u, bucket_of(u)) for u, row in changed.items() if row and row[8] == contact_uuid]
        return out

    def twins(self) -> set[str]:
        """The names (folded) that two or more contacts not archived go by."""
        return set(self.manifest.get("twins", []))

    def told_apart(self, candidates: list[Any]) -> list[Any]:
        """Follow-ups about two people with one name carry their handles too."""
        shared = self.twins()
        twins = {f.who.name for f in candidates if _folded(f.who.name) in shared}
        if not twins:
            return candidates
        from dataclasses import replace

        from infoint.agenda import Who

        return [
            replace(f, who=Who(f.who.uuid, f.who.handle, f"{f.who.name} ({f.who.handle})"))
            if f.who.name in twins
            else f
            for f in candidates
        ]

    def maybe_same(
        self, name: str, email: str | None, linkedin: str | None
    ) -> list[tuple[str, int]]:
        """Contacts that could be this person (the same e-mail, LinkedIn profile or
        name): (uuid, bucket) each, for the caller to compare in full."""
        from infoint.records import normal_linkedin

        keys = _keys(name, email, normal_linkedin(linkedin))
        changed = self.delta()["rows"]
        found = {
            (parts[2], int(parts[3]))
            for needle in keys
            for parts in self._lines(needle)
            if parts[2] not in changed
        }
        for u, row in changed.items():
            if row is not None and keys & set(_keys(row[3], row[12], row[13])):
                found.add((u, bucket_of(u)))
        return sorted(found)

    def namesakes(self, name: str, changed: dict[str, Any] | None = None) -> int:
        """How many contacts not archived go by `name` (in any case), with `changed`
        (rows by uuid, None for removed) over the names file (default: the delta)."""
        if changed is None:
            changed = self.delta()["rows"]
        needle = f"\t={_folded(name)}\n"
        count = sum(1 for parts in self._lines(needle) if parts[2] not in changed)
        return count + sum(
            1
            for row in changed.values()
            if row is not None and not row[6] and _folded(row[3]) == _folded(name)
        )

    def locate_meeting(self, meeting_id: str) -> tuple[str, int] | None:
        key = meeting_id.strip().lstrip("#")
        changed = self.delta()["meetings"]
        if key in changed:
            found = changed[key]
            return (found[0], int(found[1])) if found is not None else None
        line = self._line(f"\n#m{key}\t")
        return (line[1], int(line[2])) if line is not None else None

    def meetings(self) -> list[tuple[int, str, int]]:
        """(meeting id, contact uuid, bucket) of every meeting."""
        changed = self.delta()["meetings"]
        out = []
        for line in self.names().split("\n"):
            if line.startswith("#m"):
                mid, contact, bucket = line[2:].split("\t")
                if mid not in changed:
                    out.append((int(mid), contact, int(bucket)))
        out += [(int(k), v[0], int(v[1])) for k, v in changed.items() if v is not None]
        return sorted(out)

    def shard(self, bucket: int) -> dict[str, list[dict[str, Any]]]:
        data: dict[str, list[dict[str, Any]]] = self._json(f"shard-{bucket:02d}.json")
        return data

    def quiet(self) -> tuple[int, list[str]]:
        """How many contacts have nothing recorded, and which of them were referred."""
        prospects = self.manifest["prospects"]
        return int(prospects["quiet"]), list(prospects["quiet_referred"])

    def rows(self) -> list[list[Any]]:
        """Every contact's row, in id order."""
        base: list[list[Any]] = self._json("rows.json")
        changed = self.delta()["rows"]
        if not changed:
            return base
        rows = [changed.get(row[0], row) if row[0] in changed else row for row in base]
        seen = {row[0] for row in base}
        rows = [row for row in rows if row is not None]
        added = [row for u, row in changed.items() if row is not None and u not in seen]
        if added:
            rows.extend(added)
            rows.sort(key=lambda row: row[1])
        return rows

    def follow_bucket(self, bucket: int) -> dict[str, dict[str, Any]]:
        data: dict[str, dict[str, Any]] = self._json(f"follow-{bucket:02d}.json")
        return data

    def follow(self) -> dict[str, Any]:
        """Every contact's follow-up entry (`per`, by uuid) and the prospect counts."""
        per: dict[str, Any] = {}
        for bucket in range(BUCKETS):
            per.update(self.follow_bucket(bucket))
        return {"per": per, "prospects": self.manifest["prospects"]}

    def activity_bucket(self, bucket: int) -> dict[str, dict[str, Any]]:
        data: dict[str, dict[str, Any]] = self._json(f"activity-{bucket:02d}.json")
        return data

    def activity(self) -> dict[str, dict[str, Any]]:
        """Each contact with events or meetings: {uuid: {contact, events, meetings}}."""
        out: dict[str, dict[str, Any]] = {}
        for bucket in range(BUCKETS):
            out.update(self.activity_bucket(bucket))
        return out

    def every_shard(self) -> Iterable[dict[str, list[dict[str, Any]]]]:
        for bucket in range(BUCKETS):
            yield self.shard(bucket)


# the morning look ---------------------------------------------------------------------


def due_view(paths: Paths, as_of: Any) -> Any:
    """What `followups` shows at `as_of`, from a valid index; None when the index is
    stale or `as_of` is before the latest moment recorded (the caller then rebuilds
    it, or works from every record). Both front doors of `followups` call this."""
    from datetime import datetime

    from infoint import agenda
    from infoint.files import check_folder

    check_folder(paths.data_dir)
    if not paths.store_file.exists() and not paths.logs():
        return agenda.DueView(as_of, [], agenda.Prospects(), 0)
    found = Index.open(paths)
    if found is None or as_of < datetime.fromisoformat(found.valid_from):
        return None
    try:
        follow = found.follow()
    except Stale:
        return None
    entries = follow["per"].values()
    candidates = [agenda.followup_from_json(f) for e in entries for f in e["candidates"]]
    twins = set(found.manifest.get("twins", []))  # two people one name: the handle too
    return agenda.view(
        found.told_apart(candidates),
        as_of,
        agenda.Prospects(
            follow["prospects"]["total"],
            follow["prospects"]["by_industry"],
            follow["prospects"]["by_company"],
        ),
        found.count,
        [
            agenda.NextMeeting(
                f"{p['name']} ({p['handle']})"
                if p.get("handle") and _folded(p["name"]) in twins
                else p["name"],
                datetime.fromisoformat(p["start"]),
                p["minutes"],
                p["mode"],
            )
            for e in entries
            for p in e["planned"]
        ],
    )
