package chart_test

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"

	"github.com/dlgo/dlgo/dl"
	"github.com/dlgo/dlgo/dl/chart"
	"gonum.org/v1/plot"
)

// size prints the pixel size of a PNG image.
func size(b []byte, err error) {
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("PNG %d×%d\n", cfg.Width, cfg.Height)
}

func ExampleHistory() {
	h := &dl.History{
		History: map[string][]float64{
			"loss":     {0.9, 0.5, 0.3, 0.25},
			"val_loss": {1.0, 0.6, 0.45, 0.5},
		},
		Epoch: []int{0, 1, 2, 3},
	}
	p, err := chart.History(h)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Title.Text, "|", p.X.Label.Text, "|", p.Y.Label.Text)
	size(chart.PNG(p))

	_, err = chart.History(h, "accuracy")
	fmt.Println(err)
	// Output:
	// Learning curves | epoch | loss
	// PNG 576×384
	// chart: History: the history has no key "accuracy"; it recorded "loss", "val_loss"
}

func ExampleHistoryWith() {
	h := &dl.History{History: map[string][]float64{
		"loss":     {0.9, 0.5, 0.3, 0.25, 0.2},
		"val_loss": {1.0, 0.6, 0.45, 0.5, 0.55},
	}}
	// With an EarlyStopping callback es: Mark: es.BestEpoch() + 1.
	p, err := chart.HistoryWith(h, chart.HistoryOptions{Mark: 3, MarkLabel: "best", Title: "Early stopping"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Title.Text)
	// Output:
	// Early stopping
}

func ExampleSeries() {
	actual := []float64{3, 5, 9, 14, 18, 21, 20, 16}
	predicted := []float64{4, 5, 8, 13, 18, 20, 21, 17}
	p, err := chart.Series(actual, predicted, chart.SeriesOptions{XLabel: "week", YLabel: "°C"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Title.Text, "|", p.X.Label.Text)

	_, err = chart.Series(actual, predicted[:5], chart.SeriesOptions{})
	fmt.Println(err)
	// Output:
	// Actual and predicted | week
	// chart: Series: actual has 8 values but predicted has 5
}

func ExampleScatter() {
	actual := []float64{3, 5, 9, 14, 18, 21}
	predicted := []float64{4, 5, 8, 13, 18, 20}
	p, err := chart.Scatter(actual, predicted, chart.ScatterOptions{
		XLabel: "actual", YLabel: "predicted", Diagonal: true, Fit: true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.X.Label.Text, "vs", p.Y.Label.Text)
	// Output:
	// actual vs predicted
}

func ExampleDecisionBoundary() {
	x := dl.FromRows([][]float64{{0, 0}, {1, 0}, {0, 1}, {1, 1}})
	y := dl.FromSlice([]float64{0, 1, 1, 1})
	// A fixed classifier: the probability of class 1 grows with x1 + x2.
	predict := func(x *dl.Tensor) (*dl.Tensor, error) {
		n := x.Shape()[0]
		out := dl.Zeros(n, 1)
		for i := range n {
			if x.At(i, 0)+x.At(i, 1) > 0.5 {
				out.Set(1, i, 0)
			}
		}
		return out, nil
	}
	// For a model: chart.DecisionBoundary(chart.Predictor(model), x, y, ...).
	p, err := chart.DecisionBoundary(predict, x, y, chart.BoundaryOptions{Resolution: 50})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Title.Text)
	// Output:
	// Decision boundary
}

func ExampleConfusionMatrix() {
	// As prep.ConfusionMatrix returns them.
	cm := [][]int{{62, 5}, {3, 44}}
	labels := []float64{0, 1}
	p, err := chart.ConfusionMatrix(cm, chart.Labels(labels), chart.ConfusionOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Title.Text, "|", p.Y.Label.Text, "|", p.X.Label.Text)
	// Output:
	// Confusion matrix | true label | predicted label
}

func ExampleComparison() {
	params := []float64{65, 321, 1281}
	p, err := chart.Comparison(params, []chart.Named{
		{Name: "train", Values: []float64{0.31, 0.22, 0.15}},
		{Name: "validation", Values: []float64{0.33, 0.25, 0.27}},
	}, chart.ComparisonOptions{XLabel: "parameters", YLabel: "MAE", LogX: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.X.Label.Text, "|", p.Y.Label.Text)
	// Output:
	// parameters | MAE
}

func ExampleHistogram() {
	p, err := chart.Histogram([]float64{-1, -0.5, 0, 0, 0.1, 0.5, 2}, 5, chart.HistogramOptions{XLabel: "weight"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.X.Label.Text, "|", p.Y.Label.Text)
	// Output:
	// weight | count
}

func ExampleKernels() {
	m := dl.NewSequential(dl.Input(4), &dl.Dense{Units: 8, Name: "hidden"}, &dl.Dense{Units: 1, Name: "out"})
	ks, err := chart.Kernels(m)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, k := range ks {
		fmt.Println(k.Name, len(k.Values))
	}
	// Output:
	// hidden/kernel 32
	// out/kernel 8
}

func ExampleWeightHistograms() {
	m := dl.NewSequential(dl.Input(4), &dl.Dense{Units: 8}, &dl.Dense{Units: 1})
	m.Name = "l2_model"
	p, err := chart.WeightHistograms(m)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Title.Text)
	// Output:
	// Weights of l2_model
}

func ExampleGrid() {
	h := &dl.History{History: map[string][]float64{"loss": {0.9, 0.5, 0.3}}}
	p1 := dl.Must(chart.History(h))
	p2 := dl.Must(chart.Histogram([]float64{1, 2, 2, 3, 3, 3}, 3, chart.HistogramOptions{}))
	f, err := chart.Grid(1, 2, p1, p2)
	if err != nil {
		fmt.Println(err)
		return
	}
	size(f.PNG())
	// Output:
	// PNG 864×288
}

func ExampleShow() {
	p := dl.Must(chart.Histogram([]float64{1, 2, 2, 3}, 3, chart.HistogramOptions{}))
	// In a GoNB notebook the plot appears under the cell; elsewhere, as
	// here, Show draws nothing.
	fmt.Println(chart.Show(p))
	// Output:
	// <nil>
}

func ExampleSave() {
	dir, err := os.MkdirTemp("", "chart")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	p := dl.Must(chart.Histogram([]float64{1, 2, 2, 3}, 3, chart.HistogramOptions{}))
	for _, name := range []string{"hist.png", "hist.svg", "hist.gif"} {
		err := chart.Save(p, filepath.Join(dir, name))
		fmt.Println(name, err == nil)
	}
	// Output:
	// hist.png true
	// hist.svg true
	// hist.gif false
}

func ExampleHistoryWith_korean() {
	h := &dl.History{History: map[string][]float64{
		"loss":     {0.9, 0.5, 0.3, 0.25, 0.2},
		"val_loss": {1.0, 0.6, 0.45, 0.5, 0.55},
	}}
	// Every label the plot writes can be replaced; Hangul is drawn in the
	// bundled NanumGothic font.
	p, err := chart.HistoryWith(h, chart.HistoryOptions{
		Title: "학습 곡선", XLabel: "에포크", YLabel: "손실",
		Legend: map[string]string{"loss": "훈련 손실", "val_loss": "검증 손실"},
		Mark:   3, MarkLabel: "최적",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Title.Text, "|", p.X.Label.Text, "|", p.Y.Label.Text)
	size(chart.PNG(p))
	// Output:
	// 학습 곡선 | 에포크 | 손실
	// PNG 576×384
}

func ExampleDecisionBoundary_marked() {
	x := dl.FromRows([][]float64{{0, 0}, {1, 0}, {0, 1}, {1, 1}, {0.2, 0.1}})
	clean := []float64{0, 1, 1, 1, 0}
	noisy := dl.FromSlice([]float64{0, 1, 1, 1, 1}) // label noise flipped the last one
	flipped := make([]bool, len(clean))
	for i, c := range clean {
		flipped[i] = noisy.Data()[i] != c
	}
	predict := func(x *dl.Tensor) (*dl.Tensor, error) {
		n := x.Shape()[0]
		out := dl.Zeros(n, 1)
		for i := range n {
			if x.At(i, 0)+x.At(i, 1) > 0.5 {
				out.Set(1, i, 0)
			}
		}
		return out, nil
	}
	p, err := chart.DecisionBoundary(predict, x, noisy, chart.BoundaryOptions{
		Resolution: 50,
		ClassNames: []string{"negative", "positive"},
		Marked:     flipped, // a cross on each, and a legend entry
		// MarkedLabel: "잡음으로 바뀐 레이블", // instead of "label flipped by noise"
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	size(chart.PNG(p))
	// Output:
	// PNG 576×384
}

func ExampleComparison_dots() {
	// Test accuracy of the same model trained with five seeds: no order
	// between the seeds, so dots rather than a line.
	p, err := chart.Comparison(nil, []chart.Named{
		{Name: "test accuracy", Values: []float64{0.91, 0.93, 0.90, 0.94, 0.92}},
	}, chart.ComparisonOptions{
		XLabel: "seed", YLabel: "accuracy",
		XTicks: []string{"1", "2", "3", "4", "5"},
		Style:  chart.StyleDots, // or chart.StyleBars
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.X.Label.Text, "|", p.Y.Label.Text)
	// Output:
	// seed | accuracy
}

func ExampleWeightHistogramsWith() {
	m := dl.NewSequential(dl.Input(4), &dl.Dense{Units: 8}, &dl.Dense{Units: 1})
	p, err := chart.WeightHistogramsWith(m, chart.WeightOptions{Title: "가중치", XLabel: "가중치 값", YLabel: "밀도"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Title.Text, "|", p.X.Label.Text, "|", p.Y.Label.Text)
	// Output:
	// 가중치 | 가중치 값 | 밀도
}

func ExampleFigure_shared() {
	slow := &dl.History{History: map[string][]float64{"loss": {0.9, 0.8, 0.7}}}
	fast := &dl.History{History: map[string][]float64{"loss": {2.5, 0.6, 0.2}}}
	f, err := chart.Grid(1, 2, dl.Must(chart.History(slow)), dl.Must(chart.History(fast)))
	if err != nil {
		fmt.Println(err)
		return
	}
	// One y range for the row, so that the two curves compare.
	f.SharedY = chart.ShareRows
	size(f.PNG())
	// Output:
	// PNG 864×288
}

func ExampleShowWith() {
	p := dl.Must(chart.Histogram([]float64{1, 2, 2, 3}, 3, chart.HistogramOptions{}))
	// In a notebook: a smaller image (72 dots per inch, 256 colors).
	// Elsewhere, as here, it checks the options and draws nothing.
	fmt.Println(chart.ShowWith(p, chart.ShowOptions{DPI: 72, Colors: 256}))
	fmt.Println(chart.ShowWith(p, chart.ShowOptions{Format: "gif"}))
	// Output:
	// <nil>
	// chart: ShowWith: Format must be "png" or "svg", received "gif"
}

func ExampleRender() {
	p := dl.Must(chart.Histogram([]float64{1, 2, 2, 3}, 3, chart.HistogramOptions{}))
	size(chart.Render(p, chart.ShowOptions{}))
	size(chart.Render(p, chart.ShowOptions{DPI: 72, Colors: 256}))
	svg, err := chart.Render(p, chart.ShowOptions{Format: "svg"})
	fmt.Println(bytes.Contains(svg, []byte("<svg")), err)
	// Output:
	// PNG 576×384
	// PNG 432×288
	// true <nil>
}

func ExampleFigure_ShowWith() {
	h := &dl.History{History: map[string][]float64{"loss": {0.9, 0.5, 0.3}}}
	f := dl.Must(chart.Grid(1, 2, dl.Must(chart.History(h)), dl.Must(chart.History(h))))
	// A grid of many plots, in a notebook at a fraction of the bytes.
	fmt.Println(f.ShowWith(chart.ShowOptions{DPI: 72, Colors: 256}))
	size(f.Render(chart.ShowOptions{DPI: 72}))
	// Output:
	// <nil>
	// PNG 648×216
}

func ExampleTextHandler() {
	// Importing chart makes plots of gonum/plot draw Hangul too.
	p := plot.New()
	p.Title.Text = "직접 만든 그림"
	_, ok := p.Title.TextStyle.Handler.(chart.TextHandler)
	fmt.Println(ok)
	// Output:
	// true
}
