"""Every message ends with advice the user can act on, for a Keras 3 target, a Keras 2 target and a range spanning
both (issue 12): over every rule and every entry of the replacement table."""
import ast
import re

import pytest

from keras_backend_lint import rules
from keras_backend_lint.engine import Settings, check_tree
from keras_backend_lint.replacements import REPLACEMENTS
from keras_backend_lint.surface import load
from keras_backend_lint.versions import parse_target

KERAS3, KERAS2, RANGE = "3", "2.15", ">=2.12,<3.4"
#: a clause of a message's advice part (after what was found) that the user can act on starts with one of these
ADVICE = re.compile(
    r"(?:^|; |: |, )(?:for Keras [23] )?(?:or )?(?:use|import|keep|remove|pass|call|add|require|define|set|"
    r"see https://|branch|compute|express|replace|drop|configure|assign|please report|did you mean|install|"
    r"it is TensorFlow's)"
    r"\b"
)
STALE = ("docs/migration.md", "keep to names of the target")

#: (rule, source, targets it fires for): one triggering case per rule
CASES = [
    ("KBL101", "import keras.backend.tensorflow_backend as KTF\n", (KERAS3, KERAS2, RANGE)),
    ("KBL101", "from tensorflow.compat.v1.keras import backend as K\n", (KERAS3, RANGE)),
    ("KBL102", "from keras.backend import get_session\n", (KERAS3, KERAS2, RANGE)),
    ("KBL103", "from keras.backend import *\n", (KERAS3, KERAS2, RANGE)),
    ("KBL104", "import keras\nfrom tensorflow import keras as tfk\n", ("2.2.4", ">=2.2,<3.4")),
    ("KBL105", "from tensorflow.python.keras import layers\n", (KERAS3, KERAS2, RANGE)),
    ("KBL106", "from keras.engine.topology import Layer, Network\n", (KERAS3, KERAS2, RANGE)),
    ("KBL106", "import keras.layers.merge\n", (KERAS3, KERAS2, RANGE)),
    ("KBL106", "import keras.layers.normalization\n", (KERAS3, RANGE)),
    ("KBL107", "from keras.layers import CuDNNLSTM\n", (KERAS3, KERAS2, RANGE)),
    ("KBL107", "from keras.applications.imagenet_utils import _obtain_input_shape\n", (KERAS3, KERAS2, RANGE)),
    ("KBL107", "from keras.layers import Layer, NoSuchLayer\n", (KERAS3, KERAS2, RANGE)),
    ("KBL108", "import keras\nkeras.utils.np_utils.to_categorical([1])\n", (KERAS3, KERAS2, RANGE)),
    ("KBL201", "from keras import backend as K\nK.get_session()\n", (KERAS3, KERAS2, RANGE)),
    ("KBL202", "from keras import backend as K\nK.not_a_backend_name()\n", (KERAS3, KERAS2, RANGE)),
    ("KBL202", "from keras import backend as K\nK.reduce_mean(1)\n", (KERAS3, KERAS2, RANGE)),
    ("KBL203", "from keras import backend as K\nK._get_available_gpus()\n", (KERAS3, KERAS2, RANGE)),
    ("KBL204", "from keras import backend as K\nK.tf.constant(1)\n", (KERAS3, KERAS2, RANGE)),
    ("KBL204", "from keras import backend as K\nK.tensorflow_backend\n", (KERAS3, KERAS2, RANGE)),
    ("KBL301", "from keras import backend as K\nif K.backend() == 'theano':\n    pass\n", (KERAS3, KERAS2, RANGE)),
    ("KBL302", "import os\nimport keras\nos.environ['KERAS_BACKEND'] = 'jax'\n", (KERAS3, RANGE)),
    (
        "KBL401",
        "import keras\nimport tensorflow as tf\n\n\nclass L(keras.layers.Layer):\n"
        "    def call(self, x):\n        return tf.random.normal(tf.shape(x))\n",
        (KERAS3, RANGE),
    ),
]


def messages(source, target, code=None):
    settings = Settings(parse_target(target))
    found = check_tree(ast.parse(source), settings, text=source)
    return [v.message for v in found if code is None or v.code == code]


