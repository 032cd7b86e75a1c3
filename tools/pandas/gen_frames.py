"""Writes dl/prep/testdata/pandas/frames_*.json: what pandas computes and
prints for the Frame verbs of dl/prep (Where, Filter, ParseDates, SetIndex,
Resample, GroupBy, Describe, ValueCounts, Head, Tail), on small frames built
here and on datasets/weather.csv.

Run it with tools/pandas/run.sh gen_frames.py. Each case names an input (a
CSV text, or "weather" for datasets/weather.csv read by pd.read_csv without
options) and the steps applied to it; frames_test.go applies the same steps
with dl/prep under the same case name and compares the columns, the row
labels, the values and print(result).
"""

import io
import json
import math
import os

import numpy as np
import pandas as pd

OUT = "dl/prep/testdata/pandas"
WEATHER = "datasets/weather.csv"


def lines(*rows):
    return "\n".join(rows) + "\n"


# Small inputs with missing values, text, whole numbers and dates.
SMALL = lines(
    "name,x,n,d",
    "a,1.5,1,2020-01-01",
    "b,,2,2020-01-02",
    ",3.25,3,",
    "c,-2.0,4,2020-01-04",
    "b,0.5,5,2020-01-05",
    "a,10.0,6,2020-01-06",
    "c,,7,2020-01-07",
)

# Two months of days (Wednesday 2020-01-01 to Sunday 2020-03-01) with a
# missing value, a whole week without temperature (Monday 2020-01-13 to
# Sunday 2020-01-19) and a whole-number column.
DAYS = pd.date_range("2020-01-01", "2020-03-01", freq="D")
_temp = [round(math.sin(i / 3.0) * 10 + i * 0.25, 2) for i in range(len(DAYS))]
_temp[3] = None
for i in range(12, 19):
    _temp[i] = None
DAILY = "date,temp,rain\n" + "".join(
    f"{d.strftime('%Y-%m-%d')},{'' if t is None else t},{i % 4}\n"
    for i, (d, t) in enumerate(zip(DAYS, _temp))
)

# Readings at times of day, for bins that are closed on the right.
HOURLY = lines(
    "when,v",
    "2020-01-05 00:00:00,1.0",
    "2020-01-05 12:30:00,2.0",
    "2020-01-06 00:00:00,4.0",
    "2020-01-06 06:00:00,8.0",
    "2020-01-12 23:59:59,16.0",
    "2020-02-01 00:00:00,32.0",
)

# Readings after midnight on anchor days, and at midnight on the last.
NOON = lines(
    "when,v",
    "2020-01-01 12:00:00,1",
    "2020-02-01 00:00:00,2",
    "2020-02-29 06:00:00,4",
    "2020-03-01 00:00:00,8",
)

GROUPS = lines(
    "k,j,v,w,s",
    "b,2,1.0,10,x",
    "a,1,,20,y",
    "b,1,3.0,30,",
    ",1,4.0,40,z",
    "a,2,5.0,50,w",
    "a,1,6.0,60,v",
    "c,2,,70,u",
)

TIES = lines("v,f", "b,1.5", "a,2.5", "c,1.5", "a,", "b,2.5", "d,", "c,0.5", ",0.5")

DESCRIBE = lines(
    "a,b,c,e,t",
    "1.5,1,,7,x",
    "2.5,2,,,y",
    ",3,,,z",
    "-4.0,4,,,x",
    "10.25,5,,,y",
)

INPUTS = {"small": SMALL, "daily": DAILY, "hourly": HOURLY, "noon": NOON, "groups": GROUPS,
          "ties": TIES, "describe": DESCRIBE}


def read(name):
    if name == "weather":
        return pd.read_csv(WEATHER)
    return pd.read_csv(io.StringIO(INPUTS[name]))


def dated(df, col="date"):
    df = df.copy()
    df[col] = pd.to_datetime(df[col], format="%Y-%m-%d")
    return df


def fmt_dates(values):
    values = pd.DatetimeIndex(values)
    ok = values[~values.isna()]
    midnight = bool((ok == ok.normalize()).all())
    layout = "%Y-%m-%d" if midnight else "%Y-%m-%d %H:%M:%S"
    return [None if pd.isna(v) else v.strftime(layout) for v in values]


def column(s):
    if pd.api.types.is_datetime64_any_dtype(s):
        return {"kind": "dates", "values": fmt_dates(s)}
    if pd.api.types.is_numeric_dtype(s):
        vals = [None if pd.isna(v) else float(v) for v in s]
        return {"kind": "numbers", "values": vals}
    return {"kind": "text", "values": [None if pd.isna(v) else str(v) for v in s]}


