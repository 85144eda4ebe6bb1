"""Target parsing and resolution: versions, ranges, installed metadata, defaults."""
from importlib import metadata

import pytest

from keras_backend_lint import versions
from keras_backend_lint.surface import load
from keras_backend_lint.versions import TargetError, parse_target, resolve_target


def labels(target):
    return [r.label for r in target.releases]


def test_major_means_every_release_of_it():
    target = parse_target("3")
    assert all(label.startswith("3.") for label in labels(target))
    assert len(target.releases) == len([r for r in load().releases if r.version.major == 3])
    assert target.label == "3.x"


def test_minor_and_patch_map_to_the_minor_entry():
    assert labels(parse_target("2.15")) == ["2.15.0"]
    assert labels(parse_target("3.6.0")) == ["3.6.0"]
    assert labels(parse_target("3.4.0")) == ["3.4.1"]  # the data keeps each minor's last patch
    assert labels(parse_target("2.2.4")) == ["2.2.4"]
    assert labels(parse_target("2.2.5")) == ["2.2.5"]


def test_newer_than_the_data_uses_the_newest_entry():
    assert labels(parse_target("99.1.0")) == [load().releases[-1].label]


def test_a_major_or_minor_is_its_prefix_specifier():
    """``3`` and ``2.15`` are matched on packaging's release tuple (no packaging.specifiers import for the common
    target): the same releases as ``==3.*`` / ``==2.15.*`` through SpecifierSet, for every major and minor known."""
    from packaging.specifiers import SpecifierSet

    releases = load().releases
    prefixes = {f"{r.version.major}" for r in releases} | {f"{r.version.major}.{r.version.minor}" for r in releases}
    for text in sorted(prefixes | {"03.1", "2.99", "4"}):
        spec = SpecifierSet(f"=={text}.*")
        expected = [r.label for r in releases if versions._in_spec(r, spec)]
        if expected:
            assert labels(parse_target(text)) == expected, text
        else:
            with pytest.raises(TargetError):
                parse_target(text)


def test_settings_and_target_survive_pickling_with_a_fresh_hash():
    """Both keep their hash (of the releases, hashed by identity); unpickled they hash their new releases."""
    import pickle

    from keras_backend_lint.settings import Settings

    settings = Settings(parse_target(">=2.12,<3.4"), codes=frozenset({"KBL201"}))
    copy = pickle.loads(pickle.dumps(settings))
    assert labels(copy.target) == labels(settings.target) and copy.codes == settings.codes
    assert copy.target.source == settings.target.source and copy.target.label == settings.target.label
    assert hash(copy) == hash((copy.target, copy.codes)) and hash(copy.target) == hash(
        (copy.target.text, copy.target.releases, copy.target.source))


def test_range():
    target = parse_target(">=2.12,<3.4")
    assert labels(target)[0] == "2.12.0"
    assert labels(target)[-1] == "3.3.3"
    assert target.label == "2.12-2.15, 3.0-3.3"


def test_range_upper_bound_inside_a_minor_keeps_that_minor():
    assert "3.4.1" in labels(parse_target(">=3.4,<3.4.1"))


@pytest.mark.parametrize("bad", ["", "  ", "banana", "3.x", ">=", "==3.*,<<2", "0.1", "3.6rc1", "3+local"])
def test_bad_targets_raise_a_clear_error(bad):
    with pytest.raises(TargetError) as info:
        parse_target(bad)
    assert str(info.value)
    assert "\n" not in str(info.value)


def test_option_wins_over_installed(monkeypatch):
    monkeypatch.setattr(versions, "installed_keras_version", lambda: ("2.15.0", "installed keras"))
    assert resolve_target("3").label == "3.x"
    installed = resolve_target(None)
    assert labels(installed) == ["2.15.0"]
    assert "installed keras" in installed.source


def test_installed_tensorflow_before_2_16_implies_keras_2(monkeypatch):
    def fake_version(dist):
        if dist == "tensorflow":
            return "2.12.1"
        raise metadata.PackageNotFoundError(dist)

    monkeypatch.setattr(versions, "_installed", fake_version)
    version, where = versions.installed_keras_version()
    assert version == "2.12"
    assert "tensorflow" in where


def test_default_is_newest_keras_3(monkeypatch):
    monkeypatch.setattr(versions, "installed_keras_version", lambda: None)
    target = resolve_target(None)
    assert labels(target) == [load().newest(major=3).label]
    assert target.source.startswith("default")


def test_unparsable_installed_version_falls_back_to_default(monkeypatch):
    monkeypatch.setattr(versions, "installed_keras_version", lambda: ("not a version", "installed keras"))
    assert resolve_target(None).source.startswith("default")
