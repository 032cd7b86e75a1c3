package prep

import (
	"fmt"
	"strings"

	"github.com/dlgo/dlgo/dl"
)

// errorf returns a *dl.Error for op with a formatted message.
func errorf(op, format string, args ...any) error {
	return &dl.Error{Op: op, Msg: fmt.Sprintf(format, args...)}
}

// shapeString formats a shape as a Python tuple: (3,), (569, 30).
func shapeString(shape []int) string {
	if len(shape) == 1 {
		return fmt.Sprintf("(%d,)", shape[0])
	}
	parts := make([]string, len(shape))
	for i, d := range shape {
		parts[i] = fmt.Sprint(d)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// rowSize is the number of values per sample: the product of all axes but the first.
func rowSize(shape []int) int {
	n := 1
	for _, d := range shape[1:] {
		n *= d
	}
	return n
}
