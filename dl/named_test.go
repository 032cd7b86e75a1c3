package dl

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// namedTwoInputs builds chapter 8's two-input model with the lecture's
// input names, compiled, after a fresh session and seed.
func namedTwoInputs() *Model {
	ClearSession()
	SetRandomSeed(DefaultSeed)
	input1 := Input(6).Named("input_1")
	input2 := Input(3).Named("input_2")
	x1 := Call(&Dense{Units: 18, Activation: ReLU, Name: "numeric"}, input1)
	x2 := Call(&Dense{Units: 4, Activation: ReLU, Name: "origin"}, input2)
	hidden := Call(&Dense{Units: 8, Activation: ReLU}, Concat(x1, x2))
	m := Must(NewModel(Nodes{input1, input2}, Call(&Dense{Units: 1}, hidden)))
	Check(m.Compile(CompileOptions{Optimizer: &Adam{LearningRate: 0.01}, Loss: "mse", Metrics: []string{"mae"}}))
	return m
}

// TestNamedInputNames checks where a named Input's name appears: the
// model's input names, its layers, Summary's layer and "Connected to"
// columns, and Node's String.
func TestNamedInputNames(t *testing.T) {
	m := namedTwoInputs()
	if got := m.inputNames(); !reflect.DeepEqual(got, []string{"input_1", "input_2"}) {
		t.Errorf("input names %v", got)
	}
	text := m.summaryText(0)
	for _, line := range []string{
		"│ input_1             │ (None, 6)         │          0 │ -                 │",
		"│ (InputLayer)        │                   │            │                   │",
		"│ numeric (Dense)     │ (None, 18)        │        126 │ input_1[0][0]     │",
		"│ origin (Dense)      │ (None, 4)         │         16 │ input_2[0][0]     │",
	} {
		if !strings.Contains(text, line+"\n") {
			t.Errorf("summary lacks the line\n%s\nin\n%s", line, text)
		}
	}
	if got := Input(2).Named("extra").String(); got != "<Node shape=(None, 2), name=extra>" {
		t.Errorf("String() = %q", got)
	}
}

// TestNamedInputCounter checks that a named Input takes no number from the
// input_layer counter, as in Keras, while unnamed ones keep their order of
// creation, whatever is named in between.
func TestNamedInputCounter(t *testing.T) {
	ClearSession()
	a := Input(3)
	b := Input(3).Named("b")
	c := Input(3)
	d := &Dense{Units: 1}
	Call(d, c)
	e := Input(3)
	f := Input(3).Named("")
	got := []string{layerName(a.app.layer), layerName(b.app.layer), layerName(c.app.layer), d.Name,
		layerName(e.app.layer), layerName(f.app.layer)}
	want := []string{"input_layer", "b", "input_layer_1", "dense", "input_layer_2", "input_layer_3"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("names %v, want %v", got, want)
	}
	// An Input named after its default name was given keeps the new name.
	if got := a.Named("late").String(); got != "<Node shape=(None, 3), name=late>" {
		t.Errorf("renamed: %s", got)
	}
	// ClearSession names the waiting Inputs first: they were created before it.
	g := Input(1)
	ClearSession()
	h := Input(1)
	if gn, hn := layerName(g.app.layer), layerName(h.app.layer); gn != "input_layer_4" || hn != "input_layer" {
		t.Errorf("across ClearSession: %q and %q, want input_layer_4 and input_layer", gn, hn)
	}
}

// TestNamedInputsConcurrent builds models with named and unnamed inputs
// from several goroutines (run with -race).
func TestNamedInputsConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for range 20 {
				a, b := Input(2).Named("a"), Input(1)
				out := Call(&Dense{Units: 1}, Concat(a, b))
				m, err := NewModel(Nodes{a, b}, out)
				if err != nil {
					t.Error(err)
					return
				}
				if names := m.inputNames(); names[0] != "a" || !strings.HasPrefix(names[1], "input_layer") {
					t.Errorf("goroutine %d: input names %v", g, names)
				}
			}
		})
	}
	wg.Wait()
}

