package dl

import (
	"math/rand/v2"
)

// poolSpec is a pooling layer's configuration, copied from its fields when
// it is built.
type poolSpec struct {
	rank              int // 1 or 2 spatial axes
	poolSize, strides Size
	padding           string
	dataFormat        string
}

// poolCore is what the pooling layers embed: the layer's bookkeeping and
// its resolved window.
type poolCore struct {
	layerBase
	rank     int
	max      bool // max pooling, else average
	poolSize [2]int
	strides  [2]int
	padding  string
	geom     window // for the built input shape
}

func (p *poolCore) build(s poolSpec, isMax bool, in []int) ([]int, error) {
	ps, err := s.poolSize.resolve("PoolSize", "pool_size", s.rank, 2)
	if err != nil {
		return nil, err
	}
	st := ps
	if s.strides != nil {
		if st, err = s.strides.resolve("Strides", "strides", s.rank, 0); err != nil {
			return nil, err
		}
	}
	padding, err := resolvePadding(s.padding, false)
	if err != nil {
		return nil, err
	}
	if err := checkDataFormat(s.dataFormat); err != nil {
		return nil, err
	}
	g, err := windowOver(s.rank, ps, st, padding, in, "pooling window", "PoolSize")
	if err != nil {
		return nil, err
	}
	p.rank, p.max, p.poolSize, p.strides, p.padding, p.geom = s.rank, isMax, ps, st, padding, g
	out := []int{g.oh, g.ow, g.c}
	if s.rank == 1 {
		out = out[1:]
	}
	return out, nil
}

// config serializes the pooling layer l, whose core p is, as Keras 3
// writes it (pooling layers have no build_config).
func (p *poolCore) config(l layer, class string) obj {
	cfg := append(layerHead(l), kv{"pool_size", tuple(p.poolSize, p.rank)}, kv{"padding", p.padding},
		kv{"strides", tuple(p.strides, p.rank)}, kv{"data_format", "channels_last"})
	return kerasObj("keras.layers", class, cfg)
}

func (p *poolCore) newOp(dt dtype) any {
	if p.max {
		return pick(dt, &maxPoolOp[float32]{p: p}, &maxPoolOp[float64]{p: p})
	}
	return pick(dt, &avgPoolOp[float32]{p: p}, &avgPoolOp[float64]{p: p})
}

// MaxPooling2D downsamples images by taking the maximum of each PoolSize
// window, channel by channel (Keras: keras.layers.MaxPooling2D).
//
// Inputs are (batch, height, width, channels); outputs are (batch, new
// height, new width, channels). With the defaults, 2×2 windows two pixels
// apart, the height and width are halved (rounded down). The layer has no
// weights. In training, each output's gradient goes to the input that was
// its window's maximum (the first one, when several are equal).
//
// Each field is a Keras argument; the zero value is the Keras default.
type MaxPooling2D struct {
	// PoolSize is the window's height and width (Keras: pool_size). The
	// default is dl.Size{2}, 2×2.
	PoolSize Size
	// Strides is the step between windows (Keras: strides). The default is
	// PoolSize: windows side by side.
	Strides Size
	// Padding is "valid" (the default: windows inside the image) or "same"
	// (windows may hang over the edges, giving ⌈size/stride⌉ outputs along
	// each axis) (Keras: padding).
	Padding string
	// DataFormat is the order of the axes; dl supports Keras's default,
	// "channels_last" (Keras: data_format). Leave it empty.
	DataFormat string
	// Name is the layer's name; empty means Keras's default (max_pooling2d,
	// max_pooling2d_1, ...).
	Name string

	poolCore
}

func (l *MaxPooling2D) className() string  { return "MaxPooling2D" }
func (l *MaxPooling2D) nameField() *string { return &l.Name }
func (l *MaxPooling2D) build(in []int, _ *rand.Rand) ([]int, error) {
	return l.poolCore.build(poolSpec{2, l.PoolSize, l.Strides, l.Padding, l.DataFormat}, true, in)
}
func (l *MaxPooling2D) layerConfig() (obj, error) { return l.config(l, "MaxPooling2D"), nil }

