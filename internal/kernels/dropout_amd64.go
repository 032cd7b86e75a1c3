package kernels

// cpuidLeaf7EBX returns the feature flags of CPUID leaf 7 in EBX.
func cpuidLeaf7EBX() uint32

// dropout64AVX512 is Dropout's kernel for n float64 values (n a positive
// multiple of 16), the splitmix64 states of the next eight outputs in
// states, step apart.
//
//go:noescape
func dropout64AVX512(x, mask, y *float64, n int, states *[8]uint64, step uint64, threshold uint32, scale float64)

// dropout32AVX512 is dropout64AVX512 for float32.
//
//go:noescape
func dropout32AVX512(x, mask, y *float32, n int, states *[8]uint64, step uint64, threshold uint32, scale float32)

// haveDropout says whether the dropout kernels can run: they need
// AVX-512F and AVX-512DQ (VPMULLQ, leaf 7 EBX bit 17).
var haveDropout = haveAVX512 && cpuidLeaf7EBX()&(1<<17) != 0

// Dropout draws the dropout masks of the first n values of x, n the
// largest multiple of 16 up to len(x), and applies them, where the CPU
// has AVX-512 with its DQ instructions, and returns n and the generator's
// state after them; elsewhere, or when threshold does not fit 32 bits, it
// returns 0 and state; the caller does the rest with DropoutGo from the
// state returned. The values and the state are bitwise DropoutGo's, eight
// outputs (sixteen values) at a time. mask and y must be at least as long
// as x.
func Dropout(x, mask, y []float64, state, threshold uint64, scale float64) (n int, next uint64) {
	n, states, next := dropoutPlan(len(x), state, threshold)
	if n > 0 {
		_, _ = mask[n-1], y[n-1]
		dropout64AVX512(&x[0], &mask[0], &y[0], n, &states, splitmixStep8, uint32(threshold), scale)
	}
	return n, next
}

// Dropout32 is Dropout for float32: the mask holds float32(scale) or 0.
func Dropout32(x, mask, y []float32, state, threshold uint64, scale float64) (n int, next uint64) {
	n, states, next := dropoutPlan(len(x), state, threshold)
	if n > 0 {
		_, _ = mask[n-1], y[n-1]
		dropout32AVX512(&x[0], &mask[0], &y[0], n, &states, splitmixStep8, uint32(threshold), float32(scale))
	}
	return n, next
}

// splitmixStep8 is eight steps of the generator, 8·splitmixGamma modulo
// 2⁶⁴: how far each of the kernel's eight states moves an iteration.
const splitmixStep8 = 8 * splitmixGamma & (1<<64 - 1)

// dropoutPlan returns how many of count values the kernels draw the masks
// of (0 if they cannot), the generator's states for their first eight
// outputs and its state after them.
func dropoutPlan(count int, state, threshold uint64) (n int, states [8]uint64, next uint64) {
	n = count &^ 15
	if !haveDropout || n == 0 || threshold > 1<<32-1 {
		return 0, states, state
	}
	for j := range states {
		states[j] = state + uint64(j+1)*splitmixGamma
	}
	return n, states, state + uint64(n/2)*splitmixGamma
}
