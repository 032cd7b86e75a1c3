package dl

// Save / LoadModel / SaveWeights / LoadWeights and History.Save behaviour
// that needs no Keras: exact round trips, training that continues exactly
// where it stopped, clear errors for the wrong architecture, atomic writes,
// and damaged files that are errors, never panics.

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// saveTestModel is a Sequential without Dropout, so that training is
// deterministic with NoShuffle.
func saveTestModel() *Sequential {
	return NewSequential(Input(3),
		&Dense{Units: 5, Activation: ReLU, KernelRegularizer: L2(0.01)},
		&Dense{Units: 4, Activation: Tanh, BiasRegularizer: L1(0.001)},
		&Dense{Units: 1})
}

// weightBits returns a copy of the model's weights.
func weightBits(m *Model) [][]float64 {
	var out [][]float64
	for _, w := range m.GetWeights() {
		out = append(out, w.Data())
	}
	return out
}

// sameBits reports whether a and b are bitwise equal.
func sameBits(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// sameWeights compares two weight lists at tol relative (0 for bitwise).
func sameWeights(t *testing.T, what string, got, want [][]float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d weights, want %d", what, len(got), len(want))
	}
	for i := range got {
		if tol == 0 {
			if !sameBits(got[i], want[i]) {
				t.Errorf("%s: weight %d differs: %v, want %v", what, i, got[i], want[i])
			}
			continue
		}
		for j := range got[i] {
			if d := math.Abs(got[i][j] - want[i][j]); d > tol*math.Abs(want[i][j])+1e-300 {
				t.Errorf("%s: weight %d[%d] = %.17g, want %.17g", what, i, j, got[i][j], want[i][j])
				break
			}
		}
	}
}

// mustPredict returns the model's predictions for x.
func mustPredict(t *testing.T, m *Model, x Inputs) []float64 {
	t.Helper()
	p, err := m.Predict(x, PredictOptions{Verbose: Silent})
	if err != nil {
		t.Fatal(err)
	}
	return p.Data()
}

