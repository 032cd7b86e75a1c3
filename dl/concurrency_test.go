package dl

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// concurrencyCase is a model for the concurrency tests, with twenty input
// sets of different batch sizes to predict and targets to evaluate.
type concurrencyCase struct {
	name string
	m    *Model
	xs   []Inputs
	ys   []Inputs
}

// concurrencyCases returns a Sequential model with Dropout, an LSTM model
// and a functional model with two inputs, all compiled and briefly trained
// (so that Dropout and the optimizer have run).
func concurrencyCases(t *testing.T) []concurrencyCase {
	t.Helper()
	rng := rand.New(rand.NewPCG(31, 32))
	dense := NewSequential(Input(5), &Dense{Units: 16, Activation: ReLU}, &Dropout{Rate: 0.3}, &Dense{Units: 2, Activation: Softmax})
	lstm := NewSequential(Input(6, 2), &LSTM{Units: 8, ReturnSequences: true, Dropout: 0.1}, &GRU{Units: 4}, &Dense{Units: 1})
	a, b := Input(3), Input(4)
	ha := Call(&Dense{Units: 6, Activation: Tanh}, a)
	hb := Call(&Dropout{Rate: 0.2}, Call(&Dense{Units: 6, Activation: ReLU}, b))
	out := Call(&Dense{Units: 1, Activation: Sigmoid}, Concat(ha, hb))
	two := Must(NewModel(Nodes{a, b}, out))
	cases := []concurrencyCase{
		{name: "Dense+Dropout", m: &dense.Model},
		{name: "LSTM", m: &lstm.Model},
		{name: "functional two inputs", m: two},
	}
	losses := []string{"sparse_categorical_crossentropy", "mse", "binary_crossentropy"}
	for ci := range cases {
		c := &cases[ci]
		Check(c.m.Compile(CompileOptions{Optimizer: "adam", Loss: losses[ci], Metrics: []string{"accuracy"}}))
		for j := 0; j < 20; j++ {
			n := 1 + j*3 // 1 to 58 samples: several batch shapes, and more than one batch
			var xs Tensors
			for _, s := range c.m.inputShapes() {
				xs = append(xs, randTensor(rng, append([]int{n}, s...)...))
			}
			y := Zeros(n, 1)
			for i := range y.data {
				y.data[i] = float64(rng.IntN(2))
			}
			if len(xs) == 1 {
				c.xs = append(c.xs, xs[0])
			} else {
				c.xs = append(c.xs, xs)
			}
			c.ys = append(c.ys, y)
		}
		if _, err := c.m.Fit(c.xs[19], c.ys[19], FitOptions{Epochs: 2, BatchSize: 16, Verbose: Silent}); err != nil {
			t.Fatal(err)
		}
	}
	return cases
}

