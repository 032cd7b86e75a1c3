package dl

import (
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"
	"sync/atomic"
)

// Logs holds named values such as "loss" and "val_accuracy" (Keras: the logs
// dict passed to callbacks). Within an epoch they are running means; at
// epoch end they are the epoch's values.
type Logs map[string]float64

// Params are the parameters of a run, which Fit (and Evaluate) give every
// callback before the first hook (Keras: Callback.params, set with
// set_params).
type Params struct {
	// Epochs is the number of epochs Fit was asked for (1 for Evaluate).
	Epochs int
	// Steps is the number of batches per epoch.
	Steps int
	// Verbose is the Verbose setting in effect: 1, 2 or Silent.
	Verbose int
	// Keys are the values Fit logs at the end of each epoch, in History's
	// order (see History.Keys). Callbacks may log more: ReduceLROnPlateau
	// and LearningRateScheduler add "learning_rate", which History then
	// records after these keys.
	Keys []string
	// Output is where progress and callback messages are printed: the
	// Output of FitOptions (or EvaluateOptions), or os.Stdout. Fit never
	// leaves it nil; a callback driven by hand prints to os.Stdout when it is.
	Output io.Writer
}

// Callback receives events during Fit and Evaluate (Keras:
// keras.callbacks.Callback). Embed BaseCallback in your own type and
// override only the methods you need. Returning an error from any hook stops
// Fit with that error; to stop training gracefully, set
// Model().StopTraining = true, as a Keras callback sets
// self.model.stop_training.
//
// Epochs and batches are counted from 0, as in Keras; messages for people
// print epoch+1.
type Callback interface {
	// SetModel is called by Fit before any hook with the model being trained.
	SetModel(m *Model)
	// SetParams is called by Fit before any hook with the run's parameters.
	SetParams(p Params)
	// OnTrainBegin is called when Fit starts training.
	OnTrainBegin(logs Logs) error
	// OnTrainEnd is called when training ends without an error.
	OnTrainEnd(logs Logs) error
	// OnEpochBegin is called at the start of each epoch.
	OnEpochBegin(epoch int, logs Logs) error
	// OnEpochEnd is called with the epoch's values, validation included.
	OnEpochEnd(epoch int, logs Logs) error
	// OnTrainBatchBegin is called before each training batch.
	OnTrainBatchBegin(batch int, logs Logs) error
	// OnTrainBatchEnd is called after each training batch with the running
	// values of the epoch.
	OnTrainBatchEnd(batch int, logs Logs) error
	// OnTestBegin is called when an evaluation (validation) starts.
	OnTestBegin(logs Logs) error
	// OnTestEnd is called with the evaluation's values.
	OnTestEnd(logs Logs) error
	// OnTestBatchBegin is called before each evaluation batch.
	OnTestBatchBegin(batch int, logs Logs) error
	// OnTestBatchEnd is called after each evaluation batch.
	OnTestBatchEnd(batch int, logs Logs) error
}

// BaseCallback implements every Callback method as a no-op and remembers the
// model and the parameters. Embed it to write a callback:
//
//	type printer struct{ dl.BaseCallback }
//
//	func (p *printer) OnEpochEnd(epoch int, logs dl.Logs) error {
//		fmt.Println(epoch+1, logs["loss"])
//		return nil
//	}
type BaseCallback struct {
	model  *Model
	params Params
}

// SetModel implements Callback.
func (c *BaseCallback) SetModel(m *Model) { c.model = m }

// Model returns the model being trained (Keras: self.model).
func (c *BaseCallback) Model() *Model { return c.model }

// SetParams implements Callback.
func (c *BaseCallback) SetParams(p Params) { c.params = p }

// Params returns the run's parameters (Keras: self.params).
func (c *BaseCallback) Params() Params { return c.params }

// OnTrainBegin implements Callback.
func (c *BaseCallback) OnTrainBegin(Logs) error { return nil }

// OnTrainEnd implements Callback.
func (c *BaseCallback) OnTrainEnd(Logs) error { return nil }

// OnEpochBegin implements Callback.
func (c *BaseCallback) OnEpochBegin(int, Logs) error { return nil }

// OnEpochEnd implements Callback.
func (c *BaseCallback) OnEpochEnd(int, Logs) error { return nil }

// OnTrainBatchBegin implements Callback.
func (c *BaseCallback) OnTrainBatchBegin(int, Logs) error { return nil }

// OnTrainBatchEnd implements Callback.
func (c *BaseCallback) OnTrainBatchEnd(int, Logs) error { return nil }

// OnTestBegin implements Callback.
func (c *BaseCallback) OnTestBegin(Logs) error { return nil }

