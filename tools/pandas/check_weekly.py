"""Prints the weekly mean temperature of each city of datasets/weather.csv
as pandas derives it (datasets.WeeklyTemperatureOf documents the same steps);
datasets/datasets_test.go quotes Seattle's first and last weeks.

Run: tools/pandas/run.sh check_weekly.py
"""
import pandas as pd

data = pd.read_csv("datasets/weather.csv", parse_dates=["date"])
for city in ["New York", "Seattle"]:
    rows = data[data.location == city].set_index("date")[["temp_max", "temp_min"]]
    weekly = rows.resample("W-SUN", closed="left", label="left").mean()
    weekly = weekly.iloc[:-1]
    weekly["AvgTemp"] = ((weekly.temp_max + weekly.temp_min) / 2).round(4)
    weekly = weekly.reset_index().rename(columns={"date": "Date"})[["Date", "AvgTemp"]]
    print(city, len(weekly))
    print(weekly.head(2).to_string())
    print(weekly.tail(1).to_string())
