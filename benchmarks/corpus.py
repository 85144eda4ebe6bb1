"""The evaluation corpus: a pinned list of public PyPI distributions with Keras-era code, cached and unpacked.

    python benchmarks/corpus.py            # download (pip download --no-deps) and unpack what is missing
    python benchmarks/corpus.py --lock     # rewrite benchmarks/corpus.lock (file names and sha256) from the cache
    python benchmarks/corpus.py --list     # name==version, style and .py file count

Everything lands in ``benchmarks/.corpus/`` (git-ignored): ``dist/`` holds the downloaded files, ``src/<name>-<ver>/``
only their ``.py`` files. Nothing downloaded is ever committed. Re-running is a no-op once a package is unpacked
(a ``.complete`` marker is written last). When ``corpus.lock`` pins a sha256 for a file, the download is verified.
"""
from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Dict, Iterable, List, NamedTuple, Optional

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".corpus"
DIST = CACHE / "dist"
SRC = CACHE / "src"
LOCK = HERE / "corpus.lock"


class Package(NamedTuple):
    name: str
    version: str
    style: str
    #: download the sdist (``--no-binary :all:``): its tests/ and examples/ are the interesting part
    sdist: bool = False

    @property
    def pin(self) -> str:
        return f"{self.name}=={self.version}"

    @property
    def folder(self) -> str:
        return f"{self.name}-{self.version}"


#: Keras-era code of varied styles; each pin verified with ``pip download --no-deps`` on 2026-11-25.
KERAS_CORPUS: List[Package] = [
    Package("keras-vis", "0.4.1", "standalone Keras 2, Theano/TF branches, K.gradients, K.function"),
    Package("keras-rl", "0.4.2", "standalone Keras 2, TF1 sessions, K.function, custom optimizers"),
    Package("keras-resnet", "0.2.0", "standalone Keras 2 custom layers (BatchNormalization freeze)"),
    Package("keras-retinanet", "1.0.0", "standalone Keras 2, backend wrappers over tf (K.tf era)"),
    Package("keras-maskrcnn", "0.2.2", "standalone Keras 2 on top of keras-retinanet"),
    Package("mrcnn", "0.2", "Matterport Mask R-CNN: Keras 2.0-2.2, K.* inside layers, TF1 graph code"),
    Package("keract", "4.5.1", "tf.keras/keras activations, K.function"),
    Package("keras-self-attention", "0.30.0", "standalone Keras 2 custom layers full of K.*"),
    Package("keras-radam", "0.15.0", "Keras 2 optimizer written with K.*"),
    Package("keras-metrics", "1.1.0", "standalone Keras 2 metrics with K.* and K.get_session"),
    Package("kapre", "0.1.3", "Keras 2 audio layers with Theano branches and K.backend() comparisons"),
    Package("keras-applications", "1.0.8", "backend injected through **kwargs (backend = None) - must stay silent"),
    Package("segmentation-models", "1.0.1", "keras / tf.keras switchable via injected submodules"),
    Package("efficientnet", "1.1.1", "keras / tf.keras switchable, custom layers"),
    Package("keras-tcn", "3.5.0", "tf.keras 2.x layers"),
    Package("keras-adamw", "1.38", "optimizers with K.* for keras and tf.keras"),
    Package("deepctr", "0.9.3", "tf.keras 2.x, tensorflow.python.keras imports, K.*"),
    Package("innvestigate", "1.0.9", "standalone Keras 2.2, heavy K.* use, K.get_session"),
    Package("kerassurgeon", "0.2.0", "standalone Keras 2 model surgery"),
    Package("keras-vggface", "0.6", "standalone Keras 2 applications, K.image_data_format"),
    Package("spektral", "1.3.0", "tf.keras 2.x graph layers with `from tensorflow.keras import backend as K`"),
    Package("keras-rl2", "1.0.5", "tf.keras 2.x port of keras-rl"),
    Package("hyperas", "0.4.1", "standalone Keras 2 templates"),
    Package("keras-tuner", "1.4.7", "Keras 3 / tf.keras compatible library code"),
    Package("autokeras", "2.0.0", "Keras 3 code"),
    Package("keras-cv", "0.9.0", "Keras 3 (keras.ops, keras.backend) large library"),
    Package("keras-hub", "0.20.0", "Keras 3 large library"),
    Package("keras", "2.2.4", "Keras 2.2.4 sdist: examples/ and tests/ (theano/cntk/tensorflow_backend imports)", True),
    Package("imageai", "2.1.5", "standalone Keras 2 applications and detection (YOLOv3 with K.*)"),
    Package("adversarial-robustness-toolbox", "1.0.0", "keras / tf.keras classifiers, `import keras.backend as k`"),
    Package("cleverhans", "3.0.1", "TF1 + Keras 2 adversarial attacks, K.get_session"),
    Package("eli5", "0.10.1", "Keras Grad-CAM explanations with K.gradients"),
    Package("keras2onnx", "1.7.0", "Keras converter: keras / tf.keras internals"),
    Package("foolbox", "1.8.0", "Keras model wrapper, K.function and K.gradients"),
    Package("talos", "0.6.3", "standalone Keras 2 hyperparameter scans and metrics with K.*"),
    Package("textgenrnn", "1.5.0", "standalone/tf.keras text generation layers"),
    Package("mtcnn", "0.1.0", "tf.keras face detection"),
    Package("elephas", "0.4.3", "Keras 2 on Spark"),
]

#: a large pure-Python code base that never spells keras, for the speed budget of files without Keras
BIG_NO_KERAS = Package("django", "4.2.16", "large pure-Python package without Keras")

