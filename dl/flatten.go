package dl

import "math/rand/v2"

// Flatten turns each sample into a vector (Keras: keras.layers.Flatten):
// (batch, height, width, channels) becomes (batch, height·width·channels),
// in the order the values are stored (channels fastest). It has no weights
// and copies nothing; it sits between the convolution layers and the
// Dense layers of a CNN.
//
// Each field is a Keras argument; the zero value is the Keras default.
type Flatten struct {
	// DataFormat is the order of the axes; dl supports Keras's default,
	// "channels_last" (Keras: data_format). Leave it empty.
	DataFormat string
	// Name is the layer's name; empty means Keras's default (flatten,
	// flatten_1, ...).
	Name string

	layerBase
}

func (l *Flatten) className() string  { return "Flatten" }
func (l *Flatten) nameField() *string { return &l.Name }

func (l *Flatten) build(in []int, _ *rand.Rand) ([]int, error) {
	if err := checkDataFormat(l.DataFormat); err != nil {
		return nil, err
	}
	if err := tooLarge("output", in...); err != nil {
		return nil, err
	}
	n := 1
	for _, d := range in {
		n *= d
	}
	return []int{n}, nil
}

func (l *Flatten) newOp(dt dtype) any {
	return pick(dt, &flattenOp[float32]{l: l}, &flattenOp[float64]{l: l})
}

func (l *Flatten) layerConfig() (obj, error) {
	return builtLayerObj("Flatten", append(layerHead(l), kv{"data_format", "channels_last"}), &l.layerBase), nil
}

// flattenFromConfig reads a Flatten layer.
func flattenFromConfig(_ *loader, r *rawObj) (Layer, error) {
	l := &Flatten{Name: r.name()}
	if err := r.field("data_format", &l.DataFormat); err != nil {
		return nil, err
	}
	return l, nil
}

// flattenOp is one application of a Flatten layer: its output and its
// input gradient share their values with its input and its output
// gradient, with another shape.
type flattenOp[T float] struct {
	l     *Flatten
	y, dx tens[T]
	in    []int // the input's shape
}

func (o *flattenOp[T]) forward(x *tens[T], _ bool, _ *rand.Rand) *tens[T] {
	o.in = append(o.in[:0], x.shape...)
	o.y.data = x.data
	o.y.shape = append(o.y.shape[:0], x.shape[0], o.l.outShape[0])
	return &o.y
}

func (o *flattenOp[T]) backward(dy *tens[T], needDX bool) *tens[T] {
	if !needDX {
		return nil
	}
	o.dx.data = dy.data
	o.dx.shape = append(o.dx.shape[:0], o.in...)
	return &o.dx
}
