package dl

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestInferenceInChunks checks that Predict and Evaluate, which run the
// model on inferRows rows at once when the batches are smaller, give
// bitwise the outputs, the loss and the metrics of one pass per batch, in
// both dtypes, including a last, partial batch.
func TestInferenceInChunks(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	const n, bs = 600, 32
	x, y := randTensor(rng, n, 40), Zeros(n, 4)
	for i := range n {
		y.Set(1, i, i%4)
	}
	for _, dtype := range []string{"float64", "float32"} {
		ClearSession()
		m := NewSequential(Input(40), &Dense{Units: 64, Activation: ReLU}, &Dense{Units: 4, Activation: Softmax})
		m.Dtype = dtype
		Check(m.Compile(CompileOptions{Optimizer: "adam", Loss: "categorical_crossentropy", Metrics: []string{"accuracy"}}))
		if got := m.run.inferChunk(bs); got != 256 {
			t.Fatalf("%s: inference in chunks of %d rows, want 256", dtype, got)
		}
		all, err := m.Predict(x, PredictOptions{BatchSize: bs, Verbose: Silent})
		Check(err)
		ev, err := m.Evaluate(x, y, EvaluateOptions{BatchSize: bs, Verbose: Silent})
		Check(err)
		var lossSum, hits float64
		for start := 0; start < n; start += bs {
			end := min(start+bs, n)
			part, err := m.Predict(x.Slice(start, end), PredictOptions{BatchSize: bs, Verbose: Silent})
			Check(err)
			if !sameBits(part.data, all.data[start*4:end*4]) {
				t.Fatalf("%s: rows [%d, %d) differ from a pass of their own", dtype, start, end)
			}
			e, err := m.Evaluate(x.Slice(start, end), y.Slice(start, end), EvaluateOptions{BatchSize: bs, Verbose: Silent})
			Check(err)
			lossSum += e[0] * float64(end-start)
			hits += e[1] * float64(end-start)
		}
		if got, want := ev[0], lossSum/n; got != want {
			t.Errorf("%s: loss %v, want %v", dtype, got, want)
		}
		if got, want := ev[1], hits/n; got != want {
			t.Errorf("%s: accuracy %v, want %v", dtype, got, want)
		}
	}
}

// TestInferChunkBounded checks that a model whose rows have many
// activations is run a batch at a time: inference in chunks must not
// multiply the memory a small batch size was chosen to save.
func TestInferChunkBounded(t *testing.T) {
	ClearSession()
	m := NewSequential(Input(1<<20), &Dense{Units: 1})
	for bs, want := range map[int]int{1: 3, 2: 2, 3: 3, 8: 8} {
		if got := m.run.inferChunk(bs); got != want {
			t.Errorf("batches of %d rows of 2²⁰ values: chunks of %d rows, want %d", bs, got, want)
		}
	}
}

// TestFirstNonFinite checks the scan for NaN and infinities at every
// position of short and long slices, and that the extreme finite values
// pass.
func TestFirstNonFinite(t *testing.T) {
	finite := []float64{0, math.Copysign(0, -1), 1, -1, math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64, 0x1p-1022}
	if i := firstNonFinite(finite); i != -1 {
		t.Fatalf("finite values: %d", i)
	}
	for n := 1; n <= 11; n++ {
		for at := range n {
			for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
				s := make([]float64, n)
				s[at] = bad
				if n > at+1 {
					s[n-1] = math.NaN() // a later one is not the first
				}
				if i := firstNonFinite(s); i != at {
					t.Fatalf("%v at %d of %d found at %d", bad, at, n, i)
				}
			}
		}
	}
}
