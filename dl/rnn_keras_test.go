package dl

// Keras parity of the recurrent layers: testdata/keras/rnn.json, written by
// tools/keras/gen_goldens.py (gen_rnn) with real Keras 3 in float64.

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
)

// kerasRNNLayer is a layer of rnn.json: a SimpleRNN, LSTM, GRU or Dense with
// its Keras arguments (absent ones are Keras's defaults).
type kerasRNNLayer struct {
	Class                string
	Units                int
	Activation           string
	RecurrentActivation  string            `json:"recurrent_activation"`
	UseBias              *bool             `json:"use_bias"`
	ReturnSequences      bool              `json:"return_sequences"`
	ReturnState          bool              `json:"return_state"`
	GoBackwards          bool              `json:"go_backwards"`
	ResetAfter           *bool             `json:"reset_after"`
	UnitForgetBias       *bool             `json:"unit_forget_bias"`
	KernelRegularizer    *kerasRegularizer `json:"kernel_regularizer"`
	RecurrentRegularizer *kerasRegularizer `json:"recurrent_regularizer"`
	BiasRegularizer      *kerasRegularizer `json:"bias_regularizer"`
}

// layer returns the dl layer for the spec.
func (s kerasRNNLayer) layer(t *testing.T) layer {
	t.Helper()
	noBias := s.UseBias != nil && !*s.UseBias
	act := Activation(s.Activation)
	kr, rr, br := s.KernelRegularizer.regularizer(), s.RecurrentRegularizer.regularizer(), s.BiasRegularizer.regularizer()
	switch s.Class {
	case "SimpleRNN":
		return &SimpleRNN{Units: s.Units, Activation: act, NoBias: noBias, ReturnSequences: s.ReturnSequences,
			ReturnState: s.ReturnState, GoBackwards: s.GoBackwards,
			KernelRegularizer: kr, RecurrentRegularizer: rr, BiasRegularizer: br}
	case "LSTM":
		return &LSTM{Units: s.Units, Activation: act, RecurrentActivation: Activation(s.RecurrentActivation), NoBias: noBias,
			NoUnitForgetBias: s.UnitForgetBias != nil && !*s.UnitForgetBias, ReturnSequences: s.ReturnSequences,
			ReturnState: s.ReturnState, GoBackwards: s.GoBackwards,
			KernelRegularizer: kr, RecurrentRegularizer: rr, BiasRegularizer: br}
	case "GRU":
		return &GRU{Units: s.Units, Activation: act, RecurrentActivation: Activation(s.RecurrentActivation), NoBias: noBias,
			NoResetAfter: s.ResetAfter != nil && !*s.ResetAfter, ReturnSequences: s.ReturnSequences,
			ReturnState: s.ReturnState, GoBackwards: s.GoBackwards,
			KernelRegularizer: kr, RecurrentRegularizer: rr, BiasRegularizer: br}
	case "Dense":
		if act == "" {
			act = Linear
		}
		return &Dense{Units: s.Units, Activation: act, NoBias: noBias, KernelRegularizer: kr, BiasRegularizer: br}
	}
	t.Fatalf("unknown layer class %q", s.Class)
	return nil
}

// rnnCase is one case of rnn.json; Kind says which fields are set.
type rnnCase struct {
	Kind  string
	Name  string
	Layer kerasRNNLayer

	// forward
	X       array
	Weights []array
	Outputs []array

	// train_step
	Model struct {
		InputShape []int `json:"input_shape"`
		Layers     []kerasRNNLayer
	}
	Y             array
	Loss0         float64
	Grads         []array
	WeightsAfter1 []array `json:"weights_after_1"`

	// params
	InputShape   []int   `json:"input_shape"`
	CountParams  int     `json:"count_params"`
	WeightShapes [][]int `json:"weight_shapes"`
	OutputShapes [][]int `json:"output_shapes"`

	// summary
	Params []int
	Text   string
}