def frame(df, values=True):
    idx = df.index
    if isinstance(idx, pd.DatetimeIndex):
        labels = [v or "NaT" for v in fmt_dates(idx)]
    else:
        labels = ["NaN" if pd.isna(v) else str(v) for v in idx]
    out = {
        "columns": [str(c) for c in df.columns],
        "index": labels,
        "index_name": idx.name or "",
        "shape": list(df.shape),
        "print": str(df),
    }
    if values:
        out["values"] = [column(df[c]) for c in df.columns]
    return out


def weekly(city):
    """Chapter 9: the weekly mean temperature of one city."""
    data = pd.read_csv(WEATHER, parse_dates=["date"])
    sea = data[data.location == city]
    w = sea.set_index("date")[["temp_max", "temp_min"]].resample("W-SUN").mean()
    w["AvgTemp"] = (w.temp_max + w.temp_min) / 2
    return w


def weekly_left(city):
    """New York's series in datasets/testdata/weekly_temperature_new_york.csv: Sunday-to-
    Saturday weeks labelled by their Sunday."""
    data = pd.read_csv(WEATHER, parse_dates=["date"])
    ny = data[data.location == city]
    w = ny.set_index("date")[["temp_max", "temp_min"]].resample(
        "W-SUN", closed="left", label="left").mean()
    w["AvgTemp"] = (w.temp_max + w.temp_min) / 2
    return w


AGGS = ["mean", "sum", "min", "max", "first", "last", "count"]

