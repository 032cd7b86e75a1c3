package dl

// Keras files, both directions.
//
// TestKerasFiles loads the .keras and .weights.h5 files in
// testdata/keras/files, written by real Keras 3 (float32, as students use it,
// and one float64 model) with tools/keras/gen_keras_files.py, and checks
// dl's predictions, the restored compile settings and optimizer state, and
// that training continues as it does in Keras. Files that need a layer or a
// model class dl does not load yet are skipped, naming it; they run as soon
// as LoadModel accepts them.
//
// TestKerasOpensDLFiles writes dl models of every kind dl can save and runs
// tools/keras/check_dl_files.py on them, which opens them with real Keras.
// It needs a Python with Keras (env DLGO_PYTHON, else the venv that
// tools/keras/run.sh creates) and is skipped without one.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dlgo/dlgo/internal/h5"
)

// kerasFileDir holds the Keras-written files and their NAME.json.
var kerasFileDir = filepath.Join("testdata", "keras", "files")

// kerasFileCase is one NAME.json of testdata/keras/files.
type kerasFileCase struct {
	File         string   `json:"file"`
	Kind         string   `json:"kind"` // "keras" or "weights"
	Description  string   `json:"description"`
	KerasVersion string   `json:"keras_version"`
	Dtype        string   `json:"dtype"`
	ModelClass   string   `json:"model_class"`
	Classes      []string `json:"classes"`
	ModelName    string   `json:"model_name"`
	LayerNames   []string `json:"layer_names"`
	InputNames   []string `json:"input_names"` // functional models; keras_tensor_N for an unnamed Input
	Compiled     bool     `json:"compiled"`
	Compile      *struct {
		Optimizer       string         `json:"optimizer"`
		LearningRate    float64        `json:"learning_rate"`
		OptimizerConfig map[string]any `json:"optimizer_config"`
		Loss            any            `json:"loss"`
		Metrics         []any          `json:"metrics"`
	} `json:"compile"`
	OptimizerIterations *int `json:"optimizer_iterations"`
	OptimizerVariables  []struct {
		Name  string    `json:"name"`
		Shape []int     `json:"shape"`
		Value []float64 `json:"value"`
	} `json:"optimizer_variables"`
	X          []array                  `json:"x"`
	Y          []array                  `json:"y"`
	Predict    array                    `json:"predict"`
	PredictF64 array                    `json:"predict_f64"`
	TrainStep  *struct{ Predict array } `json:"train_step"`
	Config     json.RawMessage          `json:"config"`
}

// kerasFileCases reads every NAME.json in testdata/keras/files.
func kerasFileCases(t *testing.T) map[string]*kerasFileCase {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(kerasFileDir, "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixtures in %s (%v); run tools/keras/gen_keras_files.py", kerasFileDir, err)
	}
	out := map[string]*kerasFileCase{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		c := &kerasFileCase{}
		if err := json.Unmarshal(b, c); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		out[strings.TrimSuffix(filepath.Base(p), ".json")] = c
	}
	return out
}

// inputs returns x as Predict and Fit take it.
func (c *kerasFileCase) inputs() Inputs {
	if len(c.X) == 1 {
		return c.X[0].Tensor
	}
	var ts Tensors
	for _, a := range c.X {
		ts = append(ts, a.Tensor)
	}
	return ts
}

// load opens the case's file as a user would: LoadModel for .keras, and
// for .weights.h5 a model built from the Keras config, then LoadWeights.
func (c *kerasFileCase) load() (*Model, error) {
	path := filepath.Join(kerasFileDir, c.File)
	if c.Kind == "keras" {
		return LoadModel(path)
	}
	m, err := modelFromConfig(c.Config)
	if err != nil {
		return nil, err
	}
	return m, m.LoadWeights(path)
}

// dlLoadsClasses are the Keras classes whose absence from dl is not a
// reason to skip.
var dlLoadsClasses = []string{"Sequential", "InputLayer", "Dense", "Dropout", "Conv1D", "Conv2D", "MaxPooling1D",
	"MaxPooling2D", "AveragePooling2D", "GlobalAveragePooling2D", "Flatten"}

