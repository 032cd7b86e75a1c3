package dl

// Keras parity: the fixtures in testdata/keras were written by
// tools/keras/gen_goldens.py with real Keras 3 (JAX backend, float64). These
// tests reproduce each case and compare at 1e-9 relative.

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// fixture is the common envelope of a golden file.
type fixture[C any] struct {
	KerasVersion string `json:"keras_version"`
	Cases        []C    `json:"cases"`
}

// loadFixture reads testdata/keras/name.
func loadFixture[C any](t *testing.T, name string) []C {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "keras", name))
	if err != nil {
		t.Fatal(err)
	}
	var f fixture[C]
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(f.Cases) == 0 {
		t.Fatalf("%s has no cases", name)
	}
	return f.Cases
}

// array is a nested JSON list of numbers, read as a Tensor.
type array struct{ *Tensor }

// UnmarshalJSON flattens a nested list (or a bare number) row-major.
func (a *array) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	var data []float64
	var shape []int
	var walk func(v any, depth int) error
	walk = func(v any, depth int) error {
		switch x := v.(type) {
		case float64:
			data = append(data, x)
		case []any:
			if depth == len(shape) {
				shape = append(shape, len(x))
			}
			for _, e := range x {
				if err := walk(e, depth+1); err != nil {
					return err
				}
			}
		case nil:
		default:
			return fmt.Errorf("unexpected %T in array", v)
		}
		return nil
	}
	if err := walk(v, 0); err != nil {
		return err
	}
	if v == nil {
		return nil
	}
	a.Tensor = FromSlice(data, shape...)
	if len(shape) == 0 {
		a.Tensor = FromSlice(data, 1)
	}
	return nil
}

// closeTo compares got with want elementwise at 1e-9 relative (with a
// floor of 1e-15 for values that are zero up to rounding).
func closeTo(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d values, want %d", what, len(got), len(want))
		return
	}
	for i := range got {
		if d := math.Abs(got[i] - want[i]); d > 1e-9*math.Abs(want[i])+1e-15 || math.IsNaN(got[i]) != math.IsNaN(want[i]) {
			t.Errorf("%s[%d] = %.17g, Keras %.17g (relative error %.2g)", what, i, got[i], want[i], d/math.Abs(want[i]))
			return
		}
	}
}

func TestKerasActivations(t *testing.T) {
	for _, c := range loadFixture[struct {
		Activation string
		X, Y, W    array
		Grad       array
	}](t, "activations.json") {
		t.Run(c.Activation, func(t *testing.T) {
			f, ok := Activation(c.Activation).resolve(Linear)
			if !ok {
				t.Fatalf("unknown activation %q", c.Activation)
			}
			cols := c.X.shape[1]
			y := make([]float64, c.X.Size())
			f.forward(c.X.data, y, cols)
			closeTo(t, "y", y, c.Y.data)
			g := make([]float64, c.X.Size())
			f.backward(c.X.data, y, c.W.data, g, cols)
			closeTo(t, "grad", g, c.Grad.data)
		})
	}
}

func TestKerasDense(t *testing.T) {
	for i, c := range loadFixture[struct {
		Units        int
		Activation   string
		UseBias      bool `json:"use_bias"`
		X, Kernel, Y array
		Bias         array
	}](t, "dense.json") {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			d := &Dense{Units: c.Units, Activation: Activation(c.Activation), NoBias: !c.UseBias}
			if err := buildLayer(d, c.X.shape[1:], rand.New(rand.NewPCG(1, 1))); err != nil {
				t.Fatal(err)
			}
			copy(d.kernel.value.data, c.Kernel.data)
			if c.UseBias {
				copy(d.bias.value.data, c.Bias.data)
			}
			y := testOp(d).forward(c.X.Tensor, false, nil)
			if !equalShape(y.shape, c.Y.shape) {
				t.Fatalf("output shape %v, Keras %v", y.shape, c.Y.shape)
			}
			closeTo(t, "y", y.data, c.Y.data)
		})
	}
}