CASES = {
    "where": [
        ("eq text", "small", lambda d: d[d.name == "b"]),
        ("ne text", "small", lambda d: d[d.name != "b"]),
        ("gt", "small", lambda d: d[d.x > 0.5]),
        ("ge", "small", lambda d: d[d.x >= 0.5]),
        ("lt", "small", lambda d: d[d.x < 1.5]),
        ("le int", "small", lambda d: d[d.n <= 3]),
        ("ne number", "small", lambda d: d[d.x != 1.5]),
        ("in", "small", lambda d: d[d.name.isin(["a", "c"])]),
        ("and", "small", lambda d: d[(d.x > 0) & (d.name == "a")]),
        ("or", "small", lambda d: d[(d.x < 0) | (d.n == 6)]),
        ("not", "small", lambda d: d[~(d.name == "b")]),
        ("date gt", "small", lambda d: dated(d, "d")[dated(d, "d").d > "2020-01-04"]),
        ("none", "small", lambda d: d[d.x > 100]),
        ("weather seattle", "weather", lambda d: d[d.location == "Seattle"]),
        ("weather hot rain", "weather",
         lambda d: d[(d.temp_max > 30) & (d.weather == "sun") & (d.location == "New York")]),
        ("filter", "small", lambda d: d[d.apply(lambda r: r["n"] % 2 == 1 and not pd.isna(r["x"]), axis=1)]),
    ],
    "dates": [
        ("parse", "small", lambda d: dated(d, "d")),
        ("parse weather head", "weather", lambda d: dated(d).head()),
        ("parse times", "hourly", lambda d: d.assign(when=pd.to_datetime(d.when, format="%Y-%m-%d %H:%M:%S"))),
        ("set index", "small", lambda d: dated(d, "d").set_index("d")),
        ("set index text", "small", lambda d: d.set_index("name")),
        ("reset index", "small", lambda d: dated(d, "d").set_index("d").reset_index()),
        ("reset index numbers", "small", lambda d: d[d.n > 4].reset_index()),
        ("strftime", "small",
         lambda d: d.assign(d=pd.to_datetime(pd.to_datetime(d.d).dt.strftime("%d/%m/%Y"), format="%d/%m/%Y"))),
    ],
    "head": [
        ("head", "weather", lambda d: dated(d).head()),
        ("tail", "weather", lambda d: dated(d).tail()),
        ("head 3", "weather", lambda d: d.head(3)),
        ("tail 2", "small", lambda d: d.tail(2)),
        ("weather", "weather", lambda d: dated(d)),
        ("seattle dated", "weather", lambda d: dated(d)[dated(d).location == "Seattle"].set_index("date")),
    ],
    "resample": [
        (f"{rule} {agg}", "daily", (lambda rule, agg: lambda d: getattr(dated(d).set_index("date").resample(rule), agg)())(rule, agg))
        for rule in ["D", "W-SUN", "W-MON", "W-WED", "ME", "MS"]
        for agg in AGGS
    ] + [
        (f"{rule} closed {c} label {l}", "daily",
         (lambda rule, c, l: lambda d: dated(d).set_index("date").resample(rule, closed=c, label=l).mean())(rule, c, l))
        for rule in ["D", "W-SUN", "ME", "MS"]
        for c in ["left", "right"]
        for l in ["left", "right"]
    ] + [
        (f"hourly {rule} {c}", "hourly",
         (lambda rule, c: lambda d: d.assign(when=pd.to_datetime(d.when)).set_index("when").resample(rule, closed=c).sum())(rule, c))
        for rule in ["D", "W-SUN", "MS", "ME"]
        for c in ["left", "right"]
    ] + [
    ] + [
        (f"noon {rule} {c}", "noon",
         (lambda rule, c: lambda d: d.assign(when=pd.to_datetime(d.when)).set_index("when").resample(rule, closed=c).sum())(rule, c))
        for rule in ["D", "W-SUN", "MS", "ME", "YS", "YE"]
        for c in ["left", "right"]
    ] + [
        ("YE sum", "daily", lambda d: dated(d).set_index("date").resample("YE").sum()),
        ("YS max", "daily", lambda d: dated(d).set_index("date").resample("YS").max()),
        ("W mean", "daily", lambda d: dated(d).set_index("date").resample("W").mean()),
        ("text first", "small", lambda d: dated(d, "d").set_index("d").resample("W-SUN").first()),
        ("text count", "small", lambda d: dated(d, "d").set_index("d").resample("W-SUN").count()),
        ("text min", "small", lambda d: dated(d, "d").set_index("d").resample("D").min()),
        ("weather seattle monthly max", "weather",
         lambda d: dated(d)[d.location == "Seattle"].set_index("date")[["temp_max", "wind"]].resample("ME").max()),
    ],
    "groupby": [
        (f"k {agg}", "groups", (lambda agg: lambda d: getattr(d.drop(columns="s").groupby("k", as_index=False), agg)())(agg))
        for agg in AGGS
    ] + [
        (f"k j {agg}", "groups", (lambda agg: lambda d: getattr(d.groupby(["k", "j"], as_index=False), agg)())(agg))
        for agg in ["min", "max", "first", "last", "count"]
    ] + [
        ("j sum", "groups", lambda d: d[["j", "v", "w"]].groupby("j", as_index=False).sum()),
        ("j k w mean", "groups", lambda d: d[["j", "k", "w"]].groupby(["j", "k"], as_index=False).mean()),
        ("date key", "small", lambda d: dated(d, "d")[["d", "x"]].groupby("d", as_index=False).sum()),
        ("weather location mean", "weather",
         lambda d: d.drop(columns=["date", "weather"]).groupby("location", as_index=False).mean()),
        ("weather location weather count", "weather",
         lambda d: d.groupby(["location", "weather"], as_index=False).count()),
        ("weather weather max", "weather",
         lambda d: d[["weather", "temp_max", "precipitation"]].groupby("weather", as_index=False).max()),
    ],
    "describe": [
        ("small", "describe", lambda d: d.describe()),
        ("one row", "describe", lambda d: d.head(1).describe()),
        ("weather", "weather", lambda d: d.describe()),
        ("weather dated numbers", "weather", lambda d: dated(d).describe(include="number")),
        ("seattle weekly", "weather", lambda d: weekly("Seattle").describe()),
    ],
    "value_counts": [
        ("ties", "ties", lambda d: d.v.value_counts().reset_index()),
        ("numbers", "ties", lambda d: d.f.value_counts().reset_index()),
        ("weather", "weather", lambda d: d.weather.value_counts().reset_index()),
        ("weather location", "weather", lambda d: d.location.value_counts().reset_index()),
        ("groups j", "groups", lambda d: d.j.value_counts().reset_index()),
    ],
    "weekly": [
        ("seattle", "weather", lambda d: weekly("Seattle")),
        ("new york", "weather", lambda d: weekly("New York")),
        ("new york left", "weather", lambda d: weekly_left("New York")),
        ("seattle head", "weather", lambda d: weekly("Seattle").head()),
    ],
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for verb, cases in CASES.items():
        out = {"pandas": pd.__version__, "numpy": np.__version__, "inputs": {}, "cases": []}
        for name, inp, step in cases:
            if inp != "weather":
                out["inputs"][inp] = INPUTS[inp]
            res = step(read(inp))
            out["cases"].append({"name": name, "input": inp, **frame(res, values=len(res) <= 1500)})
        path = os.path.join(OUT, f"frames_{verb}.json")
        with open(path, "w") as f:
            json.dump(out, f, indent=1, allow_nan=False)
            f.write("\n")
        print("wrote", path, len(out["cases"]), "cases")


if __name__ == "__main__":
    main()
