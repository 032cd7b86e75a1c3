package chart

import (
	"bytes"
	"cmp"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// The default size of a plot: 6 by 4 inches, drawn at 96 dots per inch
// (576 by 384 pixels), readable inline in a notebook.
const (
	DefaultWidth  = 6 * vg.Inch
	DefaultHeight = 4 * vg.Inch
)

// Show displays p inline in a GoNB notebook cell as a PNG image of the
// default size, through the display that package notebook installs (see
// SetDisplay). Outside a notebook (a test, go run) it draws nothing and
// returns nil: use Save to keep the image there. ShowWith sets the size,
// resolution, colors and format.
func Show(p *plot.Plot) error { return show("Show", p, DefaultWidth, DefaultHeight) }

// ShowSize is Show with the size of the image, e.g. 8*vg.Inch by 3*vg.Inch.
func ShowSize(p *plot.Plot, w, h vg.Length) error { return show("ShowSize", p, w, h) }

func show(fn string, p *plot.Plot, w, h vg.Length) error {
	d, err := displayer(fn)
	if d == nil || err != nil {
		return err
	}
	b, err := render(fn, p, w, h, "png")
	if err != nil {
		return err
	}
	return send(fn, d, b, "png")
}

// display holds the function that shows images (see SetDisplay), nil for
// none.
var display atomic.Pointer[func(image []byte, format string) error]

// SetDisplay makes Show, ShowSize, ShowWith and the Figure methods Show and
// ShowWith display their images with show, which receives the bytes of a
// PNG or SVG image and its format, "png" or "svg", and returns once the
// image is shown. It returns the function set before, nil for none. With
// none, the default, they draw nothing (they still check their options).
//
// Package notebook sets it when the program runs inside a GoNB notebook,
// so that a notebook needs only
//
//	import _ "github.com/dlgo/dlgo/notebook"
//
// and this package does not depend on the notebook kernel's packages.
func SetDisplay(show func(image []byte, format string) error) (previous func(image []byte, format string) error) {
	var next *func(image []byte, format string) error
	if show != nil {
		next = &show
	}
	if old := display.Swap(next); old != nil {
		return *old
	}
	return nil
}

// gonbPipeEnv is the environment variable through which the GoNB kernel
// tells the programs of a notebook's cells where to send their outputs.
const gonbPipeEnv = "GONB_PIPE"

// displayer returns the function that shows images, or nil if none is
// set. A program run by the GoNB kernel with none set has not imported
// package notebook: rather than show nothing, it returns an error that
// says so.
func displayer(fn string) (func(image []byte, format string) error, error) {
	if d := display.Load(); d != nil {
		return *d, nil
	}
	if os.Getenv(gonbPipeEnv) != "" {
		return nil, errorf(fn, "a notebook shows plots through package notebook: add import _ \"github.com/dlgo/dlgo/notebook\"")
	}
	return nil, nil
}

// ShowOptions are the settings of ShowWith, Render and their Figure
// methods: the size, resolution, colors and format of the image. The
// zero value draws what Show draws.
//
// A notebook stores every image it shows, base64-encoded. For one that
// shows many plots, DPI 72 and Colors 256 make each PNG about a quarter
// of the bytes of Show's (a 3×4 grid of decision boundaries: 127 kB
// instead of 546 kB), with the same layout.
type ShowOptions struct {
	// Width and Height are the size of the image (default DefaultWidth by
	// DefaultHeight for a plot, the figure's own size for a Figure).
	Width, Height vg.Length
	// DPI is the resolution of a PNG image in dots per inch (default 96,
	// at most 600). Text, lines and markers keep their size in points, so
	// a lower DPI draws the same picture in fewer pixels: 72 gives three
	// quarters of the width and height and about two thirds of the
	// bytes; 192 gives a sharp image for print or a high-density screen.
	DPI int
	// Colors, when not 0, limits a PNG image to that many colors, from 2
	// to 256, and stores it as a paletted image (a byte per pixel instead
	// of three). The most frequent colors are kept exactly: the
	// background, the fills, the lines and the letters; the rarer ones,
	// mostly the anti-aliased edges of markers over shaded areas, take
	// the nearest kept color. With 256 a plot looks the same, and a grid
	// of decision boundaries takes about a third of the bytes.
	Colors int
	// Format is "png" (the default) or "svg". An SVG image stays sharp at
	// any zoom and is the smaller one for line plots (learning curves: a
	// quarter of the PNG's bytes); for plots of many points, such as a
	// grid of decision boundaries, it is about as large as the PNG, and
	// four times the PNG with DPI 72 and Colors 256. Its text names its
	// fonts (Liberation Sans, NanumGothic) and is drawn by the browser, in
	// those fonts where it has them and in similar ones where not.
	Format string
}

// ShowWith is Show with the size, resolution, colors and format of the
// image:
//
//	chart.ShowWith(p, chart.ShowOptions{DPI: 72, Colors: 256})
//	chart.ShowWith(p, chart.ShowOptions{Format: "svg"})
//
// Outside a notebook it checks opts and returns nil.
func ShowWith(p *plot.Plot, opts ShowOptions) error {
	const fn = "ShowWith"
	format, err := opts.check(fn)
	if err != nil {
		return err
	}
	d, err := displayer(fn)
	if d == nil || err != nil {
		return err
	}
	b, err := renderWith(fn, p, opts)
	if err != nil {
		return err
	}
	return send(fn, d, b, format)
}

// Render returns p drawn as ShowWith displays it: PNG bytes, or SVG ones
// with Format "svg". Their number is what the image adds to a saved
// notebook, before base64 adds a third.
func Render(p *plot.Plot, opts ShowOptions) ([]byte, error) { return renderWith("Render", p, opts) }

func renderWith(fn string, p *plot.Plot, opts ShowOptions) ([]byte, error) {
	format, err := opts.check(fn)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, errorf(fn, "the plot is nil")
	}
	w, h := opts.Width, opts.Height
	if w == 0 {
		w = DefaultWidth
	}
	if h == 0 {
		h = DefaultHeight
	}
	return paint(fn, w, h, opts, format, p.Draw)
}

