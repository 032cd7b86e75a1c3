package dl

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
)

var (
	_ weightPlanner = (*Conv2D)(nil)
	_ weightPlanner = (*Conv1D)(nil)
)

// Size is the size of a window (a convolution kernel, a pooling window) or
// of a stride, in pixels along each spatial axis, as Keras takes an int or
// a tuple:
//
//	kernel_size=3        KernelSize: dl.Size{3}      3×3 for Conv2D, 3 for Conv1D
//	kernel_size=(3, 5)   KernelSize: dl.Size{3, 5}   3 rows by 5 columns
//	strides=2            Strides: dl.Size{2}
//
// One value stands for every axis, as Keras's int does; a 2-D layer also
// takes two values, (height, width). A nil Size is the layer's default.
// A plain []int{3, 3} works too.
type Size []int

// resolve returns s as (height, width) for a layer of the given rank (a
// 1-D layer has height 1), def standing in for a nil s; def 0 means the
// argument is required. field and keras name it in messages.
func (s Size) resolve(field, keras string, rank, def int) ([2]int, error) {
	if s == nil {
		if def == 0 {
			return [2]int{}, fmt.Errorf("%s is required (Keras: %s), the size of the window such as %s: dl.Size{3}", field, keras, field)
		}
		s = Size{def}
	}
	what := "a positive integer (Keras: an int or a tuple of 1)"
	if rank == 2 {
		what = "1 or 2 positive integers (Keras: an int or a tuple of 2), such as dl.Size{3} or dl.Size{3, 3}"
	}
	if len(s) == 0 || len(s) > rank {
		return [2]int{}, fmt.Errorf("received an invalid value for %s, expected %s; received %s=%v", field, what, field, []int(s))
	}
	for _, v := range s {
		if v <= 0 {
			return [2]int{}, fmt.Errorf("received an invalid value for %s, expected %s; received %s=%v", field, what, field, []int(s))
		}
	}
	if rank == 1 {
		return [2]int{1, s[0]}, nil
	}
	if len(s) == 1 {
		return [2]int{s[0], s[0]}, nil
	}
	return [2]int{s[0], s[1]}, nil
}

// tuple is a resolved size as Keras writes it in a config: a list of rank
// values.
func tuple(s [2]int, rank int) []int {
	if rank == 1 {
		return []int{s[1]}
	}
	return []int{s[0], s[1]}
}

// resolvePadding lowercases p as Keras does and checks it: "valid" (the
// default), "same", or for 1-D convolutions "causal".
func resolvePadding(p string, causal bool) (string, error) {
	switch v := strings.ToLower(p); v {
	case "":
		return "valid", nil
	case "valid", "same":
		return v, nil
	case "causal":
		if causal {
			return v, nil
		}
	}
	allowed := `"valid" or "same"`
	if causal {
		allowed = `"valid", "same" or "causal"`
	}
	return "", fmt.Errorf("received an invalid value for Padding, expected %s (Keras: padding); received Padding=%q", allowed, p)
}

// checkDataFormat accepts Keras's default channels-last layout only.
func checkDataFormat(v string) error {
	switch v {
	case "", "channels_last":
		return nil
	case "channels_first":
		return fmt.Errorf(`dl supports only DataFormat "channels_last", data as (height, width, channels); received DataFormat="channels_first": ` +
			`store the channels on the last axis and leave DataFormat empty`)
	}
	return fmt.Errorf(`received an invalid value for DataFormat, expected "channels_last" (Keras: data_format); received DataFormat=%q`, v)
}

// spatialInput checks that in is a sample of a layer of the given rank:
// (height, width, channels) for rank 2, (steps, channels) for rank 1. It
// returns the height, width and channels (height 1 for rank 1).
func spatialInput(in []int, rank int) (h, w, c int, err error) {
	if len(in) != rank+1 {
		if rank == 2 {
			return 0, 0, 0, fmt.Errorf("needs 4-D input (batch, height, width, channels) but received shape %s (Keras: expected ndim=4, found ndim=%d): "+
				"give each image its channel axis, e.g. Input(8, 8, 1) for 8×8 grey images, with the data reshaped to (samples, 8, 8, 1)",
				formatShape(in), len(in)+1)
		}
		return 0, 0, 0, fmt.Errorf("needs 3-D input (batch, steps, channels) but received shape %s (Keras: expected ndim=3, found ndim=%d): "+
			"give each sequence its channel axis, e.g. Input(10, 1) for 10 steps of one value, with the data reshaped to (samples, 10, 1)",
			formatShape(in), len(in)+1)
	}
	if rank == 1 {
		return 1, in[0], in[1], nil
	}
	return in[0], in[1], in[2], nil
}

