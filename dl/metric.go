package dl

import (
	"math"
	"sort"
	"strings"
)

// metric accumulates one compiled metric over an epoch: the mean over
// samples of a per-sample value (Keras: a MeanMetricWrapper).
type metric struct {
	name       string // the key as the student wrote it: "accuracy", "mae", ...
	kind       string // what it computes, e.g. "binary_accuracy"
	higher     bool   // larger is better (for mode "auto" in callbacks)
	sum, count float64
}

// metricKinds maps the accepted metric names to what they compute; "" means
// accuracy, whose kind depends on the shapes (see resolveAccuracy).
var metricKinds = map[string]string{
	"accuracy": "", "acc": "",
	"binary_accuracy":             "binary_accuracy",
	"categorical_accuracy":        "categorical_accuracy",
	"sparse_categorical_accuracy": "sparse_categorical_accuracy",
	"mae":                         "mean_absolute_error", "mean_absolute_error": "mean_absolute_error",
	"mse": "mean_squared_error", "mean_squared_error": "mean_squared_error",
}

// resolveAccuracy picks the accuracy Keras uses for 'accuracy' from the
// shapes (Keras: is_binary_or_sparse_categorical): binary when the output has
// one unit, sparse when the targets are class indices, else categorical.
func resolveAccuracy(outUnits int, sparseTargets bool) string {
	switch {
	case outUnits == 1:
		return "binary_accuracy"
	case sparseTargets:
		return "sparse_categorical_accuracy"
	default:
		return "categorical_accuracy"
	}
}

// reset clears the running mean.
func (m *metric) reset() { m.sum, m.count = 0, 0 }

// result returns the running mean (0 before any update).
func (m *metric) result() float64 {
	if m.count == 0 {
		return 0
	}
	return m.sum / m.count
}

// metricUpdate adds a batch to m: yp holds rows of k predictions; yt holds
// matching rows, or one class index per row for sparse accuracy.
func metricUpdate[T float](m *metric, yt, yp []T, k int) {
	rows := len(yp) / k
	for r := 0; r < rows; r++ {
		pr := yp[r*k : (r+1)*k]
		var v float64
		switch m.kind {
		case "binary_accuracy":
			for i, p := range pr {
				pred := T(0)
				if p > 0.5 {
					pred = 1
				}
				if pred == yt[r*k+i] {
					v++
				}
			}
			v /= float64(k)
		case "categorical_accuracy":
			if argmax(pr) == argmax(yt[r*k:(r+1)*k]) {
				v = 1
			}
		case "sparse_categorical_accuracy":
			if T(argmax(pr)) == yt[r] {
				v = 1
			}
		case "mean_absolute_error":
			for i, p := range pr {
				v += math.Abs(float64(yt[r*k+i]) - float64(p))
			}
			v /= float64(k)
		case "mean_squared_error":
			for i, p := range pr {
				d := float64(yt[r*k+i]) - float64(p)
				v += d * d
			}
			v /= float64(k)
		}
		m.sum += v
	}
	m.count += float64(rows)
}

// argmax returns the index of the first largest value.
func argmax[T float](v []T) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}

// metricNames lists the accepted metric names for error messages.
func metricNames() string {
	names := make([]string, 0, len(metricKinds))
	for n := range metricKinds {
		names = append(names, n)
	}
	sort.Strings(names)
	return `"` + strings.Join(names, `", "`) + `"`
}

// lossTracker is the running batch-size-weighted mean of one output's
// loss, which Keras logs as "<output>_loss" for a model with several
// outputs.
type lossTracker struct {
	name     string
	sum, num float64
}

// add records a batch's loss.
func (l *lossTracker) add(loss float64, n int) {
	l.sum += loss * float64(n)
	l.num += float64(n)
}

// result returns the mean (0 before any batch).
func (l *lossTracker) result() float64 {
	if l.num == 0 {
		return 0
	}
	return l.sum / l.num
}
