"""``microflask.__all__`` is written out for the type checkers (a computed
``__all__`` is invisible to pyright); it must stay the lazy export table's
public names, in order."""

from __future__ import annotations

import microflask


def test_all_is_the_public_part_of_the_export_table() -> None:
    public = [name for name in microflask._EXPORTS if not name.startswith("_")]
    assert microflask.__all__ == ["__version__", "__flask_version__", *public]


def test_every_name_in_all_resolves() -> None:
    for name in microflask.__all__:
        assert getattr(microflask, name) is not None, name
