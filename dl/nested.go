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

func (m *Model) newOp(dt dtype) any {
	// Not pick: each op builds a whole graph of the inner model.
	if dt == float32Type {
		return newNestedOp[float32](m)
	}
	return newNestedOp[float64](m)
}

// newNestedOp returns an application of m as a layer, with a graph of its
// own that computes the gradients of all inputs.
func newNestedOp[T float](m *Model) *nestedOp[T] {
	return &nestedOp[T]{m: m, g: newGraph[T](m, true), xs: make([]*tens[T], 1), dys: make([]*tens[T], 1)}
}

// nestedOp is one application of a model as a layer.
type nestedOp[T float] struct {
	m       *Model
	g       *graph[T]
	xs, dys []*tens[T]
}

func (o *nestedOp[T]) forward(x *tens[T], training bool, rng *rand.Rand) *tens[T] {
	o.xs[0] = x
	return run(o.m, o.g, o.xs, training, rng)[0]
}

func (o *nestedOp[T]) backward(dy *tens[T], needDX bool) *tens[T] {
	o.dys[0] = dy
	backward(o.m, o.g, o.dys)
	if !needDX {
		return nil
	}
	return o.g.nodes[o.m.inputs[0]].grads[0]
}

func (m *Model) layerConfig() (obj, error) { return m.architecture() }

// sequentialFromConfig builds a Sequential model held by another model.
func sequentialFromConfig(ld *loader, r *rawObj) (Layer, error) {
	s, err := ld.sequential(r)
	if err != nil {
		return nil, err
	}
	return s, nil
}