// tooLarge bounds the values a layer produces per sample, like maxWeights
// bounds a weight: more is a mistake or a damaged file.
func tooLarge(what string, dims ...int) error {
	n := 1.0
	for _, d := range dims {
		n *= float64(d)
	}
	if n > maxWeights {
		return fmt.Errorf("its %s would have %.0f values per sample, which is too large; check the input shape and the layer's sizes", what, n)
	}
	return nil
}

// convSpec is a convolution layer's configuration, copied from its fields
// when it is built.
type convSpec struct {
	rank                int // 1 or 2 spatial axes
	filters             int
	kernelSize, strides Size
	padding, dataFormat string
	activation          Activation
	noBias              bool
	kernelReg, biasReg  Regularizer
}

// convCore is what Conv2D and Conv1D embed: the layer's bookkeeping, its
// resolved configuration and its weights.
type convCore struct {
	layerBase
	rank         int
	filters      int
	kernelSize   [2]int // (height, width); height 1 for Conv1D
	strides      [2]int
	padding      string
	act          *actFn
	geom         window // for the built input shape
	kernel, bias *param
}

// check resolves and validates s, without an input shape.
func (s convSpec) check() (ks, st [2]int, padding string, act *actFn, err error) {
	if s.filters <= 0 {
		return ks, st, "", nil, fmt.Errorf("received an invalid value for Filters, expected a positive integer (Keras: filters); received Filters=%d", s.filters)
	}
	if ks, err = s.kernelSize.resolve("KernelSize", "kernel_size", s.rank, 0); err != nil {
		return
	}
	if st, err = s.strides.resolve("Strides", "strides", s.rank, 1); err != nil {
		return
	}
	if padding, err = resolvePadding(s.padding, s.rank == 1); err != nil {
		return
	}
	if err = checkDataFormat(s.dataFormat); err != nil {
		return
	}
	var ok bool
	if act, ok = s.activation.resolve(Linear); !ok {
		err = fmt.Errorf("unknown activation %q; use one of %s", s.activation, activationNames())
	}
	return
}

// windowOver returns the window of size ks and strides st, with padding,
// over inputs of shape in, or says why it does not fit; what names the
// window ("kernel") and field its size's field, for the message.
func windowOver(rank int, ks, st [2]int, padding string, in []int, what, field string) (window, error) {
	h, w, c, err := spatialInput(in, rank)
	if err != nil {
		return window{}, err
	}
	g := window{h: h, w: w, c: c, kh: ks[0], kw: ks[1], sh: st[0], sw: st[1]}
	// A 1-D layer's height axis is a single row, never padded.
	hPad := padding
	if rank == 1 {
		hPad = "valid"
	}
	g.oh, g.padT = outSize(h, g.kh, g.sh, hPad)
	g.ow, g.padL = outSize(w, g.kw, g.sw, padding)
	if g.oh <= 0 || g.ow <= 0 {
		return g, fmt.Errorf("computed output size would be zero or negative: the %s %s does not fit in inputs of shape %s with "+
			"Padding \"valid\"; use a smaller %s, Padding: \"same\", or fewer layers that shrink the data before this one",
			what, sizeText(tuple(ks, rank)), formatShape(in), field)
	}
	return g, nil
}

// sizeText formats a window size as (3, 3) or (3,).
func sizeText(s []int) string { return ShapeString(s) }

func (c *convCore) build(s convSpec, in []int, rng *rand.Rand) ([]int, error) {
	ks, st, padding, act, err := s.check()
	if err != nil {
		return nil, err
	}
	g, err := windowOver(s.rank, ks, st, padding, in, "kernel", "KernelSize")
	if err != nil {
		return nil, err
	}
	if err := tooLarge("output", g.oh, g.ow, s.filters); err != nil {
		return nil, err
	}
	if err := tooLarge("im2col matrix (its windows side by side)", g.oh, g.ow, g.kh, g.kw, g.c); err != nil {
		return nil, err
	}
	c.rank, c.filters, c.kernelSize, c.strides, c.padding, c.act, c.geom = s.rank, s.filters, ks, st, padding, act, g
	shape := []int{g.kh, g.kw, g.c, s.filters}
	if s.rank == 1 {
		shape = shape[1:]
	}
	c.kernel = newParam("kernel", s.kernelReg, shape...)
	// Keras's fans for a convolution kernel: the receptive field times
	// the input and the output channels.
	field := g.kh * g.kw
	glorotUniform(c.kernel.value.data, field*g.c, field*s.filters, rng)
	c.params = []*param{c.kernel}
	c.bias = nil
	if !s.noBias {
		c.bias = newParam("bias", s.biasReg, s.filters)
		c.params = append(c.params, c.bias)
	}
	out := []int{g.oh, g.ow, s.filters}
	if s.rank == 1 {
		out = out[1:]
	}
	return out, nil
}

