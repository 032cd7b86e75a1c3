package dl

import (
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// regressionData returns x (n, 3) and y (n, 1) with y a noisy linear function of x.
func regressionData(n int) (*Tensor, *Tensor) {
	rng := rand.New(rand.NewPCG(11, 12))
	x := randTensor(rng, n, 3)
	y := Zeros(n, 1)
	for i := 0; i < n; i++ {
		y.data[i] = x.At(i, 0) - 2*x.At(i, 1) + 0.1*rng.NormFloat64()
	}
	return x, y
}

func smallModel() *Sequential {
	return NewSequential(Input(3), &Dense{Units: 4, Activation: ReLU, KernelRegularizer: L2(0.01)}, &Dense{Units: 1})
}

// TestValidationSplitTakesLastRows checks Keras's rule: the validation rows
// are the last fraction, chosen before shuffling, so val_loss equals
// Evaluate on those rows with the weights at the end of the epoch.
func TestValidationSplitTakesLastRows(t *testing.T) {
	x, y := regressionData(50)
	m := smallModel()
	Check(m.Compile(CompileOptions{Optimizer: "adam", Loss: "mse", Metrics: []string{"mae"}}))
	h, err := m.Fit(x, y, FitOptions{Epochs: 1, BatchSize: 8, ValidationSplit: 0.3})
	if err != nil {
		t.Fatal(err)
	}
	split := int(math.Floor(50 * 0.7))
	got, err := m.Evaluate(x.Slice(split, 50), y.Slice(split, 50), EvaluateOptions{BatchSize: 8, Verbose: Silent})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, []float64{h.History["val_loss"][0], h.History["val_mae"][0]}) {
		t.Errorf("Evaluate on the last %d rows = %v, Fit's validation = %v, %v", 50-split, got, h.History["val_loss"], h.History["val_mae"])
	}
	if want := []string{"loss", "mae", "val_loss", "val_mae"}; !reflect.DeepEqual(h.Keys(), want) {
		t.Errorf("History keys = %v, want %v", h.Keys(), want)
	}
	if want := map[string]int{"epochs": 1, "steps": 5, "verbose": 1}; !reflect.DeepEqual(h.Params, want) {
		t.Errorf("History.Params = %v, want %v (35 training rows in batches of 8 = 5 steps)", h.Params, want)
	}
}

// recorder logs every callback event it receives.
type recorder struct {
	BaseCallback
	events []string
	batch  []float64 // running loss at each training batch end
}

func (r *recorder) add(e string) error           { r.events = append(r.events, e); return nil }
func (r *recorder) OnTrainBegin(Logs) error      { return r.add("train_begin") }
func (r *recorder) OnTrainEnd(Logs) error        { return r.add("train_end") }
func (r *recorder) OnEpochBegin(int, Logs) error { return r.add("epoch_begin") }
func (r *recorder) OnEpochEnd(_ int, l Logs) error {
	if _, ok := l["val_loss"]; !ok {
		return errors.New("val_loss missing at epoch end")
	}
	return r.add("epoch_end")
}
func (r *recorder) OnTrainBatchBegin(int, Logs) error { return r.add("batch_begin") }
func (r *recorder) OnTrainBatchEnd(_ int, l Logs) error {
	r.batch = append(r.batch, l["loss"])
	return r.add("batch_end")
}
func (r *recorder) OnTestBegin(Logs) error           { return r.add("test_begin") }
func (r *recorder) OnTestEnd(Logs) error             { return r.add("test_end") }
func (r *recorder) OnTestBatchBegin(int, Logs) error { return r.add("test_batch_begin") }
func (r *recorder) OnTestBatchEnd(int, Logs) error   { return r.add("test_batch_end") }

// TestCallbackOrderAndEpochMean checks Keras's hook order and that the
// epoch loss is the batch-size-weighted mean of the batch losses (the last
// running mean, with a partial last batch).
func TestCallbackOrderAndEpochMean(t *testing.T) {
	x, y := regressionData(12)
	m := smallModel()
	Check(m.Compile(CompileOptions{Optimizer: "sgd", Loss: "mse"}))
	r := &recorder{}
	h, err := m.Fit(x, y, FitOptions{Epochs: 2, BatchSize: 6, ValidationSplit: 0.25, Callbacks: []Callback{r}, Verbose: Silent})
	if err != nil {
		t.Fatal(err)
	}
	epoch := []string{"epoch_begin", "batch_begin", "batch_end", "batch_begin", "batch_end",
		"test_begin", "test_batch_begin", "test_batch_end", "test_end", "epoch_end"}
	want := append(append(append([]string{"train_begin"}, epoch...), epoch...), "train_end")
	if !reflect.DeepEqual(r.events, want) {
		t.Errorf("events\n got %v\nwant %v", r.events, want)
	}
	if h.History["loss"][1] != r.batch[3] {
		t.Errorf("epoch loss %v is not the final running mean %v", h.History["loss"][1], r.batch[3])
	}
	if r.Model() != &m.Model {
		t.Errorf("callback's Model() is not the model being trained")
	}
}

