"""Plain terminal output for the commands run many times a day.

The morning look, confirmations and JSON need no tables, so they skip Rich (its
import alone costs more than the rest of `infoint followups`): a few ANSI styles,
used only on a terminal that wants colour (not with NO_COLOR or TERM=dumb). What
is printed goes to the streams of the current environment (env.py), and is laid
out for its width.
User text always goes through `safe()` first: escape sequences and control
characters are removed, so a name can never drive the terminal.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from typing import TYPE_CHECKING, Any, TextIO

from infoint import layout
from infoint.env import current

if TYPE_CHECKING:
    from infoint.agenda import DueView, FollowUp
    from infoint.errors import ExitCode

_ESCAPES = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC … BEL/ST
    r"|\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC
    r"|\x1b[@-Z\\-_]?"  # other escapes, or a lone ESC
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_STYLES = {"bold": "1", "dim": "2", "red": "31", "cyan": "36", "bold red": "1;31", "yellow": "33",
           "blue": "34", "green": "32", "magenta": "35", "green bold": "1;32",
           "bold magenta": "1;35", "bold reverse": "1;7", "italic": "3"}  # fmt: skip


def kind_label(kind: str) -> str:
    """A follow-up's kind as the screens show it: spelt as on the command line
    (`thank-you`, `move-on`), as `draft --kind` takes it; `--json` keeps the key."""
    return kind.replace("_", "-")


def suggest(lead: str, command: str, room: int | None = None) -> str:
    """`lead` and the command to type, on one line when they fit, else the command on
    a line of its own, two cells in: a command is copied whole, so it is never broken
    at a space as prose is."""
    room = current().width if room is None else room
    one = f"{lead}  {command}"
    return one if layout.cell_len(one) <= room else f"{lead}\n  {command}"


_FIRST_LEAD = "Start with someone you admire:"
_FIRST_COMMAND = 'infoint add-contact "Jane Doe" --company Acme --why "…"'


def first_steps() -> str:
    """What to do on an empty store, fitted to the screen."""
    return suggest(_FIRST_LEAD, _FIRST_COMMAND)


def safe(value: object) -> str:
    """User text fit for a terminal: escape sequences and control characters removed."""
    text = "" if value is None else str(value)
    return _CONTROLS.sub("", _ESCAPES.sub("", text.replace("\t", " ")))


def colour(stream: TextIO) -> bool:
    """Whether to style output: a terminal, and nobody asked for plain text (the
    environment's rules, env.wants_colour)."""
    return current().styles(stream)


def styled(text: str, style: str, on: bool) -> str:
    return f"\x1b[{_STYLES[style]}m{text}\x1b[0m" if on and style else text


def message(*parts: str) -> None:
    """A confirmation, warning or echo on stderr (stdout stays clean for pipes).
    Every part is user-safe text already, or goes through `safe()` here."""
    current().stderr.write(safe("".join(parts)).replace("\n", " ") + "\n")


def error(what: str, hint: str | None = None) -> None:
    """`Error: …` and `Hint: …` on stderr: what is wrong, and what to type next."""
    stderr = current().stderr
    on = colour(stderr)
    stderr.write(f"{styled('Error:', 'bold red', on)} {safe(what)}\n")
    if hint:
        stderr.write(f"{styled('Hint:', 'bold', on)} {safe(hint)}\n")


def debug_requested() -> bool:
    """A traceback was asked for (INFOINT_DEBUG, or --debug before the command)."""
    return current().debug


def failure(exc: BaseException, debug: bool) -> ExitCode | None:
    """The one place where errors become messages: print what went wrong and return
    the exit code, or None when the traceback should show (`--debug`)."""
    from infoint.errors import ExitCode, InfointError

    if isinstance(exc, InfointError):
        error(exc.message, exc.hint)
        return exc.exit_code
    if isinstance(exc, BrokenPipeError):  # `infoint contacts | head`: the reader had enough
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), current().stdout.fileno())
        return ExitCode.BROKEN_PIPE
    if isinstance(exc, KeyboardInterrupt):
        current().stderr.write("Interrupted; nothing was changed.\n")
        return ExitCode.INTERRUPTED
    if debug:
        return None
    error(
        f"infoint failed unexpectedly ({type(exc).__name__}: {exc}); nothing was changed. "
        "Run it again with INFOINT_DEBUG=1 to see where, and report it."
    )
    return ExitCode.FAILED


def print_json(data: Any) -> None:
    """JSON on plain stdout: never wrapped, user text kept exactly as stored."""
    stdout = current().stdout
    stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    stdout.flush()


