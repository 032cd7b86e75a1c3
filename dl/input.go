package dl

import (
	"fmt"
	"math/rand/v2"
)

// InputLayer is the entry point of a model: it declares the shape of one
// sample (Keras: keras.layers.InputLayer). Most code uses Input instead.
type InputLayer struct {
	// Shape is the shape of one sample, without the batch axis (Keras: shape).
	Shape []int
	// Name is the layer's name; empty means Keras's default (input_layer, input_layer_1, ...).
	Name string

	layerBase
}

func (l *InputLayer) className() string  { return "InputLayer" }
func (l *InputLayer) nameField() *string { return &l.Name }

func (l *InputLayer) build(in []int, _ *rand.Rand) ([]int, error) {
	return append([]int(nil), in...), nil
}

func (l *InputLayer) newOp(dt dtype) any {
	return pick(dt, identityOp[float32]{}, identityOp[float64]{})
}

func (l *InputLayer) layerConfig() (obj, error) {
	return kerasObj("keras.layers", "InputLayer", obj{
		{"batch_shape", batchShape(l.Shape)}, {"dtype", "float32"}, {"sparse", false}, {"ragged", false}, {"name", layerName(l)},
	}), nil
}

// inputLayerFromConfig reads an InputLayer: its batch_shape, or the
// batch_input_shape of older files.
func inputLayerFromConfig(_ *loader, r *rawObj) (Layer, error) {
	var shape []*int
	if err := r.field("batch_shape", &shape); err != nil {
		return nil, err
	}
	if shape == nil {
		if err := r.field("batch_input_shape", &shape); err != nil {
			return nil, err
		}
	}
	dims, err := sampleShape(shape)
	if err != nil {
		return nil, fmt.Errorf("InputLayer %q: batch_shape %v", r.name(), err)
	}
	return &InputLayer{Shape: dims, Name: r.name()}, nil
}

// checkShape reports a non-positive dimension in the declared shape.
func (l *InputLayer) checkShape() error {
	if len(l.Shape) == 0 {
		return fmt.Errorf("Input needs the shape of one sample, such as Input(30) for 30 features; received no shape")
	}
	for _, d := range l.Shape {
		if d <= 0 {
			return fmt.Errorf("Input shape dimensions must be positive, received shape %v", l.Shape)
		}
	}
	return nil
}

// identityOp passes values and gradients through unchanged.
type identityOp[T float] struct{}

func (identityOp[T]) forward(x *tens[T], _ bool, _ *rand.Rand) *tens[T] { return x }
func (identityOp[T]) backward(dy *tens[T], _ bool) *tens[T]             { return dy }
