package dl

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats"
)

// convCases are Conv2D settings covering every option: kernel shapes,
// strides, padding, activation and bias.
var convCases = []struct {
	name string
	l    func() *Conv2D
}{
	{"3x3", func() *Conv2D { return &Conv2D{Filters: 4, KernelSize: Size{3}} }},
	{"3x3 relu", func() *Conv2D { return &Conv2D{Filters: 4, KernelSize: Size{3}, Activation: ReLU} }},
	{"2x3 tanh no bias", func() *Conv2D { return &Conv2D{Filters: 3, KernelSize: Size{2, 3}, Activation: Tanh, NoBias: true} }},
	{"3x3 stride 2", func() *Conv2D { return &Conv2D{Filters: 2, KernelSize: Size{3}, Strides: Size{2}} }},
	{"2x2 strides 2,1 sigmoid", func() *Conv2D {
		return &Conv2D{Filters: 2, KernelSize: Size{2}, Strides: Size{2, 1}, Activation: Sigmoid}
	}},
	{"3x3 same", func() *Conv2D { return &Conv2D{Filters: 3, KernelSize: Size{3}, Padding: "same"} }},
	{"4x4 same stride 2 softmax", func() *Conv2D {
		return &Conv2D{Filters: 3, KernelSize: Size{4}, Strides: Size{2}, Padding: "same", Activation: Softmax}
	}},
	{"2x3 same strides 3,2 no bias", func() *Conv2D {
		return &Conv2D{Filters: 2, KernelSize: Size{2, 3}, Strides: Size{3, 2}, Padding: "SAME", NoBias: true}
	}},
	{"1x1", func() *Conv2D { return &Conv2D{Filters: 5, KernelSize: Size{1}, Activation: ELU} }},
	{"1x1 stride 2", func() *Conv2D { return &Conv2D{Filters: 2, KernelSize: Size{1}, Strides: Size{2}} }},
	{"kernel the size of the input", func() *Conv2D { return &Conv2D{Filters: 2, KernelSize: Size{5, 6}} }},
	{"kernel larger than the input, same", func() *Conv2D {
		return &Conv2D{Filters: 2, KernelSize: Size{7}, Padding: "same", Activation: Swish}
	}},
}

func TestConv2DGradients(t *testing.T) {
	for _, c := range convCases {
		t.Run(c.name, func(t *testing.T) { checkLayerGradients(t, c.l(), 2, 5, 6, 3) })
	}
}

func TestConv1DGradients(t *testing.T) {
	for _, c := range []struct {
		name string
		l    *Conv1D
	}{
		{"3", &Conv1D{Filters: 4, KernelSize: Size{3}}},
		{"3 relu no bias", &Conv1D{Filters: 3, KernelSize: Size{3}, Activation: ReLU, NoBias: true}},
		{"2 stride 2 tanh", &Conv1D{Filters: 2, KernelSize: Size{2}, Strides: Size{2}, Activation: Tanh}},
		{"3 same", &Conv1D{Filters: 2, KernelSize: Size{3}, Padding: "same"}},
		{"4 same stride 3", &Conv1D{Filters: 2, KernelSize: Size{4}, Strides: Size{3}, Padding: "same"}},
		{"3 causal", &Conv1D{Filters: 3, KernelSize: Size{3}, Padding: "causal", Activation: Sigmoid}},
		{"2 causal stride 2 no bias", &Conv1D{Filters: 2, KernelSize: Size{2}, Strides: Size{2}, Padding: "causal", NoBias: true}},
		{"1", &Conv1D{Filters: 3, KernelSize: Size{1}}},
	} {
		t.Run(c.name, func(t *testing.T) { checkLayerGradients(t, c.l, 3, 7, 2) })
	}
}

