package h5

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// python returns a Python interpreter that can import h5py, taken from the
// DLGO_PYTHON environment variable or the repository's Keras virtualenv, or
// skips the test.
func python(t *testing.T) string {
	t.Helper()
	py := os.Getenv("DLGO_PYTHON")
	if py == "" {
		py = filepath.Join("..", "..", "tools", "keras", ".venv", "bin", "python")
		if _, err := os.Stat(py); err != nil {
			t.Skip("no Python with h5py: set DLGO_PYTHON")
		}
	}
	if filepath.Base(py) != py { // a path, not a name to look up in PATH
		abs, err := filepath.Abs(py)
		if err != nil {
			t.Fatal(err)
		}
		py = abs
	}
	if out, err := exec.Command(py, "-c", "import h5py").CombinedOutput(); err != nil {
		t.Skipf("%s cannot import h5py: %v\n%s", py, err, out)
	}
	return py
}

// runPython runs a script from testdata on file and returns its stdout.
func runPython(t *testing.T, py, script, file string) ([]byte, error) {
	t.Helper()
	cmd := exec.Command(py, script, file)
	cmd.Dir = "testdata"
	cmd.Env = append(os.Environ(), "KERAS_BACKEND=jax")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Logf("%s stderr:\n%s", script, stderr.String())
	}
	return out, err
}

// TestEncodeReadByH5py checks that h5py reads everything Encode writes.
func TestEncodeReadByH5py(t *testing.T) {
	py := python(t)
	tree := sampleTree()
	b, err := Encode(tree)
	if err != nil {
		t.Fatal(err)
	}
	file, err := filepath.Abs(filepath.Join(t.TempDir(), "sample.h5"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := runPython(t, py, "h5dump.py", file)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]node
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	for _, d := range diffTrees(got, expected(tree)) {
		t.Error(d)
	}
}

// TestEncodeLoadsInKeras loads an encoded weights file with Keras 3 itself
// (skipped when Keras is not installed next to h5py).
func TestEncodeLoadsInKeras(t *testing.T) {
	py := python(t)
	if testing.Short() {
		t.Skip("starting Keras takes a few seconds")
	}
	g := decodeFile(t, "keras_dense.weights.h5")
	// Store one variable as float64 (Keras casts on load) and change values.
	k, _ := g.Dataset("layers/dense/vars/0")
	k.DType = Float64
	k.Data[0] = 0.125
	b, _ := g.Dataset("layers/dense_1/vars/1")
	b.Data[0] = -3.5
	it, _ := g.Dataset("optimizer/vars/0")
	it.Data[0] = 41
	raw, err := Encode(g)
	if err != nil {
		t.Fatal(err)
	}
	file, err := filepath.Abs(filepath.Join(t.TempDir(), "model.weights.h5"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := runPython(t, py, "keras_load.py", file)
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 3 {
		t.Skip("Keras is not installed")
	}
	if err != nil {
		t.Fatal(err)
	}
	var got map[string][]float64
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 14 {
		t.Errorf("Keras has %d variables, want 4 + 10", len(got))
	}
	for path, vals := range got {
		d, ok := g.Dataset(path)
		if !ok {
			t.Errorf("Keras variable %s not in the file", path)
			continue
		}
		if len(vals) != len(d.Data) {
			t.Errorf("%s: Keras has %d values, file %d", path, len(vals), len(d.Data))
			continue
		}
		for i, v := range vals {
			if v != float64(float32(d.Data[i])) {
				t.Errorf("%s[%d]: Keras has %v, file %v", path, i, v, d.Data[i])
				break
			}
		}
	}
}
