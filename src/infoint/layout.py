"""Fitting screens to the terminal: which columns of a table to keep, how wide each
is, and where a long line breaks with a hanging indent.

Pure functions of the text and a width, so the layout of every screen can be pinned
by a test at 50, 80 or 120 columns. The rules, in order:

1. a column that must never wrap (a handle: the one thing users copy) keeps its
   full width;
2. the other columns may wrap at spaces, down to a comfortable width;
3. when even that does not fit, the lowest-priority columns are dropped;
4. what room is left goes to the most important columns first;
5. a table that cannot keep its essential columns (priority 1 and 2: who a row is
   and where it stands) side by side is stacked instead: each row's unwrappable
   cells on one line, the rest under them, hanging (see `stack`).
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Sequence
from typing import NamedTuple

#: The width when nothing says otherwise (not a terminal, no COLUMNS): Rich's too.
DEFAULT_WIDTH = 80
#: Below this a screen is not laid out any narrower; the terminal wraps the rest.
NARROWEST = 30
#: Between two columns of a table.
GAP = 2
#: Columns of this priority or better must be on screen: rather stacked than dropped.
ESSENTIAL = 2


def cell_len(text: str) -> int:
    """How many terminal cells `text` takes: wide (CJK) characters take two,
    combining marks none."""
    if text.isascii():
        return len(text)
    return sum(
        0
        if unicodedata.combining(char)
        else 2
        if unicodedata.east_asian_width(char) in ("W", "F")
        else 1
        for char in text
    )


def width(columns: str | None = None, terminal: int | None = None) -> int:
    """The width to lay a screen out for: $COLUMNS, else the terminal's, else 80."""
    text = (columns if columns is not None else os.environ.get("COLUMNS", "")).strip()
    if text.isdigit() and int(text) > 0:
        return max(int(text), NARROWEST)
    if terminal is None:
        try:
            terminal = os.get_terminal_size(1).columns
        except OSError:
            terminal = 0
    return max(terminal, NARROWEST) if terminal else DEFAULT_WIDTH


def height(lines: str | None = None, terminal: int | None = None) -> int:
    """The terminal's height in lines: $LINES, else the terminal's, else 24."""
    text = (lines if lines is not None else os.environ.get("LINES", "")).strip()
    if text.isdigit() and int(text) > 0:
        return int(text)
    if terminal is None:
        try:
            terminal = os.get_terminal_size(1).lines
        except OSError:
            terminal = 0
    return terminal or 24


class Column(NamedTuple):
    """A table column: `priority` 0 is never dropped, higher numbers go first;
    `wrap=False` keeps every cell on one line at its full width."""

    title: str
    priority: int
    wrap: bool = True
    comfortable: int = 10


def _words(text: str) -> list[str]:
    return [w for line in text.splitlines() for w in line.split(" ") if w]


def _natural(title: str, cells: Sequence[str]) -> int:
    lines = [title, *(line for cell in cells for line in cell.splitlines())]
    return max((cell_len(line) for line in lines), default=0)


def fit(
    columns: Sequence[Column], cells: Sequence[Sequence[str]], room: int, gap: int = GAP
) -> list[int | None]:
    """The width of each column within `room` cells, or None for a dropped column.

    `cells` holds the plain text of each row, one string per column."""
    natural = [_natural(c.title, [row[i] for row in cells]) for i, c in enumerate(columns)]
    minimum: list[int] = []
    for i, column in enumerate(columns):
        if not column.wrap:
            minimum.append(natural[i])
            continue
        longest = max(
            (cell_len(w) for row in cells for w in _words(row[i])),
            default=0,
        )
        title_word = max((cell_len(w) for w in _words(column.title)), default=0)
        wanted = max(column.comfortable, min(longest, 2 * column.comfortable), title_word)
        minimum.append(min(natural[i], wanted))
    kept = list(range(len(columns)))

    def total(widths: Sequence[int]) -> int:
        return sum(widths[i] for i in kept) + gap * max(len(kept) - 1, 0)

    while total(minimum) > room:
        droppable = [i for i in kept if columns[i].priority > 0]
        if not droppable:
            break
        kept.remove(max(droppable, key=lambda i: (columns[i].priority, i)))
    widths = list(minimum)
    spare = room - total(widths)
    for i in sorted(kept, key=lambda i: (columns[i].priority, i)):
        if spare <= 0:
            break
        grow = min(spare, natural[i] - widths[i])
        widths[i] += grow
        spare -= grow
    return [widths[i] if i in kept else None for i in range(len(columns))]


def lost_essential(columns: Sequence[Column], widths: Sequence[int | None]) -> bool:
    """Whether `fit` had to drop a column the screen is not worth showing without."""
    return any(w is None and c.priority <= ESSENTIAL for c, w in zip(columns, widths, strict=True))