// plannedWeights lists the weights that building a layer with s for inputs
// of shape in creates.
func (s convSpec) plannedWeights(in []int) []plannedWeight {
	ks, _, _, _, err := s.check()
	if err != nil || len(in) != s.rank+1 {
		return nil
	}
	f := float64(s.filters)
	dims := []float64{float64(ks[0]), float64(ks[1]), float64(in[len(in)-1]), f}
	if s.rank == 1 {
		dims = dims[1:]
	}
	ws := []plannedWeight{{"kernel", dims}}
	if !s.noBias {
		ws = append(ws, plannedWeight{"bias", []float64{f}})
	}
	return ws
}

// config serializes the built layer l, whose core c is, as Keras 3 writes
// a Conv1D or Conv2D.
func (c *convCore) config(l layer, class string) obj {
	ones := []int{1, 1}[:c.rank]
	var kreg, breg Regularizer
	if c.kernel != nil {
		kreg = c.kernel.reg
	}
	if c.bias != nil {
		breg = c.bias.reg
	}
	cfg := append(layerHead(l),
		kv{"filters", c.filters}, kv{"kernel_size", tuple(c.kernelSize, c.rank)}, kv{"strides", tuple(c.strides, c.rank)},
		kv{"padding", c.padding}, kv{"data_format", "channels_last"}, kv{"dilation_rate", ones}, kv{"groups", 1},
		kv{"activation", string(c.act.name)}, kv{"use_bias", c.bias != nil},
		kv{"kernel_initializer", glorotUniformConfig}, kv{"bias_initializer", zerosConfig},
		kv{"kernel_regularizer", regularizerConfig(kreg)}, kv{"bias_regularizer", regularizerConfig(breg)},
		kv{"activity_regularizer", nil}, kv{"kernel_constraint", nil}, kv{"bias_constraint", nil})
	return builtLayerObj(class, cfg, &c.layerBase)
}

func (c *convCore) newOp(dt dtype) any {
	return pick(dt, &convOp[float32]{c: c}, &convOp[float64]{c: c})
}

// Conv2D is a 2-D convolution layer over images (Keras:
// keras.layers.Conv2D): Filters kernels of KernelSize slide over the
// input's height and width, and each output pixel is
// activation(window·kernel + bias), one channel per filter.
//
// Inputs are (batch, height, width, channels), channels last; outputs are
// (batch, new height, new width, Filters). With Padding "valid" (the
// default) the kernel stays inside the image, so a 3×3 kernel takes 2 rows
// and 2 columns off; with "same" the image is padded with zeros so that
// the output has ⌈size/stride⌉ rows and columns.
//
// The kernel has shape (kernel height, kernel width, input channels,
// Filters) and starts Glorot-uniform, its fans the receptive field times
// the input or output channels, as in Keras; the bias has shape (Filters,)
// and starts at zero. The layer has kh·kw·channels·Filters + Filters
// parameters: Conv2D{Filters: 16, KernelSize: dl.Size{3}} on grey images
// has 3·3·1·16 + 16 = 160.
//
// Each field is a Keras argument; the zero value is the Keras default.
type Conv2D struct {
	// Filters is the number of kernels, the channels of the output (Keras:
	// filters). It is required and must be positive.
	Filters int
	// KernelSize is the window's height and width (Keras: kernel_size), such
	// as dl.Size{3} for 3×3 or dl.Size{3, 5}. It is required.
	KernelSize Size
	// Strides is the step between windows along the height and the width
	// (Keras: strides). The default is 1.
	Strides Size
	// Padding is "valid" (the default: no padding) or "same" (zeros around
	// the image so that the output is ⌈size/stride⌉ pixels along each axis)
	// (Keras: padding).
	Padding string
	// DataFormat is the order of the axes; dl supports Keras's default,
	// "channels_last" (Keras: data_format). Leave it empty.
	DataFormat string
	// Activation is applied to the output (Keras: activation). The default
	// is linear: no activation.
	Activation Activation
	// NoBias drops the bias vector (Keras: use_bias=False).
	NoBias bool
	// KernelRegularizer penalizes the kernel (Keras: kernel_regularizer).
	KernelRegularizer Regularizer
	// BiasRegularizer penalizes the bias (Keras: bias_regularizer).
	BiasRegularizer Regularizer
	// Name is the layer's name; empty means Keras's default (conv2d,
	// conv2d_1, ...).
	Name string

	convCore
}

