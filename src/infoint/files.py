"""Files on disk: where they live, atomic writes, the lock, fingerprints.

Nothing here imports pydantic, Rich or Typer: the fast paths (the morning look,
adding a contact) use these directly.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from infoint.errors import StoreError

#: The name of a copy a sync service left beside the store or its change log
#: (Syncthing, Dropbox, Nextcloud, iCloud): merged by the next command (doctor.py).
SYNC_CONFLICT = re.compile(
    r"conflicted copy|\.sync-conflict-|\(conflict|-conflict-|case conflict"
    r"|^(store|journal) \d+\.jsonl?$"  # iCloud Drive: "store 2.json"
    r"|^(store|journal)-[A-Za-z0-9][A-Za-z0-9-]*\.jsonl?$"  # OneDrive: "store-LAPTOP.json"
    r"|^journal\.([0-9a-f]{8}|local)[^.]+\.jsonl$",  # a machine's log: "journal.1a2b3c4d-PC.jsonl"
    re.I,
)

#: A machine's own change log: `journal.<device>.jsonl` (see `device_id`).
DEVICE_LOG = re.compile(r"^journal\.([0-9a-f]{8}|local)\.jsonl$")

APP = "infoint"
#: How long a writer waits for another infoint to finish before giving up.
LOCK_TIMEOUT_SECONDS = 30.0


class Paths:
    """Every file infoint touches, worked out once from the environment.

    (A plain class: `dataclasses` costs more to import than adding a contact.)"""

    __slots__ = ("_device", "config_file", "data_dir", "lock_dir")

    def __init__(self, data_dir: Path, config_file: Path, lock_dir: Path | None = None) -> None:
        self.data_dir = data_dir
        self.config_file = config_file
        self.lock_dir = lock_dir  # None: the user's cache folder, looked up when a write needs it
        self._device: str | None = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Paths):
            return NotImplemented
        return (self.data_dir, self.config_file, self.lock_dir) == (
            other.data_dir,
            other.config_file,
            other.lock_dir,
        )

    def __hash__(self) -> int:
        return hash((self.data_dir, self.config_file, self.lock_dir))

    def __repr__(self) -> str:
        return f"Paths(data_dir={self.data_dir!r}, config_file={self.config_file!r})"

    @property
    def store_file(self) -> Path:
        return self.data_dir / "store.json"

    @property
    def journal_file(self) -> Path:
        """This machine's change log: `journal.<device>.jsonl` (see `device_id`). Each
        machine appends to its own, so a sync service never sees one file changed on
        two machines."""
        return self.data_dir / f"journal.{self.device}.jsonl"

    @property
    def device(self) -> str:
        """This machine's id for the data folder (`device_id`), looked up once the
        folder exists."""
        if self._device is None:
            if not self.data_dir.is_dir():
                return "local"
            self._device = device_id(self)
        return self._device

    @property
    def legacy_journal(self) -> Path:
        """The one shared change log of stores written before the per-machine logs."""
        return self.data_dir / "journal.jsonl"

    def logs(self) -> list[Path]:
        """Every machine's change log in the data folder (this one's included), the
        shared log of an older layout first; conflict copies are not logs."""
        try:
            names = os.listdir(self.data_dir)
        except OSError:
            return []
        found = sorted(self.data_dir / n for n in names if DEVICE_LOG.match(n))
        if "journal.jsonl" in names:
            found.insert(0, self.legacy_journal)
        return found

    @property
    def index_file(self) -> Path:
        return self.data_dir / "index.json"

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def history_dir(self) -> Path:
        return self.data_dir / "history"

    @property
    def lock_file(self) -> Path:
        """Inside the data folder: every process that sees the folder, by any path and
        with any cache folder, locks the same file (a lock named by a path string in a
        per-user folder is not shared by cron, a sandboxed app or a bind mount)."""
        if self.lock_dir is not None:
            return self.lock_dir / ".infoint.lock"
        return self.data_dir / ".infoint.lock"

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


def state_path(paths: Paths, suffix: str) -> Path | None:
    """A machine-local file about the data folder, in the user's state folder, named
    by the folder's identity (device and inode); None if the folder is not there."""
    import platformdirs

    try:
        st = os.stat(paths.data_dir)
    except OSError:
        return None
    return Path(platformdirs.user_state_dir(APP)) / "devices" / f"{st.st_dev}-{st.st_ino}{suffix}"


def device_id(paths: Paths) -> str:
    """This machine's name for itself in the change log, so that `undo` takes back
    only what was done here when a sync service shares the log with other machines.

    Kept in the user's state folder (the data folder is synced), one per data folder,
    named by its identity with its path beside it; a machine that cannot keep it goes
    by "local". A folder put back in place holding this machine's log keeps its id."""
    where = state_path(paths, "")
    if where is None:
        return "local"
    try:
        return where.read_text(encoding="ascii").split()[0]
    except (OSError, UnicodeDecodeError, IndexError):
        pass
    import secrets  # only to make a new id

    made = _put_back_in_place(paths, where) or secrets.token_hex(4)
    _keep_device_id(paths, where, made)
    return made if where.exists() else "local"


