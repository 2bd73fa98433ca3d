"""Follow-ups as data: what `infoint followups` shows, kept free of pydantic so the
store's index can serve the morning look without loading the records."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from infoint.vocabulary import FollowUpKind

if TYPE_CHECKING:
    from infoint.rules import History


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 person`, `3 people`, `2 prospects`."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def quote(text: str) -> str:
    """Quote a value for a suggested command line."""
    import shlex

    return shlex.quote(text)


@dataclass(frozen=True)
class Who:
    """Whom a follow-up is about: enough to show and name them."""

    uuid: str
    handle: str
    name: str


@dataclass(frozen=True)
class Prospects:
    """Contacts not reached yet, counted for R2's "move on to others"."""

    total: int = 0
    by_industry: dict[str, int] = field(default_factory=dict)
    by_company: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, hist: Iterable[History]) -> Prospects:
        total, industry, company = 0, Counter[str](), Counter[str]()
        for h in hist:
            c = h.contact
            if c.archived or h.events or h.meetings:
                continue
            total += 1
            if c.industry:
                industry[c.industry.lower()] += 1
            if c.company:
                company[c.company.lower()] += 1
        return cls(total, dict(industry), dict(company))

    def others(self, industry: str | None, company: str | None) -> tuple[str, str]:
        """The tail of a move_on message and the command that lists the others."""
        for where, counts in ((industry, self.by_industry), (company, self.by_company)):
            if where and counts.get(where.lower()):
                count = counts[where.lower()]
                return (
                    f"; {plural(count, 'person', 'people')} in {where} not yet contacted",
                    f"infoint contacts --status prospect --search {quote(where)}",
                )
        if self.total:
            return (
                f"; {plural(self.total, 'prospect')} not yet contacted",
                "infoint contacts --status prospect",
            )
        return "; find someone new to admire", 'infoint add-contact "NAME" --why "…"'


@dataclass(frozen=True)
class FollowUp:
    """Something you owe someone: open from `opens` until `closes` (None: until a
    record settles it), overdue after `due`. `text` may hold `{since}` (filled with
    "2 days ago" at the moment shown), `{day}` (the day of `since`: "5 Nov") and, for
    move_on, `{others}`."""

    kind: FollowUpKind
    who: Who
    opens: datetime
    due: datetime
    text: str
    command: str
    closes: datetime | None = None
    meeting: int | None = None
    since: datetime | None = None
    industry: str | None = None
    company: str | None = None

    def open_at(self, as_of: datetime) -> bool:
        return self.opens <= as_of and (self.closes is None or as_of < self.closes)

    def overdue(self, as_of: datetime) -> bool:
        return self.due < as_of

    def render(self, as_of: datetime, prospects: Prospects) -> tuple[str, str]:
        """The message and the command, as of a moment."""
        from infoint.dates import ago

        text, command = self.text, self.command
        if "{since}" in text and self.since is not None:
            text = text.replace("{since}", ago(self.since, as_of))
        if "{day}" in text and self.since is not None:  # `5 Nov`, with its year if not this one
            day, now = self.since.astimezone(), as_of.astimezone()
            year = f" {day.year}" if day.year != now.year else ""
            text = text.replace("{day}", f"{day.day} {day:%b}{year}")
        if "{others}" in text:  # move_on: the command resolves it; the text names others
            tail, _ = prospects.others(self.industry, self.company)
            text = text.replace("{others}", tail)
        return text, command


def due_at(items: Iterable[FollowUp], as_of: datetime) -> list[FollowUp]:
    """The follow-ups open at `as_of`, overdue first, then by due time."""
    found = [f for f in items if f.open_at(as_of)]
    found.sort(key=lambda f: (not f.overdue(as_of), f.due, f.who.name))
    return found


@dataclass(frozen=True)
class NextMeeting:
    name: str
    start: datetime
    minutes: int
    mode: str


@dataclass
class DueView:
    """Everything the morning look shows, as of one moment."""

    as_of: datetime
    items: list[FollowUp]
    prospects: Prospects
    contacts: int
    this_week: int = 0
    next_meeting: NextMeeting | None = None


def view(
    candidates: list[FollowUp],
    as_of: datetime,
    prospects: Prospects,
    contacts: int,
    upcoming: Iterable[NextMeeting],
) -> DueView:
    """Pick what is open at `as_of`, count what opens within a week, find the next meeting."""
    week = as_of + timedelta(days=7)
    soon = sum(1 for c in candidates if as_of < c.opens <= week and c.open_at(c.opens))
    later = sorted((m for m in upcoming if m.start >= as_of), key=lambda m: m.start)
    return DueView(
        as_of, due_at(candidates, as_of), prospects, contacts, soon, later[0] if later else None
    )


# the index's JSON form -------------------------------------------------------------

_TIMES = ("opens", "due", "closes", "since")


def followup_to_json(item: FollowUp) -> dict[str, Any]:
    """The follow-up as JSON (what `asdict` gives, without its deep copies)."""
    data = {**vars(item), "who": dict(vars(item.who))}
    for key in _TIMES:
        if data[key] is not None:
            data[key] = data[key].isoformat()
    return data


def followup_from_json(data: dict[str, Any]) -> FollowUp:
    values = dict(data)
    values["who"] = Who(**values["who"])
    for key in _TIMES:
        if values.get(key) is not None:
            values[key] = datetime.fromisoformat(values[key])
    return FollowUp(**values)
