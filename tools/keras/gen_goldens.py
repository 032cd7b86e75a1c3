#!/usr/bin/env python3
"""Generate the Keras golden fixtures used by the Go tests of package `dl`.

What it writes
--------------
JSON files in dl/testdata/keras/ (relative to the repository root):

    activations.json   keras.activations.get(name)(x) and d(sum(y*w))/dx
    dense.json         keras.layers.Dense forward passes with fixed weights
    losses.json        compile-style loss values and d loss / d y_pred
    metrics.json       metric values ('accuracy' resolution, mae, mse)
    regularizers.json  L1 / L2 / L1L2 penalties and their gradients
    optimizers.json    10 optimizer steps on a (3,2) variable, per config
    train_step.json    loss, gradients and 10 train_on_batch steps of small models
    fit.json           model.fit history, final weights, evaluate, predict
    summary.json       model.summary() text as printed to a pipe
    callbacks.json     EarlyStopping, ModelCheckpoint, ReduceLROnPlateau, LearningRateScheduler,
                       TerminateOnNaN and CSVLogger behaviour tables
    rnn.json           SimpleRNN / LSTM / GRU forward passes (all outputs and states),
                       one Adam step of small recurrent models (Sequential, and a
                       functional one using return_state), parameter counts, and a
                       stacked-LSTM summary
    functional.json    functional models: the lecture's two-input model, a model with shared
                       layers, merges and two outputs (loss, gradients, train steps, fit
                       history, evaluate), nested Sequential, LSTM return_state, summaries
    conv.json          Conv2D / Conv1D / pooling / Flatten layers (outputs, input and weight
                       gradients, configs), three small CNNs (loss, gradients, ten Adam steps,
                       a 3-epoch fit history, predict) and their summaries

Every file is one JSON object
    {"keras_version", "jax_version", "backend": "jax", "floatx", ..., "cases": [...]}
with arrays written as nested lists (row-major, numpy .tolist()) and numbers
at full float64 precision. One case per line, so diffs stay readable.

All computations run with real Keras 3 on the JAX backend (CPU) with
jax_enable_x64 and keras floatx = "float64". All inputs and weights come from
numpy RandomState with fixed seeds; the output is byte-for-byte reproducible
for a given Keras/JAX version.

How to run
----------
    tools/keras/run.sh            # creates tools/keras/.venv from requirements.txt, then runs this

or, with an environment that already has the pinned packages:

    python tools/keras/gen_goldens.py [--out DIR] [--only NAME ...]

The Go tests only read the JSON files; they never need Python.
"""

import argparse
import contextlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import warnings

os.environ["KERAS_BACKEND"] = "jax"
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import jax  # noqa: E402

# The *_f32 fixtures are made the way a Keras user computes: floatx float32,
# JAX without x64. main() runs them in a child process with this set.
FLOAT32_RUN = os.environ.get("DLGO_KERAS_FLOAT32", "") == "1"
if not FLOAT32_RUN:
    jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

import keras  # noqa: E402
from keras.src.backend.common import dtypes as keras_dtypes  # noqa: E402
from keras.src.trainers import compile_utils  # noqa: E402

# Keras' type promotion (keras.src.backend.common.dtypes._lattice_result_type)
# demotes every float64 result to float32 on all backends except TensorFlow,
# even with jax_enable_x64. Ops that go through backend.result_type (ops.tanh,
# ops.mean, ops.multiply with a Python float, ...) then silently compute in
# float32 and variables cast the result back to float64. Map float64 to itself,
# which is what the TensorFlow backend does, so the fixtures are true float64.
# Set DLGO_KERAS_NO_F64_FIX=1 to see the unfixed numbers.
FLOAT64_FIX = os.environ.get("DLGO_KERAS_NO_F64_FIX", "") != "1" and not FLOAT32_RUN
# How closely the generator's own cross-checks agree: float64, or float32.
TOL, RTOL, ATOL = (1e-5, 1e-3, 1e-7) if FLOAT32_RUN else (1e-12, 1e-10, 1e-14)
if FLOAT64_FIX:
    keras_dtypes.BIT64_TO_BIT32_DTYPE["float64"] = "float64"

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_OUT = os.path.join(REPO, "dl", "testdata", "keras")
HERE = os.path.abspath(__file__)


def set_floatx(fx="float64"):
    keras.config.set_floatx(fx)


set_floatx("float64")

ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


# ----------------------------------------------------------------------------
# helpers


def L(a):
    """Array-like -> nested Python lists (float64 unless integer)."""
    a = np.asarray(a)
    if a.dtype.kind in "iub":
        return a.tolist()
    return a.astype(np.float64).tolist()


def F(v):
    return float(np.asarray(v))


def check_f64(*arrays):
    if keras.config.floatx() == "float32":
        return
    for a in arrays:
        dt = str(getattr(a, "dtype", ""))
        if FLOAT64_FIX:
            assert dt == "float64", f"expected float64, got {dt}"
        elif dt != "float64":
            print(f"warning: result dtype {dt} (float64 promotion fix disabled)", file=sys.stderr)


def header(extra=None):
    h = {
        "keras_version": keras.__version__,
        "jax_version": jax.__version__,
        "backend": keras.backend.backend(),
        "floatx": keras.config.floatx(),
        "epsilon": keras.config.epsilon(),
        "float64_promotion_fix": FLOAT64_FIX,
    }
    if extra:
        h.update(extra)
    return h


def write_fixture(out_dir, fname, hdr, cases):
    path = os.path.join(out_dir, fname)
    parts = []
    for k, v in hdr.items():
        parts.append(json.dumps(k) + ": " + json.dumps(v, ensure_ascii=False, allow_nan=False))
    case_lines = [
        json.dumps(c, ensure_ascii=False, allow_nan=False) for c in cases
    ]
    text = "{\n" + ",\n".join(parts) + ',\n"cases": [\n' + ",\n".join(case_lines) + "\n]}\n"
    json.loads(text)  # sanity
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {path} ({len(cases)} cases)", file=sys.stderr)


def identity_model(k):
    """Sequential model whose output equals its input exactly (x @ I)."""
    m = keras.Sequential(
        [keras.Input((k,)), keras.layers.Dense(k, use_bias=False)]
    )
    m.set_weights([np.eye(k)])
    return m


# ----------------------------------------------------------------------------
# 1. activations

ACTIVATIONS = [
    "linear", "relu", "sigmoid", "tanh", "softmax",
    "elu", "selu", "leaky_relu", "gelu", "swish",
]


def activation_notes(name, fn):
    import inspect

    params = {}
    try:
        sig = inspect.signature(fn)
        for p in list(sig.parameters.values())[1:]:
            if p.default is not inspect.Parameter.empty:
                params[p.name] = p.default
    except (TypeError, ValueError):
        pass
    note = f"keras.activations.get({name!r}) -> {fn.__name__}"
    if params:
        note += "; defaults " + ", ".join(f"{k}={v!r}" for k, v in params.items())
    return note, params


def gen_activations():
    rs = np.random.RandomState(1)
    x = rs.uniform(-3.0, 3.0, (4, 5))
    x[0, 0] = 0.0
    x[1, 2] = 0.0
    x[2, 4] = 0.0
    x[0, 3] = 8.0
    x[1, 1] = -8.0
    x[3, 0] = 8.0
    x[3, 4] = -8.0
    x[2, 1] = 1.0
    x[2, 2] = -1.0
    w = rs.uniform(-1.0, 1.0, (4, 5))
    xj = jnp.asarray(x, dtype=jnp.float64)
    wj = jnp.asarray(w, dtype=jnp.float64)
    cases = []
    for name in ACTIVATIONS:
        fn = keras.activations.get(name)
        y = fn(xj)
        check_f64(y)
        grad = jax.grad(lambda t: jnp.sum(fn(t) * wj))(xj)
        note, params = activation_notes(name, fn)
        if name == "softmax":
            g0 = None
        else:
            # derivative at exactly 0 as JAX defines it (subgradient convention)
            g0 = float(jax.grad(lambda t: jnp.sum(fn(t)))(jnp.zeros((1,), dtype=jnp.float64))[0])
        cases.append({
            "activation": name,
            "function": fn.__name__,
            "defaults": params,
            "notes": note,
            "grad_at_0": g0,
            "x": L(x),
            "y": L(y),
            "w": L(w),
            "grad": L(grad),
        })
    return header({"notes": "y = keras.activations.get(name)(x); grad = d(sum(y*w))/dx via jax.grad. softmax is over the last axis. "
                   "x has exact zeros at [0][0], [1][2], [2][4]; grad_at_0 is the derivative JAX uses at x=0 "
                   "(relu 0; elu, leaky_relu 1; selu scale*alpha)."}), cases


# ----------------------------------------------------------------------------
# 2. dense


def gen_dense():
    rs = np.random.RandomState(2)
    specs = [
        dict(units=4, activation="relu", use_bias=True, in_shape=(5, 3)),
        dict(units=4, activation="linear", use_bias=False, in_shape=(5, 3)),
        dict(units=2, activation="tanh", use_bias=True, in_shape=(2, 3, 4)),
    ]
    cases = []
    for s in specs:
        d_in = s["in_shape"][-1]
        x = rs.uniform(-2, 2, s["in_shape"])
        kernel = rs.uniform(-1, 1, (d_in, s["units"]))
        bias = rs.uniform(-0.5, 0.5, (s["units"],)) if s["use_bias"] else None
        layer = keras.layers.Dense(s["units"], activation=s["activation"], use_bias=s["use_bias"])
        layer.build((None,) + tuple(s["in_shape"][1:]))
        layer.set_weights([kernel, bias] if s["use_bias"] else [kernel])
        check_f64(layer.kernel)
        y = layer(x)
        check_f64(y)
        cases.append({
            "units": s["units"],
            "activation": s["activation"],
            "use_bias": s["use_bias"],
            "x": L(x),
            "kernel": L(kernel),
            "bias": None if bias is None else L(bias),
            "y": L(y),
        })
    return header({"notes": "keras.layers.Dense(units, activation, use_bias) built, set_weights, called on x."}), cases


# ----------------------------------------------------------------------------
# 3. losses

LOSS_CLASSES = {
    "mse": keras.losses.MeanSquaredError,
    "mae": keras.losses.MeanAbsoluteError,
    "binary_crossentropy": keras.losses.BinaryCrossentropy,
    "categorical_crossentropy": keras.losses.CategoricalCrossentropy,
    "sparse_categorical_crossentropy": keras.losses.SparseCategoricalCrossentropy,
}


def compile_loss_value(name, y_true, y_pred):
    obj = compile_utils.get_loss(name, y_true, y_pred)
    return obj(y_true, y_pred), type(obj).__name__


def check_loss_by_evaluate(name, y_true, y_pred):
    """Cross-check the loss value through model.evaluate on an identity model."""
    keras.backend.clear_session()
    yp = np.asarray(y_pred)
    k = yp.shape[-1] if yp.ndim > 1 else 1
    m = identity_model(k)
    m.compile(optimizer="sgd", loss=name)
    v = m.evaluate(yp.reshape(yp.shape[0], k), y_true, batch_size=yp.shape[0], verbose=0)
    return float(v)


