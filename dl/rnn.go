package dl

import (
	"fmt"
	"math/rand/v2"
)

// This file holds what SimpleRNN, LSTM and GRU share (Keras: the RNN layer
// that wraps a cell): the configuration check, the weights, the time loop's
// buffers, the dropout masks of DropoutRNNCell, the input projection and
// back-propagation through time, and the Keras config (rnnConfig and
// rnnSpecFromConfig, over the layer's rnnFields). The cell equations are in
// simple_rnn.go, lstm.go and gru.go.

// multiOutputOp is an op whose layer returns several tensors (a recurrent
// layer with ReturnState).
type multiOutputOp[T float] interface {
	op[T]
	outputShapes() [][]int
	forwardAll(x *tens[T], training bool, rng *rand.Rand) []*tens[T]
	backwardAll(dys []*tens[T], needDX bool) *tens[T]
}

var (
	_ multiOutputOp[float64] = (*rnnOp[float64])(nil)
	_ nodeOp[float32]        = (*rnnOp[float32])(nil)

	_ multiOutputLayer = (*SimpleRNN)(nil)
	_ multiOutputLayer = (*LSTM)(nil)
	_ multiOutputLayer = (*GRU)(nil)
	_ stateLayer       = (*SimpleRNN)(nil)
	_ stateLayer       = (*LSTM)(nil)
	_ stateLayer       = (*GRU)(nil)

	_ weightPlanner = (*SimpleRNN)(nil)
	_ weightPlanner = (*LSTM)(nil)
	_ weightPlanner = (*GRU)(nil)
)

// rnnKind selects the cell equations.
type rnnKind int

const (
	simpleRNNKind rnnKind = iota
	lstmKind
	gruKind
)

// rnnSpec is a recurrent layer's configuration, copied from its fields when
// it is built.
type rnnSpec struct {
	kind                            rnnKind
	units                           int
	activation, recurrentActivation Activation
	noBias                          bool
	unitForgetBias                  bool // LSTM: the forget gate's bias starts at 1
	resetAfter                      bool // GRU: reset gate applied after the recurrent product
	kernelReg, recurrentReg         Regularizer
	biasReg                         Regularizer
	dropout, recurrentDropout       float64
	returnSequences, returnState    bool
	goBackwards                     bool
}

// rnnLayer is what SimpleRNN, LSTM and GRU embed: the layer's bookkeeping
// and its cell, with the methods the three share.
type rnnLayer struct {
	layerBase
	cell rnnCell
}

func (r *rnnLayer) newOp(dt dtype) any {
	return pick(dt, newRNNOp[float32](&r.cell), newRNNOp[float64](&r.cell))
}

// outputShapes returns the shapes of the built layer's outputs, without the
// batch axis: the output, then with ReturnState the final states.
func (r *rnnLayer) outputShapes() [][]int { return r.cell.outputShapes() }

// returnsState reports whether the built layer returns its final states too.
func (r *rnnLayer) returnsState() bool { return r.cell.returnState }

// reorder copies rows of width nd between batch-major data (batch, time)
// and time-major data in processing order (step, batch): batch-major into
// time-major when toSteps is set, back otherwise. With GoBackwards, step s
// is timestep nt-1-s.
func (o *rnnOp[T]) reorder(steps, batch []T, nd int, toSteps bool) {
	nb, nt := o.nb, o.nt
	for s := 0; s < nt; s++ {
		t := s
		if o.c.goBackwards {
			t = nt - 1 - s
		}
		for b := 0; b < nb; b++ {
			sr, br := steps[(s*nb+b)*nd:(s*nb+b+1)*nd], batch[(b*nt+t)*nd:(b*nt+t+1)*nd]
			if toSteps {
				copy(sr, br)
			} else {
				copy(br, sr)
			}
		}
	}
}

// rnnCell is a built recurrent layer: its configuration, resolved
// activations and weights, shared by all its ops.
type rnnCell struct {
	rnnSpec
	gates       int // gate blocks in the fused weights: 1, 4 (i, f, c, o) or 3 (z, r, h)
	steps       int // timesteps of the built input shape
	act, recAct *actFn
	kernel      *param // (features, gates·units)
	recurrent   *param // (units, gates·units)
	bias        *param // (gates·units,), or (2, 3·units) for GRU with reset_after; nil with NoBias
}

