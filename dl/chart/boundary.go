package chart

import (
	"fmt"
	"image/color"
	"math"

	"github.com/dlgo/dlgo/dl"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// BoundaryOptions are the settings of DecisionBoundary. The zero value
// gives the defaults below.
type BoundaryOptions struct {
	// Resolution is the number of grid points along each axis at which
	// predict is evaluated (default 100, at most 1000): predict sees one
	// batch of Resolution² rows.
	Resolution int
	// Margin is the fraction of the data's range added on each side of
	// the grid (default 0.1).
	Margin float64
	// Title is the plot title (default "Decision boundary").
	Title string
	// XLabel and YLabel label the axes, the two features (default "x1"
	// and "x2").
	XLabel, YLabel string
	// ClassNames name the classes in the legend, by class id (default
	// "class 0", "class 1", ...).
	ClassNames []string
}

// Predictor returns m's Predict with a large batch and no progress bar,
// the form DecisionBoundary calls.
func Predictor(m Model) func(x *dl.Tensor) (*dl.Tensor, error) {
	return func(x *dl.Tensor) (*dl.Tensor, error) {
		return m.Predict(x, dl.PredictOptions{BatchSize: 4096, Verbose: dl.Silent})
	}
}

// DecisionBoundary plots what a classifier of two features predicts over
// the plane, with the samples on top, colored by class:
//
//	p, err := chart.DecisionBoundary(chart.Predictor(model), x, y, chart.BoundaryOptions{})
//
// x has shape (n, 2). y holds class ids 0, 1, 2, ... with shape (n,) or
// (n, 1), or one-hot rows with shape (n, k).
//
// predict receives a (Resolution², 2) grid of points. If it returns one
// value per point, shape (m,) or (m, 1), the value is read as the
// probability of class 1 (a sigmoid output): the background shades from
// class 0's color through white to class 1's, and a black line marks
// where it equals 0.5. If it returns k > 1 values per point (a softmax
// output), the background takes the color of the most probable class.
//
// It returns an error for shapes that do not fit, labels that are not
// class ids, an error from predict, and NaN or infinite predictions.
func DecisionBoundary(predict func(x *dl.Tensor) (*dl.Tensor, error), x, y *dl.Tensor, opts BoundaryOptions) (*plot.Plot, error) {
	const fn = "DecisionBoundary"
	if predict == nil {
		return nil, errorf(fn, "predict is nil; pass chart.Predictor(model)")
	}
	if x == nil || y == nil {
		return nil, errorf(fn, "x and y must not be nil")
	}
	if x.Rank() != 2 || x.Shape()[1] != 2 {
		return nil, errorf(fn, "x must have shape (n, 2), two features per sample; received shape %v", x.Shape())
	}
	n := x.Shape()[0]
	if n == 0 {
		return nil, errorf(fn, "x has no samples")
	}
	classes, err := classIDs(fn, y, n)
	if err != nil {
		return nil, err
	}
	if err := checkFinite(fn, "x", x.Data()); err != nil {
		return nil, err
	}
	res := opts.Resolution
	switch {
	case res == 0:
		res = 100
	case res < 2 || res > 1000:
		return nil, errorf(fn, "Resolution must be between 2 and 1000, received %d", res)
	}
	margin := opts.Margin
	if margin == 0 {
		margin = 0.1
	}
	if margin < 0 || math.IsNaN(margin) || math.IsInf(margin, 0) {
		return nil, errorf(fn, "Margin must not be negative, received %v", margin)
	}

	// The grid: xs along the first feature, ys along the second.
	col := func(j int) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = x.At(i, j)
		}
		return v
	}
	f1, f2 := col(0), col(1)
	g := &grid{xs: span(f1, margin, res), ys: span(f2, margin, res)}
	in := dl.Zeros(res*res, 2)
	for r, yv := range g.ys {
		for c, xv := range g.xs {
			in.Set(xv, r*res+c, 0)
			in.Set(yv, r*res+c, 1)
		}
	}
	out, err := predict(in)
	if err != nil {
		return nil, errorf(fn, "predict: %v", err)
	}
	if out == nil || out.Rank() == 0 || out.Shape()[0] != res*res || out.Rank() > 2 {
		shape := "nil"
		if out != nil {
			shape = fmt.Sprint(out.Shape())
		}
		return nil, errorf(fn, "predict must return shape (%d,), (%d, 1) or (%d, k) for a (%d, 2) input, returned %s", res*res, res*res, res*res, res*res, shape)
	}
	if err := checkFinite(fn, "predict's output", out.Data()); err != nil {
		return nil, err
	}
	k := 1
	if out.Rank() == 2 {
		k = out.Shape()[1]
	}

	p := newPlot(or(opts.Title, "Decision boundary"), or(opts.XLabel, "x1"), or(opts.YLabel, "x2"))
	p.X.Padding, p.Y.Padding = 0, 0
	var legendLine *plotter.Line
	if k == 1 {
		g.z = out.Data()
		h := plotter.NewHeatMap(g, diverging(lighten(colorAt(0), 0.55), lighten(colorAt(1), 0.55), 101))
		h.Min, h.Max = math.Min(0, minOf(g.z)), math.Max(1, maxOf(g.z))
		h.Rasterized = true
		p.Add(h)
		if minOf(g.z) < 0.5 && maxOf(g.z) > 0.5 {
			ct := plotter.NewContour(g, []float64{0.5}, nil)
			ct.LineStyles = []draw.LineStyle{{Color: color.Black, Width: vg.Points(1.5)}}
			p.Add(ct)
			legendLine = &plotter.Line{LineStyle: ct.LineStyles[0]}
		}
	} else {
		g.z = make([]float64, res*res)
		for i := range g.z {
			best := 0
			for j := 1; j < k; j++ {
				if out.At(i, j) > out.At(i, best) {
					best = j
				}
			}
			g.z[i] = float64(best)
		}
		pal := make(palette, k)
		for i := range pal {
			pal[i] = lighten(colorAt(i), 0.55)
		}
		h := plotter.NewHeatMap(g, pal)
		h.Min, h.Max = 0, float64(k-1)
		h.Rasterized = true
		p.Add(h)
	}

	// The samples, class by class, each with a dark outline.
	byClass := map[int]plotter.XYs{}
	maxID := 0
	for i, c := range classes {
		byClass[c] = append(byClass[c], plotter.XY{X: f1[i], Y: f2[i]})
		maxID = max(maxID, c)
	}
	for c := 0; c <= maxID; c++ {
		pts, ok := byClass[c]
		if !ok {
			continue
		}
		fill, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, errorf(fn, "%v", err)
		}
		fill.GlyphStyle = draw.GlyphStyle{Color: colorAt(c), Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}
		ring, _ := plotter.NewScatter(pts)
		ring.GlyphStyle = draw.GlyphStyle{Color: color.Gray{Y: 0x30}, Radius: vg.Points(3.5), Shape: draw.RingGlyph{}}
		p.Add(fill, ring)
		name := fmt.Sprintf("class %d", c)
		if c < len(opts.ClassNames) {
			name = opts.ClassNames[c]
		}
		p.Legend.Add(name, fill, ring)
	}
	if legendLine != nil {
		p.Legend.Add("p = 0.5", legendLine)
	}
	return p, nil
}

