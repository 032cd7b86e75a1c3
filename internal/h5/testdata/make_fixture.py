"""Regenerate the h5py- and Keras-written fixtures in this directory.

Usage (from this directory, with h5py, numpy and Keras 3 installed):
    KERAS_BACKEND=jax python make_fixture.py

Writes:
  h5py_tree.h5            a Keras-like tree written by h5py (default settings)
  h5py_tree.json          h5dump.py output for it
  h5py_wide.h5            a group with 300 datasets (multi-node B-tree)
  h5py_small.h5           a small file, a seed for FuzzDecode
  keras_dense.weights.h5  Keras 3 save_weights of a small trained Sequential model
  keras_dense.weights.json h5dump.py output for it
Pass --no-keras to skip the Keras file.
"""

import json
import sys

import h5py
import numpy as np

from h5dump import dump


def write_json(h5_path, json_path):
    with open(json_path, "w") as f:
        json.dump(dump(h5_path), f, indent=1, sort_keys=True)
        f.write("\n")


def make_tree(path):
    """Keras-like layout plus the corner cases the decoder must handle."""
    with h5py.File(path, "w") as f:
        f.create_group("vars").attrs["name"] = "sequential"

        v = f.create_group("layers/dense/vars")
        v.attrs["name"] = "dense"
        v.create_dataset("0", data=(np.arange(12, dtype=np.float32) * 0.5 - 2).reshape(3, 4))
        v.create_dataset("1", data=np.array([0.1, 0.2, 0.3, 0.4], dtype=np.float32))

        v = f.create_group("layers/dense_1/vars")
        v.attrs["name"] = "dense_1"
        v.create_dataset("0", data=(np.arange(4, dtype=np.float64) / 3).reshape(4, 1))
        v.create_dataset("1", data=np.array([-1e300], dtype=np.float64))

        # A layer with no variables: an empty group carrying only its name.
        f.create_group("layers/dropout/vars").attrs["name"] = "dropout"

        o = f.create_group("optimizer/vars")
        o.attrs["name"] = "adam"
        o.create_dataset("0", data=np.int64(7))
        o.create_dataset("1", data=np.float32(0.001))
        o.create_dataset("2", data=np.int32(-5))
        o.create_dataset("3", data=np.float64(2.5))

        # Deeper nesting, a non-ASCII name, a fixed-length (bytes) string,
        # a numeric attribute (not a string, so it is skipped) and
        # integer arrays of several widths.
        n = f.create_group("a/b/c")
        n.attrs["name"] = "nested \u00e9\u2713"
        n.attrs["fixed"] = np.bytes_(b"fixed-len")
        n.attrs["number"] = np.int64(42)
        n.create_dataset("ints", data=np.array([[1, -2, 3], [4, 5, -6]], dtype=np.int32))
        n.create_dataset("i64", data=np.array([2**40, -(2**40)], dtype=np.int64))
        n.create_dataset("u8", data=np.array([0, 255], dtype=np.uint8))
        n.create_dataset("i16", data=np.array([-32768, 32767], dtype=np.int16))
        n.create_dataset("empty", data=np.zeros((0, 3), dtype=np.float32))
        f["a"].create_dataset("with_attr", data=np.float32(1.5)).attrs["unit"] = "m"
        f.create_group("empty")


def make_small(path):
    """A small h5py file, used as a fuzzing seed."""
    with h5py.File(path, "w") as f:
        v = f.create_group("v")
        v.attrs["name"] = "dense"
        v.attrs["fixed"] = np.bytes_(b"ab")
        v.attrs["number"] = np.int32(1)
        v.create_dataset("0", data=np.array([1.5, -2], dtype=np.float32))
        v.create_dataset("1", data=np.int64(3))


def make_wide(path):
    """300 children: several symbol-table nodes under a multi-level B-tree."""
    with h5py.File(path, "w") as f:
        g = f.create_group("wide")
        g.attrs["name"] = "wide"
        for i in range(300):
            g.create_dataset(str(i), data=np.int32(i))


def make_keras(path):
    import keras

    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(4, activation="relu"), keras.layers.Dense(1)]
    )
    model.compile(optimizer="adam", loss="mse")
    x = np.arange(6, dtype=np.float32).reshape(2, 3) / 6
    y = np.array([[1.0], [0.0]], dtype=np.float32)
    model.fit(x, y, epochs=1, batch_size=2, verbose=0)
    model.save_weights(path)


def main():
    make_tree("h5py_tree.h5")
    write_json("h5py_tree.h5", "h5py_tree.json")
    make_wide("h5py_wide.h5")
    make_small("h5py_small.h5")
    if "--no-keras" not in sys.argv:
        make_keras("keras_dense.weights.h5")
        write_json("keras_dense.weights.h5", "keras_dense.weights.json")


if __name__ == "__main__":
    main()
