#!/usr/bin/env python3
"""Train chapter 9's recurrent models in real Keras 3 and record their validation MAE.

The Go test TestLectureTimeSeries (dl/rnn_lecture_test.go) trains the same models on the same data
with the same settings in dl and compares its mean validation MAE with the Keras figures this script
writes to dl/testdata/keras/timeseries.json.

The procedure is the lecture's, on New York's weekly mean temperature (datasets/testdata/weekly_temperature_new_york.csv):

    data['y'] = data['AvgTemp'].shift(-1); data = data.dropna()
    x = MinMaxScaler().fit_transform(data[['AvgTemp']]); y scaled by its own MinMaxScaler
    x2, y2 = temporalize(x, y, 4)       # window i = rows i..i+3, label y[i+3]
    train/validation split keeping the last 53 windows (one year) for validation, no shuffling
    Sequential([Input((4, 1)), SimpleRNN(8) or LSTM(16), Dense(1)]), Adam(0.01), mse,
    fit(epochs=EPOCHS, batch_size=32), predict the validation windows, inverse-scale,
    mean absolute error in degrees Celsius.

Keras runs in its default float32, as the lecture does, once per seed (keras.utils.set_random_seed).

Run: tools/keras/run_timeseries.sh   (uses the same virtual environment as run.sh)
"""

import csv
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import keras  # noqa: E402
import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SEEDS = [1, 2, 3, 4, 5]
EPOCHS = 100
TIMESTEPS = 4
VALIDATION = 53


def minmax(v):
    lo, hi = v.min(), v.max()
    return (v - lo) / (hi - lo), lo, hi


def data():
    with open(os.path.join(ROOT, "datasets", "testdata", "weekly_temperature_new_york.csv")) as f:
        temps = np.array([float(r["AvgTemp"]) for r in csv.DictReader(f)])
    x, y = temps[:-1], temps[1:]  # y = next week's temperature (shift(-1), dropna)
    xs, _, _ = minmax(x)
    ys, ylo, yhi = minmax(y)
    n = len(x) - TIMESTEPS + 1
    x2 = np.stack([xs[i:i + TIMESTEPS] for i in range(n)])[:, :, None]
    y2 = np.array([ys[i + TIMESTEPS - 1] for i in range(n)])
    split = n - VALIDATION
    return (x2[:split], y2[:split]), (x2[split:], y2[split:]), (ylo, yhi), x[-VALIDATION:]


def run(layer, seed, train, val, yrange):
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input((TIMESTEPS, 1)), layer(), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    model.fit(train[0], train[1], epochs=EPOCHS, batch_size=32, verbose=0)
    pred = model.predict(val[0], verbose=0)[:, 0]
    lo, hi = yrange
    return float(np.mean(np.abs(pred * (hi - lo) - val[1] * (hi - lo))))


def main():
    train, val, yrange, last_x = data()
    lo, hi = yrange
    naive = float(np.mean(np.abs(last_x - (val[1] * (hi - lo) + lo))))
    models = {
        "SimpleRNN(8)": lambda: keras.layers.SimpleRNN(8),
        "LSTM(16)": lambda: keras.layers.LSTM(16),
    }
    out = {
        "keras_version": keras.__version__,
        "backend": keras.backend.backend(),
        "floatx": keras.config.floatx(),
        "settings": {"timesteps": TIMESTEPS, "validation_windows": VALIDATION, "epochs": EPOCHS,
                     "batch_size": 32, "optimizer": "Adam(0.01)", "loss": "mse", "seeds": SEEDS,
                     "train_windows": int(len(train[0]))},
        "naive_mae": naive,
        "models": {},
    }
    for name, layer in models.items():
        maes = [run(layer, s, train, val, yrange) for s in SEEDS]
        out["models"][name] = {"mae": maes, "mean_mae": float(np.mean(maes))}
        print(name, ["%.3f" % m for m in maes], "mean %.3f" % np.mean(maes), file=sys.stderr)
    path = os.path.join(ROOT, "dl", "testdata", "keras", "timeseries.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", path, file=sys.stderr)


if __name__ == "__main__":
    main()
