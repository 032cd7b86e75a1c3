package chart_test

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/dlgo/dlgo/dl"
	"github.com/dlgo/dlgo/dl/chart"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/cmpimg"
)

// The golden images in testdata are compared with freshly drawn ones by
// gonum/plot's cmpimg. After a deliberate change of the drawing, look at
// the new images and regenerate the golden ones with
//
//	go test ./dl/chart -regen
//
// (the flag is cmpimg's). A failing comparison leaves testdata/NAME.png
// beside NAME_golden.png and logs both images and their difference,
// base64-encoded.

// tolerance is cmpimg's normalized color distance up to which two pixels
// count as equal: it absorbs anti-aliasing differences between
// architectures (fused multiply-add on arm64) but not a moved line or a
// changed color (16 levels in one channel of the first color fail).
const tolerance = 0.02

// golden draws a plot or figure into testdata/name.png with save and
// checks it against testdata/name_golden.png.
func golden(t *testing.T, name string, save func(path string) error) {
	t.Helper()
	path := filepath.Join("testdata", name+".png")
	cmpimg.CheckPlotApprox(func() {
		if err := save(path); err != nil {
			t.Fatal(err)
		}
	}, t, tolerance, name+".png")
	if !t.Failed() {
		os.Remove(path)
	}
}

func goldenPlot(t *testing.T, name string, p *plot.Plot, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	golden(t, name, func(path string) error { return chart.Save(p, path) })
}

// The test data: fixed formulas and seeded generators, so that every run
// draws the same pixels.

func history() *dl.History {
	h := &dl.History{History: map[string][]float64{}}
	for e := range 20 {
		loss := 0.1 + 0.9*math.Exp(-0.25*float64(e)) + 0.01*math.Sin(float64(e))
		val := loss + 0.05 + 0.0015*float64((e-12)*(e-12))
		h.History["loss"] = append(h.History["loss"], loss)
		h.History["val_loss"] = append(h.History["val_loss"], val)
		h.History["accuracy"] = append(h.History["accuracy"], 1-loss/2)
		h.Epoch = append(h.Epoch, e)
	}
	return h
}

func weekly() (actual, predicted []float64) {
	for w := range 52 {
		a := 12 + 9*math.Sin(2*math.Pi*float64(w-10)/52) + 1.5*math.Sin(float64(w)*1.7)
		actual = append(actual, a)
		predicted = append(predicted, 0.9*a+1.2+0.8*math.Cos(float64(w)*2.3))
	}
	return actual, predicted
}

// blobs returns n points of two features around the unit circle's inside
// (class 0) and outside (class 1).
func blobs(n int) (x, y *dl.Tensor) {
	r := rand.New(rand.NewPCG(1, 2))
	x, y = dl.Zeros(n, 2), dl.Zeros(n)
	for i := range n {
		a, d := 2*math.Pi*r.Float64(), 1.5*math.Sqrt(r.Float64())
		x.Set(d*math.Cos(a), i, 0)
		x.Set(d*math.Sin(a), i, 1)
		if d+0.15*r.NormFloat64() > 1 {
			y.Set(1, i)
		}
	}
	return x, y
}

// circle is a fixed classifier: the probability of class 1 grows with the
// distance from the origin, 0.5 on the unit circle.
func circle(x *dl.Tensor) (*dl.Tensor, error) {
	n := x.Shape()[0]
	out := dl.Zeros(n, 1)
	for i := range n {
		r2 := x.At(i, 0)*x.At(i, 0) + x.At(i, 1)*x.At(i, 1)
		out.Set(1/(1+math.Exp(-4*(r2-1))), i, 0)
	}
	return out, nil
}

// sectors is a fixed 3-class classifier: softmax of three linear scores.
func sectors(x *dl.Tensor) (*dl.Tensor, error) {
	n := x.Shape()[0]
	out := dl.Zeros(n, 3)
	for i := range n {
		a, b := x.At(i, 0), x.At(i, 1)
		s := []float64{a, -0.5*a + 0.87*b, -0.5*a - 0.87*b}
		z := 0.0
		for _, v := range s {
			z += math.Exp(3 * v)
		}
		for j, v := range s {
			out.Set(math.Exp(3*v)/z, i, j)
		}
	}
	return out, nil
}

func sectorLabels(x *dl.Tensor) *dl.Tensor {
	p, _ := sectors(x)
	n := x.Shape()[0]
	y := dl.Zeros(n)
	for i := range n {
		best := 0
		for j := 1; j < 3; j++ {
			if p.At(i, j) > p.At(i, best) {
				best = j
			}
		}
		y.Set(float64(best), i)
	}
	return y
}

func normals(seed uint64, n int, sigma float64) []float64 {
	r := rand.New(rand.NewPCG(seed, 7))
	v := make([]float64, n)
	for i := range v {
		v[i] = sigma * r.NormFloat64()
	}
	return v
}

