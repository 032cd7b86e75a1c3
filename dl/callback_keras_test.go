package dl

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// lrCase is a case of testdata/keras/callbacks.json for the callbacks that
// ReduceLROnPlateau, LearningRateScheduler, TerminateOnNaN and CSVLogger
// added: Keras driven by hand, as for callbackCase.
type lrCase struct {
	Kind, Name, Monitor, Schedule string
	Args                          map[string]any
	InitialLR                     float64 `json:"initial_lr"`
	Sequence                      []float64
	Epochs                        []struct {
		LoggedLR        float64  `json:"logged_lr"`
		LR              float64  `json:"lr"`
		Wait            int      `json:"wait"`
		CooldownCounter int      `json:"cooldown_counter"`
		Best            *float64 `json:"best"`
	}
	Losses       []string
	StoppedBatch int `json:"stopped_batch"`
	Runs         [][]Logs
	File, Stdout string
	Error        *string
}

// kerasCases returns the fixture's cases of one kind.
func kerasCases(t *testing.T, kind string) []lrCase {
	var out []lrCase
	for _, c := range loadFixture[lrCase](t, "callbacks.json") {
		if c.Kind == kind {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		t.Fatalf("callbacks.json has no %s case", kind)
	}
	return out
}

// forCases runs f as a parallel subtest for each case of the kind, and
// compares what the callback printed into out with what Keras printed.
func forCases(t *testing.T, kind string, f func(t *testing.T, c lrCase, out *strings.Builder)) {
	t.Parallel()
	for _, c := range kerasCases(t, kind) {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			var out strings.Builder
			f(t, c, &out)
			if out.String() != c.Stdout {
				t.Errorf("printed %q, Keras printed %q", out.String(), c.Stdout)
			}
		})
	}
}

// sgdModel returns callbackModel's model with SGD at learning rate lr.
func sgdModel(logs []Logs, lr float64) *Model {
	m := callbackModel(logs)
	m.compiled.optimizer.(*SGD).LearningRate = lr
	return m
}

