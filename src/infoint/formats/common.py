"""What every reader shares: the `Row` a file line becomes, reading bytes as text
(whatever encoding a phone, Excel or a mail program chose), finding the delimiter of
a CSV, and opening the .zip an export came in without trusting its sizes.

Everything here is a pure function of bytes or text, so the readers can be tested
without a data folder and fuzzed without a disk.

Each of these lives in a module of its own (row, text, table, zips); this one
names them all, so every reader imports what it shares from one place.
"""

from __future__ import annotations

from infoint.errors import BadInput
from infoint.formats.row import (
    CJK,
    FORMULA_STARTS,
    IGNORED_LABELS,
    IMPORTS,
    KIND_NAMES,
    UNNAMED_TAG,
    Parsed,
    Row,
    clean,
    emails_of,
    ignored_label,
    is_linkedin,
    name_or_stand_in,
    unformula,
)
from infoint.formats.table import (
    DELIMITER_NAMES,
    Table,
    delimiter_of,
    lower_keys,
    read_as,
    read_table,
)
from infoint.formats.text import (
    APOSTROPHES,
    BINARY_MAGIC,
    ENCODING_NAMES,
    HIGH_BYTES,
    MIXED,
    UTF8_SEQUENCE,
    decode,
    from_inside,
    guess_kind,
    other_import,
    read_bytes,
    read_text,
)
from infoint.formats.zips import (
    OFFICE,
    ZIP_MEMBER_CAP,
    ZIP_SUFFIXES,
    from_zip,
    is_zip,
    zip_member,
    zip_names,
)

__all__ = [
    "APOSTROPHES",
    "BINARY_MAGIC",
    "CJK",
    "DELIMITER_NAMES",
    "ENCODING_NAMES",
    "FORMULA_STARTS",
    "HIGH_BYTES",
    "IGNORED_LABELS",
    "IMPORTS",
    "KIND_NAMES",
    "MIXED",
    "OFFICE",
    "UNNAMED_TAG",
    "UTF8_SEQUENCE",
    "ZIP_MEMBER_CAP",
    "ZIP_SUFFIXES",
    "BadInput",
    "Parsed",
    "Row",
    "Table",
    "clean",
    "decode",
    "delimiter_of",
    "emails_of",
    "from_inside",
    "from_zip",
    "guess_kind",
    "ignored_label",
    "is_linkedin",
    "is_zip",
    "lower_keys",
    "name_or_stand_in",
    "other_import",
    "read_as",
    "read_bytes",
    "read_table",
    "read_text",
    "unformula",
    "zip_member",
    "zip_names",
]
