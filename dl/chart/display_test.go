package chart_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"gonum.org/v1/plot"

	"github.com/dlgo/dlgo/dl/chart"
)

// shown is an image that a test display received.
type shown struct {
	image  []byte
	format string
}

// TestSetDisplay checks that the Show functions send their images to the
// display SetDisplay installs, in the format asked, that they wrap its
// errors, and that without one they draw nothing: outside a notebook they
// return nil, inside one (GONB_PIPE set) an error saying to import
// package notebook.
func TestSetDisplay(t *testing.T) {
	var got []shown
	var fail error
	previous := chart.SetDisplay(func(image []byte, format string) error {
		got = append(got, shown{image, format})
		return fail
	})
	defer func() { chart.SetDisplay(previous) }()
	p := plot.New()
	f, err := chart.Grid(1, 2, plot.New(), plot.New())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, format string
		show         func() error
	}{
		{"Show", "png", func() error { return chart.Show(p) }},
		{"ShowSize", "png", func() error { return chart.ShowSize(p, chart.DefaultWidth/2, chart.DefaultHeight/2) }},
		{"ShowWith", "svg", func() error { return chart.ShowWith(p, chart.ShowOptions{Format: "svg"}) }},
		{"Figure.Show", "png", f.Show},
		{"Figure.ShowWith", "png", func() error { return f.ShowWith(chart.ShowOptions{DPI: 72, Colors: 256}) }},
	} {
		got, fail = nil, nil
		if err := c.show(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(got) != 1 || got[0].format != c.format {
			t.Fatalf("%s displayed %d images (%v), want one %s", c.name, len(got), got, c.format)
		}
		magic := map[string][]byte{"png": []byte("\x89PNG"), "svg": []byte("<?xml")}[c.format]
		if !bytes.HasPrefix(got[0].image, magic) {
			t.Errorf("%s displayed %.20q, not a %s image", c.name, got[0].image, c.format)
		}
		fail = errors.New("the notebook is gone")
		if err := c.show(); err == nil || err.Error() != "chart: "+c.name+": the notebook is gone" {
			t.Errorf("%s with a failing display: %v", c.name, err)
		}
	}

	chart.SetDisplay(nil)
	t.Setenv("GONB_PIPE", "")
	if err := chart.Show(p); err != nil {
		t.Errorf("Show with no display outside a notebook: %v", err)
	}
	t.Setenv("GONB_PIPE", "/nonexistent")
	for _, err := range []error{chart.Show(p), chart.ShowWith(p, chart.ShowOptions{}), f.Show(), f.ShowWith(chart.ShowOptions{})} {
		if err == nil || !strings.Contains(err.Error(), `import _ "github.com/dlgo/dlgo/notebook"`) {
			t.Errorf("Show with no display inside a notebook: %v, want an error naming the notebook package", err)
		}
	}
}

// TestNoNotebookKernel checks that neither dl nor dl/chart depends on the
// GoNB kernel's packages, so that a program that only trains a model and
// saves its plots does not build them.
func TestNoNotebookKernel(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	cmd := exec.Command("go", "list", "-deps", "github.com/dlgo/dlgo/dl", "github.com/dlgo/dlgo/dl/chart")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps listed only %q", deps)
	}
	for _, d := range deps {
		if strings.HasPrefix(d, "github.com/janpfeifer/gonb") || d == "github.com/dlgo/dlgo/notebook" {
			t.Errorf("dl or dl/chart imports %s", d)
		}
	}
}