func TestPoolingGradients(t *testing.T) {
	for _, c := range []struct {
		name string
		l    layer
		in   []int
	}{
		{"max 2x2", &MaxPooling2D{}, []int{2, 5, 6, 3}},
		{"max 3x2 stride 1", &MaxPooling2D{PoolSize: Size{3, 2}, Strides: Size{1}}, []int{2, 5, 6, 2}},
		{"max 2x2 same", &MaxPooling2D{Padding: "same"}, []int{2, 5, 5, 2}},
		{"max 3x3 stride 2 same", &MaxPooling2D{PoolSize: Size{3}, Strides: Size{2}, Padding: "same"}, []int{2, 6, 5, 2}},
		{"average 2x2", &AveragePooling2D{}, []int{2, 5, 6, 3}},
		{"average 3x2 strides 1,2", &AveragePooling2D{PoolSize: Size{3, 2}, Strides: Size{1, 2}}, []int{2, 5, 6, 2}},
		{"average 2x2 same", &AveragePooling2D{Padding: "same"}, []int{2, 5, 5, 2}},
		{"average 3x3 stride 2 same", &AveragePooling2D{PoolSize: Size{3}, Strides: Size{2}, Padding: "same"}, []int{2, 6, 5, 2}},
		{"max 1D", &MaxPooling1D{}, []int{3, 7, 2}},
		{"max 1D 3 stride 1", &MaxPooling1D{PoolSize: Size{3}, Strides: Size{1}}, []int{3, 7, 2}},
		{"max 1D same", &MaxPooling1D{PoolSize: Size{3}, Padding: "same"}, []int{3, 7, 2}},
		{"global average", &GlobalAveragePooling2D{}, []int{2, 3, 4, 5}},
		{"global average keepdims", &GlobalAveragePooling2D{KeepDims: true}, []int{2, 3, 4, 5}},
		{"flatten", &Flatten{}, []int{2, 3, 4, 5}},
		{"flatten 1D", &Flatten{}, []int{3, 4}},
	} {
		t.Run(c.name, func(t *testing.T) { checkLayerGradients(t, c.l, c.in...) })
	}
}

// TestConvChunks checks a convolution whose batch does not fit in one
// im2col buffer: it runs a few samples at a time, rebuilds the windows in
// backward, and gives the same numbers.
func TestConvChunks(t *testing.T) {
	defer func(v int) { maxColsValues = v }(maxColsValues)
	rng := rand.New(rand.NewPCG(3, 5))
	x := randTensor(rng, 5, 6, 6, 2)
	dy := randTensor(rng, 5, 4, 4, 3)
	run := func() (y, dx, dk, db []float64) {
		l := &Conv2D{Filters: 3, KernelSize: Size{3}, Activation: Tanh}
		if err := buildLayer(l, []int{6, 6, 2}, rand.New(rand.NewPCG(1, 1))); err != nil {
			t.Fatal(err)
		}
		o := testOp(l)
		y = append(y, o.forward(x, true, nil).data...)
		dx = append(dx, o.backward(dy, true).data...)
		return y, dx, l.kernel.grad.data, l.bias.grad.data
	}
	y1, dx1, dk1, db1 := run()
	maxColsValues = 2 * 16 * 18 // two samples at a time
	y2, dx2, dk2, db2 := run()
	for _, c := range [][2][]float64{{y1, y2}, {dx1, dx2}, {dk1, dk2}, {db1, db2}} {
		if !floats.EqualApprox(c[0], c[1], 1e-12) {
			t.Fatalf("chunked convolution differs:\n%v\n%v", c[0], c[1])
		}
	}
	maxColsValues = 1
	checkLayerGradients(t, &Conv2D{Filters: 2, KernelSize: Size{2}, Padding: "same"}, 3, 3, 4, 2)
}

// naiveConv2D is the definition of a convolution, for comparison with
// im2col: y[n,i,j,f] = b[f] + Σ x[n, i·sh-padT+ky, j·sw-padL+kx, c]·k[ky,kx,c,f].
func naiveConv2D(g window, x, k, b []float64, n, filters int) []float64 {
	y := make([]float64, n*g.oh*g.ow*filters)
	for s := 0; s < n; s++ {
		for i := 0; i < g.oh; i++ {
			for j := 0; j < g.ow; j++ {
				for f := 0; f < filters; f++ {
					v := 0.0
					if b != nil {
						v = b[f]
					}
					for ky := 0; ky < g.kh; ky++ {
						for kx := 0; kx < g.kw; kx++ {
							iy, ix := i*g.sh-g.padT+ky, j*g.sw-g.padL+kx
							if iy < 0 || iy >= g.h || ix < 0 || ix >= g.w {
								continue
							}
							for c := 0; c < g.c; c++ {
								v += x[((s*g.h+iy)*g.w+ix)*g.c+c] * k[((ky*g.kw+kx)*g.c+c)*filters+f]
							}
						}
					}
					y[((s*g.oh+i)*g.ow+j)*filters+f] = v
				}
			}
		}
	}
	return y
}

