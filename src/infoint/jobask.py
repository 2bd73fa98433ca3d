"""R13: an informational interview is not a job application.

The article's first point: the purpose "is not to secure employment"; you find out
about the field, and *you* ask the questions. A message or a question that asks for
a job (an opening, a position, to be hired, to be referred for a role, a résumé
attached) is flagged with its line, so the user can take it out before it goes.

The patterns are English as people write it, and kept narrow: "how did you get your
first job?" and "what do you look for when hiring?" are good questions and pass. A
request that a clause negates ("I am not asking for a job") passes too. Pure
functions of the text; tests/test_jobask.py holds a table of phrasings both ways.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from infoint.errors import RuleBroken

_JOB = r"(?:jobs?|roles?|positions?|openings?|vacanc(?:y|ies)|internships?|posts?)"
_WORKPLACE = (
    r"(?:company|team|firm|organi[sz]ation|department|group|studio|agency|office|lab|startup)"
)
_ANY = r"(?:a|an|any|the|some)"
_PATTERNS = [
    # "any openings", "open positions", "job openings", "internships available"
    rf"\b(?:any|open|job)\s+(?:\w+\s+)?{_JOB}\b",
    rf"\b{_JOB}\s+(?:available|open)\b",
    rf"\b{_JOB}\s+for\s+me\b",
    # "do you have an opening", "is there a vacancy", "are there any internships"
    rf"\b(?:do|does|would|will)\s+(?:you|your\s+{_WORKPLACE}|they)\s+have\s+{_ANY}\s+"
    rf"(?:\w+\s+)?{_JOB}",
    rf"\b(?:is|are)\s+there\s+{_ANY}\s+(?:\w+\s+)?{_JOB}",
    # "are you hiring", "is your team hiring"
    rf"\b(?:are\s+you|is\s+your\s+{_WORKPLACE}|is\s+\w+)\s+(?:still\s+|currently\s+)?hiring\b",
    # "hire me", "employ me", "be hired by you", "get hired at your company"
    r"\b(?:hire|hiring|employ|recruit|recruiting|onboard)\s+me\b",
    r"\b(?:be|get|getting)\s+hired\s+(?:by\s+you|at\s+your|by\s+your|on\s+your|into\s+your)\b",
    r"\bemployment\s+(?:at|with)\s+(?:you|your)\b",
    # "consider me for a role", "refer me for the open position", "a referral for a role"
    rf"\bconsider(?:ed)?\s+(?:me\s+)?for\s+{_ANY}\s+(?:\w+\s+)?{_JOB}",
    rf"\brefer\s+me\s+(?:for|to)\s+{_ANY}\s+(?:\w+\s+)?{_JOB}",
    rf"\breferral\s+for\s+{_ANY}\s+(?:\w+\s+)?{_JOB}",
    # "to be referred for a role", "get referred for a job at Acme"
    rf"\b(?:be|get|getting|being)\s+referred\s+(?:for|to)\s+{_ANY}\s+(?:\w+\s+)?{_JOB}",
    r"\bput\s+in\s+a\s+(?:good\s+)?word\s+for\s+me\b",
    # "give me a job", "help me get a position", "secure a role at your company"
    rf"\b(?:give|offer|find|get)\s+me\s+{_ANY}\s+(?:\w+\s+)?{_JOB}",
    rf"\bhelp\s+me\s+(?:to\s+)?(?:get|land|find|secure)\s+{_ANY}\s+(?:\w+\s+)?{_JOB}",
    rf"\bsecure\s+(?:{_ANY}\s+)?(?:\w+\s+)?(?:{_JOB}|employment)\b",
    # "I am looking for a job at your company", "apply for a position with your firm"
    rf"\b(?:looking|searching|applying|apply)\s+(?:for|to)\s+{_ANY}\s+(?:\w+\s+)?{_JOB}",
    rf"\bapply\s+(?:to|at|with)\s+your\s+{_WORKPLACE}",
    rf"\b(?:i|i'm|i'd|me|to)\s+(?:\w+\s+){{0,3}}?join(?:ing)?\s+your\s+{_WORKPLACE}",
    r"\bwork\s+for\s+you\b",
    # a résumé sent along: "attached is my CV", "my resume is attached", "pass my CV on"
    r"\b(?:attached|attaching|attach|enclosed|enclosing|enclose)\b.{0,30}?"
    r"\b(?:resume|cv|curriculum vitae)\b",
    r"\b(?:resume|cv|curriculum vitae)\b.{0,20}?\b(?:attached|enclosed)\b",
    r"\b(?:pass|forward|send|share)\s+(?:you\s+|along\s+|on\s+)?my\s+(?:resume|cv)\b",
]
_NEGATED = re.compile(r"\b(?:not|never|no)\b|n't\b")
_CLAUSE = re.compile(r"[.;!?,:()]|\bbut\b")


@dataclass(frozen=True)
class JobAsk:
    """One line that asks for a job: its number (1-based) and the words that do."""

    line: int
    words: str


def _plain(text: str) -> str:
    """Lower case, plain apostrophes, accents off (résumé → resume); same length
    per character is not needed: only the words matched are shown."""
    text = text.replace("’", "'").replace("‘", "'")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return text.lower()


def _negated(line: str, start: int) -> bool:
    """Whether the clause holding the match says no before it ("I'm not asking for a job")."""
    before = line[:start]
    clause = _CLAUSE.split(before)[-1]
    return bool(_NEGATED.search(clause))


def job_asks(text: str) -> list[JobAsk]:
    """R13: the lines of `text` that ask for a job, each with the words that do."""
    found: list[JobAsk] = []
    for number, raw in enumerate(text.splitlines() or [text], 1):
        line = _plain(raw)
        for pattern in _PATTERNS:
            match = next(
                (m for m in re.finditer(pattern, line) if not _negated(line, m.start())), None
            )
            if match is not None:
                found.append(JobAsk(number, " ".join(match.group(0).split())))
                break
    return found


def check_not_a_job_request(parts: Mapping[str, str | None], force: bool) -> str | None:
    """R13 for something recorded: each part (named by its option) may not ask for a
    job. Refused without --force; with it, a warning."""
    asks = [(name, ask) for name, value in parts.items() if value for ask in job_asks(value)]
    if not asks:
        return None
    where = "; ".join(
        f'{name} asks for a job ("{ask.words}"'
        + (f", line {ask.line})" if "\n" in (parts[name] or "") else ")")
        for name, ask in asks
    )
    message = (
        f"{where}. An informational interview is not to secure employment: you ask "
        "to learn about their work (R13)."
    )
    if force:
        return message + " Recorded anyway (--force)."
    raise RuleBroken(
        message,
        hint="Ask what you want to learn instead (how they got there, what the work is "
        "like), or add --force.",
    )