// build checks the configuration against the input shape (without the batch
// axis), creates the weights as Keras initializes them, and returns the
// output shape.
func (c *rnnCell) build(b *layerBase, spec rnnSpec, in []int, rng *rand.Rand) ([]int, error) {
	if spec.units <= 0 {
		return nil, fmt.Errorf("received an invalid value for Units, expected a positive integer; received Units=%d", spec.units)
	}
	act, ok := spec.activation.resolve(Tanh)
	if !ok {
		return nil, fmt.Errorf("unknown activation %q; use one of %s", spec.activation, activationNames())
	}
	recAct, ok := spec.recurrentActivation.resolve(Sigmoid)
	if !ok {
		return nil, fmt.Errorf("unknown recurrent activation %q; use one of %s", spec.recurrentActivation, activationNames())
	}
	if !(spec.dropout >= 0 && spec.dropout < 1) {
		return nil, fmt.Errorf("received an invalid value for Dropout, expected a number in [0, 1); received Dropout=%v", spec.dropout)
	}
	if !(spec.recurrentDropout >= 0 && spec.recurrentDropout < 1) {
		return nil, fmt.Errorf("received an invalid value for RecurrentDropout, expected a number in [0, 1); received RecurrentDropout=%v",
			spec.recurrentDropout)
	}
	if len(in) != 2 {
		msg := fmt.Sprintf("needs 3-D input (batch, timesteps, features) but received shape %s", formatShape(in))
		if len(in) == 1 {
			msg += fmt.Sprintf(", one vector per sample: if the layer before it is recurrent, set ReturnSequences: true "+
				"on that layer so that it returns the whole sequence; if the data feeds this layer directly, give each "+
				"sample the shape (timesteps, features), e.g. Input(%d, 1) with the data reshaped to (samples, %d, 1)", in[0], in[0])
		}
		return nil, fmt.Errorf("%s", msg)
	}
	c.rnnSpec = spec
	c.act, c.recAct = act, recAct
	c.gates = spec.kind.gates()
	c.steps = in[0]
	d, u := in[1], spec.units
	g := c.gates * u
	c.kernel = newParam("kernel", spec.kernelReg, d, g)
	glorotUniform(c.kernel.value.data, d, g, rng)
	c.recurrent = newParam("recurrent_kernel", spec.recurrentReg, u, g)
	orthogonal(c.recurrent.value.data, u, g, rng)
	b.params = []*param{c.kernel, c.recurrent}
	c.bias = nil
	if !spec.noBias {
		if spec.kind == gruKind && spec.resetAfter {
			c.bias = newParam("bias", spec.biasReg, 2, g)
		} else {
			c.bias = newParam("bias", spec.biasReg, g)
		}
		if spec.kind == lstmKind && spec.unitForgetBias {
			for j := u; j < 2*u; j++ {
				c.bias.value.data[j] = 1
			}
		}
		b.params = append(b.params, c.bias)
	}
	return c.outputShapes()[0], nil
}

// outputShapes returns the shapes of the layer's outputs without the batch
// axis: the output, then with ReturnState the final states.
func (c *rnnCell) outputShapes() [][]int {
	out := []int{c.units}
	if c.returnSequences {
		out = []int{c.steps, c.units}
	}
	shapes := [][]int{out}
	if c.returnState {
		shapes = append(shapes, []int{c.units})
		if c.kind == lstmKind {
			shapes = append(shapes, []int{c.units})
		}
	}
	return shapes
}

