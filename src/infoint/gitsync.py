"""`infoint sync`: the data folder as a git repository, synced through a remote.

The contract:

- **What is shared.** sync commits only infoint's own shared files (`SHARED`: the
  snapshot, the change log, `config.toml` when it lives in the folder, and the
  `.gitignore`/`.gitattributes` it writes). What is machine-local stays out, by
  the `.gitignore` that `sync --init` writes: the lock and temp files (they mean
  something on this machine only), `backups/` and `history/` (this machine's
  safety net: its copies and its folded change log; git itself keeps every synced
  version), `drafts/` (numbered per machine, they would clash), `merged/` and any
  conflict copy (already merged here). Anything else the user keeps in the
  repository is theirs: never added, never resolved, never overwritten.
- **One sync.** Under the store lock: fetch, commit this machine's changes, merge
  the remote branch (a merge, never a rebase of the user's history). The snapshot
  and its change log belong together, so when both machines changed either of
  them since the last common commit, git's result is not used: this machine's two
  files are kept as they are and the other machine's state is written beside them
  as one conflict copy, `store.git-conflict-<sha>.json`, which `Tracker.
  merge_conflicts` (the merge run for Syncthing's copies) takes in record
  by record, newest change winning, nothing dropped. Any other shared file changed
  on both sides keeps this machine's version (the other is in git, named in a note).
  The merge is committed, the copy merged and committed, and the result pushed. A
  push the remote rejects because it moved meanwhile is retried after a new pull.
- **Refusals** (not a repository, no remote, no git, an unreachable remote, user
  changes in the way) are one `Error:` line with a `Hint:`, and change no data file.

git runs as a subprocess (a list of arguments, no shell) with `GIT_TERMINAL_PROMPT=0`
and a timeout; a machine without `user.name`/`user.email` commits as infoint.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from infoint import journal
from infoint.errors import InfointError
from infoint.files import Paths, atomic_write, ensure_private_dir, exclusive_lock

#: The snapshot and the one shared change log of the older layout: resolved together.
PAIR = ("store.json", "journal.jsonl")
RECORD_KINDS = ("contacts", "meetings", "events")
#: Every file infoint commits (only those that exist or are tracked), besides each
#: machine's change log (`journal.<device>.jsonl`) and the history folder.
SHARED = (*PAIR, "config.toml", ".gitignore", ".gitattributes")
#: Each machine writes only its own log and its own folded logs: these never conflict.
SHARED_PATTERNS = ("journal.*.jsonl", "history")
#: Machine-local files, with the reason (the lines of the .gitignore).
IGNORED = (
    "# the lock and temp files of a write: they mean something on this machine only",
    ".infoint.lock",
    ".*.tmp*",
    "# this machine's safety net: its backups",
    "backups/",
    "# drafts are numbered per machine; merged/ holds copies already merged here",
    "drafts/",
    "merged/",
    "*.git-conflict-*",
    "*.sync-conflict-*",
    "*conflicted copy*",
    "index.json",
)
#: Never converted (line endings would break each line's checksum), shown as text by
#: `git diff`, merged by infoint rather than line by line.
ATTRIBUTES = (
    "store.json -text diff -merge\njournal*.jsonl -text diff -merge\n"
    "history/*.jsonl -text diff -merge\n"
)
TIMEOUT_SECONDS = 120.0
PUSH_ATTEMPTS = 4
COPY_PATTERN = "store.git-conflict-{sha}.json"
JOURNAL_COPY = "journal.git-conflict-{sha}.jsonl"


_REPOSITORY_VARIABLES = frozenset(
    ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_PREFIX",
     "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_NAMESPACE")
)  # fmt: skip


class GitError(InfointError):
    """git refused, failed or is missing; the message says which and what to do."""


@dataclass
class Report:
    """What one sync did, for the screen and for `--json`."""

    remote: str = ""
    branch: str = ""
    initialized: bool = False
    committed: list[str] = field(default_factory=list)
    pulled: int = 0
    copies: list[str] = field(default_factory=list)
    kept_ours: list[str] = field(default_factory=list)
    merged: list[dict[str, Any]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unreadable: list[dict[str, str]] = field(default_factory=list)
    arrived: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    renumbered: list[str] = field(default_factory=list)
    pushed: bool = False
    retries: int = 0

    def as_json(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


def plain_message(stderr: str) -> str:
    """git's own message on one line: its `fatal:`/`error:` lines without the prefix
    (or its last line), whitespace collapsed."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    picked = [
        re.sub(r"^(fatal|error):\s*", "", line)
        for line in lines
        if re.match(r"^(fatal|error):", line) or line.startswith("! [")
    ]
    text = "; ".join(picked or lines[-1:]) or "no message"
    return re.sub(r"\s+", " ", text)


