"""Every hint names a command and options that exist.

The test reads every string in infoint's source (hints, next steps, follow-up
commands, help texts) and parses each `infoint COMMAND …` it finds with the real
command-line parser: the command (or subcommand) exists, every option is one of its
options, a value is given where one is needed, and there are no more arguments than
the command takes. Template fields (`{contact.handle}`) stand for a value.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main

from conftest import INTRO, Runner
from infoint import cli

SOURCE = Path(cli.__file__).parent.parent

#: Words that follow "infoint" in a sentence about it, not a command.
PROSE = {
    "will", "knows", "ever", "spaces", "has", "understands", "does", "fills", "failed",
    "cannot", "raises", "refuses", "drafted", "names", "touches", "or", "takes", "keeps",
    "version", "rebuild", "can", "is", "to", "says", "asks", "uses", "reads", "writes",
    "itself", "wrote", "checks", "validated", "adds", "on", "did", "was", "finds",
}  # fmt: skip
#: A bare word that ends a command inside a sentence ("… --resume to go on").
STOP = {"to", "or", "and", "then", "if", "for", "with", "—", "→", "in", "as", "again", "lists"}


def field(value: ast.expr) -> str:
    """A piece of an f-string: its text, VALUE for a field, --OPTION for a field that
    holds an option (`{mode}` is --phone, --video or --at …)."""
    if isinstance(value, ast.Constant):
        return str(value.value)
    source = ast.unparse(value)
    return "--OPTION" if re.search(r"mode|flag|option", source) else "VALUE"


def texts() -> Iterator[tuple[str, str]]:
    """(where, text) for every string literal, f-string fields made into VALUE."""
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parts = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
        for node in ast.walk(tree):
            if id(node) in parts:
                continue  # a piece of an f-string: read with the rest of it
            if isinstance(node, ast.JoinedStr):
                text = "".join(field(v) for v in node.values)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
            else:
                continue
            yield f"{path.relative_to(SOURCE)}:{node.lineno}", text


def tokens(rest: str) -> list[str]:
    """The words of a command line up to where the sentence goes on."""
    found: list[str] = []
    for match in re.finditer(r'"[^"]*"|\S+', rest):
        word = match.group(0)
        if word in STOP or word.startswith(("(", "`", "'", "[")):
            break
        end = word[-1] in ".;:,)`'" and not word.startswith('"') and word not in ("…", "...")
        word = word.rstrip(".;:,)`'") if end else word
        if word:
            found.append(word)
        if end:
            break
    return found


def invocations() -> list[tuple[str, str, list[str]]]:
    found = []
    for where, text in texts():
        for line in text.splitlines():
            for match in re.finditer(r"\binfoint ([a-z][a-z-]*)", line):
                if match.group(1) in PROSE:
                    continue
                words = tokens(line[match.start(1) :])
                found.append((where, line.strip(), words))
    return found


GROUP: Any = typer.main.get_command(cli.app)
ROOT_OPTIONS = {"--help", "-h", "--version", "--debug", "--no-pager"}


def check(words: list[str]) -> str | None:
    """What is wrong with `infoint WORDS`, or None."""
    name, *args = words
    command = GROUP.commands.get(name)
    if command is None:
        return f"no command {name!r}"
    cli._fast_params(command)
    if not args:
        return None  # the command named, as in "see `infoint doctor`"
    subs = getattr(command, "commands", None)
    if args == ["--help"]:
        return None  # a group's own help lists its commands
    if subs:
        if not args or args[0] not in subs:
            return f"{name} needs one of {sorted(subs)} (got {args[:1]})"
        command = subs[args[0]]
        args = args[1:]
        if not args:
            return None  # `infoint import json`, named
    by_flag = {o: p for p in command.params for o in [*p.opts, *p.secondary_opts]}
    arguments = [p for p in command.params if p.param_type_name == "argument"]
    positional = 0
    i = 0
    while i < len(args):
        word = args[i]
        if word.startswith("-") and not word.startswith("--") and len(word) > 2:
            return f"{word!r} is not an option"
        if word in ("…", "..."):
            return None  # "and the rest": what comes before is right
        if word == "--OPTION":
            pass  # a field that holds one of the command's options
        elif word.startswith("-") and word != "-":
            option = by_flag.get(word.split("=")[0])
            if option is None:
                return f"{name} has no option {word}"
            if not option.is_flag and "=" not in word:
                if i + 1 >= len(args):
                    return f"{word} needs a value"
                i += 1
        else:
            positional += 1
        i += 1
    if positional > sum(1 if p.nargs == 1 else 99 for p in arguments):
        return f"{name} takes {len(arguments)} argument(s), got {positional}: {args}"
    required = [p for p in arguments if p.required]
    if positional < len(required) and "--help" not in args:
        return f"{name} needs {[p.name for p in required]}"
    return None


FOUND = invocations()


def test_the_source_has_hints_to_check() -> None:
    assert len(FOUND) > 80
    assert {w[0] for _, _, w in FOUND} >= {"outreach", "schedule", "prep", "draft", "drafts"}


def test_every_word_after_infoint_is_a_command_or_prose() -> None:
    """A misspelt command in a hint fails here, not in a user's terminal."""
    for where, line, words in FOUND:
        assert words and words[0] in GROUP.commands, (where, line)


