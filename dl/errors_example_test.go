package dl_test

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/dlgo/dlgo/dl"
	"github.com/dlgo/dlgo/dl/prep"
)

// errPlateau is what the callback of the example returns to stop Fit.
var errPlateau = errors.New("the loss stopped improving")

// plateau stops training with errPlateau at the end of the first epoch.
type plateau struct{ dl.BaseCallback }

func (*plateau) OnEpochEnd(int, dl.Logs) error { return errPlateau }

// A program inspects dl's errors with errors.As, which gives the *dl.Error
// (the verb in Op, the explanation in Msg), and errors.Is, which finds the
// cause: the error a callback returned, or a file that does not exist.
func ExampleError() {
	model := dl.NewSequential(dl.Input(3), &dl.Dense{Units: 1})
	err := model.Compile(dl.CompileOptions{Optimizer: &dl.SGD{Momentum: 1.5}, Loss: "mse"})
	var e *dl.Error
	if errors.As(err, &e) {
		fmt.Println("Op:", e.Op)
		fmt.Println("Msg:", e.Msg)
	}

	dl.Check(model.Compile(dl.CompileOptions{Optimizer: "sgd", Loss: "mse"}))
	x, y := dl.Zeros(4, 3), dl.Zeros(4, 1)
	_, err = model.Fit(x, y, dl.FitOptions{Epochs: 5, Verbose: dl.Silent, Callbacks: []dl.Callback{&plateau{}}})
	fmt.Println(err)
	fmt.Println("stopped by the callback:", errors.Is(err, errPlateau))

	_, err = prep.ReadCSV("no-such-file.csv")
	fmt.Println("missing file:", errors.Is(err, fs.ErrNotExist), errors.As(err, &e), e.Op)
	// Output:
	// Op: Compile
	// Msg: Optimizer &dl.SGD{Momentum: 1.5}: Momentum must be a number between 0 and 1; received Momentum=1.5
	// dl: Fit: callback *dl_test.plateau: the loss stopped improving
	// stopped by the callback: true
	// missing file: true true ReadCSV
}
