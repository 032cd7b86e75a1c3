package chart_test

import (
	"bytes"
	"fmt"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/dlgo/dlgo/dl"
	"github.com/dlgo/dlgo/dl/chart"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/cmpimg"
	"gonum.org/v1/plot/vg"
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

// TestGoldenHangul draws learning curves labelled in Korean: the title,
// the axis labels, the legend and the marked epoch, in the bundled
// Hangul font (not boxes).
func TestGoldenHangul(t *testing.T) {
	p, err := chart.HistoryWith(history(), chart.HistoryOptions{
		Title: "학습 곡선", XLabel: "에포크", YLabel: "손실",
		Legend: map[string]string{"loss": "훈련 손실", "val_loss": "검증 손실"},
		Mark:   13, MarkLabel: "최적",
	})
	goldenPlot(t, "hangul", p, err)
}

// TestGoldenHangulGrid draws the other plots with Korean labels: tick
// labels (the confusion matrix's classes, the comparison's seeds), the
// legends that the plots write themselves, and a two-line title.
func TestGoldenHangulGrid(t *testing.T) {
	x, y := blobs(120)
	a, pr := weekly()
	k1, err := chart.Kernels(model(t, "l1", 5, true))
	if err != nil {
		t.Fatal(err)
	}
	k2, err := chart.Kernels(model(t, "l2", 5, false))
	if err != nil {
		t.Fatal(err)
	}
	plots := []*plot.Plot{}
	for _, c := range []func() (*plot.Plot, error){
		func() (*plot.Plot, error) {
			return chart.ConfusionMatrix([][]int{{62, 5}, {3, 44}}, []string{"양성", "악성"}, chart.ConfusionOptions{
				Title: "혼동 행렬", XLabel: "예측 클래스", YLabel: "실제 클래스",
			})
		},
		func() (*plot.Plot, error) {
			return chart.DecisionBoundary(circle, x, y, chart.BoundaryOptions{
				Resolution: 60, Title: "결정 경계\n원 데이터셋", XLabel: "특성 1", YLabel: "특성 2",
				ClassNames: []string{"안쪽", "바깥쪽"}, BoundaryLabel: "p = 0.5 경계",
			})
		},
		func() (*plot.Plot, error) {
			return chart.Comparison(nil, []chart.Named{
				{Name: "훈련", Values: []float64{0.91, 0.93, 0.90, 0.94, 0.92}},
				{Name: "검증", Values: []float64{0.85, 0.88, 0.83, 0.87, 0.86}},
			}, chart.ComparisonOptions{
				Title: "시드별 정확도", XLabel: "시드", YLabel: "정확도",
				XTicks: []string{"시드 1", "시드 2", "시드 3", "시드 4", "시드 5"}, Style: chart.StyleDots,
			})
		},
		func() (*plot.Plot, error) {
			return chart.Series(a, pr, chart.SeriesOptions{
				Title: "주간 기온", XLabel: "주", YLabel: "기온 (°C)", ActualLabel: "실제", PredictedLabel: "예측",
			})
		},
		func() (*plot.Plot, error) {
			return chart.Scatter(a, pr, chart.ScatterOptions{
				Title: "예측 대 실제", XLabel: "실제", YLabel: "예측", Diagonal: true, Fit: true,
				DiagonalLabel: "y = x (완벽한 예측)", FitLabel: "회귀선",
			})
		},
		func() (*plot.Plot, error) {
			return chart.Histograms([]chart.Named{{Name: "L1 규제", Values: k1[0].Values}, {Name: "L2 규제", Values: k2[0].Values}},
				12, chart.HistogramOptions{Title: "가중치 분포", XLabel: "가중치", YLabel: "밀도", Density: true})
		},
	} {
		p, err := c()
		if err != nil {
			t.Fatal(err)
		}
		plots = append(plots, p)
	}
	f, err := chart.Grid(2, 3, plots...)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "hangul_grid", f.Save)
}

// flipped returns labels with every seventh one flipped, as label noise
// would, and which ones.
func flipped(y *dl.Tensor) (*dl.Tensor, []bool) {
	noisy := y.Clone()
	marked := make([]bool, y.Shape()[0])
	for i := 3; i < len(marked); i += 7 {
		noisy.Data()[i] = 1 - noisy.Data()[i]
		marked[i] = true
	}
	return noisy, marked
}

func TestGoldenDecisionBoundaryMarked(t *testing.T) {
	x, y := blobs(120)
	noisy, marked := flipped(y)
	p, err := chart.DecisionBoundary(circle, x, noisy, chart.BoundaryOptions{
		Resolution: 80, Marked: marked, ClassNames: []string{"inside", "outside"}, Shades: 6,
	})
	goldenPlot(t, "boundary_marked", p, err)
}

