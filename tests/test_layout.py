"""Fitting screens to the terminal (layout.py): stacking a table is the last resort."""

from __future__ import annotations


def test_stacking_is_the_last_resort() -> None:
    from infoint import layout

    columns = [
        layout.Column("Handle", 0, wrap=False),
        layout.Column("Name", 1),
        layout.Column("Tags", 4),
    ]
    cells = [["a-very-long-handle-indeed", "Ann Lee", "—"]]
    assert not layout.lost_essential(columns, layout.fit(columns, cells, 40))
    assert layout.lost_essential(columns, layout.fit(columns, cells, 30))
    assert layout.stack(columns, cells, 30) == ["a-very-long-handle-indeed", "    Ann Lee"]
