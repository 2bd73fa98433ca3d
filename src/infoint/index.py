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
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from infoint.errors import StoreError
from infoint.files import Paths, atomic_write
from infoint.records import normal_linkedin

FORMAT = 13
BUCKETS = 64
#: A snapshot written this close (ns) to the index is checked by content, not by time.
RACY_NS = 2_000_000_000
#: The wall clock, for the racy window only (tests move it).
clock_ns = time.time_ns
KINDS = ("contacts", "events", "meetings")
#: Rewrite the rows and names whole once this many have changed since.
DELTA_ROWS = 1000

#: Derives one contact's follow-up entry from its raw records (supplied by services).
Summarize = Callable[[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]], dict[str, Any]]


def bucket_of(contact_uuid: str) -> int:
    return zlib.crc32(contact_uuid.encode()) % BUCKETS


def local_zone() -> str:
    """What the local zone is called and its offsets: texts in the index use it."""
    return f"{time.tzname}|{time.timezone}|{time.altzone}"


def folder(paths: Paths) -> Path:
    """The index of this data folder on this machine: in the user's cache folder, or,
    when that cannot be used (a file in its place, no permission, a full disk), in the
    system's temporary folder."""
    import platformdirs

    try:
        st = os.stat(paths.data_dir)
        key = f"{st.st_dev:x}-{st.st_ino:x}"
    except OSError:
        key = f"path-{zlib.crc32(str(paths.data_dir).encode()):08x}"
    home = Path(platformdirs.user_cache_dir("infoint")) / "index" / key
    if _usable(home):
        return home
    import tempfile

    return Path(tempfile.gettempdir()) / f"infoint-{os.getuid()}" / "index" / key


def _usable(where: Path) -> bool:
    for parent in (where, *where.parents):
        if parent.exists():
            return parent.is_dir() and os.access(parent, os.W_OK | os.X_OK)
    return False  # pragma: no cover - the root always exists


def crc_file(path: Path) -> int:
    try:
        with open(path, "rb") as handle:
            return zlib.crc32(handle.read())
    except FileNotFoundError:
        return -1


def source_key(paths: Paths, built_ns: int | None = None) -> dict[str, Any]:
    """What the index's validity is keyed by (see the module's docstring)."""
    key: dict[str, Any] = {}
    try:
        st = os.stat(paths.store_file)
        key["store"] = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        racy = built_ns is None or max(st.st_mtime_ns, st.st_ctime_ns) >= built_ns - RACY_NS
        if racy:
            key["store_crc"] = crc_file(paths.store_file)
    except FileNotFoundError:
        key["store"] = None
    key["journal"] = journal_key(paths)
    return key


def journal_key(paths: Paths) -> list[Any] | None:
    """The change logs' part of the key: each machine's log by name, size and the CRC
    of its content (they are small: each is folded past journal.COMPACT_BYTES), and
    the names in the history folder (a fold elsewhere may leave lines there)."""
    out: list[Any] = []
    for log in paths.logs():
        try:
            with open(log, "rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            continue
        out.append([log.name, len(data), zlib.crc32(data)])
    with contextlib.suppress(OSError):
        names = sorted(os.listdir(paths.history_dir))
        out.append(["history", len(names), zlib.crc32("\n".join(names).encode())])
    return out or None


def _reseal(where: Path, manifest: dict[str, Any], paths: Paths) -> None:
    """The snapshot was checked byte for byte just now; once it is older than the
    racy window, say so in the manifest, so the next command trusts its size, times
    and inode instead of reading it whole again (git's racy-clean rule)."""
    try:
        st = os.stat(paths.store_file)
    except OSError:
        return
    now = clock_ns()
    if max(st.st_mtime_ns, st.st_ctime_ns) < now - RACY_NS:
        manifest["built_ns"] = now
        with contextlib.suppress(OSError, StoreError):
            atomic_write(where / "manifest.json", _dump(manifest), durable=False)


def settings_key(paths: Paths) -> int:
    try:
        return zlib.crc32(paths.config_file.read_bytes())
    except OSError:
        return -1


def _dump(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


class Stale(StoreError):
    """A file of the index changed while a command read it (replaced by another
    command), or was damaged. Callers rebuild the index and ask again; should it reach the
    user, it says what happened, and nothing was changed."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"A file of infoint's index ({name}) changed while it was being read. "
            "Nothing was changed.",
            hint="Run the command again: the index is rebuilt from your store.",
        )


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

    def told_apart(self, candidates: list[Any]) -> list[Any]:
        """Follow-ups about two people with one name carry their handles too."""
        shared = set(self.manifest.get("twins", []))
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
    shard: dict[str, list[dict[str, Any]]], summarize: Summarize
) -> dict[str, dict[str, Any]]:
    events: dict[str, list[dict[str, Any]]] = {}
    meetings: dict[str, list[dict[str, Any]]] = {}
    for e in shard["events"]:
        events.setdefault(e["contact"], []).append(e)
    for m in shard["meetings"]:
        meetings.setdefault(m["contact"], []).append(m)
    per = {}
    for contact in shard["contacts"]:
        u = contact["uuid"]
        if u in events or u in meetings:
            per[u] = summarize(contact, events.get(u, []), meetings.get(u, []))
    return per


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
        per = _bucket_follow(shard, summarize)
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
