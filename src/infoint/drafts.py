"""Drafting the messages that open doors: composing them from what infoint knows,
checking them against the article's rules, and handing them to a mail client.

Templates use `string.Template` fields (`$name`, `${why_them}`); the user's own
copies live in a `templates/` folder beside config.toml and win over the defaults.
"""

from __future__ import annotations

import os
import re
import shlex
import string
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote

from infoint.errors import BadInput
from infoint.vocabulary import DRAFT_KINDS

KINDS = DRAFT_KINDS

DEFAULTS = {
    "outreach": """Subject: $subject

Dear $first_name,

$intro$referral
$why_them

I am trying to $goal. Would you have 20 to 30 minutes for a short conversation
in the coming weeks, at a time and place that suit you, or by phone if you
prefer? I would come with a few precise questions.

Thank you for considering it.

$signature
""",
    "nudge": """Subject: Re: $subject

Dear $first_name,

I wrote a little while ago to ask for a short conversation about your work.
I know how full inboxes get, so this is just a gentle nudge: 20 minutes by phone,
whenever suits you, would mean a lot. If now is not a good time, no reply is needed.

$signature
""",
    "thank-you": """Subject: Thank you, $first_name

Dear $first_name,

Thank you for taking the time to talk with me on $met_on. $advice_quoted
$open_questions
I will let you know how it goes.

$signature
""",
    "keep-in-touch": """Subject: What I did with your advice

Dear $first_name,

When we spoke on $met_on, you told me $advice_list.
$acted_on
I hope things are going well for you. No need to reply; I simply wanted you to know.

$signature
""",
}

FIELDS = (
    "first_name", "name", "subject", "intro", "referral", "why_them", "why_short", "goal",
    "signature", "met_on", "advice_quoted", "advice_list", "open_questions", "acted_on",
    "company", "role", "research",
)  # fmt: skip


@dataclass(frozen=True)
class Problem:
    line: int
    what: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.what}" if self.line else self.what


# templates ---------------------------------------------------------------------------------


def template_path(config_file: Path, kind: str) -> Path:
    return config_file.parent / "templates" / f"{kind}.txt"


def template(config_file: Path, kind: str) -> str:
    if kind not in KINDS:
        raise BadInput(f"There is no draft kind {kind!r}.", hint=f"Pick one of: {', '.join(KINDS)}")
    path = template_path(config_file, kind)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return DEFAULTS[kind]
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"Could not read the template {path}: {exc}.") from None


def render(text: str, values: dict[str, str], source: str) -> str:
    """Fill a template, or say which field is unknown or which `$` is broken."""
    try:
        filled = string.Template(text).substitute(values)
    except KeyError as exc:
        raise BadInput(
            f"The template {source} uses the field ${exc.args[0]}, which infoint does not know.",
            hint=f"Fields: {', '.join('$' + f for f in FIELDS)}; write $$ for a dollar sign.",
        ) from None
    except ValueError as exc:
        raise BadInput(
            f"The template {source} has a broken field ({exc}).",
            hint="Write fields as $name or ${name}, and $$ for a dollar sign.",
        ) from None
    return re.sub(r"\n{3,}", "\n\n", filled)


# checking ---------------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\[[^\]\n]{1,60}\]|\$\{?[a-z_]+\}?|\b(TODO|XXX|TK)\b")
_MINUTES = re.compile(r"\b(\d{1,3})\s*(?:-|to|–)?\s*(?:\d{1,3}\s*)?(?:min|minutes|mins)\b", re.I)
_TOO_LONG = re.compile(r"\b(an|one|1|two|2) hours?\b|\blunch\b|\bdinner\b", re.I)
_CONVENIENCE = re.compile(
    r"convenien|suits? you|suit you|your (?:schedule|time)|phone|call|whenever", re.I
)
_WHO = re.compile(r"\b(I am|I'm|my name is|I work|I have been)\b", re.I)
_WHY = re.compile(r"\byour\b|\byou (?:wrote|built|led|said|gave|spoke|made|run|started)", re.I)
_GOAL = re.compile(r"\b(learn|advice|understand|hear|hope|goal|ask|trying to|curious)\b", re.I)