def gen_losses():
    rs = np.random.RandomState(3)
    cases = []

    def add(name, y_true, y_pred, note):
        yt = np.asarray(y_true)
        yp = np.asarray(y_pred, dtype=np.float64)
        ytj = jnp.asarray(yt)
        ypj = jnp.asarray(yp)
        value, wrapper = compile_loss_value(name, ytj, ypj)
        check_f64(value)
        cls_value = LOSS_CLASSES[name]()(ytj, ypj)
        assert np.allclose(value, cls_value, rtol=1e-14, atol=0), (name, value, cls_value)
        per_sample = LOSS_CLASSES[name](reduction=None)(ytj, ypj)
        grad = jax.grad(lambda p: compile_utils.get_loss(name, ytj, p)(ytj, p))(ypj)
        ev = check_loss_by_evaluate(name, yt, yp)
        assert abs(ev - float(value)) <= 1e-12 * max(1.0, abs(float(value))), (name, ev, float(value))
        cases.append({
            "loss": name,
            "wrapper": wrapper,
            "notes": note,
            "y_true": L(yt),
            "y_true_shape": list(yt.shape),
            "y_pred": L(yp),
            "y_pred_shape": list(yp.shape),
            "per_sample": L(per_sample),
            "value": F(value),
            "grad": L(grad),
        })

    yt = rs.uniform(-2, 2, (6,))
    yp = rs.uniform(-2, 2, (6, 1))
    add("mse", yt, yp, "y_true (6,) vs y_pred (6,1): Keras expands y_true to (6,1) "
        "(squeeze_or_expand_to_same_rank); no (6,6) broadcast. per_sample has shape (6,).")
    add("mse", rs.uniform(-2, 2, (4, 3)), rs.uniform(-2, 2, (4, 3)), "mean over last axis, then mean over batch")
    add("mae", rs.uniform(-2, 2, (4, 3)), rs.uniform(-2, 2, (4, 3)), "mean |y-p| over last axis, then mean over batch")
    yt = np.array([[1.0], [0.0], [1.0], [0.0], [1.0]])
    yp = np.array([[0.0], [1.0], [1.0], [0.0], [0.7]])
    add("binary_crossentropy", yt, yp,
        "probabilities incl exact 0.0 and 1.0: p clipped to [eps, 1-eps], eps=1e-7; "
        "rows 0 and 1 are maximally wrong, rows 2 and 3 exactly right")
    yt = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])
    yp = np.array([[0.9, 0.2], [0.3, 0.6], [0.25, 0.75]])
    add("binary_crossentropy", yt, yp, "two outputs: mean over last axis, then batch")
    yt = np.array([[0, 1, 0], [1, 0, 0], [0, 0, 1], [0, 1, 0]], dtype=np.float64)
    yp = np.array([
        [0.2, 0.5, 0.1],     # sums to 0.8 -> renormalized
        [0.0, 0.6, 0.4],     # 0 entry on the true class -> clipped
        [1.0, 2.0, 3.0],     # sums to 6 -> renormalized
        [0.25, 0.5, 0.25],   # already sums to 1
    ])
    add("categorical_crossentropy", yt, yp,
        "y_pred rows renormalized by their sum along the last axis, then clipped to [eps, 1-eps]; "
        "row 1 has 0.0 on the true class")
    yp4 = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.3, 0.3, 0.4], [0.0, 0.5, 0.5]])
    add("sparse_categorical_crossentropy", np.array([0, 2, 1, 0]), yp4,
        "y_true (4,) integer class ids; row 3 has 0.0 on the true class")
    add("sparse_categorical_crossentropy", np.array([[0], [2], [1], [0]]), yp4,
        "y_true (4,1) integer class ids (squeezed)")
    return header({"notes": "value = the loss as compile(loss=name) computes it (LossFunctionWrapper, "
                   "reduction sum_over_batch_size); also equal to the Loss class and to model.evaluate "
                   "on an identity model. grad = d value / d y_pred via jax.grad; where y_pred is clipped to "
                   "[eps, 1-eps] the gradient is 0 (jnp.clip), including for every class of a categorical row "
                   "whose true-class probability is clipped. per_sample = reduction=None."}), cases


# ----------------------------------------------------------------------------
# 4. metrics


def gen_metrics():
    cases = []

    def add(metric, loss, y_true, y_pred, note):
        yt = np.asarray(y_true)
        yp = np.asarray(y_pred, dtype=np.float64)
        obj = compile_utils.get_metric(metric, jnp.asarray(yt), jnp.asarray(yp))
        obj.update_state(jnp.asarray(yt), jnp.asarray(yp))
        direct = float(obj.result())
        keras.backend.clear_session()
        m = identity_model(yp.shape[-1])
        m.compile(optimizer="sgd", loss=loss, metrics=[metric])
        ev = m.evaluate(yp, yt, batch_size=yp.shape[0], verbose=0, return_dict=True)
        resolved = None
        for cm in m.metrics:
            if isinstance(cm, compile_utils.CompileMetrics):
                for mm in cm.metrics:
                    if mm.name == metric:
                        resolved = type(mm).__name__
        assert resolved == type(obj).__name__, (resolved, type(obj).__name__)
        assert abs(ev[metric] - direct) < 1e-12, (metric, ev, direct)
        cases.append({
            "metric": metric,
            "resolved": resolved,
            "direction": getattr(obj, "_direction", None),
            "notes": note,
            "y_true": L(yt),
            "y_pred": L(yp),
            "value": float(ev[metric]),
            "compile_loss": loss,
        })

    add("accuracy", "binary_crossentropy",
        np.array([[1.0], [0.0], [1.0], [0.0], [1.0], [0.0]]),
        np.array([[0.9], [0.2], [0.5], [0.5], [0.51], [0.7]]),
        "y_pred last dim 1 -> BinaryAccuracy, threshold 0.5: prediction is (y_pred > 0.5); "
        "rows 2 and 3 have y_pred exactly 0.5 (counted as class 0)")
    add("accuracy", "binary_crossentropy",
        np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0]),
        np.array([[0.9], [0.2], [0.5], [0.5], [0.51], [0.7]]),
        "y_true (6,) vs y_pred (6,1): still BinaryAccuracy")
    add("accuracy", "categorical_crossentropy",
        np.array([[0, 1, 0], [1, 0, 0], [0, 0, 1], [0, 1, 0], [0, 0, 1]], dtype=np.float64),
        np.array([[0.4, 0.4, 0.2], [0.4, 0.4, 0.2], [0.1, 0.3, 0.6], [0.2, 0.5, 0.3], [0.3, 0.3, 0.3]]),
        "one-hot y_true -> CategoricalAccuracy: argmax(y_true)==argmax(y_pred), argmax takes the first max "
        "(row 0 tie -> class 0, wrong; row 1 tie -> class 0, right; row 4 three-way tie -> class 0, wrong)")
    add("accuracy", "sparse_categorical_crossentropy",
        np.array([0, 2, 1, 1, 2]),
        np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.3, 0.3, 0.4], [0.5, 0.5, 0.0], [0.2, 0.2, 0.6]]),
        "y_true (5,) ints, y_pred (5,3) -> SparseCategoricalAccuracy (row 3 tie -> class 0)")
    add("accuracy", "sparse_categorical_crossentropy",
        np.array([[0], [2], [1], [1], [2]]),
        np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.3, 0.3, 0.4], [0.5, 0.5, 0.0], [0.2, 0.2, 0.6]]),
        "y_true (5,1) ints, y_pred (5,3) -> SparseCategoricalAccuracy")
    rs = np.random.RandomState(4)
    add("mae", "mse", rs.uniform(-2, 2, (4, 3)), rs.uniform(-2, 2, (4, 3)), "mean |y-p| (no regularization)")
    add("mse", "mae", rs.uniform(-2, 2, (4, 3)), rs.uniform(-2, 2, (4, 3)), "mean (y-p)^2")
    add("mae", "mse", rs.uniform(-2, 2, (5,)), rs.uniform(-2, 2, (5, 1)), "y_true (5,) vs y_pred (5,1)")
    return header({"notes": "value from model.evaluate(return_dict=True) of an identity model compiled with "
                   "metrics=[metric]; resolved = class of the compiled metric; equal to the metric object "
                   "from keras' own get_metric resolution."}), cases


# ----------------------------------------------------------------------------
# 5. regularizers


def gen_regularizers():
    rs = np.random.RandomState(5)
    specs = [
        ("L1", dict(l1=0.01)),
        ("L2", dict(l2=0.01)),
        ("L1L2", dict(l1=0.01, l2=0.02)),
        ("L2", dict(l2=0.001)),
        ("L1", dict(l1=0.5)),
    ]
    cases = []
    for cls, kw in specs:
        reg = getattr(keras.regularizers, cls)(**kw)
        w = rs.uniform(-2, 2, (3, 4))
        w[0, 0] = 0.0
        wj = jnp.asarray(w)
        val = reg(wj)
        check_f64(val)
        grad = jax.grad(lambda t: reg(t))(wj)
        spec = {"class": cls, "l1": kw.get("l1", 0.0), "l2": kw.get("l2", 0.0)}
        cases.append({
            "regularizer": spec,
            "config": reg.get_config(),
            "w": L(w),
            "value": F(val),
            "grad": L(grad),
        })
    return header({"notes": "value = reg(w); grad via jax.grad (d|w|/dw at w=0 as jax computes it: 0). "
                   "w[0][0] is exactly 0. config = get_config() (float32-rounded coefficients)."}), cases


# ----------------------------------------------------------------------------
# 6. optimizers

OPT_CONFIGS = [
    ("Adam", {}),
    ("Adam", {"learning_rate": 0.01}),
    ("Adam", {"amsgrad": True}),
    ("SGD", {}),
    ("SGD", {"learning_rate": 0.1, "momentum": 0.9}),
    ("SGD", {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True}),
    ("RMSprop", {}),
    ("RMSprop", {"momentum": 0.5, "centered": True}),
    ("Adagrad", {}),
    ("Adagrad", {"learning_rate": 0.1}),
    ("AdamW", {}),
    ("AdamW", {"learning_rate": 0.01, "weight_decay": 0.1}),
    ("AdamW", {"learning_rate": 0.01, "amsgrad": True}),
    ("Nadam", {}),
    ("Nadam", {"learning_rate": 0.01, "beta_1": 0.8, "beta_2": 0.99}),
    ("Adamax", {}),
    ("Adamax", {"learning_rate": 0.01, "beta_2": 0.9, "epsilon": 1e-3}),
]


def gen_optimizers():
    cases = []
    lr_dtypes = set()
    for i, (cls, kw) in enumerate(OPT_CONFIGS):
        rs = np.random.RandomState(60 + i)
        w0 = rs.uniform(-1, 1, (3, 2))
        grads = [rs.uniform(-1, 1, (3, 2)) for _ in range(10)]
        grads[3][0, 0] = 0.0
        keras.backend.clear_session()
        var = keras.Variable(w0, dtype="float64", name="w")
        opt = getattr(keras.optimizers, cls)(**kw)
        ws = []
        for g in grads:
            opt.apply_gradients([(jnp.asarray(g), var)])
            check_f64(var)
            ws.append(L(var.numpy()))
        lr_dtypes.add(str(opt.learning_rate.dtype))
        cases.append({
            "optimizer": cls,
            "args": kw,
            "config": opt.get_config(),
            "variables": [{"path": v.path, "dtype": str(v.dtype), "shape": list(v.shape)} for v in opt.variables],
            "learning_rate_dtype": str(opt.learning_rate.dtype),
            "iterations": int(opt.iterations.numpy()),
            "w0": L(w0),
            "grads": [L(g) for g in grads],
            "w": ws,
        })
    return header({
        "learning_rate_dtype": sorted(lr_dtypes)[0] if len(lr_dtypes) == 1 else sorted(lr_dtypes),
        "notes": "optimizer.apply_gradients([(g, w)]) once per gradient; w[i] = value after step i+1. "
                 "variables = optimizer state variables (iteration, learning_rate, then slots).",
    }), cases


# ----------------------------------------------------------------------------
# model building shared by train_step / fit / callbacks


def build_model(spec):
    layers = [keras.Input(tuple(spec["input_shape"]))]
    for ls in spec["layers"]:
        assert ls["class"] == "Dense"
        kw = dict(units=ls["units"], activation=ls.get("activation", "linear"),
                  use_bias=ls.get("use_bias", True))
        for k in ("kernel_regularizer", "bias_regularizer"):
            r = ls.get(k)
            if r is not None:
                kw[k] = getattr(keras.regularizers, r["class"])(
                    **{kk: vv for kk, vv in r.items() if kk != "class"})
        layers.append(keras.layers.Dense(**kw))
    return keras.Sequential(layers)


def dense(units, activation="linear", use_bias=True, kernel_regularizer=None, bias_regularizer=None):
    return {"class": "Dense", "units": units, "activation": activation, "use_bias": use_bias,
            "kernel_regularizer": kernel_regularizer, "bias_regularizer": bias_regularizer}


def make_optimizer(o):
    return getattr(keras.optimizers, o["class"])(**o["config"])


def random_weights(model, rs):
    ws = []
    for v in model.weights:
        shape = tuple(v.shape)
        if len(shape) == 2:
            lim = np.sqrt(6.0 / (shape[0] + shape[1]))
            ws.append(rs.uniform(-lim, lim, shape))
        else:
            ws.append(rs.uniform(-0.1, 0.1, shape))
    return ws


def compiled_model(spec, comp, rs):
    keras.backend.clear_session()
    model = build_model(spec)
    w = random_weights(model, rs)
    model.set_weights(w)
    model.compile(optimizer=make_optimizer(comp["optimizer"]), loss=comp["loss"],
                  metrics=comp.get("metrics") or None)
    return model, w


def manual_total_loss(model, loss_name, x, y, tvals):
    """Independent check: compile loss of a stateless forward pass + regularization."""
    ntv = [v.value for v in model.non_trainable_variables]
    y_pred, _ = model.stateless_call(tvals, ntv, x, training=True)
    total = compile_utils.get_loss(loss_name, y, y_pred)(y, y_pred)
    for layer in model.layers:
        for attr, reg_attr in (("kernel", "kernel_regularizer"), ("bias", "bias_regularizer")):
            reg = getattr(layer, reg_attr, None)
            var = getattr(layer, attr, None)
            if reg is None or var is None:
                continue
            idx = [id(t) for t in model.trainable_variables].index(id(var))
            total = total + reg(tvals[idx])
    return total


