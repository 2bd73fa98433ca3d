"""The exit statuses, named once (errors.ExitCode) and held to the public contract:
0 success, 1 refused or failed, 2 a usage error Typer rejects, 130 Ctrl-C, 141 a
closed pipe. Every exit in the source goes through the enum."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import MockEnvironment, Runner
from infoint import entry
from infoint.errors import BadInput, ExitCode, NotFound, RuleBroken, StoreError
from infoint.services import Tracker

SRC = Path(__file__).resolve().parents[1] / "src" / "infoint"


def test_the_codes_scripts_rely_on_never_change() -> None:
    assert {code.name: int(code) for code in ExitCode} == {
        "OK": 0,
        "REFUSED": 1,
        "USAGE": 2,
        "INTERRUPTED": 130,
        "BROKEN_PIPE": 141,
    }
    assert ExitCode.FAILED is ExitCode.REFUSED  # one code for both, as the contract says


@pytest.mark.parametrize("error", [BadInput, NotFound, RuleBroken, StoreError])
def test_every_refusal_exits_refused(error: type[BadInput]) -> None:
    assert error("no").exit_code is ExitCode.REFUSED


def test_what_a_command_ends_with(run: Runner) -> None:
    assert run("--version").exit_code == ExitCode.OK
    assert run("show", "nobody", code=None).exit_code == ExitCode.REFUSED
    assert run("contacts", "--no-such-option", code=None).exit_code == ExitCode.USAGE
    assert run("add-contact", "Jane Doe").exit_code == ExitCode.OK


def test_doctor_with_a_finding_fails(run: Runner, home: Path) -> None:
    run("add-contact", "Jane Doe")
    (home / "store.json").write_text("{ not json")
    outcome = run("doctor", code=None)
    assert outcome.exit_code == ExitCode.FAILED and "store.json" in outcome.stdout + outcome.stderr


@pytest.mark.parametrize(
    ("error", "code", "said"),
    [
        (KeyboardInterrupt(), ExitCode.INTERRUPTED, "Interrupted; nothing was changed."),
        (RuntimeError("kaput"), ExitCode.FAILED, "infoint failed unexpectedly"),
    ],
)
def test_an_unexpected_end_has_its_code(
    run: Runner, monkeypatch: pytest.MonkeyPatch, error: BaseException, code: ExitCode, said: str
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(Tracker, "meetings", boom)
    outcome = run("meetings", code=None)
    assert outcome.exit_code == code and said in outcome.stderr


def test_the_light_front_door_exits_with_a_named_code(
    monkeypatch: pytest.MonkeyPatch, mock_env: MockEnvironment
) -> None:
    def interrupted(*args: object) -> bool:
        raise KeyboardInterrupt

    monkeypatch.setattr(entry, "quick", interrupted)
    with pytest.raises(SystemExit) as ended:
        entry.main(["followups"], mock_env)
    assert ended.value.code is ExitCode.INTERRUPTED
    assert mock_env.err == "Interrupted; nothing was changed.\n"


def test_no_exit_in_the_source_names_a_bare_number() -> None:
    bare = re.compile(r"(?:Exit|SystemExit|sys\.exit|os\._exit)\(\s*\d|exit_code\s*=\s*\d")
    found = [
        f"{path.relative_to(SRC)}:{n}: {line.strip()}"
        for path in SRC.rglob("*.py")
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if bare.search(line)
    ]
    assert found == []
