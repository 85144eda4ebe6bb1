import os
import sys
from pathlib import Path

# Tests that compare our data with the real Keras 3 import it on the dependency-light numpy backend.
os.environ.setdefault("KERAS_BACKEND", "numpy")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(ROOT / "tests"))
