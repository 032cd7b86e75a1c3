package dl

import (
	"math/rand/v2"
	"testing"
)

// The tests of dl's internals run float64 models through these, with
// *Tensor values.

// engine64 returns the float64 compute path of a built model.
func (m *Model) engine64() *engine[float64] { return m.run.(*engine[float64]) }

// tensors returns ts as *Tensor values.
func tensors(ts []*tens[float64]) []*Tensor {
	out := make([]*Tensor, len(ts))
	for i, t := range ts {
		out[i] = (*Tensor)(t)
	}
	return out
}

// tensOfAll returns ts as the ops see them.
func tensOfAll(ts []*Tensor) []*tens[float64] {
	out := make([]*tens[float64], len(ts))
	for i, t := range ts {
		out[i] = tensOf(t)
	}
	return out
}

// forward runs the model's main graph on a batch.
func (m *Model) forward(xs []*Tensor, training bool) []*Tensor {
	return tensors(run(m, m.engine64().main, tensOfAll(xs), training, m.rng))
}

// backward propagates dys through the main graph's last forward pass.
func (m *Model) backward(dys []*Tensor) { backward(m, m.engine64().main, tensOfAll(dys)) }

// penalty returns the weight penalties, adding their gradients with grads.
func (m *Model) penalty(grads bool) float64 { return penalty[float64](m.params, grads) }

// trainStep runs one training step on all of xs and ys.
func (m *Model) trainStep(xs, ys []*Tensor) float64 {
	idx := make([]int, xs[0].Len())
	for i := range idx {
		idx[i] = i
	}
	return m.run.trainStep(m.compiled, m.run.data(xs), m.run.data(ys), idx)
}

// lossAndGrads returns, in the model's dtype, the training-mode loss on xs
// and ys (with the weight penalties) and its gradient with respect to each
// weight, without updating the weights.
func (m *Model) lossAndGrads(xs, ys []*Tensor) (float64, []*Tensor) {
	if e, ok := m.run.(*engine[float32]); ok {
		return lossAndGradsOf(e, xs, ys)
	}
	return lossAndGradsOf(m.engine64(), xs, ys)
}

func lossAndGradsOf[T float](e *engine[T], xs, ys []*Tensor) (float64, []*Tensor) {
	m := e.m
	for _, p := range m.params {
		clear(gradOf[T](p))
	}
	x, y := setOf[T](m.run.data(xs)), setOf[T](m.run.data(ys))
	yps := run(m, e.main, x, true, m.rng)
	dys := make([]*tens[T], len(yps))
	var loss float64
	for i, yp := range yps {
		dys[i] = &tens[T]{shape: yp.shape, data: make([]T, len(yp.data))}
		loss += lossCompute(m.compiled.losses[i], y[i].data, yp.data, dys[i].data, yp.shape[len(yp.shape)-1])
	}
	backward(m, e.main, dys)
	loss += penalty[T](m.params, true)
	grads := make([]*Tensor, len(m.params))
	for i, p := range m.params {
		grads[i] = Zeros(p.shape...)
		convert(grads[i].data, gradOf[T](p))
	}
	return loss, grads
}

// compute is lossCompute in float64.
func (l *lossFn) compute(yt, yp, g []float64, k int) float64 { return lossCompute(l, yt, yp, g, k) }

// update is metricUpdate in float64.
func (m *metric) update(yt, yp []float64, k int) { metricUpdate(m, yt, yp, k) }

// tOp is a layer's float64 op with *Tensor values.
type tOp struct{ o any }

// testOp returns a fresh float64 op of l.
func testOp(l layer) tOp { return tOp{l.newOp(float64Type)} }

func (t tOp) forward(x *Tensor, training bool, rng *rand.Rand) *Tensor {
	return (*Tensor)(t.o.(op[float64]).forward(tensOf(x), training, rng))
}

func (t tOp) backward(dy *Tensor, needDX bool) *Tensor {
	return (*Tensor)(t.o.(op[float64]).backward(tensOf(dy), needDX))
}

func (t tOp) forwardAll(x *Tensor, training bool, rng *rand.Rand) []*Tensor {
	return tensors(t.o.(multiOutputOp[float64]).forwardAll(tensOf(x), training, rng))
}

func (t tOp) backwardAll(dys []*Tensor, needDX bool) *Tensor {
	return (*Tensor)(t.o.(multiOutputOp[float64]).backwardAll(tensOfAll(dys), needDX))
}

func (t tOp) outputShapes() [][]int { return t.o.(multiOutputOp[float64]).outputShapes() }

// isMultiOutput reports whether the op returns several tensors.
func (t tOp) isMultiOutput() bool {
	_, ok := t.o.(multiOutputOp[float64])
	return ok
}

// checkStepAllocs checks, in both dtypes, that once a batch size has been
// seen a training step on x and y (forward, loss, backward, penalties,
// optimizer update, dropout masks) and an inference pass allocate nothing.
func checkStepAllocs(t *testing.T, m *Model, x, y *Tensor) {
	t.Helper()
	n := x.Len()
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	for _, dt := range []string{"float64", "float32"} {
		m.Dtype = dt
		m.mu.Lock()
		Check(m.ensureBuilt("test", x.shape[1:]))
		m.compiled.resolve("test", m)
		m.settle()
		m.mu.Unlock()
		xd, yd := m.run.data([]*Tensor{x}), m.run.data([]*Tensor{y})
		outs := []*Tensor{Zeros(append([]int{n}, m.outputShapes()[0]...)...)}
		step := func() { m.run.trainStep(m.compiled, xd, yd, idx) }
		step()
		if a := testing.AllocsPerRun(10, step); a != 0 {
			t.Errorf("%s: a training step allocates %v times", dt, a)
		}
		pass := func() { m.run.predictBatch(outs, xd, 0, n) }
		pass()
		if a := testing.AllocsPerRun(10, pass); a != 0 {
			t.Errorf("%s: an inference pass allocates %v times", dt, a)
		}
	}
}
