#!/usr/bin/env python3
"""Write real Keras 3 model files for the load tests of package `dl`.

What it writes
--------------
Into dl/testdata/keras/files/ (relative to the repository root), for each
case a model file and NAME.json next to it:

    compiled_fitted.keras   Sequential [Input(8), Dense(16, relu, L2(0.01)),
                            Dropout(0.3), Dense(8, tanh), Dense(1, sigmoid)],
                            Adam + binary_crossentropy + accuracy, fitted
    uncompiled.keras        Sequential [Input(3), Dense(4), Dense(2, softmax)]
    fitted.weights.h5       model.save_weights of a compiled, fitted Sequential
                            (the JSON holds its config, to rebuild it)
    float64.keras           a float64 Sequential (dtype policy float64), SGD
                            with momentum, fitted
    opt_*.keras             small fitted Sequentials, one per optimizer setting
                            (Adam amsgrad, RMSprop momentum / centered / both,
                            SGD plain / nesterov, Adagrad, AdamW, Nadam with its
                            u_product, Adamax), to check that the
                            optimizer's slot variables are read in Keras's order
    functional_two_inputs.keras, simple_rnn.keras, lstm.keras, gru.keras,
    lstm_stacked.keras      models that need the functional API and the
                            recurrent layers
    functional_named_inputs.keras
                            chapter 8's two-input model with the inputs
                            named input_1 and input_2, fitted on a dict
    cnn.keras, cnn_options.keras, conv1d.keras
                            the convolution and pooling layers: the
                            lecture's CNN, every 2-D option, and Conv1D

Each NAME.json holds:

    file, kind ("keras" or "weights"), keras_version, jax_version, backend,
    dtype                   the model's variable dtype
    model_class, classes    the top-level class and every layer class in it
    layer_names             [l.name for l in model.layers]
    input_names             [t.name for t in model.inputs] of a functional
                            model (keras_tensor_N for an unnamed Input)
    compiled, compile       optimizer class / learning_rate / config, loss, metrics
    optimizer_iterations    optimizer.iterations when saved
    optimizer_variables     [{"name", "path", "shape", "value"}] in
                            optimizer.variables order (iteration and learning
                            rate first), the order of optimizer/vars/0.. in the file
    x, y                    lists with one array per model input / output
    predict                 model.predict(x) of the saved model (float32 math
                            for float32 models), as float64 numbers
    predict_f64             the same weights evaluated by a float64 copy of the
                            model (Keras, JAX with x64), for tight comparisons
    train_step              (compiled models without dropout) predict(x) after
                            one more model.train_on_batch(x, y) from the saved state
    config                  (kind "weights") json.loads(model.to_json())

Float32 models are made the way students make them: default floatx, JAX
without x64. A second process with JAX x64 writes float64.keras and adds
predict_f64 to every JSON (see --float64-stage).

How to run
----------
    tools/keras/.venv/bin/python tools/keras/gen_keras_files.py [--out DIR] [--only NAME ...]

(the venv that tools/keras/run.sh creates). The numbers are reproducible for
given versions; the .keras archives differ between runs only in their
date_saved and zip timestamps.
"""

import argparse
import json
import os
import subprocess
import sys
import warnings

os.environ["KERAS_BACKEND"] = "jax"
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

F64_STAGE = "--float64-stage" in sys.argv

import jax  # noqa: E402

if F64_STAGE:
    jax.config.update("jax_enable_x64", True)

import numpy as np  # noqa: E402

import keras  # noqa: E402

if F64_STAGE:
    # Keras demotes float64 results of some ops to float32 on JAX (see
    # tools/keras/README.md); map float64 to itself so the float64 model and
    # predict_f64 are true float64.
    from keras.src.backend.common import dtypes as keras_dtypes  # noqa: E402

    keras_dtypes.BIT64_TO_BIT32_DTYPE["float64"] = "float64"

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_OUT = os.path.join(REPO, "dl", "testdata", "keras", "files")
MAX_BYTES = 200 * 1024

layers = keras.layers


def L(a):
    a = np.asarray(a)
    if a.dtype.kind in "iub":
        return a.tolist()
    return a.astype(np.float64).tolist()


def rs(seed):
    return np.random.RandomState(seed)


# ----------------------------------------------------------------------------
# cases: each returns (model, x list, y list or None, description); the model
# is compiled and fitted as the case requires.


