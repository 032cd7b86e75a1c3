package dl

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// registered returns a new optimizer of every name in optimizerRegistry,
// by name, sorted.
func registered() ([]string, []Optimizer) {
	var names []string
	for n := range optimizerRegistry {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []Optimizer
	for _, n := range names {
		out = append(out, optimizerByName(n))
	}
	return names, out
}

// TestOptimizerRegistry checks that every registered optimizer answers to
// its Keras class name in any case, and that its config names it.
func TestOptimizerRegistry(t *testing.T) {
	names, opts := registered()
	for i, o := range opts {
		name := names[i]
		if strings.ToLower(o.Name()) != name {
			t.Errorf("%q makes a %s", name, o.Name())
		}
		for _, n := range []string{name, o.Name(), strings.ToUpper(name)} {
			if got := optimizerByName(n); got == nil || got.Name() != o.Name() {
				t.Errorf("optimizerByName(%q) = %v, want a %s", n, got, o.Name())
			}
		}
		if o.settings()[0].key != "learning_rate" {
			t.Errorf("%s: the first setting is %q, not learning_rate", o.Name(), o.settings()[0].key)
		}
		if err := o.check(); err != nil {
			t.Errorf("%s: the defaults do not pass check: %v", o.Name(), err)
		}
	}
	if optimizerByName("adamm") != nil {
		t.Error(`optimizerByName("adamm") is not nil`)
	}
}

// TestOptimizerConfigRoundTrip writes every optimizer's Keras config with
// settings other than the defaults and reads it back.
func TestOptimizerConfigRoundTrip(t *testing.T) {
	_, opts := registered()
	for _, o := range opts {
		t.Run(o.Name(), func(t *testing.T) {
			for i, s := range o.settings() {
				if s.num != nil {
					*s.num = 0.5 / float64(i+2) // valid for every kind of setting
				} else {
					*s.flag = true
				}
			}
			raw, err := json.Marshal(optimizerConfig(o))
			if err != nil {
				t.Fatal(err)
			}
			back, err := optimizerFromConfig(raw)
			if err != nil {
				t.Fatalf("%s: %v", raw, err)
			}
			again, _ := json.Marshal(optimizerConfig(back))
			if string(again) != string(raw) {
				t.Errorf("config\n  %s\nreads back as\n  %s", raw, again)
			}
			// The name alone gives Keras's defaults.
			byName, err := optimizerFromConfig(json.RawMessage(`"` + strings.ToLower(o.Name()) + `"`))
			if err != nil || byName.Name() != o.Name() {
				t.Errorf("by name: %v, %v", byName, err)
			}
		})
	}
}

// TestOptimizerDefaults checks the defaults dl writes against Keras's
// get_config() in optimizers.json, for every optimizer there.
func TestOptimizerDefaults(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range loadFixture[struct {
		Optimizer string
		Args      map[string]any
		Config    map[string]any
	}](t, "optimizers.json") {
		if len(c.Args) > 0 || seen[c.Optimizer] {
			continue
		}
		seen[c.Optimizer] = true
		o := optimizerByName(c.Optimizer)
		raw, _ := json.Marshal(optimizerConfig(o))
		var env struct{ Config map[string]any }
		if err := json.Unmarshal(raw, &env); err != nil {
			t.Fatal(err)
		}
		for k, v := range env.Config {
			if want := c.Config[k]; k != "name" && fmt.Sprint(v) != fmt.Sprint(want) {
				t.Errorf("%s: %s = %v, Keras's default is %v", c.Optimizer, k, v, want)
			}
		}
	}
	names, _ := registered()
	for _, n := range names {
		if !seen[optimizerByName(n).Name()] {
			t.Errorf("optimizers.json has no case with the defaults of %s", optimizerByName(n).Name())
		}
	}
}

// TestCompileOptimizerNames checks Compile's message for an unknown name:
// the value as written, the argument, and every registered name.
func TestCompileOptimizerNames(t *testing.T) {
	m := &NewSequential(Input(3), &Dense{Units: 1}).Model
	err := m.Compile(CompileOptions{Optimizer: "AdamZ", Loss: "mse"})
	if err == nil {
		t.Fatal("Compile accepted the optimizer \"AdamZ\"")
	}
	names, _ := registered()
	want := `unknown optimizer "AdamZ" in Optimizer; use one of "` + strings.Join(names, `", "`) + `"`
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error\n  %v\nwant it to contain\n  %s", err, want)
	}
	for _, n := range names {
		m := &NewSequential(Input(3), &Dense{Units: 1}).Model
		if err := m.Compile(CompileOptions{Optimizer: strings.ToUpper(n), Loss: "mse"}); err != nil {
			t.Errorf("Compile with %q: %v", strings.ToUpper(n), err)
		}
	}
	_, err = optimizerFromConfig(json.RawMessage(`{"class_name": "Lion", "config": {}}`))
	if want := `optimizer class "Lion" is not supported (supported: ` + optimizerClasses() + ")"; err == nil || err.Error() != want {
		t.Errorf("a .keras file with a Lion optimizer: %v, want %s", err, want)
	}
}

