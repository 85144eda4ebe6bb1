"""Where the flake8 plugin's time goes, and a guard that a speed change keeps every finding (tools for speed work).

    python benchmarks/plugin_profile.py phases              # keras-dense corpus files, as flake8 runs them
    python benchmarks/plugin_profile.py count               # the plugin's own instructions (valgrind), repeatable
    python benchmarks/plugin_profile.py snapshot OUT        # every finding of the plugin path, to compare
    python benchmarks/plugin_profile.py startup             # what one flake8 invocation pays for the plugin

``phases`` runs the plugin's work (``engine.check_lines``: ``fastpath.check_file``, which ``Plugin.run`` calls,
with the project index, flake8's default codes, target 3) on each keras-dense file in a loop that does what flake8
does around it: parse, our plugin (flake8 runs the tree plugins sorted by package name, so ours first, on a tree
still in the CPU caches), pyflakes, tokenize and pycodestyle, which evict those caches before the next file. It
prints the CPU of a cold pass, of a second pass (first-use costs gone), of a pass without project re-exports, and
the share of each phase of the walk and of each check. Single figures move by a few percent between runs on a
shared machine: compare minima of several runs.

``count`` prints the plugin's own instructions on the keras-dense files, counted by valgrind (a parse-only run
subtracted): a figure that repeats to the instruction on a busy machine, for judging a speed change that a clock
cannot resolve here. It also prints what a second pass costs once every per-run cache is warm.

``startup`` counts (valgrind) what the plugin adds to a flake8 run over one file, as an editor or a pre-commit hook
on one changed file runs it: a file with backend code and a file without keras, each with vs without the plugin,
and the plugin's fixed costs one after the other (importing it, the target and its data, the first file with all
its first-use costs, a second file).

``snapshot OUT`` writes every finding on the build part of the corpus (3 targets × default/all codes) to OUT and
prints the counts; the held-out part (``corpus.HOLDOUT``) is summarised by a hash only, never written or shown.
Two snapshots that ``cmp`` equal (and print the same hash) mean a change kept every finding.
"""
from __future__ import annotations

import argparse
import ast
import functools
import hashlib
import io
import sys
import tempfile
import time
import tokenize
import warnings
from pathlib import Path
from typing import Callable, Dict, List, Optional

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import speed  # noqa: E402
from keras_backend_lint import engine, preselect, rules, walk  # noqa: E402
from keras_backend_lint.checks import Settings  # noqa: E402
from keras_backend_lint.reexports import ProjectIndex, project_for  # noqa: E402
from keras_backend_lint.surface import load as load_surface  # noqa: E402
from keras_backend_lint.versions import resolve_target  # noqa: E402

_DEFAULT_CODES = frozenset(rule.code for rule in rules.RULES if rule.code not in rules.DEFAULT_DISABLED)


def flake8_settings(target: str = "3", codes: Optional[frozenset] = _DEFAULT_CODES) -> Settings:
    """What the plugin runs with under flake8's default selection (off-by-default rules off)."""
    return Settings(resolve_target(target), codes=codes)


def _read(path: Path):
    text = path.read_text("utf-8", "replace")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return text, ast.parse(text)


def _flake8_like_pass(files: List[Path], settings: Settings, project: bool) -> float:
    """The plugin's CPU over ``files``, with flake8's own per-file work (pyflakes, tokenize, pycodestyle) between."""
    import pycodestyle
    import pyflakes.checker

    index = ProjectIndex()
    own = 0.0
    for path in files:
        try:
            text, tree = _read(path)
        except (SyntaxError, ValueError):
            continue
        lines = text.splitlines(True)
        # flake8's order: the tree plugins right after the parse (ours first: they run sorted by package name),
        # then pyflakes, then the tokens and pycodestyle
        started = time.process_time()
        engine.check_lines(lines, tree, settings, project_for(str(path), index) if project else None)
        own += time.process_time() - started
        pyflakes.checker.Checker(tree, filename=str(path))
        try:
            list(tokenize.generate_tokens(io.StringIO(text).readline))
        except (tokenize.TokenError, SyntaxError):
            pass
        pycodestyle.Checker(lines=lines, quiet=True).check_all()
    return own


def _timed(acc: Dict[str, float], label: str, func: Callable) -> Callable:
    @functools.wraps(func)
    def timed(*args, **kwargs):
        started = time.process_time()
        try:
            return func(*args, **kwargs)
        finally:
            acc[label] = acc.get(label, 0.0) + time.process_time() - started

    return timed


