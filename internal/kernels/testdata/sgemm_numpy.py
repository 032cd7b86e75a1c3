"""NumPy's float32 matmul (OpenBLAS's sgemm) on BenchmarkSgemm's products.

The reference peak for Sgemm: run it with the NumPy of tools/keras/.venv,
once on one thread and once on two, as

    OPENBLAS_NUM_THREADS=1 tools/keras/.venv/bin/python internal/kernels/testdata/sgemm_numpy.py
    OPENBLAS_NUM_THREADS=2 tools/keras/.venv/bin/python internal/kernels/testdata/sgemm_numpy.py

It prints one line a product, named as BenchmarkSgemm's sub-benchmarks
(model/NN|TN|NT/m×n×k), with the best of several timings in GFLOPS (two
floating-point operations per multiply-add). The transposed operands are
views, as dl's are stored: np.matmul hands them to sgemm with its
transpose flags. The kernel gradients (TN) add into C, as in training.
"""

import os
import time

import numpy as np


def mlp_shapes(model, width, batch=32, inp=784, out=10):
    """The products of a training step of an MLP inp→width→width→out."""
    return [
        (model, "NN", batch, width, inp),
        (model, "NN", batch, width, width),
        (model, "NN", batch, out, width),
        (model, "TN", inp, width, batch),
        (model, "TN", width, width, batch),
        (model, "TN", width, out, batch),
        (model, "NT", batch, inp, width),
        (model, "NT", batch, width, width),
        (model, "NT", batch, width, out),
    ]


SHAPES = mlp_shapes("m5", 512) + mlp_shapes("w1024", 1024) + mlp_shapes("w2048", 2048)


def rate(tr, m, n, k, seconds=0.3, repeats=5):
    rng = np.random.default_rng(1)
    a = rng.uniform(-1, 1, (k, m) if tr == "TN" else (m, k)).astype(np.float32)
    b = rng.uniform(-1, 1, (n, k) if tr == "NT" else (k, n)).astype(np.float32)
    c = np.zeros((m, n), np.float32)
    opa = a.T if tr == "TN" else a
    opb = b.T if tr == "NT" else b

    def step():
        if tr == "TN":
            c[...] += np.matmul(opa, opb)
        else:
            np.matmul(opa, opb, out=c)

    step()
    n_calls = 1
    while True:  # enough calls for about seconds/repeats a timing
        t = time.perf_counter()
        for _ in range(n_calls):
            step()
        if time.perf_counter() - t > seconds / repeats:
            break
        n_calls *= 2
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        for _ in range(n_calls):
            step()
        best = min(best, (time.perf_counter() - t) / n_calls)
    return 2 * m * n * k / best / 1e9


def main():
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    print(f"numpy {np.__version__}, OPENBLAS_NUM_THREADS={threads}")
    for model, tr, m, n, k in SHAPES:
        print(f"{model}/{tr}/{m}x{n}x{k}\t{rate(tr, m, n, k):.1f} GFLOPS")


if __name__ == "__main__":
    main()
