"""The `infoint` command: quick paths for what people run all day, Typer for the rest.

Importing Typer costs about three times as much as starting Python itself, so the
commands people run all day skip it when they can:

- `infoint --help`: the top-level help, printed from a cache of what
  Typer itself printed (keyed by version, the CLI's source and the width);
- `infoint followups [--json] [--no-pager]`: the morning look, through `index.due_view`, the
  function the Typer command's service calls too;
- `add-contact`, `contacts`, `show`, `edit`, `outreach`, `reschedule`, `agenda` and
  `stats`: argv parsed here by the table `COMMANDS`, then the very function of
  actions.py the Typer command calls once Typer has parsed the same words.

These front doors parse argv and print; the work is the services'. Anything else
(an option spelt `--opt=value`, a global option, `--help`, a value Typer would
have to convert in a way this table does not, a stale index) goes to the Typer app
in cli/, which accepts the same words and does the same thing; the tests hold the
two to the same parse, the same output and the same store.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from infoint.vocabulary import CHANNELS, MODES, SORTS, STATUSES, VENUES

if TYPE_CHECKING:
    from infoint.env import Environment

#: How a value is read: as given, as a number, one of a few words, or repeatable.
Kind = tuple[str, ...] | type[str] | type[int] | type[list[str]] | type[bool]

#: The contact fields add-contact and edit take, each an option of its own name.
FIELDS: dict[str, Kind] = {
    "--email": str, "--phone": str, "--company": str, "--role": str, "--industry": str,
    "--location": str, "--linkedin": str, "--source": str, "--referred-by": str,
    "--why": str, "--tag": list, "--prefers": MODES, "--notes": str,
}  # fmt: skip
FIELD_OPTIONS = frozenset(FIELDS)
JSON: dict[str, Kind] = {"--json": bool}
PAGED: dict[str, Kind] = {"--json": bool, "--no-pager": bool}
YES: dict[str, Kind] = {"--yes": bool, "-y": bool}


class Spec:
    """A command's words: its arguments, in order, and its options (with aliases)."""

    def __init__(
        self, arguments: tuple[str, ...], options: dict[str, Kind], aliases: dict[str, str]
    ) -> None:
        self.arguments = arguments
        self.options = options
        #: an option's other spellings, and options whose parameter has another name
        self.aliases = aliases

    def dest(self, option: str) -> str:
        return self.aliases.get(option, option.lstrip("-").replace("-", "_"))

    def defaults(self) -> dict[str, object]:
        return {self.dest(o): False if k is bool else None for o, k in self.options.items()}


#: Each quick command's words, exactly as its Typer command declares them (a test
#: holds the two together), and the parameter names of its function in actions.py.
COMMANDS: dict[str, Spec] = {
    # --no-input only matters without NAME, which Typer asks for
    "add-contact": Spec(("name",), {**FIELDS, **JSON, "--force": bool}, {}),
    "contacts": Spec(
        (),
        {
            "--status": STATUSES,
            "--tag": str,
            "--search": str,
            "--all": bool,
            "--sort": SORTS,
            "--limit": int,
            "-n": int,
            **PAGED,
        },
        {"--all": "all_", "-n": "limit"},
    ),
    "show": Spec(("contact",), PAGED, {}),
    "edit": Spec(
        ("contact",),
        {"--name": str, "--handle": str, **FIELDS, "--untag": list, **JSON, "--force": bool},
        {},
    ),
    "outreach": Spec(
        ("contact",),
        {
            "--who-i-am": str,
            "--why-you": str,
            "--goal": str,
            "--subject": str,
            "--channel": CHANNELS,
            "--on": str,
            "--sent": str,
            "--force": bool,
            **JSON,
            **YES,
        },
        {"--on": "sent", "-y": "yes"},
    ),
    "reschedule": Spec(
        ("meeting", "start"),
        {"--minutes": int, "--phone": bool, "--video": bool, "--at": str, "--venue": VENUES, **YES},
        {"-y": "yes"},
    ),
    "agenda": Spec((), {"--days": int, **PAGED}, {}),
    "stats": Spec((), {"--since": str, **JSON, **YES}, {"-y": "yes"}),
}
#: What Typer gives a parameter left out when it is not None or False.
DEFAULTS: dict[str, dict[str, object]] = {
    "contacts": {"sort": "id"},
    "outreach": {"channel": "email"},
    "agenda": {"days": 7},
}