def _keep_device_id(paths: Paths, where: Path, device: str) -> None:
    try:
        ensure_private_dir(where.parent)
        atomic_write(where, f"{device}\n{paths.data_dir.resolve()}\n".encode())
    except (OSError, StoreError):
        return


def _put_back_in_place(paths: Paths, where: Path) -> str | None:
    """The id this machine had for a folder at the same path whose log is in it."""
    try:
        here = str(paths.data_dir.resolve())
        kept = list(where.parent.iterdir())
    except OSError:
        return None
    for other in kept:
        try:
            device, path = other.read_text(encoding="ascii").split()[:2]
        except (OSError, UnicodeDecodeError, ValueError):
            continue
        if (
            path == here
            and DEVICE_LOG.match(f"journal.{device}.jsonl")
            and (
                (paths.data_dir / f"journal.{device}.jsonl").exists()
                or any((paths.data_dir / "history").glob(f"journal-{device}-*.jsonl"))
            )
        ):
            return device
    return None


def renew_device_id(paths: Paths) -> None:
    """Give this machine a new id for the data folder: another machine writes the log
    of this one's id (a disk image copied to a second machine keeps the state folder
    too). From now on each writes a log of its own again."""
    import secrets

    where = state_path(paths, "")
    if where is None:
        return
    _keep_device_id(paths, where, secrets.token_hex(4))
    paths._device = None


def ensure_private_dir(path: Path) -> None:
    """Create a folder, and any missing parent, readable by its owner only (0700),
    whatever the umask says."""
    if path.is_dir():
        return
    check_folder(path)
    missing = []
    for folder in (path, *path.parents):
        if folder.is_dir():
            break
        missing.append(folder)
    try:
        for folder in reversed(missing):
            with contextlib.suppress(FileExistsError):
                folder.mkdir(mode=0o700)
                os.chmod(folder, 0o700)  # mkdir's mode is filtered by the umask
    except OSError as exc:
        raise StoreError(
            f"Could not create the folder {path}: {exc.strerror or exc}.",
            hint="Check that the parent folder exists and is writable, or set INFOINT_HOME.",
        ) from None
    check_folder(path)


def check_folder(path: Path) -> None:
    """A data folder that is a file (INFOINT_HOME pointing at one) is named plainly."""
    if path.exists() and not path.is_dir():
        raise StoreError(
            f"{path} is a file, not a folder: infoint keeps its data in a folder.",
            hint="Point INFOINT_HOME at a folder (or move the file away).",
        )


def atomic_write(path: Path, data: bytes, durable: bool = True) -> None:
    """Write `data` to `path` so that a crash leaves either the old or the new file.

    The file is created 0600. On any failure the temp file is removed, the old
    file is untouched, and the cause is raised as a one-line StoreError. A cache
    (`durable=False`) skips the fsyncs: after a power cut it may come back empty,
    which its reader takes as "rebuild me".
    """
    if path.is_symlink():  # write through a link to where it points, keeping the link
        path = Path(os.path.realpath(path))
    ensure_private_dir(path.parent)
    tmp: str | None = None
    previous: str | None = None  # a second name for the old file, to put it back
    replaced = False
    try:
        # a name no other writer uses (the pid and a clock), created only if new
        tmp = str(path.with_name(f".{path.name}.{os.getpid()}-{time.monotonic_ns()}.tmp"))
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        if durable and path.exists():
            previous = f"{tmp}.old"
            os.link(path, previous)
        os.replace(tmp, path)
        replaced, tmp = True, None
        if durable:
            _fsync_dir(path.parent)
    except OSError as exc:
        if replaced:  # the folder could not be flushed: go back to the old file
            with contextlib.suppress(OSError):
                if previous is not None:
                    os.replace(previous, path)
                else:
                    os.unlink(path)
        raise StoreError(
            f"Could not write {path}: {exc.strerror or exc}. Nothing was changed.",
            hint="Free some disk space or fix the folder's permissions, then try again.",
        ) from None
    finally:
        for leftover in (tmp, previous):
            if leftover is not None:
                with contextlib.suppress(OSError):
                    os.unlink(leftover)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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


def read_toml(path: Path) -> dict[str, Any]:
    """The config file as a dict; missing means empty; damaged is reported, not replaced."""
    return read_config(path)[1]


def read_config(path: Path) -> tuple[bytes, dict[str, Any]]:
    """The config file's bytes and what they say (b"" and {} when there is none)."""
    import tomllib

    check_folder(path.parent)
    try:
        raw = path.read_bytes()
        return raw, tomllib.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        return b"", {}
    except OSError as exc:
        raise StoreError(f"Could not read {path}: {exc.strerror or exc}.") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise StoreError(
            f"The settings file {path} cannot be read ({exc}). It was left untouched.",
            hint="Fix the line it names, or delete the file to go back to the defaults.",
        ) from None


def write_toml(path: Path, data: dict[str, Any]) -> bytes:
    """Write the config file; returns the bytes written."""
    import tomli_w

    raw = tomli_w.dumps(data).encode()
    atomic_write(path, raw)
    return raw


def fingerprint(path: Path) -> list[int]:
    """(size, mtime in ns) of a file, or (-1, -1) when it does not exist: what the
    index is keyed by, so any change to the file (by infoint or by hand) is seen."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return [-1, -1]
    return [st.st_size, st.st_mtime_ns]
