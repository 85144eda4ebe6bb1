"""The package's JSON data, read from beside this module."""
from __future__ import annotations

import os


def read_data(name: str) -> str:
    """The text of ``data/<name>``. A plain read: ``importlib.resources`` would cost every flake8 run about a
    millisecond of imports; it is the fallback for an install a plain path cannot read (a zipped package)."""
    try:
        with open(os.path.join(os.path.dirname(__file__), "data", name), encoding="utf-8") as handle:
            return handle.read()
    except OSError:
        from importlib import resources

        # one joined path: a zipped install's path takes a single argument on Python 3.9
        return resources.files(__package__).joinpath(f"data/{name}").read_text(encoding="utf-8")
