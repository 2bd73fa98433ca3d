"""The `infoint` command: quick paths for what people run all day, Typer for the rest.

Importing Typer costs about three times as much as starting Python itself, so
three invocations skip it when they can:

- `infoint --help`: the top-level help, printed from a cache of what
  Typer itself printed (keyed by version, the CLI's source and the width);
- `infoint followups [--json] [--no-pager]`: the morning look, through `index.due_view`, the
  function the Typer command's service calls too;
- `infoint add-contact NAME [--FIELD VALUE]... [--tag T]... [--json]`: a new
  prospect, through `Tracker.add_contact`, the service the Typer command calls.

These front doors parse argv and print; the work is the services'. Anything else
(another option, `--help`, a stale index) goes to the Typer app in cli/, which
accepts the same words and does the same thing; the tests hold the two to the same
output and the same store.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

#: add-contact options the quick path reads; each takes one value.
FIELD_OPTIONS = frozenset(
    ("--email", "--phone", "--company", "--role", "--industry", "--location", "--linkedin",
     "--source", "--why", "--notes", "--prefers", "--tag")
)  # fmt: skip
MODES = ("in_person", "phone", "video")


def main() -> None:
    """The console script."""
    argv = sys.argv[1:]
    try:
        # a merge or doctor deals with such copies itself
        if list(argv) not in (["--help"], ["-h"], ["--version"]) and not (
            argv and argv[0] in ("merge", "doctor")
        ):
            warn_of_conflicts()
        done = quick(argv)
    except (Exception, KeyboardInterrupt) as exc:
        from infoint import term

        code = term.failure(exc, term.debug_requested() or "--debug" in argv)
        if code is None:
            raise
        sys.exit(code)
    if not done:
        from infoint.cli import main as full

        full()


def warn_of_conflicts() -> None:
    """Merge any copy a sync service left beside the store, before the command runs,
    and say so (the merge is one `infoint undo` away)."""
    from infoint.files import Paths

    paths = Paths.from_env()
    try:
        names = os.listdir(paths.data_dir)
    except OSError:
        return
    from infoint.doctor import _CONFLICT

    if not any(_CONFLICT.search(name) for name in names):
        return
    from infoint import dates, term
    from infoint.services import Tracker

    for copy, result in Tracker(paths, dates.system_now).merge_conflicts():
        if isinstance(result, str):
            term.message(
                f"Warning: a sync service left a copy of your store that infoint cannot "
                f"read: {copy.name} ({result}). Look at it, then move it away."
            )
            continue
        term.message(
            f"Merged {copy.name}, a copy a sync service left: {result['added']} new and "
            f"{result['newer']} newer record(s) taken; moved it to merged/. "
            "To take it back: infoint undo"
        )
        for line in result.get("renamed", []):
            term.message(f"Note: {line} (the numbers were taken here).")


def quick(argv: Sequence[str]) -> bool:
    """Handle `argv` without Typer if it is one of the quick forms; False otherwise."""
    if not argv:
        return False  # Typer shows the help (and serves shell completion)
    if list(argv) in (["--help"], ["-h"]):
        return top_help()
    if argv[0] == "followups" and set(argv[1:]) <= {"--json", "--no-pager"}:
        return followups(json="--json" in argv, refused="--no-pager" in argv)
    if argv[0] == "add-contact":
        return add_contact(argv[1:])
    return False


def followups(json: bool, refused: bool = False) -> bool:
    from infoint import term
    from infoint.dates import system_now
    from infoint.files import Paths
    from infoint.index import due_view

    due = due_view(Paths.from_env(), system_now())
    if due is None:
        return False
    if json:
        term.print_json([term.followup_json(item, due) for item in due.items])
    else:
        with term.paged(refused):  # a long morning look goes through the pager, as git's
            term.followups_screen(due)
    return True


def parse_add_contact(args: Sequence[str]) -> tuple[str, dict[str, str], list[str], bool] | None:
    """NAME, the field options, the tags and --json; None for anything else."""
    name: str | None = None
    fields: dict[str, str] = {}
    tags: list[str] = []
    as_json = False
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--json":
            as_json = True
        elif arg in FIELD_OPTIONS and i + 1 < len(args):
            i += 1
            if arg == "--tag":
                tags.append(args[i])
            else:
                fields[arg[2:]] = args[i]
        elif arg.startswith("-") or name is not None:
            return None  # --help, --referred-by, an unknown option, a second NAME: Typer's
        else:
            name = arg
        i += 1
    if name is None or fields.get("prefers", "phone") not in MODES:
        return None
    return name, fields, tags, as_json


def add_contact(args: Sequence[str]) -> bool:
    parsed = parse_add_contact(args)
    if parsed is None:
        return False
    name, fields, tags, as_json = parsed
    from infoint import dates, term
    from infoint.files import Paths
    from infoint.records import ContactFields
    from infoint.services import Tracker

    result = Tracker(Paths.from_env(), dates.system_now).add_contact(
        name, ContactFields(tags=tags, **fields)
    )
    term.added(result.record.model_dump(mode="json"), as_json, result.warnings)
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


def top_help() -> bool:
    """Print the top-level help from the cache, filling the cache from Typer first."""
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
    sys.stdout.write(text)
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
