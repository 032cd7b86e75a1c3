package dl

import (
	"math/rand/v2"
	"sync"
	"sync/atomic"
)

// The numeric side of a model: its graph run forward and backward in the
// element type of its weights (float64 or float32), a training step, an
// evaluation batch and a prediction batch. Model, Fit, Evaluate and Predict
// hold everything else (checks, callbacks, logs, locks) once, for both.

// runner is a built model's compute path in its dtype: an *engine[T].
type runner interface {
	dtype() dtype
	// data returns the tensors in the runner's element type: the same
	// values for float64, a converted copy for float32, made once per Fit,
	// Evaluate or Predict rather than once per batch.
	data(ts []*Tensor) dataSet
	// trainStep runs one gradient update on the samples idx of x and y and
	// returns the loss, with the weight penalties, before the update. The
	// caller holds m.mu for writing.
	trainStep(c *compiled, x, y dataSet, idx []int) float64
	// penalty returns the sum of the weight penalties.
	penalty() float64
	// testBatch adds the loss and metrics of rows [start, end) to e and
	// returns the batch's loss without the penalties. The caller holds
	// m.mu for reading; several may run at once.
	testBatch(c *compiled, e *evaluation, x, y dataSet, start, end int) float64
	// predictBatch writes the outputs for rows [start, end) of x into rows
	// [start, end) of outs. The caller holds m.mu for reading.
	predictBatch(outs []*Tensor, x dataSet, start, end int)
	// endTest ends the test loop of e: it lets go of what its testBatch
	// calls held.
	endTest(e *evaluation)
	// inferChunk returns the rows an inference pass computes at once for
	// batches of bs rows (see inferRows).
	inferChunk(bs int) int
}

// dataSet is data in a runner's element type: f64 or f32 is set.
type dataSet struct {
	f64 []*tens[float64]
	f32 []*tens[float32]
}

// setOf returns the tensors of d in element type T.
func setOf[T float](d dataSet) []*tens[T] {
	if v, ok := any(d.f64).([]*tens[T]); ok && d.f64 != nil {
		return v
	}
	return any(d.f32).([]*tens[T])
}

// samples returns the number of samples.
func (d dataSet) samples() int {
	if d.f64 != nil {
		return d.f64[0].shape[0]
	}
	return d.f32[0].shape[0]
}

// graph is a runnable copy of a built model's graph in element type T: an
// op and buffers per node, over the layers' shared weights.
type graph[T float] struct {
	nodes  []rnode[T]
	outBuf []*tens[T]
	xb     []*tens[T] // batch views of the inputs, reused
	yb     []*tens[T] // and of the targets
	vb     []*tens[T] // and of the outputs, in a test loop
}

// rnode is one node of a graph.
type rnode[T float] struct {
	op     nodeOp[T] // nil for an input node
	needDX []bool
	outs   []*tens[T]
	grads  []*tens[T] // gradient with respect to each output, during backward
	owned  []*tens[T] // buffers for summing gradients from several consumers
	xs     []*tens[T] // the op's inputs, reused
}

// newGraph returns a graph of m's nodes with fresh ops and buffers. With
// allDX every node computes the gradient of all its inputs, as a model used
// as a layer needs.
func newGraph[T float](m *Model, allDX bool) *graph[T] {
	g := &graph[T]{nodes: make([]rnode[T], len(m.nodes)), outBuf: make([]*tens[T], len(m.outputs)),
		xb: make([]*tens[T], len(m.inputs)), yb: make([]*tens[T], len(m.outputs)), vb: make([]*tens[T], len(m.outputs))}
	for i, n := range m.nodes {
		r := &g.nodes[i]
		if n.applies {
			r.op = newNodeOp[T](n.layer)
		}
		r.needDX = n.needDX
		if allDX {
			r.needDX = make([]bool, len(n.ins))
			for j := range r.needDX {
				r.needDX[j] = true
			}
		}
		k := len(n.outShapes)
		r.outs, r.grads, r.owned = make([]*tens[T], k), make([]*tens[T], k), make([]*tens[T], k)
	}
	return g
}

// run runs m's graph on a batch (one tensor per input) with g's ops and
// buffers and returns the outputs, valid until g's next use. rng serves the
// random choices of training mode.
func run[T float](m *Model, g *graph[T], xs []*tens[T], training bool, rng *rand.Rand) []*tens[T] {
	for i, n := range m.inputs {
		g.nodes[n].outs[0] = xs[i]
	}
	for i, n := range m.nodes {
		r := &g.nodes[i]
		if r.op == nil {
			continue
		}
		r.xs = r.xs[:0]
		for _, s := range n.ins {
			r.xs = append(r.xs, g.nodes[s.node].outs[s.index])
		}
		r.op.forwardNode(r.xs, r.outs, training, rng)
	}
	for i, s := range m.outputs {
		g.outBuf[i] = g.nodes[s.node].outs[s.index]
	}
	return g.outBuf
}

