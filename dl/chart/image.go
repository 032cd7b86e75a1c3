package chart

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/dlgo/dlgo/dl"
)

// ImagesOptions are the settings of Images and Filters. The zero value
// draws the images in one row (up to 10 a row) without captions, on a
// gray scale over the range of all the images.
type ImagesOptions struct {
	// Title is the plot title (default: none).
	Title string
	// Cols is the number of images in a row (default: all of them, up
	// to 10).
	Cols int
	// Captions are written above the images, one per image, e.g. the
	// predicted label (nil: no captions). They may be Hangul.
	Captions []string
	// Highlight draws the captions of the images it marks true in red,
	// e.g. the wrong predictions (nil: none).
	Highlight []bool
	// Min and Max are the values drawn white and black (both 0: the
	// smallest and largest value of all the images, so that the images
	// share one scale; images of one value throughout are white). With
	// Diverging, Max alone sets the scale.
	Min, Max float64
	// Diverging draws negative values blue, 0 white and positive values
	// red, on a range symmetric around 0 (default: -Max to Max with Max
	// the largest absolute value of all the images), as convolution
	// filters are usually shown. Filters sets it.
	Diverging bool
}

// Images draws grayscale images side by side, each pixel a square cell,
// with an optional caption above each (matplotlib: plt.subplots with
// imshow(cmap="gray_r") and set_title per image). x holds the images,
// of shape (n, height, width) or (n, height, width, 1) as Conv2D takes
// them; low values are white and high values black, like ink on paper:
//
//	x, y := datasets.Digits()
//	p, err := chart.Images(x.Slice(0, 10), chart.ImagesOptions{Captions: labels})
//
// The plot has no axes. Pixels stay square at any image size, the grid
// centered in the plot. It returns an error when x has another shape,
// holds a NaN or an infinity, or when Captions or Highlight do not have
// one entry per image.
func Images(x *dl.Tensor, opts ImagesOptions) (*plot.Plot, error) {
	const fn = "Images"
	if x == nil {
		return nil, errorf(fn, "the images are nil")
	}
	shape := x.Shape()
	if !(len(shape) == 3 || len(shape) == 4 && shape[3] == 1) || shape[0] == 0 {
		return nil, errorf(fn, "the images must have shape (n, height, width) or (n, height, width, 1) with n > 0, got %s", dl.ShapeString(shape))
	}
	return images(fn, x.Data(), shape[0], shape[1], shape[2], opts)
}

// Filters draws the filters of a convolution layer as small images, one
// per filter, on a diverging scale (negative weights blue, positive red,
// 0 white): what patterns the layer looks for. kernel is the layer's
// kernel as Keras stores it, of shape (kh, kw, channels, filters) for
// Conv2D; for a Conv1D kernel, (k, channels, filters), each filter is a
// row of k cells. With more than one input channel each (channel,
// filter) pair is one image, filter by filter. The kernel of a
// Sequential model's first Conv2D layer is the first weight of
// GetWeights when that layer comes first:
//
//	p, err := chart.Filters(model.GetWeights()[0], chart.ImagesOptions{Title: "Conv2D filters"})
//
// Captions, when nil, number the filters from 0. It returns an error
// for a kernel of another rank, or one holding a NaN or an infinity.
func Filters(kernel *dl.Tensor, opts ImagesOptions) (*plot.Plot, error) {
	const fn = "Filters"
	if kernel == nil {
		return nil, errorf(fn, "the kernel is nil")
	}
	shape := kernel.Shape()
	if len(shape) == 3 {
		shape = []int{1, shape[0], shape[1], shape[2]}
	}
	if len(shape) != 4 || kernel.Size() == 0 {
		return nil, errorf(fn, "the kernel must have shape (kh, kw, channels, filters) or (k, channels, filters), got %s", dl.ShapeString(kernel.Shape()))
	}
	kh, kw, ch, nf := shape[0], shape[1], shape[2], shape[3]
	// (kh, kw, ch, nf) → one kh×kw image per (filter, channel)
	k := kernel.Data()
	data := make([]float64, 0, len(k))
	var captions []string
	for f := range nf {
		for c := range ch {
			for i := range kh * kw {
				data = append(data, k[(i*ch+c)*nf+f])
			}
			if ch == 1 {
				captions = append(captions, fmt.Sprint(f))
			} else {
				captions = append(captions, fmt.Sprintf("%d/%d", f, c))
			}
		}
	}
	if opts.Captions == nil {
		opts.Captions = captions
	}
	opts.Diverging = true
	return images(fn, data, nf*ch, kh, kw, opts)
}

