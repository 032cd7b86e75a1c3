#!/usr/bin/env python3
"""Check that real Keras 3 opens the model files dl writes.

    check_dl_files.py DIR

For every NAME.json in DIR (written by the Go test TestKerasOpensDLFiles in
dl/keras_files_test.go), open the file it names:

    kind "keras"    keras.models.load_model(DIR/NAME.keras)
    kind "weights"  a model rebuilt from the JSON's "config" (the config.json
                    object dl would write, compiled if it has a
                    compile_config), then model.load_weights(DIR/NAME.weights.h5)

and check, failing on the first problem of each file:

  * loading raises no Python warning at all; in particular not Keras's
    "Skipping variable loading for optimizer ..." (the optimizer state would
    be silently dropped);
  * model(x) agrees with dl's "predict" at 1e-6 relative, with a floor of
    1e-6 times the largest output (Keras computes float32 models in float32);
  * the model is compiled exactly when "compiled" says so, with the same
    optimizer class, learning rate and iteration count;
  * every optimizer slot variable holds the value dl had for that weight and
    kind ("optimizer"."slots": {"momentum": [one flat array per trainable
    weight], ...}); the Keras variable is matched to its weight by name
    (<weight path>_<kind>), so a file written in the wrong order fails here;
    the optimizer's own scalar variables (Nadam's u_product) hold dl's
    "optimizer"."scalars", in order;
  * a functional model's inputs have dl's names ("input_names": Keras 3 has
    no model.input_names; [t.name for t in model.inputs] for named inputs,
    the InputLayers' names for default ones); when the inputs are named,
    the summary shows each name as a layer and as "NAME[0][0]" in
    "Connected to", and x is passed to Keras as a dict keyed by the names
    (predict and train_on_batch);
  * a compiled model trains: one model.train_on_batch(x, y) runs, and when
    "train_step" is given (models without Dropout), predict(x) afterwards
    agrees with dl's prediction after the same step at 1e-4 (float32 step).

Output: one line per file, "ok   FILE: ..." or "FAIL FILE: reason" (the Go
test reads these), then a summary line. Exit status 0 if all files pass, 1
otherwise, 2 on bad usage. DLGO_CHECK_TRACEBACK=1 adds Python tracebacks. Runs with the JAX backend on CPU unless KERAS_BACKEND /
JAX_PLATFORMS say otherwise.
"""

import glob
import json
import os
import sys
import traceback
import warnings

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

import keras  # noqa: E402

SLOT_KINDS = ["velocity_hat", "average_gradient", "accumulator", "momentum", "velocity", "norm"]


class Mismatch(Exception):
    pass


def compare(what, got, want, rel):
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    if got.shape != want.shape:
        raise Mismatch(f"{what}: shape {got.shape}, dl {want.shape}")
    scale = np.max(np.abs(want)) if want.size else 0.0
    tol = rel * (np.abs(want) + scale)
    diff = np.abs(got - want)
    bad = ~(diff <= tol)
    if bad.any():
        i = np.unravel_index(np.argmax(np.where(bad, diff - tol, -np.inf)), want.shape)
        raise Mismatch(f"{what}: at {tuple(int(k) for k in i)} Keras {got[i]!r}, dl {want[i]!r} "
                       f"(difference {diff[i]:.3g}, tolerance {tol[i]:.3g}; {int(bad.sum())} of {want.size} values differ)")


def slot_kind(name):
    for k in SLOT_KINDS:
        if name == k or name.endswith("_" + k):
            return k
    return None


def var_name(v):
    return getattr(v, "name", "")


def var_path(v):
    return getattr(v, "path", None) or var_name(v)