// check returns the format of opts, or an error for settings out of
// range.
func (o ShowOptions) check(fn string) (string, error) {
	if o.Width < 0 || o.Height < 0 {
		return "", errorf(fn, "Width and Height must not be negative, received %v by %v", o.Width, o.Height)
	}
	if o.DPI < 0 || o.DPI > 600 {
		return "", errorf(fn, "DPI must be between 1 and 600 (0 for 96), received %d", o.DPI)
	}
	if o.Colors != 0 && (o.Colors < 2 || o.Colors > 256) {
		return "", errorf(fn, "Colors must be between 2 and 256 (0 for all), received %d", o.Colors)
	}
	switch f := strings.ToLower(o.Format); f {
	case "", "png":
		return "png", nil
	case "svg":
		return f, nil
	}
	return "", errorf(fn, "Format must be \"png\" or \"svg\", received %q", o.Format)
}

// send shows a PNG or SVG image with d.
func send(fn string, d func(image []byte, format string) error, b []byte, format string) error {
	if err := d(b, format); err != nil {
		return errorf(fn, "%v", err)
	}
	return nil
}

// PNG returns p drawn as a PNG image of the default size.
func PNG(p *plot.Plot) ([]byte, error) { return render("PNG", p, DefaultWidth, DefaultHeight, "png") }

// PNGSize is PNG with the size of the image.
func PNGSize(p *plot.Plot, w, h vg.Length) ([]byte, error) {
	return render("PNGSize", p, w, h, "png")
}

// Save writes p to a file of the default size. The extension chooses the
// format: .png, .svg, .pdf, .jpg or .jpeg, .tif or .tiff, .eps. The write is
// atomic: the file is written under a temporary name in the same directory,
// then renamed, so that a reader never sees half an image.
func Save(p *plot.Plot, path string) error {
	return save("Save", p, path, DefaultWidth, DefaultHeight)
}

// SaveSize is Save with the size of the image.
func SaveSize(p *plot.Plot, path string, w, h vg.Length) error {
	return save("SaveSize", p, path, w, h)
}

func save(fn string, p *plot.Plot, path string, w, h vg.Length) error {
	format, err := formatOf(fn, path)
	if err != nil {
		return err
	}
	b, err := render(fn, p, w, h, format)
	if err != nil {
		return err
	}
	return writeFileAtomic(fn, path, b)
}

// render draws p in the given format.
func render(fn string, p *plot.Plot, w, h vg.Length, format string) ([]byte, error) {
	if p == nil {
		return nil, errorf(fn, "the plot is nil")
	}
	return paint(fn, w, h, ShowOptions{}, format, p.Draw)
}

// defaultDPI is the resolution of raster images when none is set.
const defaultDPI = vgimg.DefaultDPI

