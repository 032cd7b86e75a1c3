package dl

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestSetFloatX checks the global dtype: its default, a change, a bad
// value, and that a model takes the FloatX in effect when it is built.
func TestSetFloatX(t *testing.T) {
	if got := FloatX(); got != "float64" {
		t.Fatalf("FloatX() = %q, want float64 by default", got)
	}
	err := SetFloatX("float16")
	if err == nil || !strings.Contains(err.Error(), `unknown dtype "float16"; use "float32" (Keras's default) or "float64"`) {
		t.Fatalf("SetFloatX(float16): %v", err)
	}
	Check(SetFloatX("float32"))
	defer func() { Check(SetFloatX("float64")) }()
	m := NewSequential(Input(3), &Dense{Units: 2})
	Check(SetFloatX("float64"))
	if m.run.dtype() != float32Type || m.params[0].dtype() != float32Type {
		t.Errorf("a model built under FloatX float32 computes in %v", m.run.dtype())
	}
}

// TestDtypeChange converts a trained model between dtypes: the weights
// keep their values (to float32's precision), and a bad Dtype is an
// error naming the field.
func TestDtypeChange(t *testing.T) {
	x, y := Zeros(8, 3), Zeros(8, 1)
	for i := range x.data {
		x.data[i] = float64(i%5) / 5
	}
	m := NewSequential(Input(3), &Dense{Units: 4, Activation: ReLU}, &Dense{Units: 1})
	Check(m.Compile(CompileOptions{Optimizer: "adam", Loss: "mse"}))
	if _, err := m.Fit(x, y, FitOptions{Epochs: 2, Verbose: Silent}); err != nil {
		t.Fatal(err)
	}
	p64, _ := m.Predict(x, PredictOptions{Verbose: Silent})
	m.Dtype = "float32"
	p32, _ := m.Predict(x, PredictOptions{Verbose: Silent})
	closeToScale(t, "float32 prediction", p32.data, p64.data, 1e-6)
	if m.params[0].v32 == nil || m.params[0].value != nil {
		t.Error("the weights are not kept in float32")
	}
	if _, err := m.Fit(x, y, FitOptions{Epochs: 1, Verbose: Silent}); err != nil {
		t.Fatal(err)
	}
	m.Dtype = "float64"
	if _, err := m.Fit(x, y, FitOptions{Epochs: 1, Verbose: Silent}); err != nil {
		t.Fatal(err)
	}
	m.Dtype = "half"
	_, err := m.Predict(x, PredictOptions{Verbose: Silent})
	if err == nil || !strings.Contains(err.Error(), `unknown Dtype "half"`) {
		t.Errorf("Predict with Dtype half: %v", err)
	}
}

// TestFloat32SaveLoad saves a trained float32 model: LoadModel gives a
// float32 model with the same weights and optimizer state, which predicts
// the same and trains on as the original does.
func TestFloat32SaveLoad(t *testing.T) {
	x, y := Zeros(16, 4), Zeros(16, 1)
	for i := range x.data {
		x.data[i] = float64(i%7)/7 - 0.5
	}
	for i := range y.data {
		y.data[i] = float64(i % 2)
	}
	m := NewSequential(Input(4), &Dense{Units: 6, Activation: ReLU}, &Dense{Units: 1, Activation: Sigmoid})
	m.Dtype = "float32"
	Check(m.Compile(CompileOptions{Optimizer: "adam", Loss: "binary_crossentropy"}))
	if _, err := m.Fit(x, y, FitOptions{Epochs: 3, BatchSize: 4, Verbose: Silent}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "m.keras")
	Check(m.Save(path))
	l, err := LoadModel(path)
	if err != nil {
		t.Fatal(err)
	}
	if l.Dtype != "float32" {
		t.Errorf("the loaded model's Dtype is %q, want float32", l.Dtype)
	}
	want, _ := m.Predict(x, PredictOptions{Verbose: Silent})
	got, _ := l.Predict(x, PredictOptions{Verbose: Silent})
	closeTo(t, "prediction of the loaded model", got.data, want.data)
	opts := FitOptions{Epochs: 1, BatchSize: 16, NoShuffle: true, Verbose: Silent}
	if _, err := m.Fit(x, y, opts); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Fit(x, y, opts); err != nil {
		t.Fatal(err)
	}
	want, _ = m.Predict(x, PredictOptions{Verbose: Silent})
	got, _ = l.Predict(x, PredictOptions{Verbose: Silent})
	closeTo(t, "prediction after one more step", got.data, want.data)
}