// rnnOp is one application of a recurrent layer. Its buffers are laid out
// time-major in processing order (reversed with GoBackwards): step s of a
// (T, B, n) buffer is the contiguous block [s·B·n, (s+1)·B·n). Once a batch
// shape has been seen, forward and backward allocate nothing.
type rnnOp[T float] struct {
	c *rnnCell

	nb, nt, nd int      // batch, timesteps and features of the last forward pass
	x          *tens[T] // the input of the last forward pass
	// inMasks and recMasks are the dropout mask groups of the last forward
	// pass (0 without dropout): one mask for all gates, or one per gate
	// (Keras's implementation 1, used when RecurrentDropout > 0).
	inMasks, recMasks int

	xs       *tens[T]    // (T, B, d) the input in processing order
	xm       [4]*tens[T] // (T, B, d) the input times each input mask
	mask     *tens[T]    // (inMasks, B, d) input dropout masks: 0 or 1/(1-rate)
	rmask    *tens[T]    // (recMasks, B, u) recurrent dropout masks
	z        *tens[T]    // (T, B, G) gate pre-activations
	a        *tens[T]    // (T, B, G) gate activations (LSTM, GRU)
	h        *tens[T]    // (T+1, B, u) hidden states, h[0] = 0
	cs       *tens[T]    // (T+1, B, u) LSTM carry states, c[0] = 0
	ac       *tens[T]    // (T, B, u) LSTM activation(c)
	hq       [4]*tens[T] // (T, B, u) previous states times each recurrent mask
	aux      *tens[T]    // (T, B, u) GRU: recurrent candidate term (reset_after) or r ⊙ h (not)
	mh       *tens[T]    // (B, G) GRU reset_after: one step's recurrent projection
	out      *tens[T]    // (B, T, u) the output sequence
	hLast    *tens[T]    // view of the final h
	cLast    *tens[T]    // view of the final c
	outs     []*tens[T]  // what forwardAll returns
	dys      []*tens[T]  // backward's argument to backwardAll
	dxn      [1]*tens[T] // what backwardNode returns
	dmx      *tens[T]    // (T, B, G) gradient of the input projections
	dmh      *tens[T]    // (T, B, G) GRU reset_after: gradient of the recurrent projections
	dh, dhn  *tens[T]    // (B, u) gradient of the current and the previous h
	dcn, tmp *tens[T]    // (B, u) gradient of the previous c; scratch
	dxs, dxm *tens[T]    // (T, B, d) input gradient in processing order; scratch
	dx       *tens[T]    // (B, T, d) input gradient
}

func newRNNOp[T float](c *rnnCell) *rnnOp[T] {
	return &rnnOp[T]{c: c, outs: make([]*tens[T], 0, 3), dys: make([]*tens[T], 1)}
}

func (o *rnnOp[T]) outputShapes() [][]int { return o.c.outputShapes() }

func (o *rnnOp[T]) forward(x *tens[T], training bool, rng *rand.Rand) *tens[T] {
	return o.forwardAll(x, training, rng)[0]
}

func (o *rnnOp[T]) backward(dy *tens[T], needDX bool) *tens[T] {
	o.dys[0] = dy
	return o.backwardAll(o.dys, needDX)
}

func (o *rnnOp[T]) forwardNode(xs, outs []*tens[T], training bool, rng *rand.Rand) {
	copy(outs, o.forwardAll(xs[0], training, rng))
}

func (o *rnnOp[T]) backwardNode(dys []*tens[T], needDX []bool) []*tens[T] {
	o.dxn[0] = o.backwardAll(dys, needDX[0])
	return o.dxn[:]
}

// step returns the block of step s of a time-major buffer of n values per
// sample.
func (o *rnnOp[T]) step(t *tens[T], s, n int) []T {
	return t.data[s*o.nb*n : (s+1)*o.nb*n]
}

// gateCols returns the column range of mask group j of n groups over the
// G = gates·units fused columns.
func (o *rnnOp[T]) gateCols(j, n int) (int, int) {
	g := o.c.gates * o.c.units
	return j * g / n, (j + 1) * g / n
}

// recIn returns the (B, u) previous state that multiplies the recurrent
// kernel columns of gate g at step s: h[s], or h[s] times the gate's
// recurrent dropout mask.
func (o *rnnOp[T]) recIn(g, s int) []T {
	u := o.c.units
	switch o.recMasks {
	case 0:
		return o.step(o.h, s, u)
	case 1:
		return o.step(o.hq[0], s, u)
	}
	return o.step(o.hq[g], s, u)
}

// recMask returns the recurrent dropout mask of gate g, nil without one.
func (o *rnnOp[T]) recMask(g int) []T {
	n := o.nb * o.c.units
	switch o.recMasks {
	case 0:
		return nil
	case 1:
		return o.rmask.data[:n]
	}
	return o.rmask.data[g*n : (g+1)*n]
}