func (l *Conv2D) className() string  { return "Conv2D" }
func (l *Conv2D) nameField() *string { return &l.Name }

func (l *Conv2D) spec() convSpec {
	return convSpec{2, l.Filters, l.KernelSize, l.Strides, l.Padding, l.DataFormat, l.Activation, l.NoBias, l.KernelRegularizer, l.BiasRegularizer}
}

func (l *Conv2D) build(in []int, rng *rand.Rand) ([]int, error) {
	return l.convCore.build(l.spec(), in, rng)
}

func (l *Conv2D) plannedWeights(in []int) []plannedWeight { return l.spec().plannedWeights(in) }
func (l *Conv2D) layerConfig() (obj, error)               { return l.config(l, "Conv2D"), nil }

// Conv1D is a 1-D convolution layer over sequences (Keras:
// keras.layers.Conv1D): Filters kernels of KernelSize steps slide along
// the time axis, and each output step is activation(window·kernel + bias).
//
// Inputs are (batch, steps, channels); outputs are (batch, new steps,
// Filters). Padding "valid" (the default) keeps the kernel inside the
// sequence, "same" pads both ends with zeros to ⌈steps/stride⌉ outputs,
// and "causal" pads only the start, so that output t sees inputs up to t.
//
// The kernel has shape (KernelSize, input channels, Filters) and starts
// Glorot-uniform with Keras's fans; the bias has shape (Filters,) and
// starts at zero.
//
// Each field is a Keras argument; the zero value is the Keras default.
type Conv1D struct {
	// Filters is the number of kernels, the channels of the output (Keras:
	// filters). It is required and must be positive.
	Filters int
	// KernelSize is the window's length in steps (Keras: kernel_size), such
	// as dl.Size{3}. It is required.
	KernelSize Size
	// Strides is the step between windows (Keras: strides). The default
	// is 1.
	Strides Size
	// Padding is "valid" (the default), "same" or "causal" (Keras: padding).
	Padding string
	// DataFormat is the order of the axes; dl supports Keras's default,
	// "channels_last" (Keras: data_format). Leave it empty.
	DataFormat string
	// Activation is applied to the output (Keras: activation). The default
	// is linear: no activation.
	Activation Activation
	// NoBias drops the bias vector (Keras: use_bias=False).
	NoBias bool
	// KernelRegularizer penalizes the kernel (Keras: kernel_regularizer).
	KernelRegularizer Regularizer
	// BiasRegularizer penalizes the bias (Keras: bias_regularizer).
	BiasRegularizer Regularizer
	// Name is the layer's name; empty means Keras's default (conv1d,
	// conv1d_1, ...).
	Name string

	convCore
}

func (l *Conv1D) className() string  { return "Conv1D" }
func (l *Conv1D) nameField() *string { return &l.Name }

func (l *Conv1D) spec() convSpec {
	return convSpec{1, l.Filters, l.KernelSize, l.Strides, l.Padding, l.DataFormat, l.Activation, l.NoBias, l.KernelRegularizer, l.BiasRegularizer}
}

func (l *Conv1D) build(in []int, rng *rand.Rand) ([]int, error) {
	return l.convCore.build(l.spec(), in, rng)
}

func (l *Conv1D) plannedWeights(in []int) []plannedWeight { return l.spec().plannedWeights(in) }
func (l *Conv1D) layerConfig() (obj, error)               { return l.config(l, "Conv1D"), nil }

// sizeField reads a window size that Keras wrote as a list of ints (or, in
// older files, a bare int).
func (r *rawObj) sizeField(key string, dst *Size) error {
	v, ok := r.Config[key]
	if !ok || string(v) == "null" {
		return nil
	}
	var list []int
	if err := json.Unmarshal(v, &list); err == nil {
		*dst = list
		return nil
	}
	var n int
	if err := json.Unmarshal(v, &n); err != nil {
		return fmt.Errorf("%s %q: config key %q: expected an int or a list of ints, received %s", r.ClassName, r.name(), key, v)
	}
	*dst = Size{n}
	return nil
}

// sizeFields reads window sizes in the order given, each kv naming a key
// and the *Size to set.
func (r *rawObj) sizeFields(keys ...kv) error {
	for _, f := range keys {
		if err := r.sizeField(f.k, f.v.(*Size)); err != nil {
			return err
		}
	}
	return nil
}

