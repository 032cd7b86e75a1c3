package dl

import (
	"fmt"
	"math/rand/v2"
)

// Model is a trainable network of layers (Keras: keras.Model). Build one
// with NewSequential, or from Input and Call with NewModel (the functional
// API); then Compile, Fit, Evaluate and Predict.
type Model struct {
	// Name is the model's name, shown by Summary (default "sequential",
	// "functional", with _1, _2, ... for later ones).
	Name string
	// Seed, when not zero, seeds this model's dropout masks and shuffling
	// (and a Sequential's initial weights) instead of the global seed (see
	// SetRandomSeed).
	Seed uint64
	// StopTraining, set by a callback, ends Fit after the current batch or
	// epoch (Keras: model.stop_training).
	StopTraining bool

	seq   *Sequential // the Sequential this model belongs to, if any
	built bool
	rng   *rand.Rand
	// nodes are the layer applications in execution order (Keras's
	// operation order for functional models), inputs first.
	nodes   []*gnode
	inputs  []int  // the input nodes, in the model's input order
	outputs []slot // the model's outputs, in order
	// layers are the distinct layers in Keras's model.layers order (a
	// Sequential leaves out its input layer).
	layers []layer
	// params lists the trainable weights in Keras's order (layers in order,
	// each layer's weights in its own order).
	params []*param
	lb     layerBase // for using the model as a layer of another model

	compiled *compiled
	// fitKeys lists the keys the Fit in progress logs at each epoch end,
	// so that callbacks can check their settings before training starts.
	fitKeys []string
	outBuf  []*Tensor // forward's result, reused
}

// slot names one output of one node of a built model.
type slot struct{ node, index int }

// gnode is one layer application inside a built model.
type gnode struct {
	layer     layer
	op        op      // nil for an input node
	ins       []slot  // where the inputs come from
	needDX    []bool  // backward must compute the gradient of each input
	outShapes [][]int // without the batch axis
	nodeIndex int     // which application of the layer this is (Keras's node index)
	outs      []*Tensor
	grads     []*Tensor // gradient with respect to each output, during backward
	owned     []*Tensor // buffers for summing gradients from several consumers
	xs        []*Tensor // inputs of a multi-input op, reused
}

// Sequential is a linear stack of layers (Keras: keras.Sequential). Start it
// with Input to fix the input shape and build the weights at once; without
// Input it is built when it first sees data.
type Sequential struct {
	Model
	stack []Layer
}

// NewSequential returns a model that applies layers in order (Keras:
// keras.Sequential([...])).
//
//	model := dl.NewSequential(
//		dl.Input(30),
//		&dl.Dense{Units: 64, Activation: "relu"},
//		&dl.Dense{Units: 1, Activation: "sigmoid"},
//	)
func NewSequential(layers ...Layer) *Sequential {
	s := &Sequential{stack: append([]Layer(nil), layers...)}
	s.Name = uniqueName("sequential")
	s.seq = s
	s.tryBuild()
	return s
}

// Add appends a layer to the stack (Keras: model.add).
func (s *Sequential) Add(l Layer) {
	s.stack = append(s.stack, l)
	s.built = false
	s.tryBuild()
}

// tryBuild builds the model now if its input shape is declared, as Keras
// does, so that Summary shows shapes and counts before Fit. Errors are kept
// for Compile and Fit to report.
func (s *Sequential) tryBuild() {
	if in := s.declaredInput(); in != nil {
		_ = s.buildSeq(in.Shape)
	}
}

// declaredInput returns the InputLayer that starts the stack, if any.
func (s *Sequential) declaredInput() *InputLayer {
	if len(s.stack) == 0 {
		return nil
	}
	if in, ok := asLayer(s.stack[0]).(*InputLayer); ok {
		return in
	}
	return nil
}

// Layers returns the model's layers (Keras: model.layers). A Sequential
// leaves out its input; a functional model starts with its InputLayers.
func (m *Model) Layers() []Layer {
	var out []Layer
	if !m.built && m.seq != nil {
		for _, l := range m.seq.stack {
			if _, isIn := asLayer(l).(*InputLayer); !isIn {
				out = append(out, l)
			}
		}
		return out
	}
	for _, l := range m.layers {
		out = append(out, l)
	}
	return out
}

// asLayer unwraps a Node to its layer.
func asLayer(l Layer) layer {
	switch l := l.(type) {
	case *Node:
		return l.app.layer
	case *Sequential:
		return &l.Model
	case layer:
		return l
	}
	panic(fmt.Sprintf("dl: %T is not a dl layer", l))
}

