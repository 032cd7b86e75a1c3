package chart

import (
	"fmt"
	"math"
	"strings"

	"github.com/dlgo/dlgo/dl"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// HistogramOptions are the settings of Histogram and Histograms. The zero
// value gives the defaults below.
type HistogramOptions struct {
	// Title is the plot title (default none).
	Title string
	// XLabel labels the x axis (default "value").
	XLabel string
	// Density scales each histogram to an area of 1 instead of counting,
	// so that sets of different sizes compare; the y axis then reads
	// "density" instead of "count".
	Density bool
	// YLabel labels the y axis (default "count", or "density" with
	// Density).
	YLabel string
}

// Histogram plots the distribution of values in bins of equal width
// (matplotlib: plt.hist(values, bins)). With bins ≤ 0 it chooses the
// square root of the number of values, between 10 and 50. It returns an
// error for empty values, more than 10000 bins, and NaN or infinite
// values.
func Histogram(values []float64, bins int, opts HistogramOptions) (*plot.Plot, error) {
	return histograms("Histogram", []Named{{Values: values}}, bins, opts)
}

// Histograms overlays the distributions of several sets, with the same
// bins and translucent colors, e.g. the first kernel of a model trained
// with L1 and of one trained with L2:
//
//	k1, err := chart.Kernels(modelL1)
//	k2, err := chart.Kernels(modelL2)
//	p, err := chart.Histograms([]chart.Named{
//		{Name: "L1", Values: k1[0].Values},
//		{Name: "L2", Values: k2[0].Values},
//	}, 0, chart.HistogramOptions{XLabel: "weight", Density: true})
func Histograms(sets []Named, bins int, opts HistogramOptions) (*plot.Plot, error) {
	return histograms("Histograms", sets, bins, opts)
}

func histograms(fn string, sets []Named, bins int, opts HistogramOptions) (*plot.Plot, error) {
	if len(sets) == 0 {
		return nil, errorf(fn, "no values to plot")
	}
	lo, hi, most := math.Inf(1), math.Inf(-1), 0
	for i, s := range sets {
		what := "values"
		if fn != "Histogram" {
			what = fmt.Sprintf("set %d (%q)", i, s.Name)
		}
		if len(s.Values) == 0 {
			return nil, errorf(fn, "%s is empty", what)
		}
		if err := checkFinite(fn, strings.ReplaceAll(what, " ", "_"), s.Values); err != nil {
			return nil, err
		}
		lo, hi, most = math.Min(lo, minOf(s.Values)), math.Max(hi, maxOf(s.Values)), max(most, len(s.Values))
	}
	if bins > 10000 {
		return nil, errorf(fn, "%d bins are too many; use at most 10000", bins)
	}
	if bins <= 0 {
		bins = min(max(int(math.Ceil(math.Sqrt(float64(most)))), 10), 50)
	}
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	width := (hi - lo) / float64(bins)

	yLabel := "count"
	if opts.Density {
		yLabel = "density"
	}
	p := newPlot(opts.Title, or(opts.XLabel, "value"), or(opts.YLabel, yLabel))
	addGrid(p)
	for i, s := range sets {
		h := &plotter.Histogram{Bins: make([]plotter.HistogramBin, bins), Width: width}
		for b := range h.Bins {
			h.Bins[b].Min = lo + float64(b)*width
			h.Bins[b].Max = lo + float64(b+1)*width
		}
		for _, v := range s.Values {
			b := min(int((v-lo)/width), bins-1)
			h.Bins[b].Weight++
		}
		if opts.Density {
			for b := range h.Bins {
				h.Bins[b].Weight /= float64(len(s.Values)) * width
			}
		}
		c := colorAt(i)
		if len(sets) == 1 {
			h.FillColor = lighten(c, 0.35)
		} else {
			h.FillColor = withAlpha(c, 0x59)
		}
		h.LineStyle = draw.LineStyle{Color: c, Width: vg.Points(0.75)}
		p.Add(h)
		if s.Name != "" {
			p.Legend.Add(s.Name, h)
		}
	}
	return p, nil
}

// Kernels returns the kernels of m, the weight matrices that
// regularizers such as dl.L1 and dl.L2 act on, in layer order, each named
// "layer/kernel" as in Keras (e.g. "dense_1/kernel"). It leaves out the
// biases. For a model with layers other than Dense, Dropout, input and
// merge layers it returns every weight array of rank 2 or more, named
// "weights[i]" by its index in m.GetWeights().
//
// It returns an error for a model that has no weights yet (not built).
func Kernels(m Model) ([]Named, error) { return kernels("Kernels", m) }

func kernels(fn string, m Model) ([]Named, error) {
	if isNil(m) {
		return nil, errorf(fn, "the model is nil")
	}
	ws := m.GetWeights()
	if len(ws) == 0 {
		return nil, errorf(fn, "the model %q has no weights yet; start it with dl.Input(...) or call Fit first", modelName(m))
	}
	names := weightNames(m, ws)
	var out []Named
	for i, w := range ws {
		switch {
		case names != nil && strings.HasSuffix(names[i], "/kernel"):
			out = append(out, Named{Name: names[i], Values: w.Data()})
		case names == nil && w.Rank() >= 2:
			out = append(out, Named{Name: fmt.Sprintf("weights[%d]", i), Values: w.Data()})
		}
	}
	return out, nil
}

// weightNames names the weights of a model whose layers dl's own code
// here knows, or returns nil.
func weightNames(m Model, ws []*dl.Tensor) []string {
	var names []string
	for _, l := range m.Layers() {
		switch l := l.(type) {
		case *dl.Dense:
			names = append(names, l.Name+"/kernel")
			if !l.NoBias {
				names = append(names, l.Name+"/bias")
			}
		case *dl.InputLayer, *dl.Dropout, *dl.Concatenate, *dl.Add, *dl.Subtract, *dl.Multiply, *dl.Average:
		default:
			return nil
		}
	}
	if len(names) != len(ws) {
		return nil
	}
	for i, w := range ws {
		if strings.HasSuffix(names[i], "/kernel") != (w.Rank() == 2) {
			return nil
		}
	}
	return names
}

// WeightHistograms overlays the distributions of the kernels of m (see
// Kernels), each scaled to an area of 1: L1 regularization shows as a
// spike at zero, L2 as a narrower bell. Put the plots of two models side
// by side with Grid, on one x axis with the Figure's SharedX:
//
//	f, err := chart.Grid(1, 2, dl.Must(chart.WeightHistograms(modelL1)), dl.Must(chart.WeightHistograms(modelL2)))
//	f.SharedX = chart.ShareAll
//
// It returns an error for a model that has no weights yet.
func WeightHistograms(m Model) (*plot.Plot, error) {
	return weightHistograms("WeightHistograms", m, WeightOptions{})
}

// WeightOptions are the settings of WeightHistogramsWith. The zero value
// gives the plot of WeightHistograms.
type WeightOptions struct {
	// Title is the plot title (default "Weights of NAME", with the
	// model's name, or "Weights" for a model without one).
	Title string
	// XLabel and YLabel label the axes (default "weight" and "density").
	XLabel, YLabel string
	// Bins is the number of bins (default, or ≤ 0: as Histogram chooses).
	Bins int
}

// WeightHistogramsWith is WeightHistograms with options, e.g. Korean
// labels:
//
//	p, err := chart.WeightHistogramsWith(model, chart.WeightOptions{Title: "L1 모델의 가중치", XLabel: "가중치", YLabel: "밀도"})
func WeightHistogramsWith(m Model, opts WeightOptions) (*plot.Plot, error) {
	return weightHistograms("WeightHistogramsWith", m, opts)
}

func weightHistograms(fn string, m Model, opts WeightOptions) (*plot.Plot, error) {
	ks, err := kernels(fn, m)
	if err != nil {
		return nil, err
	}
	title := "Weights"
	if name := modelName(m); name != "" {
		title += " of " + name
	}
	return histograms(fn, ks, opts.Bins, HistogramOptions{
		Title: or(opts.Title, title), XLabel: or(opts.XLabel, "weight"), YLabel: opts.YLabel, Density: true,
	})
}
