"""A CSV file as a table: its delimiter found from the header, its rows read with
the line each began on, and a quote left open refused before it swallows the file.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from infoint.errors import BadInput
from infoint.formats.text import MIXED

DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}


def read_as(name: str, encoding: str, delimiter: str | None = None) -> str | None:
    """What to tell the user about how a file was read, when it was not UTF-8 with commas."""
    shown = DELIMITER_NAMES.get(delimiter or "", repr(delimiter))
    separated = f", {shown}-separated" if delimiter else ""
    if encoding.startswith(MIXED):
        where = encoding[len(MIXED) + 1 :]
        return (
            f"Read {name} as UTF-8 text{separated}; the bytes {where} are not UTF-8 and were "
            "read as Windows-1252 (as Excel writes it): check the names there."
        )
    if encoding == "UTF-8" and delimiter in (None, ","):
        return None
    return f"Read {name} as {encoding} text{separated}."


def delimiter_of(header: str) -> str:
    """The delimiter a header line uses: the one of `, ; tab |` seen most outside quotes
    (a comma wins a tie: it is the standard one)."""
    outside = re.sub(r'"[^"]*"', "", header)
    counts = {d: outside.count(d) for d in DELIMITER_NAMES}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


@dataclass
class Table:
    """A CSV as (line number, {column: value}) pairs, with its header and how it was read."""

    header: list[str]
    records: list[tuple[int, dict[str, str]]]
    notices: list[str]


def read_table(text: str, name: str, encoding: str, start: int = 0) -> Table:
    """Rows of a CSV whose header is line `start` (counted from 0); column names are
    kept as written, values are stripped of nothing (the readers do that)."""
    lines = text.splitlines(keepends=True)
    first = lines[start].strip() if start < len(lines) else ""
    named = re.fullmatch(r"\ufeff?sep=([^\"\w\s])", first, flags=re.I)
    if named:  # Excel's first line naming the delimiter: `sep=;`
        start += 1
    body = "".join(lines[start:])
    header_line = lines[start] if start < len(lines) else ""
    delimiter = named[1] if named else delimiter_of(header_line)
    said = read_as(name, encoding, delimiter)
    notices = [said] if said else []
    csv.field_size_limit(32 * 1024 * 1024)
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)
    records: list[tuple[int, dict[str, str]]] = []
    header: list[str] = []
    first_line = 1  # where the record being read began (a quoted value may span lines)
    physical: list[str] = []  # the body's lines as the reader counts them, once needed

    def raw(began: int, end: int) -> str:
        if not physical:
            physical.extend(io.StringIO(body, newline="").readlines())
        return "".join(physical[began - 1 : end])

    try:
        for values in reader:
            began, first_line = first_line, reader.line_num + 1
            if not header:
                header = [h.strip().lstrip("\ufeff") for h in values]
                continue
            if not values:
                continue
            record: dict[str, str] = {}
            for column, value in zip(header, values, strict=False):
                if not (record.get(column) or "").strip():  # a column named twice: the one filled
                    record[column] = value.replace("\r\n", "\n").replace("\r", "\n")
            _no_runaway_quote(
                record,
                delimiter,
                len(header),
                name,
                start + began,
                partial(raw, began, reader.line_num),
            )
            records.append((start + began, record))
    except csv.Error as exc:
        raise BadInput(
            f"{name} is not a readable CSV file (line {start + reader.line_num}: {exc}).",
            hint="Open it in a spreadsheet, save it again as CSV, and import that file.",
        ) from None
    return Table(header, records, notices)


def _no_runaway_quote(
    record: dict[str, str],
    delimiter: str,
    columns: int,
    name: str,
    line: int,
    raw: Callable[[], str],
) -> None:
    """A quote opened and never closed swallows the lines after it into one value,
    and the people on them with it: refuse the file, naming the line, rather than
    import one person and silently drop the others. A value over several lines that
    looks like rows is refused only when its quote does not close cleanly (at the end
    of the file, or just before more text): a note whose second line holds commas
    is welcome."""
    whole_row = max(2, (columns - 1) // 2)
    for column, value in record.items():
        later = value.split("\n")[1:]
        if sum(1 for text in later if text.count(delimiter) >= whole_row) >= 1:
            if _closed_cleanly(raw(), delimiter):
                return
            raise BadInput(
                f"{name}, line {line}: a quote in {column!r} is never closed, so the lines "
                "after it would be read as part of it.",
                hint="Open the file in a spreadsheet or an editor, fix the quote on that "
                "line, and import it again.",
            )


def _closed_cleanly(text: str, delimiter: str) -> bool:
    """Whether the lines of one record read as exactly one record by a strict reader:
    every quote opened is closed, and closed right before a delimiter or a line end."""
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error:
        return False
    return len(rows) == 1


def lower_keys(record: dict[str, str]) -> dict[str, str]:
    return {k.strip().lower(): (v or "") for k, v in record.items()}