def assert_advice(message):
    """The message's advice part (after what was found) holds a clause a user can act on; a note may follow it
    (``use keras.ops.zeros(...); K.zeros returned a variable``), a bare observation may not end the message."""
    assert not any(s in message for s in STALE), message
    plain, previous = message, None
    while plain != previous:  # notes in parentheses (nested too) may hold their own semicolons
        previous, plain = plain, re.sub(r"\([^()]*\)", "", plain)
    found, advice = plain.split("; ", 1) if "; " in plain else ("", plain)
    assert ADVICE.search(advice), f"no advice in: {message}"


def test_every_rule_has_a_case():
    # KBL5xx read dependency files, not Python (issue 13); their messages are tested with their readers
    python_rules = {r.code for r in rules.RULES if not r.code.startswith("KBL5")}
    assert {code for code, _, _ in CASES} == python_rules - {"KBL000"}


@pytest.mark.parametrize("code,source,targets", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_messages_end_with_advice(code, source, targets):
    for target in targets:
        found = messages(source, target, code)
        assert found, f"{code} does not fire for {target}"
        for message in found:
            assert_advice(message)


def test_internal_error_message_ends_with_advice():
    assert_advice(rules.internal_error(RuntimeError("boom")))


def _keras2_target_missing(name):
    """The newest Keras 2 release whose keras.backend lacks ``name`` (None: every Keras 2 release has it)."""
    for release in reversed([r for r in load().releases if r.version.major == 2]):
        if release.has("keras", name) is False:
            return release.label
    return None


NAMES = sorted(REPLACEMENTS)


@pytest.mark.parametrize("name", NAMES)
def test_replacement_messages_end_with_advice_for_every_kind_of_target(name):
    source = f"from keras import backend as K\nK.{name}\n"
    targets = [KERAS3, RANGE]
    keras2 = _keras2_target_missing(name)
    if keras2 is not None:
        targets.append(keras2)
    for target in targets:
        found = messages(source, target)
        for message in found:
            assert_advice(message)
    if not load().newest(3).has("keras", name):
        assert messages(source, KERAS3), f"K.{name} is in the table but not reported for Keras 3"


def test_range_message_names_the_split_and_offers_no_fix():
    settings = Settings(parse_target(RANGE))
    source = "from keras import backend as K\nK.mean(1)\n"
    (found,) = check_tree(ast.parse(source), settings, text=source)
    assert found.message.endswith(
        "no single spelling covers Keras 2.12-2.15, 3.0-3.3: for Keras 3 use keras.ops.mean; for Keras 2 keep K.mean"
    )
    assert found.fix == rules.NO_FIX  # keras.ops.mean would break 2.12-2.15


def test_keras2_advice_spells_tensorflow():
    assert messages("from keras import backend as K\nK.logsumexp(1)\n", KERAS2)[0].endswith(
        "use tf.math.reduce_logsumexp"
    )
    assert messages("from keras import backend as K\nK.is_tensor(1)\n", KERAS2)[0].endswith("use tf.is_tensor")


def test_int_shape_leads_with_the_static_shape():
    (message,) = messages("from keras import backend as K\nK.int_shape(1)\n", KERAS3)
    assert message.split("; ", 1)[1].startswith("use tuple(x.shape)")  # the replacement table's hint leads with it


def test_random_ops_warn_about_jax_tracing():
    (message,) = messages("from keras import backend as K\nK.random_normal((2,))\n", KERAS3)
    assert "JAX tracing" in message and message.endswith("pass seed=keras.random.SeedGenerator() kept on the layer")


@pytest.mark.parametrize(
    "name,suggested",
    [("resize", "K.resize_images"), ("meen", "K.mean"), ("sqaure", "K.square"), ("expnad_dims", "K.expand_dims")],
)
def test_unknown_name_suggestions_are_plausible(name, suggested):
    (message,) = messages(f"from keras import backend as K\nK.{name}(1)\n", KERAS3)
    assert message.endswith(f"did you mean {suggested}")


def test_no_far_fetched_suggestion():
    (message,) = messages("from keras import backend as K\nK.set_backend('jax')\n", KERAS3)
    assert "did you mean" not in message
