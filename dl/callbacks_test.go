package dl

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// callbackCase is one case of testdata/keras/callbacks.json: a Keras
// callback driven by hand through scripted epoch logs.
type callbackCase struct {
	Kind, Name        string
	Args              map[string]any
	Logs              []Logs
	StoppedEpoch      int     `json:"stopped_epoch"`
	BestEpoch         int     `json:"best_epoch"`
	Restored          bool    `json:"restored"`
	FinalWeightsEpoch float64 `json:"final_weights_epoch"`
	Stdout            string
	Error             *string
	Files             []string
	Saves             []struct {
		Epoch int
		Path  string
	}
}

// callbackModel returns a small compiled model whose Fit would log the
// keys of logs (plus accuracy and mae metrics, as in the fixture).
func callbackModel(logs []Logs) *Model {
	m := NewSequential(Input(2), &Dense{Units: 1, Activation: Sigmoid})
	Check(m.Compile(CompileOptions{Optimizer: "sgd", Loss: "binary_crossentropy", Metrics: []string{"accuracy", "mae"}}))
	keys := map[string]bool{}
	for _, l := range logs {
		for k := range l {
			keys[k] = true
		}
	}
	m.fitKeys = sortedKeys(keys)
	return &m.Model
}

// setAll sets every weight of m to v, so that the weights tell which
// epoch they come from.
func setAll(m *Model, v float64) {
	for _, p := range m.params {
		for i := range p.value.data {
			p.value.data[i] = v
		}
	}
}

// num reads a float argument.
func num(args map[string]any, k string) float64 {
	v, _ := args[k].(float64)
	return v
}

// TestKerasEarlyStopping drives EarlyStopping through the fixture's
// scripted metric sequences and compares the stop epoch, the restored
// weights and the messages with Keras's.
func TestKerasEarlyStopping(t *testing.T) {
	buf := new(bytes.Buffer)
	for _, c := range loadFixture[callbackCase](t, "callbacks.json") {
		if c.Kind != "EarlyStopping" {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			buf.Reset()
			m := callbackModel(c.Logs)
			mode, _ := c.Args["mode"].(string)
			monitor, _ := c.Args["monitor"].(string)
			restore, _ := c.Args["restore_best_weights"].(bool)
			es := &EarlyStopping{Monitor: monitor, Mode: mode, Patience: int(num(c.Args, "patience")),
				MinDelta: num(c.Args, "min_delta"), Baseline: num(c.Args, "baseline"), Verbose: int(num(c.Args, "verbose")),
				RestoreBestWeights: restore, StartFromEpoch: int(num(c.Args, "start_from_epoch"))}
			es.SetModel(m)
			es.SetParams(Params{Output: buf})
			err := es.OnTrainBegin(nil)
			missing := !strings.Contains(strings.Join(m.fitKeys, ","), es.Monitor)
			if c.Error != nil || missing {
				// Keras raises (cannot tell the direction) or only warns
				// (missing key); dl refuses both before training.
				if err == nil {
					t.Fatalf("no error for monitor %q with keys %v", es.Monitor, m.fitKeys)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			stopped := -1
			for epoch, logs := range c.Logs {
				setAll(m, float64(epoch))
				Check(es.OnEpochEnd(epoch, logs))
				if m.StopTraining {
					stopped = epoch
					break
				}
			}
			Check(es.OnTrainEnd(nil))
			if stopped != c.StoppedEpoch {
				t.Errorf("stopped at epoch %d, Keras at %d", stopped, c.StoppedEpoch)
			}
			if es.BestEpoch() != c.BestEpoch {
				t.Errorf("best epoch %d, Keras %d", es.BestEpoch(), c.BestEpoch)
			}
			if got := m.params[0].value.data[0]; got != c.FinalWeightsEpoch {
				t.Errorf("final weights are from epoch %v, Keras's from epoch %v", got, c.FinalWeightsEpoch)
			}
			if buf.String() != c.Stdout {
				t.Errorf("printed %q, Keras printed %q", buf.String(), c.Stdout)
			}
		})
	}
}

// TestKerasModelCheckpoint drives ModelCheckpoint through the fixture's
// sequences in a temporary directory and compares the files written and
// the messages with Keras's. dl prints the messages of Keras 3.4–3.10,
// which lecture notebooks show: the first improvement is "from inf"
// (Keras 3.11+ prints "from None"), and there is no separate "finished
// saving" line (Keras 3.13+); the fixture's text is adjusted accordingly.
func TestKerasModelCheckpoint(t *testing.T) {
	buf := new(bytes.Buffer)
	wd, _ := os.Getwd()
	for _, c := range loadFixture[callbackCase](t, "callbacks.json") {
		if c.Kind != "ModelCheckpoint" {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			buf.Reset()
			dir := t.TempDir()
			Check(os.Chdir(dir))
			defer os.Chdir(wd)
			m := callbackModel(c.Logs)
			path, _ := c.Args["filepath"].(string)
			monitor, _ := c.Args["monitor"].(string)
			best, _ := c.Args["save_best_only"].(bool)
			weightsOnly, _ := c.Args["save_weights_only"].(bool)
			mc := &ModelCheckpoint{Filepath: path, Monitor: monitor, SaveBestOnly: best, SaveWeightsOnly: weightsOnly,
				Verbose: int(num(c.Args, "verbose")), InitialValueThreshold: num(c.Args, "initial_value_threshold")}
			mc.SetModel(m)
			mc.SetParams(Params{Output: buf})
			Check(mc.OnTrainBegin(nil))
			for epoch, logs := range c.Logs {
				Check(mc.OnEpochBegin(epoch, logs))
				Check(mc.OnEpochEnd(epoch, logs))
			}
			var files []string
			filepath.Walk(".", func(p string, info os.FileInfo, err error) error {
				if err == nil && !info.IsDir() {
					files = append(files, filepath.ToSlash(p))
				}
				return nil
			})
			sort.Strings(files)
			if !reflect.DeepEqual(files, c.Files) {
				t.Errorf("files %v, Keras %v", files, c.Files)
			}
			first := "from inf"
			if strings.Contains(monitor, "acc") {
				first = "from -inf" // Keras 3.10 starts "max" monitors at -inf
			}
			want := strings.ReplaceAll(c.Stdout, "from None", first)
			var kept []string
			for _, block := range strings.SplitAfter(want, "\n\n") {
				if !strings.Contains(block, "finished saving") {
					kept = append(kept, block)
				}
			}
			want = strings.Join(kept, "")
			want = strings.TrimRight(want, "\n") + "\n"
			if c.Stdout == "" {
				want = ""
			}
			if got := buf.String(); got != want {
				t.Errorf("printed\n%q\nKeras (3.10 wording)\n%q", got, want)
			}
		})
	}
}