class Git:
    """git in one folder: each call a subprocess with a timeout and no prompt."""

    def __init__(self, folder: Path, executable: str | None = None) -> None:
        found = executable or shutil.which("git")
        if found is None:
            raise GitError(
                "git is not installed (or not on the PATH): sync runs git.",
                hint="Install git (e.g. apt install git, brew install git), then run it again.",
            )
        self.exe = found
        self.folder = folder
        self.identity: list[str] = []
        # a hook that runs infoint must not point git at the hook's repository
        env = {k: v for k, v in os.environ.items() if k not in _REPOSITORY_VARIABLES}
        env.update(GIT_TERMINAL_PROMPT="0", LC_ALL="C", LANGUAGE="C", GIT_MERGE_AUTOEDIT="no")
        self.env = env

    def run(
        self, *args: str, check: bool = True, what: str | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        """Run `git ARGS` in the folder; a failure (with `check`) is a GitError that
        shows git's message."""
        command = [self.exe, "-C", str(self.folder), *self.identity, *args]
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                stdin=subprocess.DEVNULL,
                env=self.env,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise GitError(
                f"git {args[0]} did not finish within {TIMEOUT_SECONDS:g} seconds.",
                hint="Check the network and the remote, then sync again (infoint sync).",
            ) from None
        except OSError as exc:
            raise GitError(f"Could not run git: {exc.strerror or exc}.") from None
        if check and done.returncode != 0:
            message = plain_message(done.stderr.decode("utf-8", "replace"))
            raise GitError(
                f"git {what or args[0]} failed: {message}",
                hint=f"Look at the repository: git -C {self.folder} status",
            )
        return done

    def out(self, *args: str) -> str:
        return self.run(*args).stdout.decode("utf-8", "replace").strip()

    def ok(self, *args: str) -> bool:
        return self.run(*args, check=False).returncode == 0

    def show(self, rev: str, path: str) -> bytes | None:
        done = self.run("show", f"{rev}:{path}", check=False)
        return done.stdout if done.returncode == 0 else None

    def use_identity_if_unset(self) -> None:
        """A fresh machine has no user.name/user.email: commit under infoint's name there."""
        host = socket.gethostname() or "localhost"
        extra = []
        if not self.ok("config", "--get", "user.name"):
            extra += ["-c", f"user.name=infoint on {host}"]
        if not self.ok("config", "--get", "user.email"):
            extra += ["-c", f"user.email=infoint@{host}"]
        self.identity = extra


# what the folder must be ------------------------------------------------------------


def _is_own_repository(git: Git, folder: Path) -> bool:
    if not folder.is_dir():
        return False
    done = git.run("rev-parse", "--show-toplevel", check=False)
    if done.returncode != 0:
        return False
    top = done.stdout.decode("utf-8", "replace").strip()
    return Path(top).resolve() == folder.resolve()


def _require_repository(git: Git, folder: Path) -> None:
    if not _is_own_repository(git, folder):
        raise GitError(
            f"The data folder {folder} is not a git repository of its own.",
            hint="Set it up with a remote: infoint sync --init REMOTE (a git URL or path)",
        )


def _branch(git: Git) -> str:
    done = git.run("symbolic-ref", "--quiet", "--short", "HEAD", check=False)
    if done.returncode != 0:
        raise GitError(
            f"The repository in {git.folder} is not on a branch (a detached HEAD).",
            hint=f"Go back to your branch first: git -C {git.folder} switch main",
        )
    return done.stdout.decode().strip()


def _remote(git: Git, branch: str) -> str:
    remotes = git.out("remote").split()
    configured = git.run("config", "--get", f"branch.{branch}.remote", check=False)
    name = configured.stdout.decode().strip()
    if name in remotes:
        return name
    if "origin" in remotes:
        return "origin"
    if len(remotes) == 1:
        return remotes[0]
    if not remotes:
        raise GitError(
            f"The git repository in {git.folder} has no remote to sync with.",
            hint="Name one: infoint sync --init REMOTE (a git URL or path)",
        )
    raise GitError(
        f"The git repository in {git.folder} has several remotes ({', '.join(remotes)}) "
        f"and branch {branch} tracks none of them.",
        hint=f"Choose one: git -C {git.folder} branch --set-upstream-to REMOTE/{branch}",
    )


def _own_merge_marker(git: Git) -> Path:
    """Written in the repository's git folder while sync merges, so that a sync
    stopped in the middle (killed, a crash) is known as its own on the next run."""
    where = Path(git.out("rev-parse", "--git-dir").strip())
    return (where if where.is_absolute() else git.folder / where) / "infoint-merge"


def _no_merge_under_way(git: Git) -> None:
    marker = _own_merge_marker(git)
    under_way = git.ok("rev-parse", "-q", "--verify", "MERGE_HEAD")
    if marker.exists():  # sync's own merge, stopped before it was done: do it again
        if under_way:
            git.run("merge", "--abort", what="merge --abort")
        marker.unlink(missing_ok=True)
        return
    if under_way:
        raise GitError(
            f"A git merge is under way in {git.folder}: infoint does not finish another's.",
            hint=f"Finish it or take it back (git -C {git.folder} merge --abort), then sync.",
        )


# the steps ----------------------------------------------------------------------------


def _own_paths(git: Git) -> list[str]:
    from infoint.files import DEVICE_LOG

    tracked = set(git.out("ls-files", "--", *SHARED, *SHARED_PATTERNS).splitlines())
    present = {name for name in SHARED if (git.folder / name).is_file()}
    present |= {p.name for p in git.folder.glob("journal.*.jsonl") if DEVICE_LOG.match(p.name)}
    history = git.folder / "history"
    if history.is_dir():
        present |= {f"history/{p.name}" for p in history.glob("journal-*.jsonl")}
    return sorted(tracked | present)


def commit_own(git: Git, message: str) -> list[str]:
    """Commit infoint's own files as they are; the names of those that changed."""
    paths = _own_paths(git)
    if not paths:
        return []
    git.run("add", "-A", "--", *paths)
    staged = git.out("diff", "--cached", "--name-only", "--", *paths).splitlines()
    if staged:
        git.run("commit", "-q", "--no-verify", "-m", message, "--", *paths, what="commit")
    # the folded logs go by one name: "history/"
    return sorted({"history/" if name.startswith("history/") else name for name in staged})


def _fetch(git: Git, remote: str) -> None:
    done = git.run("fetch", "--quiet", remote, check=False)
    if done.returncode != 0:
        message = plain_message(done.stderr.decode("utf-8", "replace"))
        url = git.run("remote", "get-url", remote, check=False).stdout.decode().strip()
        raise GitError(
            f"Could not reach the remote {remote} ({url}): {message}",
            hint="Check the address, the network and your access (ssh key, token), "
            "then sync again (infoint sync). Nothing was changed.",
        )


def _upstream(git: Git, remote: str, branch: str) -> str | None:
    ref = f"refs/remotes/{remote}/{branch}"
    done = git.run("rev-parse", "-q", "--verify", ref, check=False)
    return done.stdout.decode().strip() if done.returncode == 0 else None


def _head(git: Git) -> str | None:
    done = git.run("rev-parse", "-q", "--verify", "HEAD", check=False)
    return done.stdout.decode().strip() if done.returncode == 0 else None


def _changed(git: Git, base: str | None, rev: str) -> set[str]:
    """The paths `rev` changed since `base` (every path it has, without a base)."""
    if base is None:
        return set(git.out("ls-tree", "-r", "--name-only", rev).splitlines())
    return set(git.out("diff", "--name-only", base, rev).splitlines())


def _dirty_user_files(git: Git) -> set[str]:
    """Paths with changes not committed that are not infoint's (untracked included)."""
    raw = git.run("status", "--porcelain", "-z", "--untracked-files=all").stdout
    names: set[str] = set()
    parts = raw.decode("utf-8", "replace").split("\0")
    i = 0
    while i < len(parts):
        entry = parts[i]
        if len(entry) > 3:
            names.add(entry[3:])
            if entry[0] in "RC" and i + 1 < len(parts):  # a rename names its source next
                i += 1
                names.add(parts[i])
        i += 1
    return {n for n in names if n not in SHARED}


def _check_nothing_in_the_way(git: Git, base: str | None, upstream: str) -> None:
    blocking = sorted(_dirty_user_files(git) & _changed(git, base, upstream))
    if blocking:
        shown = ", ".join(blocking[:3]) + (" …" if len(blocking) > 3 else "")
        raise GitError(
            f"The other machine changed {shown}, which has changes here that are not "
            "committed (sync commits only infoint's own files). Nothing was changed.",
            hint=f"Commit or stash them (git -C {git.folder} stash), then sync again "
            "(infoint sync).",
        )


def _doc_at(git: Git, rev: str | None) -> Any | None:
    """The records as commit `rev` holds them (none without a commit); None when they
    cannot be read."""
    from infoint import doctor
    from infoint.errors import BadInput, StoreError
    from infoint.models import empty_store

    if rev is None:
        return empty_store()
    store_raw, journal_raw = (git.show(rev, name) for name in PAIR)
    if store_raw is None and journal_raw is None:
        return empty_store()
    with tempfile.TemporaryDirectory(prefix="infoint-sync-") as scratch:
        copy = Path(scratch) / ("store.json" if store_raw is not None else "journal.jsonl")
        copy.write_bytes(store_raw if store_raw is not None else journal_raw or b"")
        if store_raw is not None and journal_raw is not None:
            (Path(scratch) / "store.journal.jsonl").write_bytes(journal_raw)
        try:
            return doctor.load_copy(copy)
        except (BadInput, StoreError):
            return None


def _by_uuid(doc: Any) -> dict[str, tuple[str, dict[str, Any]]]:
    return {
        r.uuid: (kind, r.model_dump(mode="json"))
        for kind in RECORD_KINDS
        for r in getattr(doc, kind)
    }


def _write_their_copy(git: Git, upstream: str, base: str | None) -> None:
    """What the other machine changed since the commit both share, as one change-log
    copy beside the store: each record as it was there and as it is now (None when
    it was added or removed), which the merge takes in field by field."""
    from infoint.store import dump

    sha = upstream[:10]
    theirs = _doc_at(git, upstream)
    if theirs is None:  # kept byte for byte; the merge names the problem
        for name, raw in zip(PAIR, (git.show(upstream, name) for name in PAIR), strict=True):
            stem, dot, ext = name.partition(".")
            if raw is not None:
                atomic_write(git.folder / f"{stem}.git-conflict-{sha}{dot}{ext}", raw)
        return
    old = _doc_at(git, base)
    if old is None:  # no base to compare with: record by record
        atomic_write(git.folder / COPY_PATTERN.format(sha=sha), dump(theirs))
        return
    was, now = _by_uuid(old), _by_uuid(theirs)
    changes = [
        {"type": kind, "uuid": uuid, "before": was.get(uuid, (kind, None))[1], "after": record}
        for uuid, (kind, record) in now.items()
        if record != was.get(uuid, (kind, None))[1]
    ]
    changes += [
        {"type": kind, "uuid": uuid, "before": record, "after": None}
        for uuid, (kind, record) in was.items()
        if uuid not in now
    ]
    if changes:
        at = git.out("log", "-1", "--format=%cI", upstream).strip()
        line = journal.entry(0, at, "sync", changes, {})
        atomic_write(git.folder / JOURNAL_COPY.format(sha=sha), journal.encode(line))


def _take_ours(git: Git, path: str, ours_has: bool) -> None:
    if ours_has:
        git.run("checkout", "HEAD", "--", path, what="checkout")
    else:
        git.run("rm", "-q", "-f", "--ignore-unmatch", "--", path)


def _base(git: Git, head: str | None, upstream: str) -> str | None:
    """The last commit both sides share (None: unrelated histories, or nothing here)."""
    if head is None:
        return None
    done = git.run("merge-base", head, upstream, check=False)
    return done.stdout.decode().strip() if done.returncode == 0 else None


def _keep_a_readable_snapshot(git: Git, upstream: str, ours: bytes | None) -> None:
    """The other machine's snapshot cannot be read: never put it in place of ours.
    Ours goes back (committed by the next commit), theirs is kept beside it byte for
    byte, where the merge of copies names the problem."""
    import json

    path = git.folder / "store.json"
    try:
        theirs = path.read_bytes()
    except FileNotFoundError:
        return
    try:
        readable = isinstance(json.loads(theirs), dict)
    except ValueError:
        readable = False
    if readable or ours is None or theirs == ours:
        return
    atomic_write(git.folder / COPY_PATTERN.format(sha=upstream[:10]), theirs)
    atomic_write(path, ours)


def _own_history(path: str) -> bool:
    """A folded log of the older layout's shared log (`history/journal-<seq>.jsonl`):
    both machines may have folded the same numbers; each keeps its own."""
    return path.startswith("history/journal-") and path.endswith(".jsonl")


def _per_machine(git: Git, *revs: str) -> bool:
    """Both snapshots keep a log per machine (version 2 and later)."""
    for rev in revs:
        raw = git.show(rev, "store.json") or b""
        version = journal.head_number(raw, b"schema_version")
        if version is None or version < 2:
            return False
    return True


def merge_remote(git: Git, upstream: str, where: str, report: Report) -> None:
    """Merge `upstream` into this branch, infoint's files resolved by infoint."""
    head = _head(git)
    base = _base(git, head, upstream)
    if base == upstream:
        return  # already merged
    if head is None or base == head:  # nothing of ours since: take theirs as it is
        ours_raw = git.show(head, "store.json") if head else None
        git.run("merge", "-q", "--ff-only", upstream, what="merge")
        _keep_a_readable_snapshot(git, upstream, ours_raw)
        return
    ours, theirs = _changed(git, base, head), _changed(git, base, upstream)
    args = ["merge", "-q", "--no-ff", "--no-commit", "--no-verify"]
    if base is None:
        args.append("--allow-unrelated-histories")
    marker = _own_merge_marker(git)
    marker.write_bytes(upstream.encode())
    attempt = git.run(*args, upstream, check=False)
    conflicted = set(git.out("diff", "--name-only", "--diff-filter=U").splitlines())
    foreign = sorted(p for p in conflicted if p not in SHARED and not _own_history(p))
    if (attempt.returncode != 0 and not conflicted) or foreign:
        git.run("merge", "--abort", check=False)
        marker.unlink(missing_ok=True)
        what = (
            f"Both machines changed {', '.join(foreign)}, which is not infoint's: sync "
            "resolves only infoint's own files. Nothing was changed."
            if foreign
            else f"git could not merge {where}: "
            f"{plain_message(attempt.stderr.decode('utf-8', 'replace'))}"
        )
        raise GitError(
            what,
            hint=f"Merge it yourself (git -C {git.folder} merge {where}), then sync again "
            "(infoint sync).",
        )
    in_head = set(git.out("ls-tree", "-r", "--name-only", head).splitlines())
    if conflicted & set(PAIR) == {"store.json"} and _per_machine(git, head, upstream):
        # both machines folded: every line either folded is in the logs and history/
        # both keep (logs.pending reads them), so this machine's snapshot goes on
        _take_ours(git, "store.json", True)
    elif ours & set(PAIR) and theirs & set(PAIR):
        for path in PAIR:
            _take_ours(git, path, path in in_head)
        _write_their_copy(git, upstream, base)
        report.copies += [p.name for p in git.folder.glob(f"*.git-conflict-{upstream[:10]}*")]
    for path in sorted(conflicted - set(PAIR)):
        _take_ours(git, path, path in in_head)
        if _own_history(path):
            continue
        report.kept_ours.append(f"{path} (theirs: git -C {git.folder} show {upstream[:10]}:{path})")
    git.run("commit", "-q", "--no-verify", "-m", f"infoint: merge {where}", what="commit")
    marker.unlink(missing_ok=True)
    if "store.json" in in_head:
        _keep_a_readable_snapshot(git, upstream, git.show(head, "store.json"))


def _private(folder: Path) -> None:
    """git writes files with the umask's mode; infoint's are the owner's only."""
    history = folder / "history"
    if history.is_dir():
        os.chmod(history, 0o700)
    for path in [
        *(folder / name for name in SHARED),
        *folder.glob("journal.*.jsonl"),
        *(history.glob("journal-*.jsonl") if history.is_dir() else []),
    ]:
        if path.is_file() and not path.is_symlink():
            os.chmod(path, 0o600)


def _push(git: Git, remote: str, branch: str) -> subprocess.CompletedProcess[bytes]:
    return git.run(
        "push", "--quiet", "--set-upstream", remote, f"{branch}:refs/heads/{branch}", check=False
    )


# the command --------------------------------------------------------------------------


@contextmanager
def _locked(paths: Paths) -> Iterator[None]:
    with exclusive_lock(paths.lock_file, paths.store_file):
        yield


def sync(paths: Paths, tracker: Any, report: Report | None = None) -> Report:
    """Commit, pull (merging what both machines did), merge the copies, push."""
    report = report or Report()
    git = Git(paths.data_dir)
    _require_repository(git, paths.data_dir)
    branch = _branch(git)
    remote = _remote(git, branch)
    report.remote, report.branch = remote, branch
    where = f"{remote}/{branch}"
    with _locked(paths):  # another sync here may be merging right now
        _no_merge_under_way(git)
    git.use_identity_if_unset()
    before = _records(tracker)
    host = socket.gethostname() or "this machine"
    for attempt in range(PUSH_ATTEMPTS):
        with _locked(paths):
            _fetch(git, remote)
            upstream = _upstream(git, remote, branch)
            if upstream:  # before anything is committed, so a refusal changes nothing
                _check_nothing_in_the_way(git, _base(git, _head(git), upstream), upstream)
            write_ignores(paths.data_dir)
            report.committed += commit_own(git, f"infoint: changes on {host}")
            if upstream:
                span = f"HEAD..{upstream}" if _head(git) else upstream
                report.pulled += int(git.out("rev-list", "--count", span))
                merge_remote(git, upstream, where, report)
                _private(paths.data_dir)
        _merge_copies(paths, tracker, report)
        with _locked(paths):
            report.committed += commit_own(git, "infoint: merged the other machine's changes")
            head = _head(git)
            if head is None or head == upstream:
                break  # nothing of ours to send
            pushed = _push(git, remote, branch)
            if pushed.returncode == 0:
                report.pushed = True
                break
            _fetch(git, remote)
            if _upstream(git, remote, branch) == upstream or attempt == PUSH_ATTEMPTS - 1:
                raise GitError(
                    f"Could not push to {remote}: "
                    f"{plain_message(pushed.stderr.decode('utf-8', 'replace'))}",
                    hint="Your changes are committed here and go out with the next sync.",
                )
            report.retries += 1  # the remote moved between our pull and our push
    report.committed = sorted(set(report.committed))
    _compare(before, _records(tracker), report)
    return report


def _merge_copies(paths: Paths, tracker: Any, report: Report) -> None:
    from infoint import doctor

    if not doctor.conflict_copies(paths):
        return
    for copy, result in tracker.merge_conflicts():
        if isinstance(result, str):
            report.unreadable.append({"copy": copy.name, "problem": result})
        else:
            report.merged.append(
                {
                    "copy": copy.name,
                    "added": result["added"],
                    "newer": result["newer"],
                    "renamed": list(result.get("renamed", [])),
                    "notes": list(result.get("overwritten", [])),
                }
            )
            report.removed += result.get("removed_names", [])


def _records(tracker: Any) -> dict[str, dict[str, Any]]:
    doc = tracker.read()
    return {
        kind: {r.uuid: r.model_dump(mode="json") for r in getattr(doc, kind)}
        for kind in RECORD_KINDS
    }


def _compare(
    before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]], report: Report
) -> None:
    """What arrived here: new and changed records by kind, and the records that were
    here already and now go by another number or handle."""
    for kind, now in after.items():
        old = before[kind]
        if kind == "contacts":
            report.removed += [
                f"{rec['name']} (contact {rec['id']})"
                for uuid, rec in old.items()
                if uuid not in now and f"{rec['name']} (contact {rec['id']})" not in report.removed
            ]
        fresh = sum(1 for uuid in now if uuid not in old)
        changed = sum(1 for uuid, rec in now.items() if uuid in old and old[uuid] != rec)
        if fresh:
            report.arrived[kind] = fresh
        if changed:
            report.changed[kind] = changed
        if kind == "events":
            continue
        what = kind[:-1]
        for uuid, rec in now.items():
            was = old.get(uuid)
            if was is None:
                continue
            if was["id"] != rec["id"]:
                name = f" ({rec['name']})" if kind == "contacts" else ""
                handle = f", {rec['handle']}" if kind == "contacts" else ""
                report.renumbered.append(
                    f"{what} {was['id']}{name} is now {what} {rec['id']}{handle}"
                )
            elif kind == "contacts" and was["handle"] != rec["handle"]:
                report.renumbered.append(f"{was['handle']} is now {rec['handle']}")


