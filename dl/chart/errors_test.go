package chart_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
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
		{"Boundary shades", func() (*plot.Plot, error) {
			return chart.DecisionBoundary(ok, x, y, chart.BoundaryOptions{Shades: 1})
		}, "Shades must be between 2 and 200, received 1"},
		{"Boundary marked", func() (*plot.Plot, error) {
			return chart.DecisionBoundary(ok, x, y, chart.BoundaryOptions{Marked: make([]bool, 9)})
		}, "Marked has 9 entries for 10 samples"},
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
		{"Comparison style", func() (*plot.Plot, error) {
			return chart.Comparison([]float64{1, 2}, []chart.Named{{Name: "a", Values: []float64{1, 2}}}, chart.ComparisonOptions{Style: "line"})
		}, `Style must be "lines", "dots" or "bars", received "line"`},
		{"Comparison bars LogX", func() (*plot.Plot, error) {
			return chart.Comparison([]float64{1, 2}, []chart.Named{{Name: "a", Values: []float64{1, 2}}}, chart.ComparisonOptions{Style: chart.StyleBars, LogX: true})
		}, "needs a linear x axis"},
		{"Comparison nil xs", func() (*plot.Plot, error) {
			return chart.Comparison(nil, []chart.Named{{Name: "a", Values: []float64{1, 2}}}, chart.ComparisonOptions{})
		}, "xs is empty"},
		{"Comparison nil xs ticks", func() (*plot.Plot, error) {
			return chart.Comparison(nil, []chart.Named{{Name: "a", Values: []float64{1, 2}}}, chart.ComparisonOptions{XTicks: []string{"1", "2", "3"}})
		}, `series "a" has 2 values for 3 x values`},
		{"Histogram empty", func() (*plot.Plot, error) { return chart.Histogram(nil, 10, chart.HistogramOptions{}) }, "values is empty"},
		{"Histogram NaN", func() (*plot.Plot, error) { return chart.Histogram([]float64{nan}, 10, chart.HistogramOptions{}) }, "values[0] is NaN"},
		{"Histogram bins", func() (*plot.Plot, error) { return chart.Histogram([]float64{1}, 1e6, chart.HistogramOptions{}) }, "too many"},
		{"Histograms none", func() (*plot.Plot, error) { return chart.Histograms(nil, 0, chart.HistogramOptions{}) }, "no values"},
		{"Histograms empty set", func() (*plot.Plot, error) {
			return chart.Histograms([]chart.Named{{Name: "L1", Values: []float64{1}}, {Name: "L2"}}, 0, chart.HistogramOptions{})
		}, `set 1 ("L2") is empty`},
		{"WeightHistograms unbuilt", func() (*plot.Plot, error) { return chart.WeightHistograms(unbuilt) }, "no weights yet"},
		{"WeightHistograms nil", func() (*plot.Plot, error) { return chart.WeightHistograms(nil) }, "model is nil"},
		{"WeightHistogramsWith unbuilt", func() (*plot.Plot, error) {
			return chart.WeightHistogramsWith(unbuilt, chart.WeightOptions{})
		}, "WeightHistogramsWith: the model"},
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
		{"Figure SharedX", second((&chart.Figure{Rows: 1, Cols: 2, SharedX: "column"}).PNG()), `SharedX must be "row", "col", "all" or empty, is "column"`},
		{"Figure SharedY", (&chart.Figure{Rows: 1, Cols: 2, SharedY: "rows"}).Save(filepath.Join(dir, "f.png")), `SharedY must be`},
		{"ShowWith DPI", chart.ShowWith(p, chart.ShowOptions{DPI: 601}), "DPI must be between 1 and 600"},
		{"Render DPI", second(chart.Render(p, chart.ShowOptions{DPI: -1})), "DPI must be between 1 and 600 (0 for 96), received -1"},
		{"Render colors", second(chart.Render(p, chart.ShowOptions{Colors: 1})), "Colors must be between 2 and 256"},
		{"Render colors max", second(chart.Render(p, chart.ShowOptions{Colors: 257})), "received 257"},
		{"Render format", second(chart.Render(p, chart.ShowOptions{Format: "gif"})), `Format must be "png" or "svg", received "gif"`},
		{"Render size", second(chart.Render(p, chart.ShowOptions{Width: -vg.Inch})), "must not be negative"},
		{"Render nil", second(chart.Render(nil, chart.ShowOptions{})), "the plot is nil"},
		{"Figure.ShowWith", (&chart.Figure{Rows: 1, Cols: 1}).ShowWith(chart.ShowOptions{Format: "jpg"}), "Format must be"},
		{"Figure.Render", second((*chart.Figure)(nil).Render(chart.ShowOptions{})), "the figure is nil"},
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

// TestRenderOptions checks the size, resolution and colors of Render's
// images.
func TestRenderOptions(t *testing.T) {
	x, y := blobs(60)
	p := dl.Must(chart.DecisionBoundary(circle, x, y, chart.BoundaryOptions{Resolution: 40}))
	decode := func(opts chart.ShowOptions) image.Image {
		t.Helper()
		b, err := chart.Render(p, opts)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	for _, c := range []struct {
		opts chart.ShowOptions
		w, h int
	}{
		{chart.ShowOptions{}, 576, 384},
		{chart.ShowOptions{DPI: 72}, 432, 288},
		{chart.ShowOptions{DPI: 192}, 1152, 768},
		{chart.ShowOptions{Width: 3 * vg.Inch, Height: 2 * vg.Inch, DPI: 72}, 216, 144},
	} {
		if b := decode(c.opts).Bounds(); b.Dx() != c.w || b.Dy() != c.h {
			t.Errorf("%+v: %d×%d pixels, want %d×%d", c.opts, b.Dx(), b.Dy(), c.w, c.h)
		}
	}
	full := decode(chart.ShowOptions{})
	for _, n := range []int{256, 16} {
		img, ok := decode(chart.ShowOptions{Colors: n}).(*image.Paletted)
		if !ok || len(img.Palette) > n {
			t.Fatalf("Colors %d: not a paletted image of at most %d colors", n, n)
		}
		// The most frequent colors are kept: most pixels are unchanged.
		same := 0
		for y := range img.Bounds().Dy() {
			for x := range img.Bounds().Dx() {
				if colorEq(img.At(x, y), full.At(x, y)) {
					same++
				}
			}
		}
		if total := img.Bounds().Dx() * img.Bounds().Dy(); same < total*9/10 {
			t.Errorf("Colors %d: %d of %d pixels unchanged", n, same, total)
		}
	}
}

func colorEq(a, b color.Color) bool {
	r1, g1, b1, a1 := a.RGBA()
	r2, g2, b2, a2 := b.RGBA()
	return r1 == r2 && g1 == g2 && b1 == b2 && a1 == a2
}
