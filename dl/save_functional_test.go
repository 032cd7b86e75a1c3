package dl

import (
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"testing"
)

// TestFunctionalSaveLoad saves functional models (two inputs, a shared
// layer, a nested Sequential, merges, two outputs) and checks that the
// loaded model has the same graph, predicts identically and trains on.
func TestFunctionalSaveLoad(t *testing.T) {
	ClearSession()
	SetRandomSeed(DefaultSeed)
	rng := rand.New(rand.NewPCG(6, 6))
	a, b := Input(4), Input(3)
	shared := &Dense{Units: 5, Activation: ReLU, KernelRegularizer: L1L2(0.01, 0.02)}
	pa := Call(shared, a)
	pb := Call(shared, Call(&Dense{Units: 4}, b))
	inner := NewSequential(&Dense{Units: 3, Activation: Tanh}, &Dropout{Rate: 0.2})
	merged := Concat(Call(&Add{}, pa, pb), Call(inner, pa), Call(&Multiply{}, pa, pb))
	out1 := Call(&Dense{Units: 1, Name: "score"}, merged)
	out2 := Call(&Dense{Units: 2, Activation: Softmax, Name: "kind"}, Call(&Average{}, pa, pb))
	m := Must(NewModel(Nodes{a, b}, Nodes{out1, out2}))
	Check(m.Compile(CompileOptions{Optimizer: &Adam{LearningRate: 0.01}, Losses: []string{"mse", "categorical_crossentropy"},
		LossWeights: []float64{1, 0.3}, Metrics: []string{"mae"}}))
	xs := Tensors{randTensor(rng, 30, 4), randTensor(rng, 30, 3)}
	y2 := Zeros(30, 2)
	for i := 0; i < 30; i++ {
		y2.Set(1, i, i%2)
	}
	ys := Tensors{randTensor(rng, 30, 1), y2}
	Must(m.Fit(xs, ys, FitOptions{Epochs: 2, BatchSize: 8, Verbose: Silent}))

	path := filepath.Join(t.TempDir(), "two.keras")
	Check(m.Save(path))
	l, err := LoadModel(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := l.summaryText(0), m.summaryText(0); got != want {
		t.Errorf("loaded summary\n%s\noriginal\n%s", got, want)
	}
	p1 := Must(m.PredictOutputs(xs, PredictOptions{Verbose: Silent}))
	p2 := Must(l.PredictOutputs(xs, PredictOptions{Verbose: Silent}))
	if !reflect.DeepEqual(p1, p2) {
		t.Error("the loaded model predicts differently")
	}
	// Both continue training identically (no shuffling; the dropout masks
	// differ, so compare a copy of the original with the loaded one only
	// for the layers outside the dropout branch: the whole loss history).
	h1 := Must(m.Evaluate(xs, ys, EvaluateOptions{Verbose: Silent}))
	h2 := Must(l.Evaluate(xs, ys, EvaluateOptions{Verbose: Silent}))
	if !reflect.DeepEqual(h1, h2) {
		t.Errorf("evaluate: original %v, loaded %v", h1, h2)
	}
	if _, err := l.Fit(xs, ys, FitOptions{Epochs: 1, Verbose: Silent}); err != nil {
		t.Fatal(err)
	}
}

// TestRecurrentSaveLoad saves models with every recurrent layer (stacked,
// with their options, and a functional one using LSTM's states) and checks
// that the loaded models predict identically.
func TestRecurrentSaveLoad(t *testing.T) {
	ClearSession()
	SetRandomSeed(DefaultSeed)
	rng := rand.New(rand.NewPCG(7, 7))
	x := randTensor(rng, 12, 5, 2)
	seq := NewSequential(Input(5, 2),
		&SimpleRNN{Units: 4, ReturnSequences: true, Activation: ReLU, KernelRegularizer: L2(0.01)},
		&LSTM{Units: 3, ReturnSequences: true, GoBackwards: true, NoUnitForgetBias: true, RecurrentActivation: Tanh},
		&GRU{Units: 2, NoResetAfter: true, Dropout: 0.1},
		&Dense{Units: 1})
	in := Input(5, 2)
	outs := CallMulti(&LSTM{Units: 3, ReturnState: true}, in)
	fn := Must(NewModel(in, Call(&Dense{Units: 1}, Concat(outs[0], outs[1], outs[2]))))
	for _, m := range []*Model{&seq.Model, fn} {
		Check(m.Compile(CompileOptions{Optimizer: "rmsprop", Loss: "mse"}))
		Must(m.Fit(x, randTensor(rng, 12, 1), FitOptions{Epochs: 1, Verbose: Silent}))
		path := filepath.Join(t.TempDir(), "rnn.keras")
		Check(m.Save(path))
		l, err := LoadModel(path)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := l.summaryText(0), m.summaryText(0); got != want {
			t.Errorf("loaded summary\n%s\noriginal\n%s", got, want)
		}
		p1 := Must(m.Predict(x, PredictOptions{Verbose: Silent}))
		p2 := Must(l.Predict(x, PredictOptions{Verbose: Silent}))
		if !reflect.DeepEqual(p1, p2) {
			t.Errorf("%s: the loaded model predicts differently", m.Name)
		}
	}
}