func TestConv2DMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	for _, c := range convCases {
		t.Run(c.name, func(t *testing.T) {
			l := c.l()
			l.Activation = ""
			if err := buildLayer(l, []int{5, 6, 3}, rng); err != nil {
				t.Fatal(err)
			}
			x := randTensor(rng, 2, 5, 6, 3)
			var b []float64
			if l.bias != nil {
				b = l.bias.value.data
				copy(b, randTensor(rng, len(b)).data)
			}
			y := testOp(l).forward(x, false, nil)
			want := naiveConv2D(l.geom, x.data, l.kernel.value.data, b, 2, l.Filters)
			if !floats.EqualApprox(y.data, want, 1e-12) {
				t.Errorf("im2col convolution\n got %v\nwant %v", y.data, want)
			}
		})
	}
}

// TestConvShapes checks output shapes and parameter counts against
// Keras's rules: valid ⌊(n-k)/s⌋+1, same ⌈n/s⌉, causal ⌈n/s⌉.
func TestConvShapes(t *testing.T) {
	for _, c := range []struct {
		l      layer
		in     []int
		out    []int
		params int
	}{
		{&Conv2D{Filters: 16, KernelSize: Size{3}}, []int{8, 8, 1}, []int{6, 6, 16}, 160},
		{&Conv2D{Filters: 32, KernelSize: Size{3}}, []int{3, 3, 16}, []int{1, 1, 32}, 4640},
		{&Conv2D{Filters: 8, KernelSize: Size{3, 5}, Strides: Size{2}, NoBias: true}, []int{28, 28, 3}, []int{13, 12, 8}, 360},
		{&Conv2D{Filters: 4, KernelSize: Size{3}, Strides: Size{2}, Padding: "same"}, []int{7, 8, 2}, []int{4, 4, 4}, 76},
		{&Conv2D{Filters: 4, KernelSize: []int{2, 1}, Strides: Size{2, 2}, Padding: "same", NoBias: true}, []int{1, 1, 16}, []int{1, 1, 4}, 128},
		{&Conv1D{Filters: 4, KernelSize: Size{3}}, []int{10, 3}, []int{8, 4}, 40},
		{&Conv1D{Filters: 4, KernelSize: Size{3}, Strides: Size{2}, Padding: "causal"}, []int{10, 3}, []int{5, 4}, 40},
		{&MaxPooling2D{}, []int{6, 6, 16}, []int{3, 3, 16}, 0},
		{&MaxPooling2D{}, []int{7, 5, 2}, []int{3, 2, 2}, 0},
		{&MaxPooling2D{Padding: "same"}, []int{7, 5, 2}, []int{4, 3, 2}, 0},
		{&MaxPooling2D{PoolSize: Size{3}, Strides: Size{1}}, []int{7, 5, 2}, []int{5, 3, 2}, 0},
		{&AveragePooling2D{PoolSize: Size{2, 3}}, []int{7, 7, 1}, []int{3, 2, 1}, 0},
		{&MaxPooling1D{}, []int{9, 4}, []int{4, 4}, 0},
		{&MaxPooling1D{PoolSize: Size{3}, Strides: Size{2}, Padding: "same"}, []int{9, 4}, []int{5, 4}, 0},
		{&GlobalAveragePooling2D{}, []int{3, 3, 16}, []int{16}, 0},
		{&GlobalAveragePooling2D{KeepDims: true}, []int{3, 3, 16}, []int{1, 1, 16}, 0},
		{&Flatten{}, []int{1, 1, 32}, []int{32}, 0},
		{&Flatten{}, []int{4, 4}, []int{16}, 0},
	} {
		if err := buildLayer(c.l, c.in, rand.New(rand.NewPCG(1, 1))); err != nil {
			t.Errorf("%s on %v: %v", c.l.className(), c.in, err)
			continue
		}
		if got := c.l.base().outShape; !equalShape(got, c.out) {
			t.Errorf("%s on %v: output shape %v, want %v", c.l.className(), c.in, got, c.out)
		}
		if got := countParams(c.l); got != c.params {
			t.Errorf("%s on %v: %d parameters, want %d", c.l.className(), c.in, got, c.params)
		}
	}
}