def followup_json(item: FollowUp, due: DueView) -> dict[str, Any]:
    """One follow-up as `followups --json` shows it (the contract's keys first)."""
    from infoint.records import iso

    message, command = item.render(due.as_of, due.prospects)
    return {
        "kind": item.kind,
        "contact": item.who.handle,
        "due": iso(item.due),
        "overdue": item.overdue(due.as_of),
        "message": message,
        "command": command,
        "opens": iso(item.opens),
        "meeting": item.meeting,
    }


def followups_screen(due: DueView, out: TextIO | None = None) -> None:
    """The morning look: overdue first, then the rest, then a one-line summary."""
    from infoint.agenda import plural
    from infoint.dates import ago

    out = out or current().stdout
    on = colour(out)
    write = out.write
    if not due.items:
        if not due.contacts:
            write(f"Nothing is due. You have no contacts yet.\n{first_steps()}\n")
        else:
            write("Nothing is due. You owe nobody anything right now.\n")
            write(_next_meeting(due).lstrip(" ·") + ("\n" if due.next_meeting else ""))
        return
    groups: dict[str, list[FollowUp]] = {"Overdue": [], "Today": []}
    for item in due.items:
        groups["Overdue" if item.overdue(due.as_of) else "Today"].append(item)
    room = current().width
    for title, group in groups.items():
        if not group:
            continue
        write(styled(title, "bold red" if title == "Overdue" else "bold", on) + "\n")
        for item in group:
            text, command = item.render(due.as_of, due.prospects)
            when = f"  (due {ago(item.due, due.as_of)})"
            label = kind_label(item.kind)
            write(_followup_lines(label, safe(item.who.name), safe(text), when, room, on))
            write(_command_lines(safe(command), room, on))
        write("\n")
    overdue = len(groups["Overdue"])
    summary = (
        f"{plural(len(due.items), 'thing')} due · {overdue} overdue · "
        f"{due.this_week} more this week"
    )
    for row in layout.wrap_words(summary + _next_meeting(due), room):
        write(styled(row, "dim", on) + "\n")


#: From this width on, the morning look keeps kind and name in columns beside the text.
WIDE = 72
#: Where the text of a follow-up starts on a wide screen.
TEXT_AT = 40


def _followup_lines(kind: str, name: str, text: str, when: str, room: int, on: bool) -> str:
    """One follow-up, wrapped to `room` with a hanging indent; the kind in colour,
    how long ago it fell due dimmed."""
    if room >= WIDE:
        head = f"  {kind:<15}{layout.pad(layout.clip(name, 22), 23)}"
        rows = layout.hang(head, text + when, room)
    else:
        head = f"  {kind}  {layout.clip(name, max(room - len(kind) - 4, 8))}"
        rows = [head, *layout.hang("    ", text + when, room)]
    kind_at = rows[0].index(kind)
    rows[0] = rows[0][:kind_at] + styled(kind, "cyan", on) + rows[0][kind_at + len(kind) :]
    if rows[-1].endswith(when.strip()):
        cut = len(rows[-1]) - len(when.strip())
        rows[-1] = rows[-1][:cut] + styled(rows[-1][cut:], "dim", on)
    return "".join(row + "\n" for row in rows)


def _command_lines(command: str, room: int, on: bool) -> str:
    # a command is copied: it moves to a line of its own before it breaks
    fits = TEXT_AT + 2 + len(command) <= room
    indent = TEXT_AT if room >= WIDE and fits else 4
    rows = layout.hang(" " * indent + "→ ", command, room)
    return "".join(styled(row, "dim", on) + "\n" for row in rows)


def _next_meeting(due: DueView) -> str:
    from infoint.dates import short

    m = due.next_meeting
    if m is None:
        return ""
    mode = m.mode.replace("_", " ")
    return f" · next meeting: {safe(m.name)}, {short(m.start)} ({m.minutes} min, {mode})"


def added(record: dict[str, Any], as_json: bool, warnings: list[str] | None = None) -> None:
    """What add-contact prints, from either front door: the handle (or the record as
    JSON) on stdout, any warning and the next step on stderr."""
    for warning in warnings or []:
        message("Warning: ", warning)
    if as_json:
        print_json({**record, "status": "prospect"})
    else:
        current().stdout.write(record["handle"] + "\n")
    handle = record["handle"]
    step = f"Next: infoint outreach {handle} --why-you … --goal …"
    message("Added ", record["name"], f" as {handle}. {step}")
