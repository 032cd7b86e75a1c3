package dl

// Keras parity of functional models: testdata/keras/functional.json, written
// by tools/keras/gen_goldens.py (gen_functional) with real Keras 3 in
// float64. Each case's model is rebuilt here with the same structure, in the
// same order, so that dl's automatic names match Keras's after
// keras.backend.clear_session().
//
// Subtests named "keras_logs_*" check how Keras reports a model with several
// outputs (per-output losses in the logs, evaluate's list), and
// "keras_names_model_name" Keras's automatic model names; like the others,
// they assert Keras's behaviour.

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// functionalCase is one case of functional.json; the training fields are set
// for lecture_m2 and multi_output only.
type functionalCase struct {
	Name        string
	ModelName   string   `json:"model_name"`
	InputNames  []string `json:"input_names"` // Keras's tensor names: keras_tensor_N for an unnamed Input
	LayerNames  []string `json:"layer_names"`
	Params      []int
	CountParams int `json:"count_params"`
	Weights     []array
	X           []array
	Outputs     []array
	Summary     string

	Y             []array
	Loss0         float64
	OutputLosses0 []float64 `json:"output_losses0"`
	Grads         []array
	TrainOnBatch  json.RawMessage `json:"train_on_batch"`
	WeightsAfter1 []array         `json:"weights_after_1"`

	// lecture_m2
	WeightsAfter3     []array `json:"weights_after_3"`
	SummaryAfterTrain string  `json:"summary_after_train"`

	// multi_output
	OutputNames []string `json:"output_names"`
	Compile     struct {
		Loss        any       // a name, or one name per output
		LossWeights []float64 `json:"loss_weights"`
	}
	TrainOnBatchKeys []string `json:"train_on_batch_keys"`
	Fit              struct {
		Epochs          int
		BatchSize       int     `json:"batch_size"`
		ValidationSplit float64 `json:"validation_split"`
		Shuffle         bool
	}
	History       map[string][]float64
	HistoryKeys   []string       `json:"history_keys"`
	HistoryParams map[string]int `json:"history_params"`
	FinalWeights  []array        `json:"final_weights"`
	Evaluate      map[string]float64
	EvaluateKeys  []string  `json:"evaluate_keys"`
	EvaluateList  []float64 `json:"evaluate_list"`
	Predict       []array
}

// functionalModels rebuilds each case's model as the fixture's code does.
var functionalModels = map[string]func() (*Model, error){
	"lecture_m2": func() (*Model, error) {
		input1 := Input(10)
		x1 := Call(&Dense{Units: 10, Activation: "relu"}, input1)
		input2 := Input(5)
		x2 := Call(&Dense{Units: 20, Activation: "relu"}, input2)
		merged := Concat(x1, x2)
		hidden := Call(&Dense{Units: 8, Activation: "relu"}, merged)
		output := Call(&Dense{Units: 1}, hidden)
		return NewModel(Nodes{input1, input2}, output)
	},
	"multi_output": func() (*Model, error) {
		a, b := Input(6), Input(6)
		shared := &Dense{Units: 4, Activation: "tanh"}
		sa, sb := Call(shared, a), Call(shared, b)
		added := Call(&Add{}, sa, sb)
		product := Call(&Multiply{}, sa, sb)
		mean := Call(&Average{}, sa, sb)
		merged := Call(&Concatenate{Axis: 1}, added, product, mean)
		hidden := Call(&Dense{Units: 5, Activation: "relu"}, merged)
		outReg := Call(&Dense{Units: 1}, hidden)
		outCls := Call(&Dense{Units: 1, Activation: "sigmoid"}, merged)
		return NewModel(Nodes{a, b}, Nodes{outReg, outCls})
	},
	"summary_example": func() (*Model, error) {
		a, b := Input(10, 1), Input(5)
		x := Call(&LSTM{Units: 32}, a)
		y := Call(&Dense{Units: 16}, b)
		z := Concat(x, y)
		out := Call(&Dense{Units: 1}, z)
		return NewModel(Nodes{a, b}, out)
	},
	"functional_chain": func() (*Model, error) {
		inp := Input(3)
		x := Call(&Dense{Units: 64, Activation: "relu"}, inp)
		x = Call(&Dropout{Rate: 0.2}, x)
		out := Call(&Dense{Units: 1}, x)
		return NewModel(inp, out)
	},
	"nested_sequential": func() (*Model, error) {
		inp := Input(4)
		inner := NewSequential(&Dense{Units: 3, Activation: "relu"}, &Dense{Units: 2})
		x := Call(inner, inp)
		y := Call(&Dense{Units: 2, Activation: "tanh"}, inp)
		out := Call(&Dense{Units: 1}, Call(&Concatenate{}, x, y))
		return NewModel(inp, out)
	},
	"lstm_return_state": func() (*Model, error) {
		inp := Input(5, 2)
		lstm := CallMulti(&LSTM{Units: 4, ReturnSequences: true, ReturnState: true}, inp)
		last := Call(&LSTM{Units: 3}, lstm[0])
		out := Call(&Dense{Units: 1}, Call(&Concatenate{}, last, lstm[1], lstm[2]))
		return NewModel(inp, out)
	},
	// Chapter 8's two-input model with the lecture's input names.
	"lecture_named_inputs": func() (*Model, error) {
		input1 := Input(6).Named("input_1")
		input2 := Input(3).Named("input_2")
		x1 := Call(&Dense{Units: 18, Activation: "relu", Name: "numeric"}, input1)
		x2 := Call(&Dense{Units: 4, Activation: "relu", Name: "origin"}, input2)
		hidden := Call(&Dense{Units: 8, Activation: "relu"}, Concat(x1, x2))
		return NewModel(Nodes{input1, input2}, Call(&Dense{Units: 1}, hidden))
	},
	// A named Input takes no number from the counter: the unnamed one
	// after it is input_layer.
	"named_and_default_inputs": func() (*Model, error) {
		a := Input(3).Named("first")
		b := Input(2)
		out := Call(&Dense{Units: 1}, Call(&Concatenate{}, a, b))
		return NewModel(Nodes{b, a}, out)
	},
}

