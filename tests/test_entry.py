"""The quick paths answer exactly as the Typer app does, or hand over to it."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MockEnvironment, Runner, infoint
from infoint import entry
from infoint.records import ContactFields
from infoint.services import Tracker

NO_FIELDS = dict.fromkeys(
    ("email", "phone", "company", "role", "industry", "location", "linkedin", "source",
     "referred_by", "why", "tag", "prefers", "notes"),
)  # fmt: skip
ADD = {**NO_FIELDS, "json": False, "force": False}


@pytest.mark.parametrize(
    ("args", "parsed"),
    [
        (["Jane Doe"], {**ADD, "name": "Jane Doe"}),
        (
            ["Jane Doe", "--company", "Acme", "--tag", "a", "--tag", "b", "--json"],
            {**ADD, "name": "Jane Doe", "company": "Acme", "tag": ["a", "b"], "json": True},
        ),
        (["--email", "j@x.io", "Jane"], {**ADD, "name": "Jane", "email": "j@x.io"}),
        (["Jane", "--company", "-dash-"], {**ADD, "name": "Jane", "company": "-dash-"}),
        (["Jane", "--company", "A", "--company", "B"], {**ADD, "name": "Jane", "company": "B"}),
        (["Jane", "--prefers", "video"], {**ADD, "name": "Jane", "prefers": "video"}),
        (["Jane", "--referred-by", "bo"], {**ADD, "name": "Jane", "referred_by": "bo"}),
        (["Jane", "--prefers", "telepathy"], None),
        (["Jane", "--no-input"], None),
        (["Jane", "--help"], None),
        (["Jane", "--company=Acme"], None),
        (["Jane", "Doe"], None),
        (["Jane", "--company"], None),
        (["Jane", "--"], None),
        ([], None),
    ],
)
def test_parse_add_contact(args: list[str], parsed: object) -> None:
    assert entry.parse("add-contact", args) == parsed


@pytest.mark.parametrize(
    ("command", "args", "parsed"),
    [
        ("contacts", ["-n", "5", "--all"], {"limit": 5, "all_": True, "sort": "id"}),
        ("contacts", ["--limit", " +7 "], {"limit": 7}),
        ("contacts", ["--limit", "seven"], None),
        ("contacts", ["--limit", "²"], None),
        ("contacts", ["--status", "moved-on"], None),  # Typer reads that spelling too
        ("contacts", ["--sort", "last-touch"], {"sort": "last-touch"}),
        ("show", ["jane-doe", "--no-pager"], {"contact": "jane-doe", "no_pager": True}),
        ("show", [], None),
        ("show", ["-"], {"contact": "-"}),
        ("outreach", ["jane", "--on", "monday", "-y"], {"sent": "monday", "yes": True}),
        ("outreach", ["jane", "--channel", "fax"], None),
        ("reschedule", ["3", "tomorrow 10:00", "--at", "Blue Bottle"], {"at": "Blue Bottle"}),
        ("reschedule", ["3"], None),
        ("agenda", ["--days", "3"], {"days": 3, "json": False}),
        ("stats", ["--since", "last week", "--json"], {"since": "last week", "json": True}),
        ("edit", ["jane", "--untag", "a", "--role", ""], {"untag": ["a"], "role": ""}),
        ("followups", ["--json"], None),  # not in the table: its own quick path
    ],
)
def test_parse_reads_what_typer_reads(
    command: str, args: list[str], parsed: dict[str, object] | None
) -> None:
    found = entry.parse(command, args)
    if parsed is None:
        assert found is None
    else:
        assert found is not None and {k: found[k] for k in parsed} == parsed


def test_the_quick_options_are_the_commands_options() -> None:
    import typer.main

    from infoint import cli

    commands = typer.main.get_command(cli.app).commands  # type: ignore[attr-defined]
    for name, spec in entry.COMMANDS.items():
        command = commands[name]
        options = {
            opt
            for p in command.params
            if p.param_type_name == "option"
            for opt in (*p.opts, *p.secondary_opts)
        }
        declared = set(spec.options)
        # add-contact's --no-input only matters without NAME: Typer alone asks
        assert options - declared <= {"--no-input"}, name
        assert declared <= options, name
        arguments = tuple(p.name for p in command.params if p.param_type_name == "argument")
        assert arguments == spec.arguments, name
        for param in command.params:
            if param.param_type_name == "option":
                assert {spec.dest(o) for o in param.opts} <= {param.name}, (name, param.opts)
                assert param.multiple == any(spec.options.get(o) is list for o in param.opts)


def test_help_is_typers_own_and_is_cached(env: dict[str, str], tmp_path: Path, run: Runner) -> None:
    first = infoint("--help", env=env)
    cached = list((tmp_path / "cache").rglob("help-*.txt"))
    second = infoint("-h", env=env)
    assert first.returncode == second.returncode == 0
    assert len(cached) == 1 and first.stdout == second.stdout == cached[0].read_text()
    assert "Usage: infoint [OPTIONS] COMMAND [ARGS]..." in first.stdout
    assert "followups" in first.stdout and "add-contact" in first.stdout


def test_quick_add_then_quick_followups_match_the_typer_app(
    env: dict[str, str], run: Runner
) -> None:
    # the first add has no index yet: it goes through the Typer app and makes one
    assert (
        infoint("add-contact", "Ana Ruiz", "--industry", "Publishing", env=env).stdout
        == "ana-ruiz\n"
    )
    quick = infoint("add-contact", "Bo Chen", "--industry", "Publishing", "--json", env=env)
    record = json.loads(quick.stdout)
    assert record["handle"] == "bo-chen" and record["status"] == "prospect"
    assert "Added Bo Chen as bo-chen." in quick.stderr
    assert infoint("outreach", "ana-ruiz", "--who-i-am", "a", "--why-you", "b", "--goal", "c",
                   "--sent", "20 days ago", env=env).returncode == 0  # fmt: skip
    fast_screen = infoint("followups", env=env)
    fast_json = json.loads(infoint("followups", "--json", env=env).stdout)
    typer_screen = infoint("--debug", "followups", env=env)  # not a quick form
    assert fast_screen.stdout == typer_screen.stdout
    assert "1 person in Publishing not yet contacted" in fast_screen.stdout
    assert [(f["kind"], f["contact"]) for f in fast_json] == [("move_on", "ana-ruiz")]
    listed = json.loads(infoint("contacts", "--json", env=env).stdout)
    assert [c["handle"] for c in listed] == ["ana-ruiz", "bo-chen"]


def test_quick_paths_refuse_like_the_app(env: dict[str, str], run: Runner, home: Path) -> None:
    infoint("add-contact", "Ana Ruiz", env=env)
    before = sorted((p.name, p.read_bytes()) for p in home.iterdir() if p.is_file())
    bad = infoint("add-contact", "Eve", "--email", "not-an-email", env=env)
    assert (
        bad.returncode == 1 and bad.stderr.startswith("Error: ") and "Traceback" not in bad.stderr
    )
    blank = infoint("add-contact", "  ", env=env)
    assert blank.returncode == 1 and "needs a name" in blank.stderr
    assert sorted((p.name, p.read_bytes()) for p in home.iterdir() if p.is_file()) == before
    usage = infoint("add-contact", "Eve", "--prefers", "telepathy", env=env)
    assert usage.returncode == 2


def test_an_unexpected_error_in_a_quick_path_is_one_line(
    mock_env: MockEnvironment, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> bool:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(entry, "quick", broken)
    with pytest.raises(SystemExit) as exc:
        entry.main(["followups"], mock_env)
    assert exc.value.code == 1
    assert "infoint failed unexpectedly (RuntimeError: disk on fire)" in mock_env.err
    mock_env.debug = True  # INFOINT_DEBUG=1
    with pytest.raises(RuntimeError):
        entry.main(["followups"], mock_env)


def test_anything_else_goes_to_typer(
    monkeypatch: pytest.MonkeyPatch, mock_env: MockEnvironment
) -> None:
    assert entry.quick(["contacts", "--search=x"]) is False
    assert entry.quick(["--no-pager", "contacts"]) is False
    assert entry.quick(["history"]) is False
    assert entry.quick(["followups", "--as-of", "tomorrow"]) is False
    assert entry.quick(["add-contact", "Jane", "--no-input"]) is False
    import infoint.cli

    given: list[object] = []
    monkeypatch.setattr(infoint.cli, "main", lambda *args: given.extend(args))
    entry.main(["contacts", "--help"], mock_env)
    assert given == [["contacts", "--help"], mock_env]  # the environment built once


def test_bare_infoint_shows_the_help(env: dict[str, str]) -> None:
    proc = infoint(env=env)
    assert "Usage: infoint" in proc.stdout + proc.stderr and "Traceback" not in proc.stderr


def test_shell_completion_is_served_without_the_heavy_imports(env: dict[str, str]) -> None:
    script = (
        "import sys\n"
        "from infoint.entry import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('loaded:', *sorted(m for m in ('pydantic', 'rich', 'infoint.store') "
        "if m in sys.modules), file=sys.stderr)\n"
    )
    completion = {
        **env,
        "_INFOINT_COMPLETE": "complete_bash",
        "COMP_WORDS": "infoint fol",
        "COMP_CWORD": "1",
    }
    proc = subprocess.run(
        [sys.executable, "-c", script], env=completion, capture_output=True, text=True, check=False
    )
    assert proc.stdout.split() == ["followups"]
    assert proc.stderr.strip().splitlines()[-1] == "loaded:"


def test_the_quick_defaults_and_choices_are_the_commands_own() -> None:
    """Left out, an option has the value Typer gives it; a choice has Typer's words."""
    import inspect
    import typing

    from infoint import cli

    callbacks = {cli._name(info): info.callback for info in cli.app.registered_commands}
    for name, spec in entry.COMMANDS.items():
        callback = callbacks[name]
        assert callback is not None
        declared = inspect.signature(callback).parameters
        hints = typing.get_type_hints(callback, include_extras=True)
        arguments = [f"x{n}" for n in range(len(spec.arguments))]
        parsed = entry.parse(name, arguments)
        assert parsed is not None, name
        for option, kind in spec.options.items():
            dest = spec.dest(option)
            assert parsed[dest] == declared[dest].default, (name, dest)
            if isinstance(kind, tuple):
                assert set(kind) == _words(hints[dest]), (name, dest)