// AveragePooling2D downsamples images by taking the mean of each PoolSize
// window, channel by channel (Keras: keras.layers.AveragePooling2D). With
// Padding "same", a window that hangs over the edge averages the pixels it
// covers, not the padding, as in Keras.
//
// Inputs are (batch, height, width, channels); outputs are (batch, new
// height, new width, channels). The layer has no weights.
//
// Each field is a Keras argument; the zero value is the Keras default
// where Keras has one. Keras 3 requires pool_size; dl's zero PoolSize is
// 2×2, MaxPooling2D's default.
type AveragePooling2D struct {
	// PoolSize is the window's height and width (Keras: pool_size). The
	// default is dl.Size{2}, 2×2.
	PoolSize Size
	// Strides is the step between windows (Keras: strides). The default is
	// PoolSize: windows side by side.
	Strides Size
	// Padding is "valid" (the default) or "same" (Keras: padding).
	Padding string
	// DataFormat is the order of the axes; dl supports Keras's default,
	// "channels_last" (Keras: data_format). Leave it empty.
	DataFormat string
	// Name is the layer's name; empty means Keras's default
	// (average_pooling2d, average_pooling2d_1, ...).
	Name string

	poolCore
}

func (l *AveragePooling2D) className() string  { return "AveragePooling2D" }
func (l *AveragePooling2D) nameField() *string { return &l.Name }
func (l *AveragePooling2D) build(in []int, _ *rand.Rand) ([]int, error) {
	return l.poolCore.build(poolSpec{2, l.PoolSize, l.Strides, l.Padding, l.DataFormat}, false, in)
}
func (l *AveragePooling2D) layerConfig() (obj, error) { return l.config(l, "AveragePooling2D"), nil }

// MaxPooling1D downsamples sequences by taking the maximum of each
// PoolSize window of steps, channel by channel (Keras:
// keras.layers.MaxPooling1D).
//
// Inputs are (batch, steps, channels); outputs are (batch, new steps,
// channels). With the defaults, windows of 2 steps side by side, the
// number of steps is halved (rounded down). The layer has no weights.
//
// Each field is a Keras argument; the zero value is the Keras default.
type MaxPooling1D struct {
	// PoolSize is the window's length in steps (Keras: pool_size). The
	// default is dl.Size{2}.
	PoolSize Size
	// Strides is the step between windows (Keras: strides). The default is
	// PoolSize: windows side by side.
	Strides Size
	// Padding is "valid" (the default) or "same" (Keras: padding).
	Padding string
	// DataFormat is the order of the axes; dl supports Keras's default,
	// "channels_last" (Keras: data_format). Leave it empty.
	DataFormat string
	// Name is the layer's name; empty means Keras's default (max_pooling1d,
	// max_pooling1d_1, ...).
	Name string

	poolCore
}

func (l *MaxPooling1D) className() string  { return "MaxPooling1D" }
func (l *MaxPooling1D) nameField() *string { return &l.Name }
func (l *MaxPooling1D) build(in []int, _ *rand.Rand) ([]int, error) {
	return l.poolCore.build(poolSpec{1, l.PoolSize, l.Strides, l.Padding, l.DataFormat}, true, in)
}
func (l *MaxPooling1D) layerConfig() (obj, error) { return l.config(l, "MaxPooling1D"), nil }

// poolFromConfig reads a MaxPooling2D, AveragePooling2D or MaxPooling1D.
func poolFromConfig(_ *loader, r *rawObj) (Layer, error) {
	var ps, st Size
	var padding, format string
	if err := r.fields(kv{"padding", &padding}, kv{"data_format", &format}); err != nil {
		return nil, err
	}
	if err := r.sizeFields(kv{"pool_size", &ps}, kv{"strides", &st}); err != nil {
		return nil, err
	}
	switch r.ClassName {
	case "MaxPooling1D":
		return &MaxPooling1D{PoolSize: ps, Strides: st, Padding: padding, DataFormat: format, Name: r.name()}, nil
	case "AveragePooling2D":
		return &AveragePooling2D{PoolSize: ps, Strides: st, Padding: padding, DataFormat: format, Name: r.name()}, nil
	}
	return &MaxPooling2D{PoolSize: ps, Strides: st, Padding: padding, DataFormat: format, Name: r.name()}, nil
}

// maxPoolOp is one application of a max-pooling layer.
type maxPoolOp[T float] struct {
	p     *poolCore
	x     *tens[T]
	y, dx *tens[T]
	arg   []int // index in x of each output's maximum
	shape []int
}

func (o *maxPoolOp[T]) forward(x *tens[T], _ bool, _ *rand.Rand) *tens[T] {
	o.x = x
	n := x.shape[0]
	o.shape = append(append(o.shape[:0], n), o.p.outShape...)
	y := resize(&o.y, o.shape...)
	o.arg = growTo(o.arg, len(y.data))
	maxPool(&o.p.geom, x.data, n, y.data, o.arg)
	return y
}

