package dl

import (
	"fmt"
	"math/rand/v2"
)

// A model is also a layer: a Sequential (or functional) model can be called
// inside another model, as in Keras, and its weights are shared with it.

var _ multiOutputLayer = (*Model)(nil)

func (m *Model) base() *layerBase { return &m.lb }

func (m *Model) className() string {
	if m.seq != nil {
		return "Sequential"
	}
	return "Functional"
}

func (m *Model) nameField() *string { return &m.Name }

func (m *Model) build(in []int, _ *rand.Rand) ([]int, error) {
	if m.seq != nil && !m.built {
		if err := m.buildSeq(in); err != nil {
			return nil, err
		}
	}
	if !m.built {
		return nil, fmt.Errorf("the model is not built")
	}
	if len(m.inputs) != 1 || len(m.outputs) != 1 {
		return nil, fmt.Errorf("a model used as a layer must have one input and one output; this one has %d and %d", len(m.inputs), len(m.outputs))
	}
	if want := m.nodes[m.inputs[0]].outShapes[0]; !equalShape(want, in) {
		return nil, fmt.Errorf("expects samples of shape %s, received %s", formatShape(want), formatShape(in))
	}
	m.lb.params = m.params
	return m.outputShapes()[0], nil
}

func (m *Model) newOp() op {
	inner := &Model{Name: m.Name, layers: m.layers}
	inner.setGraph(cloneNodes(m.nodes, true), m.inputs, m.outputs, m.layers)
	return &nestedOp{m: inner, xs: make([]*Tensor, 1), dys: make([]*Tensor, 1)}
}

// nestedOp runs a model used as a layer, with its own buffers.
type nestedOp struct {
	m       *Model
	xs, dys []*Tensor
}

func (o *nestedOp) forward(x *Tensor, training bool, rng *rand.Rand) *Tensor {
	o.m.rng = rng
	o.xs[0] = x
	return o.m.forward(o.xs, training)[0]
}

func (o *nestedOp) backward(dy *Tensor, needDX bool) *Tensor {
	o.dys[0] = dy
	o.m.backward(o.dys)
	if !needDX {
		return nil
	}
	return o.m.nodes[o.m.inputs[0]].grads[0]
}

// layerConfig serializes a model used as a layer: its architecture, without
// compile settings.
func (m *Model) layerConfig() (obj, error) { return m.architecture() }

// sequentialFromConfig builds a Sequential model held by another model.
func sequentialFromConfig(ld *loader, r *rawObj) (Layer, error) {
	s, err := ld.sequential(r)
	if err != nil {
		return nil, err
	}
	return s, nil
}
