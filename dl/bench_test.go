package dl_test

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/dlgo/dlgo/dl"
)

// normal returns a tensor of standard-normal values.
func normal(rng *rand.Rand, shape ...int) *dl.Tensor {
	t := dl.Zeros(shape...)
	for i := range t.Data() {
		t.Data()[i] = rng.NormFloat64()
	}
	return t
}

// lectureBench describes one of the lecture models m1–m6 of
// bench/torch_lecture.py and bench/keras_lecture.py: its model, data and
// settings.
type lectureBench struct {
	name  string
	model func() *dl.Model
	opt   dl.CompileOptions
	data  func(rng *rand.Rand) (x dl.Inputs, y *dl.Tensor)
}

var lectureBenches = []lectureBench{
	{
		// m1: chapter 7's dropout model, 455 rows (364 train / 91 validation).
		name:  "m1",
		model: func() *dl.Model { return &lectureDropoutModel().Model },
		opt:   dl.CompileOptions{Optimizer: "adam", Loss: "binary_crossentropy", Metrics: []string{"accuracy"}},
		data: func(rng *rand.Rand) (dl.Inputs, *dl.Tensor) {
			x := normal(rng, 455, 30)
			y := dl.Zeros(455, 1)
			for i := 0; i < 455; i++ {
				if x.At(i, 0)+x.At(i, 1)+x.At(i, 2) > 0 {
					y.Set(1, i, 0)
				}
			}
			return x, y
		},
	},
	{
		// m2: chapter 8's two-input model, 300 rows (240 / 60).
		name: "m2",
		model: func() *dl.Model {
			in1, in2 := dl.Input(10), dl.Input(5)
			h := dl.Concat(dl.Call(&dl.Dense{Units: 10, Activation: "relu"}, in1), dl.Call(&dl.Dense{Units: 20, Activation: "relu"}, in2))
			out := dl.Call(&dl.Dense{Units: 1}, dl.Call(&dl.Dense{Units: 8, Activation: "relu"}, h))
			return dl.Must(dl.NewModel(dl.Nodes{in1, in2}, out))
		},
		opt: dl.CompileOptions{Optimizer: "adam", Loss: "mse"},
		data: func(rng *rand.Rand) (dl.Inputs, *dl.Tensor) {
			x1, x2 := normal(rng, 300, 10), normal(rng, 300, 5)
			y := dl.Zeros(300, 1)
			for i := 0; i < 300; i++ {
				y.Set(x1.At(i, 0)-2*x2.At(i, 0)+0.1*rng.NormFloat64(), i, 0)
			}
			return dl.Tensors{x1, x2}, y
		},
	},
	{
		// m3: chapter 9's SimpleRNN(8) on 4-step windows of a sine, 150 rows (120 / 30).
		name:  "m3",
		model: func() *dl.Model { return recurrentModel(&dl.SimpleRNN{Units: 8}) },
		opt:   dl.CompileOptions{Optimizer: &dl.Adam{LearningRate: 0.01}, Loss: "mse"},
		data:  sineWindows,
	},
	{
		// m4: the same with LSTM(16).
		name:  "m4",
		model: func() *dl.Model { return recurrentModel(&dl.LSTM{Units: 16}) },
		opt:   dl.CompileOptions{Optimizer: &dl.Adam{LearningRate: 0.01}, Loss: "mse"},
		data:  sineWindows,
	},
	{
		// m5: a wide MLP, 10,000 rows (8,000 / 2,000); GEMM-bound.
		name:  "m5",
		model: func() *dl.Model { return m5Model(512) },
		opt:   m5Options,
		data:  m5Data,
	},
	{
		// m6: a small CNN on 1,797 8×8 images, the digits data's shape
		// (1,437 / 360): Input(8, 8, 1) → Conv2D(16, 3, relu) →
		// MaxPooling2D(2) → Conv2D(32, 3, relu) → Flatten → Dense(10,
		// softmax), 5,130 parameters.
		name: "m6",
		model: func() *dl.Model {
			return &dl.NewSequential(dl.Input(8, 8, 1),
				&dl.Conv2D{Filters: 16, KernelSize: dl.Size{3}, Activation: "relu"},
				&dl.MaxPooling2D{PoolSize: dl.Size{2}},
				&dl.Conv2D{Filters: 32, KernelSize: dl.Size{3}, Activation: "relu"},
				&dl.Flatten{},
				&dl.Dense{Units: 10, Activation: "softmax"}).Model
		},
		opt:  dl.CompileOptions{Optimizer: "adam", Loss: "sparse_categorical_crossentropy", Metrics: []string{"accuracy"}},
		data: m6Data,
	},
}

// m6Data returns 1,797 images of 8×8 uniform pixels in [0, 16], as the
// digits data holds them, with random labels of 10 classes.
func m6Data(rng *rand.Rand) (dl.Inputs, *dl.Tensor) {
	x := dl.Zeros(1797, 8, 8, 1)
	for i := range x.Data() {
		x.Data()[i] = 16 * rng.Float64()
	}
	y := dl.Zeros(1797)
	for i := range y.Data() {
		y.Data()[i] = float64(rng.IntN(10))
	}
	return x, y
}

// m5Options are m5's compile options (Adam with Keras's defaults).
var m5Options = dl.CompileOptions{Optimizer: "adam", Loss: "categorical_crossentropy", Metrics: []string{"accuracy"}}