def loss_and_grads(model, loss_name, x, y):
    tv = [v.value for v in model.trainable_variables]
    ntv = [v.value for v in model.non_trainable_variables]
    mv = [v.value for v in model.metrics_variables]
    ov = [v.value for v in model.optimizer.variables]

    def f(t):
        loss, aux = model.compute_loss_and_updates(
            t, ntv, mv, jnp.asarray(x), jnp.asarray(y), None, training=True, optimizer_variables=ov)
        return loss

    loss, grads = jax.value_and_grad(f)(tv)
    check_f64(loss)
    mloss, mgrads = jax.value_and_grad(
        lambda t: manual_total_loss(model, loss_name, jnp.asarray(x), jnp.asarray(y), t))(tv)
    assert abs(float(loss) - float(mloss)) < TOL, (float(loss), float(mloss))
    for a, b in zip(grads, mgrads):
        assert np.allclose(a, b, rtol=RTOL, atol=ATOL)
    return float(loss), [L(g) for g in grads]


def model_desc(spec):
    return {"input_shape": list(spec["input_shape"]), "layers": spec["layers"]}


# ----------------------------------------------------------------------------
# 7. train_step


def gen_train_step():
    cases = []
    l2 = {"class": "L2", "l2": 0.01}
    l1 = {"class": "L1", "l1": 0.01}
    spec_a = {"input_shape": [4], "layers": [dense(5, "relu", kernel_regularizer=l2), dense(3, "softmax")]}
    spec_b = {"input_shape": [3], "layers": [dense(4, "tanh", kernel_regularizer=l1, bias_regularizer=l2),
                                             dense(1, "sigmoid")]}
    spec_c = {"input_shape": [2], "layers": [dense(3, "elu"), dense(1)]}

    rs = np.random.RandomState(7)
    xa = rs.uniform(-2, 2, (6, 4))
    ya = np.eye(3)[rs.randint(0, 3, 6)]
    xb = rs.uniform(-2, 2, (8, 3))
    yb = rs.randint(0, 2, (8, 1)).astype(np.float64)
    xc = rs.uniform(-2, 2, (7, 2))
    yc = rs.uniform(-1, 1, (7,))

    runs = [
        ("a_adam", spec_a, {"optimizer": {"class": "Adam", "config": {}}, "loss": "categorical_crossentropy", "metrics": []}, xa, ya),
        ("a_sgd_nesterov", spec_a, {"optimizer": {"class": "SGD", "config": {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True}},
                                    "loss": "categorical_crossentropy", "metrics": []}, xa, ya),
        ("a_rmsprop", spec_a, {"optimizer": {"class": "RMSprop", "config": {}}, "loss": "categorical_crossentropy", "metrics": []}, xa, ya),
        ("b_bce_adam", spec_b, {"optimizer": {"class": "Adam", "config": {"learning_rate": 0.01}},
                                "loss": "binary_crossentropy", "metrics": ["accuracy"]}, xb, yb),
        ("c_mse_adagrad", spec_c, {"optimizer": {"class": "Adagrad", "config": {"learning_rate": 0.1}},
                                   "loss": "mse", "metrics": ["mae"]}, xc, yc),
    ]
    for i, (name, spec, comp, x, y) in enumerate(runs):
        model, w = compiled_model(spec, comp, np.random.RandomState(70 + i))
        check_f64(model.trainable_variables[0])
        loss0, grads = loss_and_grads(model, comp["loss"], x, y)
        tob = []
        w1 = None
        for step in range(10):
            r = model.train_on_batch(x, y, return_dict=True)
            tob.append({k: float(v) for k, v in r.items()})
            if step == 0:
                w1 = [L(a) for a in model.get_weights()]
        assert abs(tob[0]["loss"] - loss0) < TOL, (tob[0]["loss"], loss0)
        cases.append({
            "name": name,
            "model": model_desc(spec),
            "compile": {**comp, "optimizer_full_config": model.optimizer.get_config()},
            "weight_paths": [v.path for v in model.trainable_variables],
            "weights": [L(a) for a in w],
            "x": L(x),
            "y": L(y),
            "loss0": loss0,
            "grads": grads,
            "train_on_batch": tob,
            "weights_after_1": w1,
            "weights_after_10": [L(a) for a in model.get_weights()],
        })
    return header({"notes": "loss0 = total loss (compiled loss + regularization) at the initial weights, computed "
                   "with model.compute_loss_and_updates (training=True); grads w.r.t. model.trainable_variables "
                   "in order. train_on_batch[i] is the dict returned by the (i+1)-th call: the loss there is "
                   "computed BEFORE that call's update (train_on_batch[0].loss == loss0), and metrics are reset "
                   "at each call."}), cases


# ----------------------------------------------------------------------------
# 8. fit


def gen_fit():
    cases = []
    rs = np.random.RandomState(8)

    # (a) regression
    xa = rs.uniform(-2, 2, (25, 3))
    ya = (xa @ np.array([[0.5], [-1.0], [2.0]]) + 0.3 + rs.normal(0, 0.1, (25, 1)))
    # (b) binary
    xb = rs.uniform(-2, 2, (30, 4))
    yb = (xb[:, :1] - 0.5 * xb[:, 1:2] + rs.normal(0, 0.5, (30, 1)) > 0).astype(np.float64)
    # (c) explicit validation data, default batch size on 40 rows
    xc = rs.uniform(-2, 2, (40, 5))
    yc = np.eye(3)[rs.randint(0, 3, 40)]
    xcv = rs.uniform(-2, 2, (10, 5))
    ycv = np.eye(3)[rs.randint(0, 3, 10)]

    runs = [
        ("a_regression_split",
         {"input_shape": [3], "layers": [dense(6, "relu", kernel_regularizer={"class": "L2", "l2": 0.01}), dense(1)]},
         {"optimizer": {"class": "Adam", "config": {"learning_rate": 0.01}}, "loss": "mse", "metrics": ["mae"]},
         xa, ya, {"epochs": 3, "batch_size": 8, "validation_split": 0.2, "shuffle": False}, None),
        ("b_binary_split",
         {"input_shape": [4], "layers": [dense(8, "relu"), dense(1, "sigmoid")]},
         {"optimizer": {"class": "Adam", "config": {}}, "loss": "binary_crossentropy", "metrics": ["accuracy"]},
         xb, yb, {"epochs": 3, "batch_size": 8, "validation_split": 0.2, "shuffle": False}, None),
        ("c_validation_data_default_batch",
         {"input_shape": [5], "layers": [dense(4, "tanh"), dense(3, "softmax")]},
         {"optimizer": {"class": "SGD", "config": {"learning_rate": 0.05, "momentum": 0.9}},
          "loss": "categorical_crossentropy", "metrics": ["accuracy"]},
         xc, yc, {"epochs": 3, "shuffle": False}, (xcv, ycv)),
    ]
    for i, (name, spec, comp, x, y, fitargs, val) in enumerate(runs):
        model, w = compiled_model(spec, comp, np.random.RandomState(80 + i))
        kw = dict(fitargs)
        if val is not None:
            kw["validation_data"] = val
        hist = model.fit(x, y, verbose=0, **kw)
        final = [L(a) for a in model.get_weights()]
        ev = model.evaluate(x, y, batch_size=8, verbose=0, return_dict=True)
        pred = model.predict(x, batch_size=8, verbose=0)
        check_f64(pred)
        case = {
            "name": name,
            "model": model_desc(spec),
            "compile": {**comp, "optimizer_full_config": model.optimizer.get_config()},
            "weights": [L(a) for a in w],
            "x": L(x),
            "y": L(y),
            "fit": fitargs,
        }
        if val is not None:
            case["validation_data"] = {"x": L(val[0]), "y": L(val[1])}
        case.update({
            "history": {k: [float(v) for v in vs] for k, vs in hist.history.items()},
            "history_keys": list(hist.history.keys()),
            "history_params": {k: v for k, v in hist.params.items()},
            "final_weights": final,
            "evaluate": {k: float(v) for k, v in ev.items()},
            "predict": L(pred),
        })
        cases.append(case)
    return header({"notes": "model.fit(x, y, verbose=0, **fit) (plus validation_data when given); "
                   "evaluate = model.evaluate(x, y, batch_size=8, return_dict=True) after fit; "
                   "predict = model.predict(x, batch_size=8). Omitted batch_size means the default (32). "
                   "history_keys keeps the key order of history.history (Keras sorts the log keys: "
                   "'accuracy' comes before 'loss')."}), cases


# ----------------------------------------------------------------------------
# 9. summary

SUMMARY_PRELUDE = [
    "import keras",
    "from keras import Sequential, Input",
    "from keras.layers import Dense, Dropout",
]

SUMMARY_CASES = [
    {
        "name": "dropout_uncompiled",
        "clear_session": True,
        "code": [
            "model = Sequential([Input((3,)), Dense(64, activation='relu'), Dropout(0.2), Dense(1)])",
        ],
    },
    {
        "name": "dropout_after_fit",
        "clear_session": True,
        "code": [
            "import numpy as np",
            "model = Sequential([Input((3,)), Dense(64, activation='relu'), Dropout(0.2), Dense(1)])",
            "model.compile('adam', 'mse')",
            "model.fit(np.zeros((4, 3)), np.zeros((4, 1)), epochs=1, verbose=0)",
        ],
    },
    {
        "name": "lecture_model",
        "clear_session": True,
        "code": [
            "model = Sequential([Input((30,)), Dense(128, activation='relu'), Dropout(0.4), "
            "Dense(64, activation='relu'), Dropout(0.4), Dense(32, activation='relu'), Dropout(0.4), "
            "Dense(1, activation='sigmoid')])",
        ],
    },
    {
        "name": "mnist_mlp_no_clear_session",
        "clear_session": False,
        "after": "lecture_model",
        "code": [
            "model = Sequential([Input((784,)), Dense(512, activation='relu'), Dense(512, activation='relu'), "
            "Dense(10, activation='softmax')])",
        ],
    },
    {
        "name": "named_tiny",
        "clear_session": True,
        "code": [
            "model = Sequential([Input((2,)), Dense(3, activation='relu', name='hidden'), "
            "Dense(4, use_bias=False)], name='tiny')",
        ],
    },
]


def print_summary(model, meta_path, meta=None):
    """In a summary child: prints exactly model.summary() to stdout (a pipe) and writes meta, by default the
    model's name, layer names and parameter counts, to meta_path."""
    if meta is None:
        meta = {"model_name": model.name, "layer_names": [l.name for l in model.layers],
                "params": [l.count_params() for l in model.layers], "count_params": model.count_params()}
    sys.stdout.flush()
    model.summary()
    sys.stdout.flush()
    with open(meta_path, "w") as f:
        json.dump(meta, f)


