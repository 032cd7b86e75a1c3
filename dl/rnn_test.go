package dl

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats"
)

// rnnVariants returns, for each recurrent layer, the configurations whose
// gradients are checked: the defaults, every output and direction option,
// no bias, other activations, dropout and the layer-specific options.
func rnnVariants() map[string]func() layer {
	v := map[string]func() layer{}
	add := func(name string, f func() layer) { v[name] = f }
	for _, common := range []struct {
		name                string
		seq, back, noBias   bool
		dropout, recDropout float64
	}{
		{name: "plain"},
		{name: "return sequences", seq: true},
		{name: "go backwards", back: true},
		{name: "go backwards, return sequences", back: true, seq: true},
		{name: "no bias", noBias: true},
		{name: "dropout", dropout: 0.4},
		{name: "recurrent dropout", recDropout: 0.3, seq: true},
		{name: "both dropouts", dropout: 0.3, recDropout: 0.4, back: true},
	} {
		c := common
		add("SimpleRNN/"+c.name, func() layer {
			return &SimpleRNN{Units: 3, ReturnSequences: c.seq, GoBackwards: c.back, NoBias: c.noBias,
				Dropout: c.dropout, RecurrentDropout: c.recDropout}
		})
		add("LSTM/"+c.name, func() layer {
			return &LSTM{Units: 3, ReturnSequences: c.seq, GoBackwards: c.back, NoBias: c.noBias,
				Dropout: c.dropout, RecurrentDropout: c.recDropout}
		})
		add("GRU/"+c.name, func() layer {
			return &GRU{Units: 3, ReturnSequences: c.seq, GoBackwards: c.back, NoBias: c.noBias,
				Dropout: c.dropout, RecurrentDropout: c.recDropout}
		})
		add("GRU reset_after=False/"+c.name, func() layer {
			return &GRU{Units: 3, NoResetAfter: true, ReturnSequences: c.seq, GoBackwards: c.back, NoBias: c.noBias,
				Dropout: c.dropout, RecurrentDropout: c.recDropout}
		})
	}
	add("SimpleRNN/sigmoid", func() layer { return &SimpleRNN{Units: 3, Activation: Sigmoid} })
	add("SimpleRNN/softmax", func() layer { return &SimpleRNN{Units: 3, Activation: Softmax, ReturnSequences: true} })
	add("LSTM/elu, tanh gates", func() layer { return &LSTM{Units: 3, Activation: ELU, RecurrentActivation: Tanh} })
	add("LSTM/softmax", func() layer { return &LSTM{Units: 3, Activation: Softmax, RecurrentActivation: Softmax} })
	add("LSTM/no unit forget bias", func() layer { return &LSTM{Units: 3, NoUnitForgetBias: true} })
	add("GRU/swish, tanh gates", func() layer { return &GRU{Units: 3, Activation: Swish, RecurrentActivation: Tanh} })
	add("GRU reset_after=False/selu", func() layer { return &GRU{Units: 3, NoResetAfter: true, Activation: SELU} })
	return v
}

// TestRNNGradients checks back-propagation through time against finite
// differences for every layer and variant, on batch 2, 3 timesteps, 2
// features and 3 units. Dropout masks are replayed from a fixed seed.
func TestRNNGradients(t *testing.T) {
	for name, f := range rnnVariants() {
		t.Run(name, func(t *testing.T) {
			l := f()
			// Move the zero biases off 0 so that every term is exercised.
			rng := rand.New(rand.NewPCG(7, 8))
			if err := buildLayer(l, []int{3, 2}, rng); err != nil {
				t.Fatal(err)
			}
			for _, p := range l.base().params {
				if p.name == "bias" {
					for i := range p.value.data {
						p.value.data[i] += 0.3 * (2*rng.Float64() - 1)
					}
				}
			}
			checkLayerGradients(t, l, 2, 3, 2)
		})
	}
}

