package dl

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// checkModelGradients compares the backprop gradient of the training loss
// (with penalties) with finite differences, for every weight of m.
func checkModelGradients(t *testing.T, m *Model, xs, ys []*Tensor) {
	t.Helper()
	c := m.compiled
	c.resolve("test", m)
	// Move zero biases off 0, where |b| has no derivative.
	rng := rand.New(rand.NewPCG(3, 3))
	for _, p := range m.params {
		if p.name == "bias" {
			copy(p.value.data, randTensor(rng, p.value.shape...).data)
		}
	}
	loss := func() float64 {
		var l float64
		for i, yp := range m.forward(xs, false) {
			l += c.weights[i] * c.losses[i].compute(ys[i].data, yp.data, nil, yp.shape[len(yp.shape)-1])
		}
		return l + m.penalty(false)
	}
	for _, p := range m.params {
		clear(p.grad.data)
	}
	yps := m.forward(xs, false)
	dys := make([]*Tensor, len(yps))
	for i, yp := range yps {
		dys[i] = Zeros(yp.shape...)
		c.losses[i].compute(ys[i].data, yp.data, dys[i].data, yp.shape[len(yp.shape)-1])
		for j := range dys[i].data {
			dys[i].data[j] *= c.weights[i]
		}
	}
	m.backward(dys)
	m.penalty(true)
	for i, p := range m.params {
		checkGradient(t, fmt.Sprintf("weight %d (%s)", i, p.name), loss, p.value.data, append([]float64(nil), p.grad.data...))
	}
}

// TestFunctionalGradients checks back-propagation through every merge
// layer, a layer shared by two branches, a nested Sequential, and two
// outputs with loss weights.
func TestFunctionalGradients(t *testing.T) {
	ClearSession()
	SetRandomSeed(DefaultSeed)
	rng := rand.New(rand.NewPCG(4, 4))
	a, b := Input(3), Input(3)
	shared := &Dense{Units: 4, Activation: Tanh, KernelRegularizer: L2(0.01)}
	ha, hb := Call(shared, a), Call(shared, b)
	sum := Call(&Add{}, ha, hb)
	diff := Call(&Subtract{}, ha, hb)
	prod := Call(&Multiply{}, sum, diff)
	avg := Call(&Average{}, ha, hb, prod)
	inner := NewSequential(&Dense{Units: 3, Activation: Sigmoid})
	cat := Concat(avg, Call(inner, diff), Call(&Concatenate{Axis: 1}, ha, prod))
	out1 := Call(&Dense{Units: 2, Activation: Softmax}, cat)
	out2 := Call(&Dense{Units: 1}, avg)
	m, err := NewModel(Nodes{a, b}, Nodes{out1, out2})
	if err != nil {
		t.Fatal(err)
	}
	Check(m.Compile(CompileOptions{Optimizer: "sgd", Losses: []string{"categorical_crossentropy", "mse"}, LossWeights: []float64{1, 0.5}}))
	xs := []*Tensor{randTensor(rng, 5, 3), randTensor(rng, 5, 3)}
	y1 := Zeros(5, 2)
	for i := 0; i < 5; i++ {
		y1.Set(1, i, i%2)
	}
	checkModelGradients(t, m, xs, []*Tensor{y1, randTensor(rng, 5, 1)})
	if got, want := len(m.params), 2+2+2+2; got != want {
		t.Errorf("%d weight arrays, want %d (the shared Dense counted once)", got, want)
	}
}

// TestConcatenateAxes checks concatenation along a middle axis of 3-D data.
func TestConcatenateAxes(t *testing.T) {
	c := &Concatenate{Axis: 1}
	out, err := c.buildN([][]int{{2, 3}, {4, 3}})
	if err != nil || !equalShape(out, []int{6, 3}) {
		t.Fatalf("shape %v, %v; want (6, 3)", out, err)
	}
	o := c.newOp(float64Type).(*concatOp[float64])
	x1 := FromSlice([]float64{1, 2, 3, 4, 5, 6}, 1, 2, 3)
	x2 := FromSlice([]float64{7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}, 1, 4, 3)
	y := o.forwardN(tensOfAll([]*Tensor{x1, x2}), false)
	want := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}
	if fmt.Sprint(y.data) != fmt.Sprint(want) {
		t.Errorf("got %v", y.data)
	}
	checkGradient(t, "concatenate", func() float64 {
		return floatsDot(o.forwardN(tensOfAll([]*Tensor{x1, x2}), false).data, want)
	}, x1.data, o.backwardN(tensOf(FromSlice(append([]float64(nil), want...), 1, 6, 3)), []bool{true, true})[0].data)
}