def run_summary_child(args, what, meta_path, plain=True):
    """Runs this script with args in a fresh process whose stdout is a pipe and whose environment has none of
    the variables that change how Keras prints; returns its stdout and the meta it wrote to meta_path. With
    plain, the text must have no ANSI escapes."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("COLUMNS", "LINES", "FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE",
                        "JUPYTER_COLUMNS", "JUPYTER_LINES", "CLICOLOR_FORCE")}
    p = subprocess.run([sys.executable, HERE, *args, meta_path], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=env, stdin=subprocess.DEVNULL, check=False)
    if p.returncode != 0:
        sys.stderr.write(p.stderr.decode())
        raise SystemExit(f"{what} failed")
    with open(meta_path) as f:
        meta = json.load(f)
    raw = p.stdout.decode("utf-8")
    if plain:
        assert not ANSI_RE.search(raw)
    return raw, meta


def summary_child(index, floatx, meta_path):
    """Runs in a subprocess: stdout is a pipe; prints exactly model.summary()."""
    set_floatx(floatx)
    by_name = {c["name"]: c for c in SUMMARY_CASES}
    case = SUMMARY_CASES[index]
    chain = [case]
    while chain[0].get("after"):
        chain.insert(0, by_name[chain[0]["after"]])
    ns = {}
    exec("\n".join(SUMMARY_PRELUDE), ns)
    for c in chain:
        if c["clear_session"]:
            keras.backend.clear_session()
        exec("\n".join(c["code"]), ns)
    model = ns["model"]
    meta = {
        "model_name": model.name,
        "input_names": [t.name for t in model.inputs],
        "layer_names": [l.name for l in model.layers],
        "layer_classes": [type(l).__name__ for l in model.layers],
        "input_layer_name": model._layers[0].name if hasattr(model, "_layers") and model._layers
        and type(model._layers[0]).__name__ == "InputLayer" else None,
        "params": [l.count_params() for l in model.layers],
        "optimizer_variables": (
            [{"path": v.path, "dtype": str(v.dtype), "shape": list(v.shape)} for v in model.optimizer.variables]
            if getattr(model, "optimizer", None) is not None and model.optimizer.built else None),
    }
    print_summary(model, meta_path, meta)


def gen_summary():
    cases = []
    with tempfile.TemporaryDirectory() as td:
        for floatx in ("float64", "float32"):
            for i, c in enumerate(SUMMARY_CASES):
                meta_path = os.path.join(td, f"meta{i}.json")
                raw, meta = run_summary_child(["--summary-child", str(i), floatx], f"summary child {i}", meta_path,
                                              plain=False)
                has_ansi = bool(ANSI_RE.search(raw))
                code = []
                by_name = {cc["name"]: cc for cc in SUMMARY_CASES}
                chain = [c]
                while chain[0].get("after"):
                    chain.insert(0, by_name[chain[0]["after"]])
                for cc in chain:
                    if cc["clear_session"]:
                        code.append("keras.backend.clear_session()")
                    code.extend(cc["code"])
                case = {
                    "name": c["name"],
                    "floatx": floatx,
                    "clear_session": c["clear_session"],
                    "code": code,
                    "ran_after": c.get("after"),
                    **meta,
                    "has_ansi": has_ansi,
                    "text": ANSI_RE.sub("", raw),
                }
                if has_ansi:
                    case["text_raw"] = raw
                lines = case["text"].split("\n")
                case["line_width"] = max(len(l) for l in lines)
                cases.append(case)
    return header({"notes": "text = stdout of model.summary() run in a subprocess whose stdout is a pipe "
                   "(not a TTY), COLUMNS/LINES unset; 'code' is what ran in that fresh process (prelude: "
                   + "; ".join(SUMMARY_PRELUDE) + "). Each case is given for floatx float64 (what dl uses) "
                   "and float32 (Keras default, what notebooks show); only byte counts differ."}), cases


# ----------------------------------------------------------------------------
# 10. callbacks


def tiny_callback_model():
    keras.backend.clear_session()
    m = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    m.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy", "mae"])
    x = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
    y = np.array([[1.0], [0.0], [1.0], [0.0]])
    m.evaluate(x, y, verbose=0)  # builds the compiled metrics (needed by mode='auto')
    return m


def epoch_weights(model, e):
    return [np.full(w.shape, float(e)) for w in model.get_weights()]


def gen_early_stopping_cases():
    model = tiny_callback_model()
    specs = [
        ("patience0", {"patience": 0}, [0.5, 0.4, 0.45, 0.3]),
        ("patience1", {"patience": 1}, [0.5, 0.4, 0.45, 0.42, 0.41, 0.39, 0.5]),
        ("patience2_doc_example", {"patience": 2}, [0.50, 0.40, 0.45, 0.42, 0.41]),
        ("patience2_no_stop", {"patience": 2}, [0.5, 0.4, 0.3, 0.35, 0.2]),
        ("patience0_first_epoch_worse_never_stops_at_0", {"patience": 0}, [0.5, 0.5, 0.6]),
        ("equal_is_not_improvement", {"patience": 1}, [0.5, 0.4, 0.4, 0.4, 0.3]),
        ("min_delta", {"patience": 1, "min_delta": 0.01}, [0.5, 0.48, 0.475, 0.47, 0.465]),
        ("min_delta_negative_given", {"patience": 1, "min_delta": -0.01}, [0.5, 0.48, 0.475, 0.47, 0.465]),
        ("min_delta_knife_edge", {"patience": 0, "min_delta": 0.1}, [0.5, 0.4, 0.3, 0.25]),
        ("val_accuracy_auto_max", {"monitor": "val_accuracy", "patience": 1}, [0.5, 0.6, 0.6, 0.55, 0.7]),
        ("accuracy_mode_max", {"monitor": "accuracy", "mode": "max", "patience": 0}, [0.5, 0.6, 0.55]),
        ("val_mae_auto_min", {"monitor": "val_mae", "patience": 1}, [0.5, 0.4, 0.41, 0.42]),
        ("mode_min_explicit_on_accuracy", {"monitor": "val_accuracy", "mode": "min", "patience": 0}, [0.5, 0.4, 0.6]),
        ("baseline_never_beaten_improving", {"patience": 2, "baseline": 0.3}, [0.5, 0.4, 0.35, 0.32, 0.31]),
        ("baseline_never_beaten_then_worse", {"patience": 2, "baseline": 0.3}, [0.5, 0.4, 0.45, 0.44]),
        ("baseline_beaten", {"patience": 2, "baseline": 0.45}, [0.5, 0.4, 0.42, 0.43, 0.44, 0.3]),
        ("baseline_max_mode", {"monitor": "val_accuracy", "patience": 1, "baseline": 0.8}, [0.5, 0.6, 0.85, 0.84, 0.83]),
        ("start_from_epoch", {"patience": 0, "start_from_epoch": 2}, [0.5, 0.6, 0.7, 0.4, 0.5]),
        ("restore_best_verbose", {"patience": 2, "restore_best_weights": True, "verbose": 1}, [0.50, 0.40, 0.45, 0.42, 0.41]),
        ("restore_best_no_stop_verbose", {"patience": 5, "restore_best_weights": True, "verbose": 1}, [0.5, 0.4, 0.45]),
        ("restore_best_start_from_epoch", {"patience": 1, "restore_best_weights": True, "verbose": 1, "start_from_epoch": 1},
         [0.1, 0.5, 0.6, 0.7]),
        ("restore_best_baseline_never_beaten", {"patience": 1, "restore_best_weights": True, "verbose": 1, "baseline": 0.1},
         [0.5, 0.6, 0.7]),
        ("verbose_no_restore", {"patience": 1, "verbose": 1}, [0.5, 0.6, 0.7]),
        ("missing_monitor", {"monitor": "val_auc", "mode": "min", "patience": 0, "verbose": 1}, [0.5, 0.6, 0.7]),
        ("auto_mode_unknown_metric_raises", {"monitor": "val_auc", "patience": 0}, [0.5, 0.6, 0.7]),
    ]
    cases = []
    for name, args, seq in specs:
        cb = keras.callbacks.EarlyStopping(**args)
        cb.set_model(model)
        model.stop_training = False
        monitor = args.get("monitor", "val_loss")
        buf = io.StringIO()
        logs_list = []
        with warnings.catch_warnings(record=True) as wrec, contextlib.redirect_stdout(buf):
            warnings.simplefilter("always")
            cb.on_train_begin()
            stopped = -1
            epochs_run = 0
            error = None
            for e, v in enumerate(seq):
                model.set_weights(epoch_weights(model, e))
                if monitor == "val_auc":
                    logs = {"loss": 1.0, "val_loss": v}
                elif monitor in ("loss",):
                    logs = {monitor: v}
                else:
                    logs = {"loss": 1.0, monitor: v}
                logs_list.append(logs)
                try:
                    cb.on_epoch_end(e, logs)
                except ValueError as exc:
                    error = str(exc)
                    break
                epochs_run += 1
                if model.stop_training:
                    stopped = e
                    break
            if error is None:
                cb.on_train_end(logs_list[-1])
        final_w = model.get_weights()[0].ravel()[0]
        restored = bool(args.get("restore_best_weights")) and cb.best_weights is not None
        cases.append({
            "kind": "EarlyStopping",
            "name": name,
            "args": args,
            "monitor": monitor,
            "sequence": seq,
            "logs": logs_list,
            "epochs_run": epochs_run,
            "stopped_epoch": stopped,
            "keras_stopped_epoch": int(cb.stopped_epoch),
            "best_epoch": int(cb.best_epoch),
            "best": None if cb.best is None else float(cb.best),
            "wait": int(cb.wait),
            "monitor_op": getattr(cb.monitor_op, "__name__", None),
            "min_delta_internal": float(cb.min_delta),
            "restored": restored,
            "final_weights_epoch": float(final_w),
            "stdout": buf.getvalue(),
            "warnings": [str(w.message) for w in wrec if "conditioned on metric" in str(w.message)],
            "error": error,
        })
    return cases


def gen_checkpoint_cases():
    specs = [
        ("epoch_03d", {"filepath": "{epoch:03d}.keras", "verbose": 1}, "val_loss", [0.5, 0.4, 0.45]),
        ("epoch_val_loss_2f", {"filepath": "ckpt-{epoch:02d}-{val_loss:.2f}.keras", "verbose": 1}, "val_loss",
         [0.5, 0.4, 0.456, 0.3]),
        ("save_best_only", {"filepath": "best.keras", "verbose": 1, "save_best_only": True}, "val_loss",
         [0.5, 0.4, 0.45, 0.3, 0.3, 0.123456789]),
        ("save_best_only_val_accuracy_auto", {"filepath": "best_acc.keras", "verbose": 1, "save_best_only": True,
                                              "monitor": "val_accuracy"}, "val_accuracy", [0.5, 0.7, 0.6, 0.8]),
        ("save_best_only_initial_threshold", {"filepath": "best_t.keras", "verbose": 1, "save_best_only": True,
                                              "initial_value_threshold": 0.45}, "val_loss", [0.5, 0.4, 0.42]),
        ("subdir_template_silent", {"filepath": "ckpts/model-{epoch:02d}-{val_accuracy:.3f}.keras"},
         "val_accuracy", [0.5, 0.75]),
        ("weights_only", {"filepath": "w-{epoch:02d}.weights.h5", "verbose": 1, "save_weights_only": True},
         "val_loss", [0.5, 0.4]),
    ]
    cases = []
    cwd = os.getcwd()
    for name, args, monitor, seq in specs:
        model = tiny_callback_model()
        saves = []
        orig_save, orig_save_w = model.save, model.save_weights

        def rec_save(fp, *a, _o=orig_save, **k):
            saves.append({"epoch": cur[0], "path": str(fp), "method": "save"})
            return _o(fp, *a, **k)

        def rec_save_w(fp, *a, _o=orig_save_w, **k):
            saves.append({"epoch": cur[0], "path": str(fp), "method": "save_weights"})
            return _o(fp, *a, **k)

        model.save = rec_save
        model.save_weights = rec_save_w
        cur = [None]
        with tempfile.TemporaryDirectory() as td:
            os.chdir(td)
            try:
                cb = keras.callbacks.ModelCheckpoint(**args)
                cb.set_model(model)
                buf = io.StringIO()
                logs_list = []
                with warnings.catch_warnings(), contextlib.redirect_stdout(buf):
                    warnings.simplefilter("ignore")
                    cb.on_train_begin()
                    for e, v in enumerate(seq):
                        cur[0] = e
                        logs = {"loss": 1.0, monitor: v}
                        logs_list.append(logs)
                        cb.on_epoch_begin(e)
                        cb.on_epoch_end(e, logs)
                    cb.on_train_end()
                files = []
                for root, _, fs in os.walk("."):
                    for f in fs:
                        files.append(os.path.relpath(os.path.join(root, f), "."))
            finally:
                os.chdir(cwd)
        cases.append({
            "kind": "ModelCheckpoint",
            "name": name,
            "args": args,
            "monitor": cb.monitor,
            "sequence": seq,
            "logs": logs_list,
            "saves": saves,
            "files": sorted(files),
            "stdout": buf.getvalue(),
        })
    return cases


def lr_callback_model(lr):
    """tiny_callback_model, with SGD at learning rate lr."""
    keras.backend.clear_session()
    m = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    m.compile(optimizer=keras.optimizers.SGD(learning_rate=lr), loss="binary_crossentropy", metrics=["accuracy", "mae"])
    x = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
    y = np.array([[1.0], [0.0], [1.0], [0.0]])
    m.evaluate(x, y, verbose=0)  # builds the compiled metrics (needed by mode='auto')
    return m


def current_lr(model):
    return float(np.asarray(model.optimizer.learning_rate))


def gen_reduce_lr_cases():
    specs = [
        ("defaults_patience10", {}, 0.1, [1.0] * 14),
        ("patience2_verbose", {"patience": 2, "verbose": 1}, 0.1, [0.5, 0.4, 0.45, 0.42, 0.41, 0.5, 0.6, 0.7]),
        ("patience0_like_1", {"patience": 0, "verbose": 1}, 0.1, [0.5, 0.6, 0.7, 0.4, 0.8]),
        ("patience1", {"patience": 1, "verbose": 1}, 0.1, [0.5, 0.6, 0.7, 0.4, 0.8]),
        ("factor_half_cooldown2", {"patience": 1, "factor": 0.5, "cooldown": 2, "verbose": 1}, 1.0,
         [0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2]),
        ("cooldown_improvement_during", {"patience": 1, "factor": 0.5, "cooldown": 1}, 0.2,
         [0.5, 0.6, 0.4, 0.7, 0.8, 0.9]),
        ("min_lr_floor", {"patience": 1, "min_lr": 0.005, "verbose": 1}, 0.1, [0.5, 0.6, 0.7, 0.8, 0.9, 1.0]),
        ("min_delta", {"patience": 1, "min_delta": 0.05, "verbose": 1}, 0.1, [0.5, 0.48, 0.40, 0.39, 0.38]),
        ("min_delta_zero", {"patience": 1, "min_delta": 0}, 0.1, [0.5, 0.49999, 0.49998, 0.49998]),
        ("default_min_delta_tiny_gains", {"patience": 1}, 0.1, [0.5, 0.49999, 0.49998, 0.4]),
        ("val_accuracy_auto_max", {"monitor": "val_accuracy", "patience": 1, "verbose": 1}, 0.1,
         [0.5, 0.6, 0.6, 0.55, 0.7, 0.65]),
        ("loss_mode_max_explicit", {"monitor": "loss", "mode": "max", "patience": 1, "verbose": 1}, 0.1,
         [0.5, 0.4, 0.6, 0.3]),
        ("factor_1_raises", {"factor": 1.0}, 0.1, [0.5]),
    ]
    cases = []
    for name, args, lr0, seq in specs:
        model = lr_callback_model(lr0)
        monitor = args.get("monitor", "val_loss")
        buf = io.StringIO()
        rows = []
        error = None
        try:
            cb = keras.callbacks.ReduceLROnPlateau(**args)
        except ValueError as exc:
            error = str(exc)
        if error is None:
            cb.set_model(model)
            with warnings.catch_warnings(), contextlib.redirect_stdout(buf):
                warnings.simplefilter("ignore")
                cb.on_train_begin()
                for e, v in enumerate(seq):
                    logs = {"loss": 1.0, monitor: v}
                    cb.on_epoch_end(e, logs)
                    rows.append({
                        "logs": {k: logs[k] for k in (monitor,)},
                        "logged_lr": logs["learning_rate"],
                        "lr": current_lr(model),
                        "wait": int(cb.wait),
                        "cooldown_counter": int(cb.cooldown_counter),
                        "best": None if cb.best is None else float(cb.best),
                    })
        cases.append({"kind": "ReduceLROnPlateau", "name": name, "args": args, "monitor": monitor,
                      "initial_lr": lr0, "sequence": seq, "epochs": rows, "stdout": buf.getvalue(), "error": error})
    return cases


# Schedules by name; dl/callback_keras_test.go implements the same ones.
LR_SCHEDULES = {
    "halve_from_epoch_2": lambda e, lr: lr if e < 2 else lr * 0.5,
    "times_0.9": lambda e, lr: lr * 0.9,
    "table": lambda e, lr: [0.1, 0.05, 0.01, 0.005, 0.001][e],
}


def gen_lr_scheduler_cases():
    specs = [
        ("halve_from_epoch_2_verbose", "halve_from_epoch_2", {"verbose": 1}, 0.1, 5),
        ("times_0.9", "times_0.9", {}, 0.001, 6),
        ("table_verbose", "table", {"verbose": 1}, 0.01, 5),
    ]
    cases = []
    for name, sched, args, lr0, epochs in specs:
        model = lr_callback_model(lr0)
        cb = keras.callbacks.LearningRateScheduler(LR_SCHEDULES[sched], **args)
        cb.set_model(model)
        buf = io.StringIO()
        rows = []
        with contextlib.redirect_stdout(buf):
            cb.on_train_begin()
            for e in range(epochs):
                cb.on_epoch_begin(e)
                lr = current_lr(model)
                logs = {"loss": 1.0}
                cb.on_epoch_end(e, logs)
                rows.append({"lr": lr, "logged_lr": logs["learning_rate"]})
        cases.append({"kind": "LearningRateScheduler", "name": name, "schedule": sched, "args": args,
                      "initial_lr": lr0, "epochs": rows, "stdout": buf.getvalue()})
    return cases


def gen_terminate_on_nan_cases():
    specs = [
        ("nan_at_batch_2", {}, [0.5, 0.4, float("nan"), 0.3]),
        ("inf_at_batch_1", {}, [0.5, float("inf"), 0.3]),
        ("minus_inf", {}, [float("-inf"), 0.3]),
        ("finite_never_stops", {}, [0.5, 0.4, 0.3]),
        ("raise_error", {"raise_error": True}, [0.5, float("nan")]),
    ]
    cases = []
    for name, args, losses in specs:
        model = tiny_callback_model()
        model.stop_training = False
        cb = keras.callbacks.TerminateOnNaN(**args)
        cb.set_model(model)
        buf = io.StringIO()
        stopped, error = -1, None
        with contextlib.redirect_stdout(buf):
            for b, v in enumerate(losses):
                try:
                    cb.on_train_batch_end(b, {"loss": v})
                except RuntimeError as exc:
                    error = str(exc)
                    stopped = b
                    break
                if model.stop_training:
                    stopped = b
                    break
        cases.append({"kind": "TerminateOnNaN", "name": name, "args": args,
                      "losses": [repr(v) for v in losses],  # nan and inf are not JSON
                      "stopped_batch": stopped, "stdout": buf.getvalue(), "error": error})
    return cases


def gen_csv_logger_cases():
    run_val = [{"loss": 0.5, "accuracy": 0.25, "val_loss": 0.625, "val_accuracy": 0.5},
               {"loss": 0.375, "accuracy": 0.75, "val_loss": 0.5, "val_accuracy": 1.0}]
    run_no_val = [{"loss": 0.5, "mae": 0.1}, {"loss": 0.25, "mae": 0.05}]
    specs = [
        ("with_val", {}, [run_val]),
        ("no_val_adds_na_columns", {}, [run_no_val]),
        ("separator_semicolon", {"separator": ";"}, [run_val]),
        ("separator_tab", {"separator": "\t"}, [run_no_val]),
        ("append_two_runs", {"append": True}, [run_val, run_val[:1]]),
        ("overwrite_two_runs", {}, [run_val, run_no_val]),
        ("repr_values_and_learning_rate", {}, [[
            {"loss": 1e-05, "val_loss": 0.1 + 0.2, "learning_rate": 0.001},
            {"loss": 100.0, "val_loss": 123456789.125, "learning_rate": 1e-16},
            {"loss": -0.5, "val_loss": 1e16, "learning_rate": 0.0001}]]),
        ("keys_from_first_epoch", {}, [[{"loss": 0.5, "val_loss": 0.6}, {"loss": 0.4, "val_loss": 0.5, "mae": 0.1},
                                        {"loss": 0.3}]]),
        ("key_needs_quotes", {}, [[{"loss": 0.5, "a,b": 0.25, "val_loss": 0.6}]]),
    ]
    cases = []
    cwd = os.getcwd()
    for name, args, runs in specs:
        with tempfile.TemporaryDirectory() as td:
            os.chdir(td)
            try:
                cb = keras.callbacks.CSVLogger("log.csv", **args)
                for run in runs:
                    cb.on_train_begin()
                    for e, logs in enumerate(run):
                        cb.on_epoch_end(e, dict(logs))
                    cb.on_train_end()
                with open("log.csv", "rb") as f:
                    content = f.read().decode("utf-8")
            finally:
                os.chdir(cwd)
        cases.append({"kind": "CSVLogger", "name": name, "args": args, "runs": runs, "file": content})
    return cases


def gen_callbacks():
    cases = (gen_early_stopping_cases() + gen_checkpoint_cases() + gen_reduce_lr_cases() + gen_lr_scheduler_cases()
             + gen_terminate_on_nan_cases() + gen_csv_logger_cases())
    return header({"notes": "Callbacks driven by hand on a tiny compiled model (metrics accuracy, mae; built by one "
                   "evaluate). EarlyStopping: on_train_begin, then before each on_epoch_end(e, logs) the model "
                   "weights are set to the constant e, so final_weights_epoch tells whose weights remain after "
                   "on_train_end; stopped_epoch = epoch index where model.stop_training became True, -1 if never. "
                   "ModelCheckpoint: run in an empty temp dir with relative file templates; saves lists each "
                   "model.save / save_weights call in order; files = directory listing at the end. "
                   "ReduceLROnPlateau and LearningRateScheduler: SGD at initial_lr; per epoch the learning_rate "
                   "logged, the optimizer's rate after the hook, and the counters. TerminateOnNaN: "
                   "on_train_batch_end with the scripted losses (as Python reprs). CSVLogger: each run is "
                   "on_train_begin, on_epoch_end per logs, on_train_end on log.csv; file is its content."}), cases



# ----------------------------------------------------------------------------
# 11. recurrent layers

def rnn_layer(spec):
    """keras.layers.<class>(**args) for a fixture layer spec."""
    kw = {k: v for k, v in spec.items() if k != "class"}
    for k in ("kernel_regularizer", "recurrent_regularizer", "bias_regularizer"):
        r = kw.get(k)
        if r is not None:
            kw[k] = getattr(keras.regularizers, r["class"])(**{kk: vv for kk, vv in r.items() if kk != "class"})
    if spec["class"] == "Dense":
        return keras.layers.Dense(**kw)
    return getattr(keras.layers, spec["class"])(**kw)


def rnn_weights(layer, rs):
    ws = []
    for v in layer.weights:
        shape = tuple(v.shape)
        scale = 0.3 if v.path.endswith("bias") else 0.7
        ws.append(rs.uniform(-scale, scale, shape))
    return ws


def rnn_forward_specs():
    specs = []
    for cls in ("SimpleRNN", "LSTM", "GRU"):
        variants = [
            ("default", {}),
            ("return_sequences", {"return_sequences": True}),
            ("go_backwards", {"go_backwards": True}),
            ("go_backwards_return_sequences", {"go_backwards": True, "return_sequences": True}),
            ("no_bias", {"use_bias": False}),
            ("return_state", {"return_state": True}),
            ("return_state_sequences_backwards", {"return_state": True, "return_sequences": True, "go_backwards": True}),
            ("activation_relu", {"activation": "relu"}),
        ]
        if cls != "SimpleRNN":
            variants.append(("recurrent_activation_tanh", {"activation": "swish", "recurrent_activation": "tanh"}))
        if cls == "GRU":
            variants += [
                ("reset_after_false", {"reset_after": False}),
                ("reset_after_false_sequences_backwards",
                 {"reset_after": False, "return_sequences": True, "go_backwards": True}),
                ("reset_after_false_no_bias", {"reset_after": False, "use_bias": False}),
                ("reset_after_false_return_state", {"reset_after": False, "return_state": True}),
            ]
        for name, args in variants:
            specs.append((f"{cls}_{name}", {"class": cls, "units": 4, **args}))
    return specs


def gen_rnn_forward():
    rs = np.random.RandomState(11)
    cases = []
    for name, spec in rnn_forward_specs():
        keras.backend.clear_session()
        x = rs.uniform(-1.5, 1.5, (3, 5, 2))
        layer = rnn_layer(spec)
        layer.build((None,) + x.shape[1:])
        ws = rnn_weights(layer, rs)
        layer.set_weights(ws)
        check_f64(*layer.weights)
        outs = layer(jnp.asarray(x))
        outs_train = layer(jnp.asarray(x), training=True)
        if not isinstance(outs, (list, tuple)):
            outs, outs_train = [outs], [outs_train]
        for a, b in zip(outs, outs_train):
            check_f64(a)
            assert np.array_equal(np.asarray(a), np.asarray(b))
        note = None
        if spec.get("go_backwards") and spec.get("return_sequences"):
            # The output sequence is in processing order: the same layer run
            # forwards on the time-reversed input gives the same array.
            fwd_spec = dict(spec, go_backwards=False)
            fwd = rnn_layer(fwd_spec)
            fwd.build((None,) + x.shape[1:])
            fwd.set_weights(ws)
            ref = fwd(jnp.asarray(x[:, ::-1, :]))
            ref = ref if isinstance(ref, (list, tuple)) else [ref]
            assert np.array_equal(np.asarray(ref[0]), np.asarray(outs[0])), name
            note = ("go_backwards with return_sequences: output[:, s] is the state after s+1 steps of the "
                    "reversed sequence, identical to a forward layer on x[:, ::-1]; output[:, -1] is the final state")
            assert np.array_equal(np.asarray(outs[0])[:, -1], np.asarray(outs[1] if len(outs) > 1 else ref[0][:, -1]))
        if spec.get("return_state"):
            last = np.asarray(outs[0])[:, -1] if spec.get("return_sequences") else np.asarray(outs[0])
            assert np.array_equal(last, np.asarray(outs[1])), name
        cases.append({
            "kind": "forward",
            "name": name,
            "layer": spec,
            "config": {k: v for k, v in layer.get_config().items()
                       if k in ("units", "activation", "recurrent_activation", "use_bias", "return_sequences",
                                "return_state", "go_backwards", "reset_after", "unit_forget_bias")},
            "weight_paths": [v.path for v in layer.weights],
            "x": L(x),
            "weights": [L(w) for w in ws],
            "outputs": [L(o) for o in outs],
            "notes": note,
        })
    return cases


def rnn_model(spec):
    return keras.Sequential([keras.Input(tuple(spec["input_shape"]))] + [rnn_layer(l) for l in spec["layers"]])


def rnn_manual_loss(model, loss_name, x, y, tvals):
    """Independent check: loss of a stateless forward pass plus every regularizer, read from the cells."""
    ntv = [v.value for v in model.non_trainable_variables]
    y_pred, _ = model.stateless_call(tvals, ntv, x, training=True)
    total = compile_utils.get_loss(loss_name, y, y_pred)(y, y_pred)
    ids = [id(t) for t in model.trainable_variables]
    for layer in model.layers:
        owner = getattr(layer, "cell", layer)
        for attr, reg_attr in (("kernel", "kernel_regularizer"), ("recurrent_kernel", "recurrent_regularizer"),
                               ("bias", "bias_regularizer")):
            reg = getattr(owner, reg_attr, None)
            var = getattr(owner, attr, None)
            if reg is not None and var is not None:
                total = total + reg(tvals[ids.index(id(var))])
    return total


def rnn_one_step(model, rs, x, y):
    """Random weights, compile(Adam(), 'mse'); loss and gradients at the weights, then one train_on_batch."""
    w = []
    for v in model.weights:
        shape = tuple(v.shape)
        scale = 0.1 if v.path.endswith("bias") else np.sqrt(6.0 / (shape[0] + shape[-1]))
        w.append(rs.uniform(-scale, scale, shape))
    model.set_weights(w)
    model.compile(optimizer=keras.optimizers.Adam(), loss="mse")
    tv = [v.value for v in model.trainable_variables]
    ntv = [v.value for v in model.non_trainable_variables]
    mv = [v.value for v in model.metrics_variables]
    ov = [v.value for v in model.optimizer.variables]

    def f(t):
        loss, _ = model.compute_loss_and_updates(
            t, ntv, mv, jnp.asarray(x), jnp.asarray(y), None, training=True, optimizer_variables=ov)
        return loss

    loss0, grads = jax.value_and_grad(f)(tv)
    check_f64(loss0, *grads)
    mloss, mgrads = jax.value_and_grad(
        lambda t: rnn_manual_loss(model, "mse", jnp.asarray(x), jnp.asarray(y), t))(tv)
    assert abs(float(loss0) - float(mloss)) < TOL, (float(loss0), float(mloss))
    for a, b in zip(grads, mgrads):
        assert np.allclose(a, b, rtol=RTOL, atol=ATOL)
    r = model.train_on_batch(x, y, return_dict=True)
    assert abs(r["loss"] - float(loss0)) < TOL, (r["loss"], float(loss0))
    return {
        "compile": {"optimizer": "Adam", "loss": "mse"},
        "weight_paths": [v.path for v in model.trainable_variables],
        "weights": [L(a) for a in w],
        "x": L(x),
        "y": L(y),
        "loss0": float(loss0),
        "grads": [L(g) for g in grads],
        "weights_after_1": [L(a) for a in model.get_weights()],
    }


def gen_rnn_train_step():
    l1 = {"class": "L1", "l1": 0.01}
    l2 = {"class": "L2", "l2": 0.01}
    runs = [
        ("simple_rnn_8", [4, 1], [{"class": "SimpleRNN", "units": 8}, {"class": "Dense", "units": 1}]),
        ("lstm_16", [4, 1], [{"class": "LSTM", "units": 16}, {"class": "Dense", "units": 1}]),
        ("gru_5", [4, 1], [{"class": "GRU", "units": 5}, {"class": "Dense", "units": 1}]),
        ("stacked_simple_rnn", [4, 1], [{"class": "SimpleRNN", "units": 6, "return_sequences": True},
                                        {"class": "SimpleRNN", "units": 4}, {"class": "Dense", "units": 1}]),
        ("lstm_gru_regularized_backwards", [5, 2],
         [{"class": "LSTM", "units": 3, "return_sequences": True, "go_backwards": True,
           "kernel_regularizer": l1, "recurrent_regularizer": l2, "bias_regularizer": l2},
          {"class": "GRU", "units": 2, "reset_after": False, "recurrent_regularizer": l1},
          {"class": "Dense", "units": 1}]),
    ]
    cases = []
    rs = np.random.RandomState(12)
    for name, in_shape, layers in runs:
        keras.backend.clear_session()
        spec = {"input_shape": in_shape, "layers": layers}
        model = rnn_model(spec)
        x = rs.uniform(-1, 1, (6,) + tuple(in_shape))
        y = rs.uniform(-1, 1, (6, 1))
        cases.append({"kind": "train_step", "name": name, "model": spec, **rnn_one_step(model, rs, x, y)})
    return cases


RNN_FUNCTIONAL_CODE = [
    "inp = keras.Input((5, 2))",
    "seq, h, c = keras.layers.LSTM(3, return_sequences=True, return_state=True)(inp)",
    "g, gh = keras.layers.GRU(2, return_state=True, go_backwards=True)(seq)",
    "x = keras.layers.Concatenate()([gh, h, c])",
    "model = keras.Model(inp, keras.layers.Dense(1)(x))",
]


def gen_rnn_functional():
    """ReturnState through the functional API: every state output feeds the loss, the GRU's output does not."""
    keras.backend.clear_session()
    rs = np.random.RandomState(13)
    ns = {"keras": keras}
    exec("\n".join(RNN_FUNCTIONAL_CODE), ns)
    model = ns["model"]
    x = rs.uniform(-1, 1, (6, 5, 2))
    y = rs.uniform(-1, 1, (6, 1))
    return [{"kind": "functional_train_step", "name": "lstm_gru_states", "code": RNN_FUNCTIONAL_CODE,
             **rnn_one_step(model, rs, x, y)}]