// TestRNNDropoutMasks checks that dropout acts only in training, keeps one
// mask per sequence (the same at every step), and draws new masks per call.
func TestRNNDropoutMasks(t *testing.T) {
	x := Zeros(64, 5, 1)
	for i := range x.data {
		x.data[i] = 1
	}
	l := &SimpleRNN{Units: 1, Dropout: 0.5, ReturnSequences: true, NoBias: true, Activation: Linear}
	if err := buildLayer(l, []int{5, 1}, rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
	l.cell.kernel.value.data[0] = 1
	l.cell.recurrent.value.data[0] = 0
	o := testOp(l)
	y := o.forward(x, false, rand.New(rand.NewPCG(2, 2)))
	for i, v := range y.data {
		if v != 1 {
			t.Fatalf("inference output %d = %v, want 1 (no dropout outside training)", i, v)
		}
	}
	y = o.forward(x, true, rand.New(rand.NewPCG(2, 2)))
	kept := 0
	for b := 0; b < 64; b++ {
		first := y.data[b*5]
		if first != 0 && first != 2 {
			t.Fatalf("sample %d: %v, want 0 or 1/(1-0.5) = 2", b, first)
		}
		for s := 1; s < 5; s++ {
			if y.data[b*5+s] != first {
				t.Fatalf("sample %d: step %d has %v, step 0 has %v: the mask must be the same at every step", b, s, y.data[b*5+s], first)
			}
		}
		if first != 0 {
			kept++
		}
	}
	if kept < 16 || kept > 48 {
		t.Errorf("kept %d of 64 sequences with rate 0.5", kept)
	}
}

// TestRNNReturnStateGradients checks backwardAll, with gradients on every
// output, on some, and on none but the states.
func TestRNNReturnStateGradients(t *testing.T) {
	layers := map[string]func() layer{
		"SimpleRNN":                      func() layer { return &SimpleRNN{Units: 3, ReturnState: true} },
		"SimpleRNN sequences, backwards": func() layer { return &SimpleRNN{Units: 3, ReturnState: true, ReturnSequences: true, GoBackwards: true} },
		"LSTM":                           func() layer { return &LSTM{Units: 3, ReturnState: true} },
		"LSTM sequences, dropout": func() layer {
			return &LSTM{Units: 3, ReturnState: true, ReturnSequences: true, Dropout: 0.2, RecurrentDropout: 0.3}
		},
		"GRU":                       func() layer { return &GRU{Units: 3, ReturnState: true} },
		"GRU reset_after=False seq": func() layer { return &GRU{Units: 3, ReturnState: true, NoResetAfter: true, ReturnSequences: true} },
	}
	for name, f := range layers {
		for _, used := range [][]bool{{true, true, true}, {false, true, true}, {true, false, false}, {false, false, true}} {
			t.Run(fmt.Sprint(name, used), func(t *testing.T) {
				checkMultiOutputGradients(t, f(), used, 2, 3, 2)
			})
		}
	}
}

// checkMultiOutputGradients is checkLayerGradients for a layer with several
// outputs: the loss is Σᵢ outputᵢ ⊙ wᵢ over the outputs marked used (the
// others get a nil gradient).
func checkMultiOutputGradients(t *testing.T, l layer, used []bool, in ...int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 8))
	if err := buildLayer(l, in[1:], rng); err != nil {
		t.Fatal(err)
	}
	x := randTensor(rng, in...)
	o := testOp(l)
	if !o.isMultiOutput() {
		t.Fatalf("%T is not a multiOutputOp", o.o)
	}
	shapes := o.outputShapes()
	ws := make([]*Tensor, len(shapes))
	for i, s := range shapes {
		if i < len(used) && used[i] {
			ws[i] = randTensor(rng, append([]int{in[0]}, s...)...)
		}
	}
	loss := func() float64 {
		ys := o.forwardAll(x, true, rand.New(rand.NewPCG(3, 4)))
		if len(ys) != len(shapes) {
			t.Fatalf("%d outputs, outputShapes has %d", len(ys), len(shapes))
		}
		var s float64
		for i, y := range ys {
			if !equalShape(y.shape[1:], shapes[i]) {
				t.Fatalf("output %d has shape %v, outputShapes says %v", i, y.shape, shapes[i])
			}
			if ws[i] != nil {
				s += floats.Dot(y.data, ws[i].data)
			}
		}
		return s
	}
	for _, p := range l.base().params {
		clear(p.grad.data)
	}
	loss()
	dx := append([]float64(nil), o.backwardAll(ws, true).data...)
	checkGradient(t, "input", loss, x.data, dx)
	for _, p := range l.base().params {
		checkGradient(t, p.name, loss, p.value.data, append([]float64(nil), p.grad.data...))
	}
}

