package chart_test

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dlgo/dlgo/dl"
	"github.com/dlgo/dlgo/dl/chart"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

func TestErrors(t *testing.T) {
	h := history()
	x, y := blobs(10)
	ok := func(x *dl.Tensor) (*dl.Tensor, error) { return circle(x) }
	nan := math.NaN()
	unbuilt := dl.NewSequential(&dl.Dense{Units: 2})
	for _, c := range []struct {
		name string
		run  func() (*plot.Plot, error)
		want string // a part of the message
	}{
		{"History nil", func() (*plot.Plot, error) { return chart.History(nil) }, "history is empty"},
		{"History key", func() (*plot.Plot, error) { return chart.History(h, "mae") }, `no key "mae"; it recorded "accuracy", "loss", "val_loss"`},
		{"History no loss", func() (*plot.Plot, error) {
			return chart.History(&dl.History{History: map[string][]float64{"mae": {1}}})
		}, `no "loss"`},
		{"History NaN", func() (*plot.Plot, error) {
			return chart.History(&dl.History{History: map[string][]float64{"loss": {1, nan}}})
		}, "loss[1] is NaN"},
		{"History lengths", func() (*plot.Plot, error) {
			return chart.History(&dl.History{History: map[string][]float64{"loss": {1, 2}, "val_loss": {1}}})
		}, `"val_loss" has 1 values but "loss" has 2`},
		{"History mark", func() (*plot.Plot, error) { return chart.HistoryWith(h, chart.HistoryOptions{Mark: 21}) }, "Mark is 21"},
		{"History LogY", func() (*plot.Plot, error) {
			return chart.HistoryWith(&dl.History{History: map[string][]float64{"loss": {1, 0}}}, chart.HistoryOptions{LogY: true})
		}, "LogY needs positive values"},
		{"Series empty", func() (*plot.Plot, error) { return chart.Series(nil, nil, chart.SeriesOptions{}) }, "actual is empty"},
		{"Series lengths", func() (*plot.Plot, error) { return chart.Series([]float64{1, 2}, []float64{1}, chart.SeriesOptions{}) }, "predicted has 1"},
		{"Series X", func() (*plot.Plot, error) {
			return chart.Series([]float64{1, 2}, nil, chart.SeriesOptions{X: []float64{1}})
		}, "X has 1 values"},
		{"Series Inf", func() (*plot.Plot, error) {
			return chart.Series([]float64{1, math.Inf(1)}, nil, chart.SeriesOptions{})
		}, "actual[1] is +Inf"},
		{"Scatter empty", func() (*plot.Plot, error) { return chart.Scatter(nil, nil, chart.ScatterOptions{}) }, "x is empty"},
		{"Scatter lengths", func() (*plot.Plot, error) {
			return chart.Scatter([]float64{1}, []float64{1, 2}, chart.ScatterOptions{})
		}, "y has 2"},
		{"Scatter fit", func() (*plot.Plot, error) {
			return chart.Scatter([]float64{1, 1}, []float64{1, 2}, chart.ScatterOptions{Fit: true})
		}, "two different x values"},
		{"Boundary nil predict", func() (*plot.Plot, error) { return chart.DecisionBoundary(nil, x, y, chart.BoundaryOptions{}) }, "predict is nil"},
		{"Boundary x shape", func() (*plot.Plot, error) {
			return chart.DecisionBoundary(ok, dl.Zeros(10, 3), y, chart.BoundaryOptions{})
		}, "x must have shape (n, 2)"},
		{"Boundary y shape", func() (*plot.Plot, error) {
			return chart.DecisionBoundary(ok, x, dl.Zeros(9), chart.BoundaryOptions{})
		}, "y must have shape (10,)"},
		{"Boundary labels", func() (*plot.Plot, error) {
			return chart.DecisionBoundary(ok, x, dl.FromSlice([]float64{0, 1, 0.5, 0, 0, 0, 0, 0, 0, 0}), chart.BoundaryOptions{})
		}, "y[2] is 0.5"},
		{"Boundary resolution", func() (*plot.Plot, error) {
			return chart.DecisionBoundary(ok, x, y, chart.BoundaryOptions{Resolution: 1})
		}, "Resolution must be between 2 and 1000"},
		{"Boundary predict error", func() (*plot.Plot, error) {
			return chart.DecisionBoundary(func(*dl.Tensor) (*dl.Tensor, error) { return nil, errors.New("boom") }, x, y, chart.BoundaryOptions{})
		}, "predict: boom"},
		{"Boundary predict shape", func() (*plot.Plot, error) {
			return chart.DecisionBoundary(func(*dl.Tensor) (*dl.Tensor, error) { return dl.Zeros(3, 1), nil }, x, y, chart.BoundaryOptions{})
		}, "returned [3 1]"},
		{"Boundary predict NaN", func() (*plot.Plot, error) {
			return chart.DecisionBoundary(func(x *dl.Tensor) (*dl.Tensor, error) {
				out := dl.Zeros(x.Shape()[0], 1)
				out.Set(nan, 7, 0)
				return out, nil
			}, x, y, chart.BoundaryOptions{})
		}, "predict's output[7] is NaN"},
		{"Confusion empty", func() (*plot.Plot, error) { return chart.ConfusionMatrix(nil, nil, chart.ConfusionOptions{}) }, "empty"},
		{"Confusion square", func() (*plot.Plot, error) {
			return chart.ConfusionMatrix([][]int{{1, 2}, {3}}, nil, chart.ConfusionOptions{})
		}, "row 1 has 1 values"},
		{"Confusion negative", func() (*plot.Plot, error) {
			return chart.ConfusionMatrix([][]int{{1, -2}, {3, 4}}, nil, chart.ConfusionOptions{})
		}, "cm[0][1] is -2"},
		{"Confusion labels", func() (*plot.Plot, error) {
			return chart.ConfusionMatrix([][]int{{1, 2}, {3, 4}}, []string{"a"}, chart.ConfusionOptions{})
		}, "2 classes but 1 labels"},
		{"Comparison empty", func() (*plot.Plot, error) { return chart.Comparison(nil, nil, chart.ComparisonOptions{}) }, "xs is empty"},
		{"Comparison no series", func() (*plot.Plot, error) { return chart.Comparison([]float64{1}, nil, chart.ComparisonOptions{}) }, "no series"},
		{"Comparison lengths", func() (*plot.Plot, error) {
			return chart.Comparison([]float64{1, 2}, []chart.Named{{Name: "val", Values: []float64{1}}}, chart.ComparisonOptions{})
		}, `series "val" has 1 values for 2 x values`},
		{"Comparison ticks", func() (*plot.Plot, error) {
			return chart.Comparison([]float64{1, 2}, []chart.Named{{Name: "a", Values: []float64{1, 2}}}, chart.ComparisonOptions{XTicks: []string{"a"}})
		}, "XTicks has 1 labels"},
		{"Comparison LogX", func() (*plot.Plot, error) {
			return chart.Comparison([]float64{0, 2}, []chart.Named{{Name: "a", Values: []float64{1, 2}}}, chart.ComparisonOptions{LogX: true})
		}, "xs[0] is 0"},
		{"Histogram empty", func() (*plot.Plot, error) { return chart.Histogram(nil, 10, chart.HistogramOptions{}) }, "values is empty"},
		{"Histogram NaN", func() (*plot.Plot, error) { return chart.Histogram([]float64{nan}, 10, chart.HistogramOptions{}) }, "values[0] is NaN"},
		{"Histogram bins", func() (*plot.Plot, error) { return chart.Histogram([]float64{1}, 1e6, chart.HistogramOptions{}) }, "too many"},
		{"Histograms none", func() (*plot.Plot, error) { return chart.Histograms(nil, 0, chart.HistogramOptions{}) }, "no values"},
		{"Histograms empty set", func() (*plot.Plot, error) {
			return chart.Histograms([]chart.Named{{Name: "L1", Values: []float64{1}}, {Name: "L2"}}, 0, chart.HistogramOptions{})
		}, `set 1 ("L2") is empty`},
		{"WeightHistograms unbuilt", func() (*plot.Plot, error) { return chart.WeightHistograms(unbuilt) }, "no weights yet"},
		{"WeightHistograms nil", func() (*plot.Plot, error) { return chart.WeightHistograms(nil) }, "model is nil"},
	} {
		p, err := c.run()
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if p != nil {
			t.Errorf("%s: a plot with the error", c.name)
		}
		if !strings.HasPrefix(err.Error(), "chart: ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q, want one containing %q", c.name, err, c.want)
		}
	}
}