// functionalCases returns every case of functional.json.
func functionalCases(t *testing.T) map[string]functionalCase {
	t.Helper()
	out := map[string]functionalCase{}
	for _, c := range loadFixture[functionalCase](t, "functional.json") {
		out[c.Name] = c
	}
	return out
}

// buildFunctional clears the session, builds the case's model and, if
// weights is not nil, sets them.
func buildFunctional(t *testing.T, name string, weights []array) *Model {
	t.Helper()
	build := functionalModels[name]
	if build == nil {
		t.Fatalf("no dl model for case %q", name)
	}
	ClearSession()
	SetRandomSeed(DefaultSeed)
	m, err := build()
	if err != nil {
		t.Fatal(err)
	}
	if weights != nil {
		Check(m.SetWeights(tensorsOfArrays(weights)))
	}
	return m
}

// tensorsOfArrays returns the tensors of fixture arrays.
func tensorsOfArrays(as []array) []*Tensor {
	out := make([]*Tensor, len(as))
	for i, a := range as {
		out[i] = a.Tensor
	}
	return out
}

// lossAndGrads computes the total loss (each output's loss times its loss
// weight, plus penalties) and the weight gradients at the current weights,
// as Keras's compute_loss_and_updates does in training mode. It also
// returns each output's unweighted loss.
func lossAndGrads(m *Model, xs, ys []*Tensor) (float64, []float64) {
	c := m.compiled
	for _, p := range m.params {
		clear(p.grad.data)
	}
	yps := m.forward(xs, true)
	dys := make([]*Tensor, len(yps))
	per := make([]float64, len(yps))
	var loss float64
	for i, yp := range yps {
		k := yp.shape[len(yp.shape)-1]
		dys[i] = Zeros(yp.shape...)
		per[i] = c.losses[i].compute(ys[i].data, yp.data, dys[i].data, k)
		for j := range dys[i].data {
			dys[i].data[j] *= c.weights[i]
		}
		loss += c.weights[i] * per[i]
	}
	loss += m.penalty(true)
	m.backward(dys)
	return loss, per
}

