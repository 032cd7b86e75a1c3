package chart

import (
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
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
	// x value, e.g. the parameter counts, the names of the models or the
	// seeds. With xs nil they also place the points, at 0, 1, 2, ...
	XTicks []string
	// LogX draws the x axis on a logarithmic scale, for sizes that grow
	// by factors. Every x must then be positive.
	LogX bool
	// Style is how the series are drawn:
	//
	//   - "lines" (the default): lines through marked points, for x values
	//     in an order, such as model sizes or learning rates;
	//   - "dots": the marked points alone, for unordered categories, such
	//     as the seeds of repeated runs, where a line between neighbours
	//     would suggest a trend that is not there;
	//   - "bars": a bar from 0 to each value, the series side by side at
	//     each x, also for categories (not with LogX).
	//
	// Dots and bars leave room above the data for the legend, and dots
	// half a step beside the outer ones.
	Style string
}

// The styles of a Comparison.
const (
	StyleLines = "lines"
	StyleDots  = "dots"
	StyleBars  = "bars"
)

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
// Runs that differ by a category, e.g. the random seed, are drawn as
// dots or bars instead; xs may then be nil, which stands the values at
// 0, 1, 2, ... under the XTicks labels:
//
//	p, err := chart.Comparison(nil, []chart.Named{{Name: "test accuracy", Values: acc}},
//		chart.ComparisonOptions{XTicks: []string{"1", "2", "3", "4", "5"}, XLabel: "seed", Style: chart.StyleDots})
//
// It returns an error when xs (without XTicks) or series is empty, when a
// series has not one value per x, for NaN or infinite values, when XTicks
// has the wrong length, for LogX with an x that is not positive, and for
// an unknown Style or bars on a LogX axis.
func Comparison(xs []float64, series []Named, opts ComparisonOptions) (*plot.Plot, error) {
	const fn = "Comparison"
	if xs == nil && len(opts.XTicks) > 0 {
		xs = index(len(opts.XTicks), 0)
	}
	if len(xs) == 0 {
		return nil, errorf(fn, "xs is empty")
	}
	if len(series) == 0 {
		return nil, errorf(fn, "no series to plot")
	}
	style := or(opts.Style, StyleLines)
	switch style {
	case StyleLines, StyleDots:
	case StyleBars:
		if opts.LogX {
			return nil, errorf(fn, "Style %q needs a linear x axis; leave LogX unset", style)
		}
	default:
		return nil, errorf(fn, "Style must be %q, %q or %q, received %q", StyleLines, StyleDots, StyleBars, opts.Style)
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
	group := barGroupWidth(xs)
	for i, s := range series {
		name := or(s.Name, "series")
		pts := xys(xs, s.Values)
		if style == StyleBars {
			b := &bars{xys: pts, color: colorAt(i), width: group / float64(len(series))}
			b.offset = -group/2 + (float64(i)+0.5)*b.width
			p.Add(b)
			p.Legend.Add(name, b)
			continue
		}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, errorf(fn, "%v", err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: colorAt(i), Radius: glyphSize * 1.2, Shape: glyphs[i%len(glyphs)]}
		if style == StyleDots {
			sc.GlyphStyle.Radius = glyphSize * 1.4
			p.Add(sc)
			p.Legend.Add(name, sc)
			continue
		}
		l, err := newLine(pts, colorAt(i), false)
		if err != nil {
			return nil, errorf(fn, "%v", err)
		}
		p.Add(l, sc)
		p.Legend.Add(name, l, sc)
	}
	if style != StyleLines && p.Y.Max > p.Y.Min {
		// Room above the dots or bars for the legend, a tenth of the
		// height per entry.
		p.Y.Max += 0.1 * float64(len(series)) * (p.Y.Max - p.Y.Min)
	}
	if style == StyleDots {
		// Room for the outer dots: half a gap on each side.
		if opts.LogX {
			logs := make([]float64, len(xs))
			for i, x := range xs {
				logs[i] = math.Log(x)
			}
			pad := math.Exp(barGroupWidth(logs) / 0.8 / 2)
			p.X.Min, p.X.Max = p.X.Min/pad, p.X.Max*pad
		} else {
			pad := barGroupWidth(xs) / 0.8 / 2
			p.X.Min, p.X.Max = p.X.Min-pad, p.X.Max+pad
		}
	}
	return p, nil
}

// barGroupWidth returns the width, in x units, of the bars at one x
// together: 0.8 of the smallest gap between two x values.
func barGroupWidth(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	gap := math.Inf(1)
	for i := 1; i < len(s); i++ {
		if d := s[i] - s[i-1]; d > 0 {
			gap = min(gap, d)
		}
	}
	if math.IsInf(gap, 1) {
		gap = 1
	}
	return 0.8 * gap
}

// bars draws one series of a Comparison as bars from 0, shifted by
// offset along x from each x value.
type bars struct {
	xys           plotter.XYs
	color         color.Color
	width, offset float64 // in x units
}

// Plot implements plot.Plotter.
func (b *bars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	edge := draw.LineStyle{Color: darken(b.color, 0.25), Width: vg.Points(0.75)}
	for _, pt := range b.xys {
		x0, x1 := trX(pt.X+b.offset-b.width/2), trX(pt.X+b.offset+b.width/2)
		y0, y1 := trY(0), trY(pt.Y)
		poly := c.ClipPolygonXY([]vg.Point{{X: x0, Y: y0}, {X: x0, Y: y1}, {X: x1, Y: y1}, {X: x1, Y: y0}})
		c.FillPolygon(b.color, poly)
		if len(poly) > 0 {
			c.StrokeLines(edge, c.ClipLinesXY(append(poly, poly[0]))...)
		}
	}
}

// DataRange implements plot.DataRanger: the bars and 0.
func (b *bars) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax, ymin, ymax = math.Inf(1), math.Inf(-1), 0, 0
	for _, pt := range b.xys {
		xmin = min(xmin, pt.X+b.offset-b.width/2)
		xmax = max(xmax, pt.X+b.offset+b.width/2)
		ymin, ymax = min(ymin, pt.Y), max(ymax, pt.Y)
	}
	return xmin, xmax, ymin, ymax
}

// Thumbnail implements plot.Thumbnailer.
func (b *bars) Thumbnail(c *draw.Canvas) {
	pts := []vg.Point{
		{X: c.Min.X, Y: c.Min.Y}, {X: c.Min.X, Y: c.Max.Y},
		{X: c.Max.X, Y: c.Max.Y}, {X: c.Max.X, Y: c.Min.Y},
	}
	c.FillPolygon(b.color, pts)
}