#: Held out: evaluated and reported apart (``--holdout`` in the benchmark scripts); nobody looks at these files
#: while building rules or fixes, so their numbers say how the tool does on code it was not tuned on.
#: Chosen on 2026-11-30 by name and era only, before anyone had read their code.
HOLDOUT: List[Package] = [
    Package("voxelmorph", "0.1", "standalone Keras 2 registration networks (held out)"),
    Package("neurite", "0.1", "standalone Keras 2 layers and utilities (held out)"),
    Package("keras-bert", "0.50.0", "standalone Keras 2 transformer layers (held out)"),
    Package("keras-transformer", "0.30.0", "standalone Keras 2 transformer (held out)"),
    Package("anago", "1.0.8", "Keras 2 sequence labelling with CRF (held out)"),
    Package("image-classifiers", "0.2.2", "keras / tf.keras switchable applications (held out)"),
    Package("matchzoo", "2.1.0", "Keras 2 text matching models (held out)"),
    Package("keras-gcn", "0.10", "Keras 2 graph convolution layers (held out)"),
    Package("deepface", "0.0.30", "keras / tf.keras face recognition (held out)"),
    Package("keras-unet-collection", "0.1.5", "tf.keras 2.x U-Net variants (held out)"),
]

ALL = KERAS_CORPUS + HOLDOUT + [BIG_NO_KERAS]
HOLDOUT_FOLDERS = frozenset(pkg.folder for pkg in HOLDOUT)


def read_lock() -> Dict[str, Dict[str, str]]:
    """pin -> {file, sha256}"""
    out: Dict[str, Dict[str, str]] = {}
    if not LOCK.exists():
        return out
    for line in LOCK.read_text("utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        pin, filename, digest = line.split()
        out[pin] = {"file": filename, "sha256": digest.split(":", 1)[1]}
    return out


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _dist_file(pkg: Package) -> Optional[Path]:
    """The downloaded file of ``pkg`` in the cache, if any (wheel or sdist; names are normalised differently)."""
    lock = read_lock().get(pkg.pin)
    if lock and (DIST / lock["file"]).exists():
        return DIST / lock["file"]
    stems = {pkg.name, pkg.name.replace("-", "_"), pkg.name.replace("-", "_").title(), pkg.name.title()}
    for path in sorted(DIST.glob("*")) if DIST.exists() else []:
        lowered = path.name.lower()
        for stem in stems:
            prefix = f"{stem}-{pkg.version}".lower()
            if lowered.startswith(prefix + "-") or lowered.startswith(prefix + ".t") or lowered.startswith(
                prefix + ".zip"
            ):
                return path
    return None


def download(pkg: Package, quiet: bool = True) -> Path:
    found = _dist_file(pkg)
    if found is None:
        DIST.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
               pkg.pin, "-d", str(DIST)]
        if pkg.sdist:
            cmd[5:5] = ["--no-binary", ":all:"]
        if quiet:
            cmd.insert(4, "-q")
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL if quiet else None)
        found = _dist_file(pkg)
        if found is None:
            raise RuntimeError(f"pip download {pkg.pin} left no recognisable file in {DIST}")
    lock = read_lock().get(pkg.pin)
    if lock is not None and _sha256(found) != lock["sha256"]:
        raise RuntimeError(f"{found.name}: sha256 differs from corpus.lock; delete it and re-download")
    return found


def unpack(pkg: Package, archive: Path) -> Path:
    """Extract only the .py files (safe paths only) into ``src/<name>-<version>/``."""
    dest = SRC / pkg.folder
    marker = dest / ".complete"
    if marker.exists():
        return dest
    dest.mkdir(parents=True, exist_ok=True)

    def safe(member: str) -> Optional[Path]:
        parts = Path(member).parts
        if not member.endswith(".py") or member.startswith("/") or ".." in parts:
            return None
        return dest.joinpath(*parts)

    if archive.suffix in (".whl", ".zip"):
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                target = safe(info.filename)
                if target is not None and not info.is_dir():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(zf.read(info))
    else:
        with tarfile.open(archive) as tf:
            for member in tf.getmembers():
                target = safe(member.name)
                if target is not None and member.isfile():
                    data = tf.extractfile(member)
                    if data is not None:
                        target.parent.mkdir(parents=True, exist_ok=True)
                        target.write_bytes(data.read())
    marker.write_text(archive.name + "\n", "utf-8")
    return dest


def ensure(packages: Optional[Iterable[Package]] = None, quiet: bool = True) -> Dict[Package, Path]:
    """Download and unpack each package once; returns package -> its source folder."""
    out = {}
    for pkg in packages if packages is not None else ALL:
        dest = SRC / pkg.folder
        if (dest / ".complete").exists():
            out[pkg] = dest
            continue
        out[pkg] = unpack(pkg, download(pkg, quiet=quiet))
    return out


def python_files(root: Path) -> List[Path]:
    return sorted(p for p in root.rglob("*.py") if p.is_file())


def write_lock() -> None:
    lines = ["# name==version  file  sha256 (written by `python benchmarks/corpus.py --lock`)"]
    for pkg in ALL:
        path = download(pkg)
        lines.append(f"{pkg.pin}  {path.name}  sha256:{_sha256(path)}")
    LOCK.write_text("\n".join(lines) + "\n", "utf-8")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lock", action="store_true", help="rewrite corpus.lock from the downloaded files")
    parser.add_argument("--list", action="store_true", help="print name==version, .py file count and style")
    args = parser.parse_args(argv)
    if args.lock:
        write_lock()
    folders = ensure(quiet=False)
    if args.list or not args.lock:
        for pkg, folder in folders.items():
            print(f"{pkg.pin:28} {len(python_files(folder)):5} files  {pkg.style}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