func (o *rnnOp[T]) forwardAll(x *tens[T], training bool, rng *rand.Rand) []*tens[T] {
	c := o.c
	nb, nt, nd := x.shape[0], x.shape[1], x.shape[2]
	u, g := c.units, c.gates*c.units
	o.x, o.nb, o.nt, o.nd = x, nb, nt, nd

	// The input in processing order, time-major.
	xs := resize(&o.xs, nt, nb, nd)
	o.reorder(xs.data, x.data, nd, true)

	// Dropout masks (Keras: DropoutRNNCell): drawn once per call and reused
	// at every step. With recurrent dropout, LSTM and GRU use Keras's
	// implementation 1, which draws one mask per gate.
	o.inMasks, o.recMasks = 0, 0
	perGate := c.kind != simpleRNNKind && c.recurrentDropout > 0
	if training && c.dropout > 0 {
		o.inMasks = 1
		if perGate {
			o.inMasks = c.gates
		}
		dropoutMask(resize(&o.mask, o.inMasks, nb, nd).data, c.dropout, rng)
		for j := 0; j < o.inMasks; j++ {
			m := o.mask.data[j*nb*nd : (j+1)*nb*nd]
			xm := resize(&o.xm[j], nt, nb, nd)
			for s := 0; s < nt; s++ {
				off := s * nb * nd
				for i, v := range m {
					xm.data[off+i] = xs.data[off+i] * v
				}
			}
		}
	}
	if training && c.recurrentDropout > 0 {
		o.recMasks = 1
		if perGate {
			o.recMasks = c.gates
		}
		dropoutMask(resize(&o.rmask, o.recMasks, nb, u).data, c.recurrentDropout, rng)
		for j := 0; j < o.recMasks; j++ {
			resize(&o.hq[j], nt, nb, u)
		}
	}

	// The input projections of all steps at once: z = x·W + b.
	z := resize(&o.z, nt, nb, g)
	var beta T
	if c.bias != nil {
		beta = 1
		bx := valueOf[T](c.bias)[:g] // GRU with reset_after: row 0, the input bias
		for r := 0; r < nt*nb; r++ {
			copy(z.data[r*g:(r+1)*g], bx)
		}
	}
	for j := 0; j < max(o.inMasks, 1); j++ {
		c0, c1 := o.gateCols(j, max(o.inMasks, 1))
		gemmStrided(false, false, nt*nb, c1-c0, nd, 1, o.input(j), nd, valueOf[T](c.kernel)[c0:], g, beta, z.data[c0:], g)
	}

	h := resize(&o.h, nt+1, nb, u)
	clear(h.data[:nb*u])
	switch c.kind {
	case lstmKind:
		resize(&o.a, nt, nb, g)
		clear(resize(&o.cs, nt+1, nb, u).data[:nb*u])
		resize(&o.ac, nt, nb, u)
	case gruKind:
		resize(&o.a, nt, nb, g)
		resize(&o.aux, nt, nb, u)
		resize(&o.mh, nb, g)
	}
	for s := 0; s < nt; s++ {
		if o.recMasks > 0 {
			hp := o.step(h, s, u)
			for j := 0; j < o.recMasks; j++ {
				m := o.recMask(j)
				hq := o.step(o.hq[j], s, u)
				for i, v := range hp {
					hq[i] = v * m[i]
				}
			}
		}
		switch c.kind {
		case simpleRNNKind:
			o.simpleStep(s)
		case lstmKind:
			o.lstmStep(s)
		case gruKind:
			o.gruStep(s)
		}
	}

	last := h.data[nt*nb*u:]
	o.outs = o.outs[:0]
	if c.returnSequences {
		out := resize(&o.out, nb, nt, u)
		for s := 0; s < nt; s++ {
			for b := 0; b < nb; b++ {
				copy(out.data[(b*nt+s)*u:(b*nt+s+1)*u], h.data[((s+1)*nb+b)*u:((s+1)*nb+b+1)*u])
			}
		}
		o.outs = append(o.outs, out)
	} else {
		o.outs = append(o.outs, view(&o.hLast, last, nb, u))
	}
	if c.returnState {
		o.outs = append(o.outs, view(&o.hLast, last, nb, u))
		if c.kind == lstmKind {
			o.outs = append(o.outs, view(&o.cLast, o.cs.data[nt*nb*u:], nb, u))
		}
	}
	return o.outs
}