RNN_PARAM_LAYERS = [
    ({"class": "SimpleRNN", "units": 50}, [10, 1]),
    ({"class": "SimpleRNN", "units": 7, "use_bias": False}, [10, 3]),
    ({"class": "LSTM", "units": 50}, [10, 1]),
    ({"class": "LSTM", "units": 64}, [10, 1]),
    ({"class": "LSTM", "units": 32}, [10, 64]),
    ({"class": "LSTM", "units": 5, "use_bias": False}, [10, 3]),
    ({"class": "GRU", "units": 50}, [10, 1]),
    ({"class": "GRU", "units": 50, "reset_after": False}, [10, 1]),
    ({"class": "GRU", "units": 5, "use_bias": False}, [10, 3]),
    ({"class": "LSTM", "units": 6, "return_sequences": True, "return_state": True}, [7, 2]),
    ({"class": "GRU", "units": 6, "return_state": True}, [7, 2]),
]


def gen_rnn_params():
    cases = []
    for spec, in_shape in RNN_PARAM_LAYERS:
        keras.backend.clear_session()
        layer = rnn_layer(spec)
        inp = keras.Input(tuple(in_shape))
        out = layer(inp)
        outs = out if isinstance(out, (list, tuple)) else [out]
        cases.append({
            "kind": "params",
            "layer": spec,
            "input_shape": in_shape,
            "count_params": layer.count_params(),
            "weight_paths": [v.path for v in layer.weights],
            "weight_shapes": [list(v.shape) for v in layer.weights],
            "output_shapes": [[d for d in o.shape[1:]] for o in outs],
        })
    return cases


