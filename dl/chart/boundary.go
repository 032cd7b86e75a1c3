package chart

import (
	"fmt"
	"image"
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
	// BoundaryLabel names the line where the probability of class 1 is
	// 0.5 in the legend (default "p = 0.5").
	BoundaryLabel string
	// Shades is the number of bands the probability of class 1 is shaded
	// in, from class 0's color through white to class 1's (default 11:
	// an odd count, so the band around p = 0.5 is white). More bands shade
	// more smoothly but make a larger PNG image; 2 gives each side of the
	// boundary one flat color. With
	// k > 1 classes the background takes each class's color, flat.
	Shades int
	// Marked, when not nil, has one entry per sample: the samples marked
	// true get a black cross on top, and the legend an entry for them
	// when there are any, e.g. for the training points whose class label
	// noise flipped (Marked[i] = yNoisy[i] != yClean[i]).
	Marked []bool
	// MarkedLabel names the marked samples in the legend (default "label
	// flipped by noise").
	MarkedLabel string
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
// class 0's color through white to class 1's in Shades flat bands, and a
// black line marks where it equals 0.5. If it returns k > 1 values per
// point (a softmax output), the background takes the color of the most
// probable class. Between the grid points the background follows
// predict's output bilinearly, pixel by pixel, so that the bands and
// class borders have smooth edges; their few flat colors keep a PNG
// image small.
//
// Marked crosses out samples, e.g. those whose label noise flipped:
//
//	p, err := chart.DecisionBoundary(chart.Predictor(model), x, yNoisy, chart.BoundaryOptions{Marked: flipped})
//
// It returns an error for shapes that do not fit, labels that are not
// class ids, an error from predict, NaN or infinite predictions, Shades
// or Resolution out of range, and Marked of the wrong length.
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
	if opts.Marked != nil && len(opts.Marked) != n {
		return nil, errorf(fn, "Marked has %d entries for %d samples", len(opts.Marked), n)
	}
	res := opts.Resolution
	switch {
	case res == 0:
		res = 100
	case res < 2 || res > 1000:
		return nil, errorf(fn, "Resolution must be between 2 and 1000, received %d", res)
	}
	shades := opts.Shades
	switch {
	case shades == 0:
		shades = 11
	case shades < 2 || shades > 200:
		return nil, errorf(fn, "Shades must be between 2 and 200, received %d", shades)
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
	bg := &field{xs: g.xs, ys: g.ys, k: k, z: out.Data()}
	var legendLine *plotter.Line
	if k == 1 {
		g.z = out.Data()
		bg.colors = diverging(lighten(colorAt(0), 0.55), lighten(colorAt(1), 0.55), shades)
		p.Add(bg)
		if minOf(g.z) < 0.5 && maxOf(g.z) > 0.5 {
			ct := plotter.NewContour(g, []float64{0.5}, nil)
			ct.LineStyles = []draw.LineStyle{{Color: color.Black, Width: vg.Points(1.5)}}
			p.Add(ct)
			legendLine = &plotter.Line{LineStyle: ct.LineStyles[0]}
		}
	} else {
		bg.colors = make(palette, min(k, 256))
		for i := range bg.colors {
			bg.colors[i] = lighten(colorAt(i), 0.55)
		}
		p.Add(bg)
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
	if opts.Marked != nil {
		pts := plotter.XYs{}
		for i, m := range opts.Marked {
			if m {
				pts = append(pts, plotter.XY{X: f1[i], Y: f2[i]})
			}
		}
		sc := &plotter.Scatter{XYs: pts, GlyphStyle: draw.GlyphStyle{Color: color.Black, Radius: vg.Points(3.5), Shape: cross{width: vg.Points(1.5)}}}
		p.Add(sc)
		ring := &plotter.Scatter{GlyphStyle: draw.GlyphStyle{Color: color.Gray{Y: 0x30}, Radius: vg.Points(3.5), Shape: draw.RingGlyph{}}}
		if len(pts) > 0 {
			p.Legend.Add(or(opts.MarkedLabel, "label flipped by noise"), ring, sc)
		}
	}
	if legendLine != nil {
		p.Legend.Add(or(opts.BoundaryLabel, "p = 0.5"), legendLine)
	}
	p.Add(legendBackdrop{})
	return p, nil
}

// legendBackdrop is a plotter, added last, that paints a translucent white
// box where the legend will be drawn, so the legend stays readable over the
// points of a small tile.
type legendBackdrop struct{}

// Plot implements plot.Plotter.
func (legendBackdrop) Plot(c draw.Canvas, p *plot.Plot) {
	size := p.Legend.Rectangle(c).Size()
	pad := vg.Points(3)
	x, y := c.Max.X-size.X-2*pad+p.Legend.XOffs, c.Max.Y-size.Y-2*pad+p.Legend.YOffs
	if p.Legend.Left {
		x = c.Min.X + p.Legend.XOffs
	}
	if !p.Legend.Top {
		y = c.Min.Y + p.Legend.YOffs
	}
	box := vg.Rectangle{Min: vg.Point{X: x, Y: y}, Max: vg.Point{X: x + size.X + 2*pad, Y: y + size.Y + 2*pad}}
	c.SetColor(color.NRGBA{R: 255, G: 255, B: 255, A: 200})
	c.Fill(box.Path())
}

// cross is a glyph: a diagonal cross of the given line width.
type cross struct{ width vg.Length }

// DrawGlyph implements draw.GlyphDrawer.
func (g cross) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius * 0.85
	ls := draw.LineStyle{Color: sty.Color, Width: g.width}
	c.StrokeLine2(ls, pt.X-r, pt.Y-r, pt.X+r, pt.Y+r)
	c.StrokeLine2(ls, pt.X-r, pt.Y+r, pt.X+r, pt.Y-r)
}

// field is the background of DecisionBoundary: predict's output on a
// grid, drawn as an image with one pixel per pixel of the data area
// (bilinear between the grid points) in a few flat colors, which a PNG
// encodes in a fraction of the bytes of smooth shading.
type field struct {
	xs, ys []float64 // the grid, ascending
	k      int       // values per grid point: 1, the probability of class 1, or k classes
	z      []float64 // row r (at ys[r]), column c, class j at (r*len(xs)+c)*k+j
	colors palette   // k = 1: the bands from p = 0 to 1; else one per class, cycling past 256
}

// Plot implements plot.Plotter.
func (f *field) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	nx, ny := len(f.xs), len(f.ys)
	x0, x1 := trX(f.xs[0]), trX(f.xs[nx-1])
	y0, y1 := trY(f.ys[0]), trY(f.ys[ny-1])
	rect := vg.Rectangle{
		Min: vg.Point{X: max(x0, c.Min.X), Y: max(y0, c.Min.Y)},
		Max: vg.Point{X: min(x1, c.Max.X), Y: min(y1, c.Max.Y)},
	}
	if !(rect.Max.X > rect.Min.X && rect.Max.Y > rect.Min.Y && x1 > x0 && y1 > y0) {
		return
	}
	dpi := float64(defaultDPI)
	if d, ok := unwrap(c.Canvas).(interface{ DPI() float64 }); ok {
		dpi = d.DPI()
	}
	w := max(1, int(math.Round(rect.Size().X.Dots(dpi))))
	h := max(1, int(math.Round(rect.Size().Y.Dots(dpi))))
	img := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette(f.colors))
	probs := make([]float64, f.k)
	for py := range h {
		// Grid row coordinate of the pixel's center; image rows run down.
		y := rect.Max.Y - (vg.Length(py)+0.5)*rect.Size().Y/vg.Length(h)
		gy := float64((y-y0)/(y1-y0)) * float64(ny-1)
		r0 := min(max(int(gy), 0), ny-2)
		ty := min(max(gy-float64(r0), 0), 1)
		for px := range w {
			x := rect.Min.X + (vg.Length(px)+0.5)*rect.Size().X/vg.Length(w)
			gx := float64((x-x0)/(x1-x0)) * float64(nx-1)
			c0 := min(max(int(gx), 0), nx-2)
			tx := min(max(gx-float64(c0), 0), 1)
			for j := range probs {
				at := func(r, c int) float64 { return f.z[(r*nx+c)*f.k+j] }
				probs[j] = (1-ty)*((1-tx)*at(r0, c0)+tx*at(r0, c0+1)) + ty*((1-tx)*at(r0+1, c0)+tx*at(r0+1, c0+1))
			}
			var i int
			if f.k == 1 {
				i = min(max(int(probs[0]*float64(len(f.colors))), 0), len(f.colors)-1)
			} else {
				for j := 1; j < f.k; j++ {
					if probs[j] > probs[i] {
						i = j
					}
				}
				i %= len(f.colors)
			}
			img.Pix[py*img.Stride+px] = uint8(i)
		}
	}
	c.DrawImage(rect, img)
}