// backward propagates the gradients of the loss with respect to the
// outputs of the last run through the graph, accumulating weight gradients.
func backward[T float](m *Model, g *graph[T], dys []*tens[T]) {
	for i := range g.nodes {
		clear(g.nodes[i].grads)
	}
	for i, s := range m.outputs {
		g.addGrad(s, dys[i])
	}
	for i := len(m.nodes) - 1; i >= 0; i-- {
		r := &g.nodes[i]
		if r.op == nil || allNil(r.grads) {
			continue
		}
		dxs := r.op.backwardNode(r.grads, r.needDX)
		for j, s := range m.nodes[i].ins {
			if r.needDX[j] {
				g.addGrad(s, dxs[j])
			}
		}
	}
}

// addGrad adds d to the gradient of an output slot: the first gradient is
// used as it is, later ones are summed into the node's own buffer.
func (g *graph[T]) addGrad(s slot, d *tens[T]) {
	r := &g.nodes[s.node]
	cur := r.grads[s.index]
	if cur == nil {
		r.grads[s.index] = d
		return
	}
	own := r.owned[s.index]
	if cur != own {
		own = resize(&r.owned[s.index], cur.shape...)
		copy(own.data, cur.data)
		r.grads[s.index] = own
	}
	for i, v := range d.data {
		own.data[i] += v
	}
}

// allNil reports whether every tensor is nil.
func allNil[T float](ts []*tens[T]) bool {
	for _, t := range ts {
		if t != nil {
			return false
		}
	}
	return true
}

// engine is the runner of element type T. Its main graph serves training
// and one inference call at a time; inference calls that run while it is
// in use take a spare graph.
type engine[T float] struct {
	m        *Model
	main     *graph[T]
	mainBusy atomic.Bool
	spares   sync.Pool
	// Training buffers.
	xb, yb, xg, yg, dys []*tens[T]
	// fusable says which weights a fused step may update (fusableParams),
	// and fuse is its copy for the step in progress.
	fusable, fuse []bool
	// rowValues is the number of activation values of one row, at least 1
	// (see inferChunk).
	rowValues int
}

// newRunner returns the compute path of the built model m in dtype dt.
func newRunner(m *Model, dt dtype) runner {
	if dt == float32Type {
		return newEngine[float32](m)
	}
	return newEngine[float64](m)
}

func newEngine[T float](m *Model) *engine[T] {
	e := &engine[T]{m: m, main: newGraph[T](m, false), rowValues: 1}
	for _, n := range m.nodes {
		for _, s := range n.outShapes {
			v := 1
			for _, d := range s {
				v *= d
			}
			e.rowValues += v
		}
	}
	return e
}

func (e *engine[T]) dtype() dtype { return dtypeOf[T]() }

func (e *engine[T]) data(ts []*Tensor) dataSet {
	out := make([]*tens[T], len(ts))
	for i, t := range ts {
		out[i] = toTens[T](t)
	}
	var d dataSet
	if v, ok := any(out).([]*tens[float64]); ok {
		d.f64 = v
	} else {
		d.f32 = any(out).([]*tens[float32])
	}
	return d
}

// acquire returns a graph for an inference call: the main one if no other
// call uses it (so that a single goroutine allocates nothing once its batch
// shape has been seen), else a spare one.
func (e *engine[T]) acquire() *graph[T] {
	if e.mainBusy.CompareAndSwap(false, true) {
		return e.main
	}
	if g, _ := e.spares.Get().(*graph[T]); g != nil {
		return g
	}
	return newGraph[T](e.m, false)
}

// release returns a graph taken by acquire.
func (e *engine[T]) release(g *graph[T]) {
	if g == e.main {
		e.mainBusy.Store(false)
		return
	}
	clear(g.outBuf)
	for i := range g.nodes {
		clear(g.nodes[i].outs)
	}
	e.spares.Put(g)
}

// gather copies the samples idx of src into the buffer *dst.
func gather[T float](dst **tens[T], src *tens[T], idx []int) *tens[T] {
	per := rowSize(src.shape)
	t := resize(dst, src.shape...)
	t.shape[0] = len(idx)
	t.data = t.data[:len(idx)*per]
	for i, r := range idx {
		copy(t.data[i*per:(i+1)*per], src.data[r*per:(r+1)*per])
	}
	return t
}

