package notebook

import (
	"encoding/json"
	"io"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/dlgo/dlgo/dl"
)

// BenchmarkFit measures the live view's cost on chapter 7's dropout model
// (455 rows of 30 features, 364 for training, batch 32: 12 steps an epoch,
// about a millisecond each), the lecture model with the shortest epochs and
// so the largest relative overhead. One iteration is one epoch.
//
//   - silent: Verbose: dl.Silent, the baseline;
//   - terminal: the default progress bar, written to /dev/null;
//   - live: the notebook view, whose updates are JSON-encoded and written
//     to io.Discard as gonbui would send them to the kernel; it reports
//     view-%, the share of Fit's time spent in the view's methods;
//   - live_every_batch: the view with throttling off (every batch and epoch
//     redraws), to show what the throttle saves.
func BenchmarkFit(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	x, y := dl.Zeros(455, 30), dl.Zeros(455, 1)
	for i := range x.Data() {
		x.Data()[i] = rng.NormFloat64()
	}
	for i := 0; i < 455; i++ {
		if x.At(i, 0)+x.At(i, 1)+x.At(i, 2) > 0 {
			y.Set(1, i, 0)
		}
	}
	newModel := func() *dl.Model {
		dl.SetRandomSeed(1)
		m := dl.NewSequential(dl.Input(30),
			&dl.Dense{Units: 128, Activation: "relu"}, &dl.Dropout{Rate: 0.4},
			&dl.Dense{Units: 64, Activation: "relu"}, &dl.Dropout{Rate: 0.4},
			&dl.Dense{Units: 32, Activation: "relu"}, &dl.Dropout{Rate: 0.4},
			&dl.Dense{Units: 1, Activation: "sigmoid"})
		dl.Check(m.Compile(dl.CompileOptions{Optimizer: "adam", Loss: "binary_crossentropy", Metrics: []string{"accuracy"}}))
		return &m.Model
	}
	// jsonSink does the work of gonbui.UpdateHTML: encode, then write.
	enc := json.NewEncoder(io.Discard)
	jsonSink := func(id, html string) {
		_ = enc.Encode(map[string]any{"data": map[string]any{"text/html": html}, "display_id": id})
	}
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer devNull.Close()

	for _, c := range []struct {
		name     string
		verbose  int
		live     bool
		throttle bool
	}{
		{"silent", dl.Silent, false, true},
		{"terminal", 1, false, true},
		{"live", 1, true, true},
		{"live_every_batch", 1, true, false},
	} {
		b.Run(c.name, func(b *testing.B) {
			var inView time.Duration
			opts := dl.FitOptions{Epochs: b.N, ValidationSplit: 0.2, Verbose: c.verbose, Output: devNull}
			if c.live {
				v := NewView()
				v.sink, v.flush = jsonSink, func() {}
				if !c.throttle {
					v.batchInterval, v.epochInterval = 0, 0
				}
				opts.Callbacks = []dl.Callback{&timedView{View: v, total: &inView}}
			}
			m := newModel()
			b.ResetTimer()
			start := time.Now()
			if _, err := m.Fit(x, y, opts); err != nil {
				b.Fatal(err)
			}
			if c.live {
				// The share of Fit's time spent in the view: the overhead,
				// measured within one run, so that the machine's load
				// affects both sides alike.
				b.ReportMetric(100*inView.Seconds()/time.Since(start).Seconds(), "view-%")
			}
		})
	}
}

// BenchmarkViewEpoch measures the view alone for one epoch of the dropout
// model's shape (12 batches, 4 keys), in the worst case where the epoch end
// redraws the block and the history has 100 epochs: a bound on what the view
// adds to an epoch, to compare with BenchmarkFit/silent.
func BenchmarkViewEpoch(b *testing.B) {
	enc := json.NewEncoder(io.Discard)
	keys := []string{"accuracy", "loss", "val_accuracy", "val_loss"}
	logs := dl.Logs{"accuracy": 0.9, "loss": 0.3}
	v := NewView()
	v.sink = func(id, html string) {
		_ = enc.Encode(map[string]any{"data": map[string]any{"text/html": html}, "display_id": id})
	}
	v.flush = func() {}
	v.epochInterval = 0
	v.SetParams(dl.Params{Epochs: 1 << 30, Steps: 12, Verbose: 1, Keys: keys})
	for e := 0; e < 100; e++ {
		v.OnEpochBegin(e, nil)
		v.OnEpochEnd(e, dl.Logs{"accuracy": 0.9, "loss": 0.3, "val_accuracy": 0.9, "val_loss": 0.35})
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e := 100 + i
		v.OnEpochBegin(e, nil)
		for s := 0; s < 12; s++ {
			v.OnTrainBatchEnd(s, logs)
		}
		v.OnEpochEnd(e, dl.Logs{"accuracy": 0.9, "loss": 0.3, "val_accuracy": 0.9, "val_loss": 0.35})
		if len(v.p.Loss) > 100 { // keep the chart at 100 epochs
			v.p.Loss, v.p.ValLoss = v.p.Loss[1:], v.p.ValLoss[1:]
		}
	}
}

// timedView adds the time spent in the hooks of View to *total.
type timedView struct {
	*View
	total *time.Duration
}

func (t *timedView) OnEpochBegin(epoch int, logs dl.Logs) error {
	defer t.since(time.Now())
	return t.View.OnEpochBegin(epoch, logs)
}

func (t *timedView) OnTrainBatchEnd(batch int, logs dl.Logs) error {
	defer t.since(time.Now())
	return t.View.OnTrainBatchEnd(batch, logs)
}

func (t *timedView) OnEpochEnd(epoch int, logs dl.Logs) error {
	defer t.since(time.Now())
	return t.View.OnEpochEnd(epoch, logs)
}

func (t *timedView) OnTrainEnd(logs dl.Logs) error {
	defer t.since(time.Now())
	return t.View.OnTrainEnd(logs)
}

func (t *timedView) since(start time.Time) { *t.total += time.Since(start) }