@pytest.mark.parametrize(("where", "line", "words"), FOUND, ids=[f[0] for f in FOUND])
def test_every_hint_parses_with_the_real_command_line(
    where: str, line: str, words: list[str]
) -> None:
    assert check(words) is None, (where, line, check(words))


@pytest.mark.parametrize(
    ("words", "wrong"),
    [
        (["reschedule", "1", "WHEN", "--held"], "reschedule has no option --held"),
        (["draft", "jane-doe", "--why", "…"], "draft has no option --why"),
        (["prep", "--research", "…"], "prep needs ['contact']"),
        (["nonsense"], "no command 'nonsense'"),
        (["export", "--out", "x"], "export needs one of"),
        (["outreach", "jane-doe", "--goal"], "--goal needs a value"),
        (["show", "a", "b"], "show takes 1 argument(s)"),
    ],
)
def test_the_checker_finds_what_the_issue_found(words: list[str], wrong: str) -> None:
    problem = check(words)
    assert problem is not None and problem.startswith(wrong), problem


# the hints the issue found, followed -------------------------------------------------------


def test_a_past_time_for_reschedule_points_at_done_not_held(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    run("schedule", "jane-doe", "tomorrow 10:00", "--phone")
    hint = run.refused("reschedule", "1", "yesterday 10:00").stderr.split("Hint:")[1]
    assert "--held" not in hint and "infoint done 1 --on WHEN" in hint


def test_a_past_day_for_schedule_suggests_a_day_ahead(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    out = run.refused("schedule", "jane-doe", "yesterday", "--phone")
    assert '"yesterday" is in the past' in out.stderr
    suggested = re.search(r'e\.g\. "([^"]+)"', out.stderr)
    assert suggested is not None
    run("schedule", "jane-doe", suggested.group(1), "--phone")  # following it works


def test_the_brief_names_the_contact_in_its_commands(run: Runner) -> None:
    run("add-contact", "Jane Doe")
    brief = " ".join(run("prep", "jane-doe").stdout.split())
    assert "infoint prep jane-doe --research" in brief
    assert 'infoint prep jane-doe --question "…"' in brief
    assert "infoint edit jane-doe --why" in brief


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (("agenda", "--days", "0"), "--days 7"),
        (("reschedule", "1", "tomorrow 11:00", "--minutes", "0"), "--minutes 30"),
        (("done", "1", "--paid", "1e9"), "--paid 12.50"),
    ],
)
def test_a_number_out_of_range_is_refused_with_an_example(
    run: Runner, args: tuple[str, ...], hint: str
) -> None:
    run("add-contact", "Ana Ruiz")
    run("outreach", "ana-ruiz", *INTRO, "--on", "5 days ago")
    run("schedule", "ana-ruiz", "tomorrow 10:00", "--phone")
    assert hint in run.refused(*args).stderr.split("Hint: ")[1]