def fit(model, x, y, epochs, batch_size):
    model.fit(x if len(x) > 1 else x[0], y[0], epochs=epochs, batch_size=batch_size,
              shuffle=False, verbose=0)


def case_compiled_fitted():
    r = rs(1)
    x = r.normal(size=(32, 8))
    y = (x[:, :3].sum(axis=1) > 0).astype(np.float64).reshape(-1, 1)
    m = keras.Sequential([
        keras.Input((8,)),
        layers.Dense(16, activation="relu", kernel_regularizer=keras.regularizers.L2(0.01)),
        layers.Dropout(0.3),
        layers.Dense(8, activation="tanh"),
        layers.Dense(1, activation="sigmoid"),
    ])
    m.compile(optimizer=keras.optimizers.Adam(learning_rate=0.005),
              loss="binary_crossentropy", metrics=["accuracy"])
    fit(m, [x], [y], epochs=3, batch_size=8)
    return m, [x[:6]], [y[:6]], "compiled and fitted Sequential with L2, Dropout, Adam(0.005), binary_crossentropy, accuracy"


def case_uncompiled():
    r = rs(2)
    m = keras.Sequential([keras.Input((3,)), layers.Dense(4), layers.Dense(2, activation="softmax")])
    return m, [r.normal(size=(5, 3))], None, "uncompiled Sequential Dense(4) -> Dense(2, softmax)"


def case_weights():
    r = rs(3)
    x = r.normal(size=(24, 6))
    y = x[:, :1] - 0.5 * x[:, 1:2]
    m = keras.Sequential([keras.Input((6,)), layers.Dense(5, activation="elu"),
                          layers.Dense(3, activation="relu"), layers.Dense(1)])
    m.compile(optimizer="adam", loss="mse", metrics=["mae"])
    fit(m, [x], [y], epochs=2, batch_size=8)
    return m, [x[:5]], [y[:5]], "save_weights of a compiled, fitted Sequential (adam, mse, mae)"


def opt_case(seed, opt, loss="mse"):
    def make():
        r = rs(seed)
        x = r.normal(size=(16, 3))
        y = np.tanh(x[:, :1] + 0.5 * x[:, 2:3])
        m = keras.Sequential([keras.Input((3,)), layers.Dense(4, activation="tanh"), layers.Dense(1)])
        m.compile(optimizer=opt(), loss=loss)
        fit(m, [x], [y], epochs=2, batch_size=8)
        return m, [x[:8]], [y[:8]], f"fitted Sequential with {m.optimizer.__class__.__name__} {opt_desc(m.optimizer)}"
    return make


def opt_desc(o):
    c = o.get_config()
    keep = ["learning_rate", "weight_decay", "momentum", "nesterov", "amsgrad", "centered", "rho",
            "initial_accumulator_value"]
    return ", ".join(f"{k}={c[k]!r}" for k in keep if c.get(k) is not None)


def case_functional():
    r = rs(4)
    a = keras.Input((10,))
    b = keras.Input((5,))
    ha = layers.Dense(10, activation="relu")(a)
    hb = layers.Dense(20, activation="relu")(b)
    z = layers.concatenate([ha, hb])
    z = layers.Dense(8, activation="relu")(z)
    out = layers.Dense(1)(z)
    m = keras.Model([a, b], out)
    xa, xb = r.normal(size=(16, 10)), r.normal(size=(16, 5))
    y = xa[:, :1] + xb[:, :1]
    m.compile(optimizer="adam", loss="mse")
    fit(m, [xa, xb], [y], epochs=2, batch_size=8)
    return m, [xa[:4], xb[:4]], [y[:4]], "two-input functional model with concatenate, adam, mse"


