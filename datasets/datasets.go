// Package datasets loads the real datasets that dlgo's notebooks and tests
// use. The files are embedded in the package, so a notebook works from any
// directory and needs no network. Provenance and licences are in README.md.
//
// Load returns any of them by name as a frame; BreastCancer, Cars, Digits,
// WeeklyTemperature and WeeklyTemperatureOf return them in the form the
// lectures use.
package datasets

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/dlgo/dlgo/dl"
	"github.com/dlgo/dlgo/dl/prep"
)

//go:embed breast_cancer.csv
var breastCancerCSV []byte

//go:embed weather.csv
var weatherCSV []byte

// Names lists the datasets Load knows.
func Names() []string {
	return []string{"breast_cancer", "cars", "digits", "weather", "weekly_temperature"}
}

// Load returns a dataset by name (see Names) as a frame with named columns.
func Load(name string) (*prep.Frame, error) {
	switch name {
	case "breast_cancer":
		x, y := BreastCancer()
		f := &prep.Frame{}
		for j, col := range BreastCancerFeatures {
			v := make([]float64, x.Len())
			for i := range v {
				v[i] = x.At(i, j)
			}
			if err := f.SetCol(col, v); err != nil {
				return nil, err
			}
		}
		if err := f.SetCol("target", y.Data()); err != nil {
			return nil, err
		}
		return f, nil
	case "cars":
		return Cars(), nil
	case "digits":
		x, y := Digits()
		f := &prep.Frame{}
		names := DigitsFeatures()
		n := x.Len()
		for j, col := range names {
			v := make([]float64, n)
			for i := range v {
				v[i] = x.Data()[i*len(names)+j]
			}
			if err := f.SetCol(col, v); err != nil {
				return nil, err
			}
		}
		if err := f.SetCol("target", y.Data()); err != nil {
			return nil, err
		}
		return f, nil
	case "weather":
		return Weather(), nil
	case "weekly_temperature":
		return WeeklyTemperature(), nil
	}
	return nil, &dl.Error{Op: "datasets.Load", Msg: fmt.Sprintf("unknown dataset %q; the datasets are: %s", name, strings.Join(Names(), ", "))}
}

// Weather returns the daily weather of Seattle and New York from
// 2012-01-01 to 2015-12-31 (2,922 rows): location, date, precipitation (mm),
// temp_max and temp_min (°C), wind (m/s) and a weather label.
func Weather() *prep.Frame { return mustParse("weather.csv", weatherCSV) }

// WeeklyTemperature returns New York's weekly mean temperature, the series
// of chapter 9: 208 weeks, those starting 2012-01-01 to 2015-12-20, with columns Date
// (the Sunday that starts the week) and AvgTemp (°C, the week's mean of the
// daily maximum and minimum, (temp_max + temp_min) / 2, rounded to 4
// decimals). WeeklyTemperatureOf derives it from Weather.
func WeeklyTemperature() *prep.Frame { return dl.Must(WeeklyTemperatureOf("New York")) }

// Cities are the locations of Weather, for WeeklyTemperatureOf.
var Cities = []string{"New York", "Seattle"}

// WeeklyTemperatureOf returns a city's weekly mean temperature (see
// WeeklyTemperature; city is one of Cities), derived from Weather with the
// frame verbs, as pandas would:
//
//	data = pd.read_csv("weather.csv", parse_dates=["date"])
//	rows = data[data.location == city].set_index("date")[["temp_max", "temp_min"]]
//	weekly = rows.resample("W-SUN", closed="left", label="left").mean()  # weeks from Sunday to Saturday
//	weekly = weekly.iloc[:-1]  # the last week, 2015-12-27 to 31, has 5 days
//	weekly["AvgTemp"] = ((weekly.temp_max + weekly.temp_min) / 2).round(4)
//	weekly = weekly.reset_index().rename(columns={"date": "Date"})[["Date", "AvgTemp"]]
func WeeklyTemperatureOf(city string) (*prep.Frame, error) {
	if !slices.Contains(Cities, city) {
		return nil, &dl.Error{Op: "datasets.WeeklyTemperatureOf", Msg: fmt.Sprintf("no weather for %q; the cities are %q", city, Cities)}
	}
	data, err := Weather().ParseDates("date", "2006-01-02")
	if err != nil {
		return nil, err
	}
	rows, err := data.Where(prep.Eq("location", city))
	if err != nil {
		return nil, err
	}
	if rows, err = rows.SetIndex("date"); err != nil {
		return nil, err
	}
	if rows, err = rows.Select("temp_max", "temp_min"); err != nil {
		return nil, err
	}
	weekly, err := rows.ResampleWith("W-SUN", prep.ResampleOptions{Closed: "left", Label: "left"}).Mean()
	if err != nil {
		return nil, err
	}
	weekly = weekly.Head(-1)
	hi, err := weekly.Col("temp_max")
	if err != nil {
		return nil, err
	}
	lo, err := weekly.Col("temp_min")
	if err != nil {
		return nil, err
	}
	avg := make([]float64, len(hi))
	for i := range avg {
		// rounded as the decimal text "%.4f" reads back
		avg[i], _ = strconv.ParseFloat(strconv.FormatFloat((hi[i]+lo[i])/2, 'f', 4, 64), 64)
	}
	if err := weekly.SetCol("AvgTemp", avg); err != nil {
		return nil, err
	}
	if weekly, err = weekly.ResetIndex(); err != nil {
		return nil, err
	}
	if weekly, err = weekly.Rename(map[string]string{"date": "Date"}); err != nil {
		return nil, err
	}
	return weekly.Select("Date", "AvgTemp")
}