// paint draws an image of size w by h in format: PNG, JPEG and TIFF at
// opts.DPI (0: defaultDPI), a PNG with opts.Colors, the others through
// gonum/plot's canvases.
func paint(fn string, w, h vg.Length, opts ShowOptions, format string, drawTo func(draw.Canvas)) ([]byte, error) {
	if w <= 0 || h <= 0 {
		return nil, errorf(fn, "the size must be positive, received %v by %v", w, h)
	}
	dpi := opts.DPI
	if dpi == 0 {
		dpi = defaultDPI
	}
	var wt io.WriterTo
	switch format {
	case "png", "jpg", "jpeg", "tif", "tiff":
		c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi))
		drawTo(draw.New(c))
		switch format {
		case "png":
			return encodePNG(fn, c.Image(), opts.Colors)
		case "jpg", "jpeg":
			wt = vgimg.JpegCanvas{Canvas: c}
		default:
			wt = vgimg.TiffCanvas{Canvas: c}
		}
	default:
		c, err := draw.NewFormattedCanvas(w, h, format)
		if err != nil {
			return nil, errorf(fn, "%v", err)
		}
		drawTo(draw.New(c))
		wt = c
	}
	var buf bytes.Buffer
	if _, err := wt.WriteTo(&buf); err != nil {
		return nil, errorf(fn, "%v", err)
	}
	return buf.Bytes(), nil
}

// encodePNG encodes img as a PNG, with colors > 0 as a paletted image of
// at most that many colors (see ShowOptions.Colors). It uses the default
// compression: the best saves 3% of the bytes for twice the time.
func encodePNG(fn string, img image.Image, colors int) ([]byte, error) {
	if rgba, ok := img.(*image.RGBA); ok && colors > 0 {
		img = paletted(rgba, colors)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, errorf(fn, "%v", err)
	}
	return buf.Bytes(), nil
}

// paletted returns img as an image.Paletted of the colors most frequent
// in img, at most colors (2 to 256) of them, with every other pixel in
// the nearest of them.
func paletted(img *image.RGBA, colors int) *image.Paletted {
	b := img.Bounds()
	key := func(px []uint8) uint32 {
		return uint32(px[0])<<24 | uint32(px[1])<<16 | uint32(px[2])<<8 | uint32(px[3])
	}
	counts := make(map[uint32]int, 256)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := img.Pix[(y-b.Min.Y)*img.Stride:]
		for x := range b.Dx() {
			counts[key(row[4*x:4*x+4])]++
		}
	}
	keys := make([]uint32, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	// Most frequent first; equal counts by color, for the same image on
	// every run.
	slices.SortFunc(keys, func(a, b uint32) int {
		if c := cmp.Compare(counts[b], counts[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	keys = keys[:min(len(keys), colors)]
	pal := make(color.Palette, len(keys))
	index := make(map[uint32]uint8, len(counts))
	for i, k := range keys {
		pal[i] = color.RGBA{R: uint8(k >> 24), G: uint8(k >> 16), B: uint8(k >> 8), A: uint8(k)}
		index[k] = uint8(i)
	}
	out := image.NewPaletted(b, pal)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := img.Pix[(y-b.Min.Y)*img.Stride:]
		for x := range b.Dx() {
			px := row[4*x : 4*x+4]
			k := key(px)
			i, ok := index[k]
			if !ok {
				i = uint8(pal.Index(color.RGBA{R: px[0], G: px[1], B: px[2], A: px[3]}))
				index[k] = i
			}
			out.Pix[(y-b.Min.Y)*out.Stride+x] = i
		}
	}
	return out
}

// formats maps file extensions to gonum/plot's format names.
var formats = map[string]string{
	".png": "png", ".svg": "svg", ".pdf": "pdf", ".jpg": "jpg", ".jpeg": "jpeg",
	".tif": "tif", ".tiff": "tiff", ".eps": "eps",
}

// formatOf returns the image format that path's extension names.
func formatOf(fn, path string) (string, error) {
	ext := strings.ToLower(filepath.Ext(path))
	if f, ok := formats[ext]; ok {
		return f, nil
	}
	return "", errorf(fn, "cannot tell the image format of %q from its extension; use .png, .svg, .pdf, .jpg, .tif or .eps", path)
}

// writeFileAtomic writes b to path through a temporary file in the same
// directory and a rename.
func writeFileAtomic(fn, path string, b []byte) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return errorf(fn, "%v", err)
	}
	defer func() {
		if err != nil {
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(b); err != nil {
		f.Close()
		return errorf(fn, "%v", err)
	}
	if err = f.Close(); err != nil {
		return errorf(fn, "%v", err)
	}
	if err = os.Chmod(f.Name(), 0o644); err != nil {
		return errorf(fn, "%v", err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return errorf(fn, "%v", err)
	}
	return nil
}