// rnnCases returns the cases of rnn.json of one kind.
func rnnCases(t *testing.T, kind string) []rnnCase { return rnnCasesOf(t, goldenDtypes[0], kind) }

// rnnCasesOf returns the cases of one kind of the fixture of dtype g.
func rnnCasesOf(t *testing.T, g goldenDtype, kind string) []rnnCase {
	var out []rnnCase
	for _, c := range loadFixture[json.RawMessage](t, "rnn"+g.suffix+".json") {
		var rc rnnCase
		if err := json.Unmarshal(c, &rc); err != nil {
			t.Fatal(err)
		}
		if rc.Kind == kind {
			out = append(out, rc)
		}
	}
	if len(out) == 0 {
		t.Fatalf("rnn.json has no %s cases", kind)
	}
	return out
}

// TestKerasRNNForward runs each layer variant with Keras's weights on
// Keras's input and compares every output (output and states), in
// inference and in training mode.
func TestKerasRNNForward(t *testing.T) {
	for _, c := range rnnCases(t, "forward") {
		t.Run(c.Name, func(t *testing.T) {
			l := c.Layer.layer(t)
			if err := buildLayer(l, c.X.shape[1:], rand.New(rand.NewPCG(1, 1))); err != nil {
				t.Fatal(err)
			}
			params := l.base().params
			if len(params) != len(c.Weights) {
				t.Fatalf("%d weights, Keras has %d", len(params), len(c.Weights))
			}
			for i, p := range params {
				if !equalShape(p.value.shape, c.Weights[i].shape) {
					t.Fatalf("weight %d (%s) has shape %v, Keras %v", i, p.name, p.value.shape, c.Weights[i].shape)
				}
				copy(p.value.data, c.Weights[i].data)
			}
			o := testOp(l)
			if got := len(o.outputShapes()); got != len(c.Outputs) {
				t.Fatalf("%d outputs, Keras returns %d", got, len(c.Outputs))
			}
			for _, training := range []bool{false, true} {
				ys := o.forwardAll(c.X.Tensor, training, rand.New(rand.NewPCG(2, 2)))
				for i, y := range ys {
					if !equalShape(y.shape, c.Outputs[i].shape) {
						t.Fatalf("output %d has shape %v, Keras %v", i, y.shape, c.Outputs[i].shape)
					}
					closeTo(t, fmt.Sprintf("training=%v output %d", training, i), y.data, c.Outputs[i].data)
				}
			}
		})
	}
}

// TestKerasRNNTrainStep compares the loss, the gradients (regularization
// included) and the weights after one Adam step of small recurrent models.
func TestKerasRNNTrainStep(t *testing.T) {
	for _, g := range goldenDtypes {
		for _, c := range rnnCasesOf(t, g, "train_step") {
			t.Run(g.dtype+"/"+c.Name, func(t *testing.T) {
				ClearSession()
				SetRandomSeed(DefaultSeed)
				layers := []Layer{Input(c.Model.InputShape...)}
				for _, l := range c.Model.Layers {
					layers = append(layers, l.layer(t))
				}
				m := NewSequential(layers...)
				m.Dtype = g.dtype
				checkKerasOneStep(t, g, &m.Model, c)
			})
		}
	}
}

// checkKerasOneStep sets Keras's weights in m, then compares the loss and
// its gradients, and the weights after one Adam step, with Keras's.
func checkKerasOneStep(t *testing.T, g goldenDtype, m *Model, c rnnCase) {
	t.Helper()
	Check(m.Compile(CompileOptions{Optimizer: &Adam{}, Loss: "mse"}))
	w := make([]*Tensor, len(c.Weights))
	for i, a := range c.Weights {
		w[i] = a.Tensor
	}
	Check(m.SetWeights(w))
	xs, ys := []*Tensor{c.X.Tensor}, []*Tensor{c.Y.Tensor}
	loss, grads := m.lossAndGrads(xs, ys)
	g.close(t, "loss0", []float64{loss}, []float64{c.Loss0})
	for i, p := range m.params {
		g.close(t, fmt.Sprintf("grad %d (%s)", i, p.name), grads[i].data, c.Grads[i].data)
	}
	g.close(t, "train step loss", []float64{m.trainStep(xs, ys)}, []float64{c.Loss0})
	closeToWeights(t, g, "after 1 step", m, c.WeightsAfter1)
}