// compileJSON is the compile_config dl writes for a model: equal strings
// mean the same optimizer settings, loss and metrics.
func compileJSON(t *testing.T, m *Model) string {
	t.Helper()
	cfg, err := m.kerasConfig()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range cfg {
		if e.k == "compile_config" {
			b, err := json.Marshal(e.v)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	return ""
}

// saveOptimizers are the optimizer settings the round trips cover.
func saveOptimizers() []struct {
	name string
	opt  Optimizer
} {
	return []struct {
		name string
		opt  Optimizer
	}{
		{"adam", &Adam{LearningRate: 0.01}},
		{"adam_amsgrad", &Adam{LearningRate: 0.01, Amsgrad: true, Beta1: 0.8}},
		{"sgd", &SGD{LearningRate: 0.05}},
		{"sgd_momentum", &SGD{LearningRate: 0.05, Momentum: 0.9}},
		{"sgd_nesterov", &SGD{LearningRate: 0.05, Momentum: 0.9, Nesterov: true}},
		{"rmsprop", &RMSprop{}},
		{"rmsprop_momentum_centered", &RMSprop{LearningRate: 0.01, Momentum: 0.5, Centered: true, Rho: 0.8}},
		{"rmsprop_centered", &RMSprop{LearningRate: 0.01, Centered: true}},
		{"adagrad", &Adagrad{LearningRate: 0.05, InitialAccumulatorValue: 0.2}},
	}
}

func TestSaveLoadModelRoundTrip(t *testing.T) {
	x, y := regressionData(40)
	for _, o := range saveOptimizers() {
		t.Run(o.name, func(t *testing.T) {
			m := &saveTestModel().Model
			if err := m.Compile(CompileOptions{Optimizer: o.opt, Loss: "mse", Metrics: []string{"mae"}}); err != nil {
				t.Fatal(err)
			}
			fit := FitOptions{Epochs: 3, BatchSize: 8, NoShuffle: true, Verbose: Silent}
			if _, err := m.Fit(x, y, fit); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "model.keras")
			if err := m.Save(path); err != nil {
				t.Fatal(err)
			}
			l, err := LoadModel(path)
			if err != nil {
				t.Fatal(err)
			}
			if !sameBits(mustPredict(t, l, x), mustPredict(t, m, x)) {
				t.Errorf("the loaded model predicts differently")
			}
			if l.Name != m.Name {
				t.Errorf("model name %q, saved %q", l.Name, m.Name)
			}
			for i, layer := range l.Layers() {
				if got, want := layerName(asLayer(layer)), layerName(asLayer(m.Layers()[i])); got != want {
					t.Errorf("layer %d is named %q, saved %q", i, got, want)
				}
			}
			if got, want := compileJSON(t, l), compileJSON(t, m); got != want {
				t.Errorf("compile_config after loading:\n%s\nsaved:\n%s", got, want)
			}
			if got, want := l.compiled.optimizer.Iterations(), m.compiled.optimizer.Iterations(); got != want {
				t.Errorf("iterations %d, saved %d", got, want)
			}
			// One more epoch on both: equal weights prove that the
			// optimizer's slots were restored.
			fit.Epochs = 1
			h1, err := m.Fit(x, y, fit)
			if err != nil {
				t.Fatal(err)
			}
			h2, err := l.Fit(x, y, fit)
			if err != nil {
				t.Fatal(err)
			}
			sameWeights(t, "weights after one more epoch", weightBits(l), weightBits(m), 1e-12)
			if a, b := h2.History["loss"][0], h1.History["loss"][0]; math.Abs(a-b) > 1e-12*math.Abs(b) {
				t.Errorf("loss of the next epoch %.17g, original %.17g", a, b)
			}
		})
	}
}

func TestSaveLoadModelOtherModels(t *testing.T) {
	x, _ := regressionData(10)
	dir := t.TempDir()
	check := func(t *testing.T, m *Model, x Inputs, compiled bool) {
		path := filepath.Join(dir, t.Name()[strings.LastIndex(t.Name(), "/")+1:]+".keras")
		if err := m.Save(path); err != nil {
			t.Fatal(err)
		}
		l, err := LoadModel(path)
		if err != nil {
			t.Fatal(err)
		}
		if !sameBits(mustPredict(t, l, x), mustPredict(t, m, x)) {
			t.Errorf("the loaded model predicts differently")
		}
		if (l.compiled != nil) != compiled {
			t.Errorf("loaded compiled=%v, want %v", l.compiled != nil, compiled)
		}
	}
	t.Run("uncompiled", func(t *testing.T) {
		check(t, &saveTestModel().Model, x, false)
	})
	t.Run("dropout", func(t *testing.T) {
		m := NewSequential(Input(3), &Dense{Units: 6, Activation: ELU}, &Dropout{Rate: 0.5}, &Dense{Units: 2, Activation: Softmax})
		check(t, &m.Model, x, false)
	})
	t.Run("compiled_not_trained", func(t *testing.T) {
		m := saveTestModel()
		if err := m.Compile(CompileOptions{Optimizer: "adam", Loss: "mse"}); err != nil {
			t.Fatal(err)
		}
		check(t, &m.Model, x, true)
	})
	t.Run("functional", func(t *testing.T) {
		a, b := Input(3), Input(2)
		h := Call(&Concatenate{}, Call(&Dense{Units: 4, Activation: ReLU}, a), b)
		m, err := NewModel(Nodes{a, b}, Call(&Dense{Units: 1}, h))
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Compile(CompileOptions{Optimizer: "rmsprop", Loss: "mse"}); err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(1, 2))
		xs := Tensors{randTensor(rng, 10, 3), randTensor(rng, 10, 2)}
		if _, err := m.Fit(xs, randTensor(rng, 10, 1), FitOptions{Epochs: 2, Verbose: Silent}); err != nil {
			t.Fatal(err)
		}
		check(t, m, xs, true)
	})
}

func TestSaveWeightsLoadWeights(t *testing.T) {
	x, y := regressionData(40)
	fit := FitOptions{Epochs: 2, BatchSize: 8, NoShuffle: true, Verbose: Silent}
	m := &saveTestModel().Model
	if err := m.Compile(CompileOptions{Optimizer: &RMSprop{Momentum: 0.5}, Loss: "mse"}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Fit(x, y, fit); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "w.weights.h5")
	if err := m.SaveWeights(path); err != nil {
		t.Fatal(err)
	}

	// Into a fresh, uncompiled model: the weights only.
	u := &saveTestModel().Model
	if err := u.LoadWeights(path); err != nil {
		t.Fatal(err)
	}
	sameWeights(t, "uncompiled LoadWeights", weightBits(u), weightBits(m), 0)

	// Into a fresh model compiled the same way: weights and optimizer state.
	l := &saveTestModel().Model
	if err := l.Compile(CompileOptions{Optimizer: &RMSprop{Momentum: 0.5}, Loss: "mse"}); err != nil {
		t.Fatal(err)
	}
	if err := l.LoadWeights(path); err != nil {
		t.Fatal(err)
	}
	if !sameBits(mustPredict(t, l, x), mustPredict(t, m, x)) {
		t.Errorf("the model with loaded weights predicts differently")
	}
	fit.Epochs = 1
	for _, mm := range []*Model{m, l} {
		if _, err := mm.Fit(x, y, fit); err != nil {
			t.Fatal(err)
		}
	}
	sameWeights(t, "weights after one more epoch", weightBits(l), weightBits(m), 1e-12)

	// The file names are checked.
	if err := m.SaveWeights(filepath.Join(t.TempDir(), "w.h5")); err == nil || !strings.Contains(err.Error(), ".weights.h5") {
		t.Errorf("SaveWeights to w.h5: %v, want an error about the .weights.h5 suffix", err)
	}
	if err := m.Save(filepath.Join(t.TempDir(), "m.h5")); err == nil || !strings.Contains(err.Error(), ".keras") {
		t.Errorf("Save to m.h5: %v, want an error about the .keras suffix", err)
	}
}