// input returns the (T·B, d) input that multiplies the kernel columns of
// input mask group j: the input, or the input times mask j.
func (o *rnnOp[T]) input(j int) []T {
	if o.inMasks == 0 {
		return o.xs.data
	}
	return o.xm[j].data
}

// recForward adds the recurrent projection of step s for the fused columns
// [c0, c1) to dst, a (B, G) block: dst[:, c0:c1] += h·U[:, c0:c1], with each
// gate's recurrent dropout mask applied to h.
func (o *rnnOp[T]) recForward(s, c0, c1 int, dst []T) {
	u, g := o.c.units, o.c.gates*o.c.units
	uw := valueOf[T](o.c.recurrent)
	if o.recMasks <= 1 {
		gemmStrided(false, false, o.nb, c1-c0, u, 1, o.recIn(0, s), u, uw[c0:], g, 1, dst[c0:], g)
		return
	}
	for k := c0 / u; k < c1/u; k++ {
		gemmStrided(false, false, o.nb, u, u, 1, o.recIn(k, s), u, uw[k*u:], g, 1, dst[k*u:], g)
	}
}

// recBackward adds to dst, a (B, u) block, the gradient with respect to
// h[s] that flows through the recurrent projection of columns [c0, c1),
// given dm, the (B, G) gradient of that projection at step s.
func (o *rnnOp[T]) recBackward(c0, c1 int, dm, dst []T) {
	u, g := o.c.units, o.c.gates*o.c.units
	uw := valueOf[T](o.c.recurrent)
	if o.recMasks == 0 {
		gemmStrided(false, true, o.nb, u, c1-c0, 1, dm[c0:], g, uw[c0:], g, 1, dst, u)
		return
	}
	tmp := o.tmp.data
	if o.recMasks == 1 {
		gemmStrided(false, true, o.nb, u, c1-c0, 1, dm[c0:], g, uw[c0:], g, 0, tmp, u)
		for i, m := range o.recMask(0) {
			dst[i] += tmp[i] * m
		}
		return
	}
	for k := c0 / u; k < c1/u; k++ {
		gemmStrided(false, true, o.nb, u, u, 1, dm[k*u:], g, uw[k*u:], g, 0, tmp, u)
		for i, m := range o.recMask(k) {
			dst[i] += tmp[i] * m
		}
	}
}

// recWeightGrad adds the gradient of the recurrent kernel's columns
// [c0, c1) over all steps, given dm, the (T, B, G) gradient of the
// recurrent projections.
func (o *rnnOp[T]) recWeightGrad(c0, c1 int, dm []T) {
	u, g := o.c.units, o.c.gates*o.c.units
	du := gradOf[T](o.c.recurrent)
	rows := o.nt * o.nb
	if o.recMasks <= 1 {
		hp := o.h.data[:rows*u]
		if o.recMasks == 1 {
			hp = o.hq[0].data
		}
		gemmStrided(true, false, u, c1-c0, rows, 1, hp, u, dm[c0:], g, 1, du[c0:], g)
		return
	}
	for k := c0 / u; k < c1/u; k++ {
		gemmStrided(true, false, u, u, rows, 1, o.hq[k].data, u, dm[k*u:], g, 1, du[k*u:], g)
	}
}

// forwardGate applies f to gate k of every row of the (B, G) blocks z and y.
func (o *rnnOp[T]) forwardGate(f *actFn, k int, z, y []T) {
	u, g := o.c.units, o.c.gates*o.c.units
	for b := 0; b < o.nb; b++ {
		off := b*g + k*u
		actForward(f, z[off:off+u], y[off:off+u], u)
	}
}

// backwardGate turns, in place, the gradient with respect to gate k's
// activations in the (B, G) block d into the gradient with respect to its
// pre-activations.
func (o *rnnOp[T]) backwardGate(f *actFn, k int, z, y, d []T) {
	u, g := o.c.units, o.c.gates*o.c.units
	for b := 0; b < o.nb; b++ {
		off := b*g + k*u
		actBackward(f, z[off:off+u], y[off:off+u], d[off:off+u], d[off:off+u], u)
	}
}

