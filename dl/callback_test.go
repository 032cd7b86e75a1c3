package dl

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// paramsSpy records the parameters and the epoch-end keys it is given.
type paramsSpy struct {
	BaseCallback
	seen   Params
	epochs []Logs
}

func (s *paramsSpy) OnTrainBegin(Logs) error {
	s.seen = s.Params()
	return nil
}

func (s *paramsSpy) OnEpochEnd(_ int, logs Logs) error {
	s.epochs = append(s.epochs, logs)
	return nil
}

// TestCallbackParams checks what Fit tells callbacks before training
// (Keras: set_params): epochs, steps, verbose, the keys it will log and the
// output.
func TestCallbackParams(t *testing.T) {
	t.Parallel()
	x, y := regressionData(50)
	m := smallModel()
	Check(m.Compile(CompileOptions{Optimizer: "adam", Loss: "mse", Metrics: []string{"mae"}}))
	var out bytes.Buffer
	spy := &paramsSpy{}
	h, err := m.Fit(x, y, FitOptions{Epochs: 3, BatchSize: 8, ValidationSplit: 0.2, Verbose: 2, Callbacks: []Callback{spy}, Output: &out})
	if err != nil {
		t.Fatal(err)
	}
	want := Params{Epochs: 3, Steps: 5, Verbose: 2, Keys: []string{"loss", "mae", "val_loss", "val_mae"}, Output: &out}
	if !reflect.DeepEqual(spy.seen, want) {
		t.Errorf("params %+v, want %+v", spy.seen, want)
	}
	if !reflect.DeepEqual(h.Keys(), want.Keys) {
		t.Errorf("history keys %v, want the params' keys %v", h.Keys(), want.Keys)
	}
	// Verbose 2: one line per epoch, into the Output given.
	if got := strings.Count(out.String(), "\n"); got != 6 || !strings.HasPrefix(out.String(), "Epoch 1/3\n5/5 - ") {
		t.Errorf("printed %q, want 3 epoch headers and 3 lines", out.String())
	}
}

// TestProgressCallbackReplacesDefault checks that a progress callback
// among the callbacks replaces the default progress bar, as a ProgbarLogger
// passed to Keras's fit does, and that Silent prints nothing.
func TestProgressCallbackReplacesDefault(t *testing.T) {
	t.Parallel()
	x, y := regressionData(20)
	m := smallModel()
	Check(m.Compile(CompileOptions{Optimizer: "adam", Loss: "mse"}))
	var out, mine bytes.Buffer
	bar := &ProgbarLogger{}
	spy := &paramsSpy{}
	if _, err := m.Fit(x, y, FitOptions{Epochs: 2, Verbose: 2, Callbacks: []Callback{bar, spy}, Output: &out}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "Epoch 2/2"); n != 1 {
		t.Errorf("printed %d progress bars, want 1:\n%s", n, out.String())
	}
	if _, err := m.Fit(x, y, FitOptions{Epochs: 2, Verbose: Silent, Output: &mine}); err != nil {
		t.Fatal(err)
	}
	if mine.Len() != 0 {
		t.Errorf("Silent printed %q", mine.String())
	}
}

// fitLogged trains smallModel with the optimizer for some epochs with the
// callback, and returns the History and what Fit printed.
func fitLogged(t *testing.T, opt Optimizer, epochs, verbose int, cb Callback) (*History, *bytes.Buffer) {
	t.Helper()
	x, y := regressionData(20)
	m := smallModel()
	Check(m.Compile(CompileOptions{Optimizer: opt, Loss: "mse"}))
	var out bytes.Buffer
	h, err := m.Fit(x, y, FitOptions{Epochs: epochs, Verbose: verbose, Callbacks: []Callback{cb}, Output: &out})
	if err != nil {
		t.Fatal(err)
	}
	return h, &out
}

// TestHistoryRecordsLearningRate checks that the learning rate a callback
// logs is recorded after Fit's own keys and shown by the progress bar, as
// in Keras 3.
func TestHistoryRecordsLearningRate(t *testing.T) {
	t.Parallel()
	halve := &LearningRateScheduler{Schedule: func(_ int, lr float64) float64 { return lr / 2 }}
	h, out := fitLogged(t, &SGD{LearningRate: 0.01}, 3, 2, halve)
	if want := []string{"loss", "learning_rate"}; !reflect.DeepEqual(h.Keys(), want) {
		t.Errorf("history keys %v, want %v", h.Keys(), want)
	}
	if got, want := h.History["learning_rate"], []float64{0.005, 0.0025, 0.00125}; !reflect.DeepEqual(got, want) {
		t.Errorf("learning_rate %v, want %v", got, want)
	}
	if !strings.Contains(out.String(), " - learning_rate: 0.0013\n") {
		t.Errorf("the progress bar does not show the learning rate:\n%s", out.String())
	}
}