// TestSameSeedSameNumbers checks reproducibility: the same program gives
// the same weights and history, with shuffling and dropout on.
func TestSameSeedSameNumbers(t *testing.T) {
	run := func() (*History, []*Tensor) {
		ClearSession()
		SetRandomSeed(DefaultSeed)
		x, y := regressionData(40)
		m := NewSequential(Input(3), &Dense{Units: 8, Activation: Tanh}, &Dropout{Rate: 0.3}, &Dense{Units: 1})
		Check(m.Compile(CompileOptions{Optimizer: "adam", Loss: "mse"}))
		h := Must(m.Fit(x, y, FitOptions{Epochs: 3, BatchSize: 8, ValidationSplit: 0.2, Verbose: Silent}))
		return h, m.GetWeights()
	}
	h1, w1 := run()
	h2, w2 := run()
	if !reflect.DeepEqual(h1.History, h2.History) || !reflect.DeepEqual(w1, w2) {
		t.Error("two identical runs gave different numbers")
	}
	SetRandomSeed(99)
	x, y := regressionData(40)
	m := NewSequential(Input(3), &Dense{Units: 8, Activation: Tanh}, &Dropout{Rate: 0.3}, &Dense{Units: 1})
	Check(m.Compile(CompileOptions{Optimizer: "adam", Loss: "mse"}))
	h3 := Must(m.Fit(x, y, FitOptions{Epochs: 3, BatchSize: 8, ValidationSplit: 0.2, Verbose: Silent}))
	if reflect.DeepEqual(h1.History, h3.History) {
		t.Error("a different seed gave the same history")
	}
}

// TestDropout checks inverted dropout: the expected output equals the
// input in training, about Rate of the values are zero, and Predict
// (inference) is deterministic and unscaled.
func TestDropout(t *testing.T) {
	d := &Dropout{Rate: 0.4}
	if _, err := d.build([]int{1000}, nil); err != nil {
		t.Fatal(err)
	}
	o := testOp(d)
	x := Zeros(100, 1000)
	for i := range x.data {
		x.data[i] = 1
	}
	y := o.forward(x, true, rand.New(rand.NewPCG(1, 2)))
	zeros, sum := 0, 0.0
	for _, v := range y.data {
		if v == 0 {
			zeros++
		}
		sum += v
	}
	n := float64(len(y.data))
	// 100,000 Bernoulli draws: the standard deviation of the dropped
	// fraction is √(0.4·0.6/1e5) ≈ 0.0015, so 0.01 is over 6σ.
	if frac := float64(zeros) / n; math.Abs(frac-0.4) > 0.01 {
		t.Errorf("dropped fraction %v, want about 0.4", frac)
	}
	if mean := sum / n; math.Abs(mean-1) > 0.02 {
		t.Errorf("mean after dropout %v, want about 1 (inverted scaling)", mean)
	}
	if y := o.forward(x, false, nil); y != x {
		t.Error("Dropout is not the identity outside training")
	}
}