func TestOutputErrors(t *testing.T) {
	p := dl.Must(chart.Histogram([]float64{1, 2}, 2, chart.HistogramOptions{}))
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"PNG nil", second(chart.PNG(nil)), "the plot is nil"},
		{"PNGSize zero", second(chart.PNGSize(p, 0, vg.Inch)), "size must be positive"},
		{"Save format", chart.Save(p, filepath.Join(dir, "p.bmp")), "cannot tell the image format"},
		{"Save directory", chart.Save(p, filepath.Join(dir, "missing", "p.png")), "no such file"},
		{"Grid shape", second(chart.Grid(0, 2)), "rows and cols must be positive"},
		{"Grid too many", second(chart.Grid(1, 1, p, p)), "2 plots do not fit in 1×1 tiles"},
		{"Figure nil", second((*chart.Figure)(nil).PNG()), "the figure is nil"},
		{"Figure fields", second((&chart.Figure{Rows: 1, Cols: 1, Plots: []*plot.Plot{p, p}}).PNG()), "do not fit"},
	} {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, c.err, c.want)
		}
	}
	// A failed Save leaves no file, not even a temporary one.
	if err := chart.Save(p, filepath.Join(dir, "p.bmp")); err == nil {
		t.Fatal("no error")
	}
	if names, _ := os.ReadDir(dir); len(names) != 0 {
		t.Errorf("files left behind: %v", names)
	}
}

