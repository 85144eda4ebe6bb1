"""Speed budgets of the plugin, the CLI and the fixer, printed as ratios measured in one run, PASS/FAIL per goal.

    python benchmarks/speed.py                 # corpus from benchmarks/corpus.py (Keras corpus + django)
    python benchmarks/speed.py --repeat 1      # quicker, noisier
    python benchmarks/speed.py --keras-root A --plain-root B   # any folders (the smoke test uses tiny ones)

Measured:

* flake8 ``-j1`` (all default checks) with our plugin vs the same flake8 with our plugin removed from plugin
  discovery (``flake8.plugins.finder.find_plugins`` filtered in a tiny runner, so both runs are the same flake8 and
  the same files). Goals (issue 3): ≤ 3% added on the Keras corpus, ≤ 1% on the corpus without Keras. Each
  configuration runs ``--repeat`` times, alternating, and the minimum counts.
* what the user waits for (issue 12): flake8 ``-j1`` wall time with vs without the plugin on the keras-dense
  subset of the corpus (files that import the backend), median of ``--pairs`` paired runs; goal ≤ 3%.
  With ``--instructions`` the same A/B is also counted in instructions under valgrind (deterministic, so small
  changes show; no clock), split into the plugin's analysis and flake8's handling of the findings.
  With ``--spin`` it also runs against a stand-in that spins for the plugin's CPU time per file and reports its
  findings: the plugin's code slowing the rest of flake8 shows as the gap between the two.
  ``--only-dense --holdout`` runs it on the keras-dense files of the held-out part instead (figures only).
  ``peers.py`` measures the same A/B for other widely used AST plugins, for scale.
* the plugin's own time vs ``ast.parse`` of the same files (in process, data already loaded).
* ``keras-backend-lint check -j1`` vs ``flake8 -j1 --select=KBL`` (goal ≥ 2×, issue 5), and ``check -j2`` vs ``-j1``.
* fixer files/s (``fix_source``, one process) on files it rewrites (goal ≥ 10/s) and on files needing no change
  (goal ≥ 500/s, issue 4).
* JSON data load time in a fresh process (goal < 20 ms), peak RSS added by the plugin to the flake8 run and the
  tracemalloc peak of the plugin's own work.
"""
from __future__ import annotations

import argparse
import ast
import gc
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

TARGET = "3"
RUNNER = r"""
import resource, sys, time
from flake8.plugins import finder
mode = sys.argv.pop(1)
own = 0.0
if mode == "without":
    original = finder.find_plugins
    def find_plugins(cfg, opts):
        return [p for p in original(cfg, opts) if p.package != "keras-backend-lint"]
    finder.find_plugins = find_plugins
elif mode in ("replay", "spin"):
    # the findings of an earlier run played back for each file, no analysis. "replay": what flake8 itself spends
    # on them (noqa lookups, reporting). "spin": first spin for the CPU time the plugin took on the file (recorded
    # in process): the plugin's cost without its code; what the real plugin costs beyond this is its code slowing
    # down the rest of flake8
    import json, keras_backend_lint.plugin as kbl_plugin
    with open(sys.argv.pop(1)) as handle:
        recorded = json.load(handle)
    spins = mode == "spin"
    def replay(self):
        spent, found = recorded.get(self.filename, (0.0, ()))
        if spins:
            end = time.process_time() + spent
            while time.process_time() < end:
                pass
        for line, col, text in found:
            yield line, col, text, type(self)
    kbl_plugin.Plugin.run = replay
else:
    # the plugin's own CPU time inside this very run: importing it, and every Plugin.run
    started = time.process_time()
    import keras_backend_lint.plugin as kbl_plugin
    own += time.process_time() - started
    original_run = kbl_plugin.Plugin.run
    def run(self):
        global own
        started = time.process_time()
        found = list(original_run(self))
        own += time.process_time() - started
        return iter(found)
    kbl_plugin.Plugin.run = run
from flake8.main.cli import main
code = 0
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
usage = resource.getrusage(resource.RUSAGE_SELF)
# peak RSS of this process image: VmHWM belongs to the memory map exec() created, whereas ru_maxrss keeps the
# high-water mark of the forked parent (the benchmark process itself) across exec
peak = usage.ru_maxrss
try:
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    pass
sys.stderr.write(f"\nMAXRSS {peak}\nCPU {usage.ru_utime + usage.ru_stime}\nOWN {own}\n")
sys.exit(code)
"""