// TestErrors checks that user mistakes come back as *Error values whose
// messages name the problem, never as panics.
func TestErrors(t *testing.T) {
	x, y := regressionData(10)
	nan := x.Clone()
	nan.Set(math.NaN(), 3, 1)
	compiled := func(layers ...Layer) *Model {
		m := NewSequential(layers...)
		Check(m.Compile(CompileOptions{Optimizer: "adam", Loss: "mse"}))
		return &m.Model
	}
	fit := func(m *Model, x, y *Tensor, o FitOptions) error {
		o.Verbose = Silent
		_, err := m.Fit(x, y, o)
		return err
	}
	for _, c := range []struct {
		name string
		err  func() error
		want []string
	}{
		{"fit before compile", func() error {
			return fit(&NewSequential(Input(3), &Dense{Units: 1}).Model, x, y, FitOptions{})
		}, []string{"Fit", "Compile before calling Fit"}},
		{"units", func() error {
			return NewSequential(Input(3), &Dense{Units: 0}).Compile(CompileOptions{Loss: "mse"})
		}, []string{"(Dense)", "Units", "Units=0"}},
		{"activation", func() error {
			return NewSequential(Input(3), &Dense{Units: 2, Activation: "rleu"}).Compile(CompileOptions{Loss: "mse"})
		}, []string{"Dense", `"rleu"`, `"relu"`}},
		{"loss", func() error {
			return NewSequential(Input(3), &Dense{Units: 1}).Compile(CompileOptions{Loss: "mean_square_error"})
		}, []string{"Loss", `"mean_square_error"`, `"mean_squared_error"`}},
		{"no loss", func() error { return NewSequential(Input(3), &Dense{Units: 1}).Compile(CompileOptions{}) }, []string{"Loss is required"}},
		{"optimizer", func() error {
			return NewSequential(Input(3), &Dense{Units: 1}).Compile(CompileOptions{Optimizer: "lion", Loss: "mse"})
		}, []string{`"lion"`, "Optimizer"}},
		{"metric", func() error {
			return NewSequential(Input(3), &Dense{Units: 1}).Compile(CompileOptions{Loss: "mse", Metrics: []string{"acuracy"}})
		}, []string{`"acuracy"`, "Metrics"}},
		{"input shape", func() error {
			return fit(compiled(Input(4), &Dense{Units: 1}), x, y, FitOptions{})
		}, []string{`"input_layer`, "(None, 4)", "(10, 3)"}},
		{"rank 1 x", func() error {
			return fit(compiled(Input(3), &Dense{Units: 1}), FromSlice(make([]float64, 10)), y, FitOptions{})
		}, []string{"batch axis", "(10,)"}},
		{"rows", func() error {
			return fit(compiled(Input(3), &Dense{Units: 1}), x, y.Slice(0, 9), FitOptions{})
		}, []string{"same number of samples", "10 and 9"}},
		{"target shape", func() error {
			return fit(compiled(Input(3), &Dense{Units: 2}), x, y, FitOptions{})
		}, []string{"(10, 1)", "(None, 2)"}},
		{"split", func() error {
			return fit(compiled(Input(3), &Dense{Units: 1}), x, y, FitOptions{ValidationSplit: 0.95})
		}, []string{"ValidationSplit=0.95", "10 samples", "0 for training"}},
		{"split range", func() error {
			return fit(compiled(Input(3), &Dense{Units: 1}), x, y, FitOptions{ValidationSplit: 1.5})
		}, []string{"ValidationSplit=1.5"}},
		{"nan data", func() error {
			return fit(compiled(Input(3), &Dense{Units: 1}), nan, y, FitOptions{})
		}, []string{"x contains NaN", "sample 3"}},
		{"nan loss", func() error {
			big := x.Clone()
			for i := range big.data {
				big.data[i] *= 1e154
			}
			return fit(compiled(Input(3), &Dense{Units: 1}), big, y, FitOptions{})
		}, []string{"epoch 1, batch 1", "loss became"}},
		{"sparse labels", func() error {
			m := NewSequential(Input(3), &Dense{Units: 3, Activation: Softmax})
			Check(m.Compile(CompileOptions{Loss: "sparse_categorical_crossentropy"}))
			return fit(&m.Model, x, FromSlice([]float64{0, 1, 2, 3, 0, 1, 2, 0, 1, 2}), FitOptions{})
		}, []string{"y[3] = 3", "[0, 3)"}},
		{"integer labels with categorical loss", func() error {
			m := NewSequential(Input(3), &Dense{Units: 3, Activation: Softmax})
			Check(m.Compile(CompileOptions{Loss: "categorical_crossentropy"}))
			return fit(&m.Model, x, FromSlice(make([]float64, 10)), FitOptions{})
		}, []string{"sparse_categorical_crossentropy"}},
		{"empty sequential", func() error {
			return fit(compiled(), x, y, FitOptions{})
		}, []string{"no layers"}},
		{"set weights", func() error {
			return NewSequential(Input(3), &Dense{Units: 1}).SetWeights([]*Tensor{Zeros(3, 1)})
		}, []string{"2 weight arrays", "received 1"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("panicked: %v", r)
					}
				}()
				err = c.err()
			}()
			var de *Error
			if !errors.As(err, &de) {
				t.Fatalf("got %v (%T), want a *dl.Error", err, err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

// TestDeferredBuild checks a Sequential without Input: it is built from
// the first data it sees, as in Keras.
func TestDeferredBuild(t *testing.T) {
	x, y := regressionData(20)
	m := NewSequential(&Dense{Units: 4}, &Dense{Units: 1})
	if s := m.summaryText(0); !strings.Contains(s, "0 (unbuilt)") || !strings.Contains(s, "?") {
		t.Errorf("summary of an unbuilt model:\n%s", s)
	}
	Check(m.Compile(CompileOptions{Optimizer: "adam", Loss: "mse"}))
	if _, err := m.Fit(x, y, FitOptions{Verbose: Silent}); err != nil {
		t.Fatal(err)
	}
	if got := m.CountParams(); got != 3*4+4+4+1 {
		t.Errorf("CountParams = %d, want 21", got)
	}
}

// TestTrainStepDoesNotAllocate checks the buffer discipline: once a batch
// size has been seen, a training step (forward, loss, backward, penalties,
// optimizer update, dropout masks) and an inference pass allocate nothing,
// in both dtypes.
func TestTrainStepDoesNotAllocate(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x, y := randTensor(rng, 32, 30), Zeros(32, 1)
	m := NewSequential(Input(30), &Dense{Units: 128, Activation: ReLU, KernelRegularizer: L2(0.01)}, &Dropout{Rate: 0.4},
		&Dense{Units: 512, Activation: ReLU}, &Dense{Units: 1, Activation: Sigmoid})
	Check(m.Compile(CompileOptions{Optimizer: "adam", Loss: "binary_crossentropy", Metrics: []string{"accuracy"}}))
	checkStepAllocs(t, &m.Model, x, y)
}
