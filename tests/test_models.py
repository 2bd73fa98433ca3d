"""Rules about a single record live on the models: the cap, the three parts, the mode."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from pydantic import ValidationError

from build import Doc, days
from conftest import NOW
from infoint.models import Meeting, Outreach, StoreDoc, empty_store

BASE = {"id": 1, "contact": "c", "created_at": NOW, "updated_at": NOW}


def meeting(**fields: object) -> Meeting:
    data = {**BASE, "start": NOW, "minutes": 30, "mode": "phone", **fields}
    return Meeting.model_validate(data)


@pytest.mark.parametrize("minutes", [0, 31, 45, -5])
def test_a_meeting_longer_than_thirty_minutes_is_invalid(minutes: int) -> None:
    with pytest.raises(ValidationError):
        meeting(minutes=minutes)


def test_in_person_needs_a_place() -> None:
    with pytest.raises(ValidationError, match="needs a place"):
        meeting(mode="in_person")
    with pytest.raises(ValidationError, match="needs a place"):
        meeting(mode="in_person", place="  ")
    assert meeting(mode="in_person", place="Cafe").place == "Cafe"


def test_a_venue_goes_with_in_person_only() -> None:
    with pytest.raises(ValidationError, match="--venue"):
        meeting(mode="video", venue="cafe")


@pytest.mark.parametrize(
    ("venue", "pay"),
    [("cafe", True), ("restaurant", True), ("bar", True), ("office", False), (None, False)],
)
def test_r8_you_pay_at_a_cafe_restaurant_or_bar(venue: str | None, pay: bool) -> None:
    m = meeting(mode="in_person", place="Somewhere", venue=venue)
    assert m.you_pay is pay


def test_end_is_start_plus_minutes() -> None:
    assert meeting(minutes=20).end == NOW + timedelta(minutes=20)


@pytest.mark.parametrize("blank", ["who_i_am", "why_you", "goal"])
def test_r1_an_outreach_record_needs_three_parts(blank: str) -> None:
    data = {**BASE, "at": NOW, "who_i_am": "me", "why_you": "you", "goal": "learn", blank: " "}
    with pytest.raises(ValidationError, match=f"--{blank.replace('_', '-')}"):
        Outreach.model_validate(data)


def test_naive_times_are_refused_in_the_store() -> None:
    with pytest.raises(ValidationError):
        meeting(start=datetime(2026, 12, 3, 10, 0))


def test_the_store_document_keeps_unknown_fields_everywhere() -> None:
    built = Doc()
    c = built.contact()
    built.outreach(c, days(-1))
    raw = built.doc.model_dump(mode="json")
    raw["extra_top"] = [1, 2]
    raw["contacts"][0]["pronouns"] = "she/her"
    raw["events"][0]["thread_id"] = "abc"
    raw["next_id"]["invoice"] = 4
    again = StoreDoc.model_validate(raw).model_dump(mode="json")
    assert again["extra_top"] == [1, 2]
    assert again["contacts"][0]["pronouns"] == "she/her"
    assert again["events"][0]["thread_id"] == "abc"
    assert again["next_id"]["invoice"] == 4


def test_an_unknown_event_kind_is_refused() -> None:
    raw = empty_store().model_dump(mode="json")
    raw["events"] = [{**BASE, "kind": "telegram", "at": NOW.isoformat()}]
    with pytest.raises(ValidationError):
        StoreDoc.model_validate(raw)


def test_schema_version_must_be_an_integer() -> None:
    with pytest.raises(ValidationError):
        StoreDoc.model_validate({"schema_version": "1"})
    with pytest.raises(ValidationError):
        StoreDoc.model_validate({"schema_version": 1.5})
    assert StoreDoc.model_validate({"schema_version": 2}).contacts == []