// TestReduceLROnPlateauInFit checks the reduction during a real Fit whose
// monitored value cannot improve by the MinDelta asked.
func TestReduceLROnPlateauInFit(t *testing.T) {
	t.Parallel()
	r := &ReduceLROnPlateau{Monitor: "loss", MinDelta: 100, Patience: 2, Factor: 0.5, Verbose: 1}
	h, out := fitLogged(t, &Adam{LearningRate: 0.01}, 5, Silent, r)
	if got, want := h.History["learning_rate"], []float64{0.01, 0.01, 0.01, 0.005, 0.005}; !reflect.DeepEqual(got, want) {
		t.Errorf("learning_rate %v, want %v", got, want)
	}
	if want := "\nEpoch 3: ReduceLROnPlateau reducing learning rate to 0.005.\n\nEpoch 5: ReduceLROnPlateau reducing learning rate to 0.0025.\n"; out.String() != want {
		t.Errorf("printed %q, want %q", out.String(), want)
	}
	x, y := regressionData(20)
	m := smallModel()
	Check(m.Compile(CompileOptions{Optimizer: "adam", Loss: "mse"}))
	_, err := m.Fit(x, y, FitOptions{Verbose: Silent, Callbacks: []Callback{&ReduceLROnPlateau{Factor: 2}}})
	if err == nil || !strings.Contains(err.Error(), "Factor=2") {
		t.Errorf("Factor 2: error %v", err)
	}
}

// divergingModel returns a model and data whose loss becomes infinite
// within a few batches.
func divergingModel() (*Model, *Tensor, *Tensor) {
	x, y := regressionData(64)
	m := smallModel()
	Check(m.Compile(CompileOptions{Optimizer: &SGD{LearningRate: 1e6}, Loss: "mse"}))
	return &m.Model, x, y
}

// TestTerminateOnNaNInFit checks that Fit stops quietly at a NaN loss with
// TerminateOnNaN, and with an error without it.
func TestTerminateOnNaNInFit(t *testing.T) {
	t.Parallel()
	m, x, y := divergingModel()
	var out bytes.Buffer
	h, err := m.Fit(x, y, FitOptions{Epochs: 5, BatchSize: 8, Verbose: Silent, Callbacks: []Callback{&TerminateOnNaN{}}, Output: &out})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Epoch) != 1 || !strings.HasPrefix(out.String(), "Batch ") || !strings.HasSuffix(out.String(), ": Invalid loss, terminating training\n") {
		t.Errorf("%d epochs, printed %q", len(h.Epoch), out.String())
	}
	m, x, y = divergingModel()
	_, err = m.Fit(x, y, FitOptions{Epochs: 5, BatchSize: 8, Verbose: Silent, Callbacks: []Callback{&TerminateOnNaN{RaiseError: true}}})
	if err == nil || !strings.Contains(err.Error(), "TerminateOnNaN: NaN or Inf loss encountered at batch") {
		t.Errorf("RaiseError: error %v", err)
	}
	m, x, y = divergingModel()
	if _, err = m.Fit(x, y, FitOptions{Epochs: 5, BatchSize: 8, Verbose: Silent}); err == nil || !strings.Contains(err.Error(), "smaller learning rate") {
		t.Errorf("without TerminateOnNaN: error %v", err)
	}
}

// TestCSVLoggerInFit checks the file of a real Fit, appended to by a
// second one.
func TestCSVLoggerInFit(t *testing.T) {
	t.Parallel()
	x, y := regressionData(20)
	m := smallModel()
	Check(m.Compile(CompileOptions{Optimizer: "adam", Loss: "mse", Metrics: []string{"mae"}}))
	path := filepath.Join(t.TempDir(), "log.csv")
	csv := &CSVLogger{Filename: path, Append: true}
	for range 2 {
		if _, err := m.Fit(x, y, FitOptions{Epochs: 2, Verbose: Silent, ValidationSplit: 0.25, Callbacks: []Callback{csv}}); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\r\n")
	if len(lines) != 6 || lines[0] != "epoch,loss,mae,val_loss,val_mae" || !strings.HasPrefix(lines[4], "1,") || lines[5] != "" {
		t.Errorf("file:\n%s", b)
	}
	for _, bad := range []*CSVLogger{{}, {Filename: path, Separator: ";;"}, {Filename: filepath.Join(path, "no", "dir.csv")}} {
		if _, err := m.Fit(x, y, FitOptions{Verbose: Silent, Callbacks: []Callback{bad}}); err == nil || !strings.Contains(err.Error(), "CSVLogger: ") {
			t.Errorf("%+v: error %v", bad, err)
		}
	}
}

// TestLearningRateSchedulerErrors checks the settings and results that
// stop Fit.
func TestLearningRateSchedulerErrors(t *testing.T) {
	t.Parallel()
	x, y := regressionData(20)
	m := smallModel()
	Check(m.Compile(CompileOptions{Optimizer: "adam", Loss: "mse"}))
	for _, c := range []struct {
		s    *LearningRateScheduler
		want string
	}{
		{&LearningRateScheduler{}, "Schedule is required"},
		{&LearningRateScheduler{Schedule: func(int, float64) float64 { return -1 }}, "returned -1 for epoch 0"},
	} {
		if _, err := m.Fit(x, y, FitOptions{Verbose: Silent, Callbacks: []Callback{c.s}}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want %q", err, c.want)
		}
	}
}
