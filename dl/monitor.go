package dl

import (
	"fmt"
	"math"
	"strings"
)

// monitor is the logic EarlyStopping, ModelCheckpoint and
// ReduceLROnPlateau share (Keras: MonitorCallback): which logged value to
// watch, in which direction, and what counts as an improvement.
type monitor struct {
	key      string  // e.g. "val_loss"
	higher   bool    // larger values are better
	minDelta float64 // ≥ 0: the smallest change that counts
}

// resolveMonitor checks that key will be logged by this Fit and decides the
// direction from mode ("auto", "min" or "max"), as Keras does: loss and
// errors go down, accuracies go up. It reports a key that Fit will not log
// as an error listing the keys it will log, instead of Keras's warning that
// silently never triggers.
func resolveMonitor(who, key, mode string, m *Model) (monitor, error) {
	if key == "" {
		key = "val_loss"
	}
	mon := monitor{key: key}
	found := false
	for _, k := range m.fitKeys {
		found = found || k == key
	}
	if !found {
		hint := ""
		if strings.HasPrefix(key, "val_") {
			hint = "; val_ keys exist only with ValidationSplit or ValidationData"
		}
		return mon, fmt.Errorf("%s: Monitor %q is not a value this Fit logs; available keys are: %s%s",
			who, key, strings.Join(m.fitKeys, ", "), hint)
	}
	switch mode {
	case "min":
	case "max":
		mon.higher = true
	case "", "auto":
		name := strings.TrimPrefix(key, "val_")
		if name != "loss" {
			for _, mt := range metricsOf(m.compiled.train) {
				if mt.name == name {
					mon.higher = mt.higher
				}
			}
		}
	default:
		return mon, fmt.Errorf("%s: Mode must be \"auto\", \"min\" or \"max\", received Mode=%q", who, mode)
	}
	return mon, nil
}

// improved reports whether current beats reference by more than minDelta.
// A NaN reference (no value yet) is always beaten.
func (mon monitor) improved(current, reference float64) bool {
	if math.IsNaN(reference) {
		return true
	}
	if mon.higher {
		return current-mon.minDelta > reference
	}
	return current+mon.minDelta < reference
}

// EarlyStopping stops training when a monitored value has stopped improving
// (Keras: keras.callbacks.EarlyStopping). It follows Keras's counter exactly:
// each epoch increments a wait counter, an improvement resets it, and
// training stops once wait ≥ Patience — never at the first epoch. With
// RestoreBestWeights the weights of the best epoch are restored when
// training ends, whether or not it stopped early. It can be reused across
// Fit calls.
//
// Unlike Keras, which only warns, a Monitor that Fit does not log is an
// error at the start of Fit, listing the keys it does log.
type EarlyStopping struct {
	// Monitor is the logged value to watch (default "val_loss").
	Monitor string
	// MinDelta is the smallest change that counts as an improvement (its
	// sign is ignored, as in Keras).
	MinDelta float64
	// Patience is the number of epochs without improvement after which
	// training stops (default 0: stop at the first epoch that does not
	// improve).
	Patience int
	// Verbose 1 prints when training stops and when weights are restored.
	Verbose int
	// Mode is "auto" (default: from the monitored value's name), "min" or "max".
	Mode string
	// Baseline, when not 0, is a value the monitored value must beat: until
	// it does, improvements do not reset the wait counter (Keras: baseline).
	Baseline float64
	// RestoreBestWeights restores the weights of the best epoch at the end.
	RestoreBestWeights bool
	// StartFromEpoch is the number of warm-up epochs during which nothing is
	// watched (Keras: start_from_epoch).
	StartFromEpoch int

	BaseCallback
	mon          monitor
	wait         int
	stoppedEpoch int
	best         float64
	bestEpoch    int
	bestWeights  []*Tensor
}

// StoppedEpoch returns the 0-based epoch at which the last Fit stopped, or 0
// if it ran all its epochs (Keras: stopped_epoch).
func (e *EarlyStopping) StoppedEpoch() int { return e.stoppedEpoch }

// BestEpoch returns the 0-based epoch with the best monitored value.
func (e *EarlyStopping) BestEpoch() int { return e.bestEpoch }

// OnTrainBegin resets the state, so that the callback can be reused.
func (e *EarlyStopping) OnTrainBegin(Logs) error {
	mon, err := resolveMonitor("EarlyStopping", e.Monitor, e.Mode, e.Model())
	if err != nil {
		return err
	}
	mon.minDelta = math.Abs(e.MinDelta)
	e.mon = mon
	e.wait, e.stoppedEpoch, e.bestEpoch = 0, 0, 0
	e.best = math.NaN()
	e.bestWeights = nil
	return nil
}

// OnEpochEnd updates the counter and asks the model to stop when patience
// has run out.
func (e *EarlyStopping) OnEpochEnd(epoch int, logs Logs) error {
	current, ok := logs[e.mon.key]
	if !ok || epoch < e.StartFromEpoch {
		return nil
	}
	m := e.Model()
	if e.RestoreBestWeights && e.bestWeights == nil {
		e.bestWeights, e.bestEpoch = m.GetWeights(), epoch
	}
	e.wait++
	if e.mon.improved(current, e.best) {
		e.best, e.bestEpoch = current, epoch
		if e.RestoreBestWeights {
			e.bestWeights = m.GetWeights()
		}
		if e.Baseline == 0 || e.mon.improved(current, e.Baseline) {
			e.wait = 0
		}
		return nil
	}
	if e.wait >= e.Patience && epoch > 0 {
		e.stoppedEpoch = epoch
		m.StopTraining = true
	}
	return nil
}

// OnTrainEnd reports the stop and restores the best weights.
func (e *EarlyStopping) OnTrainEnd(Logs) error {
	if e.stoppedEpoch > 0 && e.Verbose > 0 {
		e.printf("Epoch %d: early stopping\n", e.stoppedEpoch+1)
	}
	if e.RestoreBestWeights && e.bestWeights != nil {
		if e.Verbose > 0 {
			e.printf("Restoring model weights from the end of the best epoch: %d.\n", e.bestEpoch+1)
		}
		return e.Model().SetWeights(e.bestWeights)
	}
	return nil
}