func TestLoadWeightsWrongArchitecture(t *testing.T) {
	src := &saveTestModel().Model
	path := filepath.Join(t.TempDir(), "w.weights.h5")
	if err := src.SaveWeights(path); err != nil {
		t.Fatal(err)
	}
	keras := filepath.Join(t.TempDir(), "m.keras")
	if err := src.Save(keras); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		model *Sequential
		file  string
		want  []string // in the error message
	}{
		// The first layer matches, the second does not: nothing may change.
		{"units", NewSequential(Input(3), &Dense{Units: 5, Activation: ReLU}, &Dense{Units: 7, Name: "second"}, &Dense{Units: 1}), path,
			[]string{"second", "kernel", "(5, 4)", "(5, 7)"}},
		{"input", NewSequential(Input(4), &Dense{Units: 5, Name: "first"}, &Dense{Units: 4}, &Dense{Units: 1}), path, []string{"first", "(4, 5)", "(3, 5)"}},
		{"fewer_layers", NewSequential(Input(3), &Dense{Units: 5}, &Dense{Units: 1, Name: "second"}), path, []string{"second", "(5, 1)"}},
		{"more_layers", NewSequential(Input(3), &Dense{Units: 5}, &Dense{Units: 4}, &Dense{Units: 1}, &Dense{Units: 1, Name: "fourth"}), path,
			[]string{"fourth", "expects 2", "has 0", "dense_3"}},
		{"no_bias", NewSequential(Input(3), &Dense{Units: 5}, &Dense{Units: 4, NoBias: true, Name: "second"}, &Dense{Units: 1}), path,
			[]string{"second", "expects 1"}},
		{"keras_archive", saveTestModel(), keras, []string{"HDF5"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := &c.model.Model
			before := weightBits(m)
			err := m.LoadWeights(c.file)
			if err == nil {
				t.Fatalf("LoadWeights into a different architecture succeeded")
			}
			var e *Error
			if !errors.As(err, &e) || e.Op != "LoadWeights" {
				t.Errorf("error %T %v, want a *dl.Error from LoadWeights", err, err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			sameWeights(t, "weights after the failed LoadWeights", weightBits(m), before, 0)
		})
	}
	// Not built: nothing to load into.
	u := NewSequential(&Dense{Units: 2})
	if err := u.LoadWeights(path); err == nil || !strings.Contains(err.Error(), "not built") {
		t.Errorf("LoadWeights into an unbuilt model: %v", err)
	}
}

// dirNames lists the names in dir.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

func TestSaveIsAtomic(t *testing.T) {
	x, _ := regressionData(5)
	good := &saveTestModel().Model
	dir := t.TempDir()
	path := filepath.Join(dir, "ckpt.keras")
	wpath := filepath.Join(dir, "ckpt.weights.h5")
	if err := good.Save(path); err != nil {
		t.Fatal(err)
	}
	if err := good.SaveWeights(wpath); err != nil {
		t.Fatal(err)
	}
	orig, _ := os.ReadFile(path)
	worig, _ := os.ReadFile(wpath)
	intact := func(t *testing.T) {
		t.Helper()
		if b, _ := os.ReadFile(path); !bytes.Equal(b, orig) {
			t.Errorf("the earlier checkpoint %s was changed", path)
		}
		if b, _ := os.ReadFile(wpath); !bytes.Equal(b, worig) {
			t.Errorf("the earlier checkpoint %s was changed", wpath)
		}
		if names := dirNames(t, dir); len(names) != 2 {
			t.Errorf("the directory holds %q; a failed save must leave no temporary file", names)
		}
		l, err := LoadModel(path)
		if err != nil {
			t.Fatalf("the earlier checkpoint no longer loads: %v", err)
		}
		if !sameBits(mustPredict(t, l, x), mustPredict(t, good, x)) {
			t.Errorf("the earlier checkpoint predicts differently")
		}
	}

	t.Run("unbuilt_model", func(t *testing.T) {
		bad := NewSequential(&Dense{Units: 3})
		if err := bad.Save(path); err == nil || !strings.Contains(err.Error(), "not built") {
			t.Errorf("Save of an unbuilt model: %v", err)
		}
		if err := bad.SaveWeights(wpath); err == nil {
			t.Errorf("SaveWeights of an unbuilt model succeeded")
		}
		intact(t)
	})
	t.Run("path_is_a_directory", func(t *testing.T) {
		sub := t.TempDir()
		d := filepath.Join(sub, "dir.keras")
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := good.Save(d); err == nil {
			t.Errorf("Save over a directory succeeded")
		}
		if names := dirNames(t, sub); len(names) != 1 {
			t.Errorf("after the failed Save the directory holds %q", names)
		}
		if names := dirNames(t, d); len(names) != 0 {
			t.Errorf("the target directory now holds %q", names)
		}
		intact(t)
	})
	t.Run("missing_directory", func(t *testing.T) {
		if err := good.Save(filepath.Join(dir, "no", "such", "m.keras")); err == nil {
			t.Errorf("Save into a missing directory succeeded")
		}
		intact(t)
	})
	t.Run("read_only_directory", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root ignores directory permissions")
		}
		other := &NewSequential(Input(3), &Dense{Units: 2}).Model
		if err := os.Chmod(dir, 0o555); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(dir, 0o755)
		if err := other.Save(path); err == nil {
			t.Errorf("Save into a read-only directory succeeded")
		}
		if err := other.SaveWeights(wpath); err == nil {
			t.Errorf("SaveWeights into a read-only directory succeeded")
		}
		os.Chmod(dir, 0o755)
		intact(t)
	})
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.bin")
	if err := os.WriteFile(path, []byte("old contents"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	err := writeFileAtomic(path, func(f *os.File) error {
		if _, err := f.Write(bytes.Repeat([]byte("new"), 1000)); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("writeFileAtomic returned %v, want the write function's error", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old contents" {
		t.Errorf("the old file now holds %q", b)
	}
	if names := dirNames(t, dir); len(names) != 1 {
		t.Errorf("the directory holds %q; the temporary file must be removed", names)
	}
	// A successful write replaces the file, with the file's permissions.
	if err := writeFileAtomic(path, func(f *os.File) error { _, err := f.WriteString("new"); return err }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Errorf("the file holds %q after a successful write", b)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644&newFileMode(t) {
		t.Errorf("mode %v (%v), want the old file's %v", fi.Mode(), err, 0o644&newFileMode(t))
	}
	if names := dirNames(t, dir); len(names) != 1 {
		t.Errorf("the directory holds %q", names)
	}
}

// ---------------------------------------------------------------------------
// damaged files

// zipEntry is one file of a hand-made archive.
type zipEntry struct {
	name string
	data []byte
}

// makeZip returns a STORED zip of entries (with correct checksums).
func makeZip(entries []zipEntry) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, e := range entries {
		w, err := z.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Store})
		if err != nil {
			panic(err)
		}
		w.Write(e.data)
	}
	z.Close()
	return b.Bytes()
}

// zipEntries reads the raw entries of an archive (without checking their
// checksums).
func zipEntries(data []byte) ([]zipEntry, error) {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	var out []zipEntry
	for _, f := range z.File {
		r, err := f.OpenRaw()
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(io.LimitReader(r, 1<<24))
		if err != nil {
			return nil, err
		}
		out = append(out, zipEntry{f.Name, b})
	}
	return out, nil
}

// replaceEntry returns entries with name's data replaced.
func replaceEntry(entries []zipEntry, name string, data []byte) []zipEntry {
	out := append([]zipEntry(nil), entries...)
	for i := range out {
		if out[i].name == name {
			out[i].data = data
		}
	}
	return out
}

// loadBytes writes data to a temporary .keras file and loads it,
// recovering a panic (which is always a bug) into p.
func loadBytes(dir string, data []byte) (m *Model, path string, p any, err error) {
	f, ferr := os.CreateTemp(dir, "*.keras")
	if ferr != nil {
		panic(ferr)
	}
	path = f.Name()
	f.Write(data)
	f.Close()
	defer os.Remove(path)
	defer func() { p = recover() }()
	m, err = LoadModel(path)
	return m, path, nil, err
}

// wantLoadError checks that data is rejected with a *dl.Error that names
// the file and says what is wrong (one of want, if given).
func wantLoadError(t *testing.T, dir, what string, data []byte, want ...string) {
	t.Helper()
	_, path, p, err := loadBytes(dir, data)
	switch {
	case p != nil:
		t.Errorf("%s: LoadModel panicked: %v", what, p)
		return
	case err == nil:
		t.Errorf("%s: LoadModel succeeded", what)
		return
	}
	var e *Error
	if !errors.As(err, &e) || e.Op != "LoadModel" {
		t.Errorf("%s: error %T %q, want a *dl.Error from LoadModel", what, err, err)
	}
	if !strings.Contains(err.Error(), filepath.Base(path)) {
		t.Errorf("%s: error %q does not name the file", what, err)
	}
	if len(want) == 0 {
		return
	}
	for _, w := range want {
		if strings.Contains(err.Error(), w) {
			return
		}
	}
	t.Errorf("%s: error %q says none of %q", what, err, want)
}

// validKeras returns the bytes of a small compiled, trained dl model file.
func validKeras(t testing.TB) []byte {
	m := NewSequential(Input(2), &Dense{Units: 2, Activation: ReLU}, &Dropout{Rate: 0.1}, &Dense{Units: 1, Activation: Sigmoid})
	m.Seed = 3
	if err := m.Compile(CompileOptions{Optimizer: "adam", Loss: "binary_crossentropy", Metrics: []string{"accuracy"}}); err != nil {
		t.Fatal(err)
	}
	x := FromRows([][]float64{{0, 1}, {1, 0}, {1, 1}, {0, 0}})
	y := FromRows([][]float64{{1}, {1}, {0}, {0}})
	_, err := m.Fit(x, y, FitOptions{Epochs: 2, Verbose: Silent})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "valid.keras")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLoadModelDamagedFiles(t *testing.T) {
	dir := t.TempDir()
	valid := validKeras(t)
	if _, _, p, err := loadBytes(dir, valid); err != nil || p != nil {
		t.Fatalf("the valid file does not load: %v %v", err, p)
	}
	entries, err := zipEntries(valid)
	if err != nil {
		t.Fatal(err)
	}
	var config, weights []byte
	for _, e := range entries {
		switch e.name {
		case "config.json":
			config = e.data
		case "model.weights.h5":
			weights = e.data
		}
	}

	t.Run("truncated_archive", func(t *testing.T) {
		for _, n := range cutLengths(len(valid)) {
			wantLoadError(t, dir, fmt.Sprintf("the first %d of %d bytes", n, len(valid)), valid[:n], "not a .keras archive", "damaged")
			if t.Failed() {
				break
			}
		}
	})
	t.Run("truncated_weights", func(t *testing.T) {
		for _, n := range cutLengths(len(weights)) {
			wantLoadError(t, dir, fmt.Sprintf("model.weights.h5 cut to %d of %d bytes", n, len(weights)),
				makeZip(replaceEntry(entries, "model.weights.h5", weights[:n])), "weights")
			if t.Failed() {
				break
			}
		}
	})
	t.Run("truncated_config", func(t *testing.T) {
		for n := 0; n < len(config) && !t.Failed(); n++ {
			wantLoadError(t, dir, fmt.Sprintf("config.json cut to %d of %d bytes", n, len(config)),
				makeZip(replaceEntry(entries, "config.json", config[:n])), "config.json", "config")
		}
	})
	t.Run("bit_flips", func(t *testing.T) {
		// A flipped bit may leave a loadable file (a weight, a date); it
		// must never panic, and an error must be a clear one.
		rng := rand.New(rand.NewPCG(5, 6))
		loaded := 0
		for i := 0; i < 3000 && !t.Failed(); i++ {
			var data []byte
			var what string
			switch i % 3 {
			case 0: // the archive itself (checksums catch most)
				data = bytes.Clone(valid)
				what = "archive"
			case 1: // inside model.weights.h5, with valid checksums
				w := bytes.Clone(weights)
				flipBit(rng, w)
				data, what = makeZip(replaceEntry(entries, "model.weights.h5", w)), "model.weights.h5"
			case 2: // inside config.json, with valid checksums
				c := bytes.Clone(config)
				flipBit(rng, c)
				data, what = makeZip(replaceEntry(entries, "config.json", c)), "config.json"
			}
			if i%3 == 0 {
				for k := 0; k < 1+rng.IntN(3); k++ {
					flipBit(rng, data)
				}
			}
			m, path, p, err := loadBytes(dir, data)
			switch {
			case p != nil:
				t.Errorf("flip %d in %s: LoadModel panicked: %v", i, what, p)
			case err != nil:
				if !strings.Contains(err.Error(), filepath.Base(path)) {
					t.Errorf("flip %d in %s: error %q does not name the file", i, what, err)
				}
			default:
				loaded++
				checkUsable(t, fmt.Sprintf("flip %d in %s", i, what), m)
			}
		}
		t.Logf("%d of 3000 damaged files still loaded", loaded)
	})

	legacy, err := os.ReadFile(filepath.Join(kerasFileDir, "fitted.weights.h5"))
	if err != nil {
		t.Fatal(err)
	}
	hdf5 := func(b []byte) []byte { return append([]byte("\x89HDF\r\n\x1a\n"), b...) }
	random := make([]byte, 4096)
	rng := rand.New(rand.NewPCG(7, 8))
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	for _, c := range []struct {
		name string
		data []byte
		want []string
	}{
		{"empty", nil, []string{"not a .keras archive"}},
		{"random_bytes", random, []string{"not a .keras archive"}},
		{"text", []byte("this is not a model\n"), []string{"not a .keras archive"}},
		{"legacy_hdf5", legacy, []string{"HDF5", "legacy"}},
		{"hdf5_signature_only", hdf5(nil), []string{"HDF5"}},
		{"no_config", makeZip([]zipEntry{{"metadata.json", []byte("{}")}, {"model.weights.h5", weights}}), []string{"config.json"}},
		{"no_weights", makeZip([]zipEntry{{"metadata.json", []byte("{}")}, {"config.json", config}}), []string{"model.weights.h5"}},
		{"empty_zip", makeZip(nil), []string{"config.json", "model.weights.h5"}},
		{"config_not_json", makeZip(replaceEntry(entries, "config.json", []byte("{not json"))), []string{"config.json"}},
		{"config_empty_object", makeZip(replaceEntry(entries, "config.json", []byte("{}"))), []string{"class"}},
		{"config_null", makeZip(replaceEntry(entries, "config.json", []byte("null"))), []string{"class"}},
		{"config_array", makeZip(replaceEntry(entries, "config.json", []byte("[1,2]"))), []string{"config.json"}},
		{"unknown_model_class", makeZip(replaceEntry(entries, "config.json",
			bytes.Replace(config, []byte(`"Sequential"`), []byte(`"Graph"`), 1))), []string{"Graph"}},
		{"unknown_layer_class", makeZip(replaceEntry(entries, "config.json",
			bytes.Replace(config, []byte(`"Dropout"`), []byte(`"Conv2D"`), 1))), []string{"Conv2D"}},
		{"weights_not_hdf5", makeZip(replaceEntry(entries, "model.weights.h5", []byte("not hdf5"))), []string{"weights"}},
		{"weights_empty", makeZip(replaceEntry(entries, "model.weights.h5", nil)), []string{"weights"}},
		{"weights_of_another_model", makeZip(replaceEntry(entries, "model.weights.h5", otherWeights(t))), []string{"dense"}},
	} {
		t.Run(c.name, func(t *testing.T) { wantLoadError(t, dir, c.name, c.data, c.want...) })
	}
	t.Run("missing_file", func(t *testing.T) {
		_, err := LoadModel(filepath.Join(dir, "nothing.keras"))
		if err == nil || !strings.Contains(err.Error(), "nothing.keras") {
			t.Errorf("LoadModel of a missing file: %v", err)
		}
	})
	t.Run("directory", func(t *testing.T) {
		d := filepath.Join(dir, "d.keras")
		os.Mkdir(d, 0o755)
		if _, err := LoadModel(d); err == nil {
			t.Errorf("LoadModel of a directory succeeded")
		}
	})
}

// cutLengths returns the lengths to truncate an n-byte file to: every
// length within 1 KiB of either end (headers, the zip directory, HDF5
// superblock and object headers) and every 7th in between; with -short,
// every 61st.
func cutLengths(n int) []int {
	step := 7
	if testing.Short() {
		step = 61
	}
	var out []int
	for k := 0; k < n; k++ {
		if k < 1024 || k >= n-1024 || k%step == 0 {
			out = append(out, k)
		}
	}
	return out
}

// flipBit flips one random bit of b.
func flipBit(rng *rand.Rand, b []byte) {
	if len(b) > 0 {
		b[rng.IntN(len(b))] ^= 1 << rng.IntN(8)
	}
}

// otherWeights returns a weights file of a different architecture.
func otherWeights(t *testing.T) []byte {
	m := NewSequential(Input(2), &Dense{Units: 3}, &Dense{Units: 1})
	b, err := m.encodeWeights()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkUsable predicts with a model that loaded from a damaged file: it
// must work or fail cleanly, not panic.
func checkUsable(t testing.TB, what string, m *Model) {
	t.Helper()
	if m.CountParams() > 1<<20 {
		return
	}
	var xs Tensors
	for _, s := range m.inputShapes() {
		n := 1
		for _, d := range s {
			n *= d
		}
		if n <= 0 || n > 1<<16 {
			return
		}
		xs = append(xs, Zeros(append([]int{2}, s...)...))
	}
	defer func() {
		if p := recover(); p != nil {
			t.Errorf("%s: the loaded model panics in Predict: %v", what, p)
		}
	}()
	_, _ = m.PredictOutputs(xs, PredictOptions{Verbose: Silent})
}

// TestLoadModelCraftedConfigs feeds config.json values that a damaged or
// hostile file may hold; each must be an error, not a panic.
func TestLoadModelCraftedConfigs(t *testing.T) {
	dir := t.TempDir()
	valid := validKeras(t)
	entries, err := zipEntries(valid)
	if err != nil {
		t.Fatal(err)
	}
	var config []byte
	for _, e := range entries {
		if e.name == "config.json" {
			config = e.data
		}
	}
	// A functional config to start from, with the first names.
	ClearSession()
	SetRandomSeed(DefaultSeed)
	a := Input(2)
	fm, err := NewModel(a, Call(&Dense{Units: 1}, Call(&Dense{Units: 2}, a)))
	if err != nil {
		t.Fatal(err)
	}
	fcfg, err := fm.kerasConfig()
	if err != nil {
		t.Fatal(err)
	}
	fconfig, _ := json.Marshal(fcfg)
	fweights, _ := fm.encodeWeights()
	fentries := []zipEntry{{"config.json", fconfig}, {"model.weights.h5", fweights}}
	if _, _, p, err := loadBytes(dir, makeZip(fentries)); err != nil || p != nil {
		t.Fatalf("the functional file does not load: %v %v\n%s", err, p, fconfig)
	}
	seq := func(old, new string) []byte {
		if !bytes.Contains(config, []byte(old)) {
			t.Fatalf("the config has no %s:\n%s", old, config)
		}
		return makeZip(replaceEntry(entries, "config.json", bytes.Replace(config, []byte(old), []byte(new), 1)))
	}
	fun := func(old, new string) []byte {
		if !bytes.Contains(fconfig, []byte(old)) {
			t.Fatalf("the functional config has no %s:\n%s", old, fconfig)
		}
		return makeZip(replaceEntry(fentries, "config.json", bytes.Replace(fconfig, []byte(old), []byte(new), 1)))
	}
	for _, c := range []struct {
		name string
		data []byte
	}{
		{"negative_units", seq(`"units":2,`, `"units":-2,`)},
		{"zero_units", seq(`"units":2,`, `"units":0,`)},
		{"huge_units", seq(`"units":2,`, `"units":1125899906842624,`)},
		{"units_not_a_number", seq(`"units":2,`, `"units":"two",`)},
		{"negative_input_dim", seq(`"batch_shape":[null,2]`, `"batch_shape":[null,-2]`)},
		{"huge_input_dim", seq(`"batch_shape":[null,2]`, `"batch_shape":[null,1125899906842624]`)},
		{"dropout_rate_2", seq(`"rate":0.1`, `"rate":2`)},
		{"unknown_activation", seq(`"activation":"relu"`, `"activation":"swishy"`)},
		{"layers_not_a_list", seq(`"layers":[`, `"layers":{"a":[`)},
		{"no_layers", seq(`"layers":[`, `"layerz":[`)},
		{"unknown_optimizer", seq(`"class_name":"Adam"`, `"class_name":"Lion"`)},
		{"unknown_loss", seq(`"loss":"binary_crossentropy"`, `"loss":"hinge"`)},
		{"functional_negative_node", fun(`"keras_history":["input_layer",0,0]`, `"keras_history":["input_layer",-1,0]`)},
		{"functional_negative_tensor", fun(`"keras_history":["input_layer",0,0]`, `"keras_history":["input_layer",0,-1]`)},
		{"functional_node_out_of_range", fun(`"keras_history":["input_layer",0,0]`, `"keras_history":["input_layer",5,0]`)},
		{"functional_unknown_layer", fun(`"keras_history":["input_layer",0,0]`, `"keras_history":["nope",0,0]`)},
		{"functional_negative_output_node", fun(`"output_layers":["dense_1",0,0]`, `"output_layers":["dense_1",-1,0]`)},
		{"functional_negative_output_index", fun(`"output_layers":["dense_1",0,0]`, `"output_layers":["dense_1",0,-1]`)},
		{"functional_huge_output_node", fun(`"output_layers":["dense_1",0,0]`, `"output_layers":["dense_1",1e300,0]`)},
		{"functional_unknown_output", fun(`"output_layers":["dense_1",0,0]`, `"output_layers":["nope",0,0]`)},
		{"functional_cycle", fun(`"keras_history":["input_layer",0,0]`, `"keras_history":["dense_1",0,0]`)},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantLoadError(t, dir, c.name, c.data)
			if _, _, _, err := loadBytes(dir, c.data); err != nil {
				t.Log(err)
			}
		})
	}
}