// TestRNNReturnStateOutputs checks what ReturnState returns: the final h
// (equal to the output's last step) and, for LSTM, the final c.
func TestRNNReturnStateOutputs(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	x := randTensor(rng, 2, 4, 3)
	l := &LSTM{Units: 5, ReturnState: true, ReturnSequences: true}
	if err := buildLayer(l, []int{4, 3}, rng); err != nil {
		t.Fatal(err)
	}
	o := testOp(l)
	if got := fmt.Sprint(o.outputShapes()); got != "[[4 5] [5] [5]]" {
		t.Errorf("output shapes %s, want [[4 5] [5] [5]]", got)
	}
	ys := o.forwardAll(x, false, nil)
	if len(ys) != 3 {
		t.Fatalf("%d outputs, want 3", len(ys))
	}
	for b := 0; b < 2; b++ {
		if got, want := ys[1].data[b*5:(b+1)*5], ys[0].data[(b*4+3)*5:(b*4+4)*5]; !floats.Equal(got, want) {
			t.Errorf("sample %d: h %v, last output %v", b, got, want)
		}
	}
	if y := o.forward(x, false, nil); !equalShape(y.shape, []int{2, 4, 5}) {
		t.Errorf("forward returns shape %v, want the output (2, 4, 5)", y.shape)
	}
}

// TestRNNGoBackwards checks that GoBackwards equals a forward layer on the
// time-reversed input, output sequence included (Keras returns it in
// processing order).
func TestRNNGoBackwards(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	x := randTensor(rng, 2, 5, 3)
	rev := Zeros(2, 5, 3)
	for b := 0; b < 2; b++ {
		for s := 0; s < 5; s++ {
			copy(rev.data[(b*5+s)*3:(b*5+s+1)*3], x.data[(b*5+4-s)*3:(b*5+5-s)*3])
		}
	}
	back := &GRU{Units: 4, GoBackwards: true, ReturnSequences: true}
	fwd := &GRU{Units: 4, ReturnSequences: true}
	Check(buildLayer(back, []int{5, 3}, rng))
	Check(buildLayer(fwd, []int{5, 3}, rng))
	for i, p := range back.params {
		copy(fwd.params[i].value.data, p.value.data)
	}
	if a, b := testOp(back).forward(x, false, nil), testOp(fwd).forward(rev, false, nil); !floats.Equal(a.data, b.data) {
		t.Errorf("GoBackwards output\n%v\nforward on reversed input\n%v", a, b)
	}
}

