#!/usr/bin/env bash
# The Keras 2 side of tests/test_differential.py and of the real-function goldens (tools/real_functions_keras2.py):
# TensorFlow 2.15 and tf_keras cannot share an environment with Keras 3, so they get their own virtualenv
# (Python 3.9-3.11). Usage: tools/make_tf215_env.sh DIR
set -euo pipefail
dir=${1:?usage: make_tf215_env.sh DIR}
if [ ! -x "$dir/bin/python" ]; then
    python3 -m venv "$dir"
fi
"$dir/bin/python" -m pip install --quiet "tensorflow-cpu==2.15.*" "tf-keras==2.15.*" numpy
"$dir/bin/python" -c "import tensorflow, tf_keras; print('tf', tensorflow.__version__, 'tf_keras', tf_keras.__version__)"
