package dl

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// fusedTestModel is a model with every kind of weight the fused step must
// tell apart: kernels of Dense layers applied once (fusable), a shared
// Dense, a Dense with a regularizer, a Dense inside a nested model, and
// biases.
func fusedTestModel() (m *Model, plain, shared, regularized, nested *Dense) {
	a, b := Input(70), Input(70)
	plain = &Dense{Units: 64, Activation: ReLU}
	shared = &Dense{Units: 64, Activation: Tanh}
	regularized = &Dense{Units: 70, Activation: ReLU, KernelRegularizer: L2(0.01)}
	nested = &Dense{Units: 70, Activation: Sigmoid}
	h := Call(plain, a)
	s1, s2 := Call(shared, a), Call(shared, b)
	cat := Concat(h, s1, s2, Call(regularized, b), Call(NewSequential(nested), b))
	out := Call(&Dense{Units: 3, Activation: Softmax}, Call(&Dense{Units: 33, Activation: ReLU}, cat))
	// The last kernel, 33×3, is too small to fuse.
	m, err := NewModel(Nodes{a, b}, Nodes{out})
	Check(err)
	return m, plain, shared, regularized, nested
}

// TestFusableParams checks which weights a fused step may update: the
// kernels of the Dense layers applied once by the model itself, and with
// Adam (not amsgrad) not a regularized one.
func TestFusableParams(t *testing.T) {
	ClearSession()
	m, plain, shared, regularized, nested := fusedTestModel()
	// plain, regularized and the Dense layer on the concatenation.
	want := map[*param]bool{plain.kernel: true, regularized.kernel: true, m.params[8]: true}
	for i, ok := range fusableParams(m) {
		p := m.params[i]
		if ok != want[p] {
			t.Errorf("weight %d (%s): fusable %v", i, p.name, ok)
		}
	}
	if shared.kernel == nil || nested.kernel == nil {
		t.Fatal("the shared and nested Dense layers have no kernels")
	}
	for _, o := range []Optimizer{&Adam{}, &Adam{Amsgrad: true}, &SGD{}, &RMSprop{}} {
		fuse := fusableParams(m)
		planFusedStep(o, m.params, fuse)
		for i, p := range m.params {
			adam, _ := o.(*Adam)
			want := adam != nil && !adam.Amsgrad && want[p] && p != regularized.kernel
			if (p.fused != nil) != want {
				t.Errorf("%s: weight %d (%s) fused %v", o.Name(), i, p.name, p.fused != nil)
			}
		}
		endFusedStep(m.params)
	}
	for _, p := range m.params {
		if p.fused != nil || p.stepped {
			t.Fatal("endFusedStep left a fused update")
		}
	}
}

// TestFusedStepSameValues trains the same models with and without fused
// steps, in both dtypes, with Adam and with AdamW (which does not fuse),
// and checks that the weights and the optimizer's slots are bitwise the
// same: a fused step changes where the update runs, not its values. The
// wide model's banded products are large enough to be shared with the
// worker pool (run it with -race).
func TestFusedStepSameValues(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	xa, xb, xw := randTensor(rng, 70, 70), randTensor(rng, 70, 70), randTensor(rng, 70, 300)
	y := Zeros(70, 3)
	for i := range 70 {
		y.Set(1, i, i%3)
	}
	models := []struct {
		name  string
		build func() *Model
		x     Inputs
	}{
		{"graph", func() *Model { m, _, _, _, _ := fusedTestModel(); return m }, Tensors{xa, xb}},
		{"wide", func() *Model {
			return &NewSequential(Input(300), &Dense{Units: 256, Activation: ReLU}, &Dense{Units: 64, Activation: ReLU},
				&Dense{Units: 3, Activation: Softmax}).Model
		}, xw},
	}
	for _, mc := range models {
		for _, dtype := range []string{"float64", "float32"} {
			for _, opt := range []string{"adam", "adamw"} {
				t.Run(fmt.Sprint(mc.name, "/", dtype, "/", opt), func(t *testing.T) {
					train := func(fuse bool) *Model {
						defer func(old bool) { fuseSteps = old }(fuseSteps)
						fuseSteps = fuse
						ClearSession()
						SetRandomSeed(DefaultSeed)
						m := mc.build()
						m.Dtype = dtype
						Check(m.Compile(CompileOptions{Optimizer: opt, Loss: "categorical_crossentropy"}))
						_, err := m.Fit(mc.x, y, FitOptions{Epochs: 3, BatchSize: 32, Verbose: Silent})
						Check(err)
						return m
					}
					fused, plain := train(true), train(false)
					for i, w := range fused.GetWeights() {
						if !sameBits(w.Data(), plain.GetWeights()[i].Data()) {
							t.Errorf("weight %d differs with fused steps", i)
						}
					}
					so, sp := fused.compiled.optimizer.state(), plain.compiled.optimizer.state()
					for i := range fused.params {
						for j := range fused.compiled.optimizer.layout().perWeight() {
							if !sameBits(so.slot(i, j), sp.slot(i, j)) {
								t.Errorf("slot %d of weight %d differs with fused steps", j, i)
							}
						}
					}
				})
			}
		}
	}
}

