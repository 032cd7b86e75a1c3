#!/usr/bin/python3
"""Seconds per epoch of the lecture's Keras models, re-implemented in PyTorch (Debian python3-torch 1.13),
trained on synthetic data of the same shapes with Keras-equivalent fit() settings:

  * optimizer Adam (Keras defaults: lr=0.001, beta1=0.9, beta2=0.999, eps=1e-7); lr=0.01 for m3/m4
  * batch_size=32, shuffle each epoch (Keras fit default shuffle=True)
  * validation_split=0.2: like Keras, the LAST 20% of the rows (no shuffle before the split) are held out,
    and the validation loss is computed at the end of every epoch in eval mode (dropout off), batch 32
  * the loss (and, for m1, binary accuracy; for m5/m6, categorical accuracy) is accumulated per step as Keras's
    progress logs do

Models:
  m1  MLP 30 -> Dense128 relu -> Dropout .4 -> Dense64 relu -> Dropout .4 -> Dense32 relu -> Dropout .4
      -> Dense1 sigmoid, binary cross-entropy, 455 rows (364 train / 91 val), 100 epochs
  m2  functional two-input: in1(10)->Dense10 relu ; in2(5)->Dense20 relu ; concat -> Dense8 relu -> Dense1,
      MSE, 300 rows (240/60), 50 epochs
  m3  SimpleRNN(8, tanh) on (timesteps=4, features=1) -> Dense1, MSE, Adam(0.01), 150 rows (120/30), 100 epochs
  m4  LSTM(16) same data and settings as m3
  m5  MLP 784 -> Dense512 relu -> Dense512 relu -> Dense10 softmax, categorical cross-entropy,
      10,000 rows (8,000/2,000), 3 epochs  (GEMM-bound)
  m6  small CNN on 8x8x1 images (Keras channels-last (8, 8, 1); here NCHW (1, 8, 8), the synthetic data is
      transposed, the math is the same): Conv2D(16, 3x3, stride 1, valid, relu) -> 6x6x16 -> MaxPooling2D(2)
      -> 3x3x16 -> Conv2D(32, 3x3, valid, relu) -> 1x1x32 -> Flatten 32 -> Dense10 softmax, categorical
      cross-entropy, 1,797 rows (1,437/360; integer pixel values 0..16 like sklearn's 8x8 digits, random
      labels), 20 epochs; 5,130 parameters (160 + 4,640 + 330)

Weight init is PyTorch's default (does not change the timing). Two data-feeding styles are measured:
  --loader slice : index tensors with a per-epoch randperm (lean hand-written loop)
  --loader dl    : torch.utils.data.DataLoader(TensorDataset, batch_size=32, shuffle=True) (tutorial style)

Threads: set OMP_NUM_THREADS and OPENBLAS_NUM_THREADS in the environment (bench/run does) -- Debian's
torch runs its GEMMs in OpenBLAS, whose pool torch.set_num_threads() does not control; this script also calls
torch.set_num_threads(N) with N from OMP_NUM_THREADS.

Output: one line per (model, dtype, loader, run): the per-epoch wall times' median (epoch = train steps +
validation pass), the first epoch, and the total fit() time.
Usage: OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 torch_lecture.py --models m1,m2 --dtype float32 --runs 5
"""
import argparse
import math
import os
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


class M1(nn.Module):
    def __init__(self):
        super().__init__()
        self.d1, self.d2, self.d3, self.out = nn.Linear(30, 128), nn.Linear(128, 64), nn.Linear(64, 32), nn.Linear(32, 1)
        self.drop = nn.Dropout(0.4)

    def forward(self, x):
        x = self.drop(F.relu(self.d1(x)))
        x = self.drop(F.relu(self.d2(x)))
        x = self.drop(F.relu(self.d3(x)))
        return torch.sigmoid(self.out(x))