// TestCallbackSettingErrors checks that mistakes in callback settings stop
// Fit before any training, with the available keys listed.
func TestCallbackSettingErrors(t *testing.T) {
	x, y := regressionData(20)
	for _, c := range []struct {
		cb   Callback
		want []string
	}{
		{&EarlyStopping{Monitor: "val_los"}, []string{`"val_los"`, "loss, mae, val_loss, val_mae"}},
		{&EarlyStopping{Mode: "lowest"}, []string{`Mode="lowest"`}},
		{&ModelCheckpoint{}, []string{"Filepath is required"}},
		{&ModelCheckpoint{Filepath: "best.h5"}, []string{".keras"}},
		{&ModelCheckpoint{Filepath: "w.keras", SaveWeightsOnly: true}, []string{".weights.h5"}},
		{&ModelCheckpoint{Filepath: "ckpt-{epoch:03d}-{val_acc:.2f}.keras"}, []string{"{val_acc}", "val_mae"}},
		{&ModelCheckpoint{Filepath: "ckpt-{epoch:03d.keras"}, []string{"never closed"}},
		{&ModelCheckpoint{Filepath: "ckpt-{epoch:0.3q}.keras"}, []string{"invalid format specifier"}},
	} {
		t.Run(fmt.Sprintf("%T", c.cb), func(t *testing.T) {
			m := smallModel()
			Check(m.Compile(CompileOptions{Optimizer: "adam", Loss: "mse", Metrics: []string{"mae"}}))
			before := m.GetWeights()
			_, err := m.Fit(x, y, FitOptions{Epochs: 2, ValidationSplit: 0.2, Callbacks: []Callback{c.cb}, Verbose: Silent})
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if !reflect.DeepEqual(before, m.GetWeights()) {
				t.Error("the model trained before the error")
			}
		})
	}
}

// TestPyFormat checks the template formatting against values Python's
// str.format gives.
func TestPyFormat(t *testing.T) {
	for _, c := range []struct{ tmpl, want string }{
		{"{epoch:03d}.keras", "007.keras"},
		{"ckpt-{epoch:02d}-{val_loss:.2f}.keras", "ckpt-07-0.46.keras"}, // format(0.456, '.2f')
		{"{epoch}-{val_loss}", "7-0.456"},
		{"{val_loss:.3e}", "4.560e-01"},
		{"{val_loss:.1%}", "45.6%"},
		{"{val_loss:8.3f}|{epoch:<4d}|{epoch:^5}", "   0.456|7   |  7  "},
		{"{{literal}}-{epoch:+d}", "{literal}-+7"},
		{"{big:,.1f}", "1,234,567.9"},
		{"{tiny}", "1e-05"},
		{"{epoch:.2f}", "7.00"},
	} {
		tm, err := parsePyTemplate(c.tmpl)
		if err != nil {
			t.Errorf("%s: %v", c.tmpl, err)
			continue
		}
		got, err := tm.format(map[string]int{"epoch": 7}, Logs{"val_loss": 0.456, "big": 1234567.89, "tiny": 1e-5})
		if err != nil || got != c.want {
			t.Errorf("%s = %q, %v; Python gives %q", c.tmpl, got, err, c.want)
		}
	}
	if _, err := (&pySpec{typ: 'd', precision: -1}).formatFloat(math.Pi); err == nil {
		t.Error("format(3.14, 'd') should be an error, as in Python")
	}
}

// TestCheckpointSaveFreq checks saving every N batches (Keras:
// save_freq=N): the template gets epoch and batch, both counted from 1.
func TestCheckpointSaveFreq(t *testing.T) {
	dir := t.TempDir()
	x, y := regressionData(40) // 32 training rows in batches of 8: 4 per epoch
	m := smallModel()
	Check(m.Compile(CompileOptions{Optimizer: "adam", Loss: "mse"}))
	mc := &ModelCheckpoint{Filepath: filepath.Join(dir, "e{epoch}-b{batch}.weights.h5"), SaveWeightsOnly: true, SaveFreq: 3}
	if _, err := m.Fit(x, y, FitOptions{Epochs: 2, BatchSize: 8, ValidationSplit: 0.2, Callbacks: []Callback{mc}, Verbose: Silent}); err != nil {
		t.Fatal(err)
	}
	var got []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		got = append(got, e.Name())
	}
	// Batches seen: 3 (epoch 1, batch 3), 6 (epoch 2, batch 2).
	want := []string{"e1-b3.weights.h5", "e2-b2.weights.h5"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("files %v, want %v", got, want)
	}
}
