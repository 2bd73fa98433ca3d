"""`infoint sync` with real git: a bare repository as the remote and two data folders
cloned from it, each a machine with its own INFOINT_HOME and cache folder. Records are
checked through the real commands on both machines after they sync."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import Clock, Outcome, Runner
from disk import all_logs, own_log
from infoint import gitsync, gitsync_git

pytestmark = pytest.mark.skipif(
    not __import__("shutil").which("git"), reason="git is needed (CI installs it)"
)


class Machine:
    """One machine: its data folder and cache, the CLI run there in-process."""

    def __init__(self, root: Path, name: str, clock: Clock, mp: pytest.MonkeyPatch) -> None:
        self.name = name
        self.home = root / name
        self.cache = root / f"cache-{name}"
        self.clock = clock
        self.mp = mp

    def env(self) -> dict[str, str]:
        return {"INFOINT_HOME": str(self.home), "XDG_CACHE_HOME": str(self.cache)}

    def runner(self) -> Runner:
        for key, value in self.env().items():
            self.mp.setenv(key, value)
        return Runner(self.clock, self.home)

    def __call__(self, *args: Any, code: int | None = 0) -> Outcome:
        return self.runner()(*args, code=code)

    def refused(self, *args: Any) -> Outcome:
        """Exit 1, `Error:`, and no data file changed (store, change log, config)."""
        before = self.data_files()
        outcome = self.runner().refused(*args)
        assert self.data_files() == before
        return outcome

    def data_files(self) -> dict[str, bytes]:
        return {
            name: (self.home / name).read_bytes()
            for name in ("store.json", "config.toml", *(p.name for p in all_logs(self.home)))
            if (self.home / name).exists()
        }

    def contacts(self) -> dict[str, dict[str, Any]]:
        return {c["uuid"]: c for c in json.loads(self("contacts", "--all", "--json").stdout)}

    def names(self) -> list[str]:
        return sorted(c["name"] for c in self.contacts().values())

    def git(self, *args: str) -> str:
        return git(self.home, *args)


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(folder), *args], capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No user git config anywhere (a fresh machine), and an empty bare remote."""
    config = tmp_path / "gitconfig"
    config.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(tmp_path))
    subprocess.run(
        ["git", "init", "-q", "--bare", "-b", "main", str(tmp_path / "remote.git")], check=True
    )
    return tmp_path