// mustParse parses an embedded CSV file, which cannot fail for the files
// this package ships.
func mustParse(name string, b []byte) *prep.Frame {
	f, err := prep.ReadCSVString(string(b))
	if err != nil {
		panic(fmt.Sprintf("datasets: embedded %s: %v", name, err))
	}
	return f
}

// BreastCancerFeatures are the 30 feature names of BreastCancer, in column
// order (scikit-learn's load_breast_cancer().feature_names).
var BreastCancerFeatures = []string{
	"mean radius", "mean texture", "mean perimeter", "mean area", "mean smoothness",
	"mean compactness", "mean concavity", "mean concave points", "mean symmetry", "mean fractal dimension",
	"radius error", "texture error", "perimeter error", "area error", "smoothness error",
	"compactness error", "concavity error", "concave points error", "symmetry error", "fractal dimension error",
	"worst radius", "worst texture", "worst perimeter", "worst area", "worst smoothness",
	"worst compactness", "worst concavity", "worst concave points", "worst symmetry", "worst fractal dimension",
}

// BreastCancer returns the Wisconsin Diagnostic Breast Cancer data
// (scikit-learn's load_breast_cancer): x has shape (569, 30), one row of
// BreastCancerFeatures per tumour; y has shape (569, 1), 1 for benign and 0
// for malignant. Each call returns fresh copies.
func BreastCancer() (x, y *dl.Tensor) {
	r := csv.NewReader(bytes.NewReader(breastCancerCSV))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		panic(fmt.Sprintf("datasets: embedded breast_cancer.csv: %v", err))
	}
	// The first line is scikit-learn's header: n_samples, n_features, class names.
	n, _ := strconv.Atoi(rows[0][0])
	f, _ := strconv.Atoi(rows[0][1])
	rows = rows[1:]
	if len(rows) != n {
		panic(fmt.Sprintf("datasets: embedded breast_cancer.csv has %d rows, its header says %d", len(rows), n))
	}
	x, y = dl.Zeros(n, f), dl.Zeros(n, 1)
	xd, yd := x.Data(), y.Data()
	for i, row := range rows {
		for j := 0; j <= f; j++ {
			v, err := strconv.ParseFloat(row[j], 64)
			if err != nil {
				panic(fmt.Sprintf("datasets: embedded breast_cancer.csv, row %d: %v", i+2, err))
			}
			if j < f {
				xd[i*f+j] = v
			} else {
				yd[i] = v
			}
		}
	}
	return x, y
}

//go:embed cars.json
var carsJSON []byte

// CarsColumns are the columns of Cars, in order.
var CarsColumns = []string{"Name", "Miles_per_Gallon", "Cylinders", "Displacement", "Horsepower",
	"Weight_in_lbs", "Acceleration", "Year", "Origin"}

// Cars returns the classic auto MPG data (406 cars from 1970 to 1982) as a
// frame with CarsColumns: Name and Origin ("USA", "Europe", "Japan") are
// text, the others numbers, with NaN where a value is missing (14 rows have
// one; drop them with DropNA). Year is the model year as a number (1970);
// the source file has it as a date string.
func Cars() *prep.Frame {
	var rows []map[string]any
	if err := json.Unmarshal(carsJSON, &rows); err != nil {
		panic(fmt.Sprintf("datasets: embedded cars.json: %v", err))
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write(CarsColumns)
	for _, r := range rows {
		rec := make([]string, len(CarsColumns))
		for i, c := range CarsColumns {
			switch v := r[c].(type) {
			case nil:
			case float64:
				rec[i] = strconv.FormatFloat(v, 'g', -1, 64)
			case string:
				if c == "Year" {
					v, _, _ = strings.Cut(v, "-")
				}
				rec[i] = v
			}
		}
		_ = w.Write(rec)
	}
	w.Flush()
	return mustParse("cars.json", []byte(b.String()))
}
