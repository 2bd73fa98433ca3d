"""`infoint sync`: the data folder as a git repository, synced through a remote.

The contract:

- **What is shared.** sync commits only infoint's own shared files (`SHARED`: the
  snapshot, every machine's change log `journal.<device>.jsonl` and the folded ones
  in `history/`, `config.toml` when it lives in the folder, and the
  `.gitignore`/`.gitattributes` it writes). What is machine-local stays out, by
  the `.gitignore` that `sync --init` writes: the lock and temp files (they mean
  something on this machine only), `backups/` (this machine's safety net; git
  itself keeps every synced version), `drafts/` (numbered per machine, they would
  clash), `merged/` and any conflict copy (already merged here). Anything else the
  user keeps in the repository is theirs: never added, never resolved, never
  overwritten.
- **One sync.** Under the store lock: fetch, commit this machine's changes, merge
  the remote branch (a merge, never a rebase of the user's history). Each machine
  writes only its own logs, so git merges them without a conflict. When both
  machines folded their logs into `store.json` since the last common commit, this
  machine's snapshot is kept and the other's is written beside it as
  `store.git-conflict-<sha>.json`, which `Tracker.merge_conflicts` sets aside when
  every line it folded is kept here (in the logs and `history/`), and merges record
  by record otherwise. Stores of the older layout (one shared change log) are
  resolved as before: this machine's two files kept, the other machine's changes
  since the common commit written beside them as one copy and merged, nothing
  dropped. Any other shared file changed on both sides keeps this machine's
  version (the other is in git, named in a note). The merge is committed, the copy
  merged and committed, and the result pushed. A push the remote rejects because
  it moved meanwhile is retried after a new pull.
- **Refusals** (not a repository, no remote, no git, an unreachable remote, user
  changes in the way) are one `Error:` line with a `Hint:`, and change no data file.

git runs as a subprocess (a list of arguments, no shell) with `GIT_TERMINAL_PROMPT=0`
and a timeout; a machine without `user.name`/`user.email` commits as infoint.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from infoint.files import Paths, atomic_write, ensure_private_dir, exclusive_lock
from infoint.gitsync_git import (
    ATTRIBUTES,
    COPY_PATTERN,
    IGNORED,
    JOURNAL_COPY,
    PAIR,
    PUSH_ATTEMPTS,
    RECORD_KINDS,
    SHARED,
    SHARED_PATTERNS,
    TIMEOUT_SECONDS,
    Git,
    GitError,
    Report,
    plain_message,
)
from infoint.gitsync_merge import (
    _base,
    _branch,
    _check_nothing_in_the_way,
    _fetch,
    _head,
    _is_own_repository,
    _no_merge_under_way,
    _private,
    _push,
    _remote,
    _require_repository,
    _upstream,
    commit_own,
    merge_remote,
)
from infoint.gitsync_merge import (
    _dirty_user_files as _dirty_user_files,
)

__all__ = [
    "ATTRIBUTES",
    "COPY_PATTERN",
    "IGNORED",
    "JOURNAL_COPY",
    "PAIR",
    "PUSH_ATTEMPTS",
    "RECORD_KINDS",
    "SHARED",
    "SHARED_PATTERNS",
    "TIMEOUT_SECONDS",
    "Git",
    "GitError",
    "Report",
    "commit_own",
    "gitignore_text",
    "init",
    "merge_remote",
    "plain_message",
    "summary",
    "sync",
    "write_ignores",
]


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
                    "covered": bool(result.get("covered")),
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
    # the older infoint kept history/ out: every machine's folded logs are shared now
    kept = [
        line
        for line in existing.splitlines()
        if line
        not in ("history/", "# this machine's safety net: its backups and its folded change log")
    ]
    existing = "\n".join(kept) + ("\n" if kept else "")
    have = set(kept)
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
        if item.get("covered"):  # both folded: the other snapshot holds nothing new
            continue
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
    # a renumbering is said by the notes of the merge of the logs (once per machine);
    # --json keeps the list in `renumbered`
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