// TestKerasFunctionalModels compares names, parameter counts, forward
// outputs and the summary text of every case.
func TestKerasFunctionalModels(t *testing.T) {
	for _, c := range loadFixture[functionalCase](t, "functional.json") {
		t.Run(c.Name, func(t *testing.T) {
			m := buildFunctional(t, c.Name, c.Weights)
			// Keras: every build of a Sequential (here the nested one in
			// nested_sequential) creates a Functional that takes the next
			// "functional" name, so the outer model is "functional_1".
			t.Run("keras_names_model_name", func(t *testing.T) {
				if m.Name != c.ModelName {
					t.Errorf("model name %q, Keras %q", m.Name, c.ModelName)
				}
			})
			// A named Input's tensor has the Input's name, which keys the
			// data passed by name; an unnamed one's is keras_tensor_N in
			// Keras, and the Input's layer name in dl.
			t.Run("input_names", func(t *testing.T) {
				got := m.inputNames()
				if len(got) != len(c.InputNames) {
					t.Fatalf("inputs %v, Keras %v", got, c.InputNames)
				}
				for i, n := range c.InputNames {
					if !strings.HasPrefix(n, "keras_tensor") && got[i] != n {
						t.Errorf("input %d is named %q, Keras %q", i, got[i], n)
					}
				}
			})
			t.Run("layers", func(t *testing.T) {
				var names []string
				for i, l := range m.Layers() {
					names = append(names, layerName(asLayer(l)))
					if i < len(c.Params) {
						if got := countParams(asLayer(l)); got != c.Params[i] {
							t.Errorf("layer %d (%s): %d params, Keras %d", i, names[i], got, c.Params[i])
						}
					}
				}
				if fmt.Sprint(names) != fmt.Sprint(c.LayerNames) {
					t.Errorf("layers %v, Keras %v", names, c.LayerNames)
				}
				if got := m.CountParams(); got != c.CountParams {
					t.Errorf("%d params, Keras %d", got, c.CountParams)
				}
			})
			t.Run("outputs", func(t *testing.T) {
				outs := m.forward(tensorsOfArrays(c.X), false)
				if len(outs) != len(c.Outputs) {
					t.Fatalf("%d outputs, Keras %d", len(outs), len(c.Outputs))
				}
				for i, o := range outs {
					if !equalShape(o.shape, c.Outputs[i].shape) {
						t.Fatalf("output %d has shape %v, Keras %v", i, o.shape, c.Outputs[i].shape)
					}
					closeTo(t, fmt.Sprintf("output %d", i), o.data, c.Outputs[i].data)
				}
			})
			// The summary of a freshly built model, as Keras printed it (its
			// first line has the model name).
			t.Run("summary", func(t *testing.T) {
				fresh := buildFunctional(t, c.Name, nil)
				got := fresh.summaryText(0)
				if got == c.Summary {
					return
				}
				_, gotRest, _ := strings.Cut(got, "\n")
				_, wantRest, _ := strings.Cut(c.Summary, "\n")
				if gotRest == wantRest {
					t.Errorf("summary differs from Keras's in its first line only (the model name): %q, Keras %q",
						strings.SplitN(got, "\n", 2)[0], strings.SplitN(c.Summary, "\n", 2)[0])
					return
				}
				t.Errorf("summary differs from Keras's\n got:\n%s\nwant:\n%s", got, c.Summary)
			})
		})
	}
}

// TestKerasFunctionalLectureM2 trains the lecture's two-input model for
// three Adam steps: loss and gradients at the initial weights, the loss of
// each step and the weights after steps 1 and 3, then the summary with the
// optimizer's parameters.
func TestKerasFunctionalLectureM2(t *testing.T) {
	for _, g := range goldenDtypes {
		t.Run(g.dtype, func(t *testing.T) { checkKerasLectureM2(t, g) })
	}
}