// TestDenseFusedGradient runs a Dense layer's backward pass with a fused
// update planned for its kernel, in both dtypes and with batches that the
// banded product takes (k ≤ 256) and does not: the update receives every
// row of the kernel's gradient once, with the values the unfused pass
// stores, after the input's gradient was computed from the kernel; or,
// when the product declines, the gradient is stored as usual.
func TestDenseFusedGradient(t *testing.T) {
	t.Run("float64", func(t *testing.T) { checkDenseFused[float64](t) })
	t.Run("float32", func(t *testing.T) { checkDenseFused[float32](t) })
}

func checkDenseFused[T float](t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 7))
	for _, batch := range []int{1, 32, 300} {
		ClearSession()
		d := &Dense{Units: 37, Activation: ReLU}
		m := NewSequential(Input(70), d)
		if dtypeOf[T]() == float32Type {
			m.Dtype = "float32"
			m.settle()
		}
		x, dy := new(tens[T]), new(tens[T])
		resize(&x, batch, 70)
		resize(&dy, batch, 37)
		for i := range x.data {
			x.data[i] = T(rng.NormFloat64())
		}
		for i := range dy.data {
			dy.data[i] = T(rng.NormFloat64())
		}
		op := &denseOp[T]{d: d}
		op.forward(x, true, nil)
		d.kernel.fresh = true
		op.backward(dy, true)
		want := append([]T(nil), gradOf[T](d.kernel)...)
		wantDX := append([]T(nil), op.dx.data...)

		got := make([]T, len(want))
		seen := make([]int, 70)
		var each func(r0, r1 int, g []T) = func(r0, r1 int, g []T) {
			copy(got[r0*37:r1*37], g)
			for r := r0; r < r1; r++ {
				seen[r]++
			}
		}
		clear(gradOf[T](d.kernel)) // the fused pass must not store it
		d.kernel.fresh, d.kernel.fused = true, each
		op.backward(dy, true)
		fused := d.kernel.stepped
		endFusedStep([]*param{d.kernel})
		if fused != (batch <= 256) {
			t.Fatalf("batch %d: fused %v", batch, fused)
		}
		if !sameBits(widen64(op.dx.data), widen64(wantDX)) {
			t.Errorf("batch %d: the input gradient differs", batch)
		}
		if !fused {
			_, g := weightsOf[T](d.kernel)
			if !sameBits(widen64(g), widen64(want)) {
				t.Errorf("batch %d: the stored gradient differs", batch)
			}
			continue
		}
		for r, c := range seen {
			if c != 1 {
				t.Fatalf("batch %d: row %d handed over %d times", batch, r, c)
			}
		}
		if !sameBits(widen64(got), widen64(want)) {
			t.Errorf("batch %d: the fused gradient differs from the stored one", batch)
		}
		if _, g := weightsOf[T](d.kernel); slices.ContainsFunc(g, func(v T) bool { return v != 0 }) {
			t.Errorf("batch %d: the fused pass stored the gradient", batch)
		}
	}
}

// widen64 returns s as float64s.
func widen64[T float](s []T) []float64 {
	d := make([]float64, len(s))
	for i, v := range s {
		d[i] = float64(v)
	}
	return d
}
