// Package chart draws the plots of the lectures: learning curves, a time
// series against its prediction, predicted against actual values, the
// decision boundary of a classifier, a confusion matrix, a comparison of
// runs, weight histograms, and images: grayscale pictures with their
// predicted labels, and the filters of a convolution layer. It is the only dl package that imports
// gonum/plot; it is named chart, not plot, so that gonum's plot package
// keeps its name beside it. It does not import the notebook kernel's
// packages: a program that only saves images does not build them.
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
//	p, err := chart.Comparison(nil, runs, chart.ComparisonOptions{XTicks: seeds, Style: chart.StyleDots})
//	p, err := chart.WeightHistograms(model)
//	p, err := chart.Images(x.Slice(0, 10), chart.ImagesOptions{Captions: predicted})
//	p, err := chart.Filters(model.GetWeights()[0], chart.ImagesOptions{}) // the first Conv2D layer's kernel
//
// Settings are option structs whose zero value is the default, as in
// package dl. Functions that take data return an error for data they
// cannot plot (empty, mismatched lengths, NaN, a key the history lacks),
// naming the argument and what was received; they do not panic.
//
// # Korean and other labels
//
// Every word a plot writes by itself (a title, an axis label such as
// "epoch", a legend entry such as "p = 0.5" or "label flipped by noise")
// can be replaced through a field of its options, whose zero value keeps
// the English default:
//
//	p, err := chart.HistoryWith(history, chart.HistoryOptions{
//		Title: "학습 곡선", XLabel: "에포크", YLabel: "손실",
//		Legend: map[string]string{"loss": "훈련 손실", "val_loss": "검증 손실"},
//	})
//
// Text in Hangul is drawn in NanumGothic, which the package bundles and
// registers with gonum/plot (see TextHandler and HangulTypeface), so it
// shows on a machine with no fonts installed; text without Hangul stays
// in Liberation Sans. This holds for every text of every plot, also text
// set on the returned plot afterwards (p.Title.Text = "...") and plots
// made with plot.New() once the package is imported. PNG and SVG images
// show Hangul; gonum/plot's PDF and EPS writers cannot.
//
// # Showing and saving
//
// In a GoNB notebook, Show displays a plot inline as a PNG image; outside
// a notebook it does nothing, so a cell's code also runs as a test or a
// program. The notebook side lives in package notebook, which a notebook
// imports anyway (import _ "github.com/dlgo/dlgo/notebook") and which
// installs the display with SetDisplay. Save writes a PNG, SVG or PDF file, atomically; PNG returns the
// bytes. Grid puts several plots in one Figure with the same methods, and
// can give the plots of a row one y range, or those of a column one x
// range, so that they compare at a glance:
//
//	chart.Show(p)
//	f, err := chart.Grid(1, 2, lossPlot, boundaryPlot)
//	f.Show()
//
//	f, err := chart.Grid(1, 3, curves...) // three learning rates
//	f.SharedY = chart.ShareRows           // one y range for the row
//	f.Show()
//
// ShowWith and Figure.ShowWith set the image's resolution, number of
// colors and format: a notebook that shows many plots stays small with
//
//	f.ShowWith(chart.ShowOptions{DPI: 72, Colors: 256})
//
// A cell with no other use for the error can write
// chart.Show(dl.Must(chart.History(history))).
//
// Plots are drawn at 96 dots per inch, 6 by 4 inches by default, with the
// Liberation Sans font that gonum/plot embeds and the NanumGothic font
// that this package embeds, so they look the same on every machine.
package chart
