"""Records as plain values (records.py): handles from names in any script, capped, and
checked when a user picks one."""

from __future__ import annotations

import pytest

from infoint.errors import BadInput
from infoint.records import HANDLE_MAX, check_handle, make_handle, slugify


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


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("李小龙", "li-xiao-long"),
        ("山田 太郎", "shan-tian-tai-lang"),
        ("김민수", "gim-min-su"),
        ("Владимир Набоков", "vladimir-nabokov"),
        ("Ελένη Παπαδάκη", "eleni-papadaki"),
        ("Nguyễn Văn An", "nguyen-van-an"),
        ("José 🙂", "jose"),
        ("🙂", ""),
    ],
)
def test_handles_are_transliterated_from_any_script(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_a_long_name_makes_a_capped_handle_cut_between_words() -> None:
    long_name = " ".join(["Bartholomew"] * 40)
    handle = make_handle(long_name, set(), 3)
    assert len(handle) <= HANDLE_MAX and not handle.endswith("-")
    assert handle == "-".join(["bartholomew"] * 3)
    assert len(make_handle("x" * 400, set(), 3)) == HANDLE_MAX


@pytest.mark.parametrize(
    ("wanted", "taken", "result"),
    [
        ("jane", set(), "jane"),
        ("  Jane-D ", set(), "jane-d"),
        ("jane", {"jane"}, "taken"),
        ("jane doe", set(), "cannot be a handle"),
        ("42", set(), "cannot be a handle"),
        ("-jane", set(), "cannot be a handle"),
        ("a" * 41, set(), "at most 40"),
    ],
)
def test_check_handle(wanted: str, taken: set[str], result: str) -> None:
    if result in ("jane", "jane-d"):
        assert check_handle(wanted, taken) == result
    else:
        with pytest.raises(BadInput, match=result):
            check_handle(wanted, taken)
