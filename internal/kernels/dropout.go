package kernels

import "math"

// splitmixGamma is splitmix64's increment.
const splitmixGamma = 0x9e3779b97f4a7c15

// DropoutGo applies dropout masks to x in Go, as Dropout does with vector
// instructions: for each pair of values i, i+1 it draws the next
// splitmix64 output from state (state += splitmixGamma, then the mix), keeps
// value i where the output's low 32 bits are below threshold and value i+1
// where its high 32 bits are, sets mask to scale (converted to T) for a
// kept value and to +0 for a dropped one, and y = x·mask; an odd last value
// takes the low bits of one more output. It returns the state after the
// last output. mask and y must be at least as long as x.
func DropoutGo[T gemmFloat](x, mask, y []T, state, threshold uint64, scale float64) uint64 {
	next := func() uint64 {
		state += splitmixGamma
		z := state
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		return z ^ (z >> 31)
	}
	// pick returns the mask value for a draw: keep is 1 when the draw is
	// below the threshold, without a branch (which the processor would
	// mispredict on every other value), and the mask is scale or 0,
	// selected on its bits (converting keep to a float would wait on the
	// previous conversion).
	scaleBits := math.Float64bits(scale)
	pick := func(draw uint64) T {
		keep := uint64(int64(draw-threshold)) >> 63
		return T(math.Float64frombits(scaleBits & -keep))
	}
	mask, y = mask[:len(x)], y[:len(x)]
	i := 0
	for ; i+2 <= len(x); i += 2 {
		bits := next()
		m0, m1 := pick(bits&0xffffffff), pick(bits>>32)
		mask[i], mask[i+1] = m0, m1
		y[i], y[i+1] = x[i]*m0, x[i+1]*m1
	}
	if i < len(x) {
		m := pick(next() & 0xffffffff)
		mask[i], y[i] = m, x[i]*m
	}
	return state
}