def case_functional_named():
    """Chapter 8's two-input model with the lecture's input names, trained on data passed by name."""
    r = rs(6)
    a = keras.Input(shape=(6,), name="input_1")
    b = keras.Input(shape=(3,), name="input_2")
    ha = layers.Dense(18, activation="relu", name="numeric")(a)
    hb = layers.Dense(4, activation="relu", name="origin")(b)
    z = layers.Dense(8, activation="relu")(layers.concatenate([ha, hb]))
    m = keras.Model(inputs=[a, b], outputs=layers.Dense(1)(z))
    xa, xb = r.normal(size=(16, 6)), r.normal(size=(16, 3))
    y = xa[:, :1] - xb[:, :1]
    m.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse", metrics=["mae"])
    m.fit({"input_2": xb, "input_1": xa}, y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    return m, [xa[:4], xb[:4]], [y[:4]], "chapter 8's two-input model with inputs named input_1 and input_2, fitted by name"


def seq_case(seed, make_layers, desc):
    def make():
        r = rs(seed)
        x = r.normal(size=(16, 4, 1))
        y = x.sum(axis=1) * 0.5
        m = keras.Sequential([keras.Input((4, 1))] + make_layers())
        m.compile(optimizer="adam", loss="mse")
        fit(m, [x], [y], epochs=2, batch_size=8)
        return m, [x[:5]], [y[:5]], desc
    return make


CASES = [
    ("compiled_fitted", "keras", case_compiled_fitted),
    ("uncompiled", "keras", case_uncompiled),
    ("fitted", "weights", case_weights),
    ("opt_adam_amsgrad", "keras", opt_case(10, lambda: keras.optimizers.Adam(learning_rate=0.01, amsgrad=True))),
    ("opt_rmsprop_momentum_centered", "keras",
     opt_case(11, lambda: keras.optimizers.RMSprop(learning_rate=0.01, momentum=0.5, centered=True))),
    ("opt_rmsprop_centered", "keras", opt_case(12, lambda: keras.optimizers.RMSprop(learning_rate=0.01, centered=True))),
    ("opt_rmsprop_momentum", "keras", opt_case(15, lambda: keras.optimizers.RMSprop(learning_rate=0.01, momentum=0.5))),
    ("opt_sgd", "keras", opt_case(16, lambda: keras.optimizers.SGD(learning_rate=0.05))),
    ("opt_sgd_nesterov", "keras", opt_case(13, lambda: keras.optimizers.SGD(learning_rate=0.05, momentum=0.9, nesterov=True))),
    ("opt_adagrad", "keras", opt_case(14, lambda: keras.optimizers.Adagrad(learning_rate=0.05))),
    ("opt_adamw", "keras", opt_case(17, lambda: keras.optimizers.AdamW(learning_rate=0.01, weight_decay=0.05))),
    ("opt_nadam", "keras", opt_case(18, lambda: keras.optimizers.Nadam(learning_rate=0.01))),
    ("opt_adamax", "keras", opt_case(19, lambda: keras.optimizers.Adamax(learning_rate=0.01))),
    ("functional_two_inputs", "keras", case_functional),
    ("functional_named_inputs", "keras", case_functional_named),
    ("simple_rnn", "keras", seq_case(20, lambda: [layers.SimpleRNN(8), layers.Dense(1)], "Sequential SimpleRNN(8) -> Dense(1)")),
    ("lstm", "keras", seq_case(21, lambda: [layers.LSTM(16), layers.Dense(1)], "Sequential LSTM(16) -> Dense(1)")),
    ("gru", "keras", seq_case(22, lambda: [layers.GRU(5), layers.Dense(1)], "Sequential GRU(5) -> Dense(1)")),
    ("lstm_stacked", "keras", seq_case(23, lambda: [layers.LSTM(8, return_sequences=True), layers.LSTM(4), layers.Dense(1)],
                                       "Sequential LSTM(8, return_sequences=True) -> LSTM(4) -> Dense(1)")),
    ("cnn", "keras", lambda: case_cnn()),
    ("cnn_options", "keras", lambda: case_cnn_options()),
    ("conv1d", "keras", lambda: case_conv1d()),
]


def case_cnn():
    """The lecture's small CNN on 8x8 grey images, sparse labels."""
    r = rs(24)
    x = r.uniform(0, 1, size=(32, 8, 8, 1))
    y = (x[:, :4].mean(axis=(1, 2, 3)) * 20).astype(np.int64) % 10
    m = keras.Sequential([keras.Input((8, 8, 1)), layers.Conv2D(16, 3, activation="relu"), layers.MaxPooling2D(2),
                          layers.Conv2D(32, 3, activation="relu"), layers.Flatten(), layers.Dense(10, activation="softmax")])
    m.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    fit(m, [x], [y], epochs=2, batch_size=8)
    return m, [x[:6]], [y[:6]], "the lecture's CNN: Conv2D(16, 3, relu) -> MaxPooling2D(2) -> Conv2D(32, 3, relu) -> Flatten -> Dense(10, softmax)"


def case_cnn_options():
    """Every 2-D option: strides, same padding, no bias, regularizers, average and global pooling."""
    r = rs(25)
    x = r.normal(size=(24, 9, 7, 2))
    y = np.tanh(x[:, :3, :3].mean(axis=(1, 2)))
    m = keras.Sequential([
        keras.Input((9, 7, 2)),
        layers.Conv2D(4, (3, 2), strides=(2, 1), padding="same", activation="tanh", use_bias=False,
                      kernel_regularizer=keras.regularizers.L2(0.01)),
        layers.AveragePooling2D((2, 3), strides=1, padding="same"),
        layers.MaxPooling2D(2, strides=(1, 2), padding="same"),
        layers.Conv2D(3, 1, bias_regularizer=keras.regularizers.L1(0.01)),
        layers.GlobalAveragePooling2D(keepdims=True),
        layers.Flatten(),
        layers.Dense(2),
    ])
    m.compile(optimizer=keras.optimizers.RMSprop(learning_rate=0.01), loss="mse")
    fit(m, [x], [y], epochs=2, batch_size=8)
    return m, [x[:5]], [y[:5]], "Conv2D with strides, same padding, no bias and L2; AveragePooling2D and MaxPooling2D same; GlobalAveragePooling2D keepdims"


def case_conv1d():
    r = rs(26)
    x = r.normal(size=(24, 12, 3))
    y = x[:, -3:, :1].sum(axis=1)
    m = keras.Sequential([keras.Input((12, 3)), layers.Conv1D(4, 3, padding="causal", activation="relu"),
                          layers.MaxPooling1D(), layers.Conv1D(2, 2, strides=2, padding="same"),
                          layers.Flatten(), layers.Dense(1)])
    m.compile(optimizer="adam", loss="mse", metrics=["mae"])
    fit(m, [x], [y], epochs=2, batch_size=8)
    return m, [x[:5]], [y[:5]], "Conv1D(4, 3, causal, relu) -> MaxPooling1D -> Conv1D(2, 2, strides 2, same) -> Flatten -> Dense(1)"


def case_float64():
    assert keras.config.floatx() == "float64"
    r = rs(5)
    x = r.normal(size=(20, 5))
    y = np.eye(3)[np.argmax(x[:, :3], axis=1)]
    m = keras.Sequential([keras.Input((5,)), layers.Dense(6, activation="relu"),
                          layers.Dense(3, activation="softmax")])
    m.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9),
              loss="categorical_crossentropy", metrics=["accuracy"])
    fit(m, [x], [y], epochs=3, batch_size=5)
    return m, [x[:6]], [y[:6]], "float64 Sequential (floatx float64), SGD momentum, categorical_crossentropy"