// newRNG returns the generator for a model's random choices.
func newRNG(seed uint64) *rand.Rand {
	if seed == 0 {
		seed = nextSeed()
	}
	return rand.New(rand.NewPCG(seed, seed^0xda3e39cb94b95bdb))
}

// buildSeq creates a Sequential model for samples of shape in (without the
// batch axis).
func (m *Model) buildSeq(in []int) error {
	s := m.seq
	if len(s.stack) == 0 {
		return fmt.Errorf("the Sequential model %q has no layers; add some with NewSequential(layers...) or model.Add(layer)", m.Name)
	}
	if m.rng == nil {
		m.rng = newRNG(m.Seed)
	}
	// Keras builds a Sequential through an internal functional model, which
	// takes a name from the same counter: mirror it, so that the names of
	// later functional models match Keras's.
	uniqueName("functional")
	first := 0
	inLayer := &InputLayer{Shape: append([]int(nil), in...), Name: "input_layer"}
	if il := s.declaredInput(); il != nil {
		layerName(il)
		if err := il.checkShape(); err != nil {
			return fmt.Errorf("layer %q (InputLayer): %w", il.base().name, err)
		}
		if !equalShape(il.Shape, in) {
			return fmt.Errorf("the model's Input has shape %s but the data has samples of shape %s",
				formatShape(il.Shape), formatShape(in))
		}
		inLayer, first = il, 1
	}
	inLayer.base().outShape = inLayer.Shape
	nodes := []*gnode{{layer: inLayer, outShapes: [][]int{inLayer.Shape}}}
	var layers []layer
	shape := inLayer.Shape
	for i, l := range s.stack[first:] {
		ll := asLayer(l)
		if _, isIn := ll.(*InputLayer); isIn {
			return fmt.Errorf("layer %d of the Sequential model %q is an Input; only the first layer may be one", first+i, m.Name)
		}
		if ll == layer(&m.seq.Model) {
			return fmt.Errorf("the Sequential model %q contains itself", m.Name)
		}
		for _, prev := range layers {
			if prev == ll {
				return fmt.Errorf("layer %q appears twice in the Sequential model %q; a layer can be used once in a Sequential model", layerName(ll), m.Name)
			}
		}
		layerName(ll)
		if err := buildLayer(ll, shape, m.rng); err != nil {
			return err
		}
		if mo, ok := ll.(interface{ returnsState() bool }); ok && mo.returnsState() {
			return fmt.Errorf("layer %q (%s) has ReturnState set, which returns several tensors; use it in a functional model (dl.Call, dl.NewModel)", layerName(ll), ll.className())
		}
		prev := len(nodes) - 1
		nodes = append(nodes, &gnode{layer: ll, op: ll.newOp(), ins: []slot{{prev, 0}}, needDX: []bool{prev > 0},
			outShapes: [][]int{ll.base().outShape}})
		layers = append(layers, ll)
		shape = ll.base().outShape
	}
	m.setGraph(nodes, []int{0}, []slot{{len(nodes) - 1, 0}}, layers)
	return nil
}

// setGraph installs a built graph and collects its weights.
func (m *Model) setGraph(nodes []*gnode, inputs []int, outputs []slot, layers []layer) {
	for _, n := range nodes {
		k := len(n.outShapes)
		n.outs, n.grads, n.owned = make([]*Tensor, k), make([]*Tensor, k), make([]*Tensor, k)
	}
	var params []*param
	for _, l := range layers {
		params = append(params, l.base().params...)
	}
	m.nodes, m.inputs, m.outputs, m.layers, m.params = nodes, inputs, outputs, layers, params
	m.outBuf = make([]*Tensor, len(outputs))
	m.built = true
}

// ensureBuilt builds a Sequential model for samples of shape in if it is
// not built yet.
func (m *Model) ensureBuilt(op string, in []int) error {
	if m.built {
		return nil
	}
	if err := m.buildSeq(in); err != nil {
		return &Error{Op: op, Msg: err.Error()}
	}
	return nil
}

// inputShapes returns the shape of one sample of each input, or nil for a
// Sequential model whose input is not known yet.
func (m *Model) inputShapes() [][]int {
	if m.built {
		out := make([][]int, len(m.inputs))
		for i, n := range m.inputs {
			out[i] = m.nodes[n].outShapes[0]
		}
		return out
	}
	if il := m.seq.declaredInput(); il != nil {
		return [][]int{il.Shape}
	}
	return nil
}

// outputShapes returns the shape of one sample of each output of a built model.
func (m *Model) outputShapes() [][]int {
	out := make([][]int, len(m.outputs))
	for i, s := range m.outputs {
		out[i] = m.nodes[s.node].outShapes[s.index]
	}
	return out
}