func (o *rnnOp[T]) backwardAll(dys []*tens[T], needDX bool) *tens[T] {
	c := o.c
	nb, nt, nd := o.nb, o.nt, o.nd
	u, g := c.units, c.gates*c.units
	var dy, dhT, dcT *tens[T]
	if len(dys) > 0 {
		dy = dys[0]
	}
	if len(dys) > 1 {
		dhT = dys[1]
	}
	if len(dys) > 2 {
		dcT = dys[2]
	}

	// The gradients flowing into the final states.
	dhn := resize(&o.dhn, nb, u)
	clear(dhn.data)
	if dhT != nil {
		copy(dhn.data, dhT.data)
	}
	if dy != nil && !c.returnSequences {
		for i, v := range dy.data {
			dhn.data[i] += v
		}
	}
	if c.kind == lstmKind {
		dcn := resize(&o.dcn, nb, u)
		clear(dcn.data)
		if dcT != nil {
			copy(dcn.data, dcT.data)
		}
	}
	dh := resize(&o.dh, nb, u)
	resize(&o.tmp, nb, u)
	dmx := resize(&o.dmx, nt, nb, g)
	if c.kind == gruKind && c.resetAfter {
		resize(&o.dmh, nt, nb, g)
	}

	// Back-propagation through time.
	for s := nt - 1; s >= 0; s-- {
		copy(dh.data, dhn.data)
		if dy != nil && c.returnSequences {
			for b := 0; b < nb; b++ {
				row := dh.data[b*u : (b+1)*u]
				for j, v := range dy.data[(b*nt+s)*u : (b*nt+s+1)*u] {
					row[j] += v
				}
			}
		}
		switch c.kind {
		case simpleRNNKind:
			o.simpleBackward(s)
		case lstmKind:
			o.lstmBackward(s)
		case gruKind:
			o.gruBackward(s)
		}
	}

	// Weight gradients over all steps at once.
	for j := 0; j < max(o.inMasks, 1); j++ {
		c0, c1 := o.gateCols(j, max(o.inMasks, 1))
		gemmStrided(true, false, nd, c1-c0, nt*nb, 1, o.input(j), nd, dmx.data[c0:], g, 1, gradOf[T](c.kernel)[c0:], g)
	}
	switch {
	case c.kind == gruKind && c.resetAfter:
		o.recWeightGrad(0, g, o.dmh.data)
	case c.kind == gruKind:
		o.recWeightGrad(0, 2*u, dmx.data)
		gemmStrided(true, false, u, u, nt*nb, 1, o.aux.data, u, dmx.data[2*u:], g, 1, gradOf[T](c.recurrent)[2*u:], g)
	default:
		o.recWeightGrad(0, g, dmx.data)
	}
	if c.bias != nil {
		sumRows(gradOf[T](c.bias)[:g], dmx.data, g)
		if c.kind == gruKind && c.resetAfter {
			sumRows(gradOf[T](c.bias)[g:], o.dmh.data, g)
		}
	}
	if !needDX {
		return nil
	}

	// The input gradient, in processing order, then in the input's layout.
	dxs := resize(&o.dxs, nt, nb, nd)
	kw := valueOf[T](c.kernel)
	if o.inMasks == 0 {
		gemmT(false, true, nt*nb, nd, g, 1, dmx.data, kw, 0, dxs.data)
	} else {
		clear(dxs.data)
		dxm := resize(&o.dxm, nt, nb, nd)
		for j := 0; j < o.inMasks; j++ {
			c0, c1 := o.gateCols(j, o.inMasks)
			gemmStrided(false, true, nt*nb, nd, c1-c0, 1, dmx.data[c0:], g, kw[c0:], g, 0, dxm.data, nd)
			m := o.mask.data[j*nb*nd : (j+1)*nb*nd]
			for s := 0; s < nt; s++ {
				off := s * nb * nd
				for i, v := range m {
					dxs.data[off+i] += dxm.data[off+i] * v
				}
			}
		}
	}
	dx := resize(&o.dx, o.x.shape...)
	o.reorder(dxs.data, dx.data, nd, false)
	return dx
}