// ---------------------------------------------------------------------------
// History

func TestHistorySaveLoad(t *testing.T) {
	x, y := regressionData(30)
	m := &saveTestModel().Model
	if err := m.Compile(CompileOptions{Optimizer: "adam", Loss: "mse", Metrics: []string{"mae"}}); err != nil {
		t.Fatal(err)
	}
	h, err := m.Fit(x, y, FitOptions{Epochs: 3, ValidationSplit: 0.2, Verbose: Silent})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "history.json")
	if err := h.Save(path); err != nil {
		t.Fatal(err)
	}
	l, err := LoadHistory(path)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(l.Keys()) != fmt.Sprint(h.Keys()) || fmt.Sprint(l.Epoch) != fmt.Sprint(h.Epoch) ||
		fmt.Sprint(l.Params) != fmt.Sprint(h.Params) || l.String() != h.String() {
		t.Errorf("loaded %v %v %v %s, saved %v %v %v %s", l.Keys(), l.Epoch, l.Params, l, h.Keys(), h.Epoch, h.Params, h)
	}
	for _, k := range h.Keys() {
		if !sameBits(l.History[k], h.History[k]) {
			t.Errorf("%s: loaded %v, saved %v", k, l.History[k], h.History[k])
		}
	}

	good, _ := os.ReadFile(path)
	for _, c := range []struct {
		name string
		data string
		want string
	}{
		{"empty", "", "not a saved History"},
		{"not_json", "loss: 1", "not a saved History"},
		{"truncated", string(good[:len(good)/2]), "not a saved History"},
		{"short_series", `{"history":{"loss":[1,2]},"epoch":[0,1,2],"params":{},"keys":["loss"]}`, "damaged"},
		{"unlisted_key", `{"history":{"loss":[1],"mae":[1]},"epoch":[0],"params":{},"keys":["loss"]}`, "damaged"},
		{"listed_missing_key", `{"history":{"loss":[1]},"epoch":[0],"params":{},"keys":["loss","mae"]}`, "damaged"},
		{"wrong_types", `{"history":{"loss":"high"},"epoch":[0],"keys":["loss"]}`, "not a saved History"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(dir, c.name+".json")
			if err := os.WriteFile(p, []byte(c.data), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadHistory(p)
			if err == nil {
				t.Fatalf("LoadHistory of a damaged file succeeded")
			}
			if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), p) {
				t.Errorf("error %q does not name the file and say %q", err, c.want)
			}
		})
	}
	if _, err := LoadHistory(filepath.Join(dir, "missing.json")); err == nil {
		t.Errorf("LoadHistory of a missing file succeeded")
	}
	// Save is atomic too.
	if err := h.Save(filepath.Join(dir, "no", "dir", "h.json")); err == nil {
		t.Errorf("History.Save into a missing directory succeeded")
	}
}

