"""Mail: let your mailbox keep the log (`infoint mail scan`, `folders`, `login`, `setup`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

import infoint.cli as base
from infoint import term
from infoint.cli import Group, JsonOpt, app, tracker
from infoint.env import current as environment

if TYPE_CHECKING:
    from datetime import datetime

    from infoint.mail.scan import Source
    from infoint.mail.sort import Proposal, Sorted
    from infoint.services import Tracker

mail_app = typer.Typer(
    cls=Group,
    name="mail",
    help="Let your mailbox keep the log: sent messages and replies found in your mail.",
    rich_markup_mode=None,
    no_args_is_help=True,
)
app.add_typer(mail_app, name="mail")

#: One key per answer to a reply.
KEYS = {"a": "agreed", "d": "declined", "r": "referred", "h": "heard", "s": None}


@mail_app.command()
def scan(
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="WHEN", help="Look back to then (default: the last scan)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only say what would be recorded.")
    ] = False,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes", "-y", help="Record what is plain without asking; replies stay listed."
        ),
    ] = False,
    maildir: Annotated[
        str | None, typer.Option("--maildir", metavar="DIR", help="Read a local Maildir.")
    ] = None,
    mbox: Annotated[
        str | None, typer.Option("--mbox", metavar="FILE", help="Read a local mbox file.")
    ] = None,
    json: JsonOpt = False,
) -> None:
    """Find the messages you sent to contacts and their replies, and record them.

    Reads your mailbox without changing it (IMAP EXAMINE and BODY.PEEK), or a local
    --maildir or --mbox. Each message is recorded once, ever."""
    from pathlib import Path

    from infoint.errors import BadInput
    from infoint.mail import scan as service

    if maildir and mbox:
        raise BadInput("Give --maildir or --mbox, not both.", hint="Scan one, then the other.")
    app_tracker = tracker()
    source = service.Source(Path(maildir) if maildir else None, Path(mbox) if mbox else None)
    start = _since(since) if since else service.since_default(app_tracker)
    found = service.plan(app_tracker, service.gather(app_tracker, source, start))
    if not json:
        _show(found, source, app_tracker, start)
    if dry_run:
        if json:
            term.print_json(_as_json(found, {}, dry_run=True))
        term.message("Nothing was recorded (--dry-run).")
        return
    asking = base.can_ask() and not yes and not json
    if found.proposals and not (yes or asking):
        raise BadInput(
            "Nothing was recorded: there is no terminal to ask on.",
            hint="Add --yes to record what is plain (replies stay listed for later), "
            "or --dry-run to only list them.",
        )
    chosen = _choose(found, asking) if found.proposals else {}
    done = _record(app_tracker, found, chosen)
    left = [p for p in found.proposals if p.kind == "reply" and id(p) not in done]
    service.finish(app_tracker, left)
    if json:
        term.print_json(_as_json(found, done))
    if left:
        term.message(
            f"{len(left)} repl{'y' if len(left) == 1 else 'ies'} left to sort: infoint mail scan "
            "in a terminal asks what each said; until then, infoint followups lists them."
        )


def _since(text: str) -> datetime:
    """The start of the day WHEN falls on: mail servers search by day."""
    from infoint.dates import Purpose, day_label, parse_when
    from infoint.errors import BadInput

    now = base.clock()
    moment = parse_when(text, now, Purpose.PAST).astimezone()
    start = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if start > now:
        raise BadInput(
            f"--since {text} is {day_label(start)}, after today: there is no mail from then yet.",
            hint='Give a day in the past, e.g. --since "30 days ago" or --since 2026-09-01',
        )
    term.message(f"Since: {day_label(start)}")
    return start


def _show(found: Sorted, source: Source, app_tracker: Tracker, start: datetime) -> None:
    from infoint.dates import day_label

    out = environment().stdout.write
    out(f"Mail since {day_label(start)} ({term.safe(source.describe(app_tracker))}):\n")
    if not found.proposals:
        out("  nothing new to record.\n")
    for p in found.proposals:
        way = "to  " if p.sent else "from"
        what = "reply?" if p.kind == "reply" else p.kind
        subject = term.safe(p.mail.subject) or "(no subject)"
        day = f"{day_label(p.mail.at):<16}"
        out(f"  {day} {what:<8} {way} {term.safe(p.contact.name)}: {subject}\n")
        if p.missing:
            out(f"      it does not say {', '.join(p.missing)} (R1): recorded with that flag\n")
    extra = []
    if found.known:
        extra.append(f"{found.known} already recorded")
    for s in found.skipped:
        extra.append(f"{term.safe(s.contact.name)} on {day_label(s.mail.at)}: {s.reason}")
    if extra:
        out("  Left alone: " + "; ".join(extra) + ".\n")


def _choose(found: Sorted, asking: bool) -> dict[int, tuple[str | None, str | None]]:
    """The answer for each proposal recorded: (answer to a reply, whom they referred)."""
    chosen: dict[int, tuple[str | None, str | None]] = {}
    plain = [p for p in found.proposals if p.kind != "reply"]
    if plain and (
        not asking
        or typer.confirm(
            f"Record the {len(plain)} message(s) above that need no answer?",
            default=True,
            err=True,
        )
    ):
        chosen.update({id(p): (None, None) for p in plain})
    if not asking:
        return chosen
    for p in found.proposals:
        if p.kind != "reply":
            continue
        try:
            answer, referred = _ask(p)
        except EOFError:  # Ctrl-D: the replies not sorted yet wait for the next scan
            environment().stderr.write("stopped\n")
            break
        if answer is not None:
            chosen[id(p)] = (answer, referred)
    return chosen


def _ask(p: Proposal) -> tuple[str | None, str | None]:
    from infoint.dates import day_label

    first = " ".join(p.mail.text.split())[:160]
    term.message(
        f"{p.contact.name} wrote on {day_label(p.mail.at)}: {p.mail.subject or '(no subject)'}"
    )
    if first:
        term.message(f"  {first}")
    environment().stderr.write(
        "  [a]greed  [d]eclined  [r]eferred you  just [h]eard  [s]kip for now (Ctrl-D: stop): "
    )
    environment().stderr.flush()
    while True:
        key = typer.getchar().lower()
        if not key:  # the input ended
            raise EOFError
        if key in KEYS:
            break
    answer = KEYS[key]
    environment().stderr.write(f"{answer or 'skipped'}\n")
    referred = None
    if answer == "referred":
        referred = typer.prompt("  Referred you to whom (a contact, or a new name)", err=True)
    return answer, referred


def _record(
    app_tracker: Tracker, found: Sorted, chosen: dict[int, tuple[str | None, str | None]]
) -> dict[int, str]:
    """Record each chosen message, oldest first; what each became."""
    from infoint.dates import day_label
    from infoint.errors import InfointError
    from infoint.mail import scan as service

    done: dict[int, str] = {}
    for p in found.proposals:
        if id(p) not in chosen:
            continue
        answer, referred = chosen[id(p)]
        try:
            result = service.record(app_tracker, p, answer, referred)
        except InfointError as exc:
            term.message(f"Not recorded: {p.contact.name}, {day_label(p.mail.at)}: {exc.message}")
            continue
        base.report(result)
        kind = answer or p.kind
        done[id(p)] = kind
        flag = f", flagged: it does not say {', '.join(p.missing)} (R1)" if p.missing else ""
        way = "to" if p.sent else "from"
        term.message(
            f"Recorded {_word(kind)} {way} ", p.contact.name, f" ({day_label(p.mail.at)}){flag}."
        )
    return done


def _word(kind: str) -> str:
    return {
        "outreach": "your outreach",
        "thank": "your thank-you",
        "touch": "your keep-in-touch note",
        "heard": "a message",
        "agreed": "a yes",
        "declined": "a no",
        "referred": "a referral",
    }.get(kind, kind)


def _as_json(found: Sorted, done: dict[int, str], dry_run: bool = False) -> dict[str, object]:
    return {
        "dry_run": dry_run,
        "proposals": [
            {
                "message_id": p.mail.message_id,
                "contact": p.contact.handle,
                "name": p.contact.name,
                "kind": p.kind,
                "at": p.mail.at.isoformat(),
                "subject": p.mail.subject,
                "missing": list(p.missing),
                "recorded": done.get(id(p)),
            }
            for p in found.proposals
        ],
        "already_recorded": found.known,
        "left_alone": [
            {"message_id": s.mail.message_id, "contact": s.contact.handle, "reason": s.reason}
            for s in found.skipped
        ],
    }


@mail_app.command()
def folders(json: JsonOpt = False) -> None:
    """List the folders on your mail server (for mail.sent_folder and mail.inbox_folder)."""
    from infoint.mail import imap, secret

    settings = tracker().settings.mail
    imap.check_settings(settings)
    with imap.session(settings, secret.password(settings)) as client:
        names = imap.folders(client)
    if json:
        term.print_json(names)
        return
    roles = {
        settings.sent_folder: "  (mail.sent_folder)",
        settings.inbox_folder: "  (mail.inbox_folder)",
    }
    for name in names:
        environment().stdout.write(term.safe(name) + roles.get(name, "") + "\n")


@mail_app.command()
def login() -> None:
    """Check your mail password with the server and keep it in the system keyring."""
    from infoint.errors import BadInput
    from infoint.mail import imap, secret

    settings = tracker().settings.mail
    imap.check_settings(settings)
    if not base.can_ask():
        raise BadInput(
            "mail login asks for the password on a terminal.",
            hint='Or set a command that prints it: infoint config mail.password_command "…"',
        )
    password = typer.prompt(
        f"Password for {settings.user} at {settings.host}", hide_input=True, err=True
    )
    with imap.session(settings, password):
        pass  # a wrong password is said now, not at the next scan
    secret.store(settings, password)
    term.message(f"The password for {settings.user} is in your system keyring.")


@mail_app.command()
def setup() -> None:
    """Answer a few questions to set up your mail server (Gmail, Fastmail, iCloud,
    Outlook.com or another)."""
    from infoint.errors import BadInput
    from infoint.mail.providers import PROVIDERS

    if not base.can_ask():
        raise BadInput(
            "mail setup asks its questions on a terminal.",
            hint="Or set each one: infoint config mail.host imap.example.org (see: infoint config)",
        )
    app_tracker = tracker()
    names = ", ".join([*PROVIDERS, "other"])
    choice = ""
    while choice not in (*PROVIDERS, "other"):
        choice = typer.prompt(f"Your mail service ({names})", err=True).strip().lower()
    known = PROVIDERS.get(choice)
    current = app_tracker.settings.mail
    user = typer.prompt(
        "Your e-mail address (the login name)", default=current.user or None, err=True
    )
    values = {"user": user.strip()}
    if known is not None:
        values |= {"host": known.host, "port": str(known.port), "tls": "ssl",
                   "sent_folder": known.sent_folder, "inbox_folder": "INBOX"}  # fmt: skip
    else:
        values["host"] = typer.prompt("IMAP server", default=current.host or None, err=True)
        values["tls"] = typer.prompt("TLS (ssl or starttls)", default="ssl", err=True)
        values["port"] = typer.prompt(
            "Port", default="993" if values["tls"] == "ssl" else "143", err=True
        )
        values["sent_folder"] = typer.prompt("Sent folder", default=current.sent_folder, err=True)
    _check_all(current.model_dump(), values)  # all or nothing: no half-set server
    for key, value in values.items():
        app_tracker.config_set(f"mail.{key}", value)
    term.message(f"Saved: {values['user']} at {values['host']}:{values['port']}.")
    if known is not None:
        term.message(f"{known.name} needs {known.needs}.")
    term.message(
        "Next: infoint mail login (keeps the password in your keyring), or "
        'infoint config mail.password_command "pass show mail"; then: infoint mail scan --dry-run'
    )


def _check_all(current: dict[str, object], values: dict[str, str]) -> None:
    from pydantic import ValidationError

    from infoint.errors import BadInput
    from infoint.models import MailSettings

    try:
        MailSettings.model_validate({**current, **values})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "".join(f"mail.{p}: " for p in first["loc"])
        what = str(first["msg"]).removeprefix("Value error, ")
        raise BadInput(
            f"Nothing was saved: {where}{what}.",
            hint="Run it again: infoint mail setup",
        ) from None
