// Package chart draws the plots of the lectures: learning curves, a time
// series against its prediction, predicted against actual values, the
// decision boundary of a classifier, a confusion matrix, a comparison of
// runs, and weight histograms. It is the only dl package that imports
// gonum/plot and GoNB's gonbui; it is named chart, not plot, so that
// gonum's plot package keeps its name beside it.
//
// # Plots
//
// Each function returns a *plot.Plot with a title, axis labels, a legend
// and grid lines, ready to show, and open to gonum/plot's API for any
// change (p.Title.Text = "...", p.Y.Min = 0, p.Add(...)):
//
//	history, err := model.Fit(x, y, dl.FitOptions{Epochs: 50, ValidationSplit: 0.2})
//	p, err := chart.History(history)                  // loss and val_loss
//	p, err := chart.HistoryWith(history, chart.HistoryOptions{Mark: es.BestEpoch() + 1, MarkLabel: "best"})
//	p, err := chart.Series(yTest.Data(), pred.Data(), chart.SeriesOptions{XLabel: "week"})
//	p, err := chart.Scatter(yTest.Data(), pred.Data(), chart.ScatterOptions{Diagonal: true, Fit: true})
//	p, err := chart.DecisionBoundary(chart.Predictor(model), x, y, chart.BoundaryOptions{})
//	p, err := chart.ConfusionMatrix(cm, chart.Labels(labels), chart.ConfusionOptions{})
//	p, err := chart.Comparison(sizes, []chart.Named{{Name: "train", Values: tr}}, chart.ComparisonOptions{})
//	p, err := chart.WeightHistograms(model)
//
// Settings are option structs whose zero value is the default, as in
// package dl. Functions that take data return an error for data they
// cannot plot (empty, mismatched lengths, NaN, a key the history lacks),
// naming the argument and what was received; they do not panic.
//
// # Showing and saving
//
// In a GoNB notebook, Show displays a plot inline as a PNG image; outside
// a notebook it does nothing, so a cell's code also runs as a test or a
// program. Save writes a PNG, SVG or PDF file, atomically; PNG returns the
// bytes. Grid puts several plots in one Figure with the same methods:
//
//	chart.Show(p)
//	f, err := chart.Grid(1, 2, lossPlot, boundaryPlot)
//	f.Show()
//
// A cell with no other use for the error can write
// chart.Show(dl.Must(chart.History(history))).
//
// Plots are drawn at 96 dots per inch, 6 by 4 inches by default, with the
// Liberation Sans font that gonum/plot embeds, so they look the same on
// every machine.
package chart
