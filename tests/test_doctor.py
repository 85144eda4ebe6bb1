"""`keras-backend-lint doctor` on fake environments: a temporary site-packages with *.dist-info folders and a
temporary KERAS_HOME; nothing is installed or imported."""
import io
import json

import pytest

from keras_backend_lint import doctor
from keras_backend_lint.cli import main


def dist(site, name, version, top_level=None, files=None):
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    if top_level is not None:
        (info / "top_level.txt").write_text("\n".join(top_level) + "\n")
    if files is not None:
        (info / "RECORD").write_text("".join(f"{f},,\n" for f in files))


@pytest.fixture
def env(tmp_path, monkeypatch):
    site = tmp_path / "site-packages"
    site.mkdir()
    home = tmp_path / "keras_home"
    home.mkdir()
    for key in ("KERAS_BACKEND", "TF_USE_LEGACY_KERAS"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("KERAS_HOME", str(home))
    return site, home


def run(site, *extra):
    out = io.StringIO()
    code = main(["doctor", "--path", str(site), *extra], stdout=out, stderr=io.StringIO())
    return code, out.getvalue()


def report(site):
    code, out = run(site, "--format", "json")
    return code, json.loads(out)


def test_keras3_alone_is_fine(env):
    site, home = env
    dist(site, "keras", "3.6.0", ["keras"])
    dist(site, "jax", "0.4.30", ["jax"])
    (home / "keras.json").write_text('{"backend": "jax", "image_data_format": "channels_last"}')
    code, data = report(site)
    assert code == 0 and data["ok"] and data["problems"] == []
    assert data["installed"]["keras"]["version"] == "3.6.0" and data["installed"]["jax"]["version"] == "0.4.30"
    assert data["import_keras"] == "keras 3.6.0 (keras)"
    assert data["keras_json"]["backend"] == "jax" and data["keras_json"]["image_data_format"] == "channels_last"
    code, text = run(site)
    assert code == 0 and "import keras gives: keras 3.6.0 (keras)" in text and text.endswith("ok\n")


def test_tensorflow_215_with_its_keras(env):
    site, _ = env
    dist(site, "tensorflow", "2.15.1", ["tensorflow"])
    dist(site, "keras", "2.15.0", ["keras"])
    code, data = report(site)
    assert code == 0, data["problems"]
    assert data["tf.keras"] == "keras 2.15.0 (keras)"


def test_keras2_beside_tensorflow_216_is_two_kerases(env):
    site, _ = env
    dist(site, "tensorflow", "2.16.2", ["tensorflow"])
    dist(site, "keras", "2.15.0", ["keras"])
    code, data = report(site)
    assert code == 1
    assert any("keras 2.15.0 does not fit tensorflow 2.16.2, which requires keras>=3.0.0" in p
               for p in data["problems"])


def test_keras_of_another_minor_than_tensorflow(env):
    site, _ = env
    dist(site, "tensorflow-cpu", "2.12.1", ["tensorflow"])
    dist(site, "keras", "2.11.0", ["keras"])
    code, data = report(site)
    assert code == 1 and "requires keras<2.13,>=2.12.0" in data["problems"][0]


def test_legacy_keras_without_tf_keras(env, monkeypatch):
    site, _ = env
    dist(site, "tensorflow", "2.17.1", ["tensorflow"])
    dist(site, "keras", "3.5.0", ["keras"])
    monkeypatch.setenv("TF_USE_LEGACY_KERAS", "1")
    code, data = report(site)
    assert code == 1
    assert data["tf.keras"].startswith("nothing: TF_USE_LEGACY_KERAS is set")
    assert "pip install tf-keras~=2.17.0" in data["problems"][0]


def test_legacy_keras_with_tf_keras_of_another_minor(env, monkeypatch):
    site, _ = env
    dist(site, "tensorflow", "2.17.1", ["tensorflow"])
    dist(site, "keras", "3.5.0", ["keras"])
    dist(site, "tf-keras", "2.16.0", ["tf_keras"])
    monkeypatch.setenv("TF_USE_LEGACY_KERAS", "true")
    code, data = report(site)
    assert code == 1 and data["tf.keras"].startswith("tf-keras 2.16.0")
    assert data["problems"] == ["tf-keras 2.16.0 does not fit tensorflow 2.17.1; install tf-keras~=2.17.0"]


def test_keras_json_selecting_theano_for_keras3(env):
    site, home = env
    dist(site, "keras", "3.1.0", ["keras"])
    (home / "keras.json").write_text('{"backend": "theano", "image_data_format": "channels_first"}')
    code, data = report(site)
    assert code == 1 and "selects the theano backend, which keras 3.1.0 cannot run on" in data["problems"][0]


def test_keras_backend_variable_and_dead_theano(env, monkeypatch):
    site, _ = env
    dist(site, "keras", "3.1.0", ["keras"])
    dist(site, "theano", "1.0.5", ["theano"])
    monkeypatch.setenv("KERAS_BACKEND", "cntk")
    code, data = report(site)
    assert code == 1 and len(data["problems"]) == 2
    assert data["environment"]["KERAS_BACKEND"] == "cntk"
    assert "theano is installed, but keras 3.1.0 cannot run on it" in data["problems"][1]


def test_theano_is_fine_for_multi_backend_keras(env, monkeypatch):
    site, home = env
    dist(site, "keras", "2.2.4", ["keras"])
    dist(site, "theano", "1.0.5", ["theano"])
    (home / "keras.json").write_text('{"backend": "theano", "image_dim_ordering": "th"}')
    code, data = report(site)
    assert code == 0, data["problems"]
    assert data["keras_json"]["image_dim_ordering"] == "th"


def test_two_distributions_install_the_keras_package(env):
    site, _ = env
    dist(site, "keras", "3.6.0", files=["keras/__init__.py", "keras/src/ops.py"])
    dist(site, "keras-nightly", "3.7.0.dev2024", files=["keras/__init__.py", "keras_nightly-3.7.0.dist-info/RECORD"])
    code, data = report(site)
    assert code == 1 and "2 distributions install the top-level keras package" in data["problems"][0]


def test_unreadable_keras_json_and_broken_metadata(env):
    site, home = env
    dist(site, "keras", "3.6.0", ["keras"])
    (site / "broken-1.0.dist-info").mkdir()  # no METADATA at all
    (home / "keras.json").write_text("{not json")
    code, data = report(site)
    assert code == 1 and "cannot be read" in data["problems"][0]


def test_nothing_installed(env):
    site, _ = env
    code, text = run(site)
    assert code == 0 and "none of keras, tensorflow" in text and "import keras gives: not installed" in text


def test_tensorflow_without_keras(env):
    site, _ = env
    dist(site, "tensorflow", "2.10.1", ["tensorflow"])
    code, data = report(site)
    assert code == 1 and data["problems"] == ["tensorflow 2.10.1 needs keras for tf.keras, and none is installed"]


def test_old_tensorflow_has_its_own_tf_keras(env):
    site, _ = env
    dist(site, "tensorflow", "2.3.4", ["tensorflow"])
    code, data = report(site)
    assert code == 0 and data["tf.keras"] == "tensorflow 2.3.4's own Keras (part of TensorFlow)"


def test_default_paths_leave_out_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.path", ["", str(tmp_path), *__import__("sys").path])
    assert str(tmp_path) not in doctor.default_paths() and "" not in doctor.default_paths()


@pytest.mark.keras3
def test_real_interpreter_metadata_agrees_with_importlib():
    """The interpreter running the tests has keras 3.15.1 (the test extra): doctor must see exactly that."""
    from importlib import metadata

    result = doctor.diagnose()
    assert result.installed["keras"].version == metadata.version("keras")
