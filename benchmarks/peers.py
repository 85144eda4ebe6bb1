"""What other popular flake8 AST plugins cost on the same keras-dense files: context for our own budget.

    python benchmarks/peers.py                      # wall A/B of each plugin, 5 rounds (about 8 minutes)
    python benchmarks/peers.py --rounds 15          # narrower intervals
    python benchmarks/peers.py --instructions       # also counted in instructions under valgrind (slow: bugbear
                                                    # alone takes about 20 minutes there)

One virtual environment (``benchmarks/.corpus/peers-venv``, made on first use) holds the flake8, pyflakes and
pycodestyle versions of the running environment, this project, and the pinned peers below. Every run is the same
flake8 on the same files (the keras-dense subset of ``speed.py``) with all of those plugins removed from plugin
discovery but one: each plugin is measured against the same baseline, in rounds that rotate the order (drift in
machine load cancels). Printed per plugin: the median over rounds of its wall time over the round's baseline, a 95%
interval of that median, the ratio of the fastest runs; with ``--instructions`` also the instruction A/B
(deterministic).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import venv
from importlib import metadata
from pathlib import Path
from typing import Dict, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import speed  # noqa: E402

OURS = "keras-backend-lint"


#: widely used flake8 plugins that walk the AST, pinned so that a figure can be repeated
PEERS = {"flake8-bugbear": "26.10.27", "pep8-naming": "0.15.1", "flake8-comprehensions": "3.17.0"}


#: what flake8 itself runs on: the same versions as the environment running this script
_FLAKE8_CORE = ("flake8", "pyflakes", "pycodestyle", "mccabe")


VENV = HERE / ".corpus" / "peers-venv"  # inside the corpus cache: git-ignored, and not linted


#: flake8 with every plugin package in ``sys.argv[2]`` (comma-separated) removed from discovery but ``sys.argv[1]``
#: ("none": all of them removed)
RUNNER = r"""
import sys
from flake8.plugins import finder
keep = sys.argv.pop(1)
extra = set(sys.argv.pop(1).split(","))
original = finder.find_plugins
def find_plugins(cfg, opts):
    return [p for p in original(cfg, opts) if p.package not in extra or p.package == keep]
finder.find_plugins = find_plugins
from flake8.main.cli import main
main(sys.argv[1:])
"""


def requirements(peers: Dict[str, str]) -> List[str]:
    """What the environment holds: flake8's core as installed here, this project, the peers as pinned."""
    core = [f"{name}=={metadata.version(name)}" for name in _FLAKE8_CORE]
    return core + [str(HERE.parent)] + [f"{name}=={version}" for name, version in sorted(peers.items())]


def ensure_venv(peers: Dict[str, str], where: Path = VENV) -> Path:
    """The python of the peers' environment, made (or remade, when the requirements changed) on demand. This
    project is installed from its folder each time: the measured code is the code checked out now."""
    python = where / "bin" / "python"
    wanted = "\n".join(requirements(peers))
    stamp = where / "requirements.txt"
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        # everything else is installed as pinned: only the checkout can have changed
        subprocess.run([*pip, "--no-deps", "--force-reinstall", str(HERE.parent)], check=True)
        return python
    venv.EnvBuilder(clear=True, with_pip=True).create(where)
    subprocess.run([*pip, *wanted.split("\n")], check=True)
    stamp.write_text(wanted)  # only once the install went through
    return python


def flake8_cmd(python: Path, keep: str, plugins: List[str], files: List[Path]) -> List[str]:
    """flake8 ``-j1`` on ``files`` with only ``keep`` of ``plugins`` (or none of them)."""
    target = [f"--keras-version={speed.TARGET}"] if keep == OURS else []  # an unknown option without the plugin
    return [str(python), "-c", RUNNER, keep, ",".join(plugins), "--isolated", "-j1", "--exit-zero", *target,
            *map(str, files)]


def wall_rounds(python: Path, plugins: List[str], files: List[Path], rounds: int,
                timer=lambda cmd: speed.timed(cmd)[0]) -> Tuple[Dict[str, List[float]], Dict[str, float]]:
    """Per plugin, its wall time over the same round's baseline, one ratio per round (the order rotates); and per
    plugin, its fastest run over the fastest baseline."""
    runs = ["none", *plugins]
    for keep in runs:  # warm the file cache and the bytecode of every configuration
        timer(flake8_cmd(python, keep, plugins, files))
    ratios: Dict[str, List[float]] = {name: [] for name in plugins}
    fastest: Dict[str, float] = {}
    for i in range(rounds):
        order = runs[i % len(runs):] + runs[:i % len(runs)]
        walls = {keep: timer(flake8_cmd(python, keep, plugins, files)) for keep in order}
        for keep, wall in walls.items():
            fastest[keep] = min(fastest.get(keep, float("inf")), wall)
        for name in plugins:
            ratios[name].append(walls[name] / walls["none"] - 1)
    return ratios, {name: fastest[name] / fastest["none"] - 1 for name in plugins}


def report(check: speed.Check, ratios: Dict[str, List[float]], fastest: Dict[str, float], files: int) -> None:
    for name, values in ratios.items():
        best = fastest[name]
        low, high = speed.median_interval(values)
        check.add(f"{name}: flake8 -j1 A/B wall on {files} keras-dense files, median of {len(values)} rounds",
                  f"{speed._median(values):+.1%}  (95% interval {low:+.1%} … {high:+.1%}; fastest runs {best:+.1%})",
                  None)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--instructions", action="store_true", help="also count instructions under valgrind")
    args = parser.parse_args(argv)
    import corpus

    folders = corpus.ensure()
    files = speed.keras_dense([folders[p] for p in corpus.KERAS_CORPUS])
    python = ensure_venv(PEERS)
    plugins = [OURS, *sorted(PEERS)]
    print(f"{len(files)} keras-dense files; flake8 {metadata.version('flake8')}; peers "
          + ", ".join(f"{n} {v}" for n, v in sorted(PEERS.items())), flush=True)
    check = speed.Check()
    report(check, *wall_rounds(python, plugins, files, args.rounds), len(files))
    if args.instructions:
        counts = {keep: speed.count_instructions(flake8_cmd(python, keep, plugins, files))
                  for keep in ["none", *plugins]}
        for name in plugins:
            check.add(f"{name}: A/B instructions (valgrind)", f"{counts[name] / counts['none'] - 1:+.2%}", None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