// TestRNNWeights checks the weight names, shapes and order (Keras's
// get_weights order) and the parameter counts of keras-semantics §3.1.
func TestRNNWeights(t *testing.T) {
	for _, c := range []struct {
		l      layer
		in     []int
		shapes string
		count  int
	}{
		{&SimpleRNN{Units: 50}, []int{10, 1}, "kernel(1, 50) recurrent_kernel(50, 50) bias(50,)", 2600},
		{&LSTM{Units: 50}, []int{10, 1}, "kernel(1, 200) recurrent_kernel(50, 200) bias(200,)", 10400},
		{&LSTM{Units: 32}, []int{10, 64}, "kernel(64, 128) recurrent_kernel(32, 128) bias(128,)", 12416},
		{&LSTM{Units: 4, NoBias: true}, []int{10, 2}, "kernel(2, 16) recurrent_kernel(4, 16)", 96},
		{&GRU{Units: 50}, []int{10, 1}, "kernel(1, 150) recurrent_kernel(50, 150) bias(2, 150)", 7950},
		{&GRU{Units: 50, NoResetAfter: true}, []int{10, 1}, "kernel(1, 150) recurrent_kernel(50, 150) bias(150,)", 7800},
	} {
		Check(buildLayer(c.l, c.in, rand.New(rand.NewPCG(1, 2))))
		var parts []string
		for _, p := range c.l.base().params {
			parts = append(parts, p.name+ShapeString(p.value.shape))
		}
		if got := strings.Join(parts, " "); got != c.shapes {
			t.Errorf("%s: weights %s, want %s", c.l.className(), got, c.shapes)
		}
		if got := countParams(c.l); got != c.count {
			t.Errorf("%s: %d params, want %d", c.l.className(), got, c.count)
		}
	}
}

// TestOrthogonal checks the orthogonal initializer: UᵀU = I for a square
// matrix, orthonormal rows for a wide one (LSTM's (u, 4u)), orthonormal
// columns for a tall one, and entries spread like a random rotation.
func TestOrthogonal(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	for _, s := range [][2]int{{8, 8}, {16, 64}, {5, 15}, {12, 4}, {1, 4}, {4, 1}} {
		rows, cols := s[0], s[1]
		w := make([]float64, rows*cols)
		orthogonal(w, rows, cols, rng)
		n := min(rows, cols)
		// The Gram matrix of the short side: rows if wide, columns if tall.
		g := make([]float64, n*n)
		if rows <= cols {
			gemmT(false, true, rows, rows, cols, 1, w, w, 0, g)
		} else {
			gemmT(true, false, cols, cols, rows, 1, w, w, 0, g)
		}
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				want := 0.0
				if i == j {
					want = 1
				}
				if math.Abs(g[i*n+j]-want) > 1e-12 {
					t.Fatalf("(%d, %d): Gram[%d][%d] = %v, want %v", rows, cols, i, j, g[i*n+j], want)
				}
			}
		}
	}
	// Over many draws the entries of a random 4×4 rotation have mean 0 and
	// variance 1/4, and a given entry is positive half of the time.
	var sum, sq float64
	pos, n := 0, 4000
	w := make([]float64, 16)
	for i := 0; i < n; i++ {
		orthogonal(w, 4, 4, rng)
		for _, v := range w {
			sum += v
			sq += v * v
		}
		if w[0] > 0 {
			pos++
		}
	}
	if mean := sum / float64(16*n); math.Abs(mean) > 0.01 {
		t.Errorf("mean entry %v, want 0", mean)
	}
	if f := float64(pos) / float64(n); math.Abs(f-0.5) > 0.04 {
		t.Errorf("w[0][0] > 0 in %v of draws, want 0.5", f)
	}
}

