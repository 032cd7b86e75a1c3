package dl_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dlgo/dlgo/dl"
)

// exampleModel returns a small compiled regression model and its data.
func exampleModel(optimizer any) (*dl.Sequential, *dl.Tensor, *dl.Tensor) {
	dl.ClearSession()
	dl.SetRandomSeed(1)
	x := dl.FromRows([][]float64{{0, 0}, {0, 1}, {1, 0}, {1, 1}, {0.5, 0.5}, {0.2, 0.8}, {0.9, 0.1}, {0.3, 0.3}})
	y := dl.FromRows([][]float64{{0}, {1}, {1}, {2}, {1}, {1}, {1}, {0.6}})
	model := dl.NewSequential(dl.Input(2), &dl.Dense{Units: 4, Activation: "relu"}, &dl.Dense{Units: 1})
	dl.Check(model.Compile(dl.CompileOptions{Optimizer: optimizer, Loss: "mse"}))
	return model, x, y
}

// EarlyStopping ends training once the monitored value stops improving.
// Here no epoch improves the loss by MinDelta, so training stops after
// the first epoch and Patience more.
func ExampleEarlyStopping() {
	model, x, y := exampleModel("adam")
	es := &dl.EarlyStopping{Monitor: "loss", MinDelta: 100, Patience: 2, Verbose: 1}
	h := dl.Must(model.Fit(x, y, dl.FitOptions{Epochs: 50, Verbose: dl.Silent, Callbacks: []dl.Callback{es}}))
	fmt.Println(len(h.Epoch), "epochs run; stopped at epoch index", es.StoppedEpoch())
	// Output:
	// Epoch 3: early stopping
	// 3 epochs run; stopped at epoch index 2
}

// ModelCheckpoint saves the model, or its weights, as training goes; the
// file name is a Python format template.
func ExampleModelCheckpoint() {
	model, x, y := exampleModel("adam")
	dir, err := os.MkdirTemp("", "ckpt")
	dl.Check(err)
	defer os.RemoveAll(dir)
	ckpt := &dl.ModelCheckpoint{Filepath: filepath.Join(dir, "w-{epoch:02d}.weights.h5"), SaveWeightsOnly: true}
	dl.Must(model.Fit(x, y, dl.FitOptions{Epochs: 3, Verbose: dl.Silent, Callbacks: []dl.Callback{ckpt}}))
	files, err := os.ReadDir(dir)
	dl.Check(err)
	for _, f := range files {
		fmt.Println(f.Name())
	}
	// Output:
	// w-01.weights.h5
	// w-02.weights.h5
	// w-03.weights.h5
}

// epochCounter is a callback of one's own: it embeds BaseCallback and
// overrides the hooks it needs.
type epochCounter struct {
	dl.BaseCallback
	epochs int
}

// OnTrainBegin reads the run's parameters, given by Fit before training
// (Keras: self.params).
func (c *epochCounter) OnTrainBegin(dl.Logs) error {
	p := c.Params()
	fmt.Printf("%d epochs of %d steps, logging %s\n", p.Epochs, p.Steps, strings.Join(p.Keys, ", "))
	return nil
}

// OnEpochEnd counts the epochs.
func (c *epochCounter) OnEpochEnd(epoch int, logs dl.Logs) error {
	c.epochs++
	_, ok := logs["val_loss"]
	fmt.Printf("epoch %d: val_loss logged: %v\n", epoch+1, ok)
	return nil
}

// A callback of one's own embeds BaseCallback, which also gives it the
// model (Model) and the run's parameters (Params).
func ExampleBaseCallback() {
	model, x, y := exampleModel("adam")
	c := &epochCounter{}
	dl.Must(model.Fit(x, y, dl.FitOptions{Epochs: 2, BatchSize: 2, ValidationSplit: 0.25, Verbose: dl.Silent, Callbacks: []dl.Callback{c}}))
	fmt.Println(c.epochs, "epochs counted")
	// Output:
	// 2 epochs of 3 steps, logging loss, val_loss
	// epoch 1: val_loss logged: true
	// epoch 2: val_loss logged: true
	// 2 epochs counted
}

