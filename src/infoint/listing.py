"""The contacts listing: who `infoint contacts` lists, in which order, and the table
it prints, from the index's rows alone (no record is read; neither pydantic nor
Rich is imported).

`select` is the one place that filters and sorts contacts: `Tracker.contacts_page`
(the JSON listing, which prints whole records) calls it on the index the tracker
keeps up to date, `page` on the index as it stands when that is valid.
`screens.contacts_screen` prints the table for both front doors (actions.contacts).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from infoint.vocabulary import STATUSES, Status

if TYPE_CHECKING:
    from infoint.files import Paths
    from infoint.index import Index

#: A contact's row in the index (index.row_of), its status and when you were last in touch.
Found = tuple[list[Any], Status, datetime | None]


#: Orders of the listing (`--sort`); `last-touch` puts the most recent first and
#: those never touched last.
SORTS: dict[str, Callable[[Found], Any]] = {
    "id": lambda item: item[0][1],
    "name": lambda item: (item[0][3].lower(), item[0][1]),
    "company": lambda item: ((item[0][4] or "\uffff").lower(), item[0][3].lower()),
    "status": lambda item: (STATUSES.index(item[1]), item[0][3].lower()),
    "last-touch": lambda item: (item[2] is None, -(item[2].timestamp() if item[2] else 0)),
}


class Query(NamedTuple):
    """What `contacts` was asked for: its filters, its order and how many to show."""

    status: str | None = None
    tag: str | None = None
    search: str | None = None
    include_archived: bool = False
    sort: str = "id"
    limit: int | None = None


class Listed(NamedTuple):
    """One line of the listing: what the table shows of a contact."""

    id: int
    handle: str
    name: str
    company: str | None
    role: str | None
    tags: list[str]
    status: Status
    last: datetime | None


class Page(NamedTuple):
    """The contacts shown, how many matched, and how many there are in all."""

    shown: list[Listed]
    matched: int
    everyone: int


def select(
    index: Index, now: datetime, query: Query
) -> list[tuple[list[Any], Status, datetime | None]]:
    """The index rows of the contacts that match, with status and last touch, sorted;
    all of them (`query.limit` is for the caller)."""
    status, tag, search, include_archived, sort, _ = query
    from infoint.errors import BadInput
    from infoint.index import matches

    if sort not in SORTS:
        raise BadInput(f"Contacts sort by {', '.join(SORTS)} (not {sort!r}).")
    per = index.follow()["per"]
    needle = search.lower() if search else None
    wanted_tag = tag.lower() if tag else None
    out = []
    for row in index.rows():
        if needle and not matches(row, needle):
            continue
        if wanted_tag and wanted_tag not in (t.lower() for t in row[9]):
            continue
        entry = per.get(row[0])
        st: Status = "archived" if row[6] else "prospect"
        last = None
        if entry is not None:
            st = entry["status"]
            if st == "moved_on" and entry["opens"] and now < datetime.fromisoformat(entry["opens"]):
                st = "contacted"
            if entry["last"]:
                last = datetime.fromisoformat(entry["last"])
        if st == "archived" and not (include_archived or status == "archived"):
            continue
        if status and st != status:
            continue
        out.append((row, st, last))
    if sort != "id":  # the rows are in id order already
        out.sort(key=SORTS[sort])
    return out


def page(index: Index, now: datetime, query: Query) -> Page:
    """The first `limit` contacts that match (all when None), as the table shows them."""
    found = select(index, now, query)
    shown = found if query.limit is None else found[: max(query.limit, 0)]
    return Page(
        [Listed(r[1], r[2], r[3], r[4], r[11], r[9], st, last) for r, st, last in shown],
        len(found),
        index.count,
    )


def valid_index(paths: Paths) -> Index | None:
    """The index, when it is valid for the store as it is now; None otherwise (the
    tracker then brings it up to date)."""
    from infoint.files import check_folder
    from infoint.index import Index

    check_folder(paths.data_dir)
    if not paths.store_file.exists() and not paths.logs():
        return None
    return Index.open(paths)