class M2(nn.Module):
    def __init__(self):
        super().__init__()
        self.a, self.b, self.c, self.out = nn.Linear(10, 10), nn.Linear(5, 20), nn.Linear(30, 8), nn.Linear(8, 1)

    def forward(self, x1, x2):
        h = torch.cat([F.relu(self.a(x1)), F.relu(self.b(x2))], dim=1)
        return self.out(F.relu(self.c(h)))


class M3(nn.Module):  # Keras SimpleRNN(8) (tanh) -> Dense(1)
    def __init__(self):
        super().__init__()
        self.rnn, self.out = nn.RNN(1, 8, nonlinearity="tanh", batch_first=True), nn.Linear(8, 1)

    def forward(self, x):
        _, h = self.rnn(x)
        return self.out(h[-1])


class M4(nn.Module):  # Keras LSTM(16) -> Dense(1)
    def __init__(self):
        super().__init__()
        self.rnn, self.out = nn.LSTM(1, 16, batch_first=True), nn.Linear(16, 1)

    def forward(self, x):
        _, (h, _) = self.rnn(x)
        return self.out(h[-1])


class M5(nn.Module):
    def __init__(self):
        super().__init__()
        self.d1, self.d2, self.out = nn.Linear(784, 512), nn.Linear(512, 512), nn.Linear(512, 10)

    def forward(self, x):
        return self.out(F.relu(self.d2(F.relu(self.d1(x)))))  # softmax folded into the loss


class M6(nn.Module):  # Keras Conv2D(16,3,relu) -> MaxPooling2D(2) -> Conv2D(32,3,relu) -> Flatten -> Dense(10)
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 3, stride=1, padding=0)   # "valid": 8x8 -> 6x6
        self.c2 = nn.Conv2d(16, 32, 3, stride=1, padding=0)  # 3x3 -> 1x1
        self.out = nn.Linear(32, 10)

    def forward(self, x):  # x: (N, 1, 8, 8)
        h = F.max_pool2d(F.relu(self.c1(x)), 2)  # (N, 16, 3, 3)
        h = F.relu(self.c2(h))  # (N, 32, 1, 1): 1x1 spatial, so flatten order = Keras's channels-last Flatten
        return self.out(torch.flatten(h, 1))  # softmax folded into the loss


def make(name, dtype, g):
    """Returns model, inputs (list), target, loss_fn, lr, epochs, has_accuracy."""
    if name == "m1":
        n = 455
        x = torch.randn(n, 30, generator=g, dtype=dtype)
        y = (x[:, :3].sum(1, keepdim=True) > 0).to(dtype)
        return M1(), [x], y, nn.BCELoss(), 1e-3, 100, True
    if name == "m2":
        n = 300
        x1, x2 = torch.randn(n, 10, generator=g, dtype=dtype), torch.randn(n, 5, generator=g, dtype=dtype)
        y = x1[:, :1] - 2 * x2[:, :1] + 0.1 * torch.randn(n, 1, generator=g, dtype=dtype)
        return M2(), [x1, x2], y, nn.MSELoss(), 1e-3, 50, False
    if name in ("m3", "m4"):
        n = 150
        s = torch.sin(torch.arange(n + 5, dtype=dtype) * 0.2)
        x = torch.stack([s[i:i + 4] for i in range(n)]).unsqueeze(-1)  # (150, 4, 1)
        y = s[4:4 + n].unsqueeze(-1)
        return (M3() if name == "m3" else M4()), [x], y, nn.MSELoss(), 1e-2, 100, False
    if name == "m5":
        n = 10000
        x = torch.rand(n, 784, generator=g, dtype=dtype)
        y = torch.randint(0, 10, (n,), generator=g)
        return M5(), [x], y, nn.CrossEntropyLoss(), 1e-3, 3, True
    if name == "m6":
        n = 1797
        x = torch.randint(0, 17, (n, 8, 8, 1), generator=g).to(dtype)  # Keras layout (N, H, W, C), values 0..16
        x = x.permute(0, 3, 1, 2).contiguous()  # -> PyTorch's (N, C, H, W) = (1797, 1, 8, 8)
        y = torch.randint(0, 10, (n,), generator=g)
        return M6(), [x], y, nn.CrossEntropyLoss(), 1e-3, 20, True
    raise ValueError(name)


