package datasets_test

import (
	"math"
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
