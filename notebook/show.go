package notebook

import (
	"fmt"

	"github.com/janpfeifer/gonb/gonbui"

	"github.com/dlgo/dlgo/dl/chart"
)

// Inside a notebook, the chart package's Show functions display their
// images through Image.
func init() {
	if gonbui.IsNotebook {
		chart.SetDisplay(Image)
	}
}

// Image displays a PNG or SVG image (format "png" or "svg") as a cell
// output and waits until the kernel has it: a cell's program may exit right
// after, and GoNB drops what it has not yet received. Outside a notebook it
// does nothing and returns nil. The chart package's Show functions use it
// (see chart.SetDisplay).
func Image(image []byte, format string) error {
	switch format {
	case "png", "svg":
	default:
		return fmt.Errorf("notebook.Image: format must be \"png\" or \"svg\", received %q", format)
	}
	if !gonbui.IsNotebook {
		return nil
	}
	if format == "svg" {
		gonbui.DisplaySvg(string(image))
	} else {
		gonbui.DisplayPng(image)
	}
	gonbui.Sync()
	if err := gonbui.Error(); err != nil {
		return fmt.Errorf("the notebook did not receive the image: %v", err)
	}
	return nil
}