// unsupportedClass returns the class that err says dl cannot load yet, or
// "" if err is about something else.
func unsupportedClass(err error, classes []string) string {
	msg := err.Error()
	if i := strings.Index(msg, "(supported"); i >= 0 {
		msg = msg[:i] // not the list of what dl does support
	}
	if !strings.Contains(msg, "not support") && !strings.Contains(msg, "unsupported") &&
		!strings.Contains(msg, "dl loads") && !strings.Contains(msg, "cannot load") {
		return ""
	}
	for _, c := range classes {
		if !slices.Contains(dlLoadsClasses, c) && strings.Contains(msg, c) {
			return c
		}
	}
	return ""
}

// closeToScale compares elementwise with |got-want| <= rel·(|want| +
// max|want|): relative, with a floor at rel times the array's largest
// magnitude. Keras computes float32 models in float32, so an output that
// is a small difference of larger terms is only as exact as those terms.
func closeToScale(t *testing.T, what string, got, want []float64, rel float64) bool {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d values, want %d", what, len(got), len(want))
		return false
	}
	scale := 0.0
	for _, w := range want {
		scale = max(scale, math.Abs(w))
	}
	for i := range got {
		d := math.Abs(got[i] - want[i])
		if !(d <= rel*(math.Abs(want[i])+scale)) {
			t.Errorf("%s[%d] = %.17g, Keras %.17g (difference %.3g, tolerance %.3g)", what, i, got[i], want[i], d, rel*(math.Abs(want[i])+scale))
			return false
		}
	}
	return true
}

// kerasSlotIndex maps the kind of a Keras optimizer variable (the suffix of
// its name) to the index of the matching slot in dl's optState.slots[w],
// or -1 for a kind this optimizer does not have.
func kerasSlotIndex(o Optimizer, kind string) int { return o.layout().index(kind) }

// kerasSlotKinds lists the suffixes of Keras's optimizer variable names,
// longest first.
var kerasSlotKinds = []string{"velocity_hat", "average_gradient", "accumulator", "momentum", "velocity", "norm"}

// slotKind returns the kind of a Keras optimizer variable from its name
// (e.g. "sequential_dense_kernel_momentum" → "momentum").
func slotKind(name string) string {
	for _, k := range kerasSlotKinds {
		if strings.HasSuffix(name, "_"+k) || name == k {
			return k
		}
	}
	return ""
}

func TestKerasFiles(t *testing.T) {
	cases := kerasFileCases(t)
	names := sortedKeys(cases)
	for _, name := range names {
		c := cases[name]
		t.Run(name, func(t *testing.T) {
			m, err := c.load()
			if err != nil {
				if cls := unsupportedClass(err, c.Classes); cls != "" {
					t.Skipf("dl cannot load %s yet: it needs %s (%s): %v", c.File, cls, c.Description, err)
				}
				t.Fatalf("loading %s (Keras %s, %s): %v", c.File, c.KerasVersion, c.Description, err)
			}
			if m.Name != c.ModelName {
				t.Errorf("model name %q, Keras %q", m.Name, c.ModelName)
			}
			var got []string
			for _, l := range m.Layers() {
				got = append(got, layerName(asLayer(l)))
			}
			if !slices.Equal(got, c.LayerNames) {
				t.Errorf("layer names %q, Keras %q", got, c.LayerNames)
			}
			// Named inputs keep their names, and take their data by name.
			if len(c.InputNames) > 0 && !strings.HasPrefix(c.InputNames[0], "keras_tensor") {
				if got := m.inputNames(); !slices.Equal(got, c.InputNames) {
					t.Errorf("input names %q, Keras %q", got, c.InputNames)
				}
				byName := Named{}
				for i, n := range c.InputNames {
					byName[n] = c.X[i].Tensor
				}
				p, err := m.Predict(byName, PredictOptions{Verbose: Silent})
				if err != nil {
					t.Fatal(err)
				}
				closeToScale(t, "predict by name vs Keras", p.data, c.Predict.data, 1e-6)
			}

			p, err := m.Predict(c.inputs(), PredictOptions{Verbose: Silent})
			if err != nil {
				t.Fatal(err)
			}
			if !equalShape(p.shape, c.Predict.shape) {
				t.Fatalf("prediction shape %v, Keras %v", p.shape, c.Predict.shape)
			}
			// A loaded model computes in the dtype of the file.
			if c.Kind == "keras" && m.Dtype != c.Dtype {
				t.Errorf("the loaded model's Dtype is %q, the file's %q", m.Dtype, c.Dtype)
			}
			// Keras's own float32 (or float64) predictions.
			rel := 1e-5
			if c.Dtype == "float64" {
				rel = 1e-12
			}
			closeToScale(t, "predict vs Keras", p.data, c.Predict.data, rel)
			// The same weights in float64 math: dl must agree closely.
			t.Run("float64", func(t *testing.T) {
				m, err := c.load()
				if err != nil {
					t.Fatal(err)
				}
				m.Dtype = "float64"
				p, err := m.Predict(c.inputs(), PredictOptions{Verbose: Silent})
				if err != nil {
					t.Fatal(err)
				}
				closeToScale(t, "predict vs float64 Keras", p.data, c.PredictF64.data, 1e-9)
			})

			t.Run("compile_config", func(t *testing.T) { checkRestoredCompile(t, m, c) })
			if !c.Compiled {
				return
			}
			t.Run("optimizer_state", func(t *testing.T) { checkRestoredOptimizer(t, m, c) })
			t.Run("continue_training", func(t *testing.T) {
				if c.TrainStep == nil {
					// With Dropout the step is random: it must just run.
					if _, err := m.Fit(c.inputs(), c.Y[0].Tensor, FitOptions{Epochs: 1, Verbose: Silent}); err != nil {
						t.Fatal(err)
					}
					return
				}
				n := c.X[0].shape[0]
				if _, err := m.Fit(c.inputs(), c.Y[0].Tensor, FitOptions{Epochs: 1, BatchSize: n, NoShuffle: true, Verbose: Silent}); err != nil {
					t.Fatal(err)
				}
				p, err := m.Predict(c.inputs(), PredictOptions{Verbose: Silent})
				if err != nil {
					t.Fatal(err)
				}
				// Keras took this step in float32; a wrong or missing
				// optimizer state moves the weights by about the learning rate.
				closeToScale(t, "predict after one more step vs Keras train_on_batch", p.data, c.TrainStep.Predict.data, 1e-4)
			})
			// After training the slots exist: the file dl writes must list
			// them in the order of Keras's optimizer.variables.
			t.Run("slot_order_written", func(t *testing.T) { checkWrittenSlotOrder(t, m, c) })
		})
	}
}