def phases(files: List[Path]) -> None:
    settings = flake8_settings()
    cold = _flake8_like_pass(files, settings, project=True)
    warm = _flake8_like_pass(files, settings, project=True)
    no_project = _flake8_like_pass(files, settings, project=False)
    print(f"{len(files)} keras-dense files, CPU of the plugin in a flake8-like loop:")
    print(f"  cold (what one flake8 run pays)      {cold:.3f} s")
    print(f"  again (first-use costs paid)         {warm:.3f} s")
    print(f"  again, without project re-exports    {no_project:.3f} s")
    # the phases: wrappers add about a microsecond a call, so the small ones read high
    acc: Dict[str, float] = {}
    originals = {}
    for module, names in ((walk, ("_imported_names", "_word_lines", "_visit", "_bindings_only")),):
        for name in names:
            originals[(module, name)] = getattr(module, name)
            setattr(module, name, _timed(acc, f"walk.{name}", getattr(module, name)))
    originals[(engine, "analyse")] = engine.analyse
    engine.analyse = _timed(acc, "walk.analyse (all of the walk)", engine.analyse)
    selection = preselect.LineSelection
    originals[(walk, "LineSelection")] = walk.LineSelection

    class TimedSelection(selection):  # type: ignore[misc, valid-type]
        __init__ = _timed(acc, "preselect.LineSelection", selection.__init__)
        add_chains = _timed(acc, "preselect.add_chains", selection.add_chains)

    walk.LineSelection = TimedSelection  # type: ignore[misc]
    originals[(engine, "CHECKS")] = engine.CHECKS
    engine.CHECKS = tuple(_timed(acc, f"checks.{c.__name__}", lambda *a, c=c: list(c(*a))) for c in engine.CHECKS)
    try:
        total = _flake8_like_pass(files, settings, project=True)
    finally:
        for (module, name), value in originals.items():
            setattr(module, name, value)
    print(f"  phases of a further pass ({total:.3f} s with the timers):")
    for label, seconds in sorted(acc.items(), key=lambda kv: -kv[1]):
        print(f"    {label:40} {seconds:.4f} s  {seconds / total:6.1%}")


def _instruction_work(mode: str, list_file: Path) -> None:
    """What ``count`` measures, in the process valgrind watches: ``start`` only imports and loads the data;
    ``parse`` also parses every listed file (``parse2``: twice); ``plugin`` also runs the plugin's work on each;
    ``twice`` does the whole pass a second time, every per-run cache warm."""
    files = [Path(line) for line in list_file.read_text().splitlines() if line]
    settings = flake8_settings()
    load_surface()  # loaded in every mode: what is left is the plugin's work on the files
    passes = {"start": 0, "parse": 1, "parse2": 2, "plugin": 1, "twice": 2}[mode]
    index = ProjectIndex()
    for _ in range(passes):
        for path in files:
            try:
                text, tree = _read(path)
            except (SyntaxError, ValueError):
                continue
            lines = text.splitlines(True)  # flake8 hands the plugin its lines: not the plugin's cost
            if mode in ("plugin", "twice"):
                engine.check_lines(lines, tree, settings, project_for(str(path), index))


def count(files: List[Path]) -> None:
    """The plugin's own instructions on ``files``, counted by valgrind: the same number on every run, busy machine
    or not, so a change of a tenth of a percent shows (each run takes under a minute on the keras-dense files).
    The parse-only runs are subtracted (a second parse pass for the second pass: the first parse of a run has
    first-use costs of its own); the second pass shows what is left once every per-run cache is warm."""
    with tempfile.TemporaryDirectory() as scratch:
        listed = Path(scratch) / "files.txt"
        listed.write_text("\n".join(map(str, files)))
        # one uncounted run first: a module imported only by the plugin's work would otherwise have its bytecode
        # written inside the counted "plugin" run (a fresh checkout has none) and make the second pass negative
        speed.timed([sys.executable, __file__, "_work", "twice", str(listed)])
        counts = {mode: speed.count_instructions([sys.executable, __file__, "_work", mode, str(listed)])
                  for mode in ("start", "parse", "parse2", "plugin", "twice")}
    cold = counts["plugin"] - counts["parse"]
    warm = counts["twice"] - counts["plugin"] - (counts["parse2"] - counts["parse"])
    print(f"{len(files)} files, the plugin's own instructions:")
    print(f"  one pass, as one flake8 run pays    {cold:,}")
    print(f"  a second pass, caches warm          {warm:,}")


#: one-file flake8 runs: a file with backend code (the bundled example) and a file that never spells the word
_EXAMPLE = HERE.parent / "examples" / "legacy_keras" / "legacy_keras"
_PLAIN = (
    "import os\nimport sys\n\n\ndef main(argv):\n    for name in argv:\n        print(os.path.basename(name))\n"
    "    return 0\n\n\nif __name__ == '__main__':\n    sys.exit(main(sys.argv[1:]))\n"
)
_STAGES = ("flake8", "import", "target", "first file", "second file")


#: the process ``startup`` runs under valgrind, stage by stage: flake8's own modules, then each of the plugin's fixed
#: costs in the order a flake8 run pays them. Run with ``python -c`` because this module imports the plugin itself.
_STARTUP_RUNNER = """
import ast, sys
import flake8.checker, flake8.main.cli, flake8.plugins.pycodestyle, flake8.plugins.pyflakes, flake8.style_guide
done, codes, paths = int(sys.argv[1]), sys.argv[2].split(","), sys.argv[3:]
if done >= 1:
    from keras_backend_lint import plugin
if done >= 2:
    plugin.Plugin._settings = plugin.Settings(plugin._target_type("3"), codes=frozenset(codes))
for path in paths[:max(0, done - 2)]:
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    list(plugin.Plugin(ast.parse(text), text.splitlines(True), path).run())
"""