// convFromConfig reads a Conv1D or Conv2D.
func convFromConfig(_ *loader, r *rawObj) (Layer, error) {
	var s convSpec
	var dilation Size
	groups := 1
	useBias := true
	var act string
	if err := r.fields(kv{"filters", &s.filters}, kv{"padding", &s.padding}, kv{"data_format", &s.dataFormat},
		kv{"groups", &groups}, kv{"activation", &act}, kv{"use_bias", &useBias}); err != nil {
		return nil, err
	}
	if err := r.sizeFields(kv{"kernel_size", &s.kernelSize}, kv{"strides", &s.strides}, kv{"dilation_rate", &dilation}); err != nil {
		return nil, err
	}
	for _, d := range dilation {
		if d != 1 {
			return nil, fmt.Errorf("%s %q has dilation_rate %v, which dl does not support yet (it convolves with dilation_rate 1)", r.ClassName, r.name(), []int(dilation))
		}
	}
	if groups != 1 {
		return nil, fmt.Errorf("%s %q has groups=%d, which dl does not support yet (it convolves with groups=1)", r.ClassName, r.name(), groups)
	}
	if err := r.regularizers(kv{"kernel_regularizer", &s.kernelReg}, kv{"bias_regularizer", &s.biasReg}); err != nil {
		return nil, err
	}
	if err := r.checkActivations(act); err != nil {
		return nil, err
	}
	s.activation, s.noBias = Activation(act), !useBias
	if r.ClassName == "Conv1D" {
		return &Conv1D{Filters: s.filters, KernelSize: s.kernelSize, Strides: s.strides, Padding: s.padding, DataFormat: s.dataFormat,
			Activation: s.activation, NoBias: s.noBias, KernelRegularizer: s.kernelReg, BiasRegularizer: s.biasReg, Name: r.name()}, nil
	}
	return &Conv2D{Filters: s.filters, KernelSize: s.kernelSize, Strides: s.strides, Padding: s.padding, DataFormat: s.dataFormat,
		Activation: s.activation, NoBias: s.noBias, KernelRegularizer: s.kernelReg, BiasRegularizer: s.biasReg, Name: r.name()}, nil
}

// convOp is one application of a Conv1D or Conv2D layer: im2col on the
// GEMM, with its buffers reused from call to call.
type convOp[T float] struct {
	c           *convCore
	x           *tens[T] // the input of the last forward pass
	z, y        *tens[T] // pre-activation and output
	dz, dx      *tens[T]
	cols, dcols []T   // im2col matrix of up to chunk samples, and its gradient
	chunk       int   // samples per im2col pass in the last forward pass
	haveCols    bool  // cols holds the whole batch's windows
	shape       []int // scratch for the output shape
}

// growTo returns s with length n, reallocated only when its capacity is
// too small.
func growTo[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

func (o *convOp[T]) forward(x *tens[T], _ bool, _ *rand.Rand) *tens[T] {
	c, g := o.c, &o.c.geom
	o.x = x
	n := x.shape[0]
	o.shape = append(o.shape[:0], n)
	o.shape = append(o.shape, c.outShape...)
	z := resize(&o.z, o.shape...)
	o.chunk = convChunk(g, n)
	if !g.pointwise() {
		o.cols = growTo(o.cols, o.chunk*g.outPixels()*g.patch())
	}
	var b []T
	if c.bias != nil {
		b = valueOf[T](c.bias)
	}
	convForward(g, x.data, valueOf[T](c.kernel), b, c.filters, n, o.chunk, o.cols, z.data)
	o.haveCols = o.chunk == n
	y := resize(&o.y, o.shape...)
	actForward(c.act, z.data, y.data, c.filters)
	return y
}

func (o *convOp[T]) backward(dy *tens[T], needDX bool) *tens[T] {
	c, g := o.c, &o.c.geom
	n := o.x.shape[0]
	dz := resize(&o.dz, dy.shape...)
	actBackward(c.act, o.z.data, o.y.data, dy.data, dz.data, c.filters)
	var db, dx []T
	if c.bias != nil {
		db = gradOf[T](c.bias)
	}
	var dxT *tens[T]
	if needDX {
		dxT = resize(&o.dx, o.x.shape...)
		dx = dxT.data
		if !g.pointwise() {
			o.dcols = growTo(o.dcols, len(o.cols))
		}
	}
	convBackward(g, o.x.data, valueOf[T](c.kernel), dz.data, c.filters, n, o.chunk, o.haveCols, o.cols, o.dcols, gradOf[T](c.kernel), db, dx)
	return dxT
}
