"""What a training run was made with: numpy, its BLAS, and the BLAS kernel chosen for this CPU."""

import ctypes
import platform
from pathlib import Path

import numpy as np

# OpenBLAS picks its kernels for the CPU at run time: the same numpy can round differently elsewhere.
CORENAME_FUNCTIONS = ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename", "openblas_get_corename")

REPRODUCIBLE = ("Bit for bit on the same machine with the same numpy and BLAS: two runs of the command give "
                "identical files. Elsewhere equal to within rounding, as BLAS kernels differ between CPUs: the "
                "weights differ in the last bits and the test accuracy by a few hundredths of a point.")


def blas_core():
    """The kernel OpenBLAS chose for this CPU (e.g. 'Haswell', 'Zen'), or None where it cannot be asked."""
    root = Path(np.__file__).resolve().parent
    for lib in [*root.parent.glob("numpy.libs/*openblas*"), *root.glob(".dylibs/*openblas*")]:
        try:
            blas = ctypes.CDLL(str(lib))    # already loaded by numpy: the same library, not a second copy
        except OSError:
            continue
        for name in CORENAME_FUNCTIONS:
            fn = getattr(blas, name, None)
            if fn is not None:
                fn.restype = ctypes.c_char_p
                return fn().decode()
    return None


def provenance():
    """{"numpy", "blas", "blas_core", "machine"} for the model card."""
    deps = np.show_config(mode="dicts").get("Build Dependencies", {})
    blas = deps.get("blas", {})
    return {"numpy": np.__version__,
            "blas": " ".join(str(blas[k]) for k in ("name", "version") if blas.get(k)) or None,
            "blas_core": blas_core(),
            "machine": platform.machine()}
