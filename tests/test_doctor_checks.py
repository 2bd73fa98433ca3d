"""What `doctor` finds through the services: a damaged or conflicting change log, a bad copy."""

from __future__ import annotations

from pathlib import Path

import pytest

from infoint import doctor
from infoint.errors import BadInput
from infoint.records import ContactFields
from infoint.services import Tracker


def test_doctor_names_a_damaged_change_log_line(tracker: Tracker) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    tracker.edit("jane-doe", ContactFields(role="Editor"))
    tracker.edit("jane-doe", ContactFields(role="Director"))
    path = tracker.paths.journal_file
    lines = path.read_text().splitlines(keepends=True)
    lines[0] = lines[0].replace("Editor", "Editrix")
    path.write_text("".join(lines))
    (error,) = [f for f in tracker.doctor() if f.level == "error"]
    assert "Line 1 of the change log" in error.what and error.fix == "infoint doctor --restore"


def test_doctor_names_a_conflicting_change_log(tracker: Tracker) -> None:
    tracker.add_contact("Jane Doe", ContactFields())
    (tracker.paths.data_dir / "journal (conflicted copy).jsonl").write_text("")
    fixes = [f.fix for f in tracker.doctor() if f.fix]
    assert any("journal (conflicted copy).jsonl" in (fix or "") for fix in fixes)


def test_load_copy_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    with pytest.raises(BadInput, match=str(bad)):
        doctor.load_copy(bad)