# --init -------------------------------------------------------------------------------


def _remote_branches(git: Git, url: str) -> tuple[list[str], str | None]:
    """The remote's branches and the one its HEAD names (checked before anything is
    written, so an unreachable remote changes nothing)."""
    done = git.run("ls-remote", "--symref", url, check=False)
    if done.returncode != 0:
        raise GitError(
            f"Could not reach the remote {url}: "
            f"{plain_message(done.stderr.decode('utf-8', 'replace'))}",
            hint="Check the address, the network and your access (ssh key, token). "
            "Nothing was changed.",
        )
    heads: list[str] = []
    default = None
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        if line.startswith("ref: ") and line.endswith("\tHEAD"):
            default = line[5:].split("\t")[0].removeprefix("refs/heads/")
        elif "\trefs/heads/" in line:
            heads.append(line.split("\trefs/heads/", 1)[1])
    return heads, default


def _existing(folder: Path) -> Path:
    """The folder, or its nearest parent that exists (git needs one to run in)."""
    return next(p for p in (folder, *folder.parents) if p.is_dir())


def gitignore_text(existing: str = "") -> str:
    """The .gitignore with infoint's lines added to whatever is there."""
    have = set(existing.splitlines())
    lines = [line for line in IGNORED if line not in have or line.startswith("#")]
    if not [line for line in lines if not line.startswith("#")]:
        return existing
    head = existing if not existing or existing.endswith("\n") else existing + "\n"
    return head + "\n".join(lines) + "\n"


