package dl

import (
	"math"
	"strings"
	"time"
)

// ProgbarLogger prints Keras's terminal progress bar during Fit (Keras:
// keras.callbacks.ProgbarLogger): with Verbose 1 a line that updates in
// place, with Verbose 2 one line per epoch, and with Silent nothing. Fit
// adds one by default (see ProgressCallback); pass one in
// FitOptions.Callbacks to get the terminal bar where another display is
// registered, for example in a notebook.
//
// It prints to Params().Output, which is FitOptions.Output (os.Stdout by
// default).
type ProgbarLogger struct {
	BaseCallback
	bar    *progbar
	values []logValue
}

// ShowsProgress implements ProgressCallback.
func (p *ProgbarLogger) ShowsProgress() {}

// OnTrainBegin forgets the bar of a previous Fit.
func (p *ProgbarLogger) OnTrainBegin(Logs) error {
	p.bar = nil
	return nil
}

// OnEpochBegin prints "Epoch 3/10" when there are several epochs and
// starts the epoch's bar.
func (p *ProgbarLogger) OnEpochBegin(epoch int, _ Logs) error {
	ps := p.Params()
	if ps.Verbose <= 0 {
		return nil
	}
	if ps.Epochs > 1 {
		p.printf("Epoch %d/%d\n", epoch+1, ps.Epochs)
	}
	p.bar = newProgbar(p.output(), ps.Steps, ps.Verbose, time.Now)
	return nil
}

// OnTrainBatchEnd redraws the bar (throttled) with the running values,
// except after the last batch, whose line OnEpochEnd draws with the
// validation values.
func (p *ProgbarLogger) OnTrainBatchEnd(batch int, logs Logs) error {
	if p.bar != nil && batch+1 < p.bar.target {
		p.values = barValuesOf(p.values[:0], logs, p.Params().Keys, false)
		p.bar.update(batch+1, p.values, false)
	}
	return nil
}

// OnEpochEnd draws the epoch's final line.
func (p *ProgbarLogger) OnEpochEnd(_ int, logs Logs) error {
	if p.bar != nil {
		p.values = barValuesOf(p.values[:0], logs, epochKeys(p.Params().Keys, logs), true)
		p.bar.update(p.bar.target, p.values, true)
	}
	return nil
}

// AppendLogValue appends a logged value as Keras's progress bar shows it:
// "%.4f" when |v| > 1e-3, "%.4e" otherwise, and nan, inf, -inf as Python
// spells them. Progress displays use it to show numbers as Keras does.
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

var _ ProgressCallback = (*ProgbarLogger)(nil)