// TestConvGlorotFans checks the kernel's initial range: Keras's fans for a
// convolution are the receptive field times the channels.
func TestConvGlorotFans(t *testing.T) {
	l := &Conv2D{Filters: 16, KernelSize: Size{3}}
	if err := buildLayer(l, []int{8, 8, 2}, rand.New(rand.NewPCG(1, 2))); err != nil {
		t.Fatal(err)
	}
	limit := math.Sqrt(6 / float64(9*2+9*16))
	lo, hi := floats.Min(l.kernel.value.data), floats.Max(l.kernel.value.data)
	if lo < -limit || hi > limit || hi < 0.9*limit || lo > -0.9*limit {
		t.Errorf("kernel values in [%v, %v], want U(-%v, %v)", lo, hi, limit, limit)
	}
	for _, v := range l.bias.value.data {
		if v != 0 {
			t.Fatalf("bias starts at %v, want 0", v)
		}
	}
}

func TestConvErrors(t *testing.T) {
	for _, c := range []struct {
		l    layer
		in   []int
		want string
	}{
		{&Conv2D{KernelSize: Size{3}, Name: "c"}, []int{8, 8, 1},
			`received an invalid value for Filters, expected a positive integer (Keras: filters); received Filters=0`},
		{&Conv2D{Filters: -2, KernelSize: Size{3}}, []int{8, 8, 1}, "received Filters=-2"},
		{&Conv2D{Filters: 4}, []int{8, 8, 1}, "KernelSize is required (Keras: kernel_size)"},
		{&Conv2D{Filters: 4, KernelSize: Size{3, 3, 3}}, []int{8, 8, 1},
			"received an invalid value for KernelSize, expected 1 or 2 positive integers (Keras: an int or a tuple of 2), such as dl.Size{3} or dl.Size{3, 3}; received KernelSize=[3 3 3]"},
		{&Conv2D{Filters: 4, KernelSize: Size{0}}, []int{8, 8, 1}, "received KernelSize=[0]"},
		{&Conv2D{Filters: 4, KernelSize: Size{3}, Strides: Size{0, 1}}, []int{8, 8, 1}, "received Strides=[0 1]"},
		{&Conv1D{Filters: 4, KernelSize: Size{3, 3}}, []int{8, 1}, "expected a positive integer (Keras: an int or a tuple of 1); received KernelSize=[3 3]"},
		{&Conv2D{Filters: 4, KernelSize: Size{3}, Padding: "full"}, []int{8, 8, 1},
			`received an invalid value for Padding, expected "valid" or "same" (Keras: padding); received Padding="full"`},
		{&Conv2D{Filters: 4, KernelSize: Size{3}, Padding: "causal"}, []int{8, 8, 1}, `received Padding="causal"`},
		{&Conv2D{Filters: 4, KernelSize: Size{3}, DataFormat: "channels_first"}, []int{1, 8, 8},
			`dl supports only DataFormat "channels_last", data as (height, width, channels); received DataFormat="channels_first"`},
		{&Conv2D{Filters: 4, KernelSize: Size{3}, DataFormat: "NHWC"}, []int{8, 8, 1}, `received DataFormat="NHWC"`},
		{&Conv2D{Filters: 4, KernelSize: Size{3}, Activation: "relux"}, []int{8, 8, 1}, `unknown activation "relux"`},
		{&Conv2D{Filters: 4, KernelSize: Size{3}}, []int{64},
			"needs 4-D input (batch, height, width, channels) but received shape (None, 64) (Keras: expected ndim=4, found ndim=2): " +
				"give each image its channel axis, e.g. Input(8, 8, 1) for 8×8 grey images, with the data reshaped to (samples, 8, 8, 1)"},
		{&Conv2D{Filters: 4, KernelSize: Size{3}}, []int{8, 8}, "needs 4-D input (batch, height, width, channels) but received shape (None, 8, 8)"},
		{&Conv1D{Filters: 4, KernelSize: Size{3}}, []int{10}, "needs 3-D input (batch, steps, channels) but received shape (None, 10)"},
		{&Conv2D{Filters: 4, KernelSize: Size{3}}, []int{2, 2, 1},
			`computed output size would be zero or negative: the kernel (3, 3) does not fit in inputs of shape (None, 2, 2, 1) with Padding "valid"; ` +
				`use a smaller KernelSize, Padding: "same", or fewer layers that shrink the data before this one`},
		{&Conv1D{Filters: 4, KernelSize: Size{5}}, []int{4, 1}, "the kernel (5,) does not fit in inputs of shape (None, 4, 1)"},
		{&MaxPooling2D{PoolSize: Size{3}}, []int{2, 8, 1}, "the pooling window (3, 3) does not fit in inputs of shape (None, 2, 8, 1)"},
		{&MaxPooling2D{}, []int{8, 8}, "needs 4-D input (batch, height, width, channels)"},
		{&AveragePooling2D{Strides: Size{-1}}, []int{8, 8, 1}, "received Strides=[-1]"},
		{&MaxPooling1D{PoolSize: Size{2, 2}}, []int{8, 1}, "received PoolSize=[2 2]"},
		{&MaxPooling1D{Padding: "causal"}, []int{8, 1}, `received Padding="causal"`},
		{&GlobalAveragePooling2D{}, []int{8, 1}, "needs 4-D input (batch, height, width, channels)"},
		{&Flatten{DataFormat: "channels_first"}, []int{8, 1}, `dl supports only DataFormat "channels_last"`},
		{&Conv2D{Filters: 1 << 20, KernelSize: Size{1 << 10}, Padding: "same"}, []int{2, 2, 1 << 10}, "is too large"},
		{&Conv2D{Filters: 1 << 12, KernelSize: Size{1}}, []int{1 << 10, 1 << 10, 1}, "its output would have 4294967296 values per sample, which is too large"},
	} {
		layerName(c.l)
		err := buildLayer(c.l, c.in, rand.New(rand.NewPCG(1, 1)))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s on %v: error %v, want it to contain %q", c.l.className(), c.in, err, c.want)
		}
	}

	// In a model, the error names the layer.
	ClearSession()
	m := NewSequential(Input(64), &Conv2D{Filters: 4, KernelSize: Size{3}}, &Flatten{}, &Dense{Units: 1})
	err := m.Compile(CompileOptions{Optimizer: "adam", Loss: "mse"})
	if err == nil || !strings.Contains(err.Error(), `layer "conv2d" (Conv2D): needs 4-D input`) {
		t.Errorf("Conv2D on vectors: %v", err)
	}
	m = NewSequential(Input(8, 8, 1), &Conv2D{Filters: 4, KernelSize: Size{3}}, &Conv2D{Filters: 4, KernelSize: Size{3}},
		&Conv2D{Filters: 4, KernelSize: Size{3}}, &Conv2D{Filters: 4, KernelSize: Size{3}})
	err = m.Compile(CompileOptions{Optimizer: "adam", Loss: "mse"})
	if err == nil || !strings.Contains(err.Error(), `layer "conv2d_4" (Conv2D): computed output size would be zero or negative: the kernel (3, 3) does not fit in inputs of shape (None, 2, 2, 4)`) {
		t.Errorf("a fourth 3×3 convolution on 8×8 images: %v", err)
	}
}

