package datasets_test

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dlgo/dlgo/datasets"
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

func TestWeeklyTemperatureIsUpToDate(t *testing.T) {
	out := filepath.Join(t.TempDir(), "weekly.csv")
	cmd := exec.Command("go", "run", "./internal/weekly", "weather.csv", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("generator: %v\n%s", err, b)
	}
	got, _ := os.ReadFile(out)
	want, _ := os.ReadFile("weekly_temperature.csv")
	if string(got) != string(want) {
		t.Error("weekly_temperature.csv differs from what the generator makes from weather.csv; run go generate ./datasets")
	}
	f := datasets.WeeklyTemperature()
	if f.Len() != 208 {
		t.Errorf("%d weeks, want 208", f.Len())
	}
	temps, _ := f.Col("AvgTemp")
	// The first week of 2012 in New York: the mean of seven daily means.
	if temps[0] != 2.5786 {
		t.Errorf("first week %v", temps[0])
	}
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
