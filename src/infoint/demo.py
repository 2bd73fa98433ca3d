"""A demo store: a dozen people at every stage of a search, with a few months of
history, written into a folder of its own so a newcomer can explore safely."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from infoint.errors import BadInput
from infoint.files import Paths
from infoint.records import ContactFields

PEOPLE = [
    (
        "Jane Doe",
        "Acme Publishing",
        "Editorial Director",
        "Publishing",
        "Built Acme's design team.",
    ),
    ("Sam Lee", "Northwind", "Product Designer", "Design", "Wrote the essay on design critique."),
    ("Ana Ruiz", "Fjord Studio", "Design Director", "Design", "Runs the best portfolio reviews."),
    ("Bo Chen", "Chen & Partners", "Founder", "Consulting", "Left banking to start a studio."),
    (
        "Ada Lovelace",
        "Analytical Engines",
        "Principal Engineer",
        "Software",
        "Bridges design and code.",
    ),
    ("Grace Hopper", "US Navy", "Rear Admiral", "Software", "Makes hard ideas simple."),
    ("Linus O'Neil", "Fjord Studio", "Researcher", "Design", "Talks about research ops."),
    (
        "María José Núñez",
        "Librería Océano",
        "Editora jefe",
        "Publishing",
        "Publishes design books.",
    ),
    ("Chidi Okafor", "Good Place Labs", "Ethics Lead", "Research", "Switched from academia."),
    ("Tahani Al-Jamil", "Al-Jamil Foundation", "Director", "Nonprofit", "Knows everyone."),
    ("Eleanor Shellstrop", "Arizona Dept", "Analyst", "Government", "A career changer too."),
    ("Katherine Johnson", "NASA", "Mathematician", "Research", "Precision in everything."),
]
INTRO = "I am a data analyst moving into product design."


def build(home: Path, now: datetime) -> int:
    """Write the demo into `home`; refuses a folder that already holds a store."""
    from infoint.services import Tracker

    paths = Paths.from_env({"INFOINT_HOME": str(home)})
    if paths.store_file.exists() or paths.journal_file.exists():
        raise BadInput(
            f"{home} already holds a store; the demo only writes into a new folder.",
            hint="Pick another folder: infoint demo --home infoint-demo-2",
        )
    clock = {"now": now - timedelta(days=120)}
    tracker = Tracker(paths, clock=lambda: clock["now"])
    tracker.config_set("me.intro", INTRO)
    tracker.config_set("me.name", "Alex Kim")
    tracker.config_set("max_nudges", "1")  # so the demo can show a nudge

    def later(**delta: float) -> None:
        clock["now"] = clock["now"] + timedelta(**delta)

    for name, company, role, industry, why in PEOPLE:
        tracker.add_contact(
            name, ContactFields(company=company, role=role, industry=industry, why=why)
        )
        later(hours=3)
    handles = [c.handle for c in tracker.read().contacts]
    goal = "Learn which skills matter most for a first design role."
    # the first eight were written to over the months; the last four are still prospects
    for n, handle in enumerate(handles[:8]):
        tracker.outreach(handle, None, f"{PEOPLE[n][4]} I'd value your view.", goal)
        later(days=2 + n % 4)
        if n < 4:
            tracker.reply(handle, "agreed", note="Happy to chat.")
        elif n == 5:
            tracker.reply(handle, "declined", note="Too busy this quarter.")
        elif n == 6:
            tracker.reply(handle, "referred", referred=handles[8])
        later(days=4)
    advice = [
        ["Build a portfolio of three case studies", "Learn to present your work"],
        ["Your portfolio matters more than your CV", "Ask for critique early"],
        ["Learn SQL well", "Write about what you learn"],
    ]
    for n, handle in enumerate(handles[1:4]):
        start = clock["now"] + timedelta(days=3)
        tracker.schedule(handle, start.replace(hour=10, minute=0), None, "phone")
        clock["now"] = start.replace(hour=11)
        tracker.done(str(n + 1), notes="Generous with time.", advice=advice[n], keep_in_touch=n < 2)
        later(hours=4)
        tracker.thank(handle, note="Thank you for the time and the advice.")
        later(days=5)
    clock["now"] = now - timedelta(hours=2)
    tracker.prep(
        handles[0],
        "Led the 2024 redesign; writes about hiring juniors.",
        ["What did your first design role look like?"],
    )
    tracker.schedule(
        handles[0],
        (now + timedelta(days=1)).replace(hour=10, minute=0),
        None,
        "in_person",
        "Blue Bottle, 1 Main St",
        "cafe",
    )
    tracker.reply(handles[4], "agreed", on=now - timedelta(hours=30))
    # written to a week ago, no answer yet: a nudge is allowed (max_nudges 1)
    eleanor = handles[10]
    tracker.outreach(eleanor, None, PEOPLE[10][4], goal, sent=now - timedelta(days=8, hours=3))
    return len(tracker.read().contacts)