func checkKerasLectureM2(t *testing.T, g goldenDtype) {
	var c functionalCase
	for _, fc := range loadFixture[functionalCase](t, "functional"+g.suffix+".json") {
		if fc.Name == "lecture_m2" {
			c = fc
		}
	}
	m := buildFunctional(t, c.Name, nil)
	m.Dtype = g.dtype
	Check(m.SetWeights(tensorsOfArrays(c.Weights)))
	Check(m.Compile(CompileOptions{Optimizer: &Adam{}, Loss: "mse"}))
	xs := tensorsOfArrays(c.X)
	n := xs[0].Len()
	m.compiled.resolve("test", m)
	ys := m.prepareY("test", "y", Tensors(tensorsOfArrays(c.Y)), n)

	loss, grads := m.lossAndGrads(xs, ys)
	g.close(t, "loss0", []float64{loss}, []float64{c.Loss0})
	for i, p := range m.params {
		g.close(t, fmt.Sprintf("grad %d (%s)", i, p.name), grads[i].data, c.Grads[i].data)
	}

	var steps []map[string]float64
	if err := json.Unmarshal(c.TrainOnBatch, &steps); err != nil {
		t.Fatal(err)
	}
	for step, want := range steps {
		g.close(t, fmt.Sprintf("step %d loss", step+1), []float64{m.trainStep(xs, ys)}, []float64{want["loss"]})
		switch step + 1 {
		case 1:
			closeToWeights(t, g, "after 1 step", m, c.WeightsAfter1)
		case 3:
			closeToWeights(t, g, "after 3 steps", m, c.WeightsAfter3)
		}
	}
	if got := m.summaryText(0); got != c.SummaryAfterTrain {
		t.Errorf("summary after training differs from Keras's\n got:\n%s\nwant:\n%s", got, c.SummaryAfterTrain)
	}
}

// multiOutputModel builds multi_output with the fixture's initial weights,
// compiled as the fixture's Keras model (dl takes one flat metrics list for
// every output; Keras 3.15 needs [['mae'], ['mae']]).
func multiOutputModel(t *testing.T, c functionalCase) *Model {
	t.Helper()
	m := buildFunctional(t, c.Name, c.Weights)
	var losses []string
	for _, l := range c.Compile.Loss.([]any) {
		losses = append(losses, l.(string))
	}
	Check(m.Compile(CompileOptions{Optimizer: &Adam{}, Losses: losses, LossWeights: c.Compile.LossWeights,
		Metrics: []string{"mae"}}))
	return m
}

// TestKerasFunctionalMultiOutput checks a model with a shared layer, Add,
// Multiply, Average and Concatenate(axis=1) merges and two outputs with
// losses mse and binary_crossentropy weighted 1 and 0.5: the total and
// per-output losses, the gradients, one train step, a two-epoch fit with a
// validation split, evaluate and predict.
func TestKerasFunctionalMultiOutput(t *testing.T) {
	c := functionalCases(t)["multi_output"]
	xs := tensorsOfArrays(c.X)
	n := xs[0].Len()

	var tob map[string]float64
	if err := json.Unmarshal(c.TrainOnBatch, &tob); err != nil {
		t.Fatal(err)
	}

	t.Run("output_names", func(t *testing.T) {
		m := multiOutputModel(t, c)
		var names []string
		for _, s := range m.outputs {
			names = append(names, layerName(m.nodes[s.node].layer))
		}
		if fmt.Sprint(names) != fmt.Sprint(c.OutputNames) {
			t.Errorf("output layers %v, Keras %v", names, c.OutputNames)
		}
	})

	t.Run("train_step", func(t *testing.T) {
		m := multiOutputModel(t, c)
		m.compiled.resolve("test", m)
		ys := m.prepareY("test", "y", Tensors(tensorsOfArrays(c.Y)), n)
		loss, per := lossAndGrads(m, xs, ys)
		closeTo(t, "loss0", []float64{loss}, []float64{c.Loss0})
		closeTo(t, "output losses", per, c.OutputLosses0)
		for i, p := range m.params {
			closeTo(t, fmt.Sprintf("grad %d (%s)", i, p.name), p.grad.data, c.Grads[i].data)
		}
		for _, mt := range metricsOf(m.compiled.train) {
			mt.reset()
		}
		got := map[string]float64{"loss": m.trainStep(xs, ys)}
		for _, mt := range metricsOf(m.compiled.train) {
			got[mt.name] = mt.result()
		}
		for key, v := range got {
			want, ok := tob[key]
			if !ok {
				t.Errorf("train step logs %q, which Keras does not (Keras: %v)", key, c.TrainOnBatchKeys)
				continue
			}
			closeTo(t, "train step "+key, []float64{v}, []float64{want})
		}
		closeToWeights(t, goldenDtypes[0], "after 1 step", m, c.WeightsAfter1)
	})

	for _, g := range goldenDtypes {
		t.Run("fit/"+g.dtype, func(t *testing.T) {
			c := c
			for _, fc := range loadFixture[functionalCase](t, "functional"+g.suffix+".json") {
				if fc.Name == c.Name {
					c = fc
				}
			}
			checkMultiOutputFit(t, g, c)
		})
	}

	// Keras logs each output's (unweighted) loss as "<output name>_loss"
	// next to the total, in train_on_batch, fit's history and evaluate.
	t.Run("keras_logs_train_step_keys", func(t *testing.T) {
		m := multiOutputModel(t, c)
		if got := m.logKeys(false); fmt.Sprint(got) != fmt.Sprint(c.TrainOnBatchKeys) {
			t.Errorf("logged keys\n got %v\nKeras %v", got, c.TrainOnBatchKeys)
		}
		if fmt.Sprint(sortedKeys(tob)) != fmt.Sprint(c.TrainOnBatchKeys) {
			t.Errorf("fixture keys %v are not sorted as train_on_batch_keys %v", sortedKeys(tob), c.TrainOnBatchKeys)
		}
	})
}