// classIDs reads y as n class ids.
func classIDs(fn string, y *dl.Tensor, n int) ([]int, error) {
	shape := y.Shape()
	if len(shape) == 0 || len(shape) > 2 || shape[0] != n {
		return nil, errorf(fn, "y must have shape (%d,), (%d, 1) or (%d, k) one-hot, to match x; received shape %v", n, n, n, shape)
	}
	if err := checkFinite(fn, "y", y.Data()); err != nil {
		return nil, err
	}
	ids := make([]int, n)
	if len(shape) == 2 && shape[1] > 1 {
		for i := range ids {
			for j := 1; j < shape[1]; j++ {
				if y.At(i, j) > y.At(i, ids[i]) {
					ids[i] = j
				}
			}
		}
		return ids, nil
	}
	for i, v := range y.Data() {
		if v < 0 || v != math.Trunc(v) || v > 1000 {
			return nil, errorf(fn, "y[%d] is %v; labels must be class ids 0, 1, 2, ...", i, v)
		}
		ids[i] = int(v)
	}
	return ids, nil
}

// span returns res evenly spaced values covering v widened by margin of
// its range on each side.
func span(v []float64, margin float64, res int) []float64 {
	lo, hi := minOf(v), maxOf(v)
	d := hi - lo
	if d == 0 {
		d = 1
	}
	lo, hi = lo-margin*d, hi+margin*d
	out := make([]float64, res)
	for i := range out {
		out[i] = lo + (hi-lo)*float64(i)/float64(res-1)
	}
	return out
}

// grid is a plotter.GridXYZ with z stored row by row (row r at ys[r]).
type grid struct {
	xs, ys []float64
	z      []float64
}

func (g *grid) Dims() (c, r int)   { return len(g.xs), len(g.ys) }
func (g *grid) Z(c, r int) float64 { return g.z[r*len(g.xs)+c] }
func (g *grid) X(c int) float64    { return g.xs[c] }
func (g *grid) Y(r int) float64    { return g.ys[r] }
func (g *grid) Min() float64       { return minOf(g.z) }
func (g *grid) Max() float64       { return maxOf(g.z) }

// palette is a fixed list of colors (a gonum palette.Palette).
type palette []color.Color

// Colors implements palette.Palette.
func (p palette) Colors() []color.Color { return p }

// lighten mixes c with white: t = 0 keeps c, t = 1 gives white.
func lighten(c color.Color, t float64) color.Color {
	r, g, b, _ := c.RGBA()
	mix := func(v uint32) uint8 { return uint8(math.Round(float64(v>>8) + (255-float64(v>>8))*t)) }
	return color.RGBA{R: mix(r), G: mix(g), B: mix(b), A: 0xff}
}

// diverging returns n colors from lo through white to hi.
func diverging(lo, hi color.Color, n int) palette {
	out := make(palette, n)
	for i := range out {
		t := float64(i)/float64(n-1)*2 - 1 // -1 .. 1
		if t < 0 {
			out[i] = lighten(lo, 1+t)
		} else {
			out[i] = lighten(hi, 1-t)
		}
	}
	return out
}