func TestKerasLosses(t *testing.T) {
	for i, c := range loadFixture[struct {
		Loss  string
		YTrue array `json:"y_true"`
		YPred array `json:"y_pred"`
		Value float64
		Grad  array
	}](t, "losses.json") {
		t.Run(fmt.Sprint(i, c.Loss), func(t *testing.T) {
			l, ok := resolveLoss(c.Loss)
			if !ok {
				t.Fatalf("unknown loss %q", c.Loss)
			}
			k := c.YPred.shape[len(c.YPred.shape)-1]
			g := make([]float64, c.YPred.Size())
			v := l.compute(c.YTrue.data, c.YPred.data, g, k)
			closeTo(t, "value", []float64{v}, []float64{c.Value})
			closeTo(t, "grad", g, c.Grad.data)
		})
	}
}

func TestKerasMetrics(t *testing.T) {
	kinds := map[string]string{
		"BinaryAccuracy": "binary_accuracy", "CategoricalAccuracy": "categorical_accuracy",
		"SparseCategoricalAccuracy": "sparse_categorical_accuracy",
		"MeanAbsoluteError":         "mean_absolute_error", "MeanSquaredError": "mean_squared_error",
	}
	for i, c := range loadFixture[struct {
		Metric, Resolved string
		YTrue            array `json:"y_true"`
		YPred            array `json:"y_pred"`
		Value            float64
	}](t, "metrics.json") {
		t.Run(fmt.Sprint(i, c.Metric), func(t *testing.T) {
			k := c.YPred.shape[len(c.YPred.shape)-1]
			kind := metricKinds[c.Metric]
			if kind == "" {
				// Targets are class indices when they have fewer values per
				// sample than the predictions.
				sparse := c.YTrue.Size() < c.YPred.Size()
				kind = resolveAccuracy(k, sparse)
			}
			if kind != kinds[c.Resolved] {
				t.Errorf("%q resolves to %s, Keras resolves to %s", c.Metric, kind, c.Resolved)
			}
			m := &metric{kind: kind}
			m.update(c.YTrue.data, c.YPred.data, k)
			closeTo(t, "value", []float64{m.result()}, []float64{c.Value})
		})
	}
}

// kerasRegularizer is a regularizer as the fixtures describe it.
type kerasRegularizer struct {
	Class  string
	L1, L2 float64
}

// regularizer returns the dl Regularizer for r (nil for a nil r).
func (r *kerasRegularizer) regularizer() Regularizer {
	if r == nil {
		return nil
	}
	switch r.Class {
	case "L1":
		return L1(r.L1)
	case "L2":
		return L2(r.L2)
	}
	return L1L2(r.L1, r.L2)
}

func TestKerasRegularizers(t *testing.T) {
	for i, c := range loadFixture[struct {
		Regularizer kerasRegularizer
		W, Grad     array
		Value       float64
	}](t, "regularizers.json") {
		t.Run(fmt.Sprint(i, c.Regularizer.Class), func(t *testing.T) {
			r := c.Regularizer.regularizer()
			closeTo(t, "value", []float64{r.Penalty(c.W.data)}, []float64{c.Value})
			g := make([]float64, c.W.Size())
			r.addGrad(c.W.data, g)
			closeTo(t, "grad", g, c.Grad.data)
		})
	}
}

