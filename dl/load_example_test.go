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