def write_ignores(folder: Path) -> None:
    """infoint's lines in the .gitignore (kept with the user's own), and the
    .gitattributes, in a repository set up by hand too."""
    ignore = folder / ".gitignore"
    existing = ignore.read_text(encoding="utf-8") if ignore.exists() else ""
    wanted = gitignore_text(existing)
    if wanted != existing:
        atomic_write(ignore, wanted.encode())
    attributes = folder / ".gitattributes"
    if not attributes.exists():
        atomic_write(attributes, ATTRIBUTES.encode())


def init(paths: Paths, tracker: Any, url: str) -> Report:
    """Make the data folder a repository with `url` as its remote, then sync: a second
    machine joining an existing remote combines both stores."""
    folder = paths.data_dir
    if not url.strip():
        raise GitError(
            "--init needs the remote: a git URL or path.",
            hint="For example: infoint sync --init git@github.com:you/infoint-data.git",
        )
    local = Path(url).expanduser()
    if local.exists():  # a path is read from where the command runs, not the data folder
        url = str(local.resolve())
    heads, default = _remote_branches(Git(_existing(folder)), url)
    report = Report(initialized=True)
    ensure_private_dir(folder)
    git = Git(folder)
    fresh = not _is_own_repository(git, folder)
    if fresh:
        git.run("init", "-q")
    remotes = git.out("remote").split()
    if "origin" in remotes:
        current = git.out("remote", "get-url", "origin")
        if current != url:
            raise GitError(
                f"The repository in {folder} already has the remote origin ({current}).",
                hint=f"Change it with: git -C {folder} remote set-url origin {url}",
            )
    if fresh:  # a new repository takes the remote's name for its branch
        name = default if default in heads else heads[0] if len(heads) == 1 else "main"
        git.run("symbolic-ref", "HEAD", f"refs/heads/{name}")
    if "origin" not in remotes:
        git.run("remote", "add", "origin", url)
    branch = _branch(git)
    if not git.ok("config", "--get", f"branch.{branch}.remote"):
        git.run("config", f"branch.{branch}.remote", "origin")
        git.run("config", f"branch.{branch}.merge", f"refs/heads/{branch}")
    write_ignores(folder)
    git.use_identity_if_unset()
    with _locked(paths):
        host = socket.gethostname() or "this machine"
        report.committed += commit_own(git, f"infoint: start syncing {host}")
    return sync(paths, tracker, report)


