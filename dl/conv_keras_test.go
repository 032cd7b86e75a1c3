package dl

// Keras parity of the convolution and pooling layers: testdata/keras/conv.json,
// written by tools/keras/gen_goldens.py (--only conv) with real Keras 3 in
// float64. Every comparison is at 1e-9 relative (closeTo).

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// convFixture is one case of conv.json; Kind says which fields it uses.
type convFixture struct {
	Kind, Name  string
	Class       string
	InputShape  []int `json:"input_shape"`
	Config      json.RawMessage
	OutputShape []int `json:"output_shape"`
	CountParams int   `json:"count_params"`
	Weights     []array
	X, Y, W, DX array
	DWeights    []array `json:"dweights"`

	Compile        kerasCompile
	Loss0          float64
	Grads          []array
	TrainOnBatch   []map[string]float64 `json:"train_on_batch"`
	WeightsAfter10 []array              `json:"weights_after_10"`
	Fit            struct {
		Epochs          int
		BatchSize       int     `json:"batch_size"`
		ValidationSplit float64 `json:"validation_split"`
	}
	History      map[string][]float64
	HistoryKeys  []string `json:"history_keys"`
	FinalWeights []array  `json:"final_weights"`
	Predict      array

	Text       string
	Code       []string
	ModelName  string   `json:"model_name"`
	LayerNames []string `json:"layer_names"`
	Params     []int
}

