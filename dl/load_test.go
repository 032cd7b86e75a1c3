package dl

// LoadModel's limits and the order in which it replays a functional
// model's calls (hostile_test.go loads hostile files in a child process
// under a memory limit).

import (
	"archive/zip"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// newFileMode returns the permissions that os.Create gives a new file
// (0666 less the umask).
func newFileMode(t *testing.T) fs.FileMode {
	f, err := os.Create(filepath.Join(t.TempDir(), "probe"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// configOf returns the config.json and model.weights.h5 of a saved model.
func configOf(t testing.TB, m *Model) (config, weights []byte) {
	cfg, err := m.kerasConfig()
	if err != nil {
		t.Fatal(err)
	}
	if config, err = json.Marshal(cfg); err != nil {
		t.Fatal(err)
	}
	if weights, err = m.encodeWeights(); err != nil {
		t.Fatal(err)
	}
	return config, weights
}

// TestLoadDoesNotInitialize checks that the model LoadModel builds from a
// config has no initial weights to compute (the file's replace them):
// kernels and recurrent kernels are left at zero.
func TestLoadDoesNotInitialize(t *testing.T) {
	src := NewSequential(Input(5, 3), &LSTM{Units: 4, ReturnSequences: true}, &GRU{Units: 3}, &Dense{Units: 2})
	config, _ := configOf(t, &src.Model)
	m, err := modelFromConfig(config)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range m.params {
		if p.name == "bias" {
			continue // LSTM's forget block starts at 1, which costs nothing
		}
		for _, v := range p.value.data {
			if v != 0 {
				t.Fatalf("a %s of the loaded model was initialized", p.name)
			}
		}
	}
	// And the file's weights are the model's.
	path := filepath.Join(t.TempDir(), "m.keras")
	Check(src.Save(path))
	l := Must(LoadModel(path))
	sameWeights(t, "loaded", weightBits(l), weightBits(&src.Model), 0)
}

func TestLoadModelLimits(t *testing.T) {
	dir := t.TempDir()
	m := NewSequential(Input(8), &Dense{Units: 16}, &Dense{Units: 1}) // 161 weights
	path := filepath.Join(dir, "m.keras")
	Check(m.Save(path))
	config, _ := configOf(t, &m.Model)

	if _, err := LoadModelWith(path, LoadOptions{MaxParams: 161}); err != nil {
		t.Errorf("MaxParams equal to the model's weights: %v", err)
	}
	_, err := LoadModelWith(path, LoadOptions{MaxParams: 160})
	if err == nil || !strings.Contains(err.Error(), "LoadOptions.MaxParams") || !strings.Contains(err.Error(), "(Dense): its bias would have shape (1,), 1 weight (161 with") {
		t.Errorf("a model above MaxParams: %v", err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Op != "LoadModelWith" {
		t.Errorf("error %#v, want a *dl.Error from LoadModelWith", err)
	}
	if _, err := LoadModelWith(path, LoadOptions{MaxConfigBytes: int64(len(config))}); err != nil {
		t.Errorf("MaxConfigBytes equal to config.json's size: %v", err)
	}
	if _, err := LoadModelWith(path, LoadOptions{MaxConfigBytes: int64(len(config)) - 1}); err == nil ||
		!strings.Contains(err.Error(), "LoadOptions.MaxConfigBytes") {
		t.Errorf("config.json above MaxConfigBytes: %v", err)
	}
	for _, o := range []LoadOptions{{MaxParams: -1}, {MaxConfigBytes: -5}} {
		if _, err := LoadModelWith(path, o); err == nil || !strings.Contains(err.Error(), "must be positive") {
			t.Errorf("%+v: %v", o, err)
		}
	}
}

// TestLoadErrorsWrapCause checks that a program can tell a missing file
// from a damaged one.
func TestLoadErrorsWrapCause(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "none.keras")
	_, err := LoadModel(missing)
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("LoadModel of a missing file: %v, want an error that errors.Is fs.ErrNotExist", err)
	}
	m := NewSequential(Input(2), &Dense{Units: 1})
	err = m.LoadWeights(filepath.Join(dir, "none.weights.h5"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadWeights of a missing file: %v, want an error that errors.Is fs.ErrNotExist", err)
	}
	if _, err := LoadModel(dir); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("LoadModel of a directory: %v", err)
	}
	if err := m.LoadWeights(dir); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("LoadWeights of a directory: %v", err)
	}
}

// TestWeightsFileLimitFitsKerasFiles checks that the weights files Keras
// writes are far below the size LoadModel accepts for their models.
func TestWeightsFileLimitFitsKerasFiles(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(kerasFileDir, "*.keras"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Keras files: %v", err)
	}
	for _, f := range files {
		z, err := zip.OpenReader(f)
		if err != nil {
			t.Fatal(err)
		}
		var size uint64
		for _, e := range z.File {
			if e.Name == "model.weights.h5" {
				size = e.UncompressedSize64
			}
		}
		z.Close()
		m, err := LoadModel(f)
		if err != nil {
			t.Fatal(err)
		}
		if limit := weightsFileLimit(m.CountParams(), len(m.params)); size > uint64(limit)/10 {
			t.Errorf("%s: model.weights.h5 is %d bytes, too close to the limit %d", filepath.Base(f), size, limit)
		}
	}
}

// TestLoadFunctionalCallOrder loads functional models whose config lists
// the layers in an unusual order: a chain listed backwards (which must
// not take time quadratic in its length), and a shared layer listed before
// the layer whose output its first call takes, so that its second call is
// ready first (the calls of a layer keep their order, as in Keras).
func TestLoadFunctionalCallOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	x := randTensor(rng, 5, 2)
	check := func(t *testing.T, m *Model, reorder func(layers []json.RawMessage) []json.RawMessage) {
		t.Helper()
		config, weights := configOf(t, m)
		var top map[string]json.RawMessage
		Check(json.Unmarshal(config, &top))
		var cfg map[string]json.RawMessage
		Check(json.Unmarshal(top["config"], &cfg))
		var layers []json.RawMessage
		Check(json.Unmarshal(cfg["layers"], &layers))
		cfg["layers"] = Must(json.Marshal(reorder(layers)))
		top["config"] = Must(json.Marshal(cfg))
		path := filepath.Join(t.TempDir(), "m.keras")
		Check(os.WriteFile(path, makeZip([]zipEntry{{"config.json", Must(json.Marshal(top))}, {"model.weights.h5", weights}}), 0o644))
		l, err := LoadModel(path)
		if err != nil {
			t.Fatal(err)
		}
		want := Must(m.PredictOutputs(x, PredictOptions{Verbose: Silent}))
		got := Must(l.PredictOutputs(x, PredictOptions{Verbose: Silent}))
		for i := range want {
			if !sameBits(got[i].Data(), want[i].Data()) {
				t.Errorf("output %d: the loaded model predicts %v, the saved one %v", i, got[i].Data(), want[i].Data())
			}
		}
	}

	t.Run("chain_backwards", func(t *testing.T) {
		in := Input(2)
		h := in
		for range 2000 {
			h = Call(&Dense{Units: 2}, h)
		}
		check(t, Must(NewModel(in, h)), func(layers []json.RawMessage) []json.RawMessage {
			out := make([]json.RawMessage, 0, len(layers))
			for i := len(layers) - 1; i >= 0; i-- {
				out = append(out, layers[i])
			}
			return out
		})
	})
	t.Run("shared_layer_first", func(t *testing.T) {
		in := Input(2)
		a, b := &Dense{Units: 2, Name: "a"}, &Dense{Units: 2, Name: "b"}
		first := Call(a, Call(b, in)) // a's call 0 takes b's output
		second := Call(a, in)         // a's call 1 takes the input
		m := Must(NewModel(in, Nodes{first, second}))
		check(t, m, func(layers []json.RawMessage) []json.RawMessage {
			// List a before b, so that only a's second call is ready at first.
			var named = map[string]json.RawMessage{}
			var order []string
			for _, l := range layers {
				var r rawLayer
				Check(json.Unmarshal(l, &r))
				named[r.Name] = l
				order = append(order, r.Name)
			}
			if fmt.Sprint(order) != "[input_layer b a]" && !strings.HasSuffix(fmt.Sprint(order), " b a]") {
				t.Fatalf("the saved layers are %v", order)
			}
			return []json.RawMessage{layers[0], named["a"], named["b"]}
		})
	})
}