// OnTestEnd implements Callback.
func (c *BaseCallback) OnTestEnd(Logs) error { return nil }

// OnTestBatchBegin implements Callback.
func (c *BaseCallback) OnTestBatchBegin(int, Logs) error { return nil }

// OnTestBatchEnd implements Callback.
func (c *BaseCallback) OnTestBatchEnd(int, Logs) error { return nil }

// output returns where the callback prints: Params().Output, or os.Stdout.
func (c *BaseCallback) output() io.Writer {
	return writerOr(c.params.Output)
}

// printf prints a message of the callback to its output.
func (c *BaseCallback) printf(format string, args ...any) {
	fmt.Fprintf(c.output(), format, args...)
}

// writerOr returns w, or os.Stdout (as it is at the time of the call) when
// w is nil.
func writerOr(w io.Writer) io.Writer {
	if w == nil {
		return os.Stdout
	}
	return w
}

// epochKeys returns the keys of an epoch's logs in the order History
// records them and progress displays show them: keys (Params.Keys), then
// any other key a callback logged (such as "learning_rate"), sorted. It
// returns keys itself when there is no other key.
func epochKeys(keys []string, logs Logs) []string {
	var extra []string
	for k := range logs {
		if !containsKey(keys, k) {
			extra = append(extra, k)
		}
	}
	if len(extra) == 0 {
		return keys
	}
	sort.Strings(extra)
	return append(keys[:len(keys):len(keys)], extra...)
}

// containsKey reports whether keys holds k.
func containsKey(keys []string, k string) bool {
	for _, x := range keys {
		if x == k {
			return true
		}
	}
	return false
}

// ProgressCallback is a Callback that shows the progress of Fit, such as
// ProgbarLogger (Keras's terminal progress bar) or the notebook package's
// live view. When Verbose is not Silent, Fit adds one after the other
// callbacks, as Keras adds a ProgbarLogger; a ProgressCallback among
// FitOptions.Callbacks replaces it, as passing a ProgbarLogger to Keras's
// fit does.
type ProgressCallback interface {
	Callback
	// ShowsProgress marks the type as a progress display; it does nothing.
	ShowsProgress()
}

// newProgress holds the function RegisterProgress registered.
var newProgress atomic.Pointer[func() ProgressCallback]

// RegisterProgress makes Fit show its progress with the callbacks f
// returns, one per Fit, instead of ProgbarLogger, when FitOptions.Callbacks
// has no ProgressCallback of its own. A nil f, or an f that returns nil,
// restores ProgbarLogger. It is meant to be called from an init function,
// as image.RegisterFormat is: the notebook package calls it when the
// program runs inside a Jupyter notebook, so that importing that package
// is enough to get a live display.
func RegisterProgress(f func() ProgressCallback) {
	if f == nil {
		newProgress.Store(nil)
		return
	}
	newProgress.Store(&f)
}

// defaultProgress returns the progress callback Fit adds by default.
func defaultProgress() ProgressCallback {
	if f := newProgress.Load(); f != nil {
		if p := (*f)(); !isNil(p) {
			return p
		}
	}
	return &ProgbarLogger{}
}

// dispatchAll calls f for each callback, turning an error into the
// failure of the running verb: an *Error as it is, any other error as the
// cause of an *Error of op.
func dispatchAll(op string, cbs []Callback, f func(Callback) error) {
	for _, cb := range cbs {
		if err := f(cb); err != nil {
			panic(userPanic{callbackError(op, cb, err)})
		}
	}
}

// callbackError wraps the error a callback returned into an *Error of op,
// naming the callback unless the message already starts with its name (as
// the messages of dl's callbacks do).
func callbackError(op string, cb Callback, err error) error {
	if e, ok := err.(*Error); ok {
		return e
	}
	msg := err.Error()
	if name := strings.TrimPrefix(fmt.Sprintf("%T", cb), "*dl."); !strings.HasPrefix(msg, name+":") {
		msg = fmt.Sprintf("callback %T: %s", cb, msg)
	}
	return &Error{Op: op, Msg: msg, Err: err}
}

// historyRecorder is the callback that fills Fit's History (Keras: the
// History callback that fit adds).
type historyRecorder struct {
	BaseCallback
	h *History
}

// OnEpochEnd records the epoch's values.
func (r *historyRecorder) OnEpochEnd(epoch int, logs Logs) error {
	r.h.record(epoch, logs, epochKeys(r.params.Keys, logs))
	return nil
}

// pyStr formats a float as Python's str (and repr) does, as Keras's
// messages and CSV files show numbers: 0.1, 1e-05, 100.0, nan, -inf.
func pyStr(v float64) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	case math.Signbit(v):
		return "-" + pyRepr(-v)
	}
	return pyRepr(v)
}