def _words(annotation: object) -> set[str]:
    """The words a Literal (under Annotated and Optional) allows."""
    import types
    import typing

    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return {str(word) for word in typing.get_args(annotation)}
    if origin in (typing.Annotated, typing.Union, types.UnionType):
        return set().union(*(_words(arg) for arg in typing.get_args(annotation)))
    return set()


def call(environment: MockEnvironment, *argv: str) -> tuple[str, str]:
    """Run `infoint ARGV` through the light front door in `environment`: its stdout
    and stderr, from this run alone."""
    environment.stdout, environment.stderr = io.StringIO(), io.StringIO()
    entry.main(argv, environment)
    return environment.out, environment.err


def test_quick_followups_prints_from_the_index(
    tracker: Tracker, monkeypatch: pytest.MonkeyPatch, mock_env: MockEnvironment
) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.reply("jane-doe", "agreed")
    import infoint.cli

    monkeypatch.setattr(infoint.cli, "main", lambda *a: pytest.fail("Typer was not needed"))
    out, _ = call(mock_env, "followups")
    assert out.startswith("Today\n  respond        Jane Doe")
    out, _ = call(mock_env, "followups", "--json")
    (item,) = json.loads(out)
    assert item["kind"] == "respond" and item["contact"] == "jane-doe"


