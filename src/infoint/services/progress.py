"""Progress: what is due (followups), the agenda, the stats and the insights."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from infoint import identity, rules
from infoint.agenda import DueView
from infoint.errors import BadInput
from infoint.index import Index
from infoint.services.base import TrackerCore

if TYPE_CHECKING:
    from infoint.models import StoreDoc
    from infoint.progress import Day, Insights, Stats


class ProgressServices(TrackerCore):
    """What to do next and how it is going, mostly from the index."""

    def due(self, as_of: datetime | None = None) -> DueView:
        """What `followups` shows: from the index, or from every record for a moment
        before the latest one recorded."""
        from infoint import index
        from infoint.agenda import NextMeeting, Prospects, view

        moment = as_of or self.clock()
        for _ in range(2):  # the second time, after the index was brought up to date
            found = index.due_view(self.paths, moment)
            if found is not None:
                return found  # type: ignore[no-any-return]
            self.store.index(self._summarize)
        doc = self.read()
        hist = rules.histories(doc, moment).values()
        by_uuid = {c.uuid: c for c in doc.contacts}
        shown = identity.shown_names(c for c in doc.contacts if not c.archived)
        upcoming = [
            NextMeeting(shown.get(m.contact, by_uuid[m.contact].name), m.start, m.minutes, m.mode)
            for m in doc.meetings
            if rules.meeting_status(m, moment) == "planned" and m.contact in by_uuid
        ]
        return view(
            rules.candidates(hist, self.settings),
            moment,
            Prospects.of(hist),
            len(doc.contacts),
            upcoming,
        )

    def agenda(self, days: int) -> list[Day]:
        from infoint import progress

        if not 1 <= days <= 60:
            raise BadInput(f"--days takes 1 to 60 (got {days}).", hint="For example: --days 7")
        now = self.clock()
        # the follow-ups come from the index: the agenda needs no event of its own
        active = self._active(now, events=False)
        if active is None:
            return progress.agenda(self.read(), self.settings, now, days)
        doc, index = active
        from infoint.agenda import followup_from_json

        candidates = self._read_index(
            lambda index: index.told_apart(
                [
                    followup_from_json(f)
                    for entry in index.follow()["per"].values()
                    for f in entry["candidates"]
                ]
            )
        )
        return progress.agenda(doc, self.settings, now, days, candidates, index.twins())

    def stats(self, since: datetime | None = None) -> Stats:
        from infoint import progress

        now = self.clock()
        active = self._active(now)
        if active is None:
            return progress.stats(self.read(), self.settings, now, since)
        doc, index = active
        if since is None:  # the contacts with nothing recorded, counted in the index
            return progress.stats(doc, self.settings, now, None, quiet=index.quiet())
        busy = {c.uuid for c in doc.contacts}
        others = [
            (row[0], datetime.fromisoformat(row[7]), row[8])
            for row in self._read_index(lambda index: index.rows())
            if row[0] not in busy
        ]
        return progress.stats(doc, self.settings, now, since, others)

    def insights(self) -> Insights:
        from infoint import progress

        active = self._active(self.clock())
        return progress.insights(active[0] if active else self.read())

    def _active(self, now: datetime, events: bool = True) -> tuple[StoreDoc, Index] | None:
        """Every contact with events or meetings, with them (their events only when
        `events`), from the index (None when `now` is before the latest moment
        recorded: then every record is read)."""
        from infoint import plain
        from infoint.index import Stale

        index = self._index()
        if now < datetime.fromisoformat(index.valid_from):
            return None
        try:
            activity = index.activity()
        except Stale:
            index = self.store.rebuilt(self._summarize)
            activity = index.activity()
        doc = plain.view()
        doc.contacts = [plain.contact(e["contact"]) for e in activity.values()]
        if events:
            doc.events = [plain.event(r) for e in activity.values() for r in e["events"]]
        doc.meetings = [plain.meeting(r) for e in activity.values() for r in e["meetings"]]
        return doc, index