def summary(report: Report) -> list[str]:
    """What the sync did, in lines for stderr."""
    where = f"{report.remote}/{report.branch}"
    lines: list[str] = []
    if report.initialized:
        lines.append(f"The data folder is a git repository syncing with {where}.")
    if report.committed:
        lines.append(f"Committed this machine's changes ({', '.join(report.committed)}).")
    if report.pulled:
        lines.append(f"Pulled {report.pulled} commit(s) from {where}.")
    for copy in report.copies:
        lines.append(
            "Both machines changed the store: kept this machine's and wrote the other's "
            f"beside it as {copy} to merge it field by field."
        )
    for item in report.merged:
        lines.append(
            f"Merged {item['copy']}: {item['added']} new and {item['newer']} newer record(s) "
            "taken; moved it to merged/. To take it back: infoint undo"
        )
        lines.extend(f"Note: {line} (the numbers were taken here)." for line in item["renamed"])
        lines.extend(f"Note: {line}." for line in item.get("notes", []))
    for item in report.unreadable:
        lines.append(
            f"Warning: infoint cannot read {item['copy']} ({item['problem']}); it was left "
            "beside the store. Look at it, then move it away."
        )
    lines.extend(f"Removed here as on the other machine: {what}." for what in report.removed)
    lines.extend(f"Note: {note}." for note in report.notes)
    for kept in report.kept_ours:
        lines.append(f"Both machines changed {kept}: kept this machine's.")
    if report.arrived or report.changed:
        parts = [f"{n} new {_kind(k, n)}" for k, n in report.arrived.items()]
        parts += [f"{n} changed {_kind(k, n)}" for k, n in report.changed.items()]
        lines.append(f"Here now: {', '.join(parts)}.")
    lines.extend(f"Note: {line} (renumbered in the merge)." for line in report.renumbered)
    if report.retries:
        lines.append(
            f"The remote moved while this sync ran: pulled again ({report.retries} time(s))."
        )
    if report.pushed:
        lines.append(f"Pushed to {where}.")
    if not (report.committed or report.pulled or report.pushed or report.merged):
        lines.append(f"Already in step with {where}: nothing to commit, pull or push.")
    return lines


def _kind(kind: str, n: int) -> str:
    word = {"contacts": "contact", "meetings": "meeting", "events": "message"}[kind]
    return word if n == 1 else word + "s"