// checkRestoredCompile checks the optimizer, loss and metrics of a loaded model.
func checkRestoredCompile(t *testing.T, m *Model, c *kerasFileCase) {
	if !c.Compiled {
		if m.compiled != nil {
			t.Errorf("the Keras model was not compiled, but the loaded model is")
		}
		return
	}
	if m.compiled == nil {
		t.Fatalf("the Keras model was compiled, but the loaded model is not")
	}
	o := m.compiled.optimizer
	if o.Name() != c.Compile.Optimizer {
		t.Errorf("optimizer %s, Keras %s", o.Name(), c.Compile.Optimizer)
	}
	if lr := o.CurrentLearningRate(); math.Abs(lr-c.Compile.LearningRate) > 1e-12*c.Compile.LearningRate {
		t.Errorf("learning rate %.17g, Keras %.17g", lr, c.Compile.LearningRate)
	}
	// Every setting dl writes must have Keras's value.
	var cfg map[string]any
	b, _ := json.Marshal(optimizerConfig(o))
	var env struct{ Config map[string]any }
	if err := json.Unmarshal(b, &env); err != nil {
		t.Fatal(err)
	}
	cfg = env.Config
	for k, v := range cfg {
		want, ok := c.Compile.OptimizerConfig[k]
		if !ok || k == "name" {
			continue
		}
		switch v := v.(type) {
		case float64:
			if w, ok := want.(float64); !ok || math.Abs(v-w) > 1e-12*math.Abs(w) {
				t.Errorf("optimizer %s = %v, Keras %v", k, v, want)
			}
		default:
			if fmt.Sprint(v) != fmt.Sprint(want) {
				t.Errorf("optimizer %s = %v, Keras %v", k, v, want)
			}
		}
	}
	if loss, _ := c.Compile.Loss.(string); m.compiled.opts.Loss != loss {
		t.Errorf("loss %q, Keras %v", m.compiled.opts.Loss, c.Compile.Loss)
	}
	var metrics []string
	for _, x := range c.Compile.Metrics {
		metrics = append(metrics, fmt.Sprint(x))
	}
	if !slices.Equal(m.compiled.metricNames, metrics) {
		t.Errorf("metrics %q, Keras %q", m.compiled.metricNames, metrics)
	}
}