def test_quick_followups_steps_aside_for_a_stale_index(
    tracker: Tracker, mock_env: MockEnvironment
) -> None:
    from infoint import index

    tracker.add_contact("Jane Doe", ContactFields())
    index.clear(tracker.paths)
    assert entry.quick(["followups"]) is False
    assert entry.quick(["followups", "--json", "--json", "x"]) is False


def test_quick_followups_on_an_empty_store(mock_env: MockEnvironment, home: Path) -> None:
    out, _ = call(mock_env, "followups")
    assert out.startswith("Nothing is due. You have no contacts yet.")
    assert not home.exists()


def test_quick_add_prints_the_handle(tracker: Tracker, mock_env: MockEnvironment) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    out, err = call(mock_env, "add-contact", "Jane Doe", "--company", "Acme", "--tag", "x")
    assert out == "jane-doe-2\n"
    assert "Added Jane Doe as jane-doe-2." in err
    out, _ = call(mock_env, "add-contact", "Bo Chen", "--json")
    record = json.loads(out)
    assert record["handle"] == "bo-chen" and record["status"] == "prospect"
    assert record["created_at"] == "2026-11-26T09:00:00Z"
    doc = tracker.read()
    assert [c.handle for c in doc.contacts] == ["jane-doe", "jane-doe-2", "bo-chen"]
    assert doc.contacts[1].company == "Acme" and doc.contacts[1].tags == ["x"]


