package kernels

import "math"

// sigmoidAVX2 computes dst[i] = sigmoid(src[i]) for n values, n a multiple
// of 4, with c = &sigmoidConsts.
//
//go:noescape
func sigmoidAVX2(dst, src *float64, n int, c *[17]float64)

// sigmoidConsts are sigmoidAVX2's constants: log2(e), ln 2 split in a high
// and a low part, the clamp of the exponent's argument, 1, and the
// polynomial's coefficients 1/12!, 1/11!, ..., 1/2!.
var sigmoidConsts = [17]float64{
	math.Log2E, 6.93147180369123816490e-01, 1.90821492927058770002e-10, -708, 708, 1,
	1.0 / 479001600, 1.0 / 39916800, 1.0 / 3628800, 1.0 / 362880, 1.0 / 40320, 1.0 / 5040,
	1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 1.0 / 2,
}

// Sigmoid sets y[i] = 1 / (1 + e^-z[i]) for the first n values of z, n
// the largest multiple of 4 up to len(z), four at a time where the CPU has
// AVX2 and FMA, and returns n; elsewhere it returns 0. The caller computes
// the rest. The results are within 2e-15 relative of the formula. y must be
// at least as long as z.
func Sigmoid(z, y []float64) (n int) {
	if haveKernel && len(z) >= 4 {
		n = len(z) &^ 3
		_ = y[n-1]
		sigmoidAVX2(&y[0], &z[0], n, &sigmoidConsts)
	}
	return n
}

// tanhAVX2 computes dst[i] = tanh(src[i]) for n values, n a multiple of
// 4, with c = &tanhConsts.
//
//go:noescape
func tanhAVX2(dst, src *float64, n int, c *[24][4]float64)

// tanhConsts are tanhAVX2's constants, each four times: math.Exp's
// log2(e), ln 2 in an upper and a lower part, 1/16 and polynomial
// coefficients (1/8!·2⁴ ... down, as its assembly has them, then 1/2 and
// 1), 2, math.Tanh's 0.625 and half of the log of 2¹²⁷, its coefficients
// P0, P1, P2 and Q0, Q1, Q2, the masks of the magnitude and of the sign,
// and the exponent's bias (an integer).
var tanhConsts = func() (c [24][4]float64) {
	const maxLog = 8.8029691931113054295988e+01
	rows := []float64{
		1.4426950408889634073599246810018920,                  // 0: log2(e)
		0.69314718055966295651160180568695068359375,           // 1: ln 2, upper
		0.28235290563031577122588448175013436025525412068e-12, // 2: ln 2, lower
		0.0625,                                                                       // 3
		2.4801587301587301587e-5, 1.9841269841269841270e-4, 1.3888888888888888889e-3, // 4-6
		8.3333333333333333333e-3, 4.1666666666666666667e-2, 1.6666666666666666667e-1, // 7-9
		0.5, 1, 2, // 10-12
		0.625, 0.5 * maxLog, // 13, 14
		-9.64399179425052238628e-1, -9.92877231001918586564e1, -1.61468768441708447952e3, // 15-17: P
		1.12811678491632931402e2, 2.23548839060100448583e3, 4.84406305325125486048e3, // 18-20: Q
		math.Float64frombits(1<<63 - 1), math.Float64frombits(1 << 63), math.Float64frombits(1023), // 21-23
	}
	for i, v := range rows {
		c[i] = [4]float64{v, v, v, v}
	}
	return c
}()

// Tanh sets y[i] = tanh(z[i]) for the first n values of z, n the largest
// multiple of 4 up to len(z), four at a time where the CPU has AVX2 and
// FMA, and returns n; elsewhere it returns 0. The caller computes the
// rest. The results are bitwise math.Tanh's on such a CPU (whose math.Exp
// uses FMA too) in a program built for the baseline amd64 (GOAMD64=v1,
// the default: with v3 the compiler may fuse math.Tanh's own
// multiply-adds). y must be at least as long as z.
func Tanh(z, y []float64) (n int) {
	if haveKernel && len(z) >= 4 {
		n = len(z) &^ 3
		_ = y[n-1]
		tanhAVX2(&y[0], &z[0], n, &tanhConsts)
	}
	return n
}

// sigmoid32AVX2 computes dst[i] = sigmoid(src[i]) for n float32 values, n
// a multiple of 8, with c = &sigmoid32Consts.
//
//go:noescape
func sigmoid32AVX2(dst, src *float32, n int, c *[13]float32)

// sigmoid32Consts are sigmoid32AVX2's constants: log2(e), ln 2 split in a
// high part exact in float32 and a low part, the clamp of the exponent's
// argument, 1, and the polynomial's coefficients 1/7!, ..., 1/1!.
var sigmoid32Consts = [13]float32{
	math.Log2E, 0.693359375, -2.12194440e-4, -87, 88, 1,
	1.0 / 5040, 1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 1.0 / 2, 1,
}

// Sigmoid32 is Sigmoid for float32: it sets y[i] = 1 / (1 + e^-z[i]) for
// the first n values of z, n the largest multiple of 8 up to len(z), eight
// at a time where the CPU has AVX2 and FMA, and returns n (0 elsewhere).
// The results are within 3e-7 relative of the formula computed in float64.
func Sigmoid32(z, y []float32) (n int) {
	if haveKernel && len(z) >= 8 {
		n = len(z) &^ 7
		_ = y[n-1]
		sigmoid32AVX2(&y[0], &z[0], n, &sigmoid32Consts)
	}
	return n
}