// TestRNNInitializers checks the initial weights of built layers: the
// Glorot limit over the fused kernel, the orthogonal recurrent kernel, and
// the biases (LSTM's forget block at 1 unless NoUnitForgetBias).
func TestRNNInitializers(t *testing.T) {
	l := &LSTM{Units: 32}
	Check(buildLayer(l, []int{10, 64}, rand.New(rand.NewPCG(4, 4))))
	limit := math.Sqrt(6.0 / (64 + 128))
	k := l.cell.kernel.value.data
	if lo, hi := floats.Min(k), floats.Max(k); lo < -limit || hi > limit || hi < 0.99*limit || lo > -0.99*limit {
		t.Errorf("kernel in [%v, %v], want U(-%v, %v) over the fused (64, 128) matrix", lo, hi, limit, limit)
	}
	u := l.cell.recurrent.value.data
	g := make([]float64, 32*32)
	gemmT(false, true, 32, 32, 128, 1, u, u, 0, g)
	for i := 0; i < 32; i++ {
		for j := 0; j < 32; j++ {
			if want := float64(boolToInt(i == j)); math.Abs(g[i*32+j]-want) > 1e-12 {
				t.Fatalf("recurrent kernel rows are not orthonormal: UUᵀ[%d][%d] = %v", i, j, g[i*32+j])
			}
		}
	}
	for j, v := range l.cell.bias.value.data {
		if want := float64(boolToInt(j >= 32 && j < 64)); v != want {
			t.Fatalf("bias[%d] = %v, want %v (forget block [32, 64) at 1)", j, v, want)
		}
	}
	l2 := &LSTM{Units: 3, NoUnitForgetBias: true}
	Check(buildLayer(l2, []int{2, 2}, rand.New(rand.NewPCG(4, 4))))
	if floats.Norm(l2.cell.bias.value.data, 1) != 0 {
		t.Errorf("NoUnitForgetBias: bias %v, want zeros", l2.cell.bias.value.data)
	}
	for _, l := range []layer{&GRU{Units: 3}, &GRU{Units: 3, NoResetAfter: true}, &SimpleRNN{Units: 3}} {
		Check(buildLayer(l, []int{2, 2}, rand.New(rand.NewPCG(4, 4))))
		b := l.base().params[2].value.data
		if floats.Norm(b, 1) != 0 {
			t.Errorf("%s bias %v, want zeros", l.className(), b)
		}
		sq := l.base().params[1].value
		if l.className() == "SimpleRNN" {
			g := make([]float64, 9)
			gemmT(true, false, 3, 3, 3, 1, sq.data, sq.data, 0, g)
			if !floats.EqualApprox(g, []float64{1, 0, 0, 0, 1, 0, 0, 0, 1}, 1e-12) {
				t.Errorf("SimpleRNN recurrent kernel: UᵀU = %v, want I", g)
			}
		}
	}
}

func boolToInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestRNNErrors checks the build errors, above all the classic one: a
// recurrent layer fed one vector per sample.
func TestRNNErrors(t *testing.T) {
	for _, c := range []struct {
		l    layer
		in   []int
		want string
	}{
		{&LSTM{Units: 8, Name: "lstm_1"}, []int{16}, `layer "lstm_1" (LSTM): needs 3-D input (batch, timesteps, features) but ` +
			`received shape (None, 16), one vector per sample: if the layer before it is recurrent, set ReturnSequences: true ` +
			`on that layer so that it returns the whole sequence; if the data feeds this layer directly, give each sample ` +
			`the shape (timesteps, features), e.g. Input(16, 1) with the data reshaped to (samples, 16, 1)`},
		{&GRU{Units: 8}, []int{4, 3, 2}, "needs 3-D input (batch, timesteps, features) but received shape (None, 4, 3, 2)"},
		{&SimpleRNN{}, []int{4, 1}, "received an invalid value for Units, expected a positive integer; received Units=0"},
		{&LSTM{Units: 2, Dropout: 1}, []int{4, 1}, "expected a number in [0, 1); received Dropout=1"},
		{&GRU{Units: 2, RecurrentDropout: -0.1}, []int{4, 1}, "received RecurrentDropout=-0.1"},
		{&LSTM{Units: 2, RecurrentActivation: "hard_sigmoid"}, []int{4, 1}, `unknown recurrent activation "hard_sigmoid"`},
		{&SimpleRNN{Units: 2, Activation: "tanhh"}, []int{4, 1}, `unknown activation "tanhh"`},
	} {
		layerName(c.l)
		err := buildLayer(c.l, c.in, rand.New(rand.NewPCG(1, 1)))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s on %v: error %v, want it to contain %q", c.l.className(), c.in, err, c.want)
		}
	}

	// The same in a model: the second LSTM gets (None, 8) from the first.
	ClearSession()
	SetRandomSeed(DefaultSeed)
	m := NewSequential(Input(10, 1), &LSTM{Units: 8}, &LSTM{Units: 4}, &Dense{Units: 1})
	err := m.Compile(CompileOptions{Optimizer: "adam", Loss: "mse"})
	if err == nil || !strings.Contains(err.Error(), `layer "lstm_1" (LSTM): needs 3-D input`) ||
		!strings.Contains(err.Error(), "set ReturnSequences: true") {
		t.Errorf("stacked LSTM without ReturnSequences: %v", err)
	}

	// ReturnState needs the functional API.
	m = NewSequential(Input(10, 1), &LSTM{Units: 8, ReturnState: true}, &Dense{Units: 1})
	err = m.Compile(CompileOptions{Optimizer: "adam", Loss: "mse"})
	if err == nil || !strings.Contains(err.Error(), "ReturnState") {
		t.Errorf("LSTM with ReturnState in a Sequential model: %v", err)
	}
}