def load(d, path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if d["kind"] == "keras":
            model = keras.models.load_model(path)
        else:
            model = keras.models.model_from_json(json.dumps(d["config"]))
            model.load_weights(path)
    msgs = [f"{w.category.__name__}: {w.message}" for w in caught]
    if msgs:
        raise Mismatch("loading warned:\n      " + "\n      ".join(msgs))
    return model


def inputs(d):
    xs = [np.asarray(x, dtype=np.float32) for x in d["x"]]
    names = d.get("input_names") or []
    if names and not all(n.startswith("input_layer") for n in names):
        return dict(zip(names, xs))
    return xs if len(xs) > 1 else xs[0]


def check_input_names(model, d):
    want = d.get("input_names")
    if not want:
        return
    got = [t.name for t in model.inputs]
    if all(n.startswith("input_layer") for n in want):
        # Keras names the tensors of unnamed inputs keras_tensor_N; their layers carry dl's names.
        got = [t._keras_history[0].name for t in model.inputs]
    if got != want:
        raise Mismatch(f"input names {got}, dl {want}")
    if all(n.startswith("input_layer") for n in want):
        return  # long default names may be cut in the summary's columns
    lines = []
    model.summary(print_fn=lambda s, **kw: lines.append(s))
    text = "\n".join(lines)
    for n in want:
        if f"│ {n} " not in text or f" {n}[0][0]" not in text:
            raise Mismatch(f"the summary does not show the input {n!r} and {n}[0][0]:\n{text}")


def predict(model, x):
    return np.asarray(model(x, training=False))


def check_optimizer(model, d):
    want = d["optimizer"]
    opt = model.optimizer
    if opt.__class__.__name__ != want["class"]:
        raise Mismatch(f"optimizer class {opt.__class__.__name__}, dl {want['class']}")
    compare("learning_rate", float(np.asarray(opt.learning_rate)), want["learning_rate"], 1e-6)
    it = int(np.asarray(opt.iterations))
    if it != want["iterations"]:
        raise Mismatch(f"optimizer iterations {it}, dl {want['iterations']} (state not restored)")
    slots = want["slots"]
    scalars = want.get("scalars") or []
    tv = model.trainable_variables
    n_want = 2 + sum(len(v) for v in slots.values()) + len(scalars)
    if len(opt.variables) != n_want:
        raise Mismatch(f"the optimizer has {len(opt.variables)} variables, dl wrote {n_want}")
    seen = {}
    n_scalars = 0
    for i, v in enumerate(opt.variables[2:], start=2):
        name = var_name(v)
        if np.asarray(v.numpy()).shape == ():
            # The optimizer's own scalars (Nadam's u_product) follow the slots.
            compare(f"optimizer variable {i} {name!r} (scalar {n_scalars})", float(np.asarray(v.numpy())),
                    scalars[n_scalars], 1e-6)
            n_scalars += 1
            continue
        kind = slot_kind(name)
        if kind not in slots:
            raise Mismatch(f"optimizer variable {i} {name!r}: dl has no {kind} slots ({sorted(slots)})")
        w = seen.get(kind, 0)
        seen[kind] = w + 1
        # Keras names slot variables <weight path with / as _>_<kind>.
        stem = name[: -len(kind) - 1]
        candidates = [k for k, t in enumerate(tv) if var_path(t).replace("/", "_") == stem]
        if len(candidates) == 1:
            w = candidates[0]
        compare(f"optimizer variable {i} {name!r} ({kind} of {var_path(tv[w])})",
                np.asarray(v.numpy()).reshape(-1), slots[kind][w], 1e-6)


def check(d, path):
    model = load(d, path)
    check_input_names(model, d)
    x = inputs(d)
    compare("predict", predict(model, x), d["predict"], 1e-6)
    compiled = bool(getattr(model, "compiled", False)) and getattr(model, "optimizer", None) is not None
    if compiled != d["compiled"]:
        raise Mismatch(f"compiled is {compiled}, dl wrote compiled={d['compiled']}")
    if not compiled:
        return "uncompiled"
    check_optimizer(model, d)
    y = np.asarray(d["y"][0], dtype=np.float32)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.run_eagerly = True  # no XLA compile: seconds instead of a minute
        model.train_on_batch(x, y)
    msgs = [str(w.message) for w in caught]
    if msgs:
        raise Mismatch("train_on_batch warned: " + "; ".join(msgs))
    if d.get("train_step"):
        compare("predict after one train_on_batch", predict(model, x), d["train_step"]["predict"], 1e-4)
        return f"compiled {model.optimizer.__class__.__name__}, state and train step agree"
    return f"compiled {model.optimizer.__class__.__name__}, state agrees, trains"


def main(argv):
    if len(argv) != 2 or not os.path.isdir(argv[1]):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    jsons = sorted(glob.glob(os.path.join(argv[1], "*.json")))
    if not jsons:
        print(f"no NAME.json files in {argv[1]}", file=sys.stderr)
        return 2
    print(f"Keras {keras.__version__}, backend {keras.backend.backend()}")
    failed = []
    for j in jsons:
        with open(j, encoding="utf-8") as f:
            d = json.load(f)
        path = os.path.join(argv[1], d["file"])
        keras.utils.clear_session()
        try:
            note = check(d, path)
            print(f"ok   {d['file']}: {note}")
        except Mismatch as e:
            failed.append(d["file"])
            print(f"FAIL {d['file']}: {e}")
        except Exception as e:  # noqa: BLE001 - report any Keras error as a failure
            failed.append(d["file"])
            where = traceback.extract_tb(e.__traceback__)[-1]
            msg = " ".join(str(e).split())
            print(f"FAIL {d['file']}: Keras raised {type(e).__name__} (in {os.path.basename(where.filename)}:{where.lineno} "
                  f"{where.name}): {msg}")
            if os.environ.get("DLGO_CHECK_TRACEBACK"):
                traceback.print_exc(file=sys.stdout)
    if failed:
        print(f"{len(failed)} of {len(jsons)} files failed: {', '.join(failed)}")
        return 1
    print(f"all {len(jsons)} files passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
