"""git for `infoint sync`: what is shared and what is not, the `Git` runner (a subprocess,
no shell, a timeout), its errors and the `Report` of a sync. The contract is in
`infoint.gitsync`.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from infoint.errors import InfointError

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