def test_quick_add_refuses_like_the_app(tracker: Tracker, mock_env: MockEnvironment) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    with pytest.raises(SystemExit) as exc:
        call(mock_env, "add-contact", "Eve", "--email", "nope")
    assert exc.value.code == 1
    err = mock_env.err
    assert err.startswith("Error: ") and "nope" in err and "Hint:" in err


def test_the_help_cache_follows_the_width(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("COLUMNS", "90")
    entry.main(["--help"])
    narrow = capsys.readouterr().out
    monkeypatch.setenv("COLUMNS", "160")
    entry.main(["--help"])
    wide = capsys.readouterr().out
    cached = sorted(p.name for p in (tmp_path / "cache").rglob("help-*.txt"))
    assert len(cached) == 2 and cached[0].endswith("-160.txt") and cached[1].endswith("-90.txt")
    assert narrow.startswith("Usage: infoint") and wide.startswith("Usage: infoint")
    assert max(len(line) for line in narrow.splitlines()) <= 90


def test_an_unwritable_help_cache_only_costs_time(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder would be")
    entry.main(["-h"])
    assert capsys.readouterr().out.startswith("Usage: infoint")


def test_an_unreadable_sync_conflict_is_named_before_a_quick_path(
    tracker: Tracker, mock_env: MockEnvironment
) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    (tracker.paths.data_dir / "store (conflicted copy).json").write_text("{}")
    _, err = call(mock_env, "followups")
    assert "cannot read: store (conflicted copy).json" in err
    assert (tracker.paths.data_dir / "store (conflicted copy).json").exists()


def test_edit_refuses_a_duplicate_on_the_quick_door_too(env: dict[str, str]) -> None:
    infoint("add-contact", "Ana Ruiz", "--email", "ana@x.example", env=env)
    infoint("add-contact", "Bo Chen", env=env)
    refused = infoint("edit", "bo-chen", "--email", "ana@x.example", env=env)
    assert refused.returncode == 1 and "already here as ana-ruiz" in refused.stderr
    assert (
        infoint("edit", "bo-chen", "--email", "ana@x.example", "--force", env=env).returncode == 0
    )


def test_the_quick_paths_do_not_load_the_command_groups(tmp_path: object) -> None:
    import subprocess

    script = (
        "import sys\nfrom infoint import entry\n"
        "sys.argv = ['infoint', 'followups']\nentry.main()\n"
        "print('cli' if 'infoint.cli' in sys.modules else 'no cli', file=sys.stderr)\n"
    )

    env = {**os.environ, "INFOINT_HOME": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert proc.stderr.strip().splitlines()[-1] == "no cli"
