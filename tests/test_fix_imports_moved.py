"""KBL106/KBL107 fixes (keras_backend_lint/fixes/imports_moved.py): edge cases beside the golden files."""
import ast

import pytest

from keras_backend_lint.engine import check_source, default_settings
from keras_backend_lint.fixer import fix_source
from keras_backend_lint.fixes.imports_moved import apply_edits, plan_import_fixes
from keras_backend_lint.versions import resolve_target

KERAS3 = default_settings(resolve_target("3.15"))
KERAS28 = default_settings(resolve_target("2.8"))


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "from keras.layers.merge import concatenate\n",
            "from keras.layers import concatenate\n",
            id="module-gone",
        ),
        pytest.param(
            "from keras.models import Model, Input\n",
            "from keras.models import Model\nfrom keras import Input\n",
            id="split-kept-and-moved",
        ),
        pytest.param(
            "if True:\n    from keras.models import Model, Input\n",
            "if True:\n    from keras.models import Model\n    from keras import Input\n",
            id="split-keeps-indentation",
        ),
        pytest.param(
            "from keras.models import Model, Input\r\nx = 1\r\n",
            "from keras.models import Model\r\nfrom keras import Input\r\nx = 1\r\n",
            id="crlf",
        ),
        pytest.param(
            "import os; from keras.models import Model, Input\n",
            "import os; from keras.models import Model; from keras import Input\n",
            id="after-semicolon",
        ),
        pytest.param(
            "from keras.utils.np_utils import to_categorical as onehot  # labels\n",
            "from keras.utils import to_categorical as onehot  # labels\n",
            id="alias-and-trailing-comment",
        ),
        pytest.param(
            "x = 'é'; from keras.engine.topology import Layer\n",
            "x = 'é'; from keras.layers import Layer\n",
            id="non-ascii-before-the-statement",
        ),
    ],
)
def test_fixes(before, after):
    assert fix_source(before, KERAS3) == after
    assert fix_source(after, KERAS3) == after


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("from keras.layers.merge import (\n    concatenate,  # why\n)\n", id="comment-inside"),
        pytest.param("from keras.engine.topology import Layer, Network\n", id="one-name-has-nowhere-to-go"),
        pytest.param("from keras.layers import CuDNNLSTM\n", id="no-same-object"),
        pytest.param("try:\n    from keras.layers.merge import add\nexcept ImportError:\n    pass\n", id="guarded"),
        pytest.param("from keras.layers.merge import *\n", id="star"),
    ],
)
def test_left_alone(source):
    assert fix_source(source, KERAS3) == source


def test_plain_module_import_keeps_its_binding():
    """``import keras.layers.merge`` binds ``keras``: it becomes the longest part of the path the target has."""
    assert fix_source("import keras.layers.merge\n", KERAS3) == "import keras.layers\n"
    assert fix_source("import keras.layers.merge as m\n", KERAS3) == "import keras.layers.merge as m\n"


def test_target_decides():
    """Keras 2.8 still has keras.layers.merge: nothing to fix; keras.engine.Layer moved there too."""
    assert fix_source("from keras.layers.merge import add\n", KERAS28) == "from keras.layers.merge import add\n"
    assert fix_source("from keras.engine import Layer\n", KERAS28) == "from keras.layers import Layer\n"


def test_select_and_ignore():
    source = "from keras.layers.merge import add\n"
    assert fix_source(source, KERAS3, ignore=["KBL106"]) == source
    assert fix_source(source, KERAS3, select=["KBL106"]) == "from keras.layers import add\n"


def test_plan_is_positions_and_text():
    """The planning function the fixer calls: whole-statement edits, character columns."""
    source = "import os\nfrom keras.engine.topology import Layer, InputSpec\n"
    tree = ast.parse(source)
    edits = plan_import_fixes(tree, source, check_source(source, KERAS3), KERAS3)
    assert edits == [((2, 0, 2, 50), "from keras.layers import Layer, InputSpec")]
    assert apply_edits(source, edits) == "import os\nfrom keras.layers import Layer, InputSpec\n"