// m5Model is m5's MLP 784 → Dense(width) relu → Dense(width) relu →
// Dense(10) softmax; the lecture's width is 512.
func m5Model(width int) *dl.Model {
	return &dl.NewSequential(dl.Input(784),
		&dl.Dense{Units: width, Activation: "relu"},
		&dl.Dense{Units: width, Activation: "relu"},
		&dl.Dense{Units: 10, Activation: "softmax"}).Model
}

// m5Data returns m5's 10,000 rows of uniform pixels with random one-hot
// labels of 10 classes.
func m5Data(rng *rand.Rand) (dl.Inputs, *dl.Tensor) {
	x := dl.Zeros(10000, 784)
	for i := range x.Data() {
		x.Data()[i] = rng.Float64()
	}
	y := dl.Zeros(10000, 10)
	for i := 0; i < 10000; i++ {
		y.Set(1, i, rng.IntN(10))
	}
	return x, y
}

// recurrentModel is Input(4, 1) → the recurrent layer → Dense(1).
func recurrentModel(rnn dl.Layer) *dl.Model {
	return &dl.NewSequential(dl.Input(4, 1), rnn, &dl.Dense{Units: 1}).Model
}

// sineWindows returns 150 windows of 4 steps of sin(0.2·t) and the value
// that follows each, as bench/torch_lecture.py makes them.
func sineWindows(*rand.Rand) (dl.Inputs, *dl.Tensor) {
	s := make([]float64, 155)
	for i := range s {
		s[i] = math.Sin(float64(i) * 0.2)
	}
	x, y := dl.Zeros(150, 4, 1), dl.Zeros(150, 1)
	for i := 0; i < 150; i++ {
		copy(x.Data()[i*4:], s[i:i+4])
		y.Set(s[i+4], i, 0)
	}
	return x, y
}

// BenchmarkLecture measures one training epoch (all training steps plus the
// validation pass) of the lecture models, with validation_split 0.2 and
// batch size 32, as bench/torch_lecture.py and bench/keras_lecture.py do for
// PyTorch and Keras: mN in dl's default dtype (float64), mN_f32 in float32.
// The first epoch runs before the timer starts, so allocs/op shows the
// steady state.
func BenchmarkLecture(b *testing.B) {
	for _, lb := range lectureBenches {
		b.Run(lb.name, func(b *testing.B) { benchEpochs(b, lb, "") })
		b.Run(lb.name+"_f32", func(b *testing.B) { benchEpochs(b, lb, "float32") })
	}
}

// BenchmarkM5Width measures one training epoch of m5 with hidden widths
// 512 (the lecture's, the same as BenchmarkLecture/m5), 1024 and 2048, in
// float64 and (WIDTH_f32) float32: how dl scales as the GEMMs grow.
// bench/run --width-sweep compares it with Keras at the same widths.
func BenchmarkM5Width(b *testing.B) {
	for _, width := range []int{512, 1024, 2048} {
		lb := lectureBench{
			name:  strconv.Itoa(width),
			model: func() *dl.Model { return m5Model(width) },
			opt:   m5Options,
			data:  m5Data,
		}
		b.Run(lb.name, func(b *testing.B) { benchEpochs(b, lb, "") })
		b.Run(lb.name+"_f32", func(b *testing.B) { benchEpochs(b, lb, "float32") })
	}
}

// benchEpochs times the epochs of lb in dtype (empty: the default), after
// one untimed epoch, as bench/keras_lecture.py times Keras's: from
// on_epoch_begin to on_epoch_end of one Fit, so that Fit's setup, which a
// Fit of 20 epochs pays once, is not counted.
func benchEpochs(b *testing.B, lb lectureBench, dtype string) {
	dl.ClearSession()
	dl.SetRandomSeed(dl.DefaultSeed)
	x, y := lb.data(rand.New(rand.NewPCG(1, 2)))
	model := lb.model()
	model.Dtype = dtype
	opt := lb.opt
	if a, ok := opt.Optimizer.(*dl.Adam); ok {
		opt.Optimizer = &dl.Adam{LearningRate: a.LearningRate} // an optimizer serves one model
	}
	if err := model.Compile(opt); err != nil {
		b.Fatal(err)
	}
	opts := dl.FitOptions{Epochs: 1, BatchSize: 32, ValidationSplit: 0.2, Verbose: dl.Silent}
	if _, err := model.Fit(x, y, opts); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.StopTimer()
	b.ResetTimer()
	opts.Epochs = b.N
	timer := &epochTimer{b: b}
	opts.Callbacks = []dl.Callback{timer}
	if _, err := model.Fit(x, y, opts); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(timer.total.Nanoseconds())/float64(b.N), "ns/op")
}

// epochTimer times the epochs of a benchmark's Fit of b.N epochs, as
// bench/keras_lecture.py times Keras's, from on_epoch_begin to
// on_epoch_end: ns/op is their mean. The benchmark's own timer runs from
// the first epoch's beginning to the last one's end, once, for allocs/op
// and to choose b.N: b.StartTimer and b.StopTimer read the memory
// statistics, which stops the world and, with two threads, wakes the
// other one, so starting and stopping it around every epoch would time
// the benchmark's overhead too (about a tenth of m1's epoch).
type epochTimer struct {
	dl.BaseCallback
	b     *testing.B
	start time.Time
	total time.Duration
}

func (t *epochTimer) OnEpochBegin(epoch int, _ dl.Logs) error {
	if epoch == 0 {
		t.b.StartTimer()
	}
	t.start = time.Now()
	return nil
}

func (t *epochTimer) OnEpochEnd(epoch int, _ dl.Logs) error {
	t.total += time.Since(t.start)
	if epoch == t.b.N-1 {
		t.b.StopTimer()
	}
	return nil
}