// ---------------------------------------------------------------------------
// fuzzing

// FuzzLoadModel loads arbitrary bytes as a .keras file, and again after
// re-packing the archive's entries with valid checksums (so that damaged
// config.json and model.weights.h5 contents reach their parsers). Nothing
// may panic; a model that loads must predict or fail cleanly.
//
//	go test ./dl -run '^$' -fuzz FuzzLoadModel -fuzztime 3m
func FuzzLoadModel(f *testing.F) {
	f.Add(validKeras(f))
	a, b := Input(3), Input(2)
	fm, err := NewModel(Nodes{a, b}, Call(&Dense{Units: 1}, Call(&Concatenate{}, Call(&Dense{Units: 2}, a), b)))
	if err != nil {
		f.Fatal(err)
	}
	path := filepath.Join(f.TempDir(), "f.keras")
	if err := fm.Save(path); err != nil {
		f.Fatal(err)
	}
	if data, err := os.ReadFile(path); err == nil {
		f.Add(data)
	}
	for _, name := range []string{"uncompiled.keras", "opt_adagrad.keras"} {
		if data, err := os.ReadFile(filepath.Join(kerasFileDir, name)); err == nil {
			f.Add(data)
		}
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		try := func(what string, data []byte) {
			m, _, p, err := loadBytes(dir, data)
			if p != nil {
				t.Fatalf("%s: LoadModel panicked: %v", what, p)
			}
			if err == nil {
				checkUsable(t, what, m)
			}
		}
		try("file", data)
		if entries, err := zipEntries(data); err == nil {
			try("repacked", makeZip(entries))
		}
	})
}