class Check:
    def __init__(self) -> None:
        self.rows: List[Tuple[str, str, str]] = []

    def add(self, label: str, value: str, ok: Optional[bool]) -> None:
        verdict = "INFO" if ok is None else ("PASS" if ok else "FAIL")
        self.rows.append((label, value, verdict))
        print(f"{verdict:4}  {label:62} {value}", flush=True)

    @property
    def failed(self) -> bool:
        return any(v == "FAIL" for _, _, v in self.rows)


def _env() -> Dict[str, str]:
    env = dict(os.environ)
    env.pop("KERAS_BACKEND", None)
    # an installed package has its bytecode (pip compiles it); with PYTHONDONTWRITEBYTECODE set (as on some CI
    # images) every "with" run would compile our modules from source again, which no user pays
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed(cmd: List[str], cwd: Optional[Path] = None) -> Tuple[float, str]:
    """(wall seconds, stderr); stderr gets a ``CHILDCPU`` line: the CPU time of the command and its children."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd, env=_env())
    elapsed = time.perf_counter() - started
    if proc.returncode not in (0, 1) or "usage:" in proc.stderr or "error:" in proc.stderr.lower():
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, proc.stderr + f"\nCHILDCPU {cpu}\n"


def flake8_cmd(mode: str, roots: List[Path], *extra: str) -> List[str]:
    # --isolated: no user/project config; the corpus folders carry setup.cfg/tox.ini files of their own
    # without the plugin flake8 does not know --keras-version; the target goes in through the environment instead
    # would change what is measured, so the option is passed only when the plugin is there
    # (mode "replay <findings.json>" plays back recorded findings instead of analysing)
    target = [f"--keras-version={TARGET}"] if mode != "without" else []
    mode_args = mode.split(" ", 1)
    return [sys.executable, "-c", RUNNER, *mode_args, "--isolated", "-j1", "--exit-zero", *target, *extra,
            *map(str, roots)]


def record_findings(files: List[Path], path: Path) -> int:
    """``[CPU seconds the plugin took, its findings]`` per file (as flake8 names the file), for the replay and spin
    runs; the number of findings."""
    import ast as _ast

    from keras_backend_lint.engine import default_settings
    from keras_backend_lint.plugin import Plugin
    from keras_backend_lint.versions import parse_target

    previous = Plugin._settings
    Plugin._settings = default_settings(parse_target(TARGET))
    recorded = {}
    try:
        for file in files:
            text = file.read_text("utf-8", "replace")
            try:
                tree = _ast.parse(text)
            except (SyntaxError, ValueError):
                continue
            started = time.process_time()
            results = Plugin(tree, text.splitlines(True), str(file)).run()
            found = [(line, col, message) for line, col, message, _ in results]
            recorded[str(file)] = [time.process_time() - started, found]
    finally:
        Plugin._settings = previous
    path.write_text(json.dumps(recorded))
    return sum(len(found) for _, found in recorded.values())


def best_of(repeat: int, runs: Dict[str, Callable[[], Tuple[float, str]]]) -> Dict[str, Tuple[float, str]]:
    """Alternate the configurations ``repeat`` times; keep each one's fastest run."""
    best: Dict[str, Tuple[float, str]] = {}
    for _ in range(repeat):
        for name, run in runs.items():
            result = run()
            if name not in best or result[0] < best[name][0]:
                best[name] = result
    return best


def reported(stderr: str, key: str) -> float:
    """A ``KEY value`` line the flake8 runner writes to stderr at exit."""
    for line in reversed(stderr.splitlines()):
        if line.startswith(key + " "):
            return float(line.split()[1])
    return 0.0


def python_files(roots: List[Path]) -> List[Path]:
    return sorted(p for root in roots for p in root.rglob("*.py") if p.is_file())