// ReduceLROnPlateau lowers the learning rate when the monitored value
// stops improving, and logs the rate in effect, which History records as
// "learning_rate".
func ExampleReduceLROnPlateau() {
	model, x, y := exampleModel(&dl.Adam{LearningRate: 0.01})
	r := &dl.ReduceLROnPlateau{Monitor: "loss", MinDelta: 100, Patience: 2, Factor: 0.5, Verbose: 1}
	h := dl.Must(model.Fit(x, y, dl.FitOptions{Epochs: 5, Verbose: dl.Silent, Callbacks: []dl.Callback{r}}))
	fmt.Println(h.History["learning_rate"])
	// Output:
	// Epoch 3: ReduceLROnPlateau reducing learning rate to 0.005.
	//
	// Epoch 5: ReduceLROnPlateau reducing learning rate to 0.0025.
	// [0.01 0.01 0.01 0.005 0.005]
}

// LearningRateScheduler sets the learning rate of each epoch.
func ExampleLearningRateScheduler() {
	model, x, y := exampleModel(&dl.SGD{LearningRate: 0.1})
	s := &dl.LearningRateScheduler{Schedule: func(epoch int, lr float64) float64 {
		if epoch < 1 {
			return lr
		}
		return lr / 2
	}}
	h := dl.Must(model.Fit(x, y, dl.FitOptions{Epochs: 3, Verbose: dl.Silent, Callbacks: []dl.Callback{s}}))
	fmt.Println(h.History["learning_rate"])
	// Output: [0.1 0.05 0.025]
}

// TerminateOnNaN stops training quietly, as Keras does, when the loss is no
// longer a number; without it Fit returns an error. Here the inputs are so
// large that the first batch's loss overflows.
func ExampleTerminateOnNaN() {
	model, _, y := exampleModel("sgd")
	x := dl.Zeros(8, 2)
	for i := range x.Data() {
		x.Data()[i] = 1e200
	}
	h, err := model.Fit(x, y, dl.FitOptions{Epochs: 10, Verbose: dl.Silent, Callbacks: []dl.Callback{&dl.TerminateOnNaN{}}})
	fmt.Println(len(h.Epoch), "epoch run, error:", err)
	// Output:
	// Batch 0: Invalid loss, terminating training
	// 1 epoch run, error: <nil>
}

// CSVLogger writes each epoch's values to a CSV file, as Keras does.
func ExampleCSVLogger() {
	model, x, y := exampleModel("adam")
	dir, err := os.MkdirTemp("", "csv")
	dl.Check(err)
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "training.csv")
	csv := &dl.CSVLogger{Filename: path}
	dl.Must(model.Fit(x, y, dl.FitOptions{Epochs: 3, ValidationSplit: 0.25, Verbose: dl.Silent, Callbacks: []dl.Callback{csv}}))
	b, err := os.ReadFile(path)
	dl.Check(err)
	lines := strings.Split(strings.TrimSpace(string(b)), "\r\n")
	fmt.Println(lines[0])
	fmt.Println(len(lines)-1, "rows")
	// Output:
	// epoch,loss,val_loss
	// 3 rows
}

// ProgbarLogger is the progress bar Fit shows by default; FitOptions.Output
// sends it, and the callbacks' messages, to any writer.
func ExampleProgbarLogger() {
	model, x, y := exampleModel("adam")
	var out strings.Builder
	dl.Must(model.Fit(x, y, dl.FitOptions{Epochs: 2, BatchSize: 4, Verbose: 2, Output: &out}))
	for _, line := range strings.Split(out.String(), "\n") {
		if prefix, _, ok := strings.Cut(line, " - "); ok {
			line = prefix + " - ..." // the times and the loss vary
		}
		fmt.Println(line)
	}
	// Output:
	// Epoch 1/2
	// 2/2 - ...
	// Epoch 2/2
	// 2/2 - ...
}

// dots is a progress display of one's own: a dot per epoch.
type dots struct{ dl.BaseCallback }

// ShowsProgress makes dots a dl.ProgressCallback.
func (*dots) ShowsProgress() {}

// OnEpochEnd prints a dot.
func (*dots) OnEpochEnd(int, dl.Logs) error {
	fmt.Print(".")
	return nil
}

// OnTrainEnd ends the line.
func (*dots) OnTrainEnd(dl.Logs) error {
	fmt.Println()
	return nil
}

// RegisterProgress replaces the progress display Fit shows by default, as
// the notebook package does with its live view inside a notebook.
func ExampleRegisterProgress() {
	dl.RegisterProgress(func() dl.ProgressCallback { return &dots{} })
	defer dl.RegisterProgress(nil) // back to ProgbarLogger
	model, x, y := exampleModel("adam")
	dl.Must(model.Fit(x, y, dl.FitOptions{Epochs: 5}))
	// Output: .....
}
