package chart

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"
)

// Named is a named list of values: one line of a Comparison, one set of a
// Histograms plot.
type Named struct {
	// Name appears in the legend.
	Name string
	// Values are the data.
	Values []float64
}

// ComparisonOptions are the settings of Comparison. The zero value gives
// the defaults below.
type ComparisonOptions struct {
	// Title is the plot title (default none).
	Title string
	// XLabel and YLabel label the axes (default "model size" and "value").
	XLabel, YLabel string
	// XTicks, when not nil, label the points on the x axis, one label per
	// x value, e.g. the parameter counts or the names of the models.
	XTicks []string
	// LogX draws the x axis on a logarithmic scale, for sizes that grow
	// by factors. Every x must then be positive.
	LogX bool
}

// Comparison plots several runs side by side: each series against xs,
// as lines through marked points, in the order given, e.g. the training
// and validation error of models of growing size:
//
//	sizes := []float64{65, 321, 1281}
//	p, err := chart.Comparison(sizes, []chart.Named{
//		{Name: "train", Values: trainMAE},
//		{Name: "validation", Values: valMAE},
//	}, chart.ComparisonOptions{XLabel: "parameters", YLabel: "MAE", LogX: true})
//
// It returns an error when xs or series is empty, when a series has not
// one value per x, for NaN or infinite values, when XTicks has the wrong
// length, and for LogX with an x that is not positive.
func Comparison(xs []float64, series []Named, opts ComparisonOptions) (*plot.Plot, error) {
	const fn = "Comparison"
	if len(xs) == 0 {
		return nil, errorf(fn, "xs is empty")
	}
	if len(series) == 0 {
		return nil, errorf(fn, "no series to plot")
	}
	if err := checkFinite(fn, "xs", xs); err != nil {
		return nil, err
	}
	for _, s := range series {
		if len(s.Values) != len(xs) {
			return nil, errorf(fn, "series %q has %d values for %d x values", s.Name, len(s.Values), len(xs))
		}
		if err := checkFinite(fn, s.Name, s.Values); err != nil {
			return nil, err
		}
	}
	if opts.XTicks != nil && len(opts.XTicks) != len(xs) {
		return nil, errorf(fn, "XTicks has %d labels for %d x values", len(opts.XTicks), len(xs))
	}
	if opts.LogX {
		for i, x := range xs {
			if x <= 0 {
				return nil, errorf(fn, "LogX needs positive x values, xs[%d] is %v", i, x)
			}
		}
	}

	p := newPlot(opts.Title, or(opts.XLabel, "model size"), or(opts.YLabel, "value"))
	if opts.LogX {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = logTicks{}
	}
	if opts.XTicks != nil {
		ticks := make(plot.ConstantTicks, len(xs))
		for i, x := range xs {
			ticks[i] = plot.Tick{Value: x, Label: opts.XTicks[i]}
		}
		p.X.Tick.Marker = ticks
	}
	addGrid(p)
	for i, s := range series {
		pts := xys(xs, s.Values)
		l, err := newLine(pts, colorAt(i), false)
		if err != nil {
			return nil, errorf(fn, "%v", err)
		}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, errorf(fn, "%v", err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: colorAt(i), Radius: glyphSize * 1.2, Shape: glyphs[i%len(glyphs)]}
		p.Add(l, sc)
		p.Legend.Add(or(s.Name, "series"), l, sc)
	}
	return p, nil
}
