package dl_test

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dlgo/dlgo/dl"
	"github.com/dlgo/dlgo/dl/prep"
)

// misuseCase is one way a student can misuse dl: run does it and returns
// the error of the verb that must report it; want is a part of the
// message that the error must contain, or "" if the call must succeed.
// is, when set, must be in the error's chain (errors.Is).
type misuseCase struct {
	name string
	run  func() error
	want string
	is   error
}

var errStop = errors.New("stop here")

// adder adds a layer to the model during Fit.
type adder struct {
	dl.BaseCallback
	seq *dl.Sequential
}

func (a *adder) OnEpochEnd(int, dl.Logs) error {
	a.seq.Add(&dl.Dense{Units: 1})
	return nil
}

// failing is a callback that fails at the end of the first epoch.
type failing struct{ dl.BaseCallback }

func (f *failing) OnEpochEnd(int, dl.Logs) error { return errStop }

// Data and models shared by the cases.
var (
	x3 = dl.FromRows([][]float64{{0, 1, 2}, {1, 0, 1}, {2, 2, 0}, {0, 0, 1}, {1, 1, 1}, {2, 0, 2}, {0, 2, 2}, {1, 2, 0}})
	y1 = dl.FromRows([][]float64{{1}, {0}, {1}, {0}, {1}, {0}, {1}, {0}})
)

// dense3 returns a compiled model for x3 and y1.
func dense3() *dl.Sequential {
	m := dl.NewSequential(dl.Input(3), &dl.Dense{Units: 4, Activation: "relu"}, &dl.Dense{Units: 1, Activation: "sigmoid"})
	dl.Check(m.Compile(dl.CompileOptions{Optimizer: "adam", Loss: "binary_crossentropy", Metrics: []string{"accuracy"}}))
	return m
}

// compileWith compiles a fresh model with opts.
func compileWith(opts dl.CompileOptions) error {
	return dl.NewSequential(dl.Input(3), &dl.Dense{Units: 1}).Compile(opts)
}

// compileLayers builds a Sequential from layers and compiles it, which
// reports a mistake in the layers.
func compileLayers(layers ...dl.Layer) error {
	return dl.NewSequential(layers...).Compile(dl.CompileOptions{Optimizer: "adam", Loss: "mse"})
}

// fitWith fits a fresh compiled model with opts.
func fitWith(opts dl.FitOptions) error {
	opts.Verbose = orSilent(opts.Verbose)
	_, err := dense3().Fit(x3, y1, opts)
	return err
}

// orSilent keeps a Verbose under test, and makes the others silent.
func orSilent(v int) int {
	if v == 0 {
		return dl.Silent
	}
	return v
}

// fitXY fits a fresh compiled model on x and y.
func fitXY(x, y dl.Inputs) error {
	_, err := dense3().Fit(x, y, dl.FitOptions{Verbose: dl.Silent})
	return err
}

// twoInputs returns a compiled functional model with inputs of 3 and 2
// features and two outputs.
func twoInputs() *dl.Model {
	a, b := dl.Input(3), dl.Input(2)
	h := dl.Concat(dl.Call(&dl.Dense{Units: 4}, a), b)
	m := dl.Must(dl.NewModel(dl.Nodes{a, b}, dl.Nodes{dl.Call(&dl.Dense{Units: 1}, h), dl.Call(&dl.Dense{Units: 2}, h)}))
	dl.Check(m.Compile(dl.CompileOptions{Optimizer: "adam", Loss: "mse"}))
	return m
}

// namedInputs returns twoInputs with the inputs named input_1 and
// input_2 and the outputs reg and cls.
func namedInputs() *dl.Model {
	a, b := dl.Input(3).Named("input_1"), dl.Input(2).Named("input_2")
	h := dl.Concat(dl.Call(&dl.Dense{Units: 4}, a), b)
	outs := dl.Nodes{dl.Call(&dl.Dense{Units: 1, Name: "reg"}, h), dl.Call(&dl.Dense{Units: 2, Name: "cls"}, h)}
	m := dl.Must(dl.NewModel(dl.Nodes{a, b}, outs))
	dl.Check(m.Compile(dl.CompileOptions{Optimizer: "adam", Loss: "mse"}))
	return m
}

// fitNamed fits namedInputs on x and the targets of both outputs.
func fitNamed(x dl.Inputs) error {
	_, err := namedInputs().Fit(x, dl.Tensors{y1, dl.Zeros(8, 2)}, dl.FitOptions{Verbose: dl.Silent})
	return err
}

// newModel returns the error of NewModel for the graph that build returns.
func newModel(build func() (dl.NodeList, dl.NodeList)) error {
	in, out := build()
	_, err := dl.NewModel(in, out)
	return err
}

// withValue returns a copy of t with v as its fifth value.
func withValue(t *dl.Tensor, v float64) *dl.Tensor {
	c := t.Clone()
	c.Data()[4] = v
	return c
}

// vec returns a tensor of shape (n,).
func vec(v ...float64) *dl.Tensor { return dl.FromSlice(v) }

// writeFile writes b to a new file in dir and returns its path.
func writeFile(dir, name string, b []byte) string {
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		panic(err)
	}
	return path
}