def main(argv: Sequence[str] | None = None, environment: Environment | None = None) -> None:
    """The console script: `argv` (the process's) run in `environment`, built here,
    once, from the process unless one is given (a test's)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if environment is None and argv in (["--help"], ["-h"]):
        # the one answer that needs nothing of the environment but stdout: printed
        # from the cache before anything else is imported (env.py's dataclass included)
        run(argv, None)
        return
    from infoint.env import Environment, using

    environment = environment or Environment.from_os()
    with using(environment):
        if run(argv, environment):
            return
        from infoint.cli import main as full

        full(argv, environment)  # says the notes itself, as it closes


def run(argv: Sequence[str], environment: Environment | None) -> bool:
    """Run `argv` in `environment` if it is one of the quick forms; False when it is
    Typer's to run. An error ends the process with its exit code."""
    try:
        # a merge or doctor deals with such copies itself
        if list(argv) not in (["--help"], ["-h"], ["--version"]) and not (
            argv and argv[0] in ("merge", "doctor")
        ):
            warn_of_conflicts()
        done = quick(argv, environment.stdout if environment else sys.stdout)
    except (Exception, KeyboardInterrupt) as exc:
        from infoint import term

        code = term.failure(exc, term.debug_requested() or "--debug" in argv)
        if code is None:
            raise
        sys.exit(code)
    if done and argv and not {"--help", "-h", "--version"} & set(argv):
        tell_notices()
    return done


def tell_notices() -> None:
    """Say what taking in another machine's changes settled (notices.py), once."""
    from infoint.env import current

    paths = current().paths
    if paths.data_dir.is_dir():
        from infoint import notices, term

        for note in notices.take(paths):
            term.message(f"Note: {note}")


def warn_of_conflicts() -> None:
    """Merge any copy a sync service left beside the store, before the command runs,
    and say so (the merge is one `infoint undo` away)."""
    from infoint.env import current
    from infoint.files import SYNC_CONFLICT

    environment = current()
    paths = environment.paths
    try:
        names = os.listdir(paths.data_dir)
    except OSError:
        return
    from infoint import journal

    copies = any(n.startswith(("store", "journal")) and SYNC_CONFLICT.search(n) for n in names)
    if not copies and not journal.astray(paths.legacy_journal, paths.store_file):
        return
    from infoint import term
    from infoint.services import Tracker

    for copy, result in Tracker(paths, environment.clock).merge_conflicts():
        if isinstance(result, str):
            term.message(
                f"Warning: a sync service left a copy of your store that infoint cannot "
                f"read: {copy.name} ({result}). Look at it, then move it away."
            )
            continue
        if result.get("covered"):
            term.message(
                f"Set aside {copy.name}, a copy a sync service left: everything in it is "
                "here already (in the change logs both machines keep); moved it to merged/."
            )
            continue
        what = (
            "changes another machine made while this one folded its change log"
            if journal.UNFOLDED in copy.name
            else "a copy a sync service left"
        )
        term.message(
            f"Merged {copy.name}, {what}: {result['added']} new and "
            f"{result['newer']} newer record(s) taken"
            + (f", {result['removed']} removed" if result.get("removed") else "")
            + "; moved it to merged/. "
            "To take it back: infoint undo"
        )
        for line in result.get("renamed", []):
            term.message(f"Note: {line} (the numbers were taken here).")
        for line in result.get("overwritten", []):
            term.message(f"Note: {line}.")


