package dl

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// ProgressView shows the progress of Fit when Verbose is 1 or 2. By default
// Fit prints Keras's terminal progress bar (a line that updates in place
// with Verbose 1, one line per epoch with Verbose 2); a notebook
// integration installs its own view through NewProgressView.
type ProgressView interface {
	// EpochBegin is called when an epoch starts: epoch counts from 0 up to
	// epochs-1, and steps is the number of batches per epoch.
	EpochBegin(epoch, epochs, steps int)
	// BatchEnd is called after each batch (step counts from 1) with the
	// running epoch values of the keys, which are in History's order.
	BatchEnd(step int, keys []string, logs Logs)
	// EpochEnd is called with the epoch's final values, validation included.
	EpochEnd(epoch int, keys []string, logs Logs)
	// TrainEnd is called when Fit returns, whether or not it succeeded.
	TrainEnd()
}

// NewProgressView, when not nil, returns the view Fit uses instead of the
// terminal progress bar, for the given Verbose (1 or 2). The notebook
// package sets it when a program runs inside a Jupyter notebook, so that
// importing that package is enough to get a live display.
var NewProgressView func(verbose int) ProgressView

// terminalView prints Keras's progress bar.
type terminalView struct {
	verbose int
	bar     *progbar
	values  []logValue
}

// newTerminalView returns Keras's terminal progress display.
func newTerminalView(verbose int) ProgressView { return &terminalView{verbose: verbose} }

func (v *terminalView) EpochBegin(epoch, epochs, steps int) {
	if epochs > 1 {
		fmt.Fprintf(output(), "Epoch %d/%d\n", epoch+1, epochs)
	}
	v.bar = newProgbar(output(), steps, v.verbose, time.Now)
}

func (v *terminalView) BatchEnd(step int, keys []string, logs Logs) {
	if step < v.bar.target {
		v.values = barValuesOf(v.values[:0], logs, keys, false)
		v.bar.update(step, v.values, false)
	}
}

func (v *terminalView) EpochEnd(_ int, keys []string, logs Logs) {
	v.values = barValuesOf(v.values[:0], logs, keys, true)
	v.bar.update(v.bar.target, v.values, true)
}

func (v *terminalView) TrainEnd() {}

// AppendLogValue appends a logged value as Keras's progress bar shows it:
// "%.4f" when |v| > 1e-3, "%.4e" otherwise, and nan, inf, -inf as Python
// spells them. Progress views use it to show numbers as Keras does.
func AppendLogValue(b []byte, v float64) []byte {
	return progbarAppendValue(b, v, math.Abs(v) > 1e-3)
}

// barValuesOf lists the values a progress line shows, reusing dst.
func barValuesOf(dst []logValue, logs Logs, keys []string, withVal bool) []logValue {
	for _, k := range keys {
		if !withVal && strings.HasPrefix(k, "val_") {
			continue
		}
		dst = append(dst, logValue{Key: k, Value: logs[k]})
	}
	return dst
}