// TestRNNTrainStepDoesNotAllocate checks the buffer discipline of the
// recurrent layers: once a batch size has been seen, a training step and an
// inference pass allocate nothing, dropout masks included.
func TestRNNTrainStepDoesNotAllocate(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for name, c := range map[string]struct {
		layers []Layer
		x      *Tensor
	}{
		"LSTM(16)": {[]Layer{Input(4, 1), &LSTM{Units: 16}, &Dense{Units: 1}}, randTensor(rng, 32, 4, 1)},
		"stacked with dropout": {[]Layer{Input(6, 3),
			&GRU{Units: 8, ReturnSequences: true, Dropout: 0.2, RecurrentDropout: 0.2, RecurrentRegularizer: L2(0.01)},
			&LSTM{Units: 70, ReturnSequences: true, GoBackwards: true, Dropout: 0.1},
			&GRU{Units: 5, NoResetAfter: true, RecurrentDropout: 0.3, ReturnSequences: true},
			&SimpleRNN{Units: 4, Dropout: 0.2, RecurrentDropout: 0.2}, &Dense{Units: 1}}, randTensor(rng, 100, 6, 3)},
	} {
		t.Run(name, func(t *testing.T) {
			m := NewSequential(c.layers...)
			Check(m.Compile(CompileOptions{Optimizer: "adam", Loss: "mse"}))
			checkStepAllocs(t, &m.Model, c.x, Zeros(c.x.shape[0], 1))
		})
	}
}

// TestRNNFit checks that an LSTM learns a simple sequence task: the sum of
// a sequence's values.
func TestRNNFit(t *testing.T) {
	ClearSession()
	SetRandomSeed(DefaultSeed)
	rng := rand.New(rand.NewPCG(21, 22))
	x := randTensor(rng, 256, 5, 1)
	y := Zeros(256, 1)
	for i := 0; i < 256; i++ {
		y.data[i] = floats.Sum(x.data[i*5:(i+1)*5]) / 5
	}
	m := NewSequential(Input(5, 1), &LSTM{Units: 8}, &Dense{Units: 1})
	m.Seed = 3
	Check(m.Compile(CompileOptions{Optimizer: &Adam{LearningRate: 0.01}, Loss: "mse"}))
	h, err := m.Fit(x, y, FitOptions{Epochs: 40, BatchSize: 32, Verbose: Silent})
	if err != nil {
		t.Fatal(err)
	}
	losses := h.History["loss"]
	if first, last := losses[0], losses[len(losses)-1]; last > 0.05*first || last > 0.003 {
		t.Errorf("loss went from %v to %v", first, last)
	}
}
