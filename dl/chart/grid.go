package chart

import (
	"image/color"

	"github.com/janpfeifer/gonb/gonbui"
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
}

// Grid lays plots out in rows and columns, row by row, as one Figure, for
// an "all at once" view:
//
//	f, err := chart.Grid(2, 2, lossPlot, boundaryPlot, cmPlot, weightsPlot)
//	f.Show()
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
	canvases := plot.Align(layout, tiles, c)
	for r, row := range layout {
		for c, p := range row {
			if p != nil {
				p.Draw(canvases[r][c])
			}
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
	return nil
}

// render draws the figure in the given format.
func (f *Figure) render(fn, format string) ([]byte, error) {
	if err := f.check(fn); err != nil {
		return nil, err
	}
	w, h := f.size()
	c, err := draw.NewFormattedCanvas(w, h, format)
	if err != nil {
		return nil, errorf(fn, "%v", err)
	}
	f.Draw(draw.New(c))
	return encode(fn, c)
}

// PNG returns the figure drawn as a PNG image.
func (f *Figure) PNG() ([]byte, error) { return f.render("Figure.PNG", "png") }

// Show displays the figure inline in a GoNB notebook cell as a PNG
// image. Outside a notebook it draws nothing and returns nil, like Show.
func (f *Figure) Show() error {
	if !gonbui.IsNotebook {
		return nil
	}
	b, err := f.render("Figure.Show", "png")
	if err != nil {
		return err
	}
	return display("Figure.Show", b)
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
