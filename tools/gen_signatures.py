"""Print old (K.*) and new (Keras 3) signatures side by side for every replacement entry.

Review aid for ``keras_backend_lint/replacements.py``.  Old signatures are read
statically (``ast``) from released wheels/sdists of keras (2.15.0, 2.3.1, 2.2.4,
1.2.2, first match wins); new signatures come from ``inspect.signature`` on the
installed Keras 3, so run it with Keras 3 installed, e.g.::

    KERAS_BACKEND=numpy python tools/gen_signatures.py --download /tmp/keras-dists
    KERAS_BACKEND=numpy python tools/gen_signatures.py --dists /tmp/keras-dists --markdown > docs/replacements.md

Mismatches between the table and the real signatures are printed as ``!!`` lines
(text mode) and make the exit status 1.
"""
import argparse
import ast
import importlib
import inspect
import os
import subprocess
import sys
import tarfile
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

from keras_backend_lint.replacements import (  # noqa: E402
    EXTERNAL_TARGETS, IMPLICIT_PARAMS, NONE, REPLACEMENTS,
)

# (version, files inside the distribution, in lookup order)
OLD_SOURCES = (
    ("2.15.0", ("keras/src/backend.py", "keras/src/backend_config.py")),
    ("2.3.1", ("keras/backend/tensorflow_backend.py", "keras/backend/common.py")),
    ("2.2.4", ("keras/backend/tensorflow_backend.py", "keras/backend/common.py")),
    ("1.2.2", ("keras/backend/tensorflow_backend.py", "keras/backend/common.py")),
)


def download(dest):
    os.makedirs(dest, exist_ok=True)
    for version, _ in OLD_SOURCES:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":none:",
             "-q", "-d", dest, f"keras=={version}"],
            check=True,
        )


def _read_member(dist_path, member):
    if dist_path.endswith(".whl"):
        with zipfile.ZipFile(dist_path) as zf:
            try:
                return zf.read(member).decode("utf-8")
            except KeyError:
                return None
    with tarfile.open(dist_path) as tf:
        for m in tf.getmembers():
            if m.name.split("/", 1)[-1] == member:
                return tf.extractfile(m).read().decode("utf-8")
    return None


def _find_dist(dists_dir, version):
    for fn in sorted(os.listdir(dists_dir)):
        low = fn.lower()
        if low.startswith(f"keras-{version}") and (low.endswith(".whl") or low.endswith(".tar.gz")):
            return os.path.join(dists_dir, fn)
    return None


def old_signatures(dists_dir):
    """{name: (version, [(param, default source or None), ...], is_varargs)} first match wins."""
    result = {}
    for version, members in OLD_SOURCES:
        dist = _find_dist(dists_dir, version)
        if dist is None:
            print(f"warning: keras {version} not found in {dists_dir}", file=sys.stderr)
            continue
        for member in members:
            src = _read_member(dist, member)
            if src is None:
                continue
            for node in ast.parse(src).body:
                if not isinstance(node, ast.FunctionDef) or node.name in result:
                    continue
                a = node.args
                pos = a.posonlyargs + a.args
                defaults = [None] * (len(pos) - len(a.defaults)) + [ast.unparse(d) for d in a.defaults]
                params = [(p.arg, d) for p, d in zip(pos, defaults)]
                result[node.name] = (version, params, bool(a.vararg or a.kwarg))
    return result