// TestKerasRNNFunctionalStates compares one Adam step of a functional model
// whose loss flows through ReturnState outputs: LSTM's sequence, h and c,
// and GRU's h but not its output.
func TestKerasRNNFunctionalStates(t *testing.T) {
	for _, g := range goldenDtypes {
		for _, c := range rnnCasesOf(t, g, "functional_train_step") {
			t.Run(g.dtype+"/"+c.Name, func(t *testing.T) {
				ClearSession()
				SetRandomSeed(DefaultSeed)
				inp := Input(5, 2)
				lstm := CallMulti(&LSTM{Units: 3, ReturnSequences: true, ReturnState: true}, inp)
				gru := CallMulti(&GRU{Units: 2, ReturnState: true, GoBackwards: true}, lstm[0])
				out := Call(&Dense{Units: 1}, Call(&Concatenate{}, gru[1], lstm[1], lstm[2]))
				m, err := NewModel(inp, out)
				if err != nil {
					t.Fatal(err)
				}
				m.Dtype = g.dtype
				checkKerasOneStep(t, g, m, c)
			})
		}
	}
}

// TestKerasRNNParams compares parameter counts, weight shapes and output
// shapes (ReturnState included) with Keras's.
func TestKerasRNNParams(t *testing.T) {
	for i, c := range rnnCases(t, "params") {
		t.Run(fmt.Sprint(i, c.Layer.Class), func(t *testing.T) {
			l := c.Layer.layer(t)
			if err := buildLayer(l, c.InputShape, rand.New(rand.NewPCG(1, 1))); err != nil {
				t.Fatal(err)
			}
			if got := countParams(l); got != c.CountParams {
				t.Errorf("%d params, Keras %d", got, c.CountParams)
			}
			var shapes [][]int
			for _, p := range l.base().params {
				shapes = append(shapes, p.value.shape)
			}
			if fmt.Sprint(shapes) != fmt.Sprint(c.WeightShapes) {
				t.Errorf("weight shapes %v, Keras %v", shapes, c.WeightShapes)
			}
			if got := testOp(l).outputShapes(); fmt.Sprint(got) != fmt.Sprint(c.OutputShapes) {
				t.Errorf("output shapes %v, Keras %v", got, c.OutputShapes)
			}
		})
	}
}

// TestKerasRNNSummary compares the summary of a stacked LSTM with the text
// Keras prints.
func TestKerasRNNSummary(t *testing.T) {
	for _, g := range goldenDtypes {
		for _, c := range rnnCasesOf(t, g, "summary") {
			t.Run(g.dtype+"/"+c.Name, func(t *testing.T) { checkRNNSummary(t, g, c) })
		}
	}
}

// checkRNNSummary compares the summary of the case's model, in g's dtype,
// with Keras's.
func checkRNNSummary(t *testing.T, g goldenDtype, c rnnCase) {
	ClearSession()
	SetRandomSeed(DefaultSeed)
	m := NewSequential(Input(10, 1), &LSTM{Units: 64, ReturnSequences: true}, &LSTM{Units: 32}, &Dense{Units: 1})
	m.Dtype = g.dtype
	for i, l := range m.Layers() {
		if got := countParams(l); got != c.Params[i] {
			t.Errorf("layer %d: %d params, Keras %d", i, got, c.Params[i])
		}
	}
	if got := m.summaryText(0); got != c.Text {
		t.Errorf("summary differs from Keras's\n got:\n%s\nwant:\n%s", got, c.Text)
	}
}
