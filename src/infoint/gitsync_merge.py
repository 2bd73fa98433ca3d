"""The steps of one sync: what the folder must be, this machine's commit, the fetch and the
merge of the remote branch (the snapshot and its change log resolved together). The
contract is in `infoint.gitsync`.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from infoint import journal
from infoint.files import atomic_write
from infoint.gitsync_git import (
    COPY_PATTERN,
    JOURNAL_COPY,
    PAIR,
    RECORD_KINDS,
    SHARED,
    SHARED_PATTERNS,
    Git,
    GitError,
    Report,
    plain_message,
)

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
        # both machines folded: this machine's snapshot goes on, the other's is set
        # beside it, for the merge of copies to set aside once every line it folded
        # is seen kept here (in the logs and history/), or to merge record by record
        _take_ours(git, "store.json", True)
        theirs_raw = git.show(upstream, "store.json")
        if theirs_raw is not None:
            atomic_write(git.folder / COPY_PATTERN.format(sha=upstream[:10]), theirs_raw)
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
