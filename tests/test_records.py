"""Records as plain values (records.py): handles from names in any script."""

from __future__ import annotations

import pytest

from infoint.records import slugify


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Ñandú Müller", "nandu-muller"),
        ("A.B. C", "a-b-c"),
        ("Søren Kierkegaard", "soren-kierkegaard"),
        ("Łukasz Żółw", "lukasz-zolw"),
        ("Æsa Straße", "aesa-strasse"),
    ],
)
def test_more_slugs(name: str, slug: str) -> None:
    assert slugify(name) == slug