RNN_SUMMARY_CODE = [
    "import keras",
    "from keras import Sequential, Input",
    "from keras.layers import Dense, LSTM",
    "model = Sequential([Input((10, 1)), LSTM(64, return_sequences=True), LSTM(32), Dense(1)])",
]


def rnn_summary_child(meta_path):
    """Runs in a subprocess: stdout is a pipe; prints exactly model.summary()."""
    set_floatx("float32" if FLOAT32_RUN else "float64")
    keras.backend.clear_session()
    ns = {}
    exec("\n".join(RNN_SUMMARY_CODE), ns)
    print_summary(ns["model"], meta_path)


def gen_rnn_summary():
    with tempfile.TemporaryDirectory() as td:
        raw, meta = run_summary_child(["--rnn-summary-child"], "rnn summary child", os.path.join(td, "meta.json"))
    return [{"kind": "summary", "name": "stacked_lstm", "floatx": keras.config.floatx(), "code": RNN_SUMMARY_CODE,
             **meta,
             "text": raw}]


def gen_rnn():
    cases = (gen_rnn_forward() + gen_rnn_train_step() + gen_rnn_functional() + gen_rnn_params()
             + gen_rnn_summary())
    return header({"notes": "kind forward: keras.layers.<class>(**layer) built for x.shape[1:], set_weights(weights) "
                   "(order = weight_paths), outputs = layer(x) as a list ([output] or [output, *states]); "
                   "training=True gives the same arrays (no dropout). kind train_step: Sequential([Input, *layers]) "
                   "with the given weights, compile(Adam(), 'mse'); kind functional_train_step: the same for the "
                   "functional model built by code; loss0 and grads (w.r.t. trainable_variables, "
                   "incl. regularization) at the initial weights, weights_after_1 after one train_on_batch. "
                   "kind params: count_params, weight shapes and output shapes (without the batch axis) of a layer "
                   "called on Input(input_shape). kind summary: model.summary() printed to a pipe "
                   "(fresh process, floatx float64)."}), cases


# ----------------------------------------------------------------------------
# 12. functional models

FUNCTIONAL_PRELUDE = [
    "import numpy as np",
    "import keras",
    "from keras import Input, Model, Sequential",
    "from keras.layers import LSTM, Add, Average, Concatenate, Dense, Dropout, Multiply, concatenate",
]

# Each entry builds `model` right after keras.backend.clear_session().
FUNCTIONAL_CODE = {
    "lecture_m2": [
        "input_1 = Input(shape=(10,))",
        "x1 = Dense(10, activation='relu')(input_1)",
        "input_2 = Input(shape=(5,))",
        "x2 = Dense(20, activation='relu')(input_2)",
        "merged = concatenate([x1, x2])",
        "hidden = Dense(8, activation='relu')(merged)",
        "output = Dense(1)(hidden)",
        "m2 = Model(inputs=[input_1, input_2], outputs=output)",
        "model = m2",
    ],
    "multi_output": [
        "a = Input(shape=(6,))",
        "b = Input(shape=(6,))",
        "shared = Dense(4, activation='tanh')",
        "sa = shared(a)",
        "sb = shared(b)",
        "added = Add()([sa, sb])",
        "product = Multiply()([sa, sb])",
        "mean = Average()([sa, sb])",
        "merged = Concatenate(axis=1)([added, product, mean])",
        "hidden = Dense(5, activation='relu')(merged)",
        "out_reg = Dense(1)(hidden)",
        "out_cls = Dense(1, activation='sigmoid')(merged)",
        "model = Model(inputs=[a, b], outputs=[out_reg, out_cls])",
    ],
    "summary_example": [
        "a = Input((10, 1))",
        "b = Input((5,))",
        "x = LSTM(32)(a)",
        "y = Dense(16)(b)",
        "z = concatenate([x, y])",
        "out = Dense(1)(z)",
        "model = Model([a, b], out)",
    ],
    "functional_chain": [
        "inp = Input((3,))",
        "x = Dense(64, activation='relu')(inp)",
        "x = Dropout(0.2)(x)",
        "out = Dense(1)(x)",
        "model = Model(inp, out)",
    ],
    "nested_sequential": [
        "inp = Input((4,))",
        "inner = Sequential([Dense(3, activation='relu'), Dense(2)])",
        "x = inner(inp)",
        "y = Dense(2, activation='tanh')(inp)",
        "out = Dense(1)(Concatenate()([x, y]))",
        "model = Model(inp, out)",
    ],
    "lecture_named_inputs": [
        "input_1 = Input(shape=(6,), name='input_1')",
        "input_2 = Input(shape=(3,), name='input_2')",
        "x1 = Dense(18, activation='relu', name='numeric')(input_1)",
        "x2 = Dense(4, activation='relu', name='origin')(input_2)",
        "merged = concatenate([x1, x2])",
        "hidden = Dense(8, activation='relu')(merged)",
        "output = Dense(1)(hidden)",
        "model = Model(inputs=[input_1, input_2], outputs=output)",
    ],
    "named_and_default_inputs": [
        "a = Input(shape=(3,), name='first')",
        "b = Input(shape=(2,))",
        "out = Dense(1)(Concatenate()([a, b]))",
        "model = Model([b, a], out)",
    ],
    "lstm_return_state": [
        "inp = Input((5, 2))",
        "seq, h, c = LSTM(4, return_sequences=True, return_state=True)(inp)",
        "last = LSTM(3)(seq)",
        "out = Dense(1)(Concatenate()([last, h, c]))",
        "model = Model(inp, out)",
    ],
}