def fit(name, dtype, loader, epochs_override=None):
    g = torch.Generator().manual_seed(0)
    model, xs, y, loss_fn, lr, epochs, has_acc = make(name, dtype, g)
    if epochs_override:
        epochs = epochs_override
    model = model.to(dtype)
    opt = torch.optim.Adam(model.parameters(), lr=lr, eps=1e-7)  # Keras Adam defaults
    n = y.shape[0]
    ntr = int(math.floor(n * (1.0 - 0.2)))  # Keras: first 80% train, last 20% validation
    xtr, ytr = [x[:ntr] for x in xs], y[:ntr]
    xva, yva = [x[ntr:] for x in xs], y[ntr:]
    bs = 32
    if loader == "dl":
        train_dl = DataLoader(TensorDataset(*xtr, ytr), batch_size=bs, shuffle=True)
        val_dl = DataLoader(TensorDataset(*xva, yva), batch_size=bs, shuffle=False)

    def acc_of(out, t):
        if name in ("m5", "m6"):
            return (out.argmax(1) == t).sum().item()
        return ((out > 0.5).to(t.dtype) == t).sum().item()

    epoch_times = []
    t_fit = time.perf_counter()
    for ep in range(epochs):
        t0 = time.perf_counter()
        model.train()
        tot_loss, tot_acc, seen = 0.0, 0, 0
        if loader == "dl":
            batches = ((b[:-1], b[-1]) for b in train_dl)
        else:
            perm = torch.randperm(ntr)
            batches = (([x[idx] for x in xtr], ytr[idx]) for idx in (perm[i:i + bs] for i in range(0, ntr, bs)))
        for bx, by in batches:
            opt.zero_grad(set_to_none=True)
            out = model(*bx)
            loss = loss_fn(out, by)
            loss.backward()
            opt.step()
            k = by.shape[0]
            tot_loss += loss.item() * k
            if has_acc:
                tot_acc += acc_of(out, by)
            seen += k
        model.eval()
        vloss, vacc, vseen = 0.0, 0, 0
        with torch.no_grad():
            if loader == "dl":
                vb = ((b[:-1], b[-1]) for b in val_dl)
            else:
                vb = (([x[i:i + bs] for x in xva], yva[i:i + bs]) for i in range(0, n - ntr, bs))
            for bx, by in vb:
                out = model(*bx)
                k = by.shape[0]
                vloss += loss_fn(out, by).item() * k
                if has_acc:
                    vacc += acc_of(out, by)
                vseen += k
        epoch_times.append(time.perf_counter() - t0)
    total = time.perf_counter() - t_fit
    return epoch_times, total, tot_loss / seen, vloss / vseen, ntr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default="m1,m2,m3,m4,m5")
    ap.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    ap.add_argument("--loader", default="slice", choices=["slice", "dl"])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--epochs", type=int, default=0, help="override epochs (0 = model default)")
    a = ap.parse_args()
    threads = int(os.environ.get("OMP_NUM_THREADS", "1"))
    torch.set_num_threads(threads)
    dtype = getattr(torch, a.dtype)
    la = lambda: " ".join(open("/proc/loadavg").read().split()[:3])
    print(f"# torch {torch.__version__} threads={threads} OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')} "
          f"dtype={a.dtype} loader={a.loader} loadavg={la()}", flush=True)
    for name in a.models.split(","):
        for r in range(a.runs):
            et, total, tl, vl, ntr = fit(name, dtype, a.loader, a.epochs or None)
            print(f"{name} dtype={a.dtype} threads={threads} loader={a.loader} run={r} epochs={len(et)} ntrain={ntr} "
                  f"median_epoch_s={statistics.median(et):.5f} first_epoch_s={et[0]:.5f} "
                  f"min_epoch_s={min(et):.5f} fit_total_s={total:.3f} loss={tl:.4f} val_loss={vl:.4f} loadavg={la()}",
                  flush=True)


if __name__ == "__main__":
    main()