// checkRestoredOptimizer compares dl's iteration count and slots with
// Keras's optimizer variables, matched by kind and weight.
func checkRestoredOptimizer(t *testing.T, m *Model, c *kerasFileCase) {
	o := m.compiled.optimizer
	st := o.state()
	if c.OptimizerIterations != nil && st.iterations != *c.OptimizerIterations {
		t.Errorf("iterations %d, Keras %d (optimizer state not restored?)", st.iterations, *c.OptimizerIterations)
	}
	if len(c.OptimizerVariables) > 2 && !st.built {
		t.Fatalf("dl did not restore the optimizer's slots: Keras saved %d slot variables (%s, ...)",
			len(c.OptimizerVariables)-2, c.OptimizerVariables[2].Name)
	}
	seen := map[string]int{} // per kind, how many variables so far = the weight index
	scalars := 0             // the optimizer's own scalars, after the slots
	for i, v := range c.OptimizerVariables {
		if i < 2 {
			continue // iteration, learning_rate
		}
		if len(v.Shape) == 0 {
			if scalars >= len(st.scalars) || st.scalars[scalars] != v.Value[0] {
				t.Errorf("Keras optimizer variable %d %q = %.9g: dl's scalar %d is not that (scalars %v)", i, v.Name, v.Value[0], scalars, st.scalars)
			}
			scalars++
			continue
		}
		kind := slotKind(v.Name)
		w := seen[kind]
		seen[kind]++
		s := kerasSlotIndex(o, kind)
		if kind == "" || s < 0 {
			t.Errorf("Keras optimizer variable %d %q has no dl counterpart for %s", i, v.Name, o.Name())
			continue
		}
		if !st.built || w >= len(m.params) || s >= o.layout().perWeight() {
			t.Errorf("Keras optimizer variable %d (%s): dl has no slot %d for weight %d (slots not restored)", i, v.Name, s, w)
			continue
		}
		got := st.slot(w, s)
		if !equalShape(m.params[w].shape, v.Shape) {
			t.Errorf("Keras optimizer variable %d (%s) has shape %v, weight %d has %v", i, v.Name, v.Shape, w, m.params[w].shape)
			continue
		}
		// float32 values widen to float64 exactly.
		for j := range got {
			if got[j] != v.Value[j] {
				t.Errorf("slot %d (%s) of weight %d (%s)[%d] = %.9g, Keras's optimizer variable %d %q has %.9g",
					s, kind, w, m.params[w].name, j, got[j], i, v.Name, v.Value[j])
				break
			}
		}
	}
}

// checkWrittenSlotOrder compares the shapes of optimizer/vars/2.. in the
// weights file dl writes with those of Keras's optimizer variables.
func checkWrittenSlotOrder(t *testing.T, m *Model, c *kerasFileCase) {
	b, err := m.encodeWeights()
	if err != nil {
		t.Fatal(err)
	}
	root, err := h5.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	vars, ok := root.Group("optimizer/vars")
	if !ok {
		t.Fatal("dl wrote no optimizer/vars")
	}
	if len(vars.Datasets) != len(c.OptimizerVariables) {
		t.Fatalf("dl wrote %d optimizer variables, Keras has %d", len(vars.Datasets), len(c.OptimizerVariables))
	}
	var got, want []string
	for i := 2; i < len(c.OptimizerVariables); i++ {
		ds, ok := vars.Dataset(fmt.Sprint(i))
		if !ok {
			t.Fatalf("dl wrote no optimizer/vars/%d", i)
		}
		got = append(got, fmt.Sprint(ds.Shape))
		v := c.OptimizerVariables[i]
		want = append(want, fmt.Sprint(v.Shape))
	}
	if !slices.Equal(got, want) {
		var names []string
		for _, v := range c.OptimizerVariables[2:] {
			names = append(names, v.Name)
		}
		t.Errorf("dl writes optimizer/vars/2.. with shapes\n  %v\nKeras's optimizer.variables are\n  %v\n  (%s)",
			got, want, strings.Join(names, ", "))
	}
}

// ---------------------------------------------------------------------------
// dl → Keras

// dlFile is one model that TestKerasOpensDLFiles writes for Keras to open.
type dlFile struct {
	name    string
	model   *Model
	weights bool // SaveWeights instead of Save
	dropout bool // training is random: Keras only checks that it runs
	x       []*Tensor
	y       *Tensor
}

