package chart

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/janpfeifer/gonb/gonbui"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// The default size of a plot: 6 by 4 inches, drawn at 96 dots per inch
// (576 by 384 pixels), readable inline in a notebook.
const (
	DefaultWidth  = 6 * vg.Inch
	DefaultHeight = 4 * vg.Inch
)

// Show displays p inline in a GoNB notebook cell as a PNG image of the
// default size. Outside a notebook (a test, go run) it draws nothing and
// returns nil: use Save to keep the image there.
func Show(p *plot.Plot) error { return show("Show", p, DefaultWidth, DefaultHeight) }

// ShowSize is Show with the size of the image, e.g. 8*vg.Inch by 3*vg.Inch.
func ShowSize(p *plot.Plot, w, h vg.Length) error { return show("ShowSize", p, w, h) }

func show(fn string, p *plot.Plot, w, h vg.Length) error {
	if !gonbui.IsNotebook {
		return nil
	}
	b, err := render(fn, p, w, h, "png")
	if err != nil {
		return err
	}
	return display(fn, b)
}

// display sends a PNG to the notebook.
func display(fn string, png []byte) error {
	gonbui.DisplayPng(png)
	// Wait until the kernel has the image: a cell's program may exit right
	// after Show, and GoNB drops what it has not yet received.
	gonbui.Sync()
	if err := gonbui.Error(); err != nil {
		return errorf(fn, "the notebook did not receive the image: %v", err)
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
	if w <= 0 || h <= 0 {
		return nil, errorf(fn, "the size must be positive, received %v by %v", w, h)
	}
	wt, err := p.WriterTo(w, h, format)
	if err != nil {
		return nil, errorf(fn, "%v", err)
	}
	return encode(fn, wt)
}

// encode runs a canvas's WriteTo into a buffer.
func encode(fn string, wt io.WriterTo) ([]byte, error) {
	var buf bytes.Buffer
	if _, err := wt.WriteTo(&buf); err != nil {
		return nil, errorf(fn, "%v", err)
	}
	return buf.Bytes(), nil
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
