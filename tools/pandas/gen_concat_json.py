"""Writes dl/prep's parity fixtures for ReadJSON, Concat, ConcatColumns,
HStack and VStack: what pandas 3.1 and NumPy compute on the same inputs.

    tools/pandas/run.sh gen_concat_json.py

writes dl/prep/testdata/pandas/json_read.json, concat_frames.json and
concat_stack.json. Each frame is written as

    {"columns": [...], "index": [...], "dtypes": {...}, "data": {col: [...]}}

with null for a missing value and the values of an object column written
as str() writes them.
"""

import io
import json
import math
import os

import numpy as np
import pandas as pd

OUT = "dl/prep/testdata/pandas"


def cell(v):
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        v = float(v)
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return v
    return str(v)


def frame(df):
    data = {}
    for name in df.columns:
        col = df[name]
        vals = [cell(v) for v in col.tolist()]
        if str(col.dtype) == "object":
            vals = [None if cell(v) is None else str(v) for v in col.tolist()]
        data[name] = vals
    return {
        "columns": [str(c) for c in df.columns],
        "index": [int(i) for i in df.index],
        "dtypes": {str(c): str(t) for c, t in df.dtypes.items()},
        "data": data,
    }


def read(text):
    return pd.read_json(io.StringIO(text))


def write(name, obj):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump(obj, f, indent=1, allow_nan=False)
        f.write("\n")
    print("wrote", path)


JSON_CASES = {
    "records": '[{"a": 1, "b": "x"}, {"a": 2.5, "c": true}, {"b": null, "a": -3}]',
    "records_ints": '[{"a": 1, "b": 2.0}, {"a": -4, "b": 0}]',
    "records_missing_key": '[{"a": 1}, {}, {"a": 3, "b": "z"}]',
    "records_bool_null": '[{"t": true}, {"t": null}, {"t": false}]',
    "records_bool_number": '[{"t": true}, {"t": 2}]',
    "records_numeric_strings": '[{"s": "1"}, {"s": "2.5"}, {"s": null}, {"s": "  3 "}]',
    "records_na_strings": '[{"s": "NA"}, {"s": ""}, {"s": "x"}, {"s": null}]',
    "records_mixed": '[{"m": 1}, {"m": "x"}, {"m": null}, {"m": 2.5}]',
    "records_repeated_key": '[{"a": 1, "a": 2, "b": 3}]',
    "records_huge_number": '[{"a": 1e400}, {"a": -1e400}, {"a": 1e-400}]',
    "records_unicode": '[{"이름": "서울", "온도": 3.5}, {"이름": "부산", "온도": null}]',
    "records_empty": "[]",
    "columns_labels": '{"a": {"1": 1, "0": 2}, "b": {"0": 3, "2": 4}}',
    "columns_text": '{"a": {"0": 1, "1": 2}, "b": {"0": "x", "1": null}}',
    "columns_lists": '{"a": [1, 2], "b": ["x", null]}',
    "columns_empty": "{}",
}

JSON_ERRORS = {
    "nested_list": '[{"a": [1, 2]}]',
    "nested_object": '[{"a": {"b": 1}}]',
    "scalar_record": "[1, 2]",
    "null_record": '[{"a": 1}, null]',
    "ragged_lists": '{"a": [1, 2], "b": [3]}',
    "mixed_layout": '{"a": [1, 2], "b": {"0": 3, "1": 4}}',
    "scalar_columns": '{"a": 1, "b": 2}',
    "trailing": '[{"a": 1}] x',
    "truncated": '[{"a": 1}, {"a": ',
    "empty": "",
}


def gen_json():
    cases = []
    for name, text in JSON_CASES.items():
        cases.append({"name": name, "text": text, "frame": frame(read(text))})
    cars = pd.read_json("datasets/cars.json")
    cases.append({"name": "cars", "path": "datasets/cars.json", "frame": frame(cars)})
    # ReadJSON refuses these; "pandas" says what pandas does with them.
    errors = []
    for name, text in JSON_ERRORS.items():
        try:
            got = "reads " + repr(read(text).to_dict("list"))
        except (ValueError, TypeError) as e:
            got = f"{type(e).__name__}: {e}"
        errors.append({"name": name, "text": text, "pandas": got})
    write("json_read.json", {"pandas": pd.__version__, "cases": cases, "errors": errors})