// floatsDot is Σ a·b.
func floatsDot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// TestFunctionalErrors checks that graph mistakes are clear errors.
func TestFunctionalErrors(t *testing.T) {
	for _, c := range []struct {
		name  string
		build func() (*Model, error)
		want  []string
	}{
		{"undeclared input", func() (*Model, error) {
			a, b := Input(3), Input(2)
			return NewModel(a, Concat(a, b))
		}, []string{"not among the model's inputs"}},
		{"unconnected input", func() (*Model, error) {
			a, b := Input(3), Input(2)
			return NewModel(Nodes{a, b}, Call(&Dense{Units: 1}, a))
		}, []string{"input 1", "not connected"}},
		{"concat shapes", func() (*Model, error) {
			a, b := Input(3, 2), Input(4, 5)
			return NewModel(Nodes{a, b}, Concat(a, b))
		}, []string{"Concatenate", "(None, 3, 2)", "(None, 4, 5)"}},
		{"dense units", func() (*Model, error) {
			a := Input(3)
			return NewModel(a, Call(&Dense{}, a))
		}, []string{"Units=0"}},
		{"two inputs to dense", func() (*Model, error) {
			a, b := Input(3), Input(3)
			return NewModel(Nodes{a, b}, Call(&Dense{Units: 1}, a, b))
		}, []string{"takes one input", "Concatenate"}},
		{"input as output of layer", func() (*Model, error) {
			a := Input(3)
			h := Call(&Dense{Units: 2}, a)
			return NewModel(h, Call(&Dense{Units: 1}, h))
		}, []string{"not an Input"}},
		{"bad input shape", func() (*Model, error) {
			a := Input(0)
			return NewModel(a, Call(&Dense{Units: 1}, a))
		}, []string{"positive"}},
		{"shared layer, other shape", func() (*Model, error) {
			a, b := Input(3), Input(4)
			d := &Dense{Units: 2}
			return NewModel(Nodes{a, b}, Concat(Call(d, a), Call(d, b)))
		}, []string{"was built for inputs of shape (None, 3)", "(None, 4)"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.build()
			var de *Error
			if !errors.As(err, &de) {
				t.Fatalf("got %v, want a *dl.Error", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}

	// Data that does not fit the inputs.
	a, b := Input(3), Input(2)
	m := Must(NewModel(Nodes{a, b}, Call(&Dense{Units: 1}, Concat(a, b))))
	Check(m.Compile(CompileOptions{Optimizer: "adam", Loss: "mse"}))
	x1, x2, y := Zeros(10, 3), Zeros(10, 2), Zeros(10, 1)
	for _, c := range []struct {
		x    Inputs
		want string
	}{
		{x1, "2 inputs but x holds 1"},
		{Tensors{x1, x2, x2}, "2 inputs but x holds 3"},
		{Tensors{x1, x2.Slice(0, 9)}, "same number of samples"},
		{Tensors{x2, x1}, `"input_layer`},
	} {
		if _, err := m.Fit(c.x, y, FitOptions{Verbose: Silent}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Fit: got %v, want an error mentioning %q", err, c.want)
		}
	}
}

// TestMultiOutputFit trains a two-output model and checks the History
// keys and that the loss is the weighted sum of the output losses.
func TestMultiOutputFit(t *testing.T) {
	ClearSession()
	SetRandomSeed(DefaultSeed)
	rng := rand.New(rand.NewPCG(8, 8))
	in := Input(4)
	h := Call(&Dense{Units: 6, Activation: ReLU}, in)
	o1 := Call(&Dense{Units: 1, Name: "price"}, h)
	o2 := Call(&Dense{Units: 1, Activation: Sigmoid, Name: "sold"}, h)
	m := Must(NewModel(in, Nodes{o1, o2}))
	Check(m.Compile(CompileOptions{Optimizer: "adam", Losses: []string{"mse", "binary_crossentropy"}, LossWeights: []float64{2, 1}, Metrics: []string{"mae"}}))
	x := randTensor(rng, 40, 4)
	y1, y2 := randTensor(rng, 40, 1), Zeros(40, 1)
	for i := 0; i < 40; i += 2 {
		y2.data[i] = 1
	}
	hist, err := m.Fit(x, Tensors{y1, y2}, FitOptions{Epochs: 2, ValidationSplit: 0.25, Verbose: Silent})
	if err != nil {
		t.Fatal(err)
	}
	want := "[loss price_loss price_mae sold_loss sold_mae val_loss val_price_loss val_price_mae val_sold_loss val_sold_mae]"
	if got := fmt.Sprint(hist.Keys()); got != want {
		t.Errorf("keys %s, want %s", got, want)
	}
	res := Must(m.Evaluate(x, Tensors{y1, y2}, EvaluateOptions{Verbose: Silent}))
	outs := Must(m.PredictOutputs(x, PredictOptions{Verbose: Silent}))
	mse, _ := resolveLoss("mse")
	bce, _ := resolveLoss("binary_crossentropy")
	total := 2*mse.compute(y1.data, outs[0].data, nil, 1) + bce.compute(y2.data, outs[1].data, nil, 1)
	if d := res[0] - total; d > 1e-12 || d < -1e-12 {
		t.Errorf("Evaluate loss %v, weighted sum of output losses %v", res[0], total)
	}
	if d := res[0] - (2*res[1] + res[2]); d > 1e-12 || d < -1e-12 {
		t.Errorf("Evaluate %v: the loss is not the weighted sum of the output losses that follow it", res)
	}
	if _, err := m.Predict(x, PredictOptions{Verbose: Silent}); err == nil || !strings.Contains(err.Error(), "PredictOutputs") {
		t.Errorf("Predict on two outputs: %v", err)
	}
}
