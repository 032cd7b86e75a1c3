// Package notebook is dlgo's integration with Jupyter notebooks run by the
// GoNB kernel.
//
// Importing it is enough:
//
//	import _ "github.com/dlgo/dlgo/notebook"
//
// When the program runs inside a notebook (gonbui.IsNotebook), Fit shows a
// live training view instead of the terminal progress bar: one output block,
// updated in place, with a progress bar, the epoch and step, the total and
// per-epoch time, the estimated time left, the current metrics and a small
// learning curve of loss and val_loss. A notebook executed headlessly keeps
// the block's final state, whose curve spans the epochs actually run and
// which says when training stopped early ("Stopped at epoch 25 of 200").
// Outside a notebook the package does nothing, so library code and tests may
// import it freely.
//
// The view is a callback (View): the package's init registers it with
// dl.RegisterProgress as the progress display Fit adds by default, in place
// of dl.ProgbarLogger. Passing a dl.ProgbarLogger, or a View, in
// FitOptions.Callbacks chooses the display for one Fit.
//
// It also shows the chart package's plots: its init installs Image with
// chart.SetDisplay, so chart.Show and Figure.Show draw inline, while
// dl/chart itself never imports the kernel's packages. Small display helpers
// (Markdown, HTML) serve notebooks that want them.
package notebook

import (
	"github.com/janpfeifer/gonb/gonbui"

	"github.com/dlgo/dlgo/dl"
)

func init() {
	if gonbui.IsNotebook {
		Install()
	}
}

// Install makes Fit show the live training view (see View) by default. It
// is called automatically when the program runs inside a notebook; calling
// it outside a notebook is harmless, since the display calls then do
// nothing.
func Install() {
	dl.RegisterProgress(func() dl.ProgressCallback { return NewView() })
}

// Uninstall restores Fit's terminal progress bar (dl.ProgbarLogger).
func Uninstall() {
	dl.RegisterProgress(nil)
}

// Markdown displays markdown text as a cell output (nothing outside a notebook).
func Markdown(md string) {
	gonbui.DisplayMarkdown(md)
}

// HTML displays an HTML fragment as a cell output (nothing outside a notebook).
func HTML(html string) {
	gonbui.DisplayHTML(html)
}
