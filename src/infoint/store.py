"""Where the data lives, and how it is read and written without ever losing it.

One command is one transaction: an exclusive lock on a lock file kept outside the
data folder (so a synced folder never carries it), a fresh read of `store.json`,
the change, then an atomic save: a temp file in the same folder, fsync,
`os.replace`, fsync of the folder. A store that cannot be read or validated is
reported with its path and never overwritten. Reading commands take no lock: the
atomic replace means they always see a whole file, old or new.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infoint.errors import StoreError
from infoint.models import StoreDoc, empty_store

APP = "infoint"
#: How long a writer waits for another infoint to finish before giving up.
LOCK_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class Paths:
    """Every file infoint touches, worked out once from the environment."""

    data_dir: Path
    config_file: Path
    lock_dir: Path | None = None  # None: the user's cache folder, looked up when a write needs it

    @property
    def store_file(self) -> Path:
        return self.data_dir / "store.json"

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def lock_file(self) -> Path:
        """Outside the data folder, so a synced folder never carries it; keyed by the
        store's path so two stores never share a lock."""
        folder = self.lock_dir
        if folder is None:
            import platformdirs

            folder = Path(platformdirs.user_cache_dir(APP)) / "locks"
        key = hashlib.sha256(str(self.store_file.resolve()).encode()).hexdigest()[:16]
        return folder / f"store-{key}.lock"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Paths:
        """`INFOINT_HOME=DIR` puts everything under DIR; otherwise platformdirs decides."""
        env = os.environ if env is None else env
        home = env.get("INFOINT_HOME")
        if home:
            data = Path(home).expanduser()
            return cls(data_dir=data, config_file=data / "config.toml")
        import platformdirs

        return cls(
            data_dir=Path(platformdirs.user_data_dir(APP)),
            config_file=Path(platformdirs.user_config_dir(APP)) / "config.toml",
        )


def ensure_private_dir(path: Path) -> None:
    """Create a folder readable by its owner only (0700)."""
    if not path.is_dir():
        try:
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"Could not create the folder {path}: {exc.strerror or exc}.",
                hint="Check that the parent folder exists and is writable, or set INFOINT_HOME.",
            ) from None


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that a crash leaves either the old or the new file.

    The file is created 0600. On any failure the temp file is removed, the old
    file is untouched, and the cause is raised as a one-line StoreError.
    """
    ensure_private_dir(path.parent)
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
        tmp = None
        _fsync_dir(path.parent)
    except OSError as exc:
        raise StoreError(
            f"Could not write {path}: {exc.strerror or exc}. Nothing was changed.",
            hint="Free some disk space or fix the folder's permissions, then try again.",
        ) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _describe_invalid(path: Path, exc: Exception) -> StoreError:
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the top level"
        what = f"{where}: {first['msg']}"
    else:
        what = str(exc)
    return StoreError(
        f"The store {path} cannot be read ({what}). It was left untouched.",
        hint="Restore a copy from its backups folder, or fix the file by hand.",
    )


class Store:
    """Loads and saves the root document at `paths.store_file`."""

    def __init__(self, paths: Paths) -> None:
        self.paths = paths

    def read_bytes(self) -> bytes | None:
        try:
            return self.paths.store_file.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(
                f"Could not read {self.paths.store_file}: {exc.strerror or exc}.",
                hint="Check the file's permissions.",
            ) from None

    def load(self) -> StoreDoc:
        """The store as it is on disk; a missing store reads as an empty one."""
        raw = self.read_bytes()
        if raw is None:
            return empty_store()
        return self.parse(raw)

    def parse(self, raw: bytes) -> StoreDoc:
        from pydantic import ValidationError

        if not raw.strip():
            raise _describe_invalid(self.paths.store_file, ValueError("the file is empty"))
        try:
            doc = StoreDoc.model_validate_json(raw)
        except ValidationError as exc:
            raise _describe_invalid(self.paths.store_file, exc) from None
        problem = duplicate_ids(doc)
        if problem:
            raise _describe_invalid(self.paths.store_file, ValueError(problem))
        return doc

    def save(self, doc: StoreDoc) -> None:
        atomic_write(self.paths.store_file, dump(doc))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[StoreDoc]:
        """Lock, re-read, let the caller change the document, save it atomically.

        If the body raises, nothing is written.
        """
        with exclusive_lock(self.paths.lock_file, self.paths.store_file):
            doc = self.load()
            yield doc
            self.save(doc)


@contextlib.contextmanager
def exclusive_lock(lock_file: Path, store_file: Path) -> Iterator[None]:
    """An exclusive advisory lock held for one transaction.

    The standard library's `fcntl.flock` (or `msvcrt.locking` on Windows) is all
    this needs: the kernel releases the lock when the process dies, so a crash
    never leaves a stale lock behind.
    """
    ensure_private_dir(lock_file.parent)
    try:
        fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise StoreError(
            f"Could not open the lock file {lock_file}: {exc.strerror or exc}."
        ) from None
    try:
        deadline = time.monotonic() + LOCK_TIMEOUT_SECONDS
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise StoreError(
                    f"Another infoint has been changing {store_file} for "
                    f"{LOCK_TIMEOUT_SECONDS:g} seconds.",
                    hint=f"Wait for it to finish; if none is running, delete {lock_file}.",
                )
            time.sleep(0.01)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def dump(doc: StoreDoc) -> bytes:
    """Human-readable JSON, keys in a stable order, ending in a newline."""
    return doc.model_dump_json(indent=1).encode() + b"\n"


def duplicate_ids(doc: StoreDoc) -> str | None:
    """A hand-edited store may repeat an id, a handle or a UUID; name the first one."""
    for label, records, key in (
        ("contact id", doc.contacts, "id"),
        ("handle", doc.contacts, "handle"),
        ("meeting id", doc.meetings, "id"),
        ("event id", doc.events, "id"),
    ):
        seen: set[Any] = set()
        for record in records:
            value = getattr(record, key)
            if value in seen:
                return f"the {label} {value} appears twice"
            seen.add(value)
    uuids: set[str] = set()
    for group in (doc.contacts, doc.meetings, doc.events):
        for rec in group:
            if rec.uuid in uuids:
                return f"the uuid {rec.uuid} appears twice"
            uuids.add(rec.uuid)
    return None


def read_toml(path: Path) -> dict[str, Any]:
    """The config file as a dict; missing means empty; damaged is reported, not replaced."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise StoreError(f"Could not read {path}: {exc.strerror or exc}.") from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise StoreError(
            f"The settings file {path} cannot be read ({exc}). It was left untouched.",
            hint="Fix the line it names, or delete the file to go back to the defaults.",
        ) from None


def write_toml(path: Path, data: dict[str, Any]) -> None:
    import tomli_w

    atomic_write(path, tomli_w.dumps(data).encode())