// dropoutMask fills m with 0 (probability rate) or 1/(1-rate), the inverted
// dropout mask of Keras's backend.random.dropout applied to ones.
func dropoutMask[T float](m []T, rate float64, rng *rand.Rand) {
	keep := 1 - rate
	for i := range m {
		if rng.Float64() < keep {
			m[i] = T(1 / keep)
		} else {
			m[i] = 0
		}
	}
}

// extra returns the setting that belongs to one kind only, as its Keras key
// and a pointer to it: LSTM's unit_forget_bias or GRU's reset_after. It
// returns "" for SimpleRNN.
func (s *rnnSpec) extra() (string, *bool) {
	switch s.kind {
	case lstmKind:
		return "unit_forget_bias", &s.unitForgetBias
	case gruKind:
		return "reset_after", &s.resetAfter
	}
	return "", nil
}

// rnnConfig serializes a built recurrent layer, configured by s, with the
// keys Keras 3.4 and later accept, in Keras's order.
func rnnConfig(l layer, s rnnSpec) obj {
	act, _ := s.activation.resolve(Tanh)
	cfg := append(layerHead(l),
		kv{"return_sequences", s.returnSequences}, kv{"return_state", s.returnState}, kv{"go_backwards", s.goBackwards},
		kv{"stateful", false}, kv{"unroll", false}, kv{"zero_output_for_mask", false},
		kv{"units", s.units}, kv{"activation", string(act.name)})
	if s.kind != simpleRNNKind {
		ract, _ := s.recurrentActivation.resolve(Sigmoid)
		cfg = append(cfg, kv{"recurrent_activation", string(ract.name)})
	}
	cfg = append(cfg, kv{"use_bias", !s.noBias},
		kv{"kernel_initializer", glorotUniformConfig}, kv{"recurrent_initializer", orthogonalConfig}, kv{"bias_initializer", zerosConfig})
	if key, v := s.extra(); key != "" {
		cfg = append(cfg, kv{key, *v})
	}
	cfg = append(cfg,
		kv{"kernel_regularizer", regularizerConfig(s.kernelReg)}, kv{"recurrent_regularizer", regularizerConfig(s.recurrentReg)},
		kv{"bias_regularizer", regularizerConfig(s.biasReg)}, kv{"activity_regularizer", nil},
		kv{"kernel_constraint", nil}, kv{"recurrent_constraint", nil}, kv{"bias_constraint", nil},
		kv{"dropout", pyFloat(s.dropout)}, kv{"recurrent_dropout", pyFloat(s.recurrentDropout)})
	if s.kind != simpleRNNKind {
		cfg = append(cfg, kv{"seed", nil})
	}
	return builtLayerObj(l.className(), cfg, l.base())
}

// rnnSpecFromConfig reads the settings of a recurrent layer of the given
// kind, key by key in the order Keras writes them, so that a config with
// several bad keys always reports the same one.
func rnnSpecFromConfig(r *rawObj, kind rnnKind) (rnnSpec, error) {
	s := rnnSpec{kind: kind, unitForgetBias: true, resetAfter: true}
	useBias := true
	var act, ract string
	var stateful, unroll bool
	keys := []kv{{"return_sequences", &s.returnSequences}, {"return_state", &s.returnState}, {"go_backwards", &s.goBackwards},
		{"stateful", &stateful}, {"unroll", &unroll}, {"units", &s.units}, {"activation", &act}}
	if kind != simpleRNNKind {
		keys = append(keys, kv{"recurrent_activation", &ract})
	}
	keys = append(keys, kv{"use_bias", &useBias})
	if key, v := s.extra(); key != "" {
		keys = append(keys, kv{key, v})
	}
	keys = append(keys, kv{"dropout", &s.dropout}, kv{"recurrent_dropout", &s.recurrentDropout})
	if err := r.fields(keys...); err != nil {
		return s, err
	}
	if stateful {
		return s, fmt.Errorf("%s %q is stateful, which dl does not support", r.ClassName, r.name())
	}
	if err := r.regularizers(kv{"kernel_regularizer", &s.kernelReg}, kv{"recurrent_regularizer", &s.recurrentReg},
		kv{"bias_regularizer", &s.biasReg}); err != nil {
		return s, err
	}
	if err := r.checkActivations(act, ract); err != nil {
		return s, err
	}
	s.activation, s.recurrentActivation, s.noBias = Activation(act), Activation(ract), !useBias
	return s, nil
}