func (e *engine[T]) trainStep(c *compiled, x, y dataSet, idx []int) float64 {
	m := e.m
	xs, ys := setOf[T](x), setOf[T](y)
	if len(e.xb) != len(xs) || len(e.yb) != len(ys) {
		e.xb, e.xg = make([]*tens[T], len(xs)), make([]*tens[T], len(xs))
		e.yb, e.yg = make([]*tens[T], len(ys)), make([]*tens[T], len(ys))
		e.dys = make([]*tens[T], len(ys))
	}
	for i, t := range xs {
		e.xb[i] = gather(&e.xg[i], t, idx)
	}
	for i, t := range ys {
		e.yb[i] = gather(&e.yg[i], t, idx)
	}
	for _, p := range m.params {
		p.fresh = true // cleared, or overwritten, by the first op that adds to it
	}
	if e.fusable == nil {
		e.fusable = fusableParams(m)
		e.fuse = make([]bool, len(e.fusable))
	}
	yps := run(m, e.main, e.xb, true, m.rng)
	var loss float64
	for i, yp := range yps {
		k := yp.shape[len(yp.shape)-1]
		dy := resize(&e.dys[i], yp.shape...)
		l := lossCompute(c.losses[i], e.yb[i].data, yp.data, dy.data, k)
		if w := c.weights[i]; w != 1 {
			for j := range dy.data {
				dy.data[j] *= T(w)
			}
		}
		loss += c.weights[i] * l
		c.lastOut[i] = l
		for _, mt := range c.train[i] {
			metricUpdate(mt, e.yb[i].data, yp.data, k)
		}
	}
	copy(e.fuse, e.fusable)
	planFusedStep(c.optimizer, m.params, e.fuse)
	backward(m, e.main, e.dys)
	for _, p := range m.params {
		if !p.stepped {
			gradOf[T](p) // a weight no gradient reached has a zero one
		}
	}
	loss += penalty[T](m.params, true)
	c.optimizer.update(m.params)
	endFusedStep(m.params)
	m.weightsChanged()
	return loss
}

func (e *engine[T]) penalty() float64 { return penalty[T](e.m.params, false) }

// penalty returns the sum of the weight penalties; with grads it also adds
// their gradients to the weights' gradients.
func penalty[T float](params []*param, grads bool) float64 {
	var s float64
	for _, p := range params {
		if p.reg == nil {
			continue
		}
		w, g := weightsOf[T](p)
		s += regPenalty(p.reg, w)
		if grads {
			regGrad(p.reg, w, g)
		}
	}
	return s
}

func (e *engine[T]) testBatch(c *compiled, ev *evaluation, x, y dataSet, start, end int) float64 {
	ys := setOf[T](y)
	// The loop holds a graph from its first batch to its end (endTest):
	// the graph's outputs are those of rows [ev.from, ev.to).
	g, _ := ev.graph.(*graph[T])
	if g == nil {
		g = e.acquire()
		ev.graph, ev.from, ev.to = g, 0, 0
	}
	if start < ev.from || end > ev.to {
		ev.from, ev.to = start, min(start+e.inferChunk(end-start), x.samples())
		e.infer(g, x, ev.from, ev.to)
	}
	var loss float64
	for i, out := range g.outBuf {
		yp := out.rows(&g.vb[i], start-ev.from, end-ev.from)
		yb := ys[i].rows(&g.yb[i], start, end)
		k := yp.shape[len(yp.shape)-1]
		l := lossCompute(c.losses[i], yb.data, yp.data, nil, k)
		loss += c.weights[i] * l
		if ev.outs != nil {
			ev.outs[i].add(l, end-start)
		}
		for _, mt := range ev.metrics[i] {
			metricUpdate(mt, yb.data, yp.data, k)
		}
	}
	return loss
}

func (e *engine[T]) endTest(ev *evaluation) {
	if g, ok := ev.graph.(*graph[T]); ok {
		e.release(g)
		ev.graph = nil
	}
}

// inferRows is the number of rows an inference pass (Evaluate, Predict,
// the validation at the end of an epoch) computes at most at once, when
// the batch size is smaller, within inferValues activation values: the
// weights are read from memory once for all of them, and the
// products run on taller blocks. A row's values do not depend on the rows
// computed with it (every layer computes each row alike), so the results
// are those of batch-by-batch passes, bit for bit; the loss and the
// metrics are still taken batch by batch, as Keras does.
const (
	inferRows   = 256
	inferValues = 1 << 22
)

// inferChunk returns the rows of an inference pass for batches of bs: the
// largest multiple of bs within inferRows rows and inferValues activation
// values, or bs.
func (e *engine[T]) inferChunk(bs int) int {
	rows := min(inferRows, inferValues/e.rowValues)
	return bs * max(1, rows/bs)
}

// infer runs the model in inference mode on rows [start, end) of x with
// g's ops and buffers, and returns the outputs, valid until g's next use.
func (e *engine[T]) infer(g *graph[T], x dataSet, start, end int) []*tens[T] {
	for i, t := range setOf[T](x) {
		t.rows(&g.xb[i], start, end)
	}
	return run(e.m, g, g.xb, false, nil)
}

func (e *engine[T]) predictBatch(outs []*Tensor, x dataSet, start, end int) {
	g := e.acquire()
	defer e.release(g)
	for i, yp := range e.infer(g, x, start, end) {
		per := rowSize(outs[i].shape)
		convert(outs[i].data[start*per:end*per], yp.data)
	}
}
