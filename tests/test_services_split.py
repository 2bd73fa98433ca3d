"""The services, split by area: small modules, one `Tracker` that has every service."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest

import infoint.services
from infoint.services import Tracker

AREAS = {
    "contacts": "ContactServices",
    "messages": "MessageServices",
    "meetings": "MeetingServices",
    "writing": "WritingServices",
    "data": "DataServices",
    "progress": "ProgressServices",
    "settings": "SettingServices",
}
FOLDER = Path(infoint.services.__file__).parent


def test_every_module_of_the_services_stays_small() -> None:
    sizes = {p.name: len(p.read_text().splitlines()) for p in FOLDER.glob("*.py")}
    assert {f"{area}.py" for area in AREAS} | {"base.py", "__init__.py"} == set(sizes)
    assert max(sizes.values()) <= 400, sizes


@pytest.mark.parametrize("area", sorted(AREAS))
def test_the_tracker_has_every_service_of_an_area_as_written_there(area: str) -> None:
    cls = getattr(importlib.import_module(f"infoint.services.{area}"), AREAS[area])
    assert cls in Tracker.__mro__
    own = [n for n, v in vars(cls).items() if inspect.isfunction(v) and not n.startswith("__")]
    assert own, f"{area} holds no service"
    for name in own:  # nothing in between overrides what the area wrote
        assert getattr(Tracker, name) is vars(cls)[name], name


def test_the_tracker_itself_adds_nothing_to_its_areas() -> None:
    assert not [n for n, v in vars(Tracker).items() if inspect.isfunction(v)]


def test_the_names_imported_from_the_services_are_still_there() -> None:
    from infoint.services import SECTIONS, SETTING_KEYS, Result, find_contact, find_meeting

    assert "me.name" in SETTING_KEYS and SECTIONS == ("me", "mail")
    assert Result(record=None).warnings == [] and callable(find_contact) and callable(find_meeting)


def test_a_service_written_in_an_area_runs_through_the_tracker(tracker: Tracker) -> None:
    from infoint.records import ContactFields

    added = tracker.add_contact("Jane Doe", ContactFields(company="Acme"))  # contacts
    tracker.config_set("max_nudges", "1")  # settings
    tracker.prep("jane-doe", None, ["What changed in your field?"])  # meetings
    text, _ = tracker.draft("jane-doe", "outreach")  # writing
    assert added.record.handle == "jane-doe" and "Acme" in text
    assert tracker.config_get("max_nudges") == 1
    assert [c.handle for c, _, _ in tracker.contacts()] == ["jane-doe"]
    assert len(tracker.history()) == 2  # data: the add and the prep
