"""Print an HDF5 file as JSON, as h5py reads it.

Usage: python h5dump.py FILE

The output maps every object path ("" for the root) to a description:
  {"kind": "group", "attrs": {...}}
  {"kind": "dataset", "dtype": "float32", "shape": [3, 4],
   "data": [...flattened values...], "attrs": {...}}
Only string attributes are listed; other attributes are left out.
Values are Python floats, so float32 and float64 values are exact; NaN and
infinities are written as the strings "nan", "inf" and "-inf".
The Go tests in this package compare this output with what they expect.
"""

import json
import math
import sys

import h5py
import numpy as np


def _attrs(obj):
    out = {}
    for key in obj.attrs:
        value = obj.attrs[key]
        if isinstance(value, bytes):
            value = value.decode("utf-8")
        if isinstance(value, str):
            out[key] = value
    return out


def _num(x):
    """A float, or "nan", "inf", "-inf" (JSON has no such numbers)."""
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def dump(path):
    """Return the JSON-ready description of the file at path."""
    tree = {}
    with h5py.File(path, "r") as f:
        tree[""] = {"kind": "group", "attrs": _attrs(f)}

        def visit(name, obj):
            if isinstance(obj, h5py.Group):
                tree[name] = {"kind": "group", "attrs": _attrs(obj)}
            else:
                data = np.asarray(obj[()])
                tree[name] = {
                    "kind": "dataset",
                    "dtype": str(data.dtype),
                    "shape": list(obj.shape),
                    "data": [_num(x) for x in data.reshape(-1)],
                    "attrs": _attrs(obj),
                }

        f.visititems(visit)
    return tree


if __name__ == "__main__":
    json.dump(dump(sys.argv[1]), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