// images checks the data and options and returns the plot of n images
// of h×w values each, stored one after another.
func images(fn string, data []float64, n, h, w int, opts ImagesOptions) (*plot.Plot, error) {
	for i, v := range data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, errorf(fn, "image %d holds %v at pixel %d; only finite values can be drawn", i/(h*w), v, i%(h*w))
		}
	}
	if opts.Captions != nil && len(opts.Captions) != n {
		return nil, errorf(fn, "%d images but %d captions", n, len(opts.Captions))
	}
	if opts.Highlight != nil && len(opts.Highlight) != n {
		return nil, errorf(fn, "%d images but %d Highlight values", n, len(opts.Highlight))
	}
	if opts.Cols < 0 {
		return nil, errorf(fn, "Cols is %d; it must be positive, or 0 for the default", opts.Cols)
	}
	lo, hi := opts.Min, opts.Max
	switch {
	case opts.Diverging && hi < 0:
		return nil, errorf(fn, "Max is %v; with Diverging it must be positive, or 0 for the default", hi)
	case opts.Diverging:
		if hi == 0 {
			for _, v := range data {
				hi = math.Max(hi, math.Abs(v))
			}
			if hi == 0 { // all zero: white, as matplotlib draws vmin == vmax
				hi = 1
			}
		}
		lo = -hi
	case lo == 0 && hi == 0:
		lo, hi = math.Inf(1), math.Inf(-1)
		for _, v := range data {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		if hi == lo { // one value everywhere: white, as matplotlib draws vmin == vmax
			hi = lo + 1
		}
	case !(hi > lo):
		return nil, errorf(fn, "Max (%v) must be larger than Min (%v)", hi, lo)
	}
	cols := opts.Cols
	if cols == 0 {
		cols = min(n, 10)
	}
	p := newPlot(opts.Title, "", "")
	p.HideAxes()
	p.Add(&imageGrid{data: data, n: n, h: h, w: w, cols: cols, lo: lo, hi: hi, diverging: opts.Diverging,
		captions: opts.Captions, highlight: opts.Highlight, handler: p.TextHandler})
	return p, nil
}

// imageGrid is the plotter of Images: it lays the images out in the data
// area when it is drawn, so that the pixels stay square whatever the
// size of the image.
type imageGrid struct {
	data          []float64
	n, h, w, cols int
	lo, hi        float64
	diverging     bool
	captions      []string
	highlight     []bool
	handler       text.Handler
}

var (
	highlightColor = rgb(0xd6, 0x27, 0x28) // Colors' red
	divergingLow   = rgb(0x21, 0x66, 0xac) // ColorBrewer RdBu's ends
	divergingHigh  = rgb(0xb2, 0x18, 0x2b)
)