def resolve(target):
    parts = target.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for attr in parts[i:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(target)


def new_signature(target):
    if target is None or target in EXTERNAL_TARGETS:
        return None
    try:
        return inspect.signature(resolve(target))
    except (TypeError, ValueError):
        return None


def fmt_old(params):
    return ", ".join(n if d is None else f"{n}={d}" for n, d in params)


def check(entry, old, sig):
    """Differences between the table entry and the real signatures."""
    problems = []
    if old is not None and entry.params:
        _, old_params, _ = old
        real = dict(old_params)
        order = [n for n, _ in old_params]
        listed = [p.name for p in entry.params if (entry.old, p.name) not in IMPLICIT_PARAMS]
        if listed != order[: len(listed)] or len(listed) != len(order):
            problems.append(f"old params {listed} != real {order}")
        for p in entry.params:
            if (entry.old, p.name) in IMPLICIT_PARAMS:
                continue
            if p.name in real and real[p.name] != p.default:
                problems.append(f"old default of {p.name}: table {p.default!r} real {real[p.name]!r}")
    if sig is not None and entry.kind == "call" and entry.safety != NONE:
        sp = sig.parameters
        for p in entry.params:
            if p.new_name is None:
                continue
            if p.new_name not in sp:
                problems.append(f"{p.new_name} is not a parameter of {entry.target}")
                continue
            d = sp[p.new_name].default
            real = "" if d is inspect.Parameter.empty else repr(d)
            if p.new_default is None or (real != (repr(ast.literal_eval(p.new_default)) if p.new_default else "")):
                problems.append(f"new default of {p.new_name}: table {p.new_default!r} real {real!r}")
        positional = [n for n, q in sp.items()
                      if q.kind in (q.POSITIONAL_ONLY, q.POSITIONAL_OR_KEYWORD)]
        if list(entry.new_positional) != positional[: len(entry.new_positional)]:
            problems.append(f"new_positional {entry.new_positional} is not a prefix of {positional}")
    return problems


def mapping_text(entry):
    out = []
    for p in entry.params:
        implicit = (entry.old, p.name) in IMPLICIT_PARAMS
        if p.new_name is None:
            out.append(f"{p.name} dropped")
        elif implicit:
            out.append(f"adds {p.new_name}={p.default}")
        elif p.new_name != p.name:
            out.append(f"{p.name} -> {p.new_name}")
        if not implicit and p.new_name and p.default is not None and p.new_default is not None \
                and p.default != p.new_default:
            out.append(f"adds {p.new_name}={p.default} (new default {p.new_default or 'required'})")
    return "; ".join(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dists", help="directory holding keras 2.15.0/2.3.1/2.2.4/1.2.2 distributions")
    ap.add_argument("--download", metavar="DIR", help="pip download the old distributions into DIR first")
    ap.add_argument("--markdown", action="store_true", help="print docs/replacements.md")
    args = ap.parse_args(argv)
    dists = args.dists or args.download
    if args.download:
        download(args.download)
    olds = old_signatures(dists) if dists else {}
    import keras

    bad = 0
    rows = []
    for name in sorted(REPLACEMENTS):
        e = REPLACEMENTS[name]
        old = olds.get(name)
        sig = new_signature(e.target)
        problems = check(e, old, sig)
        bad += bool(problems)
        old_txt = f"K.{name}({fmt_old(old[1])})  [keras {old[0]}]" if old else f"K.{name}  [not a def]"
        new_txt = f"{e.target}{sig}" if sig is not None else str(e.target)
        rows.append((name, e, old_txt, new_txt, problems))

    if args.markdown:
        print("# Keras backend replacements\n")
        print(f"Generated by `tools/gen_signatures.py` against Keras {keras.__version__} "
              "(`KERAS_BACKEND=numpy`); old signatures from the keras 2.15.0 / 2.3.1 / 2.2.4 / 1.2.2 "
              "sources. Fix safety: **safe** fixes keep behaviour (explicit arguments are added where "
              "defaults differ), **unsafe** fixes are opt-in, **none** has no automatic fix.\n")
        print("| old | old signature | Keras 3 | safety | argument mapping | note |")
        print("| --- | --- | --- | --- | --- | --- |")
        for name, e, old_txt, new_txt, _ in rows:
            old_sig = old_txt.split("  [")[0].replace("|", "\\|")
            tgt = f"`{new_txt}`" if e.target else "—"
            note = e.note.replace("|", "\\|")
            print(f"| `K.{name}` | `{old_sig}` | {tgt} | {e.safety} | {mapping_text(e)} | {note} |")
    else:
        print(f"keras {keras.__version__} ({keras.backend.backend()} backend)\n")
        for name, e, old_txt, new_txt, problems in rows:
            print(f"{old_txt}\n  -> {new_txt}\n     [{e.safety}/{e.kind}] {mapping_text(e)}")
            if e.note:
                print(f"     note: {e.note}")
            for p in problems:
                print(f"  !! {p}")
        print(f"\n{len(rows)} entries, {bad} with problems")
    return 1 if bad and not args.markdown else 0


if __name__ == "__main__":
    sys.exit(main())