// cnn returns the lecture's small CNN (BenchmarkLecture/m6's model).
func cnn() *Sequential {
	return NewSequential(Input(8, 8, 1),
		&Conv2D{Filters: 16, KernelSize: Size{3}, Activation: ReLU},
		&MaxPooling2D{PoolSize: Size{2}},
		&Conv2D{Filters: 32, KernelSize: Size{3}, Activation: ReLU},
		&Flatten{},
		&Dense{Units: 10, Activation: Softmax})
}

func TestCNNNamesAndParams(t *testing.T) {
	ClearSession()
	m := cnn()
	Check(m.Compile(CompileOptions{Optimizer: "adam", Loss: "sparse_categorical_crossentropy"}))
	var names []string
	for _, l := range m.Layers() {
		names = append(names, layerName(asLayer(l)))
	}
	if got := fmt.Sprint(names); got != "[conv2d max_pooling2d conv2d_1 flatten dense]" {
		t.Errorf("layer names %s", got)
	}
	if n := m.CountParams(); n != 5130 {
		t.Errorf("%d parameters, want 5,130", n)
	}
	for _, l := range []Layer{&GlobalAveragePooling2D{}, &AveragePooling2D{}, &Conv1D{}, &MaxPooling1D{}} {
		if n := layerName(l.(layer)); n != map[string]string{"GlobalAveragePooling2D": "global_average_pooling2d",
			"AveragePooling2D": "average_pooling2d", "Conv1D": "conv1d", "MaxPooling1D": "max_pooling1d"}[l.(layer).className()] {
			t.Errorf("%s is named %q", l.(layer).className(), n)
		}
	}
}

