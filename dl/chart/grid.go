package chart

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The default size of one tile of a Figure: 4.5 by 3 inches, so that a
// 2 by 2 grid makes an image of 864 by 576 pixels.
const (
	TileWidth  = 4.5 * vg.Inch
	TileHeight = 3 * vg.Inch
)

// Figure is several plots laid out in rows and columns and drawn as one
// image, with their data areas aligned. Grid makes one; its fields may be
// changed before it is drawn.
type Figure struct {
	// Rows and Cols are the number of rows and columns of tiles.
	Rows, Cols int
	// Plots holds the plots row by row; a nil plot leaves its tile empty,
	// and tiles past the end of Plots are empty.
	Plots []*plot.Plot
	// Width and Height are the size of the whole image (default
	// Cols·TileWidth by Rows·TileHeight).
	Width, Height vg.Length
	// SharedX gives plots one x range, so that their x axes read alike:
	// "col" the plots of each column, "row" those of each row, "all"
	// every plot (default "": each plot keeps its own). The shared range
	// spans the ranges of the plots that share it; it holds while the
	// figure is drawn, and the plots keep their own afterwards.
	SharedX string
	// SharedY is SharedX for the y axes: "row" gives the plots side by
	// side one y range, e.g. learning curves at several learning rates.
	SharedY string
}

// The values of Figure.SharedX and Figure.SharedY.
const (
	ShareRows = "row"
	ShareCols = "col"
	ShareAll  = "all"
)

// Grid lays plots out in rows and columns, row by row, as one Figure, for
// an "all at once" view:
//
//	f, err := chart.Grid(2, 2, lossPlot, boundaryPlot, cmPlot, weightsPlot)
//	f.Show()
//
// Plots side by side compare at a glance on the same axes (matplotlib:
// plt.subplots(1, 3, sharey="row")):
//
//	f, err := chart.Grid(1, 3, curves...)
//	f.SharedY = chart.ShareRows
//
// It returns an error when rows or cols is not positive, or when there
// are more plots than tiles.
func Grid(rows, cols int, plots ...*plot.Plot) (*Figure, error) {
	if rows <= 0 || cols <= 0 {
		return nil, errorf("Grid", "rows and cols must be positive, received %d and %d", rows, cols)
	}
	if len(plots) > rows*cols {
		return nil, errorf("Grid", "%d plots do not fit in %d×%d tiles", len(plots), rows, cols)
	}
	return &Figure{Rows: rows, Cols: cols, Plots: plots}, nil
}

// size returns the figure's size in effect.
func (f *Figure) size() (w, h vg.Length) {
	w, h = f.Width, f.Height
	if w == 0 {
		w = vg.Length(f.Cols) * TileWidth
	}
	if h == 0 {
		h = vg.Length(f.Rows) * TileHeight
	}
	return w, h
}

// Draw draws the figure on c, on a white background.
func (f *Figure) Draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	tiles := draw.Tiles{
		Rows: f.Rows, Cols: f.Cols,
		PadX: vg.Points(18), PadY: vg.Points(18),
		PadTop: vg.Points(6), PadBottom: vg.Points(6), PadLeft: vg.Points(6), PadRight: vg.Points(6),
	}
	layout := make([][]*plot.Plot, f.Rows)
	for r := range layout {
		layout[r] = make([]*plot.Plot, f.Cols)
		for c := range layout[r] {
			if i := r*f.Cols + c; i < len(f.Plots) {
				layout[r][c] = f.Plots[i]
			}
		}
	}
	defer share(layout, f.SharedX, func(p *plot.Plot) *plot.Axis { return &p.X })()
	defer share(layout, f.SharedY, func(p *plot.Plot) *plot.Axis { return &p.Y })()
	canvases := plot.Align(layout, tiles, c)
	for r, row := range layout {
		for c, p := range row {
			if p != nil {
				p.Draw(canvases[r][c])
			}
		}
	}
}

