"""The vocabulary, defined once (vocabulary.py): the models, the rules, the screens,
the Typer commands and the light front door all take their words from there."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import Any, get_args

import pytest

from infoint import drafts, entry, questions, rules, screens, vocabulary
from infoint.models import MailSettings, Me, Meeting, Outreach, Reply, Settings
from infoint.vocabulary import (
    ANSWERS,
    CHANNELS,
    DRAFT_KINDS,
    EVENT_KINDS,
    MEETING_STATUSES,
    MODES,
    QUESTION_GOALS,
    SECTIONS,
    SETTING_KEYS,
    SORTS,
    STATUSES,
    VENUES,
)


def _words(annotation: Any) -> tuple[str, ...]:
    """The words a `Literal` annotation (or `Literal | None`) accepts, in order."""
    return tuple(
        word
        for arg in get_args(annotation)
        for word in ((arg,) if isinstance(arg, str) else _words(arg))
    )


def _choices(model: Any, name: str) -> tuple[str, ...]:
    return _words(model.model_fields[name].annotation)


def test_the_vocabulary_imports_nothing_of_infoint() -> None:
    tree = ast.parse(Path(vocabulary.__file__).read_text())
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported == {"__future__", "typing"}
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, infoint.vocabulary; print(*sorted(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert [m for m in loaded if m.startswith(("infoint", "pydantic", "rich", "typer"))] == [
        "infoint",
        "infoint.vocabulary",
    ]


@pytest.mark.parametrize(
    ("model", "field", "words"),
    [
        (Meeting, "mode", MODES),
        (Meeting, "venue", VENUES),
        (Meeting, "status", MEETING_STATUSES),
        (Outreach, "channel", CHANNELS),
        (Reply, "answer", ANSWERS),
        (MailSettings, "tls", ("ssl", "starttls", "none")),
    ],
)
def test_the_models_accept_the_vocabularys_words(
    model: Any, field: str, words: tuple[str, ...]
) -> None:
    assert _choices(model, field) == words


def test_the_events_kinds_are_the_vocabularys() -> None:
    from infoint.models import Heard, Thank, Touch

    kinds = {cls.model_fields["kind"].default for cls in (Outreach, Reply, Heard, Thank, Touch)}
    assert kinds == set(EVENT_KINDS)


def test_the_setting_keys_are_the_settings_fields() -> None:
    derived = (
        *(k for k in Settings.model_fields if k not in SECTIONS),
        *(f"mail.{k}" for k in MailSettings.model_fields),
        *(f"me.{k}" for k in Me.model_fields),
    )
    assert derived == SETTING_KEYS
    assert set(SECTIONS) == {k for k in Settings.model_fields if "." not in k} - {
        k for k in SETTING_KEYS if "." not in k
    }


def test_the_light_front_door_reads_the_same_words() -> None:
    options = {name: spec.options for name, spec in entry.COMMANDS.items()}
    assert entry.FIELDS["--prefers"] is MODES
    assert options["contacts"]["--status"] is STATUSES
    assert options["contacts"]["--sort"] is SORTS
    assert options["outreach"]["--channel"] is CHANNELS
    assert options["reschedule"]["--venue"] is VENUES


@pytest.mark.parametrize(
    ("command", "option", "words"),
    [
        ("contacts", "--status", STATUSES),
        ("contacts", "--sort", SORTS),
        ("outreach", "--channel", CHANNELS),
        ("schedule", "--venue", VENUES),
        ("reschedule", "--venue", VENUES),
        ("add-contact", "--prefers", MODES),
        ("questions", "--goal", QUESTION_GOALS),
    ],
)
def test_the_typer_commands_offer_the_same_words(
    command: str, option: str, words: tuple[str, ...]
) -> None:
    import typer.main

    from infoint import cli

    commands = typer.main.get_command(cli.app).commands  # type: ignore[attr-defined]
    (param,) = [p for p in commands[command].params if option in p.opts]
    assert _words(param.type_descriptor.annotation) == words


def test_each_word_list_has_one_home() -> None:
    assert rules.STATUSES is STATUSES
    assert set(screens.STATUS_STYLE) == set(STATUSES)
    assert drafts.KINDS is DRAFT_KINDS and set(drafts.DEFAULTS) == set(DRAFT_KINDS)
    assert questions.GOALS is QUESTION_GOALS and tuple(questions.BANK) == QUESTION_GOALS