// TestConcurrentPredict runs Predict and Evaluate on one model from 16
// goroutines at once, 20 calls each, and checks that every result is
// exactly the one the same call gives alone.
func TestConcurrentPredict(t *testing.T) {
	for _, c := range concurrencyCases(t) {
		t.Run(c.name, func(t *testing.T) {
			wantP := make([]*Tensor, len(c.xs))
			wantE := make([][]float64, len(c.xs))
			for j := range c.xs {
				wantP[j] = Must(c.m.Predict(c.xs[j], PredictOptions{BatchSize: 16, Verbose: Silent}))
				wantE[j] = Must(c.m.Evaluate(c.xs[j], c.ys[j], EvaluateOptions{BatchSize: 16, Verbose: Silent}))
			}
			const goroutines = 16
			var wg sync.WaitGroup
			errs := make(chan error, goroutines)
			for g := 0; g < goroutines; g++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for k := 0; k < len(c.xs); k++ {
						j := (k + g) % len(c.xs) // every goroutine in its own order
						p, err := c.m.Predict(c.xs[j], PredictOptions{BatchSize: 16, Verbose: Silent})
						if err != nil {
							errs <- err
							return
						}
						if !reflect.DeepEqual(p.data, wantP[j].data) {
							errs <- fmt.Errorf("goroutine %d: prediction %d differs from the serial one", g, j)
							return
						}
						if k%4 == 0 {
							e, err := c.m.Evaluate(c.xs[j], c.ys[j], EvaluateOptions{BatchSize: 16, Verbose: Silent})
							if err != nil {
								errs <- err
								return
							}
							if !reflect.DeepEqual(e, wantE[j]) {
								errs <- fmt.Errorf("goroutine %d: evaluation %d = %v, serial %v", g, j, e, wantE[j])
								return
							}
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
		})
	}
}

// TestInferenceWorkspaceDoesNotAllocate checks that an inference pass of a
// single goroutine, through the workspace that Predict and Evaluate take,
// allocates nothing once its batch shape has been seen.
func TestInferenceWorkspaceDoesNotAllocate(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	m := NewSequential(Input(4, 3), &LSTM{Units: 8, ReturnSequences: true}, &Dropout{Rate: 0.2}, &Dense{Units: 1})
	xs := tensOfAll([]*Tensor{randTensor(rng, 32, 4, 3)})
	pass := func() {
		m.mu.RLock()
		e := m.engine64()
		g := e.acquire()
		run(&m.Model, g, xs, false, nil)
		e.release(g)
		m.mu.RUnlock()
	}
	pass()
	if n := testing.AllocsPerRun(10, pass); n != 0 {
		t.Errorf("an inference pass through a workspace allocates %v times", n)
	}
}

// TestPredictWhileFit predicts from several goroutines while Fit trains the
// model: every prediction must be the model's output for one of the sets of
// weights it had between two batches, and a second Fit or a Compile during
// Fit must be an error.
func TestPredictWhileFit(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	m := NewSequential(Input(3), &Dense{Units: 8, Activation: Tanh}, &Dropout{Rate: 0.2}, &Dense{Units: 1})
	Check(m.Compile(CompileOptions{Optimizer: &Adam{LearningRate: 0.05}, Loss: "mse"}))
	x, y := randTensor(rng, 64, 3), randTensor(rng, 64, 1)
	probe := randTensor(rng, 5, 3)

	// The weights after every batch, recorded by a callback in Fit's
	// goroutine, and the errors of Fit and Compile called from it.
	rec := &weightRecorder{}
	rec.versions = [][]*Tensor{m.GetWeights()}
	var (
		mu   sync.Mutex
		seen []*Tensor
		stop = make(chan struct{})
		wg   sync.WaitGroup
	)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				p, err := m.Predict(probe, PredictOptions{Verbose: Silent})
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := m.Evaluate(x, y, EvaluateOptions{Verbose: Silent}); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				seen = append(seen, p)
				mu.Unlock()
				rec.predictions.Add(1)
			}
		}()
	}
	_, err := m.Fit(x, y, FitOptions{Epochs: 4, BatchSize: 16, ValidationSplit: 0.25, Verbose: Silent, Callbacks: []Callback{rec}})
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if rec.fitErr == nil || !strings.Contains(rec.fitErr.Error(), "already being trained") {
		t.Errorf("Fit during Fit: %v", rec.fitErr)
	}
	if rec.compileErr == nil || !strings.Contains(rec.compileErr.Error(), "Fit is training the model") {
		t.Errorf("Compile during Fit: %v", rec.compileErr)
	}
	// Each prediction must come from one recorded set of weights.
	ref := NewSequential(Input(3), &Dense{Units: 8, Activation: Tanh}, &Dropout{Rate: 0.2}, &Dense{Units: 1})
	var outs []*Tensor
	for _, w := range rec.versions {
		Check(ref.SetWeights(w))
		outs = append(outs, Must(ref.Predict(probe, PredictOptions{Verbose: Silent})))
	}
	if len(seen) == 0 {
		t.Fatal("no prediction ran during Fit")
	}
	for i, p := range seen {
		ok := false
		for _, o := range outs {
			ok = ok || reflect.DeepEqual(p.data, o.data)
		}
		if !ok {
			t.Fatalf("prediction %d of %d during Fit matches none of the %d sets of weights Fit went through", i, len(seen), len(outs))
		}
	}
	t.Logf("%d predictions during Fit, over %d sets of weights", len(seen), len(outs))
}

// TestSaveAndLoadWhilePredicting saves the model, and loads and sets its
// own weights again, while other goroutines predict: the race detector
// checks the locking, and the predictions, whose weights keep their values,
// must stay exactly the serial ones.
func TestSaveAndLoadWhilePredicting(t *testing.T) {
	rng := rand.New(rand.NewPCG(51, 52))
	m := NewSequential(Input(4), &Dense{Units: 8, Activation: ReLU}, &Dense{Units: 2})
	Check(m.Compile(CompileOptions{Optimizer: "adam", Loss: "mse"}))
	x := randTensor(rng, 40, 4)
	want := Must(m.Predict(x, PredictOptions{Verbose: Silent}))
	dir := t.TempDir()
	weights := dir + "/m.weights.h5"
	Check(m.SaveWeights(weights))
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				p, err := m.Predict(x, PredictOptions{Verbose: Silent, BatchSize: 8})
				if err != nil {
					t.Error(err)
					return
				}
				if !reflect.DeepEqual(p.data, want.data) {
					t.Error("a prediction changed while the model was saved and its weights loaded again")
					return
				}
			}
		}()
	}
	for k := 0; k < 10; k++ {
		for _, err := range []error{m.Save(fmt.Sprintf("%s/m%d.keras", dir, k)), m.SaveWeights(weights), m.LoadWeights(weights), m.SetWeights(m.GetWeights())} {
			if err != nil {
				t.Error(err)
			}
		}
	}
	close(stop)
	wg.Wait()
}