// TestCNNModelGradients checks a whole CNN's chain (convolutions, pooling,
// flatten, dense, loss and penalties) against finite differences.
func TestCNNModelGradients(t *testing.T) {
	ClearSession()
	SetRandomSeed(DefaultSeed)
	in := Input(6, 6, 2)
	c1 := Call(&Conv2D{Filters: 3, KernelSize: Size{3}, Padding: "same", Activation: Tanh, KernelRegularizer: L2(0.01)}, in)
	p1 := Call(&MaxPooling2D{}, c1)
	a1 := Call(&AveragePooling2D{PoolSize: Size{2}, Strides: Size{1}}, c1)
	g := Call(&GlobalAveragePooling2D{}, Call(&Conv2D{Filters: 4, KernelSize: Size{2}, Activation: Sigmoid, BiasRegularizer: L1(0.01)}, p1))
	f := Call(&Flatten{}, a1)
	out := Call(&Dense{Units: 3, Activation: Softmax}, Concat(g, f))
	m := Must(NewModel(in, out))
	Check(m.Compile(CompileOptions{Optimizer: &SGD{}, Loss: "categorical_crossentropy"}))
	rng := rand.New(rand.NewPCG(9, 9))
	x := randTensor(rng, 4, 6, 6, 2)
	y := FromRows([][]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 0}})
	checkModelGradients(t, m, []*Tensor{x}, []*Tensor{y})
}

// TestCNNTrainStepDoesNotAllocate checks the buffer discipline of the
// convolution and pooling layers: once a batch size has been seen, a
// training step and an inference pass allocate nothing, in both dtypes.
func TestCNNTrainStepDoesNotAllocate(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for name, c := range map[string]struct {
		layers []Layer
		x      *Tensor
	}{
		"m6": {cnn().Layers(), randTensor(rng, 32, 8, 8, 1)},
		"every layer": {[]Layer{Input(9, 9, 2), &Conv2D{Filters: 4, KernelSize: Size{3}, Padding: "same", Strides: Size{2}},
			&AveragePooling2D{Padding: "same"}, &Conv2D{Filters: 3, KernelSize: Size{1}}, &GlobalAveragePooling2D{}, &Dense{Units: 10}},
			randTensor(rng, 20, 9, 9, 2)},
		"1D": {[]Layer{Input(12, 3), &Conv1D{Filters: 4, KernelSize: Size{3}, Padding: "causal", Activation: ReLU},
			&MaxPooling1D{}, &Conv1D{Filters: 2, KernelSize: Size{2}}, &Flatten{}, &Dense{Units: 10}}, randTensor(rng, 20, 12, 3)},
	} {
		t.Run(name, func(t *testing.T) {
			ClearSession()
			m := NewSequential(c.layers...)
			Check(m.Compile(CompileOptions{Optimizer: "adam", Loss: "sparse_categorical_crossentropy"}))
			checkStepAllocs(t, &m.Model, c.x, Zeros(c.x.shape[0], 1))
		})
	}
}