// DataRange implements plot.DataRanger: the grid.
func (f *field) DataRange() (xmin, xmax, ymin, ymax float64) {
	return f.xs[0], f.xs[len(f.xs)-1], f.ys[0], f.ys[len(f.ys)-1]
}

// unwrap returns the canvas under any draw.Canvas wrappers.
func unwrap(c vg.Canvas) vg.Canvas {
	for {
		switch cc := c.(type) {
		case *draw.Canvas:
			c = cc.Canvas
		case draw.Canvas:
			c = cc.Canvas
		default:
			return c
		}
	}
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

// darken mixes c with black: t = 0 keeps c, t = 1 gives black.
func darken(c color.Color, t float64) color.Color {
	r, g, b, _ := c.RGBA()
	mix := func(v uint32) uint8 { return uint8(math.Round(float64(v>>8) * (1 - t))) }
	return color.RGBA{R: mix(r), G: mix(g), B: mix(b), A: 0xff}
}

// diverging returns n colors from lo through white to hi: those of the
// middles of n equal bands from 0 to 1.
func diverging(lo, hi color.Color, n int) palette {
	out := make(palette, n)
	for i := range out {
		t := (float64(i)+0.5)/float64(n)*2 - 1 // -1 .. 1
		if t < 0 {
			out[i] = lighten(lo, 1+t)
		} else {
			out[i] = lighten(hi, 1-t)
		}
	}
	return out
}