// checkMultiOutputFit fits multi_output in g's dtype for the fixture's
// epochs and compares the History, the final weights, Evaluate and
// PredictOutputs with Keras's.
func checkMultiOutputFit(t *testing.T, g goldenDtype, c functionalCase) {
	m := multiOutputModel(t, c)
	m.Dtype = g.dtype
	xs := tensorsOfArrays(c.X)
	h, err := m.Fit(Tensors(xs), Tensors(tensorsOfArrays(c.Y)), FitOptions{Epochs: c.Fit.Epochs,
		BatchSize: c.Fit.BatchSize, ValidationSplit: c.Fit.ValidationSplit, NoShuffle: !c.Fit.Shuffle, Verbose: Silent})
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range h.Keys() {
		want, ok := c.History[key]
		if !ok {
			t.Errorf("history has %q, which Keras does not (Keras: %v)", key, c.HistoryKeys)
			continue
		}
		g.close(t, key, h.History[key], want)
	}
	if h.Params["steps"] != c.HistoryParams["steps"] || h.Params["epochs"] != c.HistoryParams["epochs"] {
		t.Errorf("params %v, Keras %v", h.Params, c.HistoryParams)
	}
	closeToWeights(t, g, "final", m, c.FinalWeights)

	t.Run("keras_logs_history_keys", func(t *testing.T) {
		if got := h.Keys(); fmt.Sprint(got) != fmt.Sprint(c.HistoryKeys) {
			t.Errorf("history keys\n got %v\nKeras %v", got, c.HistoryKeys)
		}
	})

	res, err := m.Evaluate(Tensors(xs), Tensors(tensorsOfArrays(c.Y)), EvaluateOptions{BatchSize: 8, Verbose: Silent})
	if err != nil {
		t.Fatal(err)
	}
	// The list, as Keras orders it: the loss, each output's loss, then
	// each output's metrics.
	keys := []string{"loss"}
	for _, t := range m.compiled.valOut {
		keys = append(keys, t.name)
	}
	for _, mt := range metricsOf(m.compiled.val) {
		keys = append(keys, mt.name)
	}
	for i, key := range keys {
		want, ok := c.Evaluate[key]
		if !ok {
			t.Errorf("evaluate reports %q, which Keras does not (Keras: %v)", key, c.EvaluateKeys)
			continue
		}
		g.close(t, "evaluate "+key, res[i:i+1], []float64{want})
	}
	t.Run("keras_logs_evaluate_list", func(t *testing.T) {
		if len(res) != len(c.EvaluateList) {
			t.Fatalf("evaluate returns %d values %v (%v), Keras %d %v (loss, per-output losses, metrics)",
				len(res), res, keys, len(c.EvaluateList), c.EvaluateList)
		}
		g.close(t, "evaluate list", res, c.EvaluateList)
	})

	p, err := m.PredictOutputs(Tensors(xs), PredictOptions{BatchSize: 8, Verbose: Silent})
	if err != nil {
		t.Fatal(err)
	}
	for i := range c.Predict {
		g.close(t, fmt.Sprintf("predict output %d", i), p[i].data, c.Predict[i].data)
	}
}
