package chart

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dlgo/dlgo/dl"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"
)

// HistoryOptions are the settings of HistoryWith. The zero value plots
// loss and val_loss with the default title.
type HistoryOptions struct {
	// Keys are the History keys to plot, in order (default: "loss" and
	// "val_loss", those of them that were recorded).
	Keys []string
	// Mark, when not 0, draws a dashed vertical line at that epoch,
	// counted from 1 as on the x axis. For an EarlyStopping callback es,
	// the best epoch is es.BestEpoch()+1; the epoch it stopped at is
	// es.StoppedEpoch()+1 when es.StoppedEpoch() > 0 (0 means it ran all
	// its epochs).
	Mark int
	// MarkLabel names the marked epoch in the legend (default "epoch N";
	// "best" gives "best (epoch N)"; the word "epoch" is XLabel's, so
	// that XLabel "에포크" and MarkLabel "최적" give "최적 (에포크 N)").
	MarkLabel string
	// Title is the plot title (default "Learning curves").
	Title string
	// XLabel is the label of the x axis (default "epoch").
	XLabel string
	// YLabel is the label of the y axis (default: the plotted quantity,
	// such as "loss", when every key is that quantity or its "val_"
	// version, else "value").
	YLabel string
	// LogY draws the y axis on a logarithmic scale, for losses that fall
	// by orders of magnitude. Every plotted value must then be positive.
	LogY bool
	// Legend names the curves in the legend by key, e.g.
	// {"loss": "훈련", "val_loss": "검증"}; a key it does not name keeps
	// its own name (default: every curve is named by its key).
	Legend map[string]string
}

// History plots learning curves: each key of h against the epoch,
// counted from 1 (Keras: pd.DataFrame(history.history).plot()). Without
// keys it plots "loss" and "val_loss", those that h recorded:
//
//	history, err := model.Fit(x, y, dl.FitOptions{Epochs: 50, ValidationSplit: 0.2})
//	chart.Show(dl.Must(chart.History(history)))
//	chart.Show(dl.Must(chart.History(history, "accuracy", "val_accuracy")))
//
// It returns an error for a key that h did not record (listing those it
// did), and for NaN or infinite values, as a diverged training leaves.
func History(h *dl.History, keys ...string) (*plot.Plot, error) {
	return historyPlot("History", h, HistoryOptions{Keys: keys})
}

// HistoryWith is History with options, e.g. the epoch EarlyStopping
// restored:
//
//	chart.HistoryWith(history, chart.HistoryOptions{Mark: es.BestEpoch() + 1, MarkLabel: "best"})
func HistoryWith(h *dl.History, opts HistoryOptions) (*plot.Plot, error) {
	return historyPlot("HistoryWith", h, opts)
}

func historyPlot(fn string, h *dl.History, opts HistoryOptions) (*plot.Plot, error) {
	if h == nil || len(h.History) == 0 {
		return nil, errorf(fn, "the history is empty; plot the History that Fit returns")
	}
	keys := opts.Keys
	if len(keys) == 0 {
		for _, k := range []string{"loss", "val_loss"} {
			if _, ok := h.History[k]; ok {
				keys = append(keys, k)
			}
		}
		if len(keys) == 0 {
			return nil, errorf(fn, "the history has no \"loss\"; name the keys to plot, from %s", recorded(h))
		}
	}
	n := -1
	for _, k := range keys {
		v, ok := h.History[k]
		if !ok {
			return nil, errorf(fn, "the history has no key %q; it recorded %s", k, recorded(h))
		}
		if len(v) == 0 {
			return nil, errorf(fn, "the history has no values for %q", k)
		}
		if n >= 0 && len(v) != n {
			return nil, errorf(fn, "%q has %d values but %q has %d", k, len(v), keys[0], n)
		}
		n = len(v)
		if err := checkFinite(fn, k, v); err != nil {
			return nil, fmt.Errorf("%w (did the training diverge? try a smaller learning rate)", err)
		}
		if opts.LogY {
			for i, x := range v {
				if x <= 0 {
					return nil, errorf(fn, "LogY needs positive values, %s[%d] is %v", k, i, x)
				}
			}
		}
	}
	epochs := index(n, 1)
	if len(h.Epoch) == n {
		for i, e := range h.Epoch {
			epochs[i] = float64(e + 1)
		}
	}
	if opts.Mark != 0 && (float64(opts.Mark) < epochs[0] || float64(opts.Mark) > epochs[n-1]) {
		return nil, errorf(fn, "Mark is %d but the epochs run from %v to %v", opts.Mark, epochs[0], epochs[n-1])
	}

	xLabel := or(opts.XLabel, "epoch")
	p := newPlot(or(opts.Title, "Learning curves"), xLabel, or(opts.YLabel, quantity(keys)))
	p.X.Tick.Marker = niceTicks{integer: true}
	if opts.LogY {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = logTicks{}
	}
	addGrid(p)
	for i, k := range keys {
		l, err := newLine(xys(epochs, h.History[k]), colorAt(i), false)
		if err != nil {
			return nil, errorf(fn, "%v", err)
		}
		p.Add(l)
		p.Legend.Add(or(opts.Legend[k], k), l)
	}
	if opts.Mark != 0 {
		x := float64(opts.Mark)
		l, err := newLine(plotter.XYs{{X: x, Y: p.Y.Min}, {X: x, Y: p.Y.Max}}, textColor, true)
		if err != nil {
			return nil, errorf(fn, "%v", err)
		}
		l.Width = lineWidth * 0.75
		v := &vline{l}
		p.Add(v)
		label := fmt.Sprintf("%s %d", xLabel, opts.Mark)
		if opts.MarkLabel != "" {
			label = fmt.Sprintf("%s (%s)", opts.MarkLabel, label)
		}
		p.Legend.Add(label, v)
	}
	return p, nil
}

// vline is a vertical line across the y range that the plot has when it
// is drawn, which a Figure with SharedY may widen.
type vline struct{ *plotter.Line }

// Plot implements plot.Plotter.
func (v *vline) Plot(c draw.Canvas, p *plot.Plot) {
	l := *v.Line
	x := l.XYs[0].X
	l.XYs = plotter.XYs{{X: x, Y: p.Y.Min}, {X: x, Y: p.Y.Max}}
	l.Plot(c, p)
}

// recorded lists the keys of h for an error message.
func recorded(h *dl.History) string {
	keys := h.Keys()
	if len(keys) != len(h.History) {
		keys = keys[:0]
		for k := range h.History {
			keys = append(keys, k)
		}
		slices.Sort(keys)
	}
	return `"` + strings.Join(keys, `", "`) + `"`
}

// quantity returns the name the keys share once "val_" is stripped, or
// "value".
func quantity(keys []string) string {
	q := strings.TrimPrefix(keys[0], "val_")
	for _, k := range keys[1:] {
		if strings.TrimPrefix(k, "val_") != q {
			return "value"
		}
	}
	return q
}