// TestSetLearningRate checks the learning rate that every optimizer uses,
// writes and reads back: the default, a set rate, and a set 0 (which
// leaves the weights unchanged, and is not the default).
func TestSetLearningRate(t *testing.T) {
	_, opts := registered()
	for _, o := range opts {
		t.Run(o.Name(), func(t *testing.T) {
			if got, want := o.CurrentLearningRate(), o.settings()[0].def; got != want {
				t.Errorf("default learning rate %v, Keras %v", got, want)
			}
			o.SetLearningRate(0.25)
			if got := o.CurrentLearningRate(); got != 0.25 {
				t.Errorf("after SetLearningRate(0.25): %v", got)
			}
			o.SetLearningRate(0)
			if got := o.CurrentLearningRate(); got != 0 {
				t.Errorf("after SetLearningRate(0): %v", got)
			}
			raw, _ := json.Marshal(optimizerConfig(o))
			back, err := optimizerFromConfig(raw)
			if err != nil || back.CurrentLearningRate() != 0 {
				t.Errorf("a learning rate of 0 reads back from %s as %v (%v)", raw, back.CurrentLearningRate(), err)
			}
			p := newParam("w", nil, 2, 3)
			rng := rand.New(rand.NewPCG(1, 2))
			copy(p.value.data, randTensor(rng, 2, 3).data)
			copy(p.grad.data, randTensor(rng, 2, 3).data)
			w0 := slices.Clone(p.value.data)
			o.update([]*param{p})
			if !slices.Equal(p.value.data, w0) {
				t.Errorf("a step at learning rate 0 changed the weights from %v to %v", w0, p.value.data)
			}
			o.SetLearningRate(-1)
			if err := o.check(); err == nil || !strings.Contains(err.Error(), "LearningRate") {
				t.Errorf("check after SetLearningRate(-1): %v", err)
			}
		})
	}
}

// TestOptimizerStateSaved trains a model with every optimizer, saves and
// loads it, and checks that one more step gives the same weights as the
// model that was not saved: the slots (and Nadam's u_product) survive.
func TestOptimizerStateSaved(t *testing.T) {
	names, _ := registered()
	dir := t.TempDir()
	x, y := regressionData(16)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			m := &NewSequential(Input(3), &Dense{Units: 4, Activation: Tanh}, &Dense{Units: 1}).Model
			m.Seed = 3
			Check(m.Compile(CompileOptions{Optimizer: name, Loss: "mse"}))
			fit := func(m *Model) {
				if _, err := m.Fit(x, y, FitOptions{Epochs: 2, BatchSize: 8, NoShuffle: true, Verbose: Silent}); err != nil {
					t.Fatal(err)
				}
			}
			fit(m)
			path := filepath.Join(dir, name+".keras")
			Check(m.Save(path))
			back, err := LoadModel(path)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := back.compiled.optimizer.Iterations(), m.compiled.optimizer.Iterations(); got != want {
				t.Errorf("iterations %d, saved %d", got, want)
			}
			fit(m)
			fit(back)
			for i, w := range m.GetWeights() {
				if got := back.GetWeights()[i]; !slices.Equal(got.data, w.data) {
					t.Errorf("weight %d after training on: %v, without saving %v", i, got.data, w.data)
				}
			}
		})
	}
}
