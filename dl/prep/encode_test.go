package prep

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/dlgo/dlgo/dl"
)

func TestToCategorical(t *testing.T) {
	// keras.utils.to_categorical([0, 2, 1, 2]) gives these rows.
	got, err := ToCategorical(dl.FromSlice([]float64{0, 2, 1, 2}), 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1}
	if !reflect.DeepEqual(got.Data(), want) || !reflect.DeepEqual(got.Shape(), []int{4, 3}) {
		t.Errorf("got %v %v", got.Shape(), got.Data())
	}
	if got, _ := ToCategorical(dl.FromSlice([]float64{1, 0}, 2, 1), 4); !reflect.DeepEqual(got.Shape(), []int{2, 4}) {
		t.Errorf("numClasses 4: shape %v", got.Shape())
	}
	for _, c := range []struct {
		y    *dl.Tensor
		n    int
		want string
	}{
		{dl.FromSlice([]float64{0, 1.5}), 0, "y[1] = 1.5"},
		{dl.FromSlice([]float64{0, 3}), 2, "numClasses=2"},
		{dl.Zeros(2, 2), 0, "(2, 2)"},
		{nil, 0, "nil"},
	} {
		if _, err := ToCategorical(c.y, c.n); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want an error mentioning %q", c.y, err, c.want)
		}
	}
}

func TestOneHot(t *testing.T) {
	x, cats := OneHot([]string{"USA", "Japan", "USA", "Europe"})
	if !reflect.DeepEqual(cats, []string{"Europe", "Japan", "USA"}) {
		t.Errorf("categories %v", cats)
	}
	want := []float64{0, 0, 1, 0, 1, 0, 0, 0, 1, 1, 0, 0}
	if !reflect.DeepEqual(x.Data(), want) {
		t.Errorf("got %v", x.Data())
	}
}

func TestLogLoss(t *testing.T) {
	// sklearn.metrics.log_loss([1, 0, 1, 0], [0.9, 0.2, 0.6, 0.4])
	got, err := LogLoss(dl.FromSlice([]float64{1, 0, 1, 0}), dl.FromSlice([]float64{0.9, 0.2, 0.6, 0.4}, 4, 1))
	want := -(math.Log(0.9) + math.Log(0.8) + math.Log(0.6) + math.Log(0.6)) / 4
	if err != nil || math.Abs(got-want) > 1e-15 {
		t.Errorf("LogLoss = %v, %v; want %v", got, err, want)
	}
	if got, _ := LogLoss(dl.FromSlice([]float64{1}), dl.FromSlice([]float64{0})); math.IsInf(got, 0) {
		t.Error("a certain wrong prediction must be clipped, not infinite")
	}
	if _, err := LogLoss(dl.FromSlice([]float64{2}), dl.FromSlice([]float64{0.5})); err == nil {
		t.Error("label 2 accepted")
	}
}
