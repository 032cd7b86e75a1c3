package dl_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dlgo/dlgo/dl"
)

// LoadModel refuses a model with more weights than dl.DefaultMaxParams
// (a damaged or hostile file can declare billions); LoadModelWith sets
// other limits. Here a limit below the model's 4160 weights refuses it,
// and one above loads it.
// A trained model saved as a .keras file (as Keras's model.save) and loaded
// back (keras.models.load_model) predicts the same numbers; it keeps its
// compile settings and its optimizer's state, so training can continue.
func ExampleLoadModel() {
	dir, err := os.MkdirTemp("", "example")
	dl.Check(err)
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "model.keras")

	x := dl.FromRows([][]float64{{0, 0}, {0, 1}, {1, 0}, {1, 1}})
	y := dl.FromRows([][]float64{{0}, {1}, {1}, {0}})
	model := dl.NewSequential(dl.Input(2), &dl.Dense{Units: 8, Activation: "tanh"}, &dl.Dense{Units: 1, Activation: "sigmoid"})
	model.Seed = 1
	dl.Check(model.Compile(dl.CompileOptions{Optimizer: "adam", Loss: "binary_crossentropy"}))
	dl.Must(model.Fit(x, y, dl.FitOptions{Epochs: 5, Verbose: dl.Silent}))
	dl.Check(model.Save(path))

	loaded := dl.Must(dl.LoadModel(path))
	before := dl.Must(model.Predict(x, dl.PredictOptions{Verbose: dl.Silent}))
	after := dl.Must(loaded.Predict(x, dl.PredictOptions{Verbose: dl.Silent}))
	same := true
	for i := 0; i < 4; i++ {
		same = same && before.At(i, 0) == after.At(i, 0)
	}
	fmt.Println("same predictions:", same)
	// Output:
	// same predictions: true
}

func ExampleLoadModelWith() {
	dir, err := os.MkdirTemp("", "example")
	dl.Check(err)
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "wide.keras")
	model := dl.NewSequential(dl.Input(64), &dl.Dense{Units: 64})
	dl.Check(model.Save(path))

	_, err = dl.LoadModelWith(path, dl.LoadOptions{MaxParams: 1000})
	fmt.Println(strings.Contains(err.Error(), "beyond the 1000 weights that LoadModelWith accepts"))
	loaded := dl.Must(dl.LoadModelWith(path, dl.LoadOptions{MaxParams: 10_000}))
	fmt.Println(loaded.CountParams())
	// Output:
	// true
	// 4160
}