// share gives each group of plots, by how ("row", "col", "all"; other
// values group none), one range on the axis that axis picks, the range
// that spans their own, and returns a function that restores their own.
func share(layout [][]*plot.Plot, how string, axis func(*plot.Plot) *plot.Axis) (restore func()) {
	group := func(r, c int) int {
		switch how {
		case ShareRows:
			return r
		case ShareCols:
			return c
		case ShareAll:
			return 0
		}
		return -1
	}
	type span struct{ min, max float64 }
	spans := map[int]span{}
	saved := map[*plot.Axis]span{}
	for r, row := range layout {
		for c, p := range row {
			g := group(r, c)
			if p == nil || g < 0 {
				continue
			}
			a := axis(p)
			if !(a.Min <= a.Max) {
				continue // no data
			}
			s, ok := spans[g]
			if !ok {
				s = span{a.Min, a.Max}
			}
			spans[g] = span{min(s.min, a.Min), max(s.max, a.Max)}
		}
	}
	for r, row := range layout {
		for c, p := range row {
			s, ok := spans[group(r, c)]
			if p == nil || !ok {
				continue
			}
			a := axis(p)
			if _, done := saved[a]; !done {
				saved[a] = span{a.Min, a.Max}
			}
			a.Min, a.Max = s.min, s.max
		}
	}
	return func() {
		for a, s := range saved {
			a.Min, a.Max = s.min, s.max
		}
	}
}

// check returns an error for a figure that cannot be drawn.
func (f *Figure) check(fn string) error {
	if f == nil {
		return errorf(fn, "the figure is nil")
	}
	if f.Rows <= 0 || f.Cols <= 0 {
		return errorf(fn, "Rows and Cols must be positive, are %d and %d", f.Rows, f.Cols)
	}
	if len(f.Plots) > f.Rows*f.Cols {
		return errorf(fn, "%d plots do not fit in %d×%d tiles", len(f.Plots), f.Rows, f.Cols)
	}
	if w, h := f.size(); w <= 0 || h <= 0 {
		return errorf(fn, "the size must be positive, is %v by %v", w, h)
	}
	for _, s := range []struct{ name, value string }{{"SharedX", f.SharedX}, {"SharedY", f.SharedY}} {
		switch s.value {
		case "", ShareRows, ShareCols, ShareAll:
		default:
			return errorf(fn, "%s must be %q, %q, %q or empty, is %q", s.name, ShareRows, ShareCols, ShareAll, s.value)
		}
	}
	return nil
}

// render draws the figure in the given format.
func (f *Figure) render(fn, format string) ([]byte, error) {
	if err := f.check(fn); err != nil {
		return nil, err
	}
	w, h := f.size()
	return paint(fn, w, h, ShowOptions{}, format, f.Draw)
}

// renderWith draws the figure with opts, whose size overrides the
// figure's own where set.
func (f *Figure) renderWith(fn string, opts ShowOptions) ([]byte, string, error) {
	format, err := opts.check(fn)
	if err != nil {
		return nil, "", err
	}
	if err := f.check(fn); err != nil {
		return nil, "", err
	}
	w, h := f.size()
	if opts.Width != 0 {
		w = opts.Width
	}
	if opts.Height != 0 {
		h = opts.Height
	}
	b, err := paint(fn, w, h, opts, format, f.Draw)
	return b, format, err
}

// ShowWith is Show with the resolution, colors and format of the image,
// and its size where set (instead of the figure's); e.g. a grid of many
// decision boundaries at about a quarter of the bytes of Show's image:
//
//	f.ShowWith(chart.ShowOptions{DPI: 72, Colors: 256})
func (f *Figure) ShowWith(opts ShowOptions) error {
	const fn = "Figure.ShowWith"
	d, err := displayer(fn)
	if d == nil || err != nil {
		if err == nil {
			_, err = opts.check(fn)
		}
		if err == nil {
			err = f.check(fn)
		}
		return err
	}
	b, format, err := f.renderWith(fn, opts)
	if err != nil {
		return err
	}
	return send(fn, d, b, format)
}

// Render returns the figure drawn as ShowWith displays it: PNG bytes, or
// SVG ones with Format "svg".
func (f *Figure) Render(opts ShowOptions) ([]byte, error) {
	b, _, err := f.renderWith("Figure.Render", opts)
	return b, err
}

// PNG returns the figure drawn as a PNG image.
func (f *Figure) PNG() ([]byte, error) { return f.render("Figure.PNG", "png") }

// Show displays the figure inline in a GoNB notebook cell as a PNG
// image. Outside a notebook it draws nothing and returns nil, like Show.
// ShowWith sets the resolution, colors and format.
func (f *Figure) Show() error {
	const fn = "Figure.Show"
	d, err := displayer(fn)
	if d == nil || err != nil {
		return err
	}
	b, err := f.render(fn, "png")
	if err != nil {
		return err
	}
	return send(fn, d, b, "png")
}

// Save writes the figure to a file, atomically, in the format its
// extension names, as Save does for a plot.
func (f *Figure) Save(path string) error {
	const fn = "Figure.Save"
	format, err := formatOf(fn, path)
	if err != nil {
		return err
	}
	b, err := f.render(fn, format)
	if err != nil {
		return err
	}
	return writeFileAtomic(fn, path, b)
}