def startup(count: Callable[..., int] = speed.count_instructions) -> None:
    """What one flake8 invocation over one file pays for the plugin, in instructions (valgrind): with
    ``--keras-version=3``, and without it in a project that declares its Keras (the target read from its files)."""
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch)
        (project / "pyproject.toml").write_text('[project]\nname = "demo"\ndependencies = ["keras>=3.0,<3.9"]\n')
        plain = project / "tool.py"
        plain.write_text(_PLAIN)
        runs = (("a file with backend code", _EXAMPLE / "layers.py", True), ("a file without keras", plain, True),
                ("a file with backend code, target from the project", _EXAMPLE / "layers.py", False),
                ("a file without keras, target from the project", plain, False))
        for label, path, option in runs:
            cmds = {mode: speed.flake8_cmd(mode, [path]) for mode in ("with", "without")}
            if not option:
                cmds["with"] = [arg for arg in cmds["with"] if not arg.startswith("--keras-version")]
            speed.timed(cmds["with"], cwd=project)  # bytecode of a changed module is written here, uncounted
            with_, without = (count(cmds[mode], cwd=project) for mode in ("with", "without"))
            print(f"flake8 on one file, {label}: {with_ / without - 1:+.1%} instructions "
                  f"({with_:,} with the plugin vs {without:,})", flush=True)
    examples = [str(_EXAMPLE / "layers.py"), str(_EXAMPLE / "metrics.py")]
    codes = ",".join(sorted(_DEFAULT_CODES))
    counts = [count([sys.executable, "-c", _STARTUP_RUNNER, str(done), codes, *examples])
              for done in range(len(_STAGES))]
    print("the plugin's fixed costs, in instructions:")
    for stage, before, after in zip(_STAGES[1:], counts, counts[1:]):
        print(f"  {stage:12} {after - before:>13,}")


def snapshot(out: Path, folders: Dict[str, Path]) -> None:
    holdout = {pkg.folder for pkg in corpus.HOLDOUT}
    found: Dict[str, List[str]] = {"build": [], "holdout": []}
    for target in ("3", "2.15", ">=2.12,<3.4"):
        for codes_label, codes in (("default", _DEFAULT_CODES), ("all", None)):
            settings = flake8_settings(target, codes)
            index = ProjectIndex()
            for name, folder in sorted(folders.items()):
                part = "holdout" if name in holdout else "build"
                for path in speed.python_files([folder]):
                    try:
                        text, tree = _read(path)
                    except (SyntaxError, ValueError, OSError):
                        continue
                    for v in engine.check_lines(text.splitlines(True), tree, settings, project_for(str(path), index)):
                        found[part].append(f"{target}|{codes_label}|{path}:{v.line}:{v.col}: {v.text}")
    out.write_text("\n".join(found["build"]), encoding="utf-8")
    digest = hashlib.sha1("\n".join(found["holdout"]).encode()).hexdigest()
    print(f"build {len(found['build'])} (written to {out}) holdout {len(found['holdout'])} {digest}")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    phase_parser = sub.add_parser("phases", help="where the plugin's time goes on keras-dense files")
    phase_parser.add_argument("--keras-root", type=Path, help="any folder instead of the Keras corpus")
    count_parser = sub.add_parser("count", help="the plugin's own instructions on keras-dense files (valgrind)")
    count_parser.add_argument("--keras-root", type=Path, help="any folder instead of the Keras corpus")
    sub.add_parser("startup", help="what one flake8 invocation over one file pays for the plugin (valgrind)")
    work_parser = sub.add_parser("_work")  # the process `count` runs under valgrind
    work_parser.add_argument("mode", choices=("start", "parse", "parse2", "plugin", "twice"))
    work_parser.add_argument("list_file", type=Path)
    snap_parser = sub.add_parser("snapshot", help="every finding of the plugin path, for comparing two versions")
    snap_parser.add_argument("out", type=Path)
    snap_parser.add_argument("--keras-root", type=Path, help="any folder instead of the whole corpus")
    args = parser.parse_args(argv)
    if args.command == "_work":
        _instruction_work(args.mode, args.list_file)
        return 0
    if args.command == "startup":
        startup()
        return 0
    if args.keras_root:
        folders = {args.keras_root.name: args.keras_root}
    else:
        folders = {pkg.folder: path for pkg, path in corpus.ensure().items()}
    if args.command in ("phases", "count"):
        if args.keras_root:
            roots = [args.keras_root]
        else:
            keras_folders = {pkg.folder for pkg in corpus.KERAS_CORPUS}
            roots = [path for name, path in sorted(folders.items()) if name in keras_folders]
        dense = speed.keras_dense(roots)
        if args.command == "phases":
            phases(dense)
        else:
            count(dense)
    else:
        snapshot(args.out, folders)
    return 0


if __name__ == "__main__":
    sys.exit(main())