@pytest.fixture
def a(world: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> Machine:
    return Machine(world, "laptop", clock, monkeypatch)


@pytest.fixture
def b(world: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> Machine:
    return Machine(world, "desktop", clock, monkeypatch)


def remote(world: Path) -> str:
    return str(world / "remote.git")


def two_machines(world: Path, a: Machine, b: Machine) -> None:
    """Sam Lee on the laptop, set up, then the desktop joins with nothing of its own."""
    a("add-contact", "Sam Lee", "--company", "Acme")
    a("sync", "--init", remote(world))
    b("sync", "--init", remote(world))


def converged(*machines: Machine) -> dict[str, dict[str, Any]]:
    """Every machine shows the same records, and doctor is clean on each."""
    seen = [m.contacts() for m in machines]
    for other in seen[1:]:
        assert other == seen[0]
    for machine in machines:
        assert machine("doctor").exit_code == 0
        assert machine.git("status", "--porcelain") == ""
    return seen[0]


# setting up --------------------------------------------------------------------------


def test_init_commits_the_store_and_leaves_machine_local_files_out(world: Path, a: Machine) -> None:
    a("add-contact", "Sam Lee")
    a("edit", "sam-lee", "--company", "Acme")
    out = a("sync", "--init", remote(world))
    assert "syncing with origin/main" in out.stderr
    assert "Pushed to origin/main." in out.stderr
    tracked = set(a.git("ls-files").split())
    own = own_log(a.home).name
    folded = {n for n in tracked if n.startswith("history/journal-")}
    assert tracked - folded == {".gitattributes", ".gitignore", own, "store.json"}
    assert (a.home / ".infoint.lock").exists() and (a.home / "backups").is_dir()
    ignored = a.git("status", "--porcelain", "--ignored").splitlines()
    assert {"!! .infoint.lock", "!! backups/"} <= set(ignored)
    ignore = (a.home / ".gitignore").read_text()
    for line in (".infoint.lock", "backups/", "drafts/", "merged/", ".*.tmp*"):
        assert line in ignore.splitlines()
    pushed = git(world / "remote.git", "show", "main:store.json")
    assert json.loads(pushed)["schema_version"]
    # a fresh machine with no user.name commits as infoint
    assert a.git("log", "-1", "--format=%an").startswith("infoint on ")


def test_a_second_machine_joining_combines_both_stores(world: Path, a: Machine, b: Machine) -> None:
    a("add-contact", "Sam Lee", "--company", "Acme")
    a("sync", "--init", remote(world))
    b("add-contact", "Ana Ruiz", "--company", "Beta")
    out = b("sync", "--init", remote(world))
    # each machine's change log is its own file: git merges them, nothing conflicts
    assert "conflict" not in out.stderr
    # both made a contact 1 at the same moment: one of them (the same everywhere) moves
    assert re.search(
        r"Note: contact 1 \((Sam Lee|Ana Ruiz)\) (from \S+ )?is now 2 \(the number was taken\)\.",
        out.stderr,
    )
    out = a("sync")
    assert "Pulled" in out.stderr
    said = re.findall(r"contact 1 \((?:Sam Lee|Ana Ruiz)\).* is now 2", out.stderr)
    assert len(said) == 1  # said once, on this machine too
    assert "renumbered in the merge" not in out.stderr
    records = converged(a, b)
    assert sorted(c["name"] for c in records.values()) == ["Ana Ruiz", "Sam Lee"]
    assert len({c["id"] for c in records.values()}) == 2


def test_init_again_with_the_same_remote_is_a_sync_and_another_remote_is_refused(
    world: Path, a: Machine, tmp_path: Path
) -> None:
    a("add-contact", "Sam Lee")
    a("sync", "--init", remote(world))
    out = a("sync", "--init", remote(world))
    assert "Already in step with origin/main" in out.stderr
    other = tmp_path / "other.git"
    subprocess.run(["git", "init", "-q", "--bare", str(other)], check=True)
    out = a.refused("sync", "--init", str(other))
    assert "already has the remote origin" in out.stderr
    assert "remote set-url origin" in out.stderr


def test_init_takes_the_remote_s_branch_name(world: Path, a: Machine, b: Machine) -> None:
    a("add-contact", "Sam Lee")
    a.git("init", "-q", "-b", "trunk")  # the user made the repository, on their branch
    a("sync", "--init", remote(world))
    b("sync", "--init", remote(world))
    assert b.git("branch", "--show-current").strip() == "trunk"
    assert b.names() == ["Sam Lee"]


def test_init_on_a_remote_path_given_relative_to_where_it_runs(
    world: Path, a: Machine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(world)
    a("add-contact", "Sam Lee")
    a("sync", "--init", "remote.git")
    assert a.git("remote", "get-url", "origin").strip() == str((world / "remote.git").resolve())


# two machines converge --------------------------------------------------------------


def test_disjoint_changes_converge(world: Path, a: Machine, b: Machine, clock: Clock) -> None:
    two_machines(world, a, b)
    a("add-contact", "Ana Ruiz")
    clock.advance(minutes=5)
    b("edit", "sam-lee", "--role", "Editor")
    b("add-contact", "Bo Chen", "--company", "Gamma")
    a("sync")
    b("sync")
    a("sync")
    records = converged(a, b)
    assert sorted(c["name"] for c in records.values()) == ["Ana Ruiz", "Bo Chen", "Sam Lee"]
    sam = next(c for c in records.values() if c["name"] == "Sam Lee")
    assert (sam["company"], sam["role"]) == ("Acme", "Editor")
    assert len({c["handle"] for c in records.values()}) == 3


def test_the_same_contact_edited_on_both_converges_on_the_later_edit(
    world: Path, a: Machine, b: Machine, clock: Clock
) -> None:
    two_machines(world, a, b)
    a("edit", "sam-lee", "--company", "Acme Books")
    a("add-contact", "Ana Ruiz")
    clock.advance(minutes=10)
    b("edit", "sam-lee", "--company", "Acme Press")
    b("add-contact", "Bo Chen")
    a("sync")
    out = b("sync")
    assert "kept “Acme Press” (the later), not “Acme Books”" in out.stderr
    a("sync")
    records = converged(a, b)
    assert sorted(c["name"] for c in records.values()) == ["Ana Ruiz", "Bo Chen", "Sam Lee"]
    sam = next(c for c in records.values() if c["name"] == "Sam Lee")
    assert sam["company"] == "Acme Press"  # the later edit, on both machines
    # the edit that lost is not gone: git keeps it, on both machines
    for machine in (a, b):
        assert "Acme Books" in machine.git("log", "-p", "--all", "--full-history")


def test_one_contact_edited_on_both_keeps_both_changes_field_by_field(
    world: Path, a: Machine, b: Machine, clock: Clock
) -> None:
    two_machines(world, a, b)
    a("edit", "sam-lee", "--role", "Editor", "--location", "Lyon")
    clock.advance(minutes=10)
    b("edit", "sam-lee", "--notes", "Met at the fair", "--location", "Paris")
    a("sync")
    out = b("sync")
    said = (
        "Note: Sam Lee (contact 1): location changed on both machines; kept “Paris” "
        "(the later), not “Lyon”."
    )
    assert said in out.stderr
    a("sync")
    sam = next(iter(converged(a, b).values()))
    assert (sam["company"], sam["role"], sam["notes"], sam["location"]) == (
        "Acme", "Editor", "Met at the fair", "Paris"
    )  # fmt: skip


def test_both_machines_adding_resolves_the_change_log_conflict(
    world: Path, a: Machine, b: Machine, clock: Clock
) -> None:
    two_machines(world, a, b)
    for n in range(3):
        a("add-contact", f"Laptop Person {n}")
        b("add-contact", f"Desktop Person {n}")
        clock.advance(minutes=1)
    a("sync")
    out = b("sync", "--json")
    report = json.loads(out.stdout)
    assert report["copies"] == [] and report["merged"] == []  # nothing conflicted
    assert report["pushed"] is True
    assert report["arrived"] == {"contacts": 3}
    a("sync")
    records = converged(a, b)
    assert len(records) == 7
    assert len({c["id"] for c in records.values()}) == 7
    assert len({c["handle"] for c in records.values()}) == 7
    for log in all_logs(a.home):
        assert "<<<<<<<" not in log.read_text() and ">>>>>>>" not in log.read_text()
    assert len(all_logs(a.home)) == 2  # one per machine
    assert a.git("log", "--merges", "--format=%s").startswith("infoint: merge origin/main")


def test_a_machine_that_folded_its_log_while_the_other_appended_loses_nothing(
    world: Path, a: Machine, b: Machine, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The snapshot rewritten and the log moved to history/ on one side, the log
    appended on the other: git alone would pair the new snapshot with the old log."""
    from infoint import journal

    two_machines(world, a, b)
    b("add-contact", "Bo Chen")
    monkeypatch.setattr(journal, "COMPACT_BYTES", 1)
    a("add-contact", "Ana Ruiz")
    a("add-contact", "Cy Dee")  # this write folds the log into store.json
    monkeypatch.setattr(journal, "COMPACT_BYTES", 512 * 1024)
    assert list((a.home / "history").glob("journal-*.jsonl"))  # it did fold
    a("sync")
    b("sync")
    a("sync")
    records = converged(a, b)
    assert sorted(c["name"] for c in records.values()) == [
        "Ana Ruiz",
        "Bo Chen",
        "Cy Dee",
        "Sam Lee",
    ]


def test_a_push_race_is_retried_after_a_new_pull(
    world: Path, a: Machine, b: Machine, clock: Clock
) -> None:
    """The desktop pushes between the laptop's pull and its push (from the laptop's
    pre-push hook, once): the laptop's push is rejected, it pulls again and pushes."""
    two_machines(world, a, b)
    b("add-contact", "Bo Chen")
    a("add-contact", "Ana Ruiz")
    guard = world / "raced"
    env = " ".join(f"{k}={v}" for k, v in b.env().items())
    hook = a.home / ".git" / "hooks" / "pre-push"
    hook.write_text(
        "#!/bin/sh\n"
        f'[ -e "{guard}" ] && exit 0\n'
        f'touch "{guard}"\n'
        f'env {env} "{sys.executable}" -m infoint sync >/dev/null 2>&1\n'
        "exit 0\n"
    )
    hook.chmod(0o755)
    out = a("sync", "--json")
    report = json.loads(out.stdout)
    assert guard.exists()
    assert report["retries"] == 1
    assert report["pushed"] is True
    assert "The remote moved while this sync ran" in out.stderr
    b("sync")
    records = converged(a, b)
    assert sorted(c["name"] for c in records.values()) == ["Ana Ruiz", "Bo Chen", "Sam Lee"]


def test_a_setting_changed_on_both_keeps_this_machine_s(
    world: Path, a: Machine, b: Machine
) -> None:
    two_machines(world, a, b)
    a("config", "reply_wait_days", "9")
    b("config", "reply_wait_days", "12")
    a("sync")
    out = b("sync")
    assert "Both machines changed config.toml" in out.stderr
    assert "kept this machine's" in out.stderr
    assert b("config", "reply_wait_days").stdout.strip() == "12"
    a("sync")
    assert a("config", "reply_wait_days").stdout.strip() == "12"


def test_nothing_to_do_says_so(world: Path, a: Machine, b: Machine) -> None:
    two_machines(world, a, b)
    a("sync")
    out = a("sync")
    assert "Already in step with origin/main: nothing to commit, pull or push." in out.stderr


def test_records_and_files_are_private_after_a_pull(world: Path, a: Machine, b: Machine) -> None:
    two_machines(world, a, b)
    for name in ("store.json", ".gitignore"):
        assert (b.home / name).stat().st_mode & 0o077 == 0


def test_drafts_stay_on_their_machine(world: Path, a: Machine) -> None:
    a("add-contact", "Sam Lee")
    (a.home / "drafts").mkdir(mode=0o700)
    (a.home / "drafts" / "1.json").write_text("{}")
    a("sync", "--init", remote(world))
    assert "drafts/1.json" not in a.git("ls-files")


# refusals ---------------------------------------------------------------------------


def test_not_a_repository_names_init(a: Machine) -> None:
    a("add-contact", "Sam Lee")
    out = a.refused("sync")
    assert "is not a git repository of its own" in out.stderr
    assert "Hint: Set it up with a remote: infoint sync --init REMOTE" in out.stderr


def test_a_data_folder_inside_another_repository_is_not_its_own(world: Path, a: Machine) -> None:
    git(world, "init", "-q")
    a("add-contact", "Sam Lee")
    assert "not a git repository of its own" in a.refused("sync").stderr


def test_no_remote(a: Machine) -> None:
    a("add-contact", "Sam Lee")
    a.git("init", "-q")
    out = a.refused("sync")
    assert "has no remote to sync with" in out.stderr
    assert "infoint sync --init REMOTE" in out.stderr


def test_several_remotes_and_none_tracked(world: Path, a: Machine) -> None:
    a("add-contact", "Sam Lee")
    a.git("init", "-q", "-b", "main")
    a.git("remote", "add", "one", remote(world))
    a.git("remote", "add", "two", remote(world))
    out = a.refused("sync")
    assert "several remotes (one, two)" in out.stderr
    assert "--set-upstream-to" in out.stderr


def test_git_not_installed(a: Machine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    a("add-contact", "Sam Lee")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    out = a.refused("sync")
    assert "git is not installed" in out.stderr
    assert "Hint: Install git" in out.stderr


def test_an_unreachable_remote_shows_git_s_message(world: Path, a: Machine) -> None:
    a("add-contact", "Sam Lee")
    gone = world / "gone.git"
    out = a.refused("sync", "--init", str(gone))
    assert f"Could not reach the remote {gone}" in out.stderr
    assert "does not appear to be a git repository" in out.stderr
    assert "fatal:" not in out.stderr
    assert not (a.home / ".git").exists()  # --init wrote nothing


def test_a_remote_that_went_away_after_init(world: Path, a: Machine) -> None:
    a("add-contact", "Sam Lee")
    a("sync", "--init", remote(world))
    a.git("remote", "set-url", "origin", str(world / "moved.git"))
    a("add-contact", "Ana Ruiz")
    out = a.refused("sync")
    assert "Could not reach the remote origin" in out.stderr
    assert "Hint: Check the address, the network and your access" in out.stderr
    assert own_log(a.home).name in a.git("status", "--porcelain")  # nothing was committed


def test_uncommitted_user_changes_in_the_way_are_refused(
    world: Path, a: Machine, b: Machine
) -> None:
    two_machines(world, a, b)
    (a.home / "notes.txt").write_text("laptop\n")
    a.git("add", "notes.txt")
    a.git("-c", "user.name=me", "-c", "user.email=me@x", "commit", "-qm", "notes")
    a("sync")
    b("sync")
    (b.home / "notes.txt").write_text("desktop, not committed\n")
    (a.home / "notes.txt").write_text("laptop again\n")
    a.git("-c", "user.name=me", "-c", "user.email=me@x", "commit", "-qam", "notes 2")
    a("sync")
    b("add-contact", "Bo Chen")
    out = b.refused("sync")
    assert "notes.txt" in out.stderr and "not committed" in out.stderr
    assert "git -C" in out.stderr and "stash" in out.stderr
    assert (b.home / "notes.txt").read_text() == "desktop, not committed\n"
    b.git("checkout", "notes.txt")
    b("sync")
    assert sorted(b.names()) == ["Bo Chen", "Sam Lee"]


def notes_committed_on_both(world: Path, a: Machine, b: Machine) -> None:
    """A file of the user's own, committed on both machines; the laptop syncs."""
    two_machines(world, a, b)
    for machine, text in ((a, "laptop\n"), (b, "desktop\n")):
        (machine.home / "notes.txt").write_text(text)
        machine.git("add", "notes.txt")
        machine.git("-c", "user.name=me", "-c", "user.email=me@x", "commit", "-qm", "notes")
    a("sync")


def test_a_user_file_changed_on_both_is_left_to_the_user(
    world: Path, a: Machine, b: Machine
) -> None:
    notes_committed_on_both(world, a, b)
    b("add-contact", "Bo Chen")
    out = b.refused("sync")
    assert "Both machines changed notes.txt, which is not infoint's" in out.stderr
    assert "Merge it yourself" in out.stderr
    assert (b.home / "notes.txt").read_text() == "desktop\n"
    assert b.git("status", "--porcelain") == ""  # the merge was taken back
    assert not list(b.home.glob("*.git-conflict-*"))


def test_a_merge_already_under_way_is_left_alone(world: Path, a: Machine, b: Machine) -> None:
    notes_committed_on_both(world, a, b)
    b.git("fetch", "-q")
    merge = ["git", "-C", str(b.home), "-c", "user.name=me", "-c", "user.email=me@x", "merge"]
    subprocess.run([*merge, "origin/main"], capture_output=True)
    assert (b.home / ".git" / "MERGE_HEAD").exists()
    out = b.refused("sync")
    assert "A git merge is under way" in out.stderr and "merge --abort" in out.stderr


def test_a_detached_head_is_refused(world: Path, a: Machine) -> None:
    a("add-contact", "Sam Lee")
    a("sync", "--init", remote(world))
    a.git("checkout", "-q", "--detach")
    assert "not on a branch" in a.refused("sync").stderr


def test_init_needs_a_remote(a: Machine) -> None:
    assert "--init needs the remote" in a.refused("sync", "--init", " ").stderr


# the pieces ---------------------------------------------------------------------------


def test_git_s_message_on_one_line() -> None:
    text = (
        "fatal: '/x/nope.git' does not appear to be a git repository\n"
        "fatal: Could not read from remote repository.\n\n"
        "Please make sure you have the correct access rights\nand the repository exists.\n"
    )
    assert gitsync.plain_message(text) == (
        "'/x/nope.git' does not appear to be a git repository; "
        "Could not read from remote repository."
    )
    assert gitsync.plain_message("just this\n") == "just this"
    assert gitsync.plain_message("") == "no message"


def test_the_gitignore_keeps_what_is_there() -> None:
    mine = "notes.bak\n.infoint.lock"
    text = gitsync.gitignore_text(mine)
    assert text.startswith("notes.bak\n.infoint.lock\n")
    assert text.count(".infoint.lock") == 1
    assert "backups/" in text
    assert gitsync.gitignore_text(text) == text


def test_summary_of_a_report() -> None:
    report = gitsync.Report(
        remote="origin",
        branch="main",
        committed=["journal.jsonl"],
        pulled=2,
        arrived={"contacts": 1, "events": 2},
        changed={"meetings": 1},
        pushed=True,
        unreadable=[{"copy": "store.git-conflict-x.json", "problem": "not JSON"}],
    )
    lines = gitsync.summary(report)
    assert lines[0] == "Committed this machine's changes (journal.jsonl)."
    assert "Pulled 2 commit(s) from origin/main." in lines
    assert "Here now: 1 new contact, 2 new messages, 1 changed meeting." in lines
    assert any(
        line.startswith("Warning: infoint cannot read store.git-conflict-x.json") for line in lines
    )
    assert lines[-1] == "Pushed to origin/main."


def test_a_git_that_hangs_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    slow = tmp_path / "slowgit"
    slow.write_text("#!/bin/sh\nsleep 5\n")
    slow.chmod(0o755)
    monkeypatch.setattr(gitsync_git, "TIMEOUT_SECONDS", 0.2)
    runner = gitsync.Git(tmp_path, executable=str(slow))
    with pytest.raises(gitsync.GitError, match=r"did not finish within 0\.2 seconds"):
        runner.run("fetch")


def test_the_other_machine_s_unreadable_store_is_kept_byte_for_byte(
    world: Path, a: Machine, b: Machine
) -> None:
    two_machines(world, a, b)
    a("add-contact", "Ana Ruiz")  # the laptop's change log exists
    a("sync")
    (a.home / "store.json").write_text("{not json")
    a.git("-c", "user.name=me", "-c", "user.email=me@x", "commit", "-qam", "broken")
    a.git("push", "-q", "origin", "main")
    b("add-contact", "Bo Chen")
    out = b("sync")
    assert "cannot read store.git-conflict-" in out.stderr
    copy = next(b.home.glob("store.git-conflict-*.json"))
    assert copy.read_text() == "{not json"
    assert "Bo Chen" in b.names() and "Sam Lee" in b.names()
    assert os.path.basename(copy) not in b.git("ls-files")
    sha = copy.name.split("-")[-1].removesuffix(".json")
    # their change log, kept byte for byte too, is readable: its records are merged
    assert sha and "Ana Ruiz" in b.names()  # their change log is readable: it is read


def test_git_s_own_failure_is_one_line(tmp_path: Path) -> None:
    runner = gitsync.Git(tmp_path)
    with pytest.raises(gitsync.GitError) as caught:
        runner.run("rev-parse", "--verify", "no-such-thing")
    assert caught.value.message.startswith("git rev-parse failed: ")
    assert "\n" not in caught.value.message
    assert caught.value.hint == f"Look at the repository: git -C {tmp_path} status"


def test_a_git_that_cannot_run(tmp_path: Path) -> None:
    broken = tmp_path / "git"
    broken.write_text("not a program")  # no execute permission
    with pytest.raises(gitsync.GitError, match="Could not run git"):
        gitsync.Git(tmp_path, executable=str(broken)).run("status")


def test_a_machine_with_a_git_identity_commits_as_its_user(
    world: Path, a: Machine, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = world / "gitconfig"
    config.write_text("[user]\n\tname = Alex Kim\n\temail = alex@example.com\n")
    a("add-contact", "Sam Lee")
    a("sync", "--init", remote(world))
    assert a.git("log", "-1", "--format=%an <%ae>").strip() == "Alex Kim <alex@example.com>"


def test_a_data_folder_that_does_not_exist_yet(a: Machine) -> None:
    out = a.refused("sync")
    assert "not a git repository of its own" in out.stderr
    assert not a.home.exists()


def test_the_remote_is_origin_among_several_or_the_only_one(world: Path, a: Machine) -> None:
    a("add-contact", "Sam Lee")
    a.git("init", "-q", "-b", "main")
    a.git("remote", "add", "backup", str(world / "elsewhere.git"))
    a.git("remote", "add", "origin", remote(world))
    assert "Pushed to origin/main." in a("sync").stderr
    a.git("remote", "remove", "origin")  # which also forgets that main tracked it
    a.git("remote", "set-url", "backup", remote(world))
    a("add-contact", "Ana Ruiz")
    assert "Pushed to backup/main." in a("sync").stderr
    assert "Ana Ruiz" in git(world / "remote.git", "show", f"main:{own_log(a.home).name}")


def test_a_renamed_user_file_counts_by_both_names(world: Path, a: Machine) -> None:
    a("add-contact", "Sam Lee")
    a("sync", "--init", remote(world))
    (a.home / "notes.txt").write_text("mine\n")
    a.git("add", "notes.txt")
    a.git("-c", "user.name=me", "-c", "user.email=me@x", "commit", "-qm", "notes")
    a.git("mv", "notes.txt", "ideas.txt")
    (a.home / "scratch.txt").write_text("untracked\n")
    dirty = gitsync._dirty_user_files(gitsync.Git(a.home))
    assert dirty == {"ideas.txt", "notes.txt", "scratch.txt"}


def test_a_push_the_remote_refuses_is_reported_and_kept_for_next_time(
    world: Path, a: Machine, b: Machine
) -> None:
    two_machines(world, a, b)
    hook = world / "remote.git" / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'pushes are closed today' >&2\nexit 1\n")
    hook.chmod(0o755)
    b("add-contact", "Bo Chen")
    out = b.refused("sync")
    assert "Error: Could not push to origin:" in out.stderr
    assert "pre-receive hook declined" in out.stderr
    assert "Hint: Your changes are committed here and go out with the next sync." in (out.stderr)
    hook.unlink()
    assert "Pushed to origin/main." in b("sync").stderr
    a("sync")
    assert a.names() == ["Bo Chen", "Sam Lee"]


def test_the_command_as_installed_never_shows_a_traceback(world: Path, a: Machine) -> None:
    env = {**os.environ, **a.env()}
    done = subprocess.run(
        [sys.executable, "-m", "infoint", "sync"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert done.stderr.startswith("Error: The data folder ")
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_sync_json_is_the_only_thing_on_stdout(world: Path, a: Machine, b: Machine) -> None:
    two_machines(world, a, b)
    a("add-contact", "Ana Ruiz")
    out = a("sync", "--json")
    report = json.loads(out.stdout)
    assert report["remote"] == "origin" and report["branch"] == "main"
    assert report["committed"] == [own_log(a.home).name]
    assert report["pushed"] is True
    assert "Pushed to origin/main." in out.stderr


# removals -----------------------------------------------------------------------------


def test_a_removal_on_the_merging_machine_is_not_brought_back(
    world: Path, a: Machine, b: Machine, clock: Clock
) -> None:
    """The desktop removes Sam while the laptop adds Ana: the laptop's copy still holds
    Sam as he was, which must not bring him back."""
    two_machines(world, a, b)
    a("add-contact", "Ana Ruiz")
    a("sync")
    clock.advance(minutes=1)
    b("remove", "sam-lee", "--yes")
    b("sync")
    assert b.names() == ["Ana Ruiz"]
    a("add-contact", "Bo Chen")
    clock.advance(minutes=1)
    b("add-contact", "Cy Dee")
    b("remove", "ana-ruiz", "--yes")
    a("sync")
    b("sync")
    a("sync")
    records = converged(a, b)
    assert sorted(c["name"] for c in records.values()) == ["Bo Chen", "Cy Dee"]


def ana_removed_on_the_laptop(world: Path, a: Machine, b: Machine) -> None:
    """Ana Ruiz on both machines, then removed on the laptop (not synced yet)."""
    two_machines(world, a, b)
    a("add-contact", "Ana Ruiz")
    a("sync")
    b("sync")
    a("remove", "ana-ruiz", "--yes")


def test_a_removal_on_the_other_machine_is_carried_over(
    world: Path, a: Machine, b: Machine, clock: Clock
) -> None:
    ana_removed_on_the_laptop(world, a, b)
    a("add-contact", "Bo Chen")
    clock.advance(minutes=1)
    b("add-contact", "Cy Dee")
    a("sync")
    out = b("sync", "--json")
    report = json.loads(out.stdout)
    assert report["removed"] == ["Ana Ruiz (contact 2)"]
    assert "Removed here as on the other machine: Ana Ruiz (contact 2)." in out.stderr
    a("sync")
    records = converged(a, b)
    assert sorted(c["name"] for c in records.values()) == ["Bo Chen", "Cy Dee", "Sam Lee"]
    # the removal is the laptop's change: the desktop's undo takes back its own
    said = b("undo", "--yes").stderr
    assert "Undo will: remove contact Cy Dee." in said
    assert "Ana Ruiz" not in b.names()
    said = a("undo", "--yes").stderr  # the laptop's own last change
    assert "Undo will: remove contact Bo Chen." in said


@pytest.mark.parametrize("remover_syncs_first", [True, False])
def test_an_edit_and_a_removal_of_the_same_contact_keep_it(
    world: Path, a: Machine, b: Machine, clock: Clock, remover_syncs_first: bool
) -> None:
    ana_removed_on_the_laptop(world, a, b)
    clock.advance(minutes=1)
    b("edit", "ana-ruiz", "--company", "Delta")
    first, second = (a, b) if remover_syncs_first else (b, a)
    first("sync")
    out = second("sync")
    said = (
        "Note: Ana Ruiz (contact 2) was removed on one machine and changed on another; it was kept."
    )
    assert said in out.stderr
    first("sync")
    records = converged(a, b)
    ana = next(c for c in records.values() if c["name"] == "Ana Ruiz")
    assert ana["company"] == "Delta"


def test_a_contact_removed_there_stays_while_a_new_meeting_here_needs_it(
    world: Path, a: Machine, b: Machine, clock: Clock
) -> None:
    ana_removed_on_the_laptop(world, a, b)
    clock.advance(minutes=1)
    b("heard", "ana-ruiz", "--note", "She wrote first")
    a("sync")
    b("sync")
    a("sync")
    records = converged(a, b)
    assert "Ana Ruiz" in sorted(c["name"] for c in records.values())
    shown = json.loads(a("show", "ana-ruiz", "--json").stdout)
    assert "She wrote first" in json.dumps(shown)


# three machines -----------------------------------------------------------------------


def test_three_machines_adding_and_editing_converge(
    world: Path, a: Machine, b: Machine, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = Machine(world, "phone", clock, monkeypatch)
    two_machines(world, a, b)
    c("sync", "--init", remote(world))
    for n, machine in enumerate((a, b, c)):
        machine("add-contact", f"Person {machine.name}")
        machine("edit", "sam-lee", "--notes", f"seen from the {machine.name}")
        clock.advance(minutes=n + 1)
    for machine in (a, b, c, a, b):
        machine("sync")
    records = converged(a, b, c)
    assert sorted(c["name"] for c in records.values()) == [
        "Person desktop",
        "Person laptop",
        "Person phone",
        "Sam Lee",
    ]
    shown = json.loads(a("show", "sam-lee", "--json").stdout)
    assert shown["notes"] == "seen from the phone"  # the latest edit of the three


def test_a_repository_set_up_by_hand_gets_infoint_s_ignores_on_the_first_sync(
    world: Path, a: Machine
) -> None:
    a("add-contact", "Sam Lee")
    (a.home / ".gitignore").write_text("*.bak\n")
    a.git("init", "-q", "-b", "main")
    a.git("remote", "add", "origin", remote(world))
    out = a("sync")
    committed = (
        "Committed this machine's changes (.gitattributes, .gitignore, history/, store.json)."
    )
    assert committed in out.stderr
    tracked = {n for n in a.git("ls-files").split() if not n.startswith("history/")}
    assert tracked == {".gitattributes", ".gitignore", "store.json"}
    ignore = (a.home / ".gitignore").read_text().splitlines()
    assert ignore[0] == "*.bak" and ".infoint.lock" in ignore


def test_a_sync_killed_in_the_middle_of_its_merge_loses_nothing_when_run_again(
    world: Path, a: Machine, b: Machine, clock: Clock
) -> None:
    """The desktop's sync stops (killed) after git merged but before the laptop's
    records were written beside the store: the next sync takes its own half-done
    merge back and does it again, rather than leaving it to be finished as it is
    (which would take the desktop's files over the laptop's, and lose the edit)."""
    two_machines(world, a, b)
    a("edit", "sam-lee", "--role", "Editor")
    a("sync")
    clock.advance(minutes=10)
    b("add-contact", "Ana Ruiz")

    real = gitsync.Git.run

    def killed(self: gitsync.Git, *args: str, **kw: Any) -> Any:
        if args[:1] == ("commit",) and any("infoint: merge" in a for a in args):
            raise KeyboardInterrupt  # after git merged, before the merge was committed
        return real(self, *args, **kw)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gitsync.Git, "run", killed)
        b("sync", code=None)
    assert (b.home / ".git" / "MERGE_HEAD").exists()
    b("sync")
    a("sync")
    seen = converged(a, b)
    assert sorted((c["name"], c["role"]) for c in seen.values()) == [
        ("Ana Ruiz", None),
        ("Sam Lee", "Editor"),
    ]
