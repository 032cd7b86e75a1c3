//go:build !amd64

package kernels

// Dropout applies no masks on this architecture, which has no vector
// kernel, and returns 0 and state: the caller's DropoutGo does them all.
func Dropout(x, mask, y []float64, state, threshold uint64, scale float64) (n int, next uint64) {
	return 0, state
}

// Dropout32 is Dropout for float32.
func Dropout32(x, mask, y []float32, state, threshold uint64, scale float64) (n int, next uint64) {
	return 0, state
}

// haveDropout says whether the dropout kernels can run: there are none for
// this architecture.
const haveDropout = false
