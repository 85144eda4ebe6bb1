"""Per-call-site rewrites of control flow: the learning phase (``K.in_train_phase``), ``K.switch``,
``K.print_tensor``, and the shapes the real-function differential needed (``K.reshape`` of a numpy array,
``K.batch_flatten`` of a backend op). The golden files are ``tests/fixtures/fix/KBL201_phase*.py`` and
``KBL201_control*.py``; here the edge cases and the reasons given for what is left."""
import pytest

from keras_backend_lint.engine import default_settings
from keras_backend_lint.fixer import fix_source, fix_text
from keras_backend_lint.versions import resolve_target
from test_fixer import _check_invariants

SETTINGS = default_settings(resolve_target("3.15"))
HEAD = "from keras import backend as K\n\n\n"


def _left(source, unsafe=False):
    """(name, kind, reason) of what the fixer leaves."""
    result = fix_text(source, SETTINGS, unsafe=unsafe)
    return [(v.message.split(" ", 1)[0], kind, reason) for v, kind, reason in result.left]


TWO_COMPUTED = ("class L:\n    def call(self, x, training=None):\n"
                "        return K.in_train_phase(x + 1, x * 2, training)\n")
SAFE = [
    pytest.param(
        HEAD + "class L:\n    def call(self, x, training=None):\n        def f():\n            return x * 2\n"
        "        return [K.in_train_phase(f, x, training=training) for _ in range(3)]\n",
        "\n\nclass L:\n    def call(self, x, training=None):\n        def f():\n            return x * 2\n"
        "        return [f() if training else x for _ in range(3)]\n",
        id="in-a-comprehension-no-parentheses",
    ),
    pytest.param(
        HEAD + "class L:\n    def call(self, x, training=None):\n"
        "        return K.in_train_phase(lambda: x * 2, x, training=training).shape\n",
        "\n\nclass L:\n    def call(self, x, training=None):\n        return (x * 2 if training else x).shape\n",
        id="attribute-of-the-result-parenthesized",
    ),
    pytest.param(
        HEAD + "def f(x):\n    return K.in_train_phase(lambda: x if x else -x, x, training=True)\n",
        "\n\ndef f(x):\n    return x if x else -x\n",
        id="literal-flag-conditional-body",
    ),
    pytest.param(
        HEAD + "def f(x):\n    return -K.in_test_phase(x, lambda: x if x else 0, training=1)\n",
        "\n\ndef f(x):\n    return -(x if x else 0)\n",
        id="in-test-phase-literal-flag-operand",
    ),
    pytest.param(
        HEAD + TWO_COMPUTED,
        HEAD + TWO_COMPUTED,
        id="two-computed-branches-left",
    ),
    pytest.param(
        "import tensorflow as tf\nfrom keras import backend as K\n\n\ndef f(t, a, b):\n"
        "    return K.switch(tf.shape(t)[0] > 0, a, b)\n",
        "import tensorflow as tf\nfrom keras import ops\n\n\ndef f(t, a, b):\n"
        "    return ops.cond(tf.shape(t)[0] > 0, lambda: a, lambda: b)\n",
        id="switch-on-a-dimension",
    ),
    pytest.param(
        HEAD + "def f(x):\n    return K.batch_flatten(K.expand_dims(-x))\n",
        "from keras import ops\n\n\ndef f(x):\n"
        "    return ops.reshape(ops.expand_dims(-x, axis=-1), (ops.shape(ops.expand_dims(-x, axis=-1))[0], -1))\n",
        id="batch-flatten-of-a-nested-deterministic-op",
    ),
    pytest.param(
        "import numpy\nfrom keras import backend as K\n\n\ndef f(x, s):\n    shape = numpy.array(s, dtype=float)\n"
        "    return K.reshape(x, shape)\n",
        "import numpy\nfrom keras import ops\n\n\ndef f(x, s):\n    shape = numpy.array(s, dtype=float)\n"
        "    return ops.reshape(x, shape.astype(\"int32\"))\n",
        id="reshape-numpy-name",
    ),
    pytest.param(
        "import numpy as np\nfrom keras import backend as K\n\n\ndef f(x, shape):\n    if shape is None:\n"
        "        shape = np.ones(2)\n    return K.reshape(x, shape)\n",
        "import numpy as np\nfrom keras import ops\n\n\ndef f(x, shape):\n    if shape is None:\n"
        "        shape = np.ones(2)\n    return ops.reshape(x, shape)\n",
        id="reshape-parameter-is-not-known-to-be-numpy",
    ),
    # a module alias shadowed in the file (here a parameter) is not known to be the module at the call
    pytest.param(
        "import tensorflow as tf\nfrom keras import backend as K\n\n\ndef f(tf, t, a, b):\n"
        "    return K.switch(tf.shape(t)[0] > 0, a, b)\n",
        "import tensorflow as tf\nfrom keras import backend as K\n\n\ndef f(tf, t, a, b):\n"
        "    return K.switch(tf.shape(t)[0] > 0, a, b)\n",
        id="switch-on-a-shadowed-tf-is-left",
    ),
    pytest.param(
        "try:\n    import tensorflow as tf\nexcept ImportError:\n    tf = None\nif tf is None:\n"
        "    import tensorflow.compat.v1 as tf\nfrom keras import backend as K\n\n\ndef f(t, a, b):\n"
        "    return K.switch(tf.shape(t)[0] > 0, a, b)\n",
        "try:\n    import tensorflow as tf\nexcept ImportError:\n    tf = None\nif tf is None:\n"
        "    import tensorflow.compat.v1 as tf\nfrom keras import ops\n\n\ndef f(t, a, b):\n"
        "    return ops.cond(tf.shape(t)[0] > 0, lambda: a, lambda: b)\n",
        id="switch-on-tf-from-an-optional-import",
    ),
    pytest.param(
        "import numpy as np\nfrom keras import backend as K\n\n\ndef f(x, np):\n    shape = np.ones(2)\n"
        "    return K.reshape(x, shape)\n",
        "import numpy as np\nfrom keras import ops\n\n\ndef f(x, np):\n    shape = np.ones(2)\n"
        "    return ops.reshape(x, shape)\n",
        id="reshape-shadowed-numpy-name-is-not-numpy",
    ),
]