// weightRecorder records the weights after every training batch, and the
// errors of Fit and Compile called from inside Fit. After each batch it
// waits (up to a few seconds) for a prediction of another goroutine, so
// that predictions do run between the batches, however the goroutines are
// scheduled.
type weightRecorder struct {
	BaseCallback
	versions            [][]*Tensor
	fitErr, compileErr  error
	triedFit, triedComp bool
	predictions         atomic.Int64
}

func (r *weightRecorder) OnTrainBatchEnd(int, Logs) error {
	r.versions = append(r.versions, r.Model().GetWeights())
	start, deadline := r.predictions.Load(), time.Now().Add(5*time.Second)
	for r.predictions.Load() == start && time.Now().Before(deadline) {
		time.Sleep(100 * time.Microsecond)
	}
	if !r.triedFit {
		r.triedFit = true
		_, r.fitErr = r.Model().Fit(Zeros(2, 3), Zeros(2, 1), FitOptions{Verbose: Silent})
	}
	if !r.triedComp {
		r.triedComp = true
		r.compileErr = r.Model().Compile(CompileOptions{Optimizer: "sgd", Loss: "mse"})
	}
	return nil
}

// TestConcurrentTrainingReproducible trains two models, each with its own
// Seed, in two goroutines at once, twice: each must end with exactly the
// same weights both times, and the same as when trained alone.
func TestConcurrentTrainingReproducible(t *testing.T) {
	x, y := regressionData(64)
	train := func(seed uint64) []*Tensor {
		m := NewSequential(Input(3), &Dense{Units: 8, Activation: Tanh}, &Dropout{Rate: 0.3}, &Dense{Units: 1})
		m.Seed = seed
		Check(m.Compile(CompileOptions{Optimizer: "adam", Loss: "mse"}))
		Must(m.Fit(x, y, FitOptions{Epochs: 3, BatchSize: 8, Verbose: Silent}))
		return m.GetWeights()
	}
	both := func() [2][]*Tensor {
		var out [2][]*Tensor
		var wg sync.WaitGroup
		for i := range out {
			wg.Add(1)
			go func() {
				defer wg.Done()
				out[i] = train(uint64(10 + i))
			}()
		}
		wg.Wait()
		return out
	}
	first, second := both(), both()
	for i := range first {
		if !reflect.DeepEqual(first[i], second[i]) {
			t.Errorf("model %d: two concurrent runs gave different weights", i)
		}
		if alone := train(uint64(10 + i)); !reflect.DeepEqual(first[i], alone) {
			t.Errorf("model %d: trained concurrently and alone gave different weights", i)
		}
	}
	if reflect.DeepEqual(first[0], first[1]) {
		t.Error("two seeds gave the same weights")
	}
}

// TestSessionConcurrent touches the process-wide state (the seed stream,
// the name counters, ClearSession) from several goroutines at once while
// models are built; the race detector checks it.
func TestSessionConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 20; k++ {
				switch k % 5 {
				case 0:
					ClearSession()
				case 1:
					SetRandomSeed(uint64(g))
				default:
					m := NewSequential(Input(2), &Dense{Units: 2})
					if m.CountParams() != 6 {
						t.Error("a model built concurrently has the wrong size")
					}
					in := Input(2)
					if _, err := NewModel(in, Call(&Dense{Units: 1}, in)); err != nil {
						t.Error(err)
					}
				}
			}
		}()
	}
	wg.Wait()
	ClearSession()
	SetRandomSeed(DefaultSeed)
}

