package chart

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"
)

// SeriesOptions are the settings of Series. The zero value gives the
// defaults below.
type SeriesOptions struct {
	// X holds the x value of each point (default 0, 1, 2, ...). With
	// integer values, such as week numbers, the ticks stay whole numbers.
	X []float64
	// Title is the plot title (default "Actual and predicted").
	Title string
	// XLabel and YLabel label the axes (default "index" and "value").
	XLabel, YLabel string
	// ActualLabel and PredictedLabel name the two lines in the legend
	// (default "actual" and "predicted").
	ActualLabel, PredictedLabel string
}

// Series plots a time series and its prediction as two lines over the
// index, the actual values solid and the predicted ones dashed
// (matplotlib: plt.plot(y_test); plt.plot(pred)):
//
//	pred, err := model.Predict(xTest, dl.PredictOptions{})
//	p, err := chart.Series(yTest.Data(), pred.Data(), chart.SeriesOptions{XLabel: "week", YLabel: "°C"})
//
// predicted may be nil to plot actual alone. It returns an error for
// empty or mismatched inputs and for NaN or infinite values.
func Series(actual, predicted []float64, opts SeriesOptions) (*plot.Plot, error) {
	const fn = "Series"
	if len(actual) == 0 {
		return nil, errorf(fn, "actual is empty")
	}
	if predicted != nil && len(predicted) != len(actual) {
		return nil, errorf(fn, "actual has %d values but predicted has %d", len(actual), len(predicted))
	}
	x := opts.X
	if x == nil {
		x = index(len(actual), 0)
	} else if len(x) != len(actual) {
		return nil, errorf(fn, "X has %d values but actual has %d", len(x), len(actual))
	}
	for _, c := range []struct {
		name string
		v    []float64
	}{{"X", x}, {"actual", actual}, {"predicted", predicted}} {
		if err := checkFinite(fn, c.name, c.v); err != nil {
			return nil, err
		}
	}

	p := newPlot(or(opts.Title, "Actual and predicted"), or(opts.XLabel, "index"), or(opts.YLabel, "value"))
	if whole(x) {
		p.X.Tick.Marker = niceTicks{integer: true}
	}
	addGrid(p)
	l, err := newLine(xys(x, actual), colorAt(0), false)
	if err != nil {
		return nil, errorf(fn, "%v", err)
	}
	p.Add(l)
	p.Legend.Add(or(opts.ActualLabel, "actual"), l)
	if predicted != nil {
		l, err := newLine(xys(x, predicted), colorAt(1), true)
		if err != nil {
			return nil, errorf(fn, "%v", err)
		}
		p.Add(l)
		p.Legend.Add(or(opts.PredictedLabel, "predicted"), l)
	}
	return p, nil
}

// whole reports whether every value is a whole number.
func whole(v []float64) bool {
	for _, x := range v {
		if x != math.Trunc(x) {
			return false
		}
	}
	return true
}

// ScatterOptions are the settings of Scatter. The zero value draws the
// points alone.
type ScatterOptions struct {
	// Title is the plot title (default none).
	Title string
	// XLabel and YLabel label the axes (default "x" and "y"; for a model's
	// predictions, "actual" and "predicted").
	XLabel, YLabel string
	// Diagonal draws the line y = x and gives both axes the same range,
	// so that perfect predictions lie on the line.
	Diagonal bool
	// Fit draws the least-squares line y = a + b·x, with its equation and
	// R² in the legend.
	Fit bool
	// DiagonalLabel names the diagonal in the legend (default "y = x").
	DiagonalLabel string
	// FitLabel is the word before the fitted line's equation in the
	// legend (default "fit", giving "fit: y = a + b·x (R² = r)").
	FitLabel string
}

// Scatter plots the points (x[i], y[i]). For a regression model, x is
// the actual target and y the prediction, with Diagonal set:
//
//	p, err := chart.Scatter(yTest.Data(), pred.Data(), chart.ScatterOptions{
//		XLabel: "actual", YLabel: "predicted", Diagonal: true, Fit: true})
//
// It returns an error for empty or mismatched inputs, NaN or infinite
// values, and for Fit when all x are equal.
func Scatter(x, y []float64, opts ScatterOptions) (*plot.Plot, error) {
	const fn = "Scatter"
	if len(x) == 0 {
		return nil, errorf(fn, "x is empty")
	}
	if len(y) != len(x) {
		return nil, errorf(fn, "x has %d values but y has %d", len(x), len(y))
	}
	if err := checkFinite(fn, "x", x); err != nil {
		return nil, err
	}
	if err := checkFinite(fn, "y", y); err != nil {
		return nil, err
	}

	p := newPlot(opts.Title, or(opts.XLabel, "x"), or(opts.YLabel, "y"))
	p.Legend.Left = true
	addGrid(p)
	s, err := plotter.NewScatter(xys(x, y))
	if err != nil {
		return nil, errorf(fn, "%v", err)
	}
	s.GlyphStyle = draw.GlyphStyle{Color: withAlpha(colorAt(0), 0xb0), Radius: glyphSize, Shape: draw.CircleGlyph{}}
	p.Add(s)

	lo, hi := math.Min(minOf(x), minOf(y)), math.Max(maxOf(x), maxOf(y))
	if opts.Diagonal {
		if lo == hi {
			lo, hi = lo-1, hi+1
		}
		l, err := newLine(plotter.XYs{{X: lo, Y: lo}, {X: hi, Y: hi}}, textColor, true)
		if err != nil {
			return nil, errorf(fn, "%v", err)
		}
		l.Width = lineWidth * 0.75
		p.Add(l)
		p.Legend.Add(or(opts.DiagonalLabel, "y = x"), l)
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = lo, hi, lo, hi
	}
	if opts.Fit {
		if minOf(x) == maxOf(x) {
			return nil, errorf(fn, "Fit needs at least two different x values")
		}
		a, b := stat.LinearRegression(x, y, nil, false)
		r2 := stat.RSquared(x, y, nil, a, b)
		x0, x1 := minOf(x), maxOf(x)
		l, err := newLine(plotter.XYs{{X: x0, Y: a + b*x0}, {X: x1, Y: a + b*x1}}, colorAt(3), false)
		if err != nil {
			return nil, errorf(fn, "%v", err)
		}
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("%s: y = %.3g + %.3g·x (R² = %.3f)", or(opts.FitLabel, "fit"), a, b, r2), l)
	}
	return p, nil
}

// withAlpha returns the opaque color c with alpha a.
func withAlpha(c color.Color, a uint8) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: a}
}

func minOf(v []float64) float64 {
	m := math.Inf(1)
	for _, x := range v {
		m = math.Min(m, x)
	}
	return m
}

func maxOf(v []float64) float64 {
	m := math.Inf(-1)
	for _, x := range v {
		m = math.Max(m, x)
	}
	return m
}
