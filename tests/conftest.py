import os
import sys
from pathlib import Path

# Tests that compare our data with the real Keras 3 import it on the dependency-light numpy backend.
os.environ.setdefault("KERAS_BACKEND", "numpy")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(ROOT / "tests"))


def pytest_collection_modifyitems(config, items):
    """Keras 3 cannot be installed on Python 3.9: there, and only there, the tests that import it are skipped.
    Everywhere else a missing Keras 3 fails them (the test extra pins it)."""
    if sys.version_info >= (3, 10):
        return
    import pytest

    skip = pytest.mark.skip(reason="Keras 3 needs Python >= 3.10")
    for item in items:
        if "keras3" in item.keywords:
            item.add_marker(skip)