// inputs returns x as Predict and Fit take it.
func (f *dlFile) inputs() Inputs {
	if len(f.x) == 1 {
		return f.x[0]
	}
	return Tensors(f.x)
}

// nestedList returns t as nested lists, as NumPy's tolist would.
func nestedList(t *Tensor) any {
	var rec func(off int, shape []int) any
	rec = func(off int, shape []int) any {
		if len(shape) == 0 {
			return t.data[off]
		}
		stride := 1
		for _, d := range shape[1:] {
			stride *= d
		}
		out := make([]any, shape[0])
		for i := range out {
			out[i] = rec(off+i*stride, shape[1:])
		}
		return out
	}
	return rec(0, t.shape)
}

// optimizerJSON is the optimizer state that check_dl_files.py compares
// with what Keras loaded: the slots by Keras's kind name, one array per
// trainable weight in model order.
func optimizerJSON(m *Model) map[string]any {
	o := m.compiled.optimizer
	st := o.state()
	slots := map[string][][]float64{}
	for _, kind := range kerasSlotKinds {
		s := kerasSlotIndex(o, kind)
		if s < 0 || !st.built {
			continue
		}
		for w := range m.params {
			slots[kind] = append(slots[kind], append([]float64(nil), st.slot(w, s)...))
		}
	}
	return map[string]any{"class": o.Name(), "iterations": st.iterations, "learning_rate": o.CurrentLearningRate(), "slots": slots,
		"scalars": append([]float64{}, st.scalars...)}
}

// kerasCheckerPython returns the Python to run check_dl_files.py with, or
// skips the test.
func kerasCheckerPython(t *testing.T) string {
	py := os.Getenv("DLGO_PYTHON")
	if py == "" {
		py = filepath.Join("..", "tools", "keras", ".venv", "bin", "python")
		if _, err := os.Stat(py); err != nil {
			t.Skipf("no Python with Keras: set DLGO_PYTHON or create %s with tools/keras/interop.sh", py)
		}
	}
	cmd := exec.Command(py, "-c", "import keras")
	cmd.Env = kerasEnv()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("%s cannot import keras (%v): %s", py, err, lastLines(string(out), 3))
	}
	return py
}

