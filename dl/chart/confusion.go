package chart

import (
	"fmt"
	"image/color"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg/draw"
)

// ConfusionOptions are the settings of ConfusionMatrix. The zero value
// writes counts with the default title.
type ConfusionOptions struct {
	// Title is the plot title (default "Confusion matrix").
	Title string
	// Normalize divides each row by its total, so that the cells show the
	// fraction of each true class (scikit-learn: normalize="true").
	Normalize bool
	// XLabel labels the x axis, the predicted classes (default
	// "predicted label").
	XLabel string
	// YLabel labels the y axis, the true classes (default "true label").
	YLabel string
}

// ConfusionMatrix draws a confusion matrix as a heat map, with the count
// written in each cell (scikit-learn: ConfusionMatrixDisplay). cm[i][j]
// is the number of samples of true class i predicted as class j, as
// prep.ConfusionMatrix returns it; true classes run down the y axis,
// predicted ones along the x axis:
//
//	cm, labels, err := prep.ConfusionMatrix(yTest, yPred)
//	p, err := chart.ConfusionMatrix(cm, chart.Labels(labels), chart.ConfusionOptions{})
//
// labels name the classes (nil gives "0", "1", ...); they may be Hangul.
// It returns an error when cm is empty or not square, when a count is
// negative, and when labels has the wrong length.
func ConfusionMatrix(cm [][]int, labels []string, opts ConfusionOptions) (*plot.Plot, error) {
	const fn = "ConfusionMatrix"
	n := len(cm)
	if n == 0 {
		return nil, errorf(fn, "the matrix is empty")
	}
	for i, row := range cm {
		if len(row) != n {
			return nil, errorf(fn, "the matrix must be square: it has %d rows, row %d has %d values", n, i, len(row))
		}
		for j, v := range row {
			if v < 0 {
				return nil, errorf(fn, "cm[%d][%d] is %d; counts cannot be negative", i, j, v)
			}
		}
	}
	if labels == nil {
		labels = make([]string, n)
		for i := range labels {
			labels[i] = strconv.Itoa(i)
		}
	} else if len(labels) != n {
		return nil, errorf(fn, "the matrix has %d classes but %d labels", n, len(labels))
	}

	g := &grid{xs: index(n, 0), ys: index(n, 0), z: make([]float64, n*n)}
	cells := plotter.XYLabels{XYs: make(plotter.XYs, 0, n*n)}
	for i, row := range cm {
		total := 0
		for _, v := range row {
			total += v
		}
		for j, v := range row {
			z, s := float64(v), strconv.Itoa(v)
			if opts.Normalize {
				z = 0
				if total > 0 {
					z = float64(v) / float64(total)
				}
				s = fmt.Sprintf("%.2f", z)
			}
			r := n - 1 - i // row 0 at the top
			g.z[r*n+j] = z
			cells.XYs = append(cells.XYs, plotter.XY{X: float64(j), Y: float64(r)})
			cells.Labels = append(cells.Labels, s)
		}
	}
	lo, hi := 0.0, maxOf(g.z)
	if hi == 0 {
		hi = 1
	}

	p := newPlot(or(opts.Title, "Confusion matrix"), or(opts.XLabel, "predicted label"), or(opts.YLabel, "true label"))
	h := plotter.NewHeatMap(g, sequential(color.White, colorAt(0), 101))
	h.Min, h.Max = lo, hi
	p.Add(h)
	l, err := plotter.NewLabels(cells)
	if err != nil {
		return nil, errorf(fn, "%v", err)
	}
	for i := range l.TextStyle {
		st := text.Style{Font: sans(12, false), XAlign: draw.XCenter, YAlign: draw.YCenter, Handler: p.TextHandler, Color: textColor}
		x, y := cells.XYs[i].X, cells.XYs[i].Y
		if g.z[int(y)*n+int(x)] > (lo+hi)/2 {
			st.Color = color.White
		}
		l.TextStyle[i] = st
	}
	p.Add(l)

	p.NominalX(labels...)
	reversed := make([]string, n)
	for i, s := range labels {
		reversed[n-1-i] = s
	}
	p.NominalY(reversed...)
	p.X.Padding, p.Y.Padding = 0, 0
	return p, nil
}

// Labels formats class values, such as the labels prep.ConfusionMatrix
// returns, as the strings ConfusionMatrix takes: 0 → "0", 2.5 → "2.5".
func Labels(values []float64) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = strconv.FormatFloat(v, 'g', -1, 64)
	}
	return out
}

// sequential returns n colors from lo to hi.
func sequential(lo, hi color.Color, n int) palette {
	r0, g0, b0, _ := lo.RGBA()
	r1, g1, b1, _ := hi.RGBA()
	mix := func(a, b uint32, t float64) uint8 {
		return uint8(float64(a>>8) + (float64(b>>8)-float64(a>>8))*t + 0.5)
	}
	out := make(palette, n)
	for i := range out {
		t := float64(i) / float64(n-1)
		out[i] = color.RGBA{R: mix(r0, r1, t), G: mix(g0, g1, t), B: mix(b0, b1, t), A: 0xff}
	}
	return out
}