// misuseCases lists the misuses, across layers, Compile, Fit, Evaluate,
// Predict, callbacks, dl/prep and loading.
func misuseCases(dir string) []misuseCase {
	nan, inf := math.NaN(), math.Inf(1)
	var nilDense *dl.Dense
	var nilAdam *dl.Adam
	var nilES *dl.EarlyStopping
	var nilCkpt *dl.ModelCheckpoint
	saved := filepath.Join(dir, "ok.keras")
	dl.Check(dense3().Save(saved))
	good, err := os.ReadFile(saved)
	if err != nil {
		panic(err)
	}
	return []misuseCase{
		// Layers: reported by Compile (Sequential) or NewModel (functional).
		{"NewSequential nil layer", func() error { return compileLayers(dl.Input(3), nil) }, "layer 1 of NewSequential(...) (counting from 0, dl.Input included) is nil", nil},
		{"NewSequential typed nil layer", func() error { return compileLayers(dl.Input(3), nilDense) }, "is nil (*dl.Dense)", nil},
		{"Add nil", func() error {
			m := dl.NewSequential(dl.Input(3), &dl.Dense{Units: 1})
			m.Add(nil)
			return m.Compile(dl.CompileOptions{Optimizer: "adam", Loss: "mse"})
		}, "the layer given to Add is nil", nil},
		{"Add nil reported by Fit", func() error {
			m := dl.NewSequential(&dl.Dense{Units: 1})
			dl.Check(m.Compile(dl.CompileOptions{Optimizer: "adam", Loss: "mse"}))
			m.Add(nil)
			_, err := m.Fit(x3, y1, dl.FitOptions{Verbose: dl.Silent})
			return err
		}, "the layer given to Add is nil", nil},
		{"Add nil reported by Predict", func() error {
			m := dl.NewSequential(&dl.Dense{Units: 1})
			m.Add(nil)
			_, err := m.Predict(x3, dl.PredictOptions{Verbose: dl.Silent})
			return err
		}, "dl: Predict: the layer given to Add is nil", nil},
		{"Dense Units 0", func() error { return compileLayers(dl.Input(3), &dl.Dense{}) }, "received Units=0", nil},
		{"Dense Units negative", func() error { return compileLayers(dl.Input(3), &dl.Dense{Units: -3}) }, "received Units=-3", nil},
		{"Dense Units huge", func() error { return compileLayers(dl.Input(3), &dl.Dense{Units: 1 << 40}) }, "too large", nil},
		{"Dense unknown activation", func() error { return compileLayers(dl.Input(3), &dl.Dense{Units: 1, Activation: "relux"}) }, `unknown activation "relux"`, nil},
		{"Dropout Rate 1.5", func() error { return compileLayers(dl.Input(3), &dl.Dropout{Rate: 1.5}) }, "received Rate=1.5", nil},
		{"Dropout Rate negative", func() error { return compileLayers(dl.Input(3), &dl.Dropout{Rate: -0.1}) }, "received Rate=-0.1", nil},
		{"Dropout Rate NaN", func() error { return compileLayers(dl.Input(3), &dl.Dropout{Rate: nan}) }, "received Rate=NaN", nil},
		{"L2 negative", func() error {
			return compileLayers(dl.Input(3), &dl.Dense{Units: 1, Name: "out", KernelRegularizer: dl.L2(-0.01)})
		},
			`dl: Compile: layer "out" (Dense): KernelRegularizer: invalid value for argument l2 of dl.L2(-0.01), expected a non-negative float; received l2=-0.01`, nil},
		{"L1L2 negative", func() error {
			return compileLayers(dl.Input(3), &dl.Dense{Units: 1, KernelRegularizer: dl.L1L2(-1, -1)})
		},
			"invalid value for argument l1 of dl.L1L2(-1, -1)", nil},
		{"L1 negative bias", func() error { return compileLayers(dl.Input(3), &dl.Dense{Units: 1, BiasRegularizer: dl.L1(-1)}) }, "BiasRegularizer: invalid value for argument l1", nil},
		{"L2 NaN", func() error { return compileLayers(dl.Input(3), &dl.Dense{Units: 1, KernelRegularizer: dl.L2(nan)}) }, "received l2=NaN", nil},
		{"L1 infinite", func() error { return compileLayers(dl.Input(3), &dl.Dense{Units: 1, KernelRegularizer: dl.L1(inf)}) }, "received l1=+Inf", nil},
		{"L2 zero is fine", func() error { return compileLayers(dl.Input(3), &dl.Dense{Units: 1, KernelRegularizer: dl.L2(0)}) }, "", nil},
		{"LSTM recurrent regularizer negative", func() error {
			return compileLayers(dl.Input(4, 1), &dl.LSTM{Units: 2, RecurrentRegularizer: dl.L2(-1)})
		}, "RecurrentRegularizer: invalid value for argument l2", nil},
		{"LSTM Units 0", func() error { return compileLayers(dl.Input(4, 1), &dl.LSTM{}) }, "received Units=0", nil},
		{"LSTM Dropout 1", func() error { return compileLayers(dl.Input(4, 1), &dl.LSTM{Units: 2, Dropout: 1}) }, "received Dropout=1", nil},
		{"GRU RecurrentDropout negative", func() error { return compileLayers(dl.Input(4, 1), &dl.GRU{Units: 2, RecurrentDropout: -0.5}) }, "RecurrentDropout=-0.5", nil},
		{"SimpleRNN on 2-D input", func() error { return compileLayers(dl.Input(3), &dl.SimpleRNN{Units: 2}) }, "needs 3-D input", nil},
		{"stacked LSTM without ReturnSequences", func() error {
			return compileLayers(dl.Input(4, 1), &dl.LSTM{Units: 2}, &dl.LSTM{Units: 2})
		}, "set ReturnSequences: true", nil},
		{"LSTM ReturnState in Sequential", func() error { return compileLayers(dl.Input(4, 1), &dl.LSTM{Units: 2, ReturnState: true}) }, "ReturnState", nil},
		{"Input without shape", func() error { return compileLayers(dl.Input(), &dl.Dense{Units: 1}) }, "Input needs the shape of one sample", nil},
		{"Input zero", func() error { return compileLayers(dl.Input(0), &dl.Dense{Units: 1}) }, "must be positive", nil},
		{"Input negative", func() error { return compileLayers(dl.Input(-2, 3), &dl.Dense{Units: 1}) }, "must be positive", nil},
		{"Input names twice", func() error {
			return newModel(func() (dl.NodeList, dl.NodeList) {
				a, b := dl.Input(3).Named("input_1"), dl.Input(2).Named("input_1")
				return dl.Nodes{a, b}, dl.Call(&dl.Dense{Units: 1}, dl.Concat(a, b))
			})
		}, `the name "input_1" is used by 2 layers of the model; all layer names should be unique. Give each input its own name`, nil},
		{"InputLayer called on a node", func() error {
			return newModel(func() (dl.NodeList, dl.NodeList) {
				in := dl.Input(6)
				return in, dl.Call(&dl.Dense{Units: 1}, dl.Call(&dl.InputLayer{Shape: []int{6}, Name: "input_1"}, in))
			})
		}, `layer "input_1" is an InputLayer, which starts a model and is not called on nodes; create the input with dl.Input(6).Named("input_1")`, nil},
		{"InputLayer called on nothing", func() error {
			return newModel(func() (dl.NodeList, dl.NodeList) {
				in := dl.Call(&dl.InputLayer{Shape: []int{4, 1}})
				return in, dl.Call(&dl.Dense{Units: 1}, in)
			})
		}, "create the input with dl.Input(4, 1)", nil},
		{"Named on a layer's output", func() error {
			return newModel(func() (dl.NodeList, dl.NodeList) {
				in := dl.Input(3)
				return in, dl.Call(&dl.Dense{Units: 1}, dl.Call(&dl.Dense{Units: 2, Name: "hid"}, in).Named("hidden"))
			})
		}, `Named("hidden") was applied to the output of layer "hid"; Named names inputs made by dl.Input. Give a layer its name with its Name field, as in &dl.Dense{Units: 8, Name: "hidden"}`, nil},
		{"Named InputLayer starts a Sequential model", func() error {
			return compileLayers(&dl.InputLayer{Shape: []int{3}, Name: "features"}, &dl.Dense{Units: 1})
		}, "", nil},
		{"Input in the middle", func() error { return compileLayers(dl.Input(3), &dl.Dense{Units: 2}, dl.Input(2), &dl.Dense{Units: 1}) }, "only the first layer may be one", nil},
		{"same layer twice", func() error {
			d := &dl.Dense{Units: 3}
			return compileLayers(dl.Input(3), d, d)
		}, "appears twice", nil},
		{"duplicate names in a Sequential", func() error {
			return compileLayers(dl.Input(3), &dl.Dense{Units: 2, Name: "hidden"}, &dl.Dense{Units: 1, Name: "hidden"})
		}, `the name "hidden" is already the name of a layer`, nil},
		{"layer named like an unnamed one", func() error {
			d := &dl.Dense{Units: 2}
			dl.NewSequential(dl.Input(3), d) // names it dense_<n>
			return compileLayers(dl.Input(3), d, &dl.Dense{Units: 1, Name: d.Name})
		}, `is already the name of a layer`, nil},
		{"model contains itself", func() error {
			m := dl.NewSequential(&dl.Dense{Units: 3})
			m.Add(m)
			_, err := m.Predict(x3, dl.PredictOptions{Verbose: dl.Silent})
			return err
		}, "contains itself", nil},
		{"empty Sequential", func() error {
			m := dl.NewSequential()
			dl.Check(m.Compile(dl.CompileOptions{Optimizer: "adam", Loss: "mse"}))
			_, err := m.Fit(x3, y1, dl.FitOptions{Verbose: dl.Silent})
			return err
		}, "has no layers", nil},
		{"layer rebuilt for another shape", func() error {
			d := &dl.Dense{Units: 2}
			dl.NewSequential(dl.Input(3), d)
			return compileLayers(dl.Input(4), d)
		}, "was built for inputs of shape (None, 3)", nil},

		// The functional API: reported by NewModel.
		{"functional duplicate names", func() error {
			return newModel(func() (dl.NodeList, dl.NodeList) {
				in := dl.Input(3)
				h := dl.Call(&dl.Dense{Units: 2, Name: "d"}, in)
				return in, dl.Call(&dl.Dense{Units: 1, Name: "d"}, h)
			})
		}, `the name "d" is used by 2 layers of the model`, nil},
		{"Call nil layer", func() error {
			return newModel(func() (dl.NodeList, dl.NodeList) { in := dl.Input(3); return in, dl.Call(nil, in) })
		}, "Call received a nil layer", nil},
		{"Call typed nil layer", func() error {
			return newModel(func() (dl.NodeList, dl.NodeList) { in := dl.Input(3); return in, dl.Call(nilDense, in) })
		}, "Call received a nil layer (*dl.Dense)", nil},
		{"Call nil input", func() error {
			return newModel(func() (dl.NodeList, dl.NodeList) { in := dl.Input(3); return in, dl.Call(&dl.Dense{Units: 1}, nil) })
		}, "input 0 is nil", nil},
		{"Call a zero Node", func() error {
			return newModel(func() (dl.NodeList, dl.NodeList) {
				in := dl.Input(3)
				return in, dl.Call(&dl.Dense{Units: 1}, &dl.Node{})
			})
		}, "was not made by dl.Input or dl.Call", nil},
		{"NewModel zero Node input", func() error {
			return newModel(func() (dl.NodeList, dl.NodeList) { return &dl.Node{}, dl.Call(&dl.Dense{Units: 1}, dl.Input(3)) })
		}, "input 0 is nil or was not made by dl.Input", nil},
		{"NewModel nil outputs", func() error { return newModel(func() (dl.NodeList, dl.NodeList) { return dl.Input(3), nil }) }, "both inputs and outputs are required", nil},
		{"NewModel nil output node", func() error {
			return newModel(func() (dl.NodeList, dl.NodeList) { return dl.Input(3), dl.Nodes{nil} })
		}, "output 0 is nil", nil},
		{"NewModel input not declared", func() error {
			return newModel(func() (dl.NodeList, dl.NodeList) {
				a, b := dl.Input(3), dl.Input(2)
				return a, dl.Concat(a, b)
			})
		}, "which is not among the model's inputs", nil},
		{"NewModel input twice", func() error {
			return newModel(func() (dl.NodeList, dl.NodeList) {
				a := dl.Input(3)
				return dl.Nodes{a, a}, dl.Call(&dl.Dense{Units: 1}, a)
			})
		}, "is listed twice", nil},
		{"NewModel unused input", func() error {
			return newModel(func() (dl.NodeList, dl.NodeList) {
				a, b := dl.Input(3), dl.Input(2)
				return dl.Nodes{a, b}, dl.Call(&dl.Dense{Units: 1}, a)
			})
		}, "is not connected to any output", nil},
		{"NewModel input not an Input", func() error {
			return newModel(func() (dl.NodeList, dl.NodeList) { h := dl.Call(&dl.Dense{Units: 2}, dl.Input(3)); return h, h })
		}, "not an Input", nil},
		{"Concat mismatched shapes", func() error {
			return newModel(func() (dl.NodeList, dl.NodeList) {
				a, b := dl.Input(3, 2), dl.Input(4, 2)
				return dl.Nodes{a, b}, dl.Concat(a, b)
			})
		}, "inputs must match except along the concatenation axis", nil},
		{"Add mismatched shapes", func() error {
			return newModel(func() (dl.NodeList, dl.NodeList) {
				a, b := dl.Input(3), dl.Input(2)
				return dl.Nodes{a, b}, dl.Call(&dl.Add{}, a, b)
			})
		}, "inputs must all have the same shape", nil},
		{"Subtract three inputs", func() error {
			return newModel(func() (dl.NodeList, dl.NodeList) {
				a, b, c := dl.Input(2), dl.Input(2), dl.Input(2)
				return dl.Nodes{a, b, c}, dl.Call(&dl.Subtract{}, a, b, c)
			})
		}, "needs exactly two inputs", nil},
		{"Dense with two inputs", func() error {
			return newModel(func() (dl.NodeList, dl.NodeList) {
				a, b := dl.Input(2), dl.Input(2)
				return dl.Nodes{a, b}, dl.Call(&dl.Dense{Units: 1}, a, b)
			})
		}, "takes one input, received 2", nil},

		// Compile.
		{"Compile without loss", func() error { return compileWith(dl.CompileOptions{Optimizer: "adam"}) }, "Loss is required", nil},
		{"Compile unknown loss", func() error { return compileWith(dl.CompileOptions{Loss: "binary_crossentropi"}) }, `unknown loss "binary_crossentropi"`, nil},
		{"Compile Loss and Losses", func() error { return compileWith(dl.CompileOptions{Loss: "mse", Losses: []string{"mse"}}) }, "not both", nil},
		{"Compile unknown loss in Losses", func() error { return compileWith(dl.CompileOptions{Losses: []string{"mse", "msa"}}) }, `unknown loss "msa" in Losses[1]`, nil},
		{"Compile unknown metric", func() error { return compileWith(dl.CompileOptions{Loss: "mse", Metrics: []string{"acuracy"}}) }, `unknown metric "acuracy"`, nil},
		{"Compile unknown optimizer", func() error { return compileWith(dl.CompileOptions{Optimizer: "adamm", Loss: "mse"}) }, `unknown optimizer "adamm"`, nil},
		{"Compile optimizer of a wrong type", func() error { return compileWith(dl.CompileOptions{Optimizer: 0.01, Loss: "mse"}) }, "received float64", nil},
		{"Compile typed nil optimizer", func() error { return compileWith(dl.CompileOptions{Optimizer: nilAdam, Loss: "mse"}) }, "Optimizer is a nil *dl.Adam", nil},
		{"SGD Momentum 1.5", func() error { return compileWith(dl.CompileOptions{Optimizer: &dl.SGD{Momentum: 1.5}, Loss: "mse"}) }, "Momentum must be a number between 0 and 1; received Momentum=1.5", nil},
		{"SGD Momentum negative", func() error { return compileWith(dl.CompileOptions{Optimizer: &dl.SGD{Momentum: -0.1}, Loss: "mse"}) }, "received Momentum=-0.1", nil},
		{"Adam LearningRate NaN", func() error {
			return compileWith(dl.CompileOptions{Optimizer: &dl.Adam{LearningRate: nan}, Loss: "mse"})
		}, "received LearningRate=NaN", nil},
		{"Adam LearningRate Inf", func() error {
			return compileWith(dl.CompileOptions{Optimizer: &dl.Adam{LearningRate: inf}, Loss: "mse"})
		}, "received LearningRate=+Inf", nil},
		{"RMSprop LearningRate negative", func() error {
			return compileWith(dl.CompileOptions{Optimizer: &dl.RMSprop{LearningRate: -0.01}, Loss: "mse"})
		}, "received LearningRate=-0.01", nil},
		{"RMSprop Epsilon negative", func() error {
			return compileWith(dl.CompileOptions{Optimizer: &dl.RMSprop{Epsilon: -1e-7}, Loss: "mse"})
		}, "received Epsilon=-1e-07", nil},
		{"RMSprop Rho 2", func() error { return compileWith(dl.CompileOptions{Optimizer: &dl.RMSprop{Rho: 2}, Loss: "mse"}) }, "received Rho=2", nil},
		{"Adam Beta1 1", func() error { return compileWith(dl.CompileOptions{Optimizer: &dl.Adam{Beta1: 1}, Loss: "mse"}) }, "received Beta1=1", nil},
		{"Adagrad negative accumulator", func() error {
			return compileWith(dl.CompileOptions{Optimizer: &dl.Adagrad{InitialAccumulatorValue: -1}, Loss: "mse"})
		}, "received InitialAccumulatorValue=-1", nil},
		{"LossWeights NaN", func() error { return compileWith(dl.CompileOptions{Loss: "mse", LossWeights: []float64{nan}}) }, "LossWeights[0] = NaN is not a finite number", nil},
		{"LossWeights Inf", func() error { return compileWith(dl.CompileOptions{Loss: "mse", LossWeights: []float64{inf}}) }, "LossWeights[0] = +Inf", nil},
		{"Losses count", func() error {
			return twoInputs().Compile(dl.CompileOptions{Losses: []string{"mse"}})
		}, "the model has 2 outputs but Losses has 1 entries", nil},
		{"LossWeights count", func() error {
			return twoInputs().Compile(dl.CompileOptions{Loss: "mse", LossWeights: []float64{1, 2, 3}})
		}, "LossWeights has 3 entries", nil},
		{"one optimizer for two models", func() error {
			opt := &dl.Adam{}
			dl.Check(compileWith(dl.CompileOptions{Optimizer: opt, Loss: "mse"}))
			return compileWith(dl.CompileOptions{Optimizer: opt, Loss: "mse"})
		}, "is already the optimizer of the model", nil},
		{"optimizer changed after Compile", func() error {
			opt := &dl.SGD{}
			m := dense3()
			dl.Check(m.Compile(dl.CompileOptions{Optimizer: opt, Loss: "mse"}))
			opt.LearningRate = nan
			_, err := m.Fit(x3, y1, dl.FitOptions{Verbose: dl.Silent})
			return err
		}, "the optimizer given to Compile has changed since", nil},
		{"Compile recompiles with its own optimizer", func() error {
			opt := &dl.Adam{}
			m := dense3()
			dl.Check(m.Compile(dl.CompileOptions{Optimizer: opt, Loss: "mse"}))
			return m.Compile(dl.CompileOptions{Optimizer: opt, Loss: "mae"})
		}, "", nil},

		// Fit.
		{"Fit before Compile", func() error {
			_, err := dl.NewSequential(dl.Input(3), &dl.Dense{Units: 1}).Fit(x3, y1, dl.FitOptions{Verbose: dl.Silent})
			return err
		}, "you must call Compile before calling Fit", nil},
		{"Fit nil x", func() error { return fitXY(nil, y1) }, "x is missing", nil},
		{"Fit nil y", func() error { return fitXY(x3, nil) }, "y is missing", nil},
		{"Fit nil *Tensor x", func() error { var t *dl.Tensor; return fitXY(t, y1) }, "x[0] is a nil tensor", nil},
		{"Fit 1-D x", func() error { return fitXY(vec(1, 2, 3), y1) }, "must have a batch axis and a feature axis", nil},
		{"Fit wrong features", func() error { return fitXY(dl.Zeros(8, 4), y1) }, "expects samples of shape (None, 3)", nil},
		{"Fit NaN in x", func() error { return fitXY(withValue(x3, nan), y1) }, "x contains NaN at sample 1", nil},
		{"Fit Inf in y", func() error { return fitXY(x3, withValue(y1, inf)) }, "y contains +Inf at sample 4", nil},
		{"Fit sample counts differ", func() error { return fitXY(x3, y1.Slice(0, 5)) }, "must have the same number of samples; received 8 and 5", nil},
		{"Fit empty x", func() error { return fitXY(x3.Slice(0, 0), y1.Slice(0, 0)) }, "is empty", nil},
		{"Fit y of the wrong shape", func() error { return fitXY(x3, dl.Zeros(8, 2)) }, "has shape (8, 2) but the model's output has shape (None, 1)", nil},
		{"Fit Epochs negative", func() error { return fitWith(dl.FitOptions{Epochs: -1}) }, "Epochs must be positive, received Epochs=-1", nil},
		{"Fit BatchSize negative", func() error { return fitWith(dl.FitOptions{BatchSize: -5}) }, "BatchSize must be positive, received BatchSize=-5", nil},
		{"Fit Verbose 7", func() error { return fitWith(dl.FitOptions{Verbose: 7}) }, "received Verbose=7", nil},
		{"Fit Verbose -2", func() error { return fitWith(dl.FitOptions{Verbose: -2}) }, "received Verbose=-2", nil},
		{"Fit ValidationSplit 1.5", func() error { return fitWith(dl.FitOptions{ValidationSplit: 1.5}) }, "received ValidationSplit=1.5", nil},
		{"Fit ValidationSplit NaN", func() error { return fitWith(dl.FitOptions{ValidationSplit: nan}) }, "received ValidationSplit=NaN", nil},
		{"Fit ValidationSplit too small", func() error { return fitWith(dl.FitOptions{ValidationSplit: 0.99}) }, "not enough to split it", nil},
		{"Fit InitialEpoch negative", func() error { return fitWith(dl.FitOptions{InitialEpoch: -1}) }, "received InitialEpoch=-1", nil},
		{"Fit ValidationData of the wrong shape", func() error {
			return fitWith(dl.FitOptions{ValidationData: &dl.Data{X: dl.Zeros(2, 5), Y: dl.Zeros(2, 1)}})
		}, "ValidationData.X has shape (2, 5)", nil},
		{"Fit ValidationData without X", func() error { return fitWith(dl.FitOptions{ValidationData: &dl.Data{Y: y1}}) }, "ValidationData.X is missing", nil},
		{"Fit sparse label out of range", func() error {
			m := dl.NewSequential(dl.Input(3), &dl.Dense{Units: 2, Activation: "softmax"})
			dl.Check(m.Compile(dl.CompileOptions{Optimizer: "adam", Loss: "sparse_categorical_crossentropy"}))
			_, err := m.Fit(x3, withValue(y1, 2), dl.FitOptions{Verbose: dl.Silent})
			return err
		}, "y[4] = 2 is not a class index in [0, 2)", nil},
		{"Fit sparse label not whole", func() error {
			m := dl.NewSequential(dl.Input(3), &dl.Dense{Units: 2, Activation: "softmax"})
			dl.Check(m.Compile(dl.CompileOptions{Optimizer: "adam", Loss: "sparse_categorical_crossentropy"}))
			_, err := m.Fit(x3, withValue(y1, 0.5), dl.FitOptions{Verbose: dl.Silent})
			return err
		}, "y[4] = 0.5 is not a class index", nil},
		{"Fit class labels with categorical loss", func() error {
			m := dl.NewSequential(dl.Input(3), &dl.Dense{Units: 2, Activation: "softmax"})
			dl.Check(m.Compile(dl.CompileOptions{Optimizer: "adam", Loss: "categorical_crossentropy"}))
			_, err := m.Fit(x3, y1.Reshape(8), dl.FitOptions{Verbose: dl.Silent})
			return err
		}, `use Loss: "sparse_categorical_crossentropy"`, nil},
		{"Fit two-input model with one tensor", func() error {
			_, err := twoInputs().Fit(x3, dl.Tensors{y1, dl.Zeros(8, 2)}, dl.FitOptions{Verbose: dl.Silent})
			return err
		}, "the model has 2 inputs but x holds 1", nil},
		{"Fit Tensors with a nil tensor", func() error {
			_, err := twoInputs().Fit(dl.Tensors{x3, nil}, dl.Tensors{y1, dl.Zeros(8, 2)}, dl.FitOptions{Verbose: dl.Silent})
			return err
		}, "x[1] is a nil tensor", nil},
		// Data by name (dl.Named, Keras: a dict).
		{"Fit Named", func() error { return fitNamed(dl.Named{"input_2": dl.Zeros(8, 2), "input_1": x3}) }, "", nil},
		{"Fit Named missing input", func() error { return fitNamed(dl.Named{"input_1": x3}) },
			"the names of x do not match the model's inputs (no tensor for ['input_2']). Expected: ['input_1', 'input_2']; received: ['input_1']", nil},
		{"Fit Named misspelt input", func() error { return fitNamed(dl.Named{"input_1": x3, "inptu_2": dl.Zeros(8, 2)}) },
			"(no tensor for ['input_2']; ['inptu_2'] is not the name of any input)", nil},
		{"Fit Named extra input", func() error {
			return fitNamed(dl.Named{"input_1": x3, "input_2": dl.Zeros(8, 2), "input_3": x3})
		}, "['input_3'] is not the name of any input). Expected: ['input_1', 'input_2']; received: ['input_1', 'input_2', 'input_3']. Give dl.Named one tensor for each input name", nil},
		{"Fit Named nil map", func() error { return fitNamed(dl.Named(nil)) }, "no tensor for ['input_1', 'input_2']", nil},
		{"Fit Named nil tensor", func() error { return fitNamed(dl.Named{"input_1": x3, "input_2": nil}) }, `x["input_2"] is a nil tensor`, nil},
		{"Fit Named wrong shape", func() error { return fitNamed(dl.Named{"input_1": dl.Zeros(8, 2), "input_2": dl.Zeros(8, 2)}) },
			`layer "input_1" expects samples of shape (None, 3), but x["input_1"] has shape (8, 2)`, nil},
		{"Fit Named targets", func() error {
			_, err := namedInputs().Fit(dl.Named{"input_1": x3, "input_2": dl.Zeros(8, 2)}, dl.Named{"cls": dl.Zeros(8, 2), "reg": y1},
				dl.FitOptions{Verbose: dl.Silent})
			return err
		}, "", nil},
		{"Fit Named too few tensors in Tensors", func() error { return fitNamed(dl.Tensors{x3}) },
			"or dl.Named{...} with one tensor per input name (['input_1', 'input_2'])", nil},
		{"Fit Named validation data", func() error {
			_, err := namedInputs().Fit(dl.Tensors{x3, dl.Zeros(8, 2)}, dl.Tensors{y1, dl.Zeros(8, 2)}, dl.FitOptions{Verbose: dl.Silent,
				ValidationData: &dl.Data{X: dl.Named{"input_1": x3, "input_two": dl.Zeros(8, 2)}, Y: dl.Tensors{y1, dl.Zeros(8, 2)}}})
			return err
		}, "the names of ValidationData.X do not match the model's inputs", nil},
		{"Evaluate Named unknown output", func() error {
			_, err := namedInputs().Evaluate(dl.Named{"input_1": x3, "input_2": dl.Zeros(8, 2)}, dl.Named{"reg": y1, "class": dl.Zeros(8, 2)},
				dl.EvaluateOptions{Verbose: dl.Silent})
			return err
		}, "the names of y do not match the model's outputs (no tensor for ['cls']; ['class'] is not the name of any output). Expected: ['reg', 'cls']", nil},
		{"Predict Named on a Sequential model", func() error {
			m := dl.NewSequential(dl.Input(3).Named("features"), &dl.Dense{Units: 1})
			_, err := m.Predict(dl.Named{"feature": x3}, dl.PredictOptions{Verbose: dl.Silent})
			return err
		}, "Expected: ['features']; received: ['feature']", nil},
		{"Predict Named on a model whose outputs share a layer", func() error {
			in := dl.Input(4, 1).Named("seq")
			outs := dl.CallMulti(&dl.LSTM{Units: 2, ReturnState: true, Name: "lstm_a"}, in)
			m := dl.Must(dl.NewModel(in, dl.Nodes(outs)))
			dl.Check(m.Compile(dl.CompileOptions{Optimizer: "adam", Loss: "mse"}))
			_, err := m.Evaluate(dl.Named{"seq": dl.Zeros(2, 4, 1)}, dl.Named{"lstm_a": dl.Zeros(2, 2)}, dl.EvaluateOptions{Verbose: dl.Silent})
			return err
		}, "the model's outputs do not have distinct names (['lstm_a', 'lstm_a', 'lstm_a']); pass dl.Tensors{...}", nil},
		{"Fit loss becomes NaN", func() error {
			m := dl.NewSequential(dl.Input(3), &dl.Dense{Units: 1})
			dl.Check(m.Compile(dl.CompileOptions{Optimizer: &dl.SGD{LearningRate: 1e300}, Loss: "mse"}))
			big := dl.Zeros(8, 1)
			for i := range big.Data() {
				big.Data()[i] = 1e300
			}
			_, err := m.Fit(x3, big, dl.FitOptions{Epochs: 5, Verbose: dl.Silent})
			return err
		}, "scale the inputs (prep.StandardScaler)", nil},
		{"Fit works", func() error { return fitWith(dl.FitOptions{Epochs: 2, ValidationSplit: 0.25}) }, "", nil},

		// Callbacks.
		{"Callbacks nil", func() error { return fitWith(dl.FitOptions{Callbacks: []dl.Callback{nil}}) }, "Callbacks[0] is nil", nil},
		{"Callbacks typed nil EarlyStopping", func() error { return fitWith(dl.FitOptions{Callbacks: []dl.Callback{nilES}}) }, "Callbacks[0] is nil (*dl.EarlyStopping)", nil},
		{"Callbacks typed nil ModelCheckpoint", func() error {
			return fitWith(dl.FitOptions{Callbacks: []dl.Callback{&dl.EarlyStopping{Monitor: "loss"}, nilCkpt}})
		}, "Callbacks[1] is nil (*dl.ModelCheckpoint)", nil},
		{"EarlyStopping unknown Monitor", func() error { return fitWith(dl.FitOptions{Callbacks: []dl.Callback{&dl.EarlyStopping{}}}) }, `dl: Fit: EarlyStopping: Monitor "val_loss" is not a value this Fit logs`, nil},
		{"EarlyStopping bad Mode", func() error {
			return fitWith(dl.FitOptions{Callbacks: []dl.Callback{&dl.EarlyStopping{Monitor: "loss", Mode: "sideways"}}})
		}, `Mode must be "auto", "min" or "max"`, nil},
		{"ModelCheckpoint without Filepath", func() error { return fitWith(dl.FitOptions{Callbacks: []dl.Callback{&dl.ModelCheckpoint{}}}) }, "dl: Fit: ModelCheckpoint: Filepath is required", nil},
		{"ModelCheckpoint .h5", func() error {
			return fitWith(dl.FitOptions{Callbacks: []dl.Callback{&dl.ModelCheckpoint{Filepath: filepath.Join(dir, "m.h5")}}})
		}, "the Filepath must end in .keras", nil},
		{"ModelCheckpoint weights to .keras", func() error {
			return fitWith(dl.FitOptions{Callbacks: []dl.Callback{&dl.ModelCheckpoint{Filepath: filepath.Join(dir, "m.keras"), SaveWeightsOnly: true}}})
		}, "must end in .weights.h5", nil},
		{"ModelCheckpoint unknown template key", func() error {
			return fitWith(dl.FitOptions{Callbacks: []dl.Callback{&dl.ModelCheckpoint{Filepath: filepath.Join(dir, "{val_acc:.2f}.keras")}}})
		}, "uses {val_acc}, which this Fit does not log", nil},
		{"ModelCheckpoint SaveFreq negative", func() error {
			return fitWith(dl.FitOptions{Callbacks: []dl.Callback{&dl.ModelCheckpoint{Filepath: filepath.Join(dir, "m.keras"), SaveFreq: -1}}})
		}, "received SaveFreq=-1", nil},
		{"callback error", func() error { return fitWith(dl.FitOptions{Callbacks: []dl.Callback{&failing{}}}) }, "dl: Fit: callback *dl_test.failing: stop here", errStop},
		{"Add during Fit", func() error {
			m := dense3()
			if _, err := m.Fit(x3, y1, dl.FitOptions{Verbose: dl.Silent, Callbacks: []dl.Callback{&adder{seq: m}}}); err != nil {
				return err
			}
			_, err := m.Predict(x3, dl.PredictOptions{Verbose: dl.Silent})
			return err
		}, "model.Add was called while Fit was training the model", nil},
		{"callbacks work", func() error {
			return fitWith(dl.FitOptions{Epochs: 3, ValidationSplit: 0.25, Callbacks: []dl.Callback{
				&dl.EarlyStopping{Patience: 1, RestoreBestWeights: true},
				&dl.ModelCheckpoint{Filepath: filepath.Join(dir, "best.keras"), SaveBestOnly: true}}})
		}, "", nil},

		// Evaluate and Predict.
		{"Evaluate before Compile", func() error {
			_, err := dl.NewSequential(dl.Input(3), &dl.Dense{Units: 1}).Evaluate(x3, y1, dl.EvaluateOptions{Verbose: dl.Silent})
			return err
		}, "you must call Compile before calling Evaluate", nil},
		{"Evaluate BatchSize negative", func() error {
			_, err := dense3().Evaluate(x3, y1, dl.EvaluateOptions{BatchSize: -1, Verbose: dl.Silent})
			return err
		}, "dl: Evaluate: BatchSize must be positive, received BatchSize=-1", nil},
		{"Evaluate Verbose -5", func() error { _, err := dense3().Evaluate(x3, y1, dl.EvaluateOptions{Verbose: -5}); return err }, "received Verbose=-5", nil},
		{"Evaluate nil callback", func() error {
			_, err := dense3().Evaluate(x3, y1, dl.EvaluateOptions{Verbose: dl.Silent, Callbacks: []dl.Callback{nilES}})
			return err
		}, "dl: Evaluate: Callbacks[0] is nil", nil},
		{"Evaluate wrong targets", func() error {
			_, err := dense3().Evaluate(x3, dl.Zeros(8, 3), dl.EvaluateOptions{Verbose: dl.Silent})
			return err
		}, "y has shape (8, 3)", nil},
		{"Evaluate works", func() error { _, err := dense3().Evaluate(x3, y1, dl.EvaluateOptions{Verbose: dl.Silent}); return err }, "", nil},
		{"Predict BatchSize negative", func() error {
			_, err := dense3().Predict(x3, dl.PredictOptions{BatchSize: -1, Verbose: dl.Silent})
			return err
		}, "dl: Predict: BatchSize must be positive", nil},
		{"Predict Verbose 3", func() error { _, err := dense3().Predict(x3, dl.PredictOptions{Verbose: 3}); return err }, "dl: Predict: Verbose must be", nil},
		{"Predict nil x", func() error { _, err := dense3().Predict(nil, dl.PredictOptions{Verbose: dl.Silent}); return err }, "x is missing", nil},
		{"Predict 1-D x", func() error {
			_, err := dense3().Predict(vec(1, 2, 3), dl.PredictOptions{Verbose: dl.Silent})
			return err
		}, "must have a batch axis", nil},
		{"Predict wrong features", func() error {
			_, err := dense3().Predict(dl.Zeros(2, 5), dl.PredictOptions{Verbose: dl.Silent})
			return err
		}, "expects samples of shape (None, 3)", nil},
		{"Predict NaN", func() error {
			_, err := dense3().Predict(withValue(x3, nan), dl.PredictOptions{Verbose: dl.Silent})
			return err
		}, "x contains NaN", nil},
		{"Predict several outputs", func() error {
			_, err := twoInputs().Predict(dl.Tensors{x3, dl.Zeros(8, 2)}, dl.PredictOptions{Verbose: dl.Silent})
			return err
		}, "use PredictOutputs", nil},
		{"PredictOutputs swapped inputs", func() error {
			_, err := twoInputs().PredictOutputs(dl.Tensors{dl.Zeros(8, 2), x3}, dl.PredictOptions{Verbose: dl.Silent})
			return err
		}, "expects samples of shape (None, 3)", nil},
		{"Predict on an unbuilt model of an empty stack", func() error {
			_, err := dl.NewSequential().Predict(x3, dl.PredictOptions{Verbose: dl.Silent})
			return err
		}, "has no layers", nil},
		{"Predict builds a deferred model", func() error {
			_, err := dl.NewSequential(&dl.Dense{Units: 2}).Predict(x3, dl.PredictOptions{Verbose: dl.Silent})
			return err
		}, "", nil},
		{"Predict on a nil model", func() error {
			m, _ := dl.LoadModel(filepath.Join(dir, "missing.keras")) // the error is ignored
			_, err := m.Predict(x3, dl.PredictOptions{Verbose: dl.Silent})
			return err
		}, "dl: Predict: the model is nil; did the call that made it (NewModel, LoadModel) return an error?", nil},
		{"Fit on a nil model", func() error {
			var m *dl.Model
			_, err := m.Fit(x3, y1, dl.FitOptions{Verbose: dl.Silent})
			return err
		}, "dl: Fit: the model is nil", nil},
		{"Compile on a nil model", func() error {
			var m *dl.Model
			return m.Compile(dl.CompileOptions{Loss: "mse"})
		}, "dl: Compile: the model is nil", nil},
		{"Evaluate on a nil model", func() error {
			var m *dl.Model
			_, err := m.Evaluate(x3, y1, dl.EvaluateOptions{})
			return err
		}, "dl: Evaluate: the model is nil", nil},
		{"SetWeights on a nil model", func() error { var m *dl.Model; return m.SetWeights(nil) }, "dl: SetWeights: the model is nil", nil},
		{"Predict a zero Tensor", func() error {
			_, err := dense3().Predict(&dl.Tensor{}, dl.PredictOptions{Verbose: dl.Silent})
			return err
		}, "must have a batch axis", nil},
		{"Predict empty Tensors", func() error {
			_, err := dense3().Predict(dl.Tensors{}, dl.PredictOptions{Verbose: dl.Silent})
			return err
		}, "x holds 0 tensors", nil},
		{"SetWeights wrong count", func() error { return dense3().SetWeights(nil) }, "has 4 weight arrays, received 0", nil},
		{"SetWeights wrong shape", func() error {
			m := dense3()
			w := m.GetWeights()
			w[0] = dl.Zeros(4, 3)
			return m.SetWeights(w)
		}, "weight 0 (kernel) has shape (3, 4), received shape (4, 3)", nil},
		{"SetWeights nil tensor", func() error {
			m := dense3()
			w := m.GetWeights()
			w[1] = nil
			return m.SetWeights(w)
		}, "received shape nil", nil},
		{"SetWeights before build", func() error { return dl.NewSequential(&dl.Dense{Units: 1}).SetWeights(nil) }, "is not built yet", nil},

		// dl/prep.
		{"ToCategorical 1e19", func() error { _, err := prep.ToCategorical(vec(0, 1e19), 0); return err }, "prep: ToCategorical: y[1] = 1e+19 is too large for a class label", nil},
		{"ToCategorical 1e12", func() error { _, err := prep.ToCategorical(vec(1e12), 0); return err }, "y[0] = 1e+12 is too large", nil},
		{"ToCategorical negative", func() error { _, err := prep.ToCategorical(vec(0, -1), 0); return err }, "y[1] = -1 is not a class label", nil},
		{"ToCategorical fraction", func() error { _, err := prep.ToCategorical(vec(1.5), 0); return err }, "y[0] = 1.5 is not a class label", nil},
		{"ToCategorical NaN", func() error { _, err := prep.ToCategorical(vec(nan), 0); return err }, "y[0] = NaN is not a class label", nil},
		{"ToCategorical Inf", func() error { _, err := prep.ToCategorical(vec(inf), 0); return err }, "y[0] = +Inf is not a class label", nil},
		{"ToCategorical numClasses negative", func() error { _, err := prep.ToCategorical(vec(0), -1); return err }, "received numClasses=-1", nil},
		{"ToCategorical numClasses huge", func() error { _, err := prep.ToCategorical(vec(0), 1<<40); return err }, "up to 65536", nil},
		{"ToCategorical label beyond numClasses", func() error { _, err := prep.ToCategorical(vec(0, 3), 2); return err }, "needs numClasses > 3", nil},
		{"ToCategorical too many values", func() error { _, err := prep.ToCategorical(dl.Zeros(1<<15), 1<<16-1); return err }, "more than 268435456", nil},
		{"ToCategorical nil", func() error { _, err := prep.ToCategorical(nil, 0); return err }, "prep: ToCategorical: y is nil", nil},
		{"ToCategorical two columns", func() error { _, err := prep.ToCategorical(dl.Zeros(3, 2), 0); return err }, "one label per sample", nil},
		{"ToCategorical works", func() error { _, err := prep.ToCategorical(vec(0, 2, 1), 0); return err }, "", nil},
		{"ReadCSV missing file", func() error { _, err := prep.ReadCSV(filepath.Join(dir, "missing.csv")); return err }, "prep: ReadCSV:", fs.ErrNotExist},
		{"ReadCSVString empty", func() error { _, err := prep.ReadCSVString(""); return err }, "prep: ReadCSVString: no columns to parse", nil},
		{"ReadCSVString long row", func() error { _, err := prep.ReadCSVString("a,b\n1,2,3\n"); return err }, "line 2 has 3 fields", nil},
		{"Frame missing column", func() error {
			f := dl.Must(prep.ReadCSVString("a,b\n1,2\n"))
			_, err := f.Col("c")
			return err
		}, `prep: Col: column "c" not found`, nil},
		{"Frame text column as numbers", func() error {
			f := dl.Must(prep.ReadCSVString("a,b\nx,2\n"))
			_, err := f.Tensor()
			return err
		}, `column "a" holds text`, nil},
		{"Temporalize timesteps 0", func() error { _, _, err := prep.Temporalize(dl.Zeros(5, 1), dl.Zeros(5), 0); return err }, "timesteps=0 must be at least 1", nil},
		{"Temporalize timesteps too large", func() error { _, _, err := prep.Temporalize(dl.Zeros(5, 1), dl.Zeros(5), 9); return err }, "larger than the 5 rows", nil},
		{"Temporalize windows too large", func() error {
			_, _, err := prep.Temporalize(dl.Zeros(40000, 1), dl.Zeros(40000), 20000)
			return err
		}, "the windows would hold 20001 × 20000 × 1 values", nil},
		{"TrainTestSplit TestSize 1.5", func() error {
			_, err := prep.TrainTestSplit([]*dl.Tensor{x3}, prep.SplitOptions{TestSize: 1.5})
			return err
		}, "prep: TrainTestSplit:", nil},
		{"TrainTestSplit different lengths", func() error {
			_, _, _, _, err := prep.TrainTestSplitXY(x3, y1.Slice(0, 4), prep.SplitOptions{})
			return err
		}, "prep: TrainTestSplit", nil},
		{"MinMaxScaler before Fit", func() error { _, err := (&prep.MinMaxScaler{}).Transform(x3); return err }, "prep: MinMaxScaler: call Fit before Transform", nil},
		{"MinMaxScaler reversed range", func() error {
			return (&prep.MinMaxScaler{FeatureRange: [2]float64{1, -1}}).Fit(x3)
		}, "must be smaller than its maximum", nil},
		{"StandardScaler nil", func() error { return (&prep.StandardScaler{}).Fit(nil) }, "prep: StandardScaler: Fit: x is nil", nil},
		{"StandardScaler features differ", func() error {
			s := &prep.StandardScaler{}
			dl.Check(s.Fit(x3))
			_, err := s.Transform(dl.Zeros(2, 4))
			return err
		}, "x has 4 features, but StandardScaler is expecting 3", nil},
		{"MeanAbsoluteError lengths", func() error { _, err := prep.MeanAbsoluteError(vec(1, 2, 3), vec(1, 2)); return err }, "prep: MeanAbsoluteError: yTrue has 3 samples but yPred has 2", nil},
		{"AccuracyScore probabilities", func() error { _, err := prep.AccuracyScore(vec(1, 0), vec(0.2, 0.9)); return err }, "not class labels", nil},
		{"Argmax 1-D", func() error { _, err := prep.Argmax(vec(1, 2)); return err }, "prep: Argmax: p must have shape (samples, classes)", nil},
		{"R2Score one sample", func() error { _, err := prep.R2Score(vec(1), vec(2)); return err }, "fewer than two samples", nil},
		{"LogLoss not 0/1", func() error { _, err := prep.LogLoss(vec(2), vec(0.5)); return err }, "yTrue[0] = 2 is not a 0/1 label", nil},

		// Saving and loading (the hostile archives have tests of their own).
		{"LoadModel missing file", func() error { _, err := dl.LoadModel(filepath.Join(dir, "missing.keras")); return err }, "dl: LoadModel:", fs.ErrNotExist},
		{"LoadModel text file", func() error { _, err := dl.LoadModel(writeFile(dir, "notes.keras", []byte("hello"))); return err }, "dl: LoadModel:", nil},
		{"LoadModel empty file", func() error { _, err := dl.LoadModel(writeFile(dir, "empty.keras", nil)); return err }, "dl: LoadModel:", nil},
		{"LoadModel truncated file", func() error {
			_, err := dl.LoadModel(writeFile(dir, "half.keras", good[:len(good)/2]))
			return err
		}, "dl: LoadModel:", nil},
		{"LoadModel directory", func() error { _, err := dl.LoadModel(dir); return err }, "dl: LoadModel:", nil},
		{"LoadModel works", func() error { _, err := dl.LoadModel(saved); return err }, "", nil},
		{"LoadWeights missing file", func() error { return dense3().LoadWeights(filepath.Join(dir, "missing.weights.h5")) }, "dl: LoadWeights:", fs.ErrNotExist},
		{"Save wrong extension", func() error { return dense3().Save(filepath.Join(dir, "m.h5")) }, "must end in .keras", nil},
		{"SaveWeights wrong extension", func() error { return dense3().SaveWeights(filepath.Join(dir, "m.keras")) }, "must end in .weights.h5", nil},
		{"Save unbuilt model", func() error { return dl.NewSequential(&dl.Dense{Units: 1}).Save(filepath.Join(dir, "u.keras")) }, "is not built yet", nil},
	}
}