// gates returns the number of gate blocks in the fused weights of a layer
// of this kind: 1, 4 (i, f, c, o) or 3 (z, r, h).
func (k rnnKind) gates() int { return [...]int{1, 4, 3}[k] }

// plannedWeights lists the weights that building a layer with these
// settings for inputs of shape in creates (see rnnCell.build).
func (s rnnSpec) plannedWeights(in []int) []plannedWeight {
	if s.units <= 0 || len(in) != 2 {
		return nil
	}
	u := float64(s.units)
	g := float64(s.kind.gates()) * u
	ws := []plannedWeight{{"kernel", []float64{float64(in[1]), g}}, {"recurrent_kernel", []float64{u, g}}}
	switch {
	case s.noBias:
	case s.kind == gruKind && s.resetAfter:
		ws = append(ws, plannedWeight{"bias", []float64{2, g}})
	default:
		ws = append(ws, plannedWeight{"bias", []float64{g}})
	}
	return ws
}

// rnnFields points at a recurrent layer's settings, so that SimpleRNN, LSTM
// and GRU share the code that reads them (spec) and sets them from a file.
type rnnFields struct {
	kind                            rnnKind
	units                           *int
	activation, recurrentActivation *Activation // recurrentActivation: nil for SimpleRNN
	noBias                          *bool
	noExtra                         *bool           // NoUnitForgetBias or NoResetAfter: nil for SimpleRNN (see rnnSpec.extra)
	regs                            [3]*Regularizer // kernel, recurrent, bias
	dropout, recurrentDropout       *float64
	flags                           [3]*bool // ReturnSequences, ReturnState, GoBackwards
}

// recurrentLayer is SimpleRNN, LSTM or GRU.
type recurrentLayer interface {
	layer
	fields() rnnFields
}

var (
	_ recurrentLayer = (*SimpleRNN)(nil)
	_ recurrentLayer = (*LSTM)(nil)
	_ recurrentLayer = (*GRU)(nil)
)

// spec returns the settings the fields hold.
func (f rnnFields) spec() rnnSpec {
	s := rnnSpec{kind: f.kind, units: *f.units, activation: *f.activation, noBias: *f.noBias,
		kernelReg: *f.regs[0], recurrentReg: *f.regs[1], biasReg: *f.regs[2],
		dropout: *f.dropout, recurrentDropout: *f.recurrentDropout,
		returnSequences: *f.flags[0], returnState: *f.flags[1], goBackwards: *f.flags[2]}
	if f.recurrentActivation != nil {
		s.recurrentActivation = *f.recurrentActivation
	}
	if key, v := s.extra(); key != "" {
		*v = !*f.noExtra
	}
	return s
}

// set sets the fields to the settings s.
func (f rnnFields) set(s rnnSpec) {
	*f.units, *f.activation, *f.noBias = s.units, s.activation, s.noBias
	*f.regs[0], *f.regs[1], *f.regs[2] = s.kernelReg, s.recurrentReg, s.biasReg
	*f.dropout, *f.recurrentDropout = s.dropout, s.recurrentDropout
	*f.flags[0], *f.flags[1], *f.flags[2] = s.returnSequences, s.returnState, s.goBackwards
	if f.recurrentActivation != nil {
		*f.recurrentActivation = s.recurrentActivation
	}
	if key, v := s.extra(); key != "" {
		*f.noExtra = !*v
	}
}

// rnnFromConfig reads a recurrent layer of type T (SimpleRNN, LSTM or GRU).
func rnnFromConfig[T any, P interface {
	*T
	recurrentLayer
}](_ *loader, r *rawObj) (Layer, error) {
	l := P(new(T))
	f := l.fields()
	s, err := rnnSpecFromConfig(r, f.kind)
	if err != nil {
		return nil, err
	}
	f.set(s)
	*l.nameField() = r.name()
	return l, nil
}
