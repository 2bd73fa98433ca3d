"""Seeing progress: the week ahead, the funnel of a search, and the advice gathered.

Pure functions of (records, settings, now), like the rules they build on.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, TypedDict

from infoint import rules
from infoint.agenda import FollowUp
from infoint.identity import shown_names

if TYPE_CHECKING:
    from infoint.models import Meeting, Settings, StoreDoc

FUNNEL = ("prospects", "contacted", "replied", "agreed", "met", "mentors")
_STOP = frozenset(
    (
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "do",
        "for",
        "from",
        "get",
        "have",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "they",
        "this",
        "to",
        "up",
        "was",
        "we",
        "what",
        "when",
        "who",
        "will",
        "with",
        "you",
        "your",
        "yours",
        "about",
        "all",
        "also",
        "can",
        "one",
        "out",
        "over",
        "very",
    )
)


class Stage(TypedDict):
    """One stage of the funnel: how many reached it, and the share of the stage before."""

    stage: str
    count: int
    rate: float | None


class ChannelReplies(TypedDict):
    """First messages sent on one channel, and how many of them got a reply."""

    sent: int
    replied: int
    rate: float


class Stats(TypedDict):
    """What `stats` shows (and `stats --json` prints, key for key)."""

    moved_on: int
    since: str | None
    funnel: list[Stage]
    reply_rate_by_channel: dict[str, ChannelReplies]
    median_days_to_reply: float | None
    meetings_per_month: dict[str, int]
    referral_yield: float | None
    spent: float


class Advice(TypedDict):
    """One piece of advice: what was said, by whom, when (ISO 8601)."""

    advice: str
    who: str
    when: str


class Theme(TypedDict):
    """Words two or more people used in their advice, with that advice."""

    theme: str
    people: list[str]
    advice: list[Advice]


class Insights(TypedDict):
    """What `insights` shows: the themes, and every piece of advice."""

    themes: list[Theme]
    advice: list[Advice]


# the agenda --------------------------------------------------------------------------------


@dataclass
class Day:
    day: date
    meetings: list[tuple[Meeting, str, str]] = field(default_factory=list)  # meeting, name, prep
    due: list[FollowUp] = field(default_factory=list)


def agenda(
    doc: StoreDoc,
    settings: Settings,
    now: datetime,
    days: int,
    candidates: list[FollowUp] | None = None,
    twins: Collection[str] = (),
) -> list[Day]:
    """The coming `days` days in the local zone: meetings, and follow-ups by due day.
    `candidates`: the follow-ups of every contact, when the caller has them already;
    `twins`: the names more than one contact goes by, when `doc` holds only some."""
    today = now.astimezone().date()
    out = [Day(today + timedelta(days=n)) for n in range(days)]
    by_day = {d.day: d for d in out}
    names = {c.uuid: c for c in doc.contacts}
    shown = shown_names((c for c in doc.contacts if not c.archived), twins)
    for meeting in sorted(doc.meetings, key=lambda m: m.start):
        contact = names.get(meeting.contact)
        day = by_day.get(meeting.start.astimezone().date())
        if day is None or contact is None or meeting.status == "cancelled" or contact.archived:
            continue
        prep = (
            "prep done"
            if rules.prep_complete(contact, settings)
            else rules.prep_gaps(contact, settings)
        )
        day.meetings.append((meeting, shown[contact.uuid], prep))
    if candidates is None:
        candidates = rules.candidates(rules.histories(doc, now).values(), settings)
    start = now.astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    horizon = start + timedelta(days=days)
    for item in candidates:
        if not (item.open_at(now) or now < item.opens < horizon):
            continue
        when = now if item.due < now else item.due  # what is overdue belongs to today
        slot = by_day.get(when.astimezone().date())
        if slot is not None:
            slot.due.append(item)
    for day in out:
        day.due.sort(key=lambda f: (f.due, f.who.name))
    return out


# the funnel and its rates ------------------------------------------------------------------


def stats(
    doc: StoreDoc,
    settings: Settings,
    now: datetime,
    since: datetime | None,
    others: Iterable[tuple[str, datetime, str | None]] = (),
    quiet: tuple[int, list[str]] | None = None,
) -> Stats:
    """The funnel, reply rates by channel, time to reply, meetings by month, referrals.
    `others`: (uuid, created, referred by) of contacts with nothing recorded that are
    not in `doc`; or, with no `since`, `quiet`: how many they are and which of them
    were referred (what the index counts)."""
    hist = rules.histories(doc, now)
    people = [
        h for h in hist.values() if since is None or h.contact.created_at >= since or h.events
    ]
    counts = Counter[str]()
    referred_others: set[str] = set()
    for uuid, created, referred_by in others:
        if since is None or created >= since:
            counts[FUNNEL[0]] += 1
            if referred_by is not None:
                referred_others.add(uuid)
    if quiet is not None:
        counts[FUNNEL[0]] += quiet[0]
        referred_others.update(quiet[1])
    reply_days: list[float] = []
    channels: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for h in people:
        outreach = [
            e for e in h.events if rules.is_outreach(e) and (since is None or e.at >= since)
        ]
        replies = [e for e in h.events if rules.is_reply(e) and (since is None or e.at >= since)]
        met = [
            m for m in h.meetings if rules.meeting_status(m, now) == "done"
            and (since is None or m.start >= since)
        ]  # fmt: skip
        # reaching a stage means having passed the ones before it (a referral's meeting
        # counts as contacted, replied and agreed), so each rate is at most 100%
        reached = (
            5 if any(m.keep_in_touch for m in met)
            else 4 if met
            else 3 if any(r.answer == "agreed" for r in replies)
            else 2 if replies
            else 1 if outreach
            else 0
        )  # fmt: skip
        for stage in FUNNEL[: reached + 1]:
            counts[stage] += 1
        for first in outreach[:1]:
            answered = next((r for r in replies if r.at >= first.at), None)
            channels[first.channel][0] += 1
            channels[first.channel][1] += answered is not None
            if answered is not None:
                reply_days.append((answered.at - first.at).total_seconds() / 86400)
    funnel: list[Stage] = []
    for i, stage in enumerate(FUNNEL):
        previous = counts[FUNNEL[i - 1]] if i else None
        rate = counts[stage] / previous if previous else None
        funnel.append({"stage": stage, "count": counts[stage], "rate": rate})
    months: Counter[str] = Counter(
        m.start.astimezone().strftime("%Y-%m")
        for m in doc.meetings
        if rules.meeting_status(m, now) == "done" and (since is None or m.start >= since)
    )
    conversations = counts["met"]
    referred = {  # new people you were pointed to: by a reply, or added as referred
        e.referred_to
        for e in doc.events
        if rules.is_reply(e) and e.referred_to and (since is None or e.at >= since)
    } | {c.uuid for c in doc.contacts if c.referred_by and (since is None or c.created_at >= since)}
    paid = [m.paid for m in doc.meetings if m.paid and (since is None or m.start >= since)]
    moved_on = sum(  # R2: no reply in time; let go with not-now, or still waiting to be
        rules.contact_status(h, settings, now) == "moved_on" for h in people
    )
    return {
        "moved_on": moved_on,
        "since": since.isoformat() if since else None,
        "funnel": funnel,
        "reply_rate_by_channel": {
            ch: {"sent": sent, "replied": got, "rate": got / sent}
            for ch, (sent, got) in sorted(channels.items())
        },
        "median_days_to_reply": statistics.median(reply_days) if reply_days else None,
        "meetings_per_month": dict(sorted(months.items())),
        "referral_yield": len(referred | referred_others) / conversations
        if conversations
        else None,
        "spent": round(sum(paid), 2) if paid else 0,
    }


# insights ------------------------------------------------------------------------------------


def words(text: str) -> set[str]:
    """The words of a piece of advice that carry its meaning (plurals folded)."""
    out = set()
    for word in re.findall(r"[a-zà-ÿ][a-zà-ÿ0-9+#'-]*", text.lower()):
        word = word.split("'")[0].strip("-")
        if len(word) < 3 or word in _STOP:
            continue
        if word.endswith("ies") and len(word) > 4:
            word = word[:-3] + "y"
        elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
            word = word[:-1]
        out.add(word)
    return out


def insights(doc: StoreDoc) -> Insights:
    """Advice from every meeting; themes (words) that two or more people used first."""
    names = {c.uuid: c.name for c in doc.contacts}
    advice: list[Advice] = []
    for m in sorted(doc.meetings, key=lambda m: m.start):
        for text in m.advice:
            advice.append(
                {"advice": text, "who": names.get(m.contact, "?"), "when": m.start.isoformat()}
            )
    by_word: dict[str, list[Advice]] = defaultdict(list)
    for item in advice:
        for word in words(item["advice"]):
            by_word[word].append(item)
    # words that gather exactly the same advice are one theme ("learn / sql")
    groups: dict[tuple[int, ...], list[str]] = defaultdict(list)
    members: dict[tuple[int, ...], list[Advice]] = {}
    for word, items in by_word.items():
        key = tuple(sorted(id(i) for i in items))
        groups[key].append(word)
        members[key] = items
    themes: list[Theme] = []
    for key, group in groups.items():
        people = sorted({i["who"] for i in members[key]})
        if len(people) >= 2:
            themes.append(
                {"theme": " / ".join(sorted(group)), "people": people, "advice": members[key]}
            )
    themes.sort(key=lambda t: (-len(t["people"]), -len(t["advice"]), t["theme"]))
    # a theme whose advice all sits inside a theme of as many people adds nothing
    kept: list[Theme] = []
    for theme in themes:
        ids = {id(i) for i in theme["advice"]}
        if not any(
            ids <= {id(i) for i in k["advice"]} and len(k["people"]) >= len(theme["people"])
            for k in kept
        ):
            kept.append(theme)
    return {"themes": kept, "advice": advice}


def markdown(found: Insights, title: str = "Career research: what people told me") -> str:
    lines = [f"# {title}", ""]
    if found["themes"]:
        lines += ["## What several people said", ""]
        for theme in found["themes"]:
            lines.append(f"### {theme['theme']} ({len(theme['people'])} people)")
            lines += [f"- {i['advice']} — {i['who']}, {i['when'][:10]}" for i in theme["advice"]]
            lines.append("")
    lines += ["## Every piece of advice", ""]
    lines += [f"- {i['advice']} — {i['who']}, {i['when'][:10]}" for i in found["advice"]] or [
        "- (none yet)"
    ]
    return "\n".join(lines) + "\n"