def check(text: str, kind: str, word_budget: int, handle: str = "CONTACT") -> list[Problem]:
    """The article's rules, as they apply to a written message; each problem says
    what to type to fix it at its source."""
    problems: list[Problem] = []
    lines = text.splitlines()
    for number, line in enumerate(lines, 1):
        found = [m.group(0) for m in _PLACEHOLDER.finditer(line)]
        if found:
            left = ", ".join(found)
            what = "a placeholder is left" if len(found) == 1 else "placeholders are left"
            problems.append(Problem(number, f"{what}: {left}"))
    body = "\n".join(line for line in lines if not line.lower().startswith("subject:"))
    count = len(re.findall(r"\b\w[\w'’-]*\b", body))
    if count > word_budget:
        problems.append(
            Problem(0, f"{count} words: keep it under {word_budget} so it reads in a minute")
        )
    if kind in ("outreach", "nudge"):
        minutes = [int(m.group(1)) for m in _MINUTES.finditer(body)]
        if any(n > 30 for n in minutes) or _TOO_LONG.search(body):
            problems.append(
                Problem(
                    _line_of(lines, _TOO_LONG) or _line_of(lines, _MINUTES),
                    "it asks for more than thirty minutes",
                )
            )
        elif not minutes and not re.search(
            r"half an hour|thirty minutes|twenty minutes", body, re.I
        ):
            problems.append(Problem(0, "say how short it will be: thirty minutes or less"))
        if not _CONVENIENCE.search(body):
            problems.append(Problem(0, "offer a time that suits them, or the phone"))
    from infoint.jobask import job_asks

    for ask in job_asks(text):
        problems.append(
            Problem(
                ask.line,
                f'it asks for a job ("{ask.words}"): an informational interview is not '
                "to secure employment (R13)",
            )
        )
    if kind == "outreach":
        parts = (
            (_WHO, "who you are", 'infoint config me.intro "…"'),
            (_WHY, "why them", f'infoint edit {handle} --why "…"'),
            (_GOAL, "what you hope to learn", f'infoint draft {handle} --goal "…"'),
        )
        for pattern, part, fix in parts:
            if not pattern.search(body):
                problems.append(
                    Problem(0, f"it does not say {part} (R1; infoint fills it in: {fix})")
                )
    return problems


def _line_of(lines: list[str], pattern: re.Pattern[str]) -> int:
    return next((n for n, line in enumerate(lines, 1) if pattern.search(line)), 0)


# handing over -----------------------------------------------------------------------------------


def split_subject(text: str) -> tuple[str, str]:
    lines = text.splitlines()
    if lines and lines[0].lower().startswith("subject:"):
        body = "\n".join(lines[1:]).lstrip("\n")
        return lines[0].split(":", 1)[1].strip(), body
    return "", text


def mailto(address: str | None, text: str) -> str:
    subject, body = split_subject(text)
    query = f"subject={quote(subject, safe='')}&body={quote(body, safe='')}"
    return f"mailto:{quote(address or '', safe='@')}?{query}"


def eml(address: str | None, sender: str | None, text: str, message_id: str | None = None) -> bytes:
    """The draft as a message file; its Message-ID lets `mail scan` know it once sent."""
    subject, body = split_subject(text)
    message = EmailMessage()
    if message_id:
        message["Message-ID"] = message_id
    if address:
        message["To"] = address
    if sender:
        message["From"] = sender
    message["Subject"] = subject
    message.set_content(body)
    return bytes(message)


def editor_command(environ: Mapping[str, str] | None = None) -> list[str] | None:
    """The user's editor ($VISUAL, then $EDITOR in `environ`, the command's
    environment's), split as a shell would."""
    for variable in ("VISUAL", "EDITOR"):
        value = (os.environ if environ is None else environ).get(variable, "").strip()
        if value:
            return shlex.split(value)
    return None


def edit(text: str, command: list[str]) -> str:
    """Open `text` in the editor and return what was saved (no lock is held meanwhile)."""
    with tempfile.NamedTemporaryFile(
        "w", suffix=".txt", prefix="infoint-draft-", delete=False, encoding="utf-8"
    ) as handle:
        handle.write(text)
        path = handle.name
    try:
        try:
            result = subprocess.run([*command, path], check=False)
        except OSError as exc:
            raise BadInput(
                f"Could not start the editor {command[0]!r}: {exc.strerror or exc}.",
                hint="Set $EDITOR to an editor you have, e.g. export EDITOR=nano",
            ) from None
        if result.returncode != 0:
            raise BadInput(
                f"The editor exited with status {result.returncode}; the draft was not kept."
            )
        return Path(path).read_text(encoding="utf-8")
    finally:
        os.unlink(path)


def copy_command() -> list[str] | None:
    """A clipboard tool this machine has, if any."""
    import shutil

    for command in (
        ["pbcopy"],
        ["wl-copy"],
        ["xclip", "-selection", "clipboard"],
        ["xsel", "-b", "-i"],
        ["clip"],
    ):
        if shutil.which(command[0]):
            return command
    return None
