"""The package itself: modules small enough to read, and every old import path still
naming what moved out of it (issue 10)."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "infoint"

#: Modules allowed past the limit, each with its reason: none since the store engine's
#: modules were split too.
LONGER: set[str] = set()
LIMIT = 400


def test_no_module_is_over_400_lines() -> None:
    too_long = {
        str(path.relative_to(SRC)): len(path.read_text().splitlines())
        for path in SRC.rglob("*.py")
        if str(path.relative_to(SRC)) not in LONGER
    }
    assert {name: n for name, n in too_long.items() if n > LIMIT} == {}


#: (where people import it from, the name, the module it lives in now)
MOVED = [
    ("infoint.rules", "History", "infoint.rules.standing"),
    ("infoint.rules", "contact_status", "infoint.rules.standing"),
    ("infoint.rules", "let_go", "infoint.rules.standing"),
    ("infoint.rules", "check_outreach", "infoint.rules.checks"),
    ("infoint.rules", "prep_gaps", "infoint.rules.checks"),
    ("infoint.rules", "candidates", "infoint.rules.due"),
    ("infoint.rules", "followups", "infoint.rules.due"),
    ("infoint.rules", "STATUSES", "infoint.vocabulary"),
    ("infoint.render", "history_table", "infoint.render.data"),
    ("infoint.render", "config_table", "infoint.render.data"),
    ("infoint.render", "findings", "infoint.render.data"),
    ("infoint.formats.common", "Row", "infoint.formats.row"),
    ("infoint.formats.common", "emails_of", "infoint.formats.row"),
    ("infoint.formats.common", "decode", "infoint.formats.text"),
    ("infoint.formats.common", "read_text", "infoint.formats.text"),
    ("infoint.formats.common", "delimiter_of", "infoint.formats.table"),
    ("infoint.formats.common", "read_table", "infoint.formats.table"),
    ("infoint.formats.common", "zip_member", "infoint.formats.zips"),
    ("infoint.formats.common", "BadInput", "infoint.errors"),
    ("infoint.formats.vcard", "parse_property", "infoint.formats.vcard_syntax"),
    ("infoint.formats.vcard", "split_escaped", "infoint.formats.vcard_syntax"),
    ("infoint.formats.vcard", "write", "infoint.formats.vcard_write"),
    ("infoint.formats.vcard", "fold", "infoint.formats.vcard_write"),
    ("infoint.formats.vcard", "split_name", "infoint.formats.vcard_write"),
    ("infoint.index", "Index", "infoint.index_read"),
    ("infoint.index", "due_view", "infoint.index_read"),
    ("infoint.index", "source_key", "infoint.index_keys"),
    ("infoint.index", "crc_file", "infoint.index_keys"),
    ("infoint.index", "Stale", "infoint.index_keys"),
    ("infoint.index", "bucket_of", "infoint.index_keys"),
    ("infoint.index", "row_of", "infoint.index_rows"),
    ("infoint.index", "matches", "infoint.index_rows"),
    ("infoint.index", "Writer", "infoint.index_rows"),
    ("infoint.gitsync", "Git", "infoint.gitsync_git"),
    ("infoint.gitsync", "GitError", "infoint.gitsync_git"),
    ("infoint.gitsync", "Report", "infoint.gitsync_git"),
    ("infoint.gitsync", "TIMEOUT_SECONDS", "infoint.gitsync_git"),
    ("infoint.gitsync", "merge_remote", "infoint.gitsync_merge"),
    ("infoint.gitsync", "_dirty_user_files", "infoint.gitsync_merge"),
    ("infoint.store", "Reader", "infoint.store_read"),
    ("infoint.store", "Loader", "infoint.store_doc"),
    ("infoint.store", "dump", "infoint.store_doc"),
    ("infoint.store", "temp_files", "infoint.store_doc"),
    ("infoint.store", "diff", "infoint.store_doc"),
    ("infoint.logs", "pending", "infoint.logs_files"),
    ("infoint.logs", "folded_of", "infoint.logs_files"),
    ("infoint.logs", "Line", "infoint.logs_files"),
    ("infoint.logs", "SHARED", "infoint.logs_files"),
    ("infoint.journal", "head", "infoint.journal_heads"),
    ("infoint.journal", "head_number", "infoint.journal_heads"),
    ("infoint.journal", "first_seq", "infoint.journal_heads"),
    ("infoint.journal", "astray", "infoint.journal_heads"),
    ("infoint.cli", "_plain_converter", "infoint.cli.params"),
    ("infoint.cli", "_fast_params", "infoint.cli.params"),
]


@pytest.mark.parametrize(("old", "name", "new"), MOVED)
def test_the_old_import_path_names_the_same_object(old: str, name: str, new: str) -> None:
    assert getattr(importlib.import_module(old), name) is getattr(
        importlib.import_module(new), name
    )


@pytest.mark.parametrize("module", ["infoint.rules", "infoint.render", "infoint.formats.common",
                                    "infoint.formats.vcard", "infoint.index", "infoint.gitsync",
                                    "infoint.store", "infoint.logs"])  # fmt: skip
def test_every_name_a_module_lists_is_there(module: str) -> None:
    names = importlib.import_module(module).__all__
    assert names and all(hasattr(importlib.import_module(module), name) for name in names)


@pytest.mark.parametrize(
    "module",
    [
        "infoint.rules.standing",
        "infoint.rules.checks",
        "infoint.rules.due",
        "infoint.render.data",
        "infoint.formats.row",
        "infoint.formats.text",
        "infoint.formats.table",
        "infoint.formats.zips",
        "infoint.formats.vcard_syntax",
        "infoint.formats.vcard_write",
        "infoint.cli.params",
        "infoint.cli.changes",
    ],
)
def test_a_new_module_imported_first_loads_without_a_cycle(module: str) -> None:
    """In a fresh interpreter, the part imported before its whole: no circular import."""
    parent = module.rsplit(".", 1)[0]
    script = f"import {module}, {parent}\nprint(sorted(vars({module}))[0])"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


#: (a module split out of a module, the module it came out of)
SPLIT = [
    ("infoint.index_keys", "infoint.index"),
    ("infoint.index_read", "infoint.index"),
    ("infoint.index_rows", "infoint.index"),
    ("infoint.gitsync_git", "infoint.gitsync"),
    ("infoint.gitsync_merge", "infoint.gitsync"),
    ("infoint.store_doc", "infoint.store"),
    ("infoint.store_read", "infoint.store"),
    ("infoint.logs_files", "infoint.logs"),
    ("infoint.journal_heads", "infoint.journal"),
]


@pytest.mark.parametrize(("part", "whole"), SPLIT)
def test_a_split_out_module_imported_first_loads_without_a_cycle(part: str, whole: str) -> None:
    """In a fresh interpreter, the part imported before the module it came out of."""
    script = f"import {part}, {whole}\nprint({whole}.__name__)"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == whole
