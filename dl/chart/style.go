package chart

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Colors is the palette that successive series take, in order: the ten
// colors of matplotlib's "tab10", so that a Go plot looks like the Python
// one beside it in a lecture. Series beyond the tenth start again.
var Colors = []color.Color{
	rgb(0x1f, 0x77, 0xb4), // blue
	rgb(0xff, 0x7f, 0x0e), // orange
	rgb(0x2c, 0xa0, 0x2c), // green
	rgb(0xd6, 0x27, 0x28), // red
	rgb(0x94, 0x67, 0xbd), // purple
	rgb(0x8c, 0x56, 0x4b), // brown
	rgb(0xe3, 0x77, 0xc2), // pink
	rgb(0x7f, 0x7f, 0x7f), // gray
	rgb(0xbc, 0xbd, 0x22), // olive
	rgb(0x17, 0xbe, 0xcf), // cyan
}

func rgb(r, g, b uint8) color.RGBA { return color.RGBA{R: r, G: g, B: b, A: 0xff} }

// colorAt returns the i-th series color.
func colorAt(i int) color.Color { return Colors[i%len(Colors)] }

// glyphs are the marker shapes that successive series take, so that the
// series stay apart when printed in gray.
var glyphs = []draw.GlyphDrawer{
	draw.CircleGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{},
	draw.RingGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{},
	draw.CrossGlyph{}, draw.PlusGlyph{},
}

const (
	lineWidth = vg.Length(1.75) // points
	glyphSize = vg.Length(3)    // points
)

var (
	gridColor = color.Gray{Y: 0xe0}
	textColor = color.Gray{Y: 0x20}
	dashes    = []vg.Length{vg.Points(5), vg.Points(3)}
)

// sans returns Liberation Sans (embedded in gonum/plot) at size points.
func sans(size vg.Length, bold bool) font.Font {
	f := font.Font{Typeface: "Liberation", Variant: "Sans", Size: size}
	if bold {
		f.Weight = xfont.WeightBold
	}
	return f
}

// newPlot returns a plot with the package's defaults: a sans-serif title,
// axis labels and tick labels, and the legend at the top right.
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.TextHandler = handler
	p.Title.TextStyle.Handler = handler
	p.Legend.TextStyle.Handler = handler
	p.Title.Text = title
	p.Title.TextStyle.Font = sans(13, true)
	p.Title.TextStyle.Color = textColor
	p.Title.Padding = vg.Points(8)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Handler = handler
		a.Tick.Label.Handler = handler
		a.Label.TextStyle.Font = sans(11, false)
		a.Label.TextStyle.Color = textColor
		a.Tick.Label.Font = sans(9.5, false)
		a.Tick.Label.Color = textColor
		a.Color = textColor
		a.Tick.Color = textColor
	}
	p.X.Tick.Marker = niceTicks{}
	p.Y.Tick.Marker = niceTicks{}
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.Legend.TextStyle.Font = sans(10, false)
	p.Legend.TextStyle.Color = textColor
	p.Legend.Top = true
	p.Legend.ThumbnailWidth = vg.Points(24)
	return p
}

// addGrid adds light grid lines under the data (call it before adding
// the data).
func addGrid(p *plot.Plot) {
	g := plotter.NewGrid()
	g.Vertical = draw.LineStyle{Color: gridColor, Width: vg.Points(0.75)}
	g.Horizontal = g.Vertical
	p.Add(g)
}

// or returns s, or def when s is empty.
func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// niceTicks labels about six round values (1, 2 or 5 times a power of
// ten apart) and puts an unlabelled tick between neighbours; with integer
// set it marks whole numbers only, for epochs, weeks and indices.
type niceTicks struct{ integer bool }

// Ticks implements plot.Ticker.
func (t niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return nil
	}
	raw := (hi - lo) / 6
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 5} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	if t.integer && step < 1 {
		step = 1
	}
	prec := max(0, int(-math.Floor(math.Log10(step)+1e-9)))
	var out []plot.Tick
	first := math.Ceil(lo/step - 1e-9)
	for k := first; k*step <= hi+step*1e-9; k++ {
		v := k * step
		if v == 0 {
			v = 0 // no "-0"
		}
		out = append(out, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', prec, 64)})
		if mid := v + step/2; mid <= hi && (!t.integer || mid == math.Trunc(mid)) {
			out = append(out, plot.Tick{Value: mid})
		}
	}
	if first*step-step/2 >= lo && (!t.integer || first*step-step/2 == math.Trunc(first*step-step/2)) {
		out = append(out, plot.Tick{Value: first*step - step/2})
	}
	return out
}

// logTicks labels the powers of ten on a logarithmic axis, and also 2 and
// 5 times them when the axis spans less than two powers of ten.
type logTicks struct{}

// Ticks implements plot.Ticker.
func (logTicks) Ticks(min, max float64) []plot.Tick {
	if !(min > 0 && max > min) || math.IsInf(max, 0) {
		return nil
	}
	lo, hi := math.Floor(math.Log10(min)), math.Ceil(math.Log10(max))
	labelled := []float64{1}
	if hi-lo <= 2 {
		labelled = []float64{1, 2, 5}
	}
	var out []plot.Tick
	for e := lo; e <= hi; e++ {
		p := math.Pow(10, e)
		for m := 1.0; m < 10; m++ {
			v := m * p
			if v < min*(1-1e-9) || v > max*(1+1e-9) {
				continue
			}
			tick := plot.Tick{Value: v}
			if slices.Contains(labelled, m) {
				tick.Label = strconv.FormatFloat(v, 'g', -1, 64)
			}
			out = append(out, tick)
		}
	}
	return out
}

// xys pairs xs and ys as plotter.XYs.
func xys(xs, ys []float64) plotter.XYs {
	out := make(plotter.XYs, len(ys))
	for i := range ys {
		out[i].X, out[i].Y = xs[i], ys[i]
	}
	return out
}

// index returns 0, 1, ..., n-1 as float64 (from is added to each).
func index(n int, from float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = from + float64(i)
	}
	return out
}

// checkFinite returns an error naming fn, what and the first index whose
// value is NaN or infinite.
func checkFinite(fn, what string, v []float64) error {
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return errorf(fn, "%s[%d] is %v; plots need finite values", what, i, x)
		}
	}
	return nil
}

// newLine returns a line of the given color, width and dashes.
func newLine(pts plotter.XYs, c color.Color, dashed bool) (*plotter.Line, error) {
	l, err := plotter.NewLine(pts)
	if err != nil {
		return nil, err
	}
	l.Color = c
	l.Width = lineWidth
	if dashed {
		l.Dashes = dashes
	}
	return l, nil
}

// errorf returns an error "chart: fn: message".
func errorf(fn, format string, args ...any) error {
	return fmt.Errorf("chart: "+fn+": "+format, args...)
}