func (o *maxPoolOp[T]) backward(dy *tens[T], needDX bool) *tens[T] {
	if !needDX {
		return nil
	}
	dx := resize(&o.dx, o.x.shape...)
	maxPoolBackward(dy.data, o.arg, dx.data)
	return dx
}

// avgPoolOp is one application of an average-pooling layer.
type avgPoolOp[T float] struct {
	p     *poolCore
	x     *tens[T]
	y, dx *tens[T]
	shape []int
}

func (o *avgPoolOp[T]) forward(x *tens[T], _ bool, _ *rand.Rand) *tens[T] {
	o.x = x
	n := x.shape[0]
	o.shape = append(append(o.shape[:0], n), o.p.outShape...)
	y := resize(&o.y, o.shape...)
	avgPool(&o.p.geom, x.data, n, y.data)
	return y
}

func (o *avgPoolOp[T]) backward(dy *tens[T], needDX bool) *tens[T] {
	if !needDX {
		return nil
	}
	dx := resize(&o.dx, o.x.shape...)
	avgPoolBackward(&o.p.geom, dy.data, o.x.shape[0], dx.data)
	return dx
}

// GlobalAveragePooling2D averages each channel over the whole image
// (Keras: keras.layers.GlobalAveragePooling2D): (batch, height, width,
// channels) becomes (batch, channels), or (batch, 1, 1, channels) with
// KeepDims. It has no weights; a CNN often ends with it instead of Flatten,
// which keeps the next Dense layer small.
//
// Each field is a Keras argument; the zero value is the Keras default.
type GlobalAveragePooling2D struct {
	// DataFormat is the order of the axes; dl supports Keras's default,
	// "channels_last" (Keras: data_format). Leave it empty.
	DataFormat string
	// KeepDims keeps the height and width axes, of size 1 (Keras:
	// keepdims).
	KeepDims bool
	// Name is the layer's name; empty means Keras's default
	// (global_average_pooling2d, global_average_pooling2d_1, ...).
	Name string

	layerBase
}

func (l *GlobalAveragePooling2D) className() string  { return "GlobalAveragePooling2D" }
func (l *GlobalAveragePooling2D) nameField() *string { return &l.Name }

func (l *GlobalAveragePooling2D) build(in []int, _ *rand.Rand) ([]int, error) {
	if err := checkDataFormat(l.DataFormat); err != nil {
		return nil, err
	}
	_, _, c, err := spatialInput(in, 2)
	if err != nil {
		return nil, err
	}
	if l.KeepDims {
		return []int{1, 1, c}, nil
	}
	return []int{c}, nil
}

func (l *GlobalAveragePooling2D) newOp(dt dtype) any {
	return pick(dt, &globalAvgPoolOp[float32]{l: l}, &globalAvgPoolOp[float64]{l: l})
}

func (l *GlobalAveragePooling2D) layerConfig() (obj, error) {
	cfg := append(layerHead(l), kv{"data_format", "channels_last"}, kv{"keepdims", l.KeepDims})
	return kerasObj("keras.layers", "GlobalAveragePooling2D", cfg), nil
}

// globalAvgPoolFromConfig reads a GlobalAveragePooling2D.
func globalAvgPoolFromConfig(_ *loader, r *rawObj) (Layer, error) {
	l := &GlobalAveragePooling2D{Name: r.name()}
	if err := r.fields(kv{"data_format", &l.DataFormat}, kv{"keepdims", &l.KeepDims}); err != nil {
		return nil, err
	}
	return l, nil
}

// globalAvgPoolOp is one application of a GlobalAveragePooling2D layer.
type globalAvgPoolOp[T float] struct {
	l     *GlobalAveragePooling2D
	x     *tens[T]
	y, dx *tens[T]
	shape []int
}

func (o *globalAvgPoolOp[T]) forward(x *tens[T], _ bool, _ *rand.Rand) *tens[T] {
	o.x = x
	n := x.shape[0]
	o.shape = append(append(o.shape[:0], n), o.l.outShape...)
	y := resize(&o.y, o.shape...)
	in := o.l.inShape
	globalAvgPool(x.data, n, in[0]*in[1], in[2], y.data)
	return y
}

func (o *globalAvgPoolOp[T]) backward(dy *tens[T], needDX bool) *tens[T] {
	if !needDX {
		return nil
	}
	dx := resize(&o.dx, o.x.shape...)
	in := o.l.inShape
	globalAvgPoolBackward(dy.data, o.x.shape[0], in[0]*in[1], in[2], dx.data)
	return dx
}
