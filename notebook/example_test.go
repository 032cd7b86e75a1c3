package notebook_test

import (
	"fmt"
	"time"

	"github.com/dlgo/dlgo/dl"
	"github.com/dlgo/dlgo/notebook"
)

// In a notebook cell, importing the package is all it takes: Fit then shows
// the live view (progress bar, metrics and learning curve) instead of the
// terminal progress bar.
func Example() {
	// import _ "github.com/dlgo/dlgo/notebook"
	x := dl.FromRows([][]float64{{0, 0}, {0, 1}, {1, 0}, {1, 1}})
	y := dl.FromRows([][]float64{{0}, {1}, {1}, {0}})
	model := dl.NewSequential(dl.Input(2), &dl.Dense{Units: 8, Activation: "tanh"}, &dl.Dense{Units: 1, Activation: "sigmoid"})
	dl.Check(model.Compile(dl.CompileOptions{Optimizer: "adam", Loss: "binary_crossentropy"}))
	history := dl.Must(model.Fit(x, y, dl.FitOptions{Epochs: 3, Verbose: dl.Silent}))
	fmt.Println(len(history.History["loss"]), "epochs")
	// Output: 3 epochs
}

// The live view draws a Progress: its summary line, a progress bar of
// Fraction, and the learning curve of Loss and ValLoss.
func ExampleProgress() {
	p := notebook.Progress{
		Epoch: 2, Epochs: 10, Step: 6, Steps: 12,
		Elapsed: 2500 * time.Millisecond, PerEpoch: 960 * time.Millisecond, ETA: 7500 * time.Millisecond,
		Metrics: []notebook.Metric{{Name: "accuracy", Value: 0.8765}, {Name: "loss", Value: 0.31416}},
		Loss:    []float64{0.69, 0.45},
	}
	fmt.Println(p.Line())
	fmt.Printf("%.0f%% done\n", 100*p.Fraction())
	// Output:
	// Epoch 3/10 · step 6/12 · 2.5s total, 960ms/epoch · ETA 7.5s · accuracy: 0.8765 · loss: 0.3142
	// 25% done
}
