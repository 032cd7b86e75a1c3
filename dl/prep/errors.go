package prep

import (
	"errors"
	"fmt"

	"github.com/dlgo/dlgo/dl"
)

// errorf returns a *dl.Error from this package ("prep: op: ...") with a
// formatted message. A %w verb in format makes its argument the cause, as
// with fmt.Errorf, so that errors.Is sees it.
func errorf(op, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	return &dl.Error{Op: op, Msg: err.Error(), Err: errors.Unwrap(err), Pkg: "prep"}
}

// rowSize is the number of values per sample: the product of all axes but the first.
func rowSize(shape []int) int {
	n := 1
	for _, d := range shape[1:] {
		n *= d
	}
	return n
}