# Extra lines run after the model is built, before model.summary(), for
# summaries of a trained model (the footer then has "Optimizer params").
FUNCTIONAL_SUMMARY_AFTER = {
    "lecture_m2_after_train": ("lecture_m2", [
        "model.compile(optimizer='adam', loss='mse')",
        "model.train_on_batch([np.zeros((2, 10)), np.zeros((2, 5))], np.zeros((2, 1)))",
    ]),
}


def functional_build(name):
    keras.backend.clear_session()
    ns = {}
    exec("\n".join(FUNCTIONAL_PRELUDE + FUNCTIONAL_CODE[name]), ns)
    return ns["model"]


def functional_meta(model):
    return {
        "model_name": model.name,
        "input_names": [t.name for t in model.inputs],
        "layer_names": [l.name for l in model.layers],
        "layer_classes": [type(l).__name__ for l in model.layers],
        "params": [l.count_params() for l in model.layers],
        "count_params": model.count_params(),
    }


def functional_summary_child(key, meta_path):
    """Runs in a subprocess: stdout is a pipe; prints exactly model.summary()."""
    set_floatx("float32" if FLOAT32_RUN else "float64")
    base, extra = FUNCTIONAL_SUMMARY_AFTER.get(key, (key, []))
    model = functional_build(base)
    ns = {"model": model, "np": np}
    exec("\n".join(extra), ns)
    print_summary(model, meta_path, functional_meta(model))


def functional_summary(key):
    with tempfile.TemporaryDirectory() as td:
        return run_summary_child(["--functional-summary-child", key], f"functional summary child {key}",
                                 os.path.join(td, "meta.json"))


def functional_outputs(model, xs, training=False):
    out = model([jnp.asarray(a) for a in xs] if len(xs) > 1 else jnp.asarray(xs[0]), training=training)
    outs = list(out) if isinstance(out, (list, tuple)) else [out]
    check_f64(*outs)
    return [L(o) for o in outs]


def functional_loss_and_grads(model, losses, loss_weights, xs, ys):
    """Total compiled loss and its gradients w.r.t. trainable_variables, with an independent check."""
    tv = [v.value for v in model.trainable_variables]
    ntv = [v.value for v in model.non_trainable_variables]
    mv = [v.value for v in model.metrics_variables]
    ov = [v.value for v in model.optimizer.variables]
    xj = [jnp.asarray(a) for a in xs] if len(xs) > 1 else jnp.asarray(xs[0])
    yj = [jnp.asarray(a) for a in ys] if len(ys) > 1 else jnp.asarray(ys[0])

    def f(t):
        loss, _ = model.compute_loss_and_updates(
            t, ntv, mv, xj, yj, None, training=True, optimizer_variables=ov)
        return loss

    def manual(t):
        y_pred, _ = model.stateless_call(t, ntv, xj, training=True)
        preds = list(y_pred) if isinstance(y_pred, (list, tuple)) else [y_pred]
        total = 0.0
        per = []
        for name, w, yt, yp in zip(losses, loss_weights, ys, preds):
            v = compile_utils.get_loss(name, jnp.asarray(yt), yp)(jnp.asarray(yt), yp)
            per.append(v)
            total = total + w * v
        return total, per

    loss, grads = jax.value_and_grad(f)(tv)
    check_f64(loss, *grads)
    (mloss, per), mgrads = jax.value_and_grad(manual, has_aux=True)(tv)
    assert abs(float(loss) - float(mloss)) < TOL, (float(loss), float(mloss))
    for a, b in zip(grads, mgrads):
        assert np.allclose(a, b, rtol=RTOL, atol=ATOL)
    return float(loss), [float(v) for v in per], [L(g) for g in grads]


def functional_case(name, rs, rows):
    """Builds the model, gives it random weights and records them with a forward pass."""
    model = functional_build(name)
    w = random_weights(model, rs)
    model.set_weights(w)
    check_f64(*model.weights)
    xs = [rs.uniform(-1, 1, (rows,) + tuple(t.shape[1:])) for t in model.inputs]
    text, meta = functional_summary(name)
    return model, w, xs, {
        "name": name,
        "code": FUNCTIONAL_CODE[name],
        **meta,
        "weight_paths": [v.path for v in model.weights],
        "weights": [L(a) for a in w],
        "x": [L(a) for a in xs],
        "outputs": functional_outputs(model, xs),
        "summary": text,
    }


def gen_functional_m2():
    rs = np.random.RandomState(14)
    model, w, xs, case = functional_case("lecture_m2", rs, rows=16)
    y = rs.uniform(-1, 1, (16, 1))
    model.compile(optimizer=keras.optimizers.Adam(), loss="mse")
    loss0, per, grads = functional_loss_and_grads(model, ["mse"], [1.0], xs, [y])
    tob, w1 = [], None
    for step in range(3):
        r = model.train_on_batch(xs, y, return_dict=True)
        tob.append({k: float(v) for k, v in r.items()})
        if step == 0:
            w1 = [L(a) for a in model.get_weights()]
    assert abs(tob[0]["loss"] - loss0) < TOL, (tob[0]["loss"], loss0)
    text, meta = functional_summary("lecture_m2_after_train")
    case.update({
        "compile": {"optimizer": "Adam", "loss": "mse"},
        "y": [L(y)],
        "loss0": loss0,
        "grads": grads,
        "train_on_batch": tob,
        "weights_after_1": w1,
        "weights_after_3": [L(a) for a in model.get_weights()],
        "summary_after_train_code": FUNCTIONAL_SUMMARY_AFTER["lecture_m2_after_train"][1],
        "summary_after_train": text,
    })
    return case


def gen_functional_multi_output():
    rs = np.random.RandomState(15)
    model, w, xs, case = functional_case("multi_output", rs, rows=16)
    ys = [rs.uniform(-1, 1, (16, 1)), rs.randint(0, 2, (16, 1)).astype(np.float64)]
    losses, loss_weights = ["mse", "binary_crossentropy"], [1.0, 0.5]
    out_names = list(model.output_names)
    # A flat metrics list is rejected for two outputs (when the metrics are built, at the first
    # train_on_batch): Keras wants one list per output.
    flat_error = None
    try:
        model.compile(optimizer=keras.optimizers.Adam(), loss=losses, loss_weights=loss_weights, metrics=["mae"])
        model.train_on_batch(xs, ys)
    except ValueError as e:
        flat_error = str(e).split("\n")[0]
    assert flat_error is not None
    metrics = [["mae"], ["mae"]]

    def compile_fresh(m):
        m.compile(optimizer=keras.optimizers.Adam(), loss=losses, loss_weights=loss_weights, metrics=metrics)

    model = functional_build("multi_output")
    model.set_weights(w)
    compile_fresh(model)
    loss0, per, grads = functional_loss_and_grads(model, losses, loss_weights, xs, ys)
    r = model.train_on_batch(xs, ys, return_dict=True)
    tob = {k: float(v) for k, v in r.items()}
    assert abs(tob["loss"] - loss0) < TOL, (tob["loss"], loss0)
    for n, v in zip(out_names, per):
        assert abs(tob[n + "_loss"] - v) < TOL, (n, tob, per)
    w1 = [L(a) for a in model.get_weights()]

    # fit from the initial weights with a fresh optimizer
    model = functional_build("multi_output")
    model.set_weights(w)
    compile_fresh(model)
    fitargs = {"epochs": 2, "batch_size": 8, "validation_split": 0.25, "shuffle": False}
    hist = model.fit(xs, ys, verbose=0, **fitargs)
    ev = model.evaluate(xs, ys, batch_size=8, verbose=0, return_dict=True)
    ev_list = model.evaluate(xs, ys, batch_size=8, verbose=0)
    pred = model.predict(xs, batch_size=8, verbose=0)
    check_f64(*pred)
    case.update({
        "output_names": out_names,
        "compile": {"optimizer": "Adam", "loss": losses, "loss_weights": loss_weights, "metrics": metrics},
        "flat_metrics_error": flat_error,
        "y": [L(a) for a in ys],
        "loss0": loss0,
        "output_losses0": per,
        "grads": grads,
        "train_on_batch": tob,
        "train_on_batch_keys": list(r.keys()),
        "weights_after_1": w1,
        "fit": fitargs,
        "history": {k: [float(v) for v in vs] for k, vs in hist.history.items()},
        "history_keys": list(hist.history.keys()),
        "history_params": {k: v for k, v in hist.params.items()},
        "final_weights": [L(a) for a in model.get_weights()],
        "evaluate": {k: float(v) for k, v in ev.items()},
        "evaluate_keys": list(ev.keys()),
        "evaluate_list": [float(v) for v in ev_list],
        "predict": [L(p) for p in pred],
    })
    return case


def gen_functional():
    cases = [gen_functional_m2(), gen_functional_multi_output()]
    for i, name in enumerate(("summary_example", "functional_chain", "nested_sequential", "lstm_return_state",
                              "lecture_named_inputs", "named_and_default_inputs")):
        _, _, _, case = functional_case(name, np.random.RandomState(16 + i), rows=4)
        cases.append(case)
    return header({"notes": "Each case runs keras.backend.clear_session(), then the prelude ("
                   + "; ".join(FUNCTIONAL_PRELUDE) + ") and 'code', which builds 'model'; "
                   "set_weights(weights) (model.get_weights() order, paths in weight_paths); outputs = "
                   "model(x, training=False) as a list, one per model output; x is a list, one per model input. "
                   "summary = model.summary() printed to a pipe by a fresh process running the same code (no "
                   "weights set; floatx float64). loss0 and grads (w.r.t. trainable_variables) are the total "
                   "compiled loss at the initial weights (sum of loss_weights[i] * loss_i), computed with "
                   "compute_loss_and_updates (training=True); output_losses0 are the unweighted per-output "
                   "losses. lecture_m2: compile(Adam(), 'mse'), train_on_batch[i] is the dict of the (i+1)-th "
                   "call; summary_after_train adds summary_after_train_code before the summary. multi_output: "
                   "metrics=['mae'] is rejected for two outputs (flat_metrics_error), so compile uses one list per "
                   "output; train_on_batch is the dict of one call from the initial weights; fit, evaluate and "
                   "predict restart from the initial weights with a fresh model and optimizer; evaluate = "
                   "evaluate(x, y, batch_size=8, return_dict=True) after fit, evaluate_list the same without "
                   "return_dict."}), cases


# ----------------------------------------------------------------------------
# 13. convolution and pooling layers

CONV_LAYERS = [
    # (name, class, constructor arguments, input shape without the batch axis)
    ("conv2d_3x3", "Conv2D", {"filters": 4, "kernel_size": 3}, [6, 7, 2]),
    ("conv2d_2x3_strides_2_1_relu", "Conv2D", {"filters": 3, "kernel_size": [2, 3], "strides": [2, 1], "activation": "relu"},
     [6, 7, 2]),
    ("conv2d_4x4_same_stride_2_tanh_no_bias", "Conv2D",
     {"filters": 3, "kernel_size": 4, "strides": 2, "padding": "same", "activation": "tanh", "use_bias": False}, [7, 6, 2]),
    ("conv2d_3x3_same_softmax", "Conv2D", {"filters": 2, "kernel_size": 3, "padding": "same", "activation": "softmax"}, [5, 5, 3]),
    ("conv2d_1x1_regularized", "Conv2D",
     {"filters": 5, "kernel_size": 1, "activation": "elu", "kernel_regularizer": {"class": "L2", "l2": 0.01},
      "bias_regularizer": {"class": "L1", "l1": 0.02}}, [4, 3, 2]),
    ("conv2d_kernel_larger_than_input_same", "Conv2D", {"filters": 2, "kernel_size": 5, "padding": "same"}, [3, 4, 2]),
    ("conv1d_3", "Conv1D", {"filters": 4, "kernel_size": 3}, [9, 2]),
    ("conv1d_4_same_stride_2_sigmoid", "Conv1D",
     {"filters": 3, "kernel_size": 4, "strides": 2, "padding": "same", "activation": "sigmoid"}, [9, 2]),
    ("conv1d_3_causal_no_bias", "Conv1D", {"filters": 2, "kernel_size": 3, "padding": "causal", "use_bias": False}, [9, 2]),
    ("conv1d_2_causal_stride_2_relu", "Conv1D",
     {"filters": 2, "kernel_size": 2, "strides": 2, "padding": "causal", "activation": "relu"}, [9, 3]),
    ("max_pooling2d", "MaxPooling2D", {}, [6, 7, 2]),
    ("max_pooling2d_3_stride_1", "MaxPooling2D", {"pool_size": 3, "strides": 1}, [5, 6, 2]),
    ("max_pooling2d_3x2_stride_2_same", "MaxPooling2D", {"pool_size": [3, 2], "strides": 2, "padding": "same"}, [7, 5, 2]),
    ("max_pooling2d_ties", "MaxPooling2D", {"pool_size": 2, "strides": 1}, [4, 4, 2]),
    ("average_pooling2d", "AveragePooling2D", {"pool_size": 2}, [6, 7, 2]),
    ("average_pooling2d_3_stride_2_same", "AveragePooling2D", {"pool_size": 3, "strides": 2, "padding": "same"}, [7, 5, 2]),
    ("average_pooling2d_2x3_strides_1_2", "AveragePooling2D", {"pool_size": [2, 3], "strides": [1, 2]}, [5, 7, 1]),
    ("max_pooling1d", "MaxPooling1D", {}, [9, 3]),
    ("max_pooling1d_3_stride_2_same", "MaxPooling1D", {"pool_size": 3, "strides": 2, "padding": "same"}, [9, 3]),
    ("global_average_pooling2d", "GlobalAveragePooling2D", {}, [3, 4, 5]),
    ("global_average_pooling2d_keepdims", "GlobalAveragePooling2D", {"keepdims": True}, [3, 4, 5]),
    ("flatten", "Flatten", {}, [3, 4, 5]),
]