// TestMisuse runs every misuse and checks its outcome: an *dl.Error whose
// message contains the expected text (and reads "dl: Op: ..." or
// "prep: Op: ..."), with the expected cause where one is given, or success.
// A panic fails the case that caused it.
func TestMisuse(t *testing.T) {
	old := os.Stdout
	null, err := os.Open(os.DevNull)
	if err == nil {
		os.Stdout = null
		defer func() { os.Stdout = old; null.Close() }()
	}
	cases := misuseCases(t.TempDir())
	outcomes := map[string]int{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var err error
			panicked := func() (p any) {
				defer func() { p = recover() }()
				err = c.run()
				return nil
			}()
			switch {
			case panicked != nil:
				outcomes["panic"]++
				t.Fatalf("panicked: %v", panicked)
			case c.want == "":
				outcomes["success"]++
				if err != nil {
					t.Fatalf("want success, got %v", err)
				}
				return
			case err == nil:
				outcomes["no error"]++
				t.Fatalf("no error, want one containing %q", c.want)
			}
			outcomes["error"]++
			var e *dl.Error
			if !errors.As(err, &e) {
				t.Errorf("error %q is a %T, not a *dl.Error", err, err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "dl: ") && !strings.HasPrefix(msg, "prep: ") {
				t.Errorf("error %q does not start with dl: or prep:", msg)
			}
			if !strings.Contains(msg, c.want) {
				t.Errorf("error %q\ndoes not contain %q", msg, c.want)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("errors.Is(%q, %v) is false", msg, c.is)
			}
		})
	}
	if len(cases) < 100 {
		t.Errorf("%d misuse cases, want at least 100", len(cases))
	}
	t.Logf("%d misuse cases: %d errors as expected, %d successes as expected; %d panics, %d missing errors",
		len(cases), outcomes["error"], outcomes["success"], outcomes["panic"], outcomes["no error"])
}
