package prep_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/dlgo/dlgo/dl"
	"github.com/dlgo/dlgo/dl/prep"
)

// ReadCSV reads files up to prep.DefaultMaxCSVBytes; ReadCSVWith reads
// larger ones, or sets a smaller limit.
func ExampleReadCSVWith() {
	dir, err := os.MkdirTemp("", "example")
	dl.Check(err)
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "temps.csv")
	dl.Check(os.WriteFile(path, []byte("Date,AvgTemp\n2019-01-06,31.2\n2019-01-13,28.5\n"), 0o644))

	data := dl.Must(prep.ReadCSVWith(path, prep.ReadCSVOptions{MaxBytes: 1 << 30}))
	fmt.Println(data.Len(), data.Columns())
	_, err = prep.ReadCSVWith(path, prep.ReadCSVOptions{MaxBytes: 10})
	fmt.Println(err != nil)
	// Output:
	// 2 [Date AvgTemp]
	// true
}
