package prep

import (
	"fmt"

	"github.com/dlgo/dlgo/dl"
)

// errorf returns a *dl.Error for op with a formatted message.
func errorf(op, format string, args ...any) error {
	return &dl.Error{Op: op, Msg: fmt.Sprintf(format, args...)}
}

// rowSize is the number of values per sample: the product of all axes but the first.
func rowSize(shape []int) int {
	n := 1
	for _, d := range shape[1:] {
		n *= d
	}
	return n
}
