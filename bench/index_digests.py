"""What `wijkbot index --rebuild` writes, as digests: one sha256 per model file, on a fresh data dir.

For work on the speed of the build: the models must stay the same. Run it on two checkouts (`--root`, such as a
`git archive` copy of main) and compare the lists; the same hash seed is used for both (PYTHONHASHSEED=0, as the
suite's test_the_build_on_two_cores_gives_the_models_of_a_serial_build). Files: the index's models, vectors and
memory, and the models trained into the data dir (situation model, learned order, act model, partner kinds).

Run: .venv/bin/python bench/index_digests.py [--root PATH] [--keep DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INDEX_FILES = ("fusion_model.npz", "scope_model.npz", "sentence_model.json", "memory/memory.npz", "units.npz",
               "sentences.npz")  # fmt: skip
TRAINED = ("begrip", "dialoog")  # folders of the data dir with models trained by `wijkbot index`
TRAINED_SUFFIXES = (".pkl", ".npz", ".json")


def digests(data_dir: Path) -> dict[str, str]:
    """sha256 per model file of a built data dir (names relative to the data dir, the index folder as `index/`)."""
    index_dir = data_dir / "index"
    folder = index_dir / json.loads((index_dir / "manifest.json").read_text(encoding="utf-8"))["folder"]
    out = {f"index/{name}": hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in INDEX_FILES}
    for name in TRAINED:
        for path in sorted((data_dir / name).rglob("*")):
            if path.is_file() and path.suffix in TRAINED_SUFFIXES:
                out[str(path.relative_to(data_dir))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--root", type=Path, default=ROOT, help="checkout whose code builds (default: this one)"
    )
    parser.add_argument("--keep", type=Path, default=None, help="build into this data dir (kept) instead")
    args = parser.parse_args()
    root = args.root.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.keep.resolve() if args.keep else Path(tmp) / "data"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "TELEGRAM_", "CHROMA_"))}
        env.update(WIJKBOT_DATA_DIR=str(data_dir), PYTHONPATH=str(root), PYTHONHASHSEED="0")
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bot", "index", "--rebuild"], env=env, cwd=root, check=True,
                       capture_output=True)  # fmt: skip
        print(f"# {root}: built in {time.perf_counter() - started:.1f} s (load {os.getloadavg()[0]:.1f})")
        for name, digest in digests(data_dir).items():
            print(f"{digest[:16]}  {name}")


if __name__ == "__main__":
    main()