// kerasOptimizer builds the dl optimizer for a Keras class and its
// constructor arguments, as a .keras file's compile_config would.
func kerasOptimizer(t *testing.T, class string, args map[string]any) Optimizer {
	t.Helper()
	raw, err := json.Marshal(map[string]any{"class_name": class, "config": args})
	if err != nil {
		t.Fatal(err)
	}
	o, err := optimizerFromConfig(raw)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestKerasOptimizers(t *testing.T) {
	for i, c := range loadFixture[struct {
		Optimizer string
		Args      map[string]any
		W0        array
		Grads     []array
		W         []array
		Variables []struct {
			Path  string
			Shape []int
		}
	}](t, "optimizers.json") {
		t.Run(fmt.Sprint(i, c.Optimizer, c.Args), func(t *testing.T) {
			o := kerasOptimizer(t, c.Optimizer, c.Args)
			p := newParam("w", nil, c.W0.shape...)
			copy(p.value.data, c.W0.data)
			for step, g := range c.Grads {
				copy(p.grad.data, g.data)
				o.update([]*param{p})
				closeTo(t, fmt.Sprintf("w after step %d", step+1), p.value.data, c.W[step].data)
			}
			want := 0
			for _, v := range c.Variables {
				n := 1
				for _, d := range v.Shape {
					n *= d
				}
				want += n
			}
			if got := optimizerVariables(o); got != want {
				t.Errorf("%d optimizer variables (scalars), Keras has %d", got, want)
			}
		})
	}
}

// kerasModel is a Sequential model as the fixtures describe it.
type kerasModel struct {
	InputShape []int `json:"input_shape"`
	Layers     []struct {
		Class             string
		Units             int
		Activation        string
		UseBias           bool              `json:"use_bias"`
		KernelRegularizer *kerasRegularizer `json:"kernel_regularizer"`
		BiasRegularizer   *kerasRegularizer `json:"bias_regularizer"`
	}
}

// kerasCompile is a compile() call as the fixtures describe it.
type kerasCompile struct {
	Optimizer struct {
		Class  string
		Config map[string]any
	}
	Loss    string
	Metrics []string
}

// build returns the model with the given initial weights, compiled.
func (km kerasModel) build(t *testing.T, c kerasCompile, weights []array) *Sequential {
	t.Helper()
	layers := []Layer{Input(km.InputShape...)}
	for _, l := range km.Layers {
		if l.Class != "Dense" {
			t.Fatalf("unsupported layer class %q", l.Class)
		}
		layers = append(layers, &Dense{Units: l.Units, Activation: Activation(l.Activation), NoBias: !l.UseBias,
			KernelRegularizer: l.KernelRegularizer.regularizer(), BiasRegularizer: l.BiasRegularizer.regularizer()})
	}
	m := NewSequential(layers...)
	Check(m.Compile(CompileOptions{Optimizer: kerasOptimizer(t, c.Optimizer.Class, c.Optimizer.Config), Loss: c.Loss, Metrics: c.Metrics}))
	w := make([]*Tensor, len(weights))
	for i, a := range weights {
		w[i] = a.Tensor
	}
	Check(m.SetWeights(w))
	return m
}

// closeToWeights compares a model's weights with Keras's.
func closeToWeights(t *testing.T, g goldenDtype, what string, m *Model, want []array) {
	t.Helper()
	got := m.GetWeights()
	for i := range want {
		g.close(t, fmt.Sprintf("%s, weight %d", what, i), got[i].data, want[i].data)
	}
}

// goldenDtype is a dtype of the parity goldens: the fixture's suffix, the
// model's Dtype and the comparison at that precision.
type goldenDtype struct {
	suffix, dtype string
	close         func(t *testing.T, what string, got, want []float64)
}

// goldenDtypes are float64, compared at 1e-9 relative, and float32 (Keras's
// default), at 2e-5 of the values' scale: float32 carries about 7 digits,
// and ten optimizer steps or three epochs compound the rounding.
var goldenDtypes = []goldenDtype{
	{"", "float64", closeTo},
	{"_f32", "float32", func(t *testing.T, what string, got, want []float64) {
		t.Helper()
		closeToScale(t, what, got, want, 2e-5)
	}},
}

func TestKerasTrainStep(t *testing.T) {
	for _, g := range goldenDtypes {
		t.Run(g.dtype, func(t *testing.T) { checkKerasTrainStep(t, g) })
	}
}

func checkKerasTrainStep(t *testing.T, g goldenDtype) {
	for _, c := range loadFixture[struct {
		Name           string
		Model          kerasModel
		Compile        kerasCompile
		Weights        []array
		X, Y           array
		Loss0          float64
		Grads          []array
		TrainOnBatch   []map[string]float64 `json:"train_on_batch"`
		WeightsAfter1  []array              `json:"weights_after_1"`
		WeightsAfter10 []array              `json:"weights_after_10"`
	}](t, "train_step"+g.suffix+".json") {
		t.Run(c.Name, func(t *testing.T) {
			m := c.Model.build(t, c.Compile, c.Weights)
			m.Dtype = g.dtype
			m.mu.Lock()
			m.settle()
			m.mu.Unlock()
			y := m.prepareY("test", "y", c.Y.Tensor, c.X.Len())
			xs := []*Tensor{c.X.Tensor}

			// The loss and its gradients at the initial weights.
			loss, grads := m.lossAndGrads(xs, y)
			g.close(t, "loss0", []float64{loss}, []float64{c.Loss0})
			for i := range m.params {
				g.close(t, fmt.Sprintf("grad %d", i), grads[i].data, c.Grads[i].data)
			}

			// Ten train_on_batch calls: each returns the loss before its
			// update and the metrics of that batch.
			checkTrainOnBatch(t, g, &m.Model, xs, y, c.TrainOnBatch, func(step int) {
				switch step {
				case 1:
					closeToWeights(t, g, "after 1 step", &m.Model, c.WeightsAfter1)
				case 10:
					closeToWeights(t, g, "after 10 steps", &m.Model, c.WeightsAfter10)
				}
			})
		})
	}
}

// checkTrainOnBatch runs one training step on xs and y per entry of steps,
// Keras's train_on_batch logs (the loss before the step's update and the
// metrics of that batch), compares dl's logs with them, and calls after
// with the step's number.
func checkTrainOnBatch(t *testing.T, g goldenDtype, m *Model, xs, y []*Tensor, steps []map[string]float64, after func(step int)) {
	t.Helper()
	for step, want := range steps {
		for _, mt := range m.compiled.train[0] {
			mt.reset()
		}
		got := map[string]float64{"loss": m.trainStep(xs, y)}
		for _, mt := range m.compiled.train[0] {
			got[mt.name] = mt.result()
		}
		for key, v := range want {
			g.close(t, fmt.Sprintf("step %d %s", step+1, key), []float64{got[key]}, []float64{v})
		}
		after(step + 1)
	}
}

func TestKerasFit(t *testing.T) {
	for _, g := range goldenDtypes {
		t.Run(g.dtype, func(t *testing.T) { checkKerasFit(t, g) })
	}
}

func checkKerasFit(t *testing.T, g goldenDtype) {
	for _, c := range loadFixture[struct {
		Name    string
		Model   kerasModel
		Compile kerasCompile
		Weights []array
		X, Y    array
		Fit     struct {
			Epochs          int
			BatchSize       int     `json:"batch_size"`
			ValidationSplit float64 `json:"validation_split"`
			Shuffle         bool
		}
		ValidationData *struct{ X, Y array } `json:"validation_data"`
		History        map[string][]float64
		HistoryKeys    []string       `json:"history_keys"`
		HistoryParams  map[string]int `json:"history_params"`
		FinalWeights   []array        `json:"final_weights"`
		Evaluate       map[string]float64
		Predict        array
	}](t, "fit"+g.suffix+".json") {
		t.Run(c.Name, func(t *testing.T) {
			m := c.Model.build(t, c.Compile, c.Weights)
			m.Dtype = g.dtype
			opts := FitOptions{Epochs: c.Fit.Epochs, BatchSize: c.Fit.BatchSize, ValidationSplit: c.Fit.ValidationSplit,
				NoShuffle: !c.Fit.Shuffle, Verbose: Silent}
			if c.ValidationData != nil {
				opts.ValidationData = &Data{X: c.ValidationData.X.Tensor, Y: c.ValidationData.Y.Tensor}
			}
			h, err := m.Fit(c.X.Tensor, c.Y.Tensor, opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := h.Keys(); fmt.Sprint(got) != fmt.Sprint(c.HistoryKeys) {
				t.Errorf("history keys %v, Keras %v", got, c.HistoryKeys)
			}
			for key, want := range c.History {
				g.close(t, key, h.History[key], want)
			}
			if h.Params["steps"] != c.HistoryParams["steps"] || h.Params["epochs"] != c.HistoryParams["epochs"] {
				t.Errorf("params %v, Keras %v", h.Params, c.HistoryParams)
			}
			closeToWeights(t, g, "final", &m.Model, c.FinalWeights)
			res, err := m.Evaluate(c.X.Tensor, c.Y.Tensor, EvaluateOptions{BatchSize: 8, Verbose: Silent})
			if err != nil {
				t.Fatal(err)
			}
			for i, key := range append([]string{"loss"}, c.Compile.Metrics...) {
				g.close(t, "evaluate "+key, res[i:i+1], []float64{c.Evaluate[key]})
			}
			p, err := m.Predict(c.X.Tensor, PredictOptions{BatchSize: 8, Verbose: Silent})
			if err != nil {
				t.Fatal(err)
			}
			g.close(t, "predict", p.data, c.Predict.data)
		})
	}
}