// inputName names input i for messages.
func (m *Model) inputName(i int) string {
	if m.built {
		return fmt.Sprintf("layer %q", layerName(m.nodes[m.inputs[i]].layer))
	}
	return "the input"
}

// forward runs the model on a batch (one tensor per input) and returns its
// outputs, which stay valid until the next call.
func (m *Model) forward(xs []*Tensor, training bool) []*Tensor {
	for i, n := range m.inputs {
		m.nodes[n].outs[0] = xs[i]
	}
	for _, n := range m.nodes {
		if n.op == nil {
			continue
		}
		switch o := n.op.(type) {
		case mergeOp:
			n.xs = n.xs[:0]
			for _, s := range n.ins {
				n.xs = append(n.xs, m.nodes[s.node].outs[s.index])
			}
			n.outs[0] = o.forwardN(n.xs, training)
		default:
			x := m.nodes[n.ins[0].node].outs[n.ins[0].index]
			if mo, ok := o.(multiOutputOp); ok && len(n.outShapes) > 1 {
				copy(n.outs, mo.forwardAll(x, training, m.rng))
			} else {
				n.outs[0] = o.forward(x, training, m.rng)
			}
		}
	}
	for i, s := range m.outputs {
		m.outBuf[i] = m.nodes[s.node].outs[s.index]
	}
	return m.outBuf
}

// backward propagates the gradients of the loss with respect to the
// outputs through the model, accumulating weight gradients.
func (m *Model) backward(dys []*Tensor) {
	for _, n := range m.nodes {
		clear(n.grads)
	}
	for i, s := range m.outputs {
		m.addGrad(s, dys[i])
	}
	for i := len(m.nodes) - 1; i >= 0; i-- {
		n := m.nodes[i]
		if n.op == nil || allNil(n.grads) {
			continue
		}
		switch o := n.op.(type) {
		case mergeOp:
			dxs := o.backwardN(n.grads[0], n.needDX)
			for j, s := range n.ins {
				if n.needDX[j] {
					m.addGrad(s, dxs[j])
				}
			}
		default:
			var dx *Tensor
			if mo, ok := o.(multiOutputOp); ok && len(n.outShapes) > 1 {
				dx = mo.backwardAll(n.grads, n.needDX[0])
			} else {
				dx = o.backward(n.grads[0], n.needDX[0])
			}
			if n.needDX[0] {
				m.addGrad(n.ins[0], dx)
			}
		}
	}
}

// addGrad adds g to the gradient of an output slot: the first gradient is
// used as it is, later ones are summed into the node's own buffer.
func (m *Model) addGrad(s slot, g *Tensor) {
	n := m.nodes[s.node]
	cur := n.grads[s.index]
	if cur == nil {
		n.grads[s.index] = g
		return
	}
	own := n.owned[s.index]
	if cur != own {
		own = resize(&n.owned[s.index], cur.shape...)
		copy(own.data, cur.data)
		n.grads[s.index] = own
	}
	for i, v := range g.data {
		own.data[i] += v
	}
}

// allNil reports whether every tensor is nil.
func allNil(ts []*Tensor) bool {
	for _, t := range ts {
		if t != nil {
			return false
		}
	}
	return true
}

// CountParams returns the number of weights in the model (Keras:
// model.count_params()). It is 0 for a model that is not built yet.
func (m *Model) CountParams() int {
	n := 0
	for _, p := range m.params {
		n += p.value.Size()
	}
	return n
}

// GetWeights returns copies of all weights, layer by layer, kernel before
// bias (Keras: model.get_weights()).
func (m *Model) GetWeights() []*Tensor {
	out := make([]*Tensor, len(m.params))
	for i, p := range m.params {
		out[i] = p.value.Clone()
	}
	return out
}

// SetWeights replaces all weights with copies of w, in GetWeights's order
// (Keras: model.set_weights()).
func (m *Model) SetWeights(w []*Tensor) error {
	if !m.built {
		return errorf("SetWeights", "the model %q is not built yet; start it with dl.Input(...) or call Fit first", m.Name)
	}
	if len(w) != len(m.params) {
		return errorf("SetWeights", "the model %q has %d weight arrays, received %d", m.Name, len(m.params), len(w))
	}
	for i, p := range m.params {
		if w[i] == nil || !equalShape(w[i].shape, p.value.shape) {
			got := "nil"
			if w[i] != nil {
				got = ShapeString(w[i].shape)
			}
			return errorf("SetWeights", "weight %d (%s) has shape %s, received shape %s", i, p.name, ShapeString(p.value.shape), got)
		}
	}
	for i, p := range m.params {
		copy(p.value.data, w[i].data)
	}
	return nil
}