// TestCNNSaveLoad saves models with every new layer and option and loads
// them back: the same architecture, names and predictions.
func TestCNNSaveLoad(t *testing.T) {
	ClearSession()
	SetRandomSeed(DefaultSeed)
	rng := rand.New(rand.NewPCG(4, 4))
	models := map[string]struct {
		m *Model
		x *Tensor
	}{
		"cnn": {&cnn().Model, randTensor(rng, 3, 8, 8, 1)},
		"options": {&NewSequential(Input(9, 7, 2),
			&Conv2D{Filters: 3, KernelSize: Size{3, 2}, Strides: Size{2, 1}, Padding: "same", Activation: Tanh, NoBias: true,
				KernelRegularizer: L2(0.01), Name: "first"},
			&AveragePooling2D{PoolSize: Size{2, 3}, Strides: Size{1}, Padding: "same"},
			&MaxPooling2D{PoolSize: Size{2}, Strides: Size{1, 2}},
			&Conv2D{Filters: 2, KernelSize: Size{1}, BiasRegularizer: L1(0.02)},
			&GlobalAveragePooling2D{KeepDims: true}, &Flatten{}, &Dense{Units: 2}).Model, randTensor(rng, 3, 9, 7, 2)},
		"1D": {&NewSequential(Input(10, 3),
			&Conv1D{Filters: 4, KernelSize: Size{3}, Padding: "causal", Activation: ReLU},
			&MaxPooling1D{PoolSize: Size{3}, Strides: Size{1}, Padding: "same"},
			&Conv1D{Filters: 2, KernelSize: Size{2}, Strides: Size{2}, NoBias: true},
			&Flatten{}, &Dense{Units: 1}).Model, randTensor(rng, 3, 10, 3)},
	}
	for name, c := range models {
		t.Run(name, func(t *testing.T) {
			Check(c.m.Compile(CompileOptions{Optimizer: "adam", Loss: "mse"}))
			want := Must(c.m.Predict(c.x, PredictOptions{Verbose: Silent}))
			path := filepath.Join(t.TempDir(), "m.keras")
			Check(c.m.Save(path))
			got, err := LoadModel(path)
			if err != nil {
				t.Fatal(err)
			}
			if a, b := c.m.summaryText(0), got.summaryText(0); a != b {
				t.Errorf("summary after loading:\n%s\nbefore:\n%s", b, a)
			}
			p := Must(got.Predict(c.x, PredictOptions{Verbose: Silent}))
			if !floats.Equal(p.data, want.data) {
				t.Errorf("predictions after loading differ")
			}
			cfg, _ := c.m.kerasConfig()
			cfg2, _ := got.kerasConfig()
			if a, b := fmt.Sprint(Must(cfg.MarshalJSON())), fmt.Sprint(Must(cfg2.MarshalJSON())); a != b {
				t.Errorf("config after loading differs")
			}
		})
	}
}

// TestCNNLearns checks that the lecture's CNN learns to tell apart images
// whose bright pixels are in the top or the bottom half.
func TestCNNLearns(t *testing.T) {
	ClearSession()
	SetRandomSeed(DefaultSeed)
	rng := rand.New(rand.NewPCG(31, 32))
	n := 200
	x, y := Zeros(n, 8, 8, 1), Zeros(n, 1)
	for i := 0; i < n; i++ {
		label := i % 2
		y.data[i] = float64(label)
		for p := 0; p < 64; p++ {
			v := 0.3 * rng.Float64()
			if (p/32 == label) && rng.Float64() < 0.5 {
				v += 0.7
			}
			x.data[i*64+p] = v
		}
	}
	m := cnn()
	m.Seed = 5
	Check(m.Compile(CompileOptions{Optimizer: "adam", Loss: "sparse_categorical_crossentropy", Metrics: []string{"accuracy"}}))
	h, err := m.Fit(x, y, FitOptions{Epochs: 15, ValidationSplit: 0.2, Verbose: Silent})
	if err != nil {
		t.Fatal(err)
	}
	if acc := h.History["val_accuracy"]; acc[len(acc)-1] < 0.95 {
		t.Errorf("validation accuracy %v", acc)
	}
}