// kerasEnv is the environment for the Keras checker: JAX on CPU unless set.
func kerasEnv() []string {
	env := os.Environ()
	if os.Getenv("KERAS_BACKEND") == "" {
		env = append(env, "KERAS_BACKEND=jax")
	}
	if os.Getenv("JAX_PLATFORMS") == "" {
		env = append(env, "JAX_PLATFORMS=cpu")
	}
	return env
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// dlFiles builds, trains and returns the models TestKerasOpensDLFiles saves.
func dlFiles(t *testing.T) []dlFile {
	rng := rand.New(rand.NewPCG(21, 22))
	const n = 16
	var files []dlFile
	add := func(name string, m *Model, opts CompileOptions, weights, dropout bool) {
		m.Seed = 7
		var xs []*Tensor
		var cols []float64 // the first two features of each input, for y
		for _, s := range m.inputShapes() {
			x := randTensor(rng, append([]int{n}, s...)...)
			xs = append(xs, x)
			per := x.Size() / n
			for i := 0; i < n; i++ {
				cols = append(cols, x.data[i*per], x.data[i*per+1])
			}
		}
		out := m.outputShapes()[0][0]
		y := Zeros(n, out)
		for i := 0; i < n; i++ {
			for k := 0; k < out; k++ {
				a, b := cols[2*i], cols[2*i+1]
				if k%2 == 1 {
					a, b = b, a
				}
				y.data[i*out+k] = math.Tanh(a - 0.5*b)
				if opts.Loss == "binary_crossentropy" {
					y.data[i*out+k] = math.Round((y.data[i*out+k] + 1) / 2)
				}
			}
		}
		f := dlFile{name: name, model: m, weights: weights, dropout: dropout, x: xs, y: y}
		if opts.Loss != "" {
			if err := m.Compile(opts); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if _, err := m.Fit(f.inputs(), y, FitOptions{Epochs: 2, BatchSize: 8, Verbose: Silent}); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		files = append(files, f)
	}
	small := func() *Model {
		return &NewSequential(Input(3), &Dense{Units: 4, Activation: Tanh}, &Dense{Units: 2}).Model
	}
	// Regularizers and Dropout.
	regularized := func(dropout bool) *Model {
		ls := []Layer{Input(6), &Dense{Units: 8, Activation: ReLU, KernelRegularizer: L2(0.01)}}
		if dropout {
			ls = append(ls, &Dropout{Rate: 0.25})
		}
		ls = append(ls,
			&Dense{Units: 4, Activation: Tanh, KernelRegularizer: L1(0.001), BiasRegularizer: L2(0.01)},
			&Dense{Units: 1, Activation: Sigmoid, KernelRegularizer: L1L2(0.001, 0.002)})
		return &NewSequential(ls...).Model
	}
	// Each model gets its own optimizer: an optimizer belongs to one model.
	bce := func() CompileOptions {
		return CompileOptions{Optimizer: &Adam{LearningRate: 0.01}, Loss: "binary_crossentropy", Metrics: []string{"accuracy"}}
	}
	add("regularized_dropout", regularized(true), bce(), false, true)
	add("regularized", regularized(false), bce(), false, false)
	// A float32 model: its weights and the optimizer's slots are stored in
	// float32, as Keras stores its own.
	f32 := regularized(false)
	f32.Dtype = "float32"
	add("regularized_float32", f32, bce(), false, false)
	// Every activation dl has, in a hidden layer and (as Keras allows) in
	// the output layer.
	var acts []string
	for a := range activations {
		acts = append(acts, string(a))
	}
	sort.Strings(acts)
	for _, a := range acts {
		s := NewSequential(Input(4), &Dense{Units: 5, Activation: Activation(a)}, &Dense{Units: 3, Activation: Activation(a)})
		add("activation_"+a, &s.Model, CompileOptions{Optimizer: "adam", Loss: "mse", Metrics: []string{"mae"}}, false, false)
	}
	// Every optimizer setting, trained so that the slots exist.
	for _, o := range []struct {
		name string
		opt  Optimizer
	}{
		{"adam", &Adam{LearningRate: 0.01}},
		{"adam_amsgrad", &Adam{LearningRate: 0.01, Amsgrad: true}},
		{"sgd", &SGD{LearningRate: 0.05}},
		{"sgd_momentum", &SGD{LearningRate: 0.05, Momentum: 0.9}},
		{"sgd_nesterov", &SGD{LearningRate: 0.05, Momentum: 0.9, Nesterov: true}},
		{"rmsprop", &RMSprop{LearningRate: 0.01}},
		{"rmsprop_momentum", &RMSprop{LearningRate: 0.01, Momentum: 0.5}},
		{"rmsprop_centered", &RMSprop{LearningRate: 0.01, Centered: true}},
		{"rmsprop_momentum_centered", &RMSprop{LearningRate: 0.01, Momentum: 0.5, Centered: true}},
		{"adagrad", &Adagrad{LearningRate: 0.05}},
		{"adamw", &AdamW{LearningRate: 0.01, WeightDecay: 0.05}},
		{"adamw_amsgrad", &AdamW{LearningRate: 0.01, Amsgrad: true}},
		{"nadam", &Nadam{LearningRate: 0.01}},
		{"adamax", &Adamax{LearningRate: 0.01}},
	} {
		add("optimizer_"+o.name, small(), CompileOptions{Optimizer: o.opt, Loss: "mse"}, false, false)
	}
	add("uncompiled", &NewSequential(Input(3), &Dense{Units: 4}, &Dense{Units: 2, Activation: Softmax}).Model, CompileOptions{}, false, false)
	// A functional model with two inputs.
	a, b := Input(5), Input(3)
	h := Call(&Concatenate{}, Call(&Dense{Units: 4, Activation: ReLU}, a), Call(&Dense{Units: 6, Activation: ReLU}, b))
	fm, err := NewModel(Nodes{a, b}, Call(&Dense{Units: 1}, Call(&Dense{Units: 3, Activation: Tanh}, h)))
	if err != nil {
		t.Fatal(err)
	}
	add("functional_two_inputs", fm, CompileOptions{Optimizer: "adam", Loss: "mse"}, false, false)
	// A shared layer and the other merges.
	c, d := Input(4), Input(4)
	shared := &Dense{Units: 3, Activation: Tanh}
	sc, sd := Call(shared, c), Call(shared, d)
	merged := Call(&Concatenate{Axis: 1}, Call(&Add{}, sc, sd), Call(&Subtract{}, sc, sd), Call(&Multiply{}, sc, sd), Call(&Average{}, sc, sd))
	sm, err := NewModel(Nodes{c, d}, Call(&Dense{Units: 2}, merged))
	if err != nil {
		t.Fatal(err)
	}
	add("functional_shared_merges", sm, CompileOptions{Optimizer: "rmsprop", Loss: "mse"}, false, false)
	// Chapter 8's named inputs: Keras reads the names (model.inputs,
	// summary) and takes the data keyed by them.
	n1, n2 := Input(6).Named("input_1"), Input(3).Named("input_2")
	nh := Concat(Call(&Dense{Units: 18, Activation: ReLU, Name: "numeric"}, n1), Call(&Dense{Units: 4, Activation: ReLU, Name: "origin"}, n2))
	nm, err := NewModel(Nodes{n1, n2}, Call(&Dense{Units: 1}, Call(&Dense{Units: 8, Activation: ReLU}, nh)))
	if err != nil {
		t.Fatal(err)
	}
	add("functional_named_inputs", nm, CompileOptions{Optimizer: &Adam{LearningRate: 0.01}, Loss: "mse", Metrics: []string{"mae"}}, false, false)
	// Recurrent layers, stacked, with their options, and LSTM's states.
	rs := NewSequential(Input(5, 2),
		&SimpleRNN{Units: 4, ReturnSequences: true, KernelRegularizer: L2(0.01)},
		&LSTM{Units: 3, ReturnSequences: true, GoBackwards: true},
		&GRU{Units: 3, ReturnSequences: true},
		&GRU{Units: 2, NoResetAfter: true, ReturnSequences: true},
		&SimpleRNN{Units: 2, Activation: ReLU},
		&Dense{Units: 1})
	add("recurrent_stack", &rs.Model, CompileOptions{Optimizer: "adam", Loss: "mse"}, false, false)
	in := Input(5, 2)
	st := CallMulti(&LSTM{Units: 3, ReturnState: true}, in)
	lm, err := NewModel(in, Call(&Dense{Units: 1}, Concat(st[0], st[1], st[2])))
	if err != nil {
		t.Fatal(err)
	}
	add("lstm_states", lm, CompileOptions{Optimizer: "adam", Loss: "mse"}, false, false)
	// Convolution and pooling layers: the lecture's CNN, every 2-D option,
	// and Conv1D; a weights file too.
	cnnModel := func() *Model {
		return &NewSequential(Input(8, 8, 1),
			&Conv2D{Filters: 16, KernelSize: Size{3}, Activation: ReLU}, &MaxPooling2D{PoolSize: Size{2}},
			&Conv2D{Filters: 32, KernelSize: Size{3}, Activation: ReLU}, &Flatten{}, &Dense{Units: 10, Activation: Softmax}).Model
	}
	add("cnn", cnnModel(), CompileOptions{Optimizer: "adam", Loss: "mse", Metrics: []string{"mae"}}, false, false)
	options := NewSequential(Input(9, 7, 2),
		&Conv2D{Filters: 4, KernelSize: Size{3, 2}, Strides: Size{2, 1}, Padding: "same", Activation: Tanh, NoBias: true,
			KernelRegularizer: L2(0.01)},
		&AveragePooling2D{PoolSize: Size{2, 3}, Strides: Size{1}, Padding: "same"},
		&MaxPooling2D{Strides: Size{1, 2}, Padding: "same"},
		&Conv2D{Filters: 3, KernelSize: Size{1}, BiasRegularizer: L1(0.01)},
		&GlobalAveragePooling2D{KeepDims: true}, &Flatten{}, &Dense{Units: 2})
	add("cnn_options", &options.Model, CompileOptions{Optimizer: &RMSprop{LearningRate: 0.01}, Loss: "mse"}, false, false)
	c1 := NewSequential(Input(12, 3), &Conv1D{Filters: 4, KernelSize: Size{3}, Padding: "causal", Activation: ReLU},
		&MaxPooling1D{}, &Conv1D{Filters: 2, KernelSize: Size{2}, Strides: Size{2}, Padding: "same"},
		&MaxPooling1D{PoolSize: Size{2}, Strides: Size{1}, Padding: "same"}, &Flatten{}, &Dense{Units: 1})
	add("conv1d", &c1.Model, CompileOptions{Optimizer: "adam", Loss: "mse"}, false, false)
	add("weights_cnn", cnnModel(), CompileOptions{Optimizer: "adam", Loss: "mse"}, true, false)
	// Weights files.
	add("weights_adam", small(), CompileOptions{Optimizer: "adam", Loss: "mse", Metrics: []string{"mae"}}, true, false)
	add("weights_rmsprop_momentum_centered", small(), CompileOptions{Optimizer: &RMSprop{Momentum: 0.5, Centered: true}, Loss: "mse"}, true, false)
	add("weights_uncompiled", small(), CompileOptions{}, true, false)
	return files
}

// writeDLFile saves f into dir with its NAME.json for check_dl_files.py.
func writeDLFile(t *testing.T, dir string, f dlFile) {
	m := f.model
	var xs []any
	for _, x := range f.x {
		xs = append(xs, nestedList(x))
	}
	d := map[string]any{"x": xs, "y": []any{nestedList(f.y)}, "compiled": m.compiled != nil}
	if f.weights {
		d["file"], d["kind"] = f.name+".weights.h5", "weights"
		cfg, err := m.kerasConfig()
		if err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		d["config"] = cfg
		if err := m.SaveWeights(filepath.Join(dir, f.name+".weights.h5")); err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
	} else {
		d["file"], d["kind"] = f.name+".keras", "keras"
		if err := m.Save(filepath.Join(dir, f.name+".keras")); err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
	}
	p, err := m.Predict(f.inputs(), PredictOptions{Verbose: Silent})
	if err != nil {
		t.Fatal(err)
	}
	d["predict"] = nestedList(p)
	var names []string
	for _, l := range m.Layers() {
		names = append(names, layerName(asLayer(l)))
	}
	d["layer_names"] = names
	if m.seq == nil {
		d["input_names"] = m.inputNames()
	}
	if m.compiled != nil {
		d["optimizer"] = optimizerJSON(m)
		d["loss"] = m.compiled.opts.Loss
		d["metrics"] = m.compiled.metricNames
		if !f.dropout {
			// One more full-batch step from the saved state.
			if _, err := m.Fit(f.inputs(), f.y, FitOptions{Epochs: 1, BatchSize: f.y.shape[0], NoShuffle: true, Verbose: Silent}); err != nil {
				t.Fatal(err)
			}
			p, err := m.Predict(f.inputs(), PredictOptions{Verbose: Silent})
			if err != nil {
				t.Fatal(err)
			}
			d["train_step"] = map[string]any{"predict": nestedList(p)}
		}
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, f.name+".json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestKerasOpensDLFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Keras (about a minute); skipped with -short")
	}
	py := kerasCheckerPython(t)
	dir := t.TempDir()
	if d := os.Getenv("DLGO_KEEP_FILES"); d != "" {
		dir = d // keep the files, e.g. to try them with another Keras
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	files := dlFiles(t)
	for _, f := range files {
		writeDLFile(t, dir, f)
	}
	start := time.Now()
	cmd := exec.Command(py, filepath.Join("..", "tools", "keras", "check_dl_files.py"), dir)
	cmd.Env = kerasEnv()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	runErr := cmd.Run()
	t.Logf("check_dl_files.py on %d files in %.0fs: %s", len(files), time.Since(start).Seconds(), lastLines(out.String(), 1))
	// The checker prints "ok   FILE: ..." or "FAIL FILE: ..." and the
	// details, per file.
	results := map[string]string{}
	var cur string
	for _, line := range strings.SplitAfter(out.String(), "\n") {
		if strings.HasPrefix(line, "ok   ") || strings.HasPrefix(line, "FAIL ") {
			cur, _, _ = strings.Cut(line[5:], ":")
		} else if strings.HasPrefix(line, "all ") || strings.Contains(line, " files failed: ") {
			cur = "" // the summary
		}
		if cur != "" {
			results[cur] += line
		}
	}
	for _, f := range files {
		t.Run(f.name, func(t *testing.T) {
			file := f.name + ".keras"
			if f.weights {
				file = f.name + ".weights.h5"
			}
			r, ok := results[file]
			switch {
			case !ok:
				t.Fatalf("check_dl_files.py did not report on %s:\n%s", file, out.String())
			case !strings.HasPrefix(r, "ok "):
				t.Fatalf("Keras does not open %s as dl wrote it:\n%s", file, r)
			}
		})
	}
	if runErr != nil && !t.Failed() {
		t.Fatalf("check_dl_files.py: %v\n%s", runErr, out.String())
	}
}
