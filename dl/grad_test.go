package dl

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats"
)

// randTensor returns a tensor of the given shape with values in [-1, 1).
func randTensor(rng *rand.Rand, shape ...int) *Tensor {
	t := Zeros(shape...)
	for i := range t.data {
		t.data[i] = 2*rng.Float64() - 1
	}
	return t
}

// checkGradient compares analytic, the backprop gradient of loss with
// respect to the values in x, against central finite differences. loss must
// read x's current contents.
func checkGradient(t *testing.T, what string, loss func() float64, x, analytic []float64) {
	t.Helper()
	f := func(v []float64) float64 {
		saved := append([]float64(nil), x...)
		copy(x, v)
		defer copy(x, saved)
		return loss()
	}
	want := fd.Gradient(nil, f, append([]float64(nil), x...), &fd.Settings{Formula: fd.Central, Step: 1e-6})
	// Central differences with step 1e-6 on O(1) values: truncation error
	// O(h²) ≈ 1e-12, rounding ≈ 1e-16/h ≈ 1e-10; 1e-6 leaves a wide margin
	// and still catches any wrong derivative.
	if !floats.EqualApprox(analytic, want, 1e-6) {
		t.Errorf("%s: backprop gradient\n got %v\nwant %v (finite differences)", what, analytic, want)
	}
}

// checkLayerGradients builds l for inputs of shape in, then checks the
// gradient of Σ(output ⊙ w), for a random w, with respect to the input and
// to every weight. Training-mode randomness is replayed from a fixed seed
// on every evaluation so that the function is deterministic.
func checkLayerGradients(t *testing.T, l layer, in ...int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 8))
	if err := buildLayer(l, in[1:], rng); err != nil {
		t.Fatal(err)
	}
	x := randTensor(rng, in...)
	o := testOp(l)
	var w *Tensor
	loss := func() float64 {
		y := o.forward(x, true, rand.New(rand.NewPCG(3, 4)))
		if w == nil {
			w = randTensor(rng, y.shape...)
		}
		return floats.Dot(y.data, w.data)
	}
	loss()
	for _, p := range l.base().params {
		clear(p.grad.data)
	}
	o.forward(x, true, rand.New(rand.NewPCG(3, 4)))
	dx := append([]float64(nil), o.backward(w, true).data...)
	checkGradient(t, "input", loss, x.data, dx)
	for _, p := range l.base().params {
		checkGradient(t, p.name, loss, p.value.data, append([]float64(nil), p.grad.data...))
	}
}

func TestDenseGradients(t *testing.T) {
	acts := []Activation{"", Linear, ReLU, Sigmoid, Tanh, Softmax, ELU, SELU, LeakyReLU, GELU, Swish}
	for _, a := range acts {
		t.Run(string(a), func(t *testing.T) {
			checkLayerGradients(t, &Dense{Units: 3, Activation: a}, 5, 4)
		})
	}
	t.Run("no bias", func(t *testing.T) { checkLayerGradients(t, &Dense{Units: 2, NoBias: true}, 3, 4) })
	t.Run("rank 3", func(t *testing.T) { checkLayerGradients(t, &Dense{Units: 2, Activation: Tanh}, 2, 3, 4) })
}

func TestDropoutGradients(t *testing.T) {
	for _, rate := range []float64{0, 0.4, 1} {
		t.Run(fmt.Sprint(rate), func(t *testing.T) { checkLayerGradients(t, &Dropout{Rate: rate}, 6, 5) })
	}
}

func TestLossGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	probs := func(rows, k int) *Tensor {
		p := Zeros(rows, k)
		for i := range p.data {
			p.data[i] = 0.05 + 0.9*rng.Float64()
		}
		return p
	}
	for _, c := range []struct {
		loss   string
		yt, yp *Tensor
		k      int
	}{
		{"mse", randTensor(rng, 4, 3), randTensor(rng, 4, 3), 3},
		{"mae", randTensor(rng, 4, 3), randTensor(rng, 4, 3), 3},
		{"binary_crossentropy", FromSlice([]float64{0, 1, 1, 0, 1}, 5, 1), probs(5, 1), 1},
		{"categorical_crossentropy", FromRows([][]float64{{0, 1, 0}, {1, 0, 0}, {0, 0, 1}}), probs(3, 3), 3},
		{"sparse_categorical_crossentropy", FromSlice([]float64{2, 0, 1, 1}), probs(4, 3), 3},
	} {
		t.Run(c.loss, func(t *testing.T) {
			l, _ := resolveLoss(c.loss)
			g := make([]float64, c.yp.Size())
			l.compute(c.yt.data, c.yp.data, g, c.k)
			checkGradient(t, c.loss, func() float64 { return l.compute(c.yt.data, c.yp.data, nil, c.k) }, c.yp.data, g)
		})
	}
}

func TestRegularizerGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, r := range []Regularizer{L1(0.01), L2(0.02), L1L2(0.03, 0.04)} {
		w := randTensor(rng, 3, 4)
		g := make([]float64, w.Size())
		r.addGrad(w.data, g)
		checkGradient(t, r.(*l1l2).class, func() float64 { return r.Penalty(w.data) }, w.data, g)
	}
}

// TestModelGradients checks the whole chain (layers, loss and penalties) as
// Fit computes it, against finite differences of the training loss.
func TestModelGradients(t *testing.T) {
	ClearSession()
	SetRandomSeed(DefaultSeed)
	m := NewSequential(Input(4),
		&Dense{Units: 5, Activation: Tanh, KernelRegularizer: L2(0.01)},
		&Dense{Units: 3, Activation: Softmax, BiasRegularizer: L1(0.01)})
	Check(m.Compile(CompileOptions{Optimizer: &SGD{}, Loss: "categorical_crossentropy"}))
	rng := rand.New(rand.NewPCG(9, 9))
	x := randTensor(rng, 6, 4)
	y := FromRows([][]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}})
	checkModelGradients(t, &m.Model, []*Tensor{x}, []*Tensor{y})
}
