"""The command line: parse options, call one service, call one renderer.

Only Typer is imported at start-up; the store, pydantic and Rich are imported by
the commands that need them, so `--help` and completion stay fast. Every error
the project raises on purpose is mapped to `Error:`/`Hint:` and exit 1 in one
place (`Group.invoke`); Typer's own usage errors keep exit 2.
"""

from __future__ import annotations

import importlib
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from infoint import actions, term
from infoint.cli.params import _fast_params as _fast_params
from infoint.cli.params import _plain_converter as _plain_converter
from infoint.cli.params import _short_help
from infoint.env import Environment, current, using
from infoint.errors import ExitCode
from infoint.vocabulary import Mode

# the shared parts of every command (actions.py), under the names the commands use
clock = actions.clock
paths = actions.paths
tracker = actions.tracker
when = actions.when
report = actions.report
paged = actions.paged
_fields = actions.fields


def debug() -> bool:
    return term.debug_requested()


class Group(TyperGroup):
    """The one place where infoint's errors become messages and exit codes."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        _fast_params(self)
        result: list[str] = super().parse_args(ctx, args)
        return result

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _fast_params(command)
            _short_help(command)
        return command

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except (Exception, KeyboardInterrupt) as exc:
            if type(exc).__module__.startswith(("click", "typer")):
                raise  # Typer's own usage errors: exit 2, its message
            code = term.failure(exc, debug())
            if code is None:
                raise
            raise typer.Exit(code) from None


def _quiet_usage_errors() -> None:
    """Typer's usage errors quote what was typed ("No such option: --x"): strip the
    quote of terminal codes and invisible controls, like all other printed text."""
    from typer._click import exceptions

    for cls in vars(exceptions).values():
        if isinstance(cls, type) and "format_message" in vars(cls):
            plain = vars(cls)["format_message"]

            def format_message(self: Any, _plain: Any = plain) -> str:
                return term.safe(_plain(self))

            setattr(cls, "format_message", format_message)  # noqa: B010


_quiet_usage_errors()


app = typer.Typer(
    cls=Group,
    name="infoint",
    help="Track informational interviews, the courteous way: contacts, outreach, "
    "meetings and the follow-ups you owe.",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from infoint import __version__

        typer.echo(f"infoint {__version__}")
        raise typer.Exit(ExitCode.OK)


@app.callback()
def _root(
    ctx: typer.Context,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show a traceback on unexpected errors.")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
    no_pager: Annotated[
        bool, typer.Option("--no-pager", help="Never page long listings (like git --no-pager).")
    ] = False,
) -> None:
    # the environment the light front door built (entry.main), else the current one
    # (a test's, or the process's, built here): kept in ctx.obj, and current until
    # the command closes
    environment = ctx.obj if isinstance(ctx.obj, Environment) else current()
    environment.debug = environment.debug or debug
    environment.no_pager = environment.no_pager or no_pager
    ctx.obj = environment
    ctx.with_resource(using(environment))
    ctx.call_on_close(_tell_notices)


def _tell_notices() -> None:
    from infoint import entry

    entry.tell_notices()


def can_ask() -> bool:
    """Whether there is a terminal to ask a question on (the environment's stdin)."""
    return actions.can_ask()


# options shared by add-contact and edit --------------------------------------

EmailOpt = Annotated[str | None, typer.Option("--email", help="E-mail address.")]
PhoneOpt = Annotated[str | None, typer.Option("--phone", help="Phone number.")]
CompanyOpt = Annotated[str | None, typer.Option("--company", help="Where they work.")]
RoleOpt = Annotated[str | None, typer.Option("--role", help="Their job title.")]
IndustryOpt = Annotated[
    str | None, typer.Option("--industry", help="Their field, e.g. Publishing.")
]
LocationOpt = Annotated[str | None, typer.Option("--location", help="City or region.")]
LinkedinOpt = Annotated[str | None, typer.Option("--linkedin", help="LinkedIn profile URL.")]
SourceOpt = Annotated[str | None, typer.Option("--source", help="Where you found them.")]
ReferredOpt = Annotated[
    str | None,
    typer.Option("--referred-by", metavar="CONTACT", help="Who introduced you (handle or id)."),
]
WhyOpt = Annotated[str | None, typer.Option("--why", help="Why you admire them: what they did.")]
TagOpt = Annotated[list[str] | None, typer.Option("--tag", help="A label; repeat for more.")]
PrefersOpt = Annotated[Mode | None, typer.Option("--prefers", help="How they like to meet.")]
NotesOpt = Annotated[str | None, typer.Option("--notes", help="Anything else worth keeping.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")]
NoPagerOpt = Annotated[
    bool,
    typer.Option(
        "--no-pager",
        help="Print it all at once. A long listing on a terminal otherwise goes through "
        "$PAGER (less by default); piped output never does.",
    ),
]


def _complete_handles(incomplete: str) -> list[str]:
    from infoint.complete import handles

    return handles(incomplete)


def _complete_meetings(incomplete: str) -> list[tuple[str, str]]:
    from infoint import complete

    return complete.meetings(incomplete)


def _complete_tags(incomplete: str) -> list[str]:
    from infoint.complete import tags

    return tags(incomplete)


def _complete_settings(incomplete: str) -> list[str]:
    from infoint.complete import settings

    return settings(incomplete)


ContactArg = Annotated[
    str,
    typer.Argument(
        metavar="CONTACT",
        help="Handle or number of the contact.",
        autocompletion=_complete_handles,
    ),
]
MeetingArg = Annotated[
    str,
    typer.Argument(
        metavar="MEETING", help="Number of the meeting.", autocompletion=_complete_meetings
    ),
]
OnOpt = Annotated[
    str | None, typer.Option("--on", metavar="WHEN", help="When it happened (default: now).")
]
NoteOpt = Annotated[str | None, typer.Option("--note", help="A short note.")]
YesOpt = Annotated[
    bool,
    typer.Option(
        "--yes", "-y", help="Accept a date more than far_date_days (365) away without asking."
    ),
]


# contacts ---------------------------------------------------------------------


GLOBAL_FLAGS = ("--debug", "--no-pager")


def _only(name: str) -> typer.Typer:
    """The app with just one command: Typer then builds that command alone, not all
    twenty (their signatures cost ~25 ms to read on every run)."""
    single = typer.Typer(
        cls=Group,
        name="infoint",
        help=app.info.help,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        add_completion=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    single.registered_callback = app.registered_callback
    single.registered_commands = [c for c in app.registered_commands if _name(c) == name]
    return single


def _name(info: Any) -> str:
    return str(info.name or info.callback.__name__.replace("_", "-"))


def main(args: list[str] | None = None, environment: Environment | None = None) -> None:
    """The console script: `args` (the process's), in `environment` when the light
    front door built it."""
    args = sys.argv[1:] if args is None else args
    first = next((a for a in args if a not in GLOBAL_FLAGS), None)
    known = {_name(c) for c in app.registered_commands}
    target = _only(first) if first in known else app
    target(args, prog_name="infoint", obj=environment)


# the commands register themselves on `app` as they are imported, in the order
# `infoint --help` lists them
for _group in ("people", "messages", "meetings", "writing", "progress", "changes", "data",
               "sync", "mail"):  # fmt: skip
    importlib.import_module(f"infoint.cli.{_group}")