# -- the measurements -------------------------------------------------------------------------------------------------
def flake8_overhead(check: Check, label: str, root: List[Path], goal: float, repeat: int) -> None:
    """Three views of one question. The verdict uses the plugin's own CPU time measured inside the flake8 run
    (import + every ``Plugin.run``) relative to the rest of that run: it does not depend on how busy the machine is.
    The A/B ratios of two separate runs (CPU time, wall time) are printed next to it as a cross-check."""
    best = best_of(repeat, {
        "without": lambda: timed(flake8_cmd("without", root)),
        "with": lambda: timed(flake8_cmd("with", root)),
    })
    err_with, err_without = best["with"][1], best["without"][1]
    cpu_with, cpu_without = reported(err_with, "CPU"), reported(err_without, "CPU")
    own = reported(err_with, "OWN")
    share = own / (cpu_with - own) if cpu_with > own else float("inf")
    check.add(f"flake8 -j1 {label}: plugin adds, own CPU in-run (goal <= {goal:.0%})",
              f"{share:+.2%}  ({own:.2f}s of {cpu_with:.2f}s CPU)", share <= goal)
    check.add(f"flake8 -j1 {label}: A/B CPU time with/without - 1 (noisy)",
              f"{cpu_with / cpu_without - 1:+.2%}  ({cpu_with:.2f}s vs {cpu_without:.2f}s)", None)
    check.add(f"flake8 -j1 {label}: A/B wall time with/without - 1 (noisiest)",
              f"{best['with'][0] / best['without'][0] - 1:+.2%}  ({best['with'][0]:.2f}s vs {best['without'][0]:.2f}s)",
              None)
    rss = reported(err_with, "MAXRSS") - reported(err_without, "MAXRSS")
    check.add(f"flake8 -j1 {label}: peak RSS added by the plugin", f"{rss / 1024:+.1f} MiB", None)


#: a file that imports the backend (``from keras import backend``, ``import keras.backend as K``, the tf.keras forms)
_BACKEND_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+(?:tensorflow\.)?keras(?:\.\w+)*[ \t]+import[ \t][^\n]*\bbackend\b"
    r"|import[ \t]+(?:tensorflow\.)?keras\.backend|from[ \t]+(?:tensorflow\.)?keras\.backend)",
    re.M,
)


def keras_dense(roots: List[Path]) -> List[Path]:
    """The files of ``roots`` that import the backend: the code the plugin does real work on."""
    dense = []
    for path in python_files(roots):
        try:
            text = path.read_text("utf-8", "replace")
        except OSError:
            continue
        if _BACKEND_IMPORT.search(text):
            dense.append(path)
    return dense


