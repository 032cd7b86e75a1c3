package dl

import (
	"fmt"
	"math/rand/v2"
)

// Model is a trainable network of layers (Keras: keras.Model). Build one
// with NewSequential; then Compile, Fit, Evaluate and Predict.
type Model struct {
	// Name is the model's name, shown by Summary (default "sequential",
	// "sequential_1", ...).
	Name string
	// Seed, when not zero, seeds this model's weight initialization,
	// dropout and shuffling instead of the global seed (see SetRandomSeed).
	Seed uint64
	// StopTraining, set by a callback, ends Fit after the current batch or
	// epoch (Keras: model.stop_training).
	StopTraining bool

	seq   *Sequential // the Sequential this model belongs to, if any
	built bool
	rng   *rand.Rand
	nodes []*gnode // topological order; nodes[0] is the input
	// params lists the trainable weights in Keras's order (layers in order,
	// kernel before bias).
	params []*param

	compiled *compiled
	// fitKeys lists the keys the Fit in progress logs at each epoch end,
	// so that callbacks can check their settings before training starts.
	fitKeys []string
}

// gnode is one layer application inside a built model.
type gnode struct {
	layer  layer
	op     op
	in     int     // index of the input node, -1 for the model input
	needDX bool    // backward must compute the input gradient
	out    *Tensor // output of the last forward pass
}

// Sequential is a linear stack of layers (Keras: keras.Sequential). Start it
// with Input to fix the input shape and build the weights at once; without
// Input it is built when it first sees data.
type Sequential struct {
	Model
	layers []Layer
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
	s := &Sequential{layers: append([]Layer(nil), layers...)}
	s.Name = uniqueName("sequential")
	s.seq = s
	s.tryBuild()
	return s
}

// Add appends a layer to the stack (Keras: model.add).
func (s *Sequential) Add(l Layer) {
	s.layers = append(s.layers, l)
	s.built = false
	s.tryBuild()
}

// tryBuild builds the model now if its input shape is declared, as Keras
// does, so that Summary shows shapes and counts before Fit. Errors are kept
// for Compile and Fit to report.
func (s *Sequential) tryBuild() {
	if in := s.declaredInput(); in != nil {
		_ = s.build(in.Shape)
	}
}

// declaredInput returns the InputLayer that starts the stack, if any.
func (s *Sequential) declaredInput() *InputLayer {
	if len(s.layers) == 0 {
		return nil
	}
	switch l := s.layers[0].(type) {
	case *Node:
		if in, ok := l.layer.(*InputLayer); ok {
			return in
		}
	case *InputLayer:
		return l
	}
	return nil
}

// Layers returns the model's layers, without the input (Keras: model.layers).
func (m *Model) Layers() []Layer {
	var out []Layer
	for _, n := range m.nodes[min(1, len(m.nodes)):] {
		out = append(out, n.layer)
	}
	if !m.built && m.seq != nil {
		for _, l := range m.seq.layers {
			if _, isIn := asLayer(l).(*InputLayer); !isIn {
				out = append(out, l)
			}
		}
	}
	return out
}

// asLayer unwraps a Node to its layer.
func asLayer(l Layer) layer {
	if n, ok := l.(*Node); ok {
		return n.layer
	}
	if ll, ok := l.(layer); ok {
		return ll
	}
	panic(fmt.Sprintf("dl: %T is not a dl layer", l))
}

// build creates the model for samples of shape in (without the batch axis).
func (m *Model) build(in []int) error {
	s := m.seq
	if len(s.layers) == 0 {
		return fmt.Errorf("the Sequential model %q has no layers; add some with NewSequential(layers...) or model.Add(layer)", m.Name)
	}
	if m.rng == nil {
		seed := m.Seed
		if seed == 0 {
			seed = nextSeed()
		}
		m.rng = rand.New(rand.NewPCG(seed, seed^0xda3e39cb94b95bdb))
	}
	first := 0
	if il := s.declaredInput(); il != nil {
		layerName(il)
		if err := il.checkShape(); err != nil {
			return fmt.Errorf("layer %q (InputLayer): %w", il.base().name, err)
		}
		if !equalShape(il.Shape, in) {
			return fmt.Errorf("the model's Input has shape %s but the data has samples of shape %s",
				formatShape(il.Shape), formatShape(in))
		}
		first = 1
	}
	nodes := []*gnode{{layer: &InputLayer{Shape: in}, op: identityOp{}, in: -1}}
	var params []*param
	shape := append([]int(nil), in...)
	for i, l := range s.layers[first:] {
		ll := asLayer(l)
		if _, isIn := ll.(*InputLayer); isIn {
			return fmt.Errorf("layer %d of the Sequential model %q is an Input; only the first layer may be one", first+i, m.Name)
		}
		layerName(ll)
		if err := buildLayer(ll, shape, m.rng); err != nil {
			return err
		}
		for _, n := range nodes {
			if n.layer == ll {
				return fmt.Errorf("layer %q appears twice in the Sequential model %q; a layer can be used once in a Sequential model", ll.base().name, m.Name)
			}
		}
		nodes = append(nodes, &gnode{layer: ll, op: ll.newOp(), in: len(nodes) - 1, needDX: len(nodes) > 1})
		params = append(params, ll.base().params...)
		shape = ll.base().outShape
	}
	m.nodes, m.params, m.built = nodes, params, true
	return nil
}

// ensureBuilt builds the model for samples of shape in if it is not built yet.
func (m *Model) ensureBuilt(op string, in []int) error {
	if m.built {
		return nil
	}
	if err := m.build(in); err != nil {
		return &Error{Op: op, Msg: err.Error()}
	}
	return nil
}

// inputShape returns the shape of one input sample, or nil if unknown.
func (m *Model) inputShape() []int {
	if m.built {
		return m.nodes[0].layer.(*InputLayer).Shape
	}
	if il := m.seq.declaredInput(); il != nil {
		return il.Shape
	}
	return nil
}

// outputShape returns the shape of one output sample of a built model.
func (m *Model) outputShape() []int {
	last := m.nodes[len(m.nodes)-1]
	if last.in < 0 {
		return last.layer.(*InputLayer).Shape
	}
	return last.layer.base().outShape
}

// forward runs the model on a batch and returns the output, which stays
// valid until the next call.
func (m *Model) forward(x *Tensor, training bool) *Tensor {
	for _, n := range m.nodes {
		if n.in < 0 {
			n.out = x
			continue
		}
		n.out = n.op.forward(m.nodes[n.in].out, training, m.rng)
	}
	return m.nodes[len(m.nodes)-1].out
}

// backward propagates dLoss/dOutput through the model, accumulating weight
// gradients.
func (m *Model) backward(dy *Tensor) {
	for i := len(m.nodes) - 1; i > 0; i-- {
		dy = m.nodes[i].op.backward(dy, m.nodes[i].needDX)
	}
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
				got = shapeString(w[i].shape)
			}
			return errorf("SetWeights", "weight %d (%s) has shape %s, received shape %s", i, p.name, shapeString(p.value.shape), got)
		}
	}
	for i, p := range m.params {
		copy(p.value.data, w[i].data)
	}
	return nil
}