# Inputs are column-oriented JSON, read by pandas and by prep.ReadJSONString.
A = '{"x": {"0": 1, "1": 2, "2": 3}, "s": {"0": "p", "1": "q", "2": "r"}}'
B = '{"x": {"0": 4.5, "1": 5, "2": 6}, "z": {"0": 7, "1": 8, "2": null}}'
C = '{"z": {"0": 4.5, "1": 5}, "x": {"0": "u", "1": null}, "s": {"0": 1, "1": 2}}'
D = '{"y": {"0": 4, "1": 5, "2": 6}}'
E = '{"w": {"3": 1, "1": 2}}'
F = '{"y": {"2": 4, "1": 5, "0": 6}}'
G = '{"v": {"7": 1.5, "3": 2}}'
H = '{"t": {"0": "a", "1": null, "2": "c"}}'
CARS_NUM = '{"hp": {"0": 130, "2": 150, "3": 150}, "w": {"0": 3504, "2": 3436, "3": 3433}}'
CARS_ORIGIN = '{"Origin": {"0": "USA", "2": "Japan", "3": "USA"}}'

CONCAT_CASES = [
    ("rows_same_columns", [A, A], 0, False),
    ("rows_other_columns", [A, B], 0, False),
    ("rows_mixed_types", [A, C], 0, False),
    ("rows_ignore_index", [A, B, D], 0, True),
    ("rows_labels", [E, G], 0, False),
    ("columns_same_index", [A, D], 1, False),
    ("columns_three", [A, D, H], 1, False),
    ("columns_other_index", [A, E], 1, False),
    ("columns_reordered_index", [E, F, G], 1, False),
    ("columns_dropped_rows", [CARS_NUM, CARS_ORIGIN], 1, False),
    ("columns_text_missing", [H, G], 1, False),
]


def gen_concat():
    cases = []
    for name, inputs, axis, ignore in CONCAT_CASES:
        frames = [read(t) for t in inputs]
        out = pd.concat(frames, axis=axis, ignore_index=ignore) if axis == 0 else pd.concat(frames, axis=1)
        cases.append({"name": name, "inputs": inputs, "axis": axis, "ignore_index": ignore, "frame": frame(out)})
    errors = []
    for name, inputs in [("columns_repeated_labels", ['{"x": {"0": 1, "1": 2}}', '{"y": {"0": 1, "1": 2}}'])]:
        rows = pd.concat([read(inputs[0]), read(inputs[0])])  # labels 0, 1, 0, 1
        try:
            pd.concat([rows, read(inputs[1])], axis=1)
            raise SystemExit("pandas joins repeated labels")
        except Exception as e:  # InvalidIndexError
            errors.append({"name": name, "inputs": inputs, "pandas": f"{type(e).__name__}: {e}"})
    write("concat_frames.json", {"pandas": pd.__version__, "cases": cases, "errors": errors})


def arr(a):
    return {"shape": list(a.shape), "data": [float(v) for v in a.ravel()]}


def gen_stack():
    rng = np.random.default_rng(14)
    num = rng.normal(size=(4, 3)).round(3)
    onehot = np.eye(3)[[2, 0, 1, 2]]
    col = np.arange(4.0)
    cases = []

    def add(name, fn, inputs, out):
        cases.append({"name": name, "fn": fn, "inputs": [arr(a) for a in inputs], "out": None if out is None else arr(out)})

    add("hstack_onehot", "HStack", [num, onehot], np.hstack([num, onehot]))
    add("hstack_three", "HStack", [num, col.reshape(-1, 1), onehot], np.hstack([num, col.reshape(-1, 1), onehot]))
    # A 1-D array joins as a column, as np.column_stack does.
    add("hstack_vector", "HStack", [num, col], np.column_stack([num, col]))
    add("hstack_vectors", "HStack", [col, col * 2], np.column_stack([col, col * 2]))
    add("hstack_empty_columns", "HStack", [num, np.zeros((4, 0))], np.hstack([num, np.zeros((4, 0))]))
    add("vstack_rows", "VStack", [num, onehot], np.vstack([num, onehot]))
    add("vstack_vector", "VStack", [num, col[:3]], np.vstack([num, col[:3]]))
    add("vstack_vectors", "VStack", [col, col * 2], np.vstack([col, col * 2]))
    win = rng.normal(size=(2, 4, 1)).round(3)
    add("vstack_windows", "VStack", [win, win[:1]], np.vstack([win, win[:1]]))
    # Errors in NumPy and in HStack and VStack.
    for name, fn, inputs in [
        ("hstack_rows_differ", "HStack", [num, onehot[:3]]),
        ("vstack_columns_differ", "VStack", [num, np.zeros((2, 4))]),
    ]:
        try:
            (np.hstack if fn == "HStack" else np.vstack)(inputs)
            raise SystemExit(f"numpy stacks {name}")
        except ValueError:
            add(name, fn, inputs, None)
    write("concat_stack.json", {"numpy": np.__version__, "cases": cases})


if __name__ == "__main__":
    gen_json()
    gen_concat()
    gen_stack()