# ----------------------------------------------------------------------------
# describing a model


def all_classes(model):
    out = [model.__class__.__name__]
    for l in model.layers:
        out.append(l.__class__.__name__)
    if not isinstance(model, keras.Sequential):
        out.append("InputLayer")
    return sorted(set(out))


def compile_info(model):
    if not getattr(model, "compiled", False) or model.optimizer is None:
        return None
    cc = model.get_compile_config()
    o = model.optimizer
    return {
        "optimizer": o.__class__.__name__,
        "learning_rate": float(np.asarray(o.learning_rate)),
        "optimizer_config": json.loads(json.dumps(o.get_config(), default=float)),
        "loss": cc.get("loss"),
        "metrics": cc.get("metrics"),
    }


def optimizer_variables(model):
    if not getattr(model, "compiled", False) or model.optimizer is None:
        return None
    out = []
    for v in model.optimizer.variables:
        a = np.asarray(v.numpy())
        out.append({"name": v.name, "path": v.path, "shape": list(a.shape), "dtype": str(a.dtype),
                    "value": L(a.reshape(-1))})
    return out


def predict(model, x):
    return model.predict(x if len(x) > 1 else x[0], verbose=0)


def has_dropout(model):
    return any(isinstance(l, layers.Dropout) for l in model.layers)