// TestNamedDataMatchesTensors trains the same model twice, with the inputs
// given as dl.Tensors and by name (keys in another order, validation data
// and targets by name too), and requires bit-identical histories, weights,
// evaluations and predictions.
func TestNamedDataMatchesTensors(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	num, origin, y := randTensor(rng, 40, 6), randTensor(rng, 40, 3), randTensor(rng, 40, 1)
	numVal, originVal, yVal := randTensor(rng, 10, 6), randTensor(rng, 10, 3), randTensor(rng, 10, 1)
	run := func(x, xVal, target Inputs) (*History, [][]float64, []float64, []float64) {
		m := namedTwoInputs()
		h := Must(m.Fit(x, target, FitOptions{Epochs: 3, BatchSize: 16, Verbose: Silent,
			ValidationData: &Data{X: xVal, Y: yVal}}))
		res := Must(m.Evaluate(xVal, yVal, EvaluateOptions{Verbose: Silent}))
		return h, weightBits(m), res, mustPredict(t, m, xVal)
	}
	h1, w1, e1, p1 := run(Tensors{num, origin}, Tensors{numVal, originVal}, y)
	h2, w2, e2, p2 := run(Named{"input_2": origin, "input_1": num}, Named{"input_1": numVal, "input_2": originVal}, Named{"dense_1": y})
	if !reflect.DeepEqual(h1.History, h2.History) {
		t.Errorf("histories differ:\n%v\n%v", h1.History, h2.History)
	}
	sameWeights(t, "weights", w2, w1, 0)
	if !sameBits(e1, e2) || !sameBits(p1, p2) {
		t.Errorf("Evaluate %v / %v, Predict differs: %v", e1, e2, !sameBits(p1, p2))
	}
}

// TestNamedInputSaveLoad saves a model with named inputs, checks the
// names in config.json (input_layers and the InputLayers' configs), loads
// it back and feeds it by name.
func TestNamedInputSaveLoad(t *testing.T) {
	m := namedTwoInputs()
	path := filepath.Join(t.TempDir(), "named.keras")
	Check(m.Save(path))
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := zipEntries(data)
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Config struct {
			InputLayers [][]any `json:"input_layers"`
			Layers      []struct {
				ClassName string `json:"class_name"`
				Config    struct{ Name string }
			}
		}
	}
	for _, e := range entries {
		if e.name == "config.json" {
			if err := json.Unmarshal(e.data, &cfg); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got := cfg.Config.InputLayers; !reflect.DeepEqual(got, [][]any{{"input_1", 0.0, 0.0}, {"input_2", 0.0, 0.0}}) {
		t.Errorf("input_layers %v", got)
	}
	var inputs []string
	for _, l := range cfg.Config.Layers {
		if l.ClassName == "InputLayer" {
			inputs = append(inputs, l.Config.Name)
		}
	}
	if !reflect.DeepEqual(inputs, []string{"input_1", "input_2"}) {
		t.Errorf("InputLayer names %v", inputs)
	}

	ClearSession()
	l, err := LoadModel(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := l.inputNames(); !reflect.DeepEqual(got, []string{"input_1", "input_2"}) {
		t.Errorf("loaded input names %v", got)
	}
	if got, want := l.summaryText(0), m.summaryText(0); got != want {
		t.Errorf("summary after loading:\n%s\nbefore:\n%s", got, want)
	}
	rng := rand.New(rand.NewPCG(9, 9))
	x1, x2 := randTensor(rng, 5, 6), randTensor(rng, 5, 3)
	if !sameBits(mustPredict(t, l, Named{"input_2": x2, "input_1": x1}), mustPredict(t, m, Tensors{x1, x2})) {
		t.Error("the loaded model predicts differently")
	}
}