// model returns a built 4-8-1 model whose weights are set from a seeded
// generator, so that the picture does not depend on dl's initializers.
func model(t *testing.T, name string, seed uint64, l1 bool) *dl.Sequential {
	m := dl.NewSequential(dl.Input(4), &dl.Dense{Units: 8, Name: "hidden"}, &dl.Dense{Units: 1, Name: "output"})
	m.Name = name
	r := rand.New(rand.NewPCG(seed, 3))
	var ws []*dl.Tensor
	for _, w := range m.GetWeights() {
		v := w.Clone()
		for i := range v.Data() {
			x := 0.4 * r.NormFloat64()
			if l1 && math.Abs(x) < 0.3 {
				x *= 0.05
			}
			v.Data()[i] = x
		}
		ws = append(ws, v)
	}
	if err := m.SetWeights(ws); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestGoldenHistory(t *testing.T) {
	p, err := chart.History(history())
	goldenPlot(t, "history", p, err)
}

func TestGoldenHistoryMark(t *testing.T) {
	p, err := chart.HistoryWith(history(), chart.HistoryOptions{
		Keys: []string{"loss", "val_loss"}, Mark: 9, MarkLabel: "best", Title: "Early stopping", LogY: true,
	})
	goldenPlot(t, "history_mark", p, err)
}

func TestGoldenSeries(t *testing.T) {
	a, pr := weekly()
	p, err := chart.Series(a, pr, chart.SeriesOptions{X: weeks(len(a)), XLabel: "week", YLabel: "temperature (°C)"})
	goldenPlot(t, "series", p, err)
}

func weeks(n int) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = float64(i + 1)
	}
	return w
}

func TestGoldenScatter(t *testing.T) {
	a, pr := weekly()
	p, err := chart.Scatter(a, pr, chart.ScatterOptions{
		Title: "Predicted vs actual", XLabel: "actual", YLabel: "predicted", Diagonal: true, Fit: true,
	})
	goldenPlot(t, "scatter", p, err)
}

func TestGoldenDecisionBoundary(t *testing.T) {
	x, y := blobs(120)
	p, err := chart.DecisionBoundary(circle, x, y, chart.BoundaryOptions{Resolution: 80})
	goldenPlot(t, "boundary", p, err)
}

func TestGoldenDecisionBoundaryMulticlass(t *testing.T) {
	x, _ := blobs(90)
	p, err := chart.DecisionBoundary(sectors, x, sectorLabels(x), chart.BoundaryOptions{
		ClassNames: []string{"north", "west", "south"}, Title: "Three classes",
	})
	goldenPlot(t, "boundary_multiclass", p, err)
}

func TestGoldenConfusionMatrix(t *testing.T) {
	p, err := chart.ConfusionMatrix([][]int{{62, 5}, {3, 44}}, []string{"benign", "malignant"}, chart.ConfusionOptions{})
	goldenPlot(t, "confusion", p, err)
}

func TestGoldenConfusionMatrixNormalized(t *testing.T) {
	p, err := chart.ConfusionMatrix([][]int{{30, 2, 1}, {4, 25, 6}, {0, 3, 29}}, nil, chart.ConfusionOptions{Normalize: true})
	goldenPlot(t, "confusion_normalized", p, err)
}

func TestGoldenComparison(t *testing.T) {
	sizes := []float64{65, 321, 1281, 5121, 20481}
	p, err := chart.Comparison(sizes, []chart.Named{
		{Name: "train", Values: []float64{0.31, 0.22, 0.15, 0.09, 0.05}},
		{Name: "validation", Values: []float64{0.33, 0.25, 0.21, 0.23, 0.28}},
	}, chart.ComparisonOptions{
		Title: "Error against model size", XLabel: "parameters", YLabel: "MAE", LogX: true,
		XTicks: []string{"65", "321", "1281", "5121", "20481"},
	})
	goldenPlot(t, "comparison", p, err)
}

func TestGoldenHistogram(t *testing.T) {
	p, err := chart.Histogram(normals(1, 500, 1), 0, chart.HistogramOptions{Title: "Normal sample"})
	goldenPlot(t, "histogram", p, err)
}

func TestGoldenHistograms(t *testing.T) {
	k1, err := chart.Kernels(model(t, "l1", 5, true))
	if err != nil {
		t.Fatal(err)
	}
	k2, err := chart.Kernels(model(t, "l2", 5, false))
	if err != nil {
		t.Fatal(err)
	}
	p, err := chart.Histograms([]chart.Named{
		{Name: "L1", Values: k1[0].Values},
		{Name: "L2", Values: k2[0].Values},
	}, 12, chart.HistogramOptions{XLabel: "weight", Density: true, Title: "hidden/kernel"})
	goldenPlot(t, "histograms", p, err)
}

func TestGoldenWeightHistograms(t *testing.T) {
	p, err := chart.WeightHistograms(model(t, "l1", 5, true))
	goldenPlot(t, "weights", p, err)
}

func TestGoldenGrid(t *testing.T) {
	h, err1 := chart.History(history())
	a, pr := weekly()
	s, err2 := chart.Series(a, pr, chart.SeriesOptions{})
	c, err3 := chart.ConfusionMatrix([][]int{{62, 5}, {3, 44}}, nil, chart.ConfusionOptions{})
	for _, err := range []error{err1, err2, err3} {
		if err != nil {
			t.Fatal(err)
		}
	}
	f, err := chart.Grid(2, 2, h, s, c) // the fourth tile stays empty
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "grid", f.Save)
}