@pytest.mark.parametrize("before, after", SAFE)
def test_safe(before, after):
    fixed = fix_source(before, SETTINGS)
    assert fixed == after
    _check_invariants(before, fixed)


def test_left_with_their_reasons():
    source = HEAD + (
        "def helper(x, training=None):\n    return K.in_train_phase(lambda: x, x * 2, training=training)\n\n\n"
        "def no_flag(x):\n    return K.in_train_phase(lambda: x, x)\n\n\n"
        "def flag(x, layer):\n    return K.in_train_phase(lambda: x, x, training=layer.training)\n\n\n"
        "def odd(x):\n    return K.in_train_phase(lambda: x, x, training=2)\n\n\n"
        "def with_args(x, training):\n    return K.in_train_phase(lambda y: y, x, training=training)\n\n\n"
        "def rows(c, a, b):\n    return K.switch(c, a, b)\n\n\n"
        "def lazy(c, a):\n    return K.switch(K.sum(c) > 0, compute(a), a)\n\n\n"
        "def debug(x):\n    return K.print_tensor(x)\n\n\n"
        "class L:\n    def call(self, x, training=None):\n        if training is None:\n"
        "            training = K.learning_phase()\n        return K.in_train_phase(lambda: x, x, training=training)\n"
        "\n\nclass M:\n    def call(self, x, train=None):\n"
        "        return K.in_train_phase(lambda: x, x, training=train)\n"
    )
    reasons = {reason for _, _, reason in _left(source)}
    kinds = {kind for _, kind, _ in _left(source)}
    assert kinds == {"unsafe", "not-fixed", "manual"}  # manual: K.learning_phase
    joined = "\n".join(sorted(reasons))
    for words in ("fills only the training argument of a Layer's call", "Keras 3 has no learning phase",
                  "a tensor (traced code needs keras.ops.cond)", "training=2 is neither a bool nor 0/1",
                  "a lambda with parameters", "keras.ops.where needs tensors", "keras.ops.cond runs only the one taken",
                  "the print is dropped"):
        assert words in joined, words
    assert len(_left(source)) == 11  # with the K.learning_phase() that has no fix
    # with --unsafe-fixes all but the two that have no fix are rewritten
    assert [(kind, reason[:20]) for _, kind, reason in _left(source, unsafe=True)] == [
        ("not-fixed", "training=2 is neithe"), ("not-fixed", "a branch is a lambda"),
        ("manual", "Keras 3 has no globa")]


def test_unknown_branch_kind_is_decided_at_run_time():
    source = HEAD + "class L:\n    def call(self, x, training=None):\n" \
                    "        return K.in_train_phase(self.noise, x, training=training)\n"
    fixed = fix_source(source, SETTINGS)
    assert "(self.noise() if callable(self.noise) else self.noise) if training else" in fixed
    _check_invariants(source, fixed)


@pytest.mark.keras3
def test_the_rewritten_functions_run_as_keras_2_did():
    """The learning-phase rewrite keeps K.in_train_phase's meaning for Python flags (checked here on numpy)."""
    import keras
    source = HEAD + (
        "class L:\n    def call(self, x, training=None):\n"
        "        return K.in_train_phase(lambda: x * 2, x, training=training)\n"
    )
    scope = {}
    exec(compile(fix_source(source, SETTINGS), "<fixed>", "exec"), scope)
    layer = scope["L"]()
    x = keras.ops.ones((2,))
    assert keras.ops.convert_to_numpy(layer.call(x, training=True)).tolist() == [2.0, 2.0]
    for flag in (False, None, 0):
        assert keras.ops.convert_to_numpy(layer.call(x, training=flag)).tolist() == [1.0, 1.0]