def stack(columns: Sequence[Column], cells: Sequence[Sequence[str]], room: int) -> list[str]:
    """Each row as a block, for a screen too narrow for the table: the cells that
    never wrap (a handle) on the first line, then the others, most important first,
    joined by " · " and hanging four cells in; past the essential ones each is named
    by its column ("role Editor", "ID 3"). Empty cells ("", "—") are left out."""
    first = [i for i, c in enumerate(columns) if c.priority == 0]
    rest = sorted(
        (i for i, c in enumerate(columns) if c.priority > 0), key=lambda i: columns[i].priority
    )
    lines: list[str] = []
    for row in cells:
        lines.append((" " * GAP).join(" ".join(row[i].split()) for i in first))
        body = " · ".join(
            _labelled(columns[i], " ".join(row[i].split())) for i in rest if row[i].strip("— ")
        )
        if body:
            lines += ["    " + line for line in wrap_words(body, max(room - 4, 8))]
    return lines


def _labelled(column: Column, text: str) -> str:
    if column.priority <= ESSENTIAL:
        return text
    title = column.title if column.title.isupper() else column.title.lower()
    return f"{title} {text}"


def wrap_words(text: str, room: int) -> list[str]:
    """`text` broken at spaces into lines of at most `room` cells; a word longer
    than that is cut (nothing else can be done with it)."""
    room = max(room, 1)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split(" "):
            while cell_len(word) > room:
                if current:
                    lines.append(current)
                    current = ""
                cut = _cut(word, room)
                lines.append(word[:cut])
                word = word[cut:]
            if not current and not word:
                continue  # no line starts with the space it broke at
            candidate = f"{current} {word}" if current else word
            if cell_len(candidate) <= room:
                current = candidate
            else:
                lines.append(current)
                current = word
        lines.append(current)
    return lines


def clip(text: str, room: int) -> str:
    """`text` cut to at most `room` cells (a wide character counts twice)."""
    return text[: _cut(text, room)] if cell_len(text) > room else text


def pad(text: str, cells: int) -> str:
    """`text` followed by spaces up to `cells` cells (wide characters count twice)."""
    return text + " " * max(cells - cell_len(text), 0)


def _cut(word: str, room: int) -> int:
    used = 0
    for n, char in enumerate(word):
        used += cell_len(char)
        if used > room:
            return max(n, 1)
    return len(word)


def hang(
    first: str, text: str, room: int, paint: Callable[[str, int], str] | None = None
) -> list[str]:
    """`first` then `text` wrapped to `room`, the later lines indented under the
    start of `text`: a hanging indent. When that leaves too little room, `text`
    starts on the next line, indented by four. `paint(line, at)` may style each
    line of `text` (`at`: where in `text` it starts)."""
    lead = cell_len(first)
    if room - lead >= 16:
        head, indent, body = first, " " * lead, wrap_words(text, room - lead)
        lines = []
    else:
        head, indent, body = "    ", "    ", wrap_words(text, max(room - 4, 8))
        lines = [first.rstrip()]
    at = 0
    for n, line in enumerate(body):
        if paint is not None and line:
            at = text.find(line, at)
            shown = paint(line, at)
            at += len(line)
        else:
            shown = line
        lines.append((head if n == 0 else indent) + shown)
    return lines


def table(
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    room: int,
    paint: Callable[[int, int, str], str] | None = None,
) -> list[str]:
    """A table fitted to `room` cells (see `fit`), as lines of plain text: the titles,
    then each row, its cells wrapped at spaces within their column. `paint(row, col,
    text)` may style a cell's text (row -1 is the titles) after it is laid out. On a
    screen too narrow for the essential columns beside the handle, row by row
    (`stack`)."""
    widths = fit(columns, rows, room)
    if lost_essential(columns, widths):
        return stack(columns, rows, room)
    kept = [i for i, w in enumerate(widths) if w is not None]
    gap = " " * GAP

    def line(row: int, cells: Sequence[str]) -> str:
        parts = []
        for text, i in zip(cells, kept, strict=True):
            shown = paint(row, i, text) if paint is not None and text else text
            parts.append(shown + " " * ((widths[i] or 0) - cell_len(text)))
        return gap.join(parts).rstrip()

    lines = [line(-1, [columns[i].title for i in kept])]
    for n, row in enumerate(rows):
        cells = [wrap_words(row[i], widths[i] or 1) if columns[i].wrap else [row[i]] for i in kept]
        for k in range(max(len(c) for c in cells)):
            lines.append(line(n, [c[k] if k < len(c) else "" for c in cells]))
    return lines
