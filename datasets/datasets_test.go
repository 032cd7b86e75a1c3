package datasets_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dlgo/dlgo/datasets"
	"github.com/dlgo/dlgo/dl/prep"
)

func TestBreastCancer(t *testing.T) {
	x, y := datasets.BreastCancer()
	if got := x.Shape(); got[0] != 569 || got[1] != 30 {
		t.Fatalf("x shape %v", got)
	}
	benign := 0.0
	for _, v := range y.Data() {
		benign += v
	}
	// scikit-learn documents 357 benign and 212 malignant samples.
	if benign != 357 {
		t.Errorf("%v benign samples, want 357", benign)
	}
	if x.At(0, 0) != 17.99 || x.At(568, 29) != 0.07039 {
		t.Errorf("first/last values %v %v", x.At(0, 0), x.At(568, 29))
	}
}

func TestCars(t *testing.T) {
	f := datasets.Cars()
	if f.Len() != 406 || len(f.Columns()) != 9 {
		t.Fatalf("%d rows, columns %v", f.Len(), f.Columns())
	}
	mpg, err := f.Col("Miles_per_Gallon")
	if err != nil {
		t.Fatal(err)
	}
	if mpg[0] != 18 {
		t.Errorf("first mpg %v", mpg[0])
	}
	years, _ := f.Col("Year")
	if years[0] != 1970 || years[405] != 1982 {
		t.Errorf("years %v..%v", years[0], years[405])
	}
	missing := 0
	for _, v := range mpg {
		if math.IsNaN(v) {
			missing++
		}
	}
	if missing != 8 {
		t.Errorf("%d missing mpg values, want 8", missing)
	}
	if f.DropNA().Len() != 392 {
		t.Errorf("%d complete rows, want 392", f.DropNA().Len())
	}
	origin, err := f.Strings("Origin")
	if err != nil || origin[0] != "USA" {
		t.Errorf("origin %v %v", origin[:1], err)
	}
}

// TestWeeklyTemperature checks the derivation by frame verbs against the
// series the course has used since its first edition
// (testdata/weekly_temperature_new_york.csv, the same text byte for byte),
// and Seattle's against pandas (tools/pandas/check_weekly.py printed these
// values: the first and last weeks and the mean).
func TestWeeklyTemperature(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("testdata", "weekly_temperature_new_york.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if got := weeklyCSV(t, datasets.WeeklyTemperature()); got != string(want) {
		t.Errorf("New York's weekly series differs from testdata/weekly_temperature_new_york.csv:\n%.300s", got)
	}
	sea, err := datasets.WeeklyTemperatureOf("Seattle")
	if err != nil {
		t.Fatal(err)
	}
	dates, _ := sea.Strings("Date")
	temps, _ := sea.Col("AvgTemp")
	if len(temps) != 208 || dates[0] != "2012-01-01" || dates[207] != "2015-12-20" {
		t.Fatalf("Seattle: %d weeks, %v to %v", len(temps), dates[:1], dates[len(dates)-1:])
	}
	for _, c := range []struct {
		i    int
		want float64
	}{{0, 6.8714}, {1, 3.6071}, {207, 4.1714}} {
		if temps[c.i] != c.want {
			t.Errorf("Seattle week %d (%s): %v, pandas %v", c.i, dates[c.i], temps[c.i], c.want)
		}
	}
	if _, err := datasets.WeeklyTemperatureOf("Seoul"); err == nil || !strings.Contains(err.Error(), `"New York" "Seattle"`) {
		t.Errorf("unknown city: %v", err)
	}
}

// weeklyCSV writes a weekly series as the course's CSV file.
func weeklyCSV(t *testing.T, f *prep.Frame) string {
	dates, err1 := f.Strings("Date")
	temps, err2 := f.Col("AvgTemp")
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	var b strings.Builder
	b.WriteString("Date,AvgTemp\n")
	for i := range dates {
		fmt.Fprintf(&b, "%s,%s\n", dates[i], strconv.FormatFloat(temps[i], 'f', 4, 64))
	}
	return b.String()
}

func TestLoad(t *testing.T) {
	for _, name := range datasets.Names() {
		f, err := datasets.Load(name)
		if err != nil || f.Len() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := datasets.Load("iris"); err == nil || !strings.Contains(err.Error(), "weekly_temperature") {
		t.Errorf("unknown name: %v", err)
	}
}

// TestDigits checks the shapes, the class counts of the UCI test set
// (optdigits.tes: 178 zeros, 182 ones, ...), the first image and the sum of
// all pixels (561,718, as NumPy gives for load_digits().data.sum()).
func TestDigits(t *testing.T) {
	x, y := datasets.Digits()
	if got := x.Shape(); len(got) != 4 || got[0] != 1797 || got[1] != 8 || got[2] != 8 || got[3] != 1 {
		t.Fatalf("x shape %v, want [1797 8 8 1]", got)
	}
	if got := y.Shape(); len(got) != 2 || got[0] != 1797 || got[1] != 1 {
		t.Fatalf("y shape %v, want [1797 1]", got)
	}
	counts := make([]int, 10)
	for _, v := range y.Data() {
		counts[int(v)]++
	}
	if want := []int{178, 182, 177, 183, 181, 182, 181, 179, 174, 180}; fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("class counts %v, want %v", counts, want)
	}
	sum, hi := 0.0, 0.0
	for _, v := range x.Data() {
		sum += v
		hi = math.Max(hi, v)
	}
	if sum != 561718 || hi != 16 {
		t.Errorf("pixel sum %v, max %v; want 561718, 16", sum, hi)
	}
	// The first image is a 0: its second row is 0 0 13 15 10 15 5 0.
	row := make([]float64, 8)
	for c := range row {
		row[c] = x.At(0, 1, c, 0)
	}
	if y.At(0, 0) != 0 || fmt.Sprint(row) != "[0 0 13 15 10 15 5 0]" {
		t.Errorf("first image: digit %v, second row %v", y.At(0, 0), row)
	}
	if y.At(1796, 0) != 8 || x.At(1796, 7, 4, 0) != 14 {
		t.Errorf("last image: digit %v, pixel (7, 4) %v", y.At(1796, 0), x.At(1796, 7, 4, 0))
	}
	// Fresh copies: changing one does not change the next.
	x.Data()[0] = 99
	if x2, _ := datasets.Digits(); x2.Data()[0] != 0 {
		t.Error("Digits returned shared data")
	}

	f, err := datasets.Load("digits")
	if err != nil {
		t.Fatal(err)
	}
	cols := f.Columns()
	if f.Len() != 1797 || len(cols) != 65 || cols[0] != "pixel_0_0" || cols[9] != "pixel_1_1" || cols[64] != "target" {
		t.Fatalf("frame: %d rows, %d columns %v ... %v", f.Len(), len(cols), cols[:2], cols[len(cols)-1:])
	}
	p, _ := f.Col("pixel_1_2")
	if p[0] != 13 {
		t.Errorf("pixel_1_2 of the first image %v, want 13", p[0])
	}
}