def describe(name, kind, model, x, y, desc, path):
    d = {
        "file": os.path.basename(path),
        "kind": kind,
        "description": desc,
        "keras_version": keras.__version__,
        "jax_version": jax.__version__,
        "backend": keras.backend.backend(),
        "dtype": model.layers[-1].dtype_policy.variable_dtype,
        "model_class": model.__class__.__name__,
        "classes": all_classes(model),
        "model_name": model.name,
        "layer_names": [l.name for l in model.layers],
        "input_names": [t.name for t in model.inputs] if model.__class__.__name__ == "Functional" else None,
        "compiled": bool(getattr(model, "compiled", False)),
        "compile": compile_info(model),
        "optimizer_iterations": int(model.optimizer.iterations.numpy()) if getattr(model, "compiled", False) else None,
        "optimizer_variables": optimizer_variables(model),
        "x": [L(a) for a in x],
        "y": [L(a) for a in y] if y is not None else None,
        "predict": L(predict(model, x)),
    }
    if kind == "weights":
        d["config"] = json.loads(model.to_json())
    if d["compiled"] and not has_dropout(model):
        model.train_on_batch(x if len(x) > 1 else x[0], y[0])
        d["train_step"] = {"predict": L(predict(model, x)),
                           "note": "predict(x) after one train_on_batch(x, y[0]) from the saved state"}
    return d


def write_json(path, d):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(d, f, allow_nan=False)
        f.write("\n")


def save_case(out, name, kind, make):
    keras.utils.clear_session()
    keras.utils.set_random_seed(1234)
    model, x, y, desc = make()
    path = os.path.join(out, name + (".keras" if kind == "keras" else ".weights.h5"))
    if kind == "keras":
        model.save(path)
    else:
        model.save_weights(path)
    d = describe(name, kind, model, x, y, desc, path)
    write_json(os.path.join(out, name + ".json"), d)
    size = os.path.getsize(path)
    assert size < MAX_BYTES, f"{path} is {size} bytes"
    print(f"wrote {path} ({size} bytes)", file=sys.stderr)


# ----------------------------------------------------------------------------
# float64 stage


def to_float64(cfg):
    """Replace every float32 dtype in a serialized config by float64."""
    if isinstance(cfg, dict):
        out = {}
        for k, v in cfg.items():
            if k == "dtype" and v == "float32":
                out[k] = "float64"
            elif k == "dtype" and isinstance(v, dict) and v.get("class_name") == "DTypePolicy":
                out[k] = dict(v, config=dict(v["config"], name="float64"))
            else:
                out[k] = to_float64(v)
        return out
    if isinstance(cfg, list):
        return [to_float64(v) for v in cfg]
    return cfg


def load_saved(out, d):
    path = os.path.join(out, d["file"])
    if d["kind"] == "keras":
        return keras.models.load_model(path, compile=False)
    m = keras.models.model_from_json(json.dumps(d["config"]))
    m.load_weights(path)
    return m


def selected(cases, only):
    """The cases named in only (all of them when only is empty)."""
    return [c for c in cases if not only or c[0] in only]


def float64_stage(out, only):
    # floatx float64 for the whole stage: Keras's data adapters cast float
    # inputs to floatx, so with float32 predict() would round x first.
    keras.config.set_floatx("float64")
    if not only or "float64" in only:
        save_case(out, "float64", "keras", case_float64)
    for name, _, _ in selected(CASES, only) + ([("float64", "keras", None)] if not only or "float64" in only else []):
        jpath = os.path.join(out, name + ".json")
        with open(jpath, encoding="utf-8") as f:
            d = json.load(f)
        keras.utils.clear_session()
        m = load_saved(out, d)
        twin = m.__class__.from_config(to_float64(m.get_config()))
        twin.set_weights([np.asarray(w, dtype=np.float64) for w in m.get_weights()])
        x = [np.asarray(a, dtype=np.float64) for a in d["x"]]
        p = np.asarray(twin.predict(x if len(x) > 1 else x[0], verbose=0))
        assert p.dtype == np.float64, p.dtype
        d["predict_f64"] = L(p)
        write_json(jpath, d)
        print(f"added predict_f64 to {jpath}", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=DEFAULT_OUT, help="output directory (default %(default)s)")
    ap.add_argument("--float64-stage", action="store_true",
                    help="internal: the JAX-x64 pass (float64.keras and predict_f64)")
    ap.add_argument("--only", nargs="*", default=[], choices=[c[0] for c in CASES] + ["float64"],
                    help="write only these cases (the others stay as they are)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    warnings.simplefilter("error", UserWarning)  # a Keras warning here is a bug in this script
    if args.float64_stage:
        float64_stage(args.out, args.only)
        return
    assert not jax.config.jax_enable_x64
    for name, kind, make in selected(CASES, args.only):
        save_case(args.out, name, kind, make)
    subprocess.run([sys.executable, os.path.abspath(__file__), "--out", args.out, "--float64-stage"]
                   + (["--only", *args.only] if args.only else []), check=True)


if __name__ == "__main__":
    main()
