"""keras_backend_lint/data/pairing.json: internally consistent, agreeing with the installed distributions' metadata,
and (marked network) with the released wheels' metadata on PyPI."""
import json
import sys
from importlib import metadata

import pytest
from conftest import ROOT
from packaging.version import Version

from keras_backend_lint import pairing
from keras_backend_lint.deps.model import DependencyFile, Declared
from keras_backend_lint.deps.target import target_from_files

sys.path.insert(0, str(ROOT / "tools"))
import gen_pairing  # noqa: E402

DATA = ROOT / "keras_backend_lint" / "data" / "pairing.json"


def raw():
    return json.loads(DATA.read_text("utf-8"))


def test_data_is_deterministic_text():
    assert gen_pairing.dumps(raw()) == DATA.read_text("utf-8")


def test_every_project_and_minor_is_recorded():
    data = raw()
    for project in gen_pairing.PROJECTS:
        minors = [Version(m) for m in data[project]]
        assert minors == sorted(minors), project
        for minor, entry in data[project].items():
            version = Version(entry["version"])
            assert (version.major, version.minor) == Version(minor).release[:2]
            assert not version.is_prerelease
    assert "2.16" in data["tensorflow"] and "3.0" in data["keras"] and "2.15" in data["tf-keras"]


def test_tensorflow_26_to_215_pins_the_keras_of_its_own_minor():
    for tf in pairing.load()["tensorflow"]:
        need = tf.requires.get("keras")
        if tf.version < Version("2.6"):
            assert need is None  # tf.keras lived inside TensorFlow
        elif tf.version < Version("2.16"):
            fitting = [k.version for k in pairing.load()["keras"] if pairing.contains(need, k.version)]
            assert fitting and all(pairing.same_minor(k, tf.version) for k in fitting), tf
        else:
            assert need is not None and not need.contains("2.15.0") and need.contains("3.15.1"), tf


def test_tensorflow_cpu_pins_like_tensorflow():
    tf = {e.minor: e.requires for e in pairing.load()["tensorflow"]}
    for entry in pairing.load()["tensorflow-cpu"]:
        assert entry.requires == tf[entry.minor]


def test_tf_keras_pins_tensorflow_of_its_own_minor():
    for entry in pairing.load()["tf-keras"]:
        need = entry.requires.get("tensorflow")
        if need is not None:
            assert need.contains(f"{entry.version.major}.{entry.version.minor}.0"), entry
            assert not need.contains(f"{entry.version.major}.{entry.version.minor + 1}.0"), entry


@pytest.mark.parametrize("tf", pairing.load()["tensorflow"], ids=lambda e: str(e.version))
def test_target_from_a_tensorflow_pin_agrees_with_its_requirement(tf):
    dep_file = DependencyFile("requirements.txt", "manifest", "requirements file",
                              [Declared("tensorflow", f"=={tf.version}", "requirements.txt", 1)])
    target = target_from_files([dep_file])
    need = tf.requires.get("keras")
    for release in target.releases:
        if need is not None:
            assert pairing.contains(need, release.version), (tf, release)
        else:  # TensorFlow's own tf.keras: the Keras of its minor, or the newest before it (no Keras 2.5 final)
            assert release.version.release[:2] <= tf.version.release[:2], (tf, release)
            assert len(target.releases) == 1


@pytest.mark.keras3
def test_installed_keras_metadata_matches_the_data():
    """The test extra installs keras 3.15.1: its real Requires-Dist, filtered like the generator does."""
    dist = metadata.distribution("keras")
    minor = ".".join(dist.version.split(".")[:2])
    entry = raw()["keras"][minor]
    assert entry["version"] == dist.version
    assert gen_pairing.requires(dist.read_text("METADATA")) == entry["requires"]


def test_requires_filter_drops_platform_markers_and_extras():
    text = (
        "Name: tensorflow\nVersion: 2.16.2\n"
        "Requires-Dist: keras>=3.0.0\n"
        "Requires-Dist: tensorflow-intel==2.16.2; platform_system == \"Windows\"\n"
        "Requires-Dist: numpy<2,>=1.23.5; python_version <= \"3.11\"\n"
        "Requires-Dist: tf-keras; extra == \"legacy\"\n"
    )
    assert gen_pairing.requires(text) == {"keras": ">=3.0.0"}


@pytest.mark.network
@pytest.mark.parametrize("project, minor", [("tensorflow", "2.15"), ("tensorflow", "2.16"), ("tf-keras", "2.16"),
                                            ("keras", "3.15"), ("tensorflow-cpu", "2.12")])
def test_data_matches_the_released_wheels(project, minor, tmp_path):
    entry = raw()[project][minor]
    files = gen_pairing.pypi_files(project)
    wheel = gen_pairing.pick_wheel(files[entry["version"]])
    text = gen_pairing.wheel_metadata(wheel["url"], wheel["filename"], str(tmp_path))
    assert gen_pairing.requires(text) == entry["requires"]