// Plot implements plot.Plotter.
func (g *imageGrid) Plot(c draw.Canvas, _ *plot.Plot) {
	rows := (g.n + g.cols - 1) / g.cols
	style := text.Style{Font: sans(10, false), Color: textColor, XAlign: draw.XCenter, YAlign: draw.YBottom, Handler: g.handler}
	bold := style
	bold.Font = sans(10, true)
	// The captions take the height of the tallest one above every row, and
	// the images stand at least the widest one (and a little) apart.
	capH, capW := vg.Length(0), vg.Length(0)
	for i, s := range g.captions {
		st := style
		if g.highlight != nil && g.highlight[i] {
			st = bold
		}
		capH, capW = max(capH, st.Height(s)+vg.Points(3)), max(capW, st.Width(s)+vg.Points(4))
	}
	// One pixel is s by s; images are a third of an image width apart
	// (at least 2 pixels), rows also leave room for the captions.
	gapPx := math.Max(2, float64(g.w)/3)
	size := c.Max.Sub(c.Min)
	s := min(size.X/vg.Length(float64(g.cols*g.w)+float64(g.cols-1)*gapPx),
		(size.Y-vg.Length(rows)*capH)/vg.Length(float64(rows*g.h)+float64(rows-1)*gapPx))
	if g.cols > 1 && capW > s*vg.Length(float64(g.w)+gapPx) {
		// The captions set the pitch and the images get what is left, unless
		// that leaves them less than half their size: then captions that do
		// not fit overlap, rather than the images vanish.
		if left := (size.X - vg.Length(g.cols-1)*capW) / vg.Length(g.w); left >= s/2 {
			s = min(s, left)
		} else {
			capW = 0
		}
	}
	if s <= 0 {
		return
	}
	gap := s * vg.Length(gapPx)
	cellW, cellH := s*vg.Length(g.w), s*vg.Length(g.h)
	pitch := max(cellW+gap, capW)
	totalW := vg.Length(g.cols-1)*pitch + cellW
	totalH := vg.Length(rows)*(cellH+capH) + vg.Length(rows-1)*gap
	x0 := c.Min.X + (size.X-totalW)/2
	top := c.Max.Y - (size.Y-totalH)/2
	for i := range g.n {
		r, col := i/g.cols, i%g.cols
		left := x0 + vg.Length(col)*pitch
		imgTop := top - vg.Length(r)*(cellH+capH+gap) - capH
		img := g.data[i*g.h*g.w : (i+1)*g.h*g.w]
		for y := range g.h {
			for x := range g.w {
				px := vg.Point{X: left + vg.Length(x)*s, Y: imgTop - vg.Length(y+1)*s}
				// a hair wider than the cell, so that no seam shows between neighbours
				rect := vg.Rectangle{Min: px, Max: vg.Point{X: px.X + s + 0.05, Y: px.Y + s + 0.05}}
				c.SetColor(g.color(img[y*g.w+x]))
				c.Fill(rect.Path())
			}
		}
		frame := vg.Rectangle{Min: vg.Point{X: left, Y: imgTop - cellH}, Max: vg.Point{X: left + cellW, Y: imgTop}}
		c.SetLineStyle(draw.LineStyle{Color: gridColor, Width: vg.Points(0.5)})
		c.Stroke(frame.Path())
		if g.captions != nil {
			st := style
			if g.highlight != nil && g.highlight[i] {
				st = bold
				st.Color = highlightColor
			}
			c.FillText(st, vg.Point{X: left + cellW/2, Y: imgTop + vg.Points(2)}, g.captions[i])
		}
	}
}

// color maps a value to its color: white to black, or blue to white to
// red when diverging; values outside the range take the end colors.
func (g *imageGrid) color(v float64) color.Color {
	t := math.Min(1, math.Max(0, (v-g.lo)/(g.hi-g.lo)))
	if !g.diverging {
		y := uint8(math.Round(255 * (1 - t)))
		return color.RGBA{R: y, G: y, B: y, A: 0xff}
	}
	end, u := divergingHigh, 2*t-1
	if u < 0 {
		end, u = divergingLow, -u
	}
	mix := func(a uint8) uint8 { return uint8(math.Round(255 + (float64(a)-255)*u)) }
	return color.RGBA{R: mix(end.R), G: mix(end.G), B: mix(end.B), A: 0xff}
}

// DataRange implements plot.DataRanger: the grid lays itself out in
// whatever data area the plot gives it.
func (g *imageGrid) DataRange() (xmin, xmax, ymin, ymax float64) { return 0, 1, 0, 1 }