func TestGoldenComparisonStyles(t *testing.T) {
	series := []chart.Named{
		{Name: "train", Values: []float64{0.91, 0.93, 0.90, 0.94, 0.92}},
		{Name: "validation", Values: []float64{0.85, 0.88, 0.83, 0.87, 0.86}},
	}
	seeds := []string{"1", "2", "3", "4", "5"}
	dots, err := chart.Comparison(nil, series, chart.ComparisonOptions{
		Title: "Dots", XLabel: "seed", YLabel: "accuracy", XTicks: seeds, Style: chart.StyleDots,
	})
	if err != nil {
		t.Fatal(err)
	}
	bars, err := chart.Comparison([]float64{1, 2, 3, 4, 5}, series, chart.ComparisonOptions{
		Title: "Bars", XLabel: "seed", YLabel: "accuracy", XTicks: seeds, Style: chart.StyleBars,
	})
	if err != nil {
		t.Fatal(err)
	}
	f, err := chart.Grid(1, 2, dots, bars)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "comparison_styles", f.Save)
}

// scaled returns a history whose values are those of history() times k.
func scaled(k float64) *dl.History {
	h := history()
	for key, v := range h.History {
		for i := range v {
			v[i] *= k
		}
		h.History[key] = v
	}
	return h
}

// TestGoldenGridShared draws learning curves of two ranges on one y axis
// (top row) and the weights of two models on one x axis (bottom row).
func TestGoldenGridShared(t *testing.T) {
	h1, err1 := chart.HistoryWith(scaled(1), chart.HistoryOptions{Title: "lr 0.01", Mark: 10})
	h2, err2 := chart.HistoryWith(scaled(2.5), chart.HistoryOptions{Title: "lr 0.1"})
	w1, err3 := chart.WeightHistograms(model(t, "l1", 5, true))
	w2, err4 := chart.WeightHistogramsWith(model(t, "wide", 6, false), chart.WeightOptions{Bins: 15})
	for _, err := range []error{err1, err2, err3, err4} {
		if err != nil {
			t.Fatal(err)
		}
	}
	f, err := chart.Grid(2, 2, h1, h2, w1, w2)
	if err != nil {
		t.Fatal(err)
	}
	f.SharedX, f.SharedY = chart.ShareRows, chart.ShareRows
	golden(t, "grid_shared", f.Save)
	// The plots keep their own ranges.
	if h1.Y.Max >= h2.Y.Max || w1.X.Min == w2.X.Min {
		t.Errorf("the ranges stayed shared: y max %v and %v, x min %v and %v", h1.Y.Max, h2.Y.Max, w1.X.Min, w2.X.Min)
	}
}

// boundaryTiles returns 12 decision boundaries with gentle and steep
// gradients, titled and without legends, as the playground notebook
// shows them.
func boundaryTiles(t testing.TB) *chart.Figure {
	prob := func(f func(a, b float64) float64) func(x *dl.Tensor) (*dl.Tensor, error) {
		return func(x *dl.Tensor) (*dl.Tensor, error) {
			n := x.Shape()[0]
			out := dl.Zeros(n, 1)
			for i := range n {
				out.Set(1/(1+math.Exp(-f(x.At(i, 0), x.At(i, 1)))), i, 0)
			}
			return out, nil
		}
	}
	models := []func(*dl.Tensor) (*dl.Tensor, error){
		prob(func(a, b float64) float64 { return 0.4*a - 0.3*b + 0.1 }),
		prob(func(a, b float64) float64 { return 3 * (a*a + b*b - 1) }),
		prob(func(a, b float64) float64 { return 6 * a * b }),
		prob(func(a, b float64) float64 { return 2*a + 1.5*b + 0.5*math.Sin(3*a) }),
		prob(func(a, b float64) float64 { r := math.Hypot(a, b); return 2.5 * math.Sin(math.Atan2(b, a)+3*r) }),
		prob(func(a, b float64) float64 { return 1.2*(a*a+b*b-1) + 0.8*math.Cos(4*b) }),
	}
	x, y := blobs(150)
	var plots []*plot.Plot
	for i := range 12 {
		p, err := chart.DecisionBoundary(models[i%len(models)], x, y, chart.BoundaryOptions{
			Resolution: 80,
			Title:      fmt.Sprintf("8-8 tanh, lr 0.03\ncircle: train %.3f, test %.3f", 0.05*float64(i), 0.2),
		})
		if err != nil {
			t.Fatal(err)
		}
		p.Title.TextStyle.Font.Size = 11
		p.Legend = plot.NewLegend()
		plots = append(plots, p)
	}
	f, err := chart.Grid(3, 4, plots...)
	if err != nil {
		t.Fatal(err)
	}
	f.Width, f.Height = 4*3.4*vg.Inch, 3*3.1*vg.Inch
	return f
}

// TestBoundaryGridBytes keeps a 3×4 grid of decision boundaries, at the
// size the playground notebook shows it, small: with the flat bands of
// the background, and with ShowOptions{DPI: 72, Colors: 256}.
func TestBoundaryGridBytes(t *testing.T) {
	f := boundaryTiles(t)
	for _, c := range []struct {
		opts chart.ShowOptions
		max  int
	}{
		{chart.ShowOptions{}, 600_000},
		{chart.ShowOptions{DPI: 72, Colors: 256}, 160_000},
	} {
		b, err := f.Render(c.opts)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%+v: %d×%d pixels, %d bytes", c.opts, cfg.Width, cfg.Height, len(b))
		if len(b) > c.max {
			t.Errorf("%+v: %d bytes, want at most %d", c.opts, len(b), c.max)
		}
	}
}