def conv_layer(cls, args):
    kw = dict(args)
    for k in ("kernel_regularizer", "bias_regularizer"):
        r = kw.get(k)
        if r is not None:
            kw[k] = getattr(keras.regularizers, r["class"])(**{kk: vv for kk, vv in r.items() if kk != "class"})
    for k in ("kernel_size", "strides", "pool_size"):
        if isinstance(kw.get(k), list):
            kw[k] = tuple(kw[k])
    return getattr(keras.layers, cls)(**kw)


def conv_weights(model_or_layer, rs):
    """Uniform weights, Glorot-sized for kernels (fans as Keras computes them for convolutions)."""
    ws = []
    for v in model_or_layer.weights:
        shape = tuple(v.shape)
        if len(shape) >= 2:
            field = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
            lim = np.sqrt(6.0 / (field * (shape[-2] + shape[-1])))
            ws.append(rs.uniform(-lim, lim, shape))
        else:
            ws.append(rs.uniform(-0.3, 0.3, shape))
    return ws


def gen_conv_layers():
    rs = np.random.RandomState(21)
    cases = []
    for name, cls, args, in_shape in CONV_LAYERS:
        keras.backend.clear_session()
        layer = conv_layer(cls, args)
        layer.build((None,) + tuple(in_shape))
        ws = conv_weights(layer, rs)
        layer.set_weights(ws)
        if name.endswith("_ties"):
            x = rs.randint(0, 3, (3,) + tuple(in_shape)).astype(np.float64)
        else:
            x = rs.uniform(-1.5, 1.5, (3,) + tuple(in_shape))
        y = layer(jnp.asarray(x))
        check_f64(y)
        w = rs.uniform(-1, 1, y.shape)
        tv = [v.value for v in layer.trainable_variables]

        def f(xx, t):
            out, _ = layer.stateless_call(t, [], xx)
            return jnp.sum(out * w)

        dx, dws = jax.grad(f, argnums=(0, 1))(jnp.asarray(x), tv)
        check_f64(dx, *dws)
        cases.append({
            "kind": "layer",
            "name": name,
            "class": cls,
            "args": args,
            "input_shape": in_shape,
            "config": keras.saving.serialize_keras_object(layer),
            "output_shape": list(y.shape[1:]),
            "count_params": layer.count_params(),
            "weight_paths": [v.path for v in layer.weights],
            "weights": [L(a) for a in ws],
            "x": L(x),
            "y": L(y),
            "w": L(w),
            "dx": L(dx),
            "dweights": [L(g) for g in dws],
        })
    return cases


CONV_MODELS = [
    # (name, code building `model`, compile, fit arguments, x shape, target kind)
    ("cnn", [
        "model = Sequential([Input((8, 8, 1)), Conv2D(16, 3, activation='relu'), MaxPooling2D(2),",
        "                    Conv2D(32, 3, activation='relu'), Flatten(), Dense(10, activation='softmax')])",
    ], {"optimizer": {"class": "Adam", "config": {}}, "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]},
     (24, 8, 8, 1), "sparse10"),
    ("cnn_options", [
        "model = Sequential([Input((7, 7, 2)),",
        "                    Conv2D(3, (3, 2), strides=(2, 1), padding='same', activation='tanh', use_bias=False,",
        "                           kernel_regularizer=keras.regularizers.L2(0.01)),",
        "                    AveragePooling2D(2, strides=1, padding='same'), MaxPooling2D(2, padding='same'),",
        "                    Conv2D(4, 1, bias_regularizer=keras.regularizers.L1(0.01)), GlobalAveragePooling2D(),",
        "                    Dense(3, activation='softmax')])",
    ], {"optimizer": {"class": "Adam", "config": {"learning_rate": 0.01}}, "loss": "categorical_crossentropy",
        "metrics": ["accuracy"]}, (20, 7, 7, 2), "onehot3"),
    ("conv1d", [
        "model = Sequential([Input((10, 2)), Conv1D(4, 3, padding='causal', activation='relu'), MaxPooling1D(),",
        "                    Conv1D(3, 2, strides=2, padding='same', activation='sigmoid'), Flatten(), Dense(1)])",
    ], {"optimizer": {"class": "Adam", "config": {}}, "loss": "mse", "metrics": ["mae"]}, (20, 10, 2), "regression"),
]

CONV_PRELUDE = [
    "import keras",
    "from keras import Sequential, Input",
    "from keras.layers import AveragePooling2D, Conv1D, Conv2D, Dense, Flatten, GlobalAveragePooling2D, "
    "MaxPooling1D, MaxPooling2D",
]


def conv_model(code):
    ns = {}
    exec("\n".join(CONV_PRELUDE + code), ns)
    return ns["model"]


def conv_targets(kind, rs, n):
    if kind == "sparse10":
        return rs.randint(0, 10, (n,)).astype(np.float64)
    if kind == "onehot3":
        return np.eye(3)[rs.randint(0, 3, n)]
    return rs.uniform(-1, 1, (n, 1))


def gen_conv_models():
    cases = []
    for i, (name, code, comp, x_shape, target) in enumerate(CONV_MODELS):
        rs = np.random.RandomState(30 + i)
        x = rs.uniform(0, 1, x_shape)
        y = conv_targets(target, rs, x_shape[0])

        def fresh():
            keras.backend.clear_session()
            m = conv_model(code)
            m.compile(optimizer=make_optimizer(comp["optimizer"]), loss=comp["loss"], metrics=comp["metrics"])
            return m

        model = fresh()
        w = conv_weights(model, rs)
        model.set_weights(w)
        check_f64(*model.trainable_variables)
        loss0, grads = loss_and_grads(model, comp["loss"], x, y)
        tob = []
        for step in range(10):
            r = model.train_on_batch(x, y, return_dict=True)
            tob.append({k: float(v) for k, v in r.items()})
        assert abs(tob[0]["loss"] - loss0) < 1e-12, (tob[0]["loss"], loss0)
        after10 = [L(a) for a in model.get_weights()]

        model = fresh()
        model.set_weights(w)
        fitargs = {"epochs": 3, "batch_size": 8, "validation_split": 0.25, "shuffle": False}
        hist = model.fit(x, y, verbose=0, **fitargs)
        pred = model.predict(x, batch_size=8, verbose=0)
        check_f64(pred)
        cases.append({
            "kind": "model",
            "name": name,
            "code": code,
            "config": json.loads(model.to_json()),
            "compile": comp,
            "count_params": model.count_params(),
            "weight_paths": [v.path for v in model.trainable_variables],
            "weights": [L(a) for a in w],
            "x": L(x),
            "y": L(y),
            "loss0": loss0,
            "grads": grads,
            "train_on_batch": tob,
            "weights_after_10": after10,
            "fit": fitargs,
            "history": {k: [float(v) for v in vs] for k, vs in hist.history.items()},
            "history_keys": list(hist.history.keys()),
            "final_weights": [L(a) for a in model.get_weights()],
            "predict": L(pred),
        })
    return cases


def conv_summary_child(index, meta_path):
    """Runs in a subprocess: stdout is a pipe; prints exactly model.summary()."""
    set_floatx("float64")
    keras.backend.clear_session()
    print_summary(conv_model(CONV_MODELS[index][1]), meta_path)


def gen_conv_summaries():
    cases = []
    with tempfile.TemporaryDirectory() as td:
        for i, (name, code, *_) in enumerate(CONV_MODELS):
            raw, meta = run_summary_child(["--conv-summary-child", str(i)], "conv summary child",
                                          os.path.join(td, "meta.json"))
            cases.append({"kind": "summary", "name": name, "floatx": "float64", "code": CONV_PRELUDE + code, **meta,
                          "text": raw})
    return cases


def gen_conv():
    cases = gen_conv_layers() + gen_conv_models() + gen_conv_summaries()
    return header({"notes": "kind layer: keras.layers.<class>(**args) (regularizers as {class, l1/l2}, lists as "
                   "tuples) built for (None, *input_shape), set_weights(weights) (order = weight_paths); y = layer(x); "
                   "config = serialize_keras_object(layer) after the build; dx and dweights = gradients of "
                   "sum(y * w) w.r.t. x and the trainable weights. kind model: the Sequential built by "
                   "prelude + code (config = model.to_json()), compiled as given, set_weights(weights); loss0 and "
                   "grads (w.r.t. trainable_variables, incl. regularization) at the initial weights "
                   "(compute_loss_and_updates, training=True); train_on_batch[i] = the dict of the (i+1)-th of ten "
                   "calls, weights_after_10 after them; then a fresh model from the same weights runs "
                   "fit(x, y, verbose=0, **fit): history, final_weights, predict(x, batch_size=8). kind summary: "
                   "model.summary() of prelude + code printed to a pipe by a fresh process (floatx float64). "
                   "Prelude: " + "; ".join(CONV_PRELUDE)}), cases


# ----------------------------------------------------------------------------

def in_float32(gen):
    """Runs a generator with floatx float32, Keras's default: the weights,
    activations, gradients and optimizer slots are float32."""
    set_floatx("float32")
    try:
        return gen()
    finally:
        set_floatx("float64")


GENERATORS = [
    ("activations", "activations.json", gen_activations),
    ("dense", "dense.json", gen_dense),
    ("losses", "losses.json", gen_losses),
    ("metrics", "metrics.json", gen_metrics),
    ("regularizers", "regularizers.json", gen_regularizers),
    ("optimizers", "optimizers.json", gen_optimizers),
    ("train_step", "train_step.json", gen_train_step),
    ("fit", "fit.json", gen_fit),
    ("train_step_f32", "train_step_f32.json", lambda: in_float32(gen_train_step)),
    ("fit_f32", "fit_f32.json", lambda: in_float32(gen_fit)),
    ("summary", "summary.json", gen_summary),
    ("callbacks", "callbacks.json", gen_callbacks),
    ("rnn", "rnn.json", gen_rnn),
    ("functional", "functional.json", gen_functional),
    ("conv", "conv.json", gen_conv),
    ("rnn_f32", "rnn_f32.json", lambda: in_float32(gen_rnn)),
    ("functional_f32", "functional_f32.json", lambda: in_float32(gen_functional)),
]


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--summary-child":
        summary_child(int(sys.argv[2]), sys.argv[3], sys.argv[4])
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--rnn-summary-child":
        rnn_summary_child(sys.argv[2])
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--conv-summary-child":
        conv_summary_child(int(sys.argv[2]), sys.argv[3])
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--functional-summary-child":
        functional_summary_child(sys.argv[2], sys.argv[3])
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--only", nargs="*", choices=[g[0] for g in GENERATORS])
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for key, fname, fn in GENERATORS:
        if args.only and key not in args.only:
            continue
        if key.endswith("_f32") != FLOAT32_RUN:
            if not FLOAT32_RUN:
                env = dict(os.environ, DLGO_KERAS_FLOAT32="1")
                subprocess.run([sys.executable, HERE, "--out", args.out, "--only", key], env=env, check=True)
            continue
        set_floatx("float64")
        hdr, cases = fn()
        write_fixture(args.out, fname, hdr, cases)


if __name__ == "__main__":
    main()