def _median(values: List[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def median_interval(values: List[float], rounds: int = 2000, seed: int = 0) -> Tuple[float, float]:
    """A 95% bootstrap interval of the median of ``values`` (resampled with replacement, a fixed seed so a report
    can be repeated): how far the median of this many noisy pairs can be trusted."""
    import random

    rng = random.Random(seed)
    medians = sorted(_median(rng.choices(values, k=len(values))) for _ in range(rounds))
    return medians[int(0.025 * (rounds - 1))], medians[int(0.975 * (rounds - 1))]


def flake8_ab_wall(check: Check, label: str, files: List[Path], goal: float, pairs: int) -> None:
    """What the user waits for: flake8 -j1 wall time with the plugin vs without, on keras-dense files, as the
    median of ``pairs`` paired runs (the order inside a pair alternates, so drift in machine load cancels).

    On a machine without an idle CPU the wall ratio measures the neighbours, not the plugin: the verdict then uses
    the same A/B as CPU time of the runs, and the plugin's own CPU inside the "with" runs is printed next to it."""
    load_before = os.getloadavg()[0]
    timed(flake8_cmd("with", files))  # warm the file cache and the bytecode of both configurations
    timed(flake8_cmd("without", files))
    walls, cpus, shares = [], [], []
    fastest = {"with": float("inf"), "without": float("inf")}
    for i in range(pairs):
        order = ("with", "without") if i % 2 == 0 else ("without", "with")
        runs = {mode: timed(flake8_cmd(mode, files)) for mode in order}
        for mode in order:
            fastest[mode] = min(fastest[mode], runs[mode][0])
        walls.append(runs["with"][0] / runs["without"][0] - 1)
        cpu_with, cpu_without = (reported(runs[m][1], "CHILDCPU") for m in ("with", "without"))
        cpus.append(cpu_with / cpu_without - 1 if cpu_without else 0.0)
        own, total = reported(runs["with"][1], "OWN"), reported(runs["with"][1], "CPU")
        shares.append(own / (total - own) if total > own else float("inf"))
    ncpu = os.cpu_count() or 1
    load_after = os.getloadavg()[0]
    # the load average at the end counts this benchmark's own flake8 runs (about 1): only the rest is neighbours
    idle = ncpu >= 2 and max(load_before, load_after - 1) < ncpu - 1
    wall, cpu, share = _median(walls), _median(cpus), _median(shares)
    pairs_text = ", ".join(f"{r:+.1%}" for r in walls)
    low, high = median_interval(walls)
    check.add(f"flake8 -j1 {label} ({len(files)} files): A/B wall, median of {pairs} pairs (goal <= {goal:.0%})",
              f"{wall:+.2%}  (95% interval of the median {low:+.1%} … {high:+.1%}; pairs {pairs_text}; "
              f"load {load_before:.1f} before, {load_after:.1f} at the end, on {ncpu} CPUs"
              + ("" if idle else ": no idle CPU, judged on CPU time below") + ")", wall <= goal if idle else None)
    low, high = median_interval(cpus)
    check.add(f"flake8 -j1 {label}: A/B CPU time, median of {pairs} pairs (goal <= {goal:.0%})",
              f"{cpu:+.2%}  (95% interval {low:+.1%} … {high:+.1%}; pairs " + ", ".join(f"{r:+.1%}" for r in cpus)
              + ")", None if idle else cpu <= goal)
    check.add(f"flake8 -j1 {label}: plugin's own CPU in the run, median", f"{share:+.2%}", None)
    # a neighbour can only slow a run down: the fastest run of each side is the least disturbed estimate
    best = fastest["with"] / fastest["without"] - 1
    check.add(f"flake8 -j1 {label}: fastest wall with / fastest without",
              f"{best:+.2%}  ({fastest['with']:.2f} s vs {fastest['without']:.2f} s)", None)
    # how much of that is flake8 handling the findings (every finding costs it a noqa lookup and a report, and a
    # file whose only findings are ours costs it a full tokenization for the noqa map): replayed findings
    with tempfile.TemporaryDirectory() as scratch:
        recorded = Path(scratch) / "findings.json"
        count = record_findings(files, recorded)
        for _ in range(max(2, pairs // 2)):
            for mode in (f"replay {recorded}", "without"):
                wall = timed(flake8_cmd(mode, files))[0]
                key = "replay" if mode != "without" else mode
                fastest[key] = min(fastest.get(key, float("inf")), wall)
    check.add(f"flake8 -j1 {label}: flake8 reporting the {count} findings, no analysis (fastest)",
              f"{fastest['replay'] / fastest['without'] - 1:+.2%}", None)


def flake8_ab_spin(check: Check, label: str, files: List[Path], pairs: int) -> None:
    """Does the plugin's code cost flake8 more than the plugin's own time and findings? Alternating triples of
    runs: with the plugin, with a stand-in that spins for the CPU time the plugin took on each file and then reports
    its findings, and without. A "with" figure above the "spin" one is the rest of flake8 running slower beside the
    plugin's code (caches, branch predictors), which no measurement of the plugin alone shows."""
    ratios: Dict[str, List[float]] = {"with": [], "spin": []}
    with tempfile.TemporaryDirectory() as scratch:
        recorded = Path(scratch) / "spin.json"
        record_findings(files, recorded)
        for i in range(pairs):
            modes = ["with", f"spin {recorded}", "without"]
            if i % 2:
                modes.reverse()
            walls = {mode.split(" ", 1)[0]: timed(flake8_cmd(mode, files))[0] for mode in modes}
            for key, values in ratios.items():
                values.append(walls[key] / walls["without"] - 1)
    for key, text in (("with", "the plugin"), ("spin", "a stand-in spinning for its time, then its findings")):
        low, high = median_interval(ratios[key])
        check.add(f"flake8 -j1 {label}: A/B wall, {text}, median of {pairs} triples",
                  f"{_median(ratios[key]):+.2%}  (95% interval {low:+.1%} … {high:+.1%})", None)


#: what valgrind's callgrind prints at exit: every instruction the process executed
_COLLECTED = re.compile(r"Collected : (\d+)")


def count_instructions(cmd: List[str], cwd: Optional[Path] = None) -> int:
    """The instructions ``cmd`` executes, counted by valgrind (callgrind, no cache simulation): the same number on a
    busy machine as on an idle one, which no clock gives. String hashing is seeded, so dict and set orders (and with
    them the count) repeat from run to run."""
    env = _env()
    env["PYTHONHASHSEED"] = "0"
    proc = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=cwd)
    found = _COLLECTED.search(proc.stderr)
    if proc.returncode not in (0, 1) or found is None:
        raise RuntimeError(f"valgrind {' '.join(cmd[:2])} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return int(found.group(1))


def flake8_ab_instructions(check: Check, label: str, files: List[Path], goal: float,
                           count: Callable[[List[str]], int] = count_instructions) -> None:
    """The keras-dense A/B counted in instructions (valgrind), split into the plugin's analysis and flake8's
    handling of its findings (the ``replay`` runner plays the findings back without analysing). Instructions are
    no clock: our code needs more cycles per instruction than the run's average (and slows the rest of flake8
    beside it, see ``flake8_ab_spin``), so the wall ratio of a quiet machine sits above this figure. It is printed
    for what a clock cannot give here: a figure that repeats, so a change of a tenth of a percent can be seen."""
    if shutil.which("valgrind") is None and count is count_instructions:
        check.add(f"flake8 -j1 {label}: A/B instructions", "valgrind is not installed: not measured", None)
        return
    with tempfile.TemporaryDirectory() as scratch:
        recorded = Path(scratch) / "findings.json"
        findings = record_findings(files, recorded)
        runs = {mode: count(flake8_cmd(mode, files)) for mode in ("with", f"replay {recorded}", "without")}
    with_, replay, without = runs["with"], runs[f"replay {recorded}"], runs["without"]
    total = with_ / without - 1
    check.add(f"flake8 -j1 {label} ({len(files)} files): A/B instructions (valgrind, goal <= {goal:.0%} of wall)",
              f"{total:+.2%}  ({with_:,} vs {without:,})", None)
    check.add(f"flake8 -j1 {label}: of which the plugin's analysis",
              f"{(with_ - replay) / without:+.2%}", None)
    check.add(f"flake8 -j1 {label}: of which flake8 handling its {findings} findings",
              f"{(replay - without) / without:+.2%}", None)


def plugin_vs_parse(check: Check, label: str, root: List[Path]) -> None:
    from keras_backend_lint.plugin import Plugin
    from keras_backend_lint.surface import load
    from keras_backend_lint.versions import parse_target
    from keras_backend_lint.engine import default_settings

    load()
    previous = Plugin._settings
    Plugin._settings = default_settings(parse_target(TARGET))
    try:
        _plugin_vs_parse(check, label, root, Plugin)
    finally:
        Plugin._settings = previous


def _plugin_vs_parse(check: Check, label: str, root: List[Path], Plugin) -> None:
    """Per file, like flake8: parse, run the plugin, drop the tree (holding 2,000 trees would make the garbage
    collector's full passes dominate both timings)."""
    sources = []
    for path in python_files(root):
        try:
            raw = path.read_bytes()
        except OSError:
            continue
        sources.append((raw, raw.decode("utf-8", "replace").splitlines(True)))
    parse_time = plugin_time = 0.0
    files = 0
    gc.collect()
    for raw, lines in sources:
        started = time.perf_counter()
        try:
            tree = ast.parse(raw)
        except (SyntaxError, ValueError):
            continue
        parsed = time.perf_counter()
        list(Plugin(tree, lines).run())
        plugin_time += time.perf_counter() - parsed
        parse_time += parsed - started
        files += 1
    # memory in a second pass: tracemalloc slows every allocation down, so it must not be on while timing
    tracemalloc.start()
    peak = 0
    for raw, lines in sources:
        try:
            tree = ast.parse(raw)
        except (SyntaxError, ValueError):
            continue
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        list(Plugin(tree, lines).run())
        peak = max(peak, tracemalloc.get_traced_memory()[1] - base)
        del tree
    tracemalloc.stop()
    check.add(f"plugin own time / ast.parse, {label} ({files} files)",
              f"{plugin_time / parse_time:.3f}  ({plugin_time * 1000:.0f} ms vs {parse_time * 1000:.0f} ms)", None)
    check.add(f"plugin peak memory on one file beyond its tree, {label} (tracemalloc)",
              f"{peak / 1024 / 1024:.2f} MiB", None)


def cli_vs_flake8(check: Check, root: List[Path], repeat: int) -> None:
    cli = shutil.which("keras-backend-lint", path=str(Path(sys.executable).parent)) or "keras-backend-lint"
    base = [cli, "check", f"--keras-version={TARGET}", "--exit-zero", "--isolated"]
    runs = {
        "flake8": lambda: timed(flake8_cmd("with", root, "--select=KBL")),
        "cli1": lambda: timed(base + ["-j1", *map(str, root)]),
        "cli2": lambda: timed(base + ["-j2", *map(str, root)]),
    }
    load_before = os.getloadavg()[0]
    try:
        best = best_of(repeat, runs)
    except (RuntimeError, FileNotFoundError) as exc:
        check.add("keras-backend-lint check vs flake8 --select=KBL", f"not measured: {exc}"[:200], False)
        return
    ratio = best["flake8"][0] / best["cli1"][0]
    cpu_flake8, cpu_cli = reported(best["flake8"][1], "CHILDCPU"), reported(best["cli1"][1], "CHILDCPU")
    check.add("check -j1 vs flake8 -j1 --select=KBL, Keras corpus, wall (goal >= 2x)",
              f"{ratio:.2f}x  ({best['cli1'][0]:.2f}s vs {best['flake8'][0]:.2f}s)", ratio >= 2)
    check.add("check -j1 vs flake8 -j1 --select=KBL, Keras corpus, CPU time",
              f"{cpu_flake8 / cpu_cli:.2f}x  ({cpu_cli:.2f}s vs {cpu_flake8:.2f}s)", None)
    scale = best["cli1"][0] / best["cli2"][0]
    cpus = os.cpu_count() or 1
    # scaling needs a second idle CPU; on a busy machine the number says nothing about the tool
    idle = cpus >= 2 and load_before < cpus - 1
    check.add(f"check -j2 vs -j1 speed-up ({cpus} CPUs, load {load_before:.1f}; goal > 1.2x)",
              f"{scale:.2f}x  ({best['cli2'][0]:.2f}s vs {best['cli1'][0]:.2f}s)"
              + ("" if idle else "  (no idle CPU: not judged)"), scale > 1.2 if idle else None)


def fixer_rate(check: Check, root: List[Path]) -> None:
    try:
        from keras_backend_lint.fixer import fix_source
    except ImportError as exc:
        check.add("fixer files/s", f"not measured: {exc}", False)
        return
    from keras_backend_lint.engine import Settings
    from keras_backend_lint.versions import parse_target

    settings = Settings(parse_target(TARGET))
    texts = []
    for path in python_files(root):
        try:
            texts.append(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
    rewrite, noop, noop_keras = [], [], []
    for text in texts:  # classify first (also warms up libcst)
        try:
            fixed = fix_source(text, settings)
        except (SyntaxError, ValueError):
            continue
        if fixed != text:
            rewrite.append(text)
        else:
            noop.append(text)
            if "keras" in text:
                noop_keras.append(text)

    def rate(batch: List[str]) -> Tuple[float, float]:
        gc.collect()
        started = time.perf_counter()
        for text in batch:
            fix_source(text, settings)
        elapsed = time.perf_counter() - started
        return (len(batch) / elapsed if elapsed else float("inf")), elapsed

    if rewrite:
        r, t = rate(rewrite)
        check.add("fixer on files it rewrites (goal >= 10 files/s)",
                  f"{r:.1f} files/s  ({len(rewrite)} files, {t:.2f}s)",
                  r >= 10)
    else:
        check.add("fixer on files it rewrites", "no file to rewrite in this corpus", None)
    if noop:
        r, t = rate(noop)
        check.add("fixer on files needing no change (goal >= 500 files/s)",
                  f"{r:.0f} files/s  ({len(noop)} files, {t:.2f}s)", r >= 500)
    if noop_keras:
        r, t = rate(noop_keras)
        check.add("  of which files mentioning keras (goal >= 500 files/s)",
                  f"{r:.0f} files/s  ({len(noop_keras)} files, {t:.2f}s)", r >= 500)
        started = time.perf_counter()
        for text in noop_keras:
            ast.parse(text)
        parse = time.perf_counter() - started
        check.add("  fixer time on them / ast.parse of them (machine-load independent)", f"{t / parse:.2f}x", None)


def data_load(check: Check) -> None:
    code = ("import time; from keras_backend_lint import surface; t = time.perf_counter(); surface.load(); "
            "print(time.perf_counter() - t)")
    times = []
    for _ in range(5):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        times.append(float(out.stdout.strip()))
    best = min(times) * 1000
    check.add("JSON data load in a fresh process (goal < 20 ms)", f"{best:.1f} ms (best of 5)", best < 20)
    code = ("import tracemalloc; tracemalloc.start(); import keras_backend_lint.plugin; "
            "a = tracemalloc.get_traced_memory()[0]; from keras_backend_lint import surface; surface.load(); "
            "print(a, tracemalloc.get_traced_memory()[0] - a)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    check.add("memory: importing the plugin / the loaded API data (tracemalloc)",
              f"{int(out[0]) / 2**20:.1f} MiB / {int(out[1]) / 2**20:.1f} MiB", None)


def dense_ab(check: Check, dense: List[Path], args: argparse.Namespace) -> None:
    """The keras-dense A/B (issue 12): the wall time, and with ``--spin`` / ``--instructions`` its other views."""
    label = "held-out keras-dense subset" if args.holdout else "keras-dense subset"
    flake8_ab_wall(check, label, dense, 0.03, args.pairs)
    if args.spin:
        flake8_ab_spin(check, label, dense, args.pairs)
    if args.instructions:
        flake8_ab_instructions(check, label, dense, 0.03)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keras-root", type=Path, help="a folder of Keras code (default: the Keras corpus)")
    parser.add_argument("--plain-root", type=Path, help="a folder without Keras (default: django from the corpus)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-flake8", action="store_true", help="only the in-process measurements")
    parser.add_argument("--pairs", type=int, default=5, help="paired runs for the keras-dense A/B wall time")
    parser.add_argument("--only-dense", action="store_true", help="only the keras-dense A/B measurements")
    parser.add_argument("--spin", action="store_true",
                        help="also run the keras-dense A/B against a stand-in that only spins for the plugin's time")
    parser.add_argument("--instructions", action="store_true",
                        help="also count the keras-dense A/B in instructions under valgrind (about 20 minutes)")
    parser.add_argument("--holdout", action="store_true",
                        help="with --only-dense: the keras-dense files of the held-out part (corpus.HOLDOUT) instead; "
                        "ratios only, no file or finding is shown")
    args = parser.parse_args(argv)
    if args.holdout and not args.only_dense:
        parser.error("--holdout measures only the keras-dense A/B: add --only-dense")
    if args.keras_root and args.plain_root:
        keras_root, plain_root = [args.keras_root], [args.plain_root]
    else:
        import corpus

        folders = corpus.ensure()
        keras_part = corpus.HOLDOUT if args.holdout else corpus.KERAS_CORPUS
        keras_root = [args.keras_root] if args.keras_root else [folders[p] for p in keras_part]
        plain_root = [args.plain_root or folders[corpus.BIG_NO_KERAS]]
    n_keras, n_plain = len(python_files(keras_root)), len(python_files(plain_root))
    print(f"Keras corpus: {n_keras} files in {len(keras_root)} folders; corpus without Keras: {n_plain} files; "
          f"target {TARGET}; python {sys.version.split()[0]}", flush=True)
    check = Check()
    dense = keras_dense(keras_root)
    if args.only_dense:
        dense_ab(check, dense, args)
        return 1 if check.failed else 0
    data_load(check)
    plugin_vs_parse(check, "Keras corpus", keras_root)
    plugin_vs_parse(check, "corpus without Keras", plain_root)
    fixer_rate(check, keras_root)
    if not args.skip_flake8:
        flake8_overhead(check, "Keras corpus", keras_root, 0.03, args.repeat)
        flake8_overhead(check, "corpus without Keras", plain_root, 0.01, args.repeat)
        if dense:
            dense_ab(check, dense, args)
        cli_vs_flake8(check, keras_root, args.repeat)
    return 1 if check.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