func second[T any](_ T, err error) error { return err }

// TestSaveReplaces checks that Save replaces an existing file and leaves
// no temporary file.
func TestSaveReplaces(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "p.svg")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := dl.Must(chart.History(history()))
	if err := chart.SaveSize(p, path, 4*vg.Inch, 3*vg.Inch); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b[:min(len(b), 200)]), "<svg") {
		t.Errorf("not an SVG file: %.60q", b)
	}
	if names, _ := os.ReadDir(dir); len(names) != 1 {
		t.Errorf("files in the directory: %v", names)
	}
}

// TestPredictor draws the boundary of a real model, a logistic regression
// with fixed weights, through Predictor.
func TestPredictor(t *testing.T) {
	m := dl.NewSequential(dl.Input(2), &dl.Dense{Units: 1, Activation: "sigmoid"})
	if err := m.SetWeights([]*dl.Tensor{dl.FromSlice([]float64{2, -1}, 2, 1), dl.FromSlice([]float64{0.5})}); err != nil {
		t.Fatal(err)
	}
	x, y := blobs(40)
	p, err := chart.DecisionBoundary(chart.Predictor(m), x, y, chart.BoundaryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chart.PNG(p); err != nil {
		t.Fatal(err)
	}
}

// TestInputsUnchanged checks that the plots do not modify their data.
func TestInputsUnchanged(t *testing.T) {
	a, pr := weekly()
	a0, pr0 := append([]float64(nil), a...), append([]float64(nil), pr...)
	x, y := blobs(30)
	x0, y0 := x.Clone(), y.Clone()
	for _, err := range []error{
		second(chart.Series(a, pr, chart.SeriesOptions{})),
		second(chart.Scatter(a, pr, chart.ScatterOptions{Diagonal: true, Fit: true})),
		second(chart.Histograms([]chart.Named{{Values: a}, {Values: pr}}, 0, chart.HistogramOptions{Density: true})),
		second(chart.DecisionBoundary(circle, x, y, chart.BoundaryOptions{Resolution: 10})),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if !equal(a, a0) || !equal(pr, pr0) || !equal(x.Data(), x0.Data()) || !equal(y.Data(), y0.Data()) {
		t.Error("an input was modified")
	}
}

func equal(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// BenchmarkDecisionBoundary measures the slowest plot: 10000 predictions
// and a rasterized heat map, drawn to PNG.
func BenchmarkDecisionBoundary(b *testing.B) {
	x, y := blobs(200)
	for b.Loop() {
		p, err := chart.DecisionBoundary(circle, x, y, chart.BoundaryOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := chart.PNG(p); err != nil {
			b.Fatal(err)
		}
	}
}