// convFixtures returns the cases of conv.json of the given kind.
func convFixtures(t *testing.T, kind string) []convFixture {
	var out []convFixture
	for _, c := range loadFixture[convFixture](t, "conv.json") {
		if c.Kind == kind {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		t.Fatalf("conv.json has no %s cases", kind)
	}
	return out
}

// withoutNewKeys removes from a Keras 3.15 layer config the keys that
// older Keras versions reject and dl therefore does not write: the
// initializers' input_axes and output_axes. The fixtures ran with floatx
// float64, so their dtype policy reads float64 where a file has float32.
// A pooling layer built on its own records a build_config that Keras does
// not write for it in a model (pooling layers are built when created).
func withoutNewKeys(t *testing.T, raw []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			switch x["class_name"] {
			case "DTypePolicy":
				x["config"].(map[string]any)["name"] = "float32"
			case "MaxPooling2D", "AveragePooling2D", "MaxPooling1D", "GlobalAveragePooling2D":
				delete(x, "build_config")
			}
			if x["class_name"] == "GlorotUniform" {
				cfg := x["config"].(map[string]any)
				delete(cfg, "input_axes")
				delete(cfg, "output_axes")
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	b, _ := json.Marshal(v)
	return string(b)
}

// TestKerasConvLayers builds each layer from the config Keras wrote (the
// loader's path), checks dl's own config against it, and compares the
// output and the gradients of Σ(y ⊙ w) with respect to the input and the
// weights.
func TestKerasConvLayers(t *testing.T) {
	for _, c := range convFixtures(t, "layer") {
		t.Run(c.Name, func(t *testing.T) {
			var r rawObj
			if err := json.Unmarshal(c.Config, &r); err != nil {
				t.Fatal(err)
			}
			fromConfig, ok := layerRegistry[c.Class]
			if !ok {
				t.Fatalf("no reader for %s", c.Class)
			}
			L, err := fromConfig(nil, &r)
			if err != nil {
				t.Fatal(err)
			}
			l := L.(layer)
			if err := buildLayer(l, c.InputShape, rand.New(rand.NewPCG(1, 1))); err != nil {
				t.Fatal(err)
			}
			if got := l.base().outShape; !equalShape(got, c.OutputShape) {
				t.Errorf("output shape %v, Keras %v", got, c.OutputShape)
			}
			if got := countParams(l); got != c.CountParams {
				t.Errorf("%d parameters, Keras %d", got, c.CountParams)
			}
			cfg, err := l.layerConfig()
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := withoutNewKeys(t, b), withoutNewKeys(t, c.Config); got != want {
				t.Errorf("config\n got %s\nwant %s", got, want)
			}
			params := l.base().params
			if len(params) != len(c.Weights) {
				t.Fatalf("%d weights, Keras %d", len(params), len(c.Weights))
			}
			for i, p := range params {
				copy(p.value.data, c.Weights[i].data)
			}
			o := testOp(l)
			y := o.forward(c.X.Tensor, true, nil)
			if !equalShape(y.shape, c.Y.shape) {
				t.Fatalf("output shape %v, Keras %v", y.shape, c.Y.shape)
			}
			closeTo(t, "y", y.data, c.Y.data)
			dx := o.backward(c.W.Tensor, true)
			closeTo(t, "dx", dx.data, c.DX.data)
			for i, p := range params {
				closeTo(t, "d"+p.name, p.grad.data, c.DWeights[i].data)
			}
		})
	}
}

// convModel builds a fixture's model from the config Keras wrote, with its
// initial weights, compiled as in the fixture.
func (c *convFixture) model(t *testing.T) *Model {
	t.Helper()
	m, err := modelFromConfig(c.Config)
	if err != nil {
		t.Fatal(err)
	}
	Check(m.Compile(CompileOptions{Optimizer: kerasOptimizer(t, c.Compile.Optimizer.Class, c.Compile.Optimizer.Config),
		Loss: c.Compile.Loss, Metrics: c.Compile.Metrics}))
	w := make([]*Tensor, len(c.Weights))
	for i, a := range c.Weights {
		w[i] = a.Tensor
	}
	Check(m.SetWeights(w))
	return m
}

// TestKerasConvTraining checks small CNNs against Keras: the loss and its
// gradients at the initial weights, ten train_on_batch steps of Adam, and
// a 3-epoch fit with validation_split (History, final weights, predict).
func TestKerasConvTraining(t *testing.T) {
	for _, c := range convFixtures(t, "model") {
		t.Run(c.Name, func(t *testing.T) {
			m := c.model(t)
			if n := m.CountParams(); n != c.CountParams {
				t.Errorf("%d parameters, Keras %d", n, c.CountParams)
			}
			y := m.prepareY("test", "y", c.Y.Tensor, c.X.Len())
			xs := []*Tensor{c.X.Tensor}
			for _, p := range m.params {
				clear(p.grad.data)
			}
			yp := m.forward(xs, true)[0]
			k := yp.shape[len(yp.shape)-1]
			dy := Zeros(yp.shape...)
			loss := m.compiled.losses[0].compute(y[0].data, yp.data, dy.data, k) + m.penalty(true)
			m.backward([]*Tensor{dy})
			closeTo(t, "loss0", []float64{loss}, []float64{c.Loss0})
			for i, p := range m.params {
				closeTo(t, fmt.Sprintf("grad %d (%s)", i, p.name), p.grad.data, c.Grads[i].data)
			}
			checkTrainOnBatch(t, goldenDtypes[0], m, xs, y, c.TrainOnBatch, func(int) {})
			closeToWeights(t, goldenDtypes[0], "after 10 steps", m, c.WeightsAfter10)

			m = c.model(t)
			h, err := m.Fit(c.X.Tensor, c.Y.Tensor, FitOptions{Epochs: c.Fit.Epochs, BatchSize: c.Fit.BatchSize,
				ValidationSplit: c.Fit.ValidationSplit, NoShuffle: true, Verbose: Silent})
			if err != nil {
				t.Fatal(err)
			}
			if got := h.Keys(); !slices.Equal(got, c.HistoryKeys) {
				t.Errorf("history keys %v, Keras %v", got, c.HistoryKeys)
			}
			for key, want := range c.History {
				closeTo(t, key, h.History[key], want)
			}
			closeToWeights(t, goldenDtypes[0], "after fit", m, c.FinalWeights)
			p, err := m.Predict(c.X.Tensor, PredictOptions{BatchSize: 8, Verbose: Silent})
			if err != nil {
				t.Fatal(err)
			}
			closeTo(t, "predict", p.data, c.Predict.data)
		})
	}
}

// TestKerasConvSummary compares Summary with Keras's text for the same
// models, built from dl's own struct literals.
func TestKerasConvSummary(t *testing.T) {
	models := map[string]func() *Sequential{
		"cnn": cnn,
		"cnn_options": func() *Sequential {
			return NewSequential(Input(7, 7, 2),
				&Conv2D{Filters: 3, KernelSize: Size{3, 2}, Strides: Size{2, 1}, Padding: "same", Activation: Tanh, NoBias: true,
					KernelRegularizer: L2(0.01)},
				&AveragePooling2D{PoolSize: Size{2}, Strides: Size{1}, Padding: "same"}, &MaxPooling2D{PoolSize: Size{2}, Padding: "same"},
				&Conv2D{Filters: 4, KernelSize: Size{1}, BiasRegularizer: L1(0.01)}, &GlobalAveragePooling2D{},
				&Dense{Units: 3, Activation: Softmax})
		},
		"conv1d": func() *Sequential {
			return NewSequential(Input(10, 2), &Conv1D{Filters: 4, KernelSize: Size{3}, Padding: "causal", Activation: ReLU},
				&MaxPooling1D{}, &Conv1D{Filters: 3, KernelSize: Size{2}, Strides: Size{2}, Padding: "same", Activation: Sigmoid},
				&Flatten{}, &Dense{Units: 1})
		},
	}
	for _, c := range convFixtures(t, "summary") {
		t.Run(c.Name, func(t *testing.T) {
			ClearSession()
			m := models[c.Name]()
			if got := m.summaryText(0); got != c.Text {
				t.Errorf("summary\n%s\nKeras (%s)\n%s", got, strings.Join(c.Code, "\n"), c.Text)
			}
			var names []string
			for _, l := range m.Layers() {
				names = append(names, layerName(asLayer(l)))
			}
			if !slices.Equal(names, c.LayerNames) || m.Name != c.ModelName {
				t.Errorf("model %q with layers %v, Keras %q with %v", m.Name, names, c.ModelName, c.LayerNames)
			}
		})
	}
}