def quick(argv: Sequence[str], stdout: TextIO | None = None) -> bool:
    """Handle `argv` without Typer if it is one of the quick forms; False otherwise.
    `stdout`: the environment's (the help is printed there)."""
    if not argv:
        return False  # Typer shows the help (and serves shell completion)
    if list(argv) in (["--help"], ["-h"]):
        if stdout is None:
            from infoint.env import current

            stdout = current().stdout
        return top_help(stdout)
    if argv[0] == "followups" and set(argv[1:]) <= {"--json", "--no-pager"} and len(argv) <= 3:
        return followups(json="--json" in argv, refused="--no-pager" in argv)
    params = parse(argv[0], argv[1:])
    if params is None:
        return False
    from infoint import actions

    getattr(actions, argv[0].replace("-", "_"))(**params)
    return True


def parse(command: str, args: Sequence[str]) -> dict[str, object] | None:
    """The parameters Typer would pass the command's function for `args`, or None
    when this is not sure to read them as Typer does (then Typer reads them)."""
    spec = COMMANDS.get(command)
    if spec is None:
        return None
    params = spec.defaults() | DEFAULTS.get(command, {})
    given: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if not arg.startswith("-") or arg == "-":
            given.append(arg)
            continue
        kind = spec.options.get(arg)
        if kind is None:
            return None  # --help, --opt=value, -abc, --, an option of Typer's alone
        dest = spec.dest(arg)
        if kind is bool:
            params[dest] = True
            continue
        if i == len(args):
            return None  # Typer says the value is missing
        value = args[i]
        i += 1
        if kind is list:
            params[dest] = [*(params[dest] or []), value]  # type: ignore[misc]
        elif kind is int:
            try:
                params[dest] = int(value)  # what Typer's converter does (cli._plain_converter)
            except ValueError:
                return None
        elif isinstance(kind, tuple) and value not in kind:
            return None  # Typer explains, or reads another spelling of a choice
        else:
            params[dest] = value
    if len(given) != len(spec.arguments):
        return None
    return params | dict(zip(spec.arguments, given, strict=True))


def followups(json: bool, refused: bool = False) -> bool:
    from infoint import term
    from infoint.env import current
    from infoint.index import due_view

    environment = current()
    paths = environment.paths
    due = due_view(paths, environment.clock())
    if due is None:
        return False
    if json:
        term.print_json([term.followup_json(item, due) for item in due.items])
    else:
        from infoint import pager

        with pager.paged(refused):  # a long morning look goes through the pager, as git's
            term.followups_screen(due)
    from infoint.mail.state import remind

    remind(paths.data_dir)
    return True


# the top-level help ------------------------------------------------------------------


def _help_cache() -> str:
    """Where the top-level help is kept (plain os.path: pathlib costs more to import)."""
    import shutil

    import platformdirs

    from infoint import __version__

    folder = os.path.join(os.path.dirname(__file__), "cli")
    source = max(
        entry.stat().st_mtime_ns for entry in os.scandir(folder) if entry.name.endswith(".py")
    )
    width = shutil.get_terminal_size().columns
    name = f"help-{__version__}-{source}-{width}.txt"
    return os.path.join(platformdirs.user_cache_dir("infoint"), name)


def top_help(stdout: TextIO) -> bool:
    """Print the top-level help on `stdout` from the cache, filling the cache from
    Typer first."""
    cache = _help_cache()
    try:
        with open(cache, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        text = render_help()
        try:
            from pathlib import Path

            from infoint.files import atomic_write

            atomic_write(Path(cache), text.encode())
        except Exception:  # a cache that cannot be written is only slower
            pass
    stdout.write(text)
    return True


def render_help() -> str:
    """What Typer prints for `infoint --help`."""
    import contextlib
    import io

    from infoint.cli import app

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.suppress(SystemExit):
        app(["--help"], prog_name="infoint")
    return buffer.getvalue()