// TestModelSeedDrawsInitialWeights checks that Model.Seed sets the initial
// weights of a Sequential model that starts with Input, as it does for one
// built from data, while Seed 0 keeps the global seed's weights.
func TestModelSeedDrawsInitialWeights(t *testing.T) {
	x, _ := regressionData(4)
	mk := func(input bool) *Sequential {
		ls := []Layer{&Dense{Units: 5, Activation: ReLU}, &Dense{Units: 2}}
		if input {
			ls = append([]Layer{Input(3)}, ls...)
		}
		return NewSequential(ls...)
	}
	// Built from data with Seed 5.
	deferred := mk(false)
	deferred.Seed = 5
	Must(deferred.Predict(x, PredictOptions{Verbose: Silent}))
	// Built by NewSequential, then given Seed 5.
	declared := mk(true)
	declared.Seed = 5
	if got, want := declared.GetWeights(), deferred.GetWeights(); !reflect.DeepEqual(got, want) {
		t.Error("a Sequential with Input and Seed 5 has other initial weights than one built from data with Seed 5")
	}
	// The same Seed gives the same weights whatever the global seed.
	SetRandomSeed(77)
	again := mk(true)
	again.Seed = 5
	if !reflect.DeepEqual(again.GetWeights(), declared.GetWeights()) {
		t.Error("Seed 5 depends on the global seed")
	}
	// Seed 0: the global seed's weights, as before.
	SetRandomSeed(3)
	a := mk(true).GetWeights()
	SetRandomSeed(3)
	b := mk(true)
	b.Seed = 0
	if !reflect.DeepEqual(a, b.GetWeights()) {
		t.Error("Seed 0 changed the weights")
	}
	// Weights that were set are kept when Seed changes afterwards.
	c := mk(true)
	w := c.GetWeights()
	for _, t := range w {
		for i := range t.data {
			t.data[i] = 0.5
		}
	}
	Check(c.SetWeights(w))
	c.Seed = 9
	if !reflect.DeepEqual(c.GetWeights(), w) {
		t.Error("setting Seed after SetWeights replaced the weights")
	}
	SetRandomSeed(DefaultSeed)
}

// TestClearSessionKeepsSeed checks Keras's clear_session: names start
// again, the seed stream does not.
func TestClearSessionKeepsSeed(t *testing.T) {
	mk := func() (*Sequential, []*Tensor) {
		m := NewSequential(Input(3), &Dense{Units: 4})
		return m, m.GetWeights()
	}
	SetRandomSeed(5)
	_, want := mk()
	SetRandomSeed(5)
	ClearSession()
	m, got := mk()
	if !reflect.DeepEqual(got, want) {
		t.Error("SetRandomSeed(5); ClearSession() does not build seed 5's weights")
	}
	if name := m.Layers()[0].(*Dense).Name; name != "dense" {
		t.Errorf("after ClearSession the first Dense is named %q, want dense", name)
	}
	SetRandomSeed(DefaultSeed)
}

// TestOptimizerBelongsToOneModel checks that one optimizer value cannot
// serve two models (Keras refuses it too), while recompiling its own model
// with it works.
func TestOptimizerBelongsToOneModel(t *testing.T) {
	x, y := regressionData(16)
	opt := &Adam{LearningRate: 0.01}
	a, b := smallModel(), NewSequential(Input(3), &Dense{Units: 1})
	Check(a.Compile(CompileOptions{Optimizer: opt, Loss: "mse"}))
	Must(a.Fit(x, y, FitOptions{Verbose: Silent}))
	err := b.Compile(CompileOptions{Optimizer: opt, Loss: "mse"})
	var e *Error
	if !errors.As(err, &e) || e.Op != "Compile" || !strings.Contains(err.Error(), `already the optimizer of the model "`+a.Name+`"`) {
		t.Errorf("the optimizer of one model given to another: %v", err)
	}
	if err := a.Compile(CompileOptions{Optimizer: opt, Loss: "mae"}); err != nil {
		t.Errorf("recompiling a model with its own optimizer: %v", err)
	}
	Must(a.Fit(x, y, FitOptions{Verbose: Silent}))
}

// BenchmarkPredictParallel measures Predict called from GOMAXPROCS
// goroutines at once on one model (a server's handlers), against
// BenchmarkPredictSerial, one goroutine.
func BenchmarkPredictParallel(b *testing.B) {
	m, x := predictBenchModel()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := m.Predict(x, PredictOptions{Verbose: Silent}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkPredictSerial is BenchmarkPredictParallel from one goroutine.
func BenchmarkPredictSerial(b *testing.B) {
	m, x := predictBenchModel()
	for b.Loop() {
		if _, err := m.Predict(x, PredictOptions{Verbose: Silent}); err != nil {
			b.Fatal(err)
		}
	}
}

// predictBenchModel returns the lecture's breast-cancer model and a batch
// of 32 samples.
func predictBenchModel() (*Sequential, *Tensor) {
	rng := rand.New(rand.NewPCG(5, 6))
	m := NewSequential(Input(30), &Dense{Units: 64, Activation: ReLU}, &Dropout{Rate: 0.4}, &Dense{Units: 1, Activation: Sigmoid})
	return m, randTensor(rng, 32, 30)
}