// TestKerasReduceLROnPlateau compares the learning rates, the counters and
// the messages with Keras's, epoch by epoch.
func TestKerasReduceLROnPlateau(t *testing.T) {
	forCases(t, "ReduceLROnPlateau", func(t *testing.T, c lrCase, out *strings.Builder) {
		var logs []Logs
		for _, v := range c.Sequence {
			logs = append(logs, Logs{"loss": 1, c.Monitor: v})
		}
		m := sgdModel(logs, c.InitialLR)
		mode, _ := c.Args["mode"].(string)
		r := &ReduceLROnPlateau{Monitor: c.Monitor, Mode: mode, Factor: num(c.Args, "factor"),
			Patience: int(num(c.Args, "patience")), Verbose: int(num(c.Args, "verbose")),
			Cooldown: int(num(c.Args, "cooldown")), MinLR: num(c.Args, "min_lr")}
		if md, ok := c.Args["min_delta"].(float64); ok {
			r.MinDelta = md
			if md == 0 {
				r.MinDelta = NoMinDelta
			}
		}
		if r.Patience == 0 {
			r.Patience = 1 // Keras's patience 0 acts as 1; dl's 0 is the default 10
			if _, ok := c.Args["patience"]; !ok {
				r.Patience = 0
			}
		}
		r.SetModel(m)
		r.SetParams(Params{Output: out})
		err := r.OnTrainBegin(nil)
		if c.Error != nil {
			if err == nil || !strings.Contains(err.Error(), "Factor") {
				t.Fatalf("error %v; Keras: %s", err, *c.Error)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		for e, want := range c.Epochs {
			l := Logs{"loss": 1, c.Monitor: c.Sequence[e]}
			Check(r.OnEpochEnd(e, l))
			lr := m.compiled.optimizer.CurrentLearningRate()
			best := r.Best()
			if l["learning_rate"] != want.LoggedLR || lr != want.LR || r.Wait() != want.Wait ||
				r.CooldownCounter() != want.CooldownCounter || want.Best == nil || best != *want.Best {
				t.Errorf("epoch %d: logged lr %v, lr %v, wait %d, cooldown %d, best %v; Keras %v, %v, %d, %d, %v",
					e, l["learning_rate"], lr, r.Wait(), r.CooldownCounter(), best,
					want.LoggedLR, want.LR, want.Wait, want.CooldownCounter, *want.Best)
			}
		}
	})
}

// kerasSchedules are the schedules of the fixture, by name.
var kerasSchedules = map[string]func(int, float64) float64{
	"halve_from_epoch_2": func(e int, lr float64) float64 {
		if e < 2 {
			return lr
		}
		return lr * 0.5
	},
	"times_0.9": func(_ int, lr float64) float64 { return lr * 0.9 },
	"table":     func(e int, _ float64) float64 { return []float64{0.1, 0.05, 0.01, 0.005, 0.001}[e] },
}

// TestKerasLearningRateScheduler compares the learning rates set and
// logged, and the messages, with Keras's.
func TestKerasLearningRateScheduler(t *testing.T) {
	forCases(t, "LearningRateScheduler", func(t *testing.T, c lrCase, out *strings.Builder) {
		m := sgdModel([]Logs{{"loss": 1}}, c.InitialLR)
		s := &LearningRateScheduler{Schedule: kerasSchedules[c.Schedule], Verbose: int(num(c.Args, "verbose"))}
		s.SetModel(m)
		s.SetParams(Params{Output: out})
		Check(s.OnTrainBegin(nil))
		for e, want := range c.Epochs {
			Check(s.OnEpochBegin(e, Logs{}))
			lr := m.compiled.optimizer.CurrentLearningRate()
			l := Logs{"loss": 1}
			Check(s.OnEpochEnd(e, l))
			if lr != want.LR || l["learning_rate"] != want.LoggedLR {
				t.Errorf("epoch %d: lr %v, logged %v; Keras %v, %v", e, lr, l["learning_rate"], want.LR, want.LoggedLR)
			}
		}
	})
}

// TestKerasTerminateOnNaN compares the batch that stops training, the
// message and the error with Keras's.
func TestKerasTerminateOnNaN(t *testing.T) {
	forCases(t, "TerminateOnNaN", func(t *testing.T, c lrCase, out *strings.Builder) {
		m := callbackModel([]Logs{{"loss": 1}})
		raise, _ := c.Args["raise_error"].(bool)
		cb := &TerminateOnNaN{RaiseError: raise}
		cb.SetModel(m)
		cb.SetParams(Params{Output: out})
		stopped := -1
		var err error
		for b, s := range c.Losses {
			loss, perr := strconv.ParseFloat(s, 64)
			if perr != nil {
				t.Fatal(perr)
			}
			if err = cb.OnTrainBatchEnd(b, Logs{"loss": loss}); err != nil || m.StopTraining {
				stopped = b
				break
			}
		}
		if stopped != c.StoppedBatch {
			t.Errorf("stopped at batch %d, Keras at %d", stopped, c.StoppedBatch)
		}
		switch {
		case c.Error == nil && err != nil:
			t.Errorf("error %v, Keras none", err)
		case c.Error != nil && (err == nil || err.Error() != "TerminateOnNaN: "+*c.Error):
			t.Errorf("error %v, Keras %q", err, *c.Error)
		}
	})
}

// TestKerasCSVLogger compares the file CSVLogger writes with Keras's, byte
// for byte.
func TestKerasCSVLogger(t *testing.T) {
	forCases(t, "CSVLogger", func(t *testing.T, c lrCase, out *strings.Builder) {
		path := filepath.Join(t.TempDir(), "log.csv")
		sep, _ := c.Args["separator"].(string)
		appendMode, _ := c.Args["append"].(bool)
		cb := &CSVLogger{Filename: path, Separator: sep, Append: appendMode}
		for _, run := range c.Runs {
			Check(cb.OnTrainBegin(nil))
			for e, logs := range run {
				Check(cb.OnEpochEnd(e, logs))
			}
			Check(cb.OnTrainEnd(nil))
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != c.File {
			t.Errorf("wrote\n%q\nKeras wrote\n%q", b, c.File)
		}
	})
}

// TestPyStr checks Python's str of floats, which the messages and the CSV
// file use.
func TestPyStr(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		v    float64
		want string
	}{
		{0.1, "0.1"}, {1e-05, "1e-05"}, {0.0001, "0.0001"}, {100, "100.0"}, {1e16, "1e+16"}, {-0.5, "-0.5"},
		{0.30000000000000004, "0.30000000000000004"}, {math.NaN(), "nan"}, {math.Inf(-1), "-inf"}, {0, "0.0"},
	} {
		if got := pyStr(c.v); got != c.want {
			t.Errorf("pyStr(%v) = %q, Python gives %q", c.v, got, c.want)
		}
	}
}
