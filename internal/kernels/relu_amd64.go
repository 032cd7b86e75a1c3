package kernels

import "unsafe"

// keepPositive64AVX2 is KeepPositive for a byte count that is a positive
// multiple of 64.
//
//go:noescape
func keepPositive64AVX2(dst, x, m unsafe.Pointer, bytes int)

// keepPositive32AVX2 is KeepPositive32 for a byte count that is a positive
// multiple of 64.
//
//go:noescape
func keepPositive32AVX2(dst, x, m unsafe.Pointer, bytes int)

// KeepPositive sets dst[i] = x[i] where m[i] > 0 and dst[i] = +0 elsewhere,
// for the first n values, n the largest multiple of 8 up to len(x), with
// AVX2 where the CPU has it, and returns n (0 elsewhere); the caller does
// the rest. It is ReLU (KeepPositive(y, z, z)) and its gradient
// (KeepPositive(dz, dy, z)). "m[i] > 0" is decided on the bits, as a
// signed integer: true for positive numbers, +Inf and NaNs without the
// sign bit, false for ±0, negative numbers and NaNs with it, as the
// branch-free Go loops of dl do. dst, x and m must be at least as long as
// x, and dst may be x or m.
func KeepPositive(dst, x, m []float64) (n int) { return byLines(dst, x, m, keepPositive64AVX2) }

// KeepPositive32 is KeepPositive for float32, sixteen values at a time.
func KeepPositive32(dst, x, m []float32) (n int) { return byLines(dst, x, m, keepPositive32AVX2) }

// mul64AVX2 is Mul for a byte count that is a positive multiple of 64.
//
//go:noescape
func mul64AVX2(dst, x, m unsafe.Pointer, bytes int)

// mul32AVX2 is Mul32 for a byte count that is a positive multiple of 64.
//
//go:noescape
func mul32AVX2(dst, x, m unsafe.Pointer, bytes int)

// Mul sets dst[i] = x[i]·m[i] for the first n values, n the largest
// multiple of 8 up to len(x), with AVX2 where the CPU has it, and returns
// n (0 elsewhere); the caller does the rest. The products are the Go
// loop's, bitwise: a dropout mask's gradient (Mul(dx, dy, mask)). dst and
// m must be at least as long as x, and dst may be x or m.
func Mul(dst, x, m []float64) (n int) { return byLines(dst, x, m, mul64AVX2) }

// Mul32 is Mul for float32, sixteen values at a time.
func Mul32(dst, x, m []float32) (n int) { return byLines(dst, x, m, mul32AVX2) }

// byLines runs kernel, which reads x and m and writes dst 64 bytes (a
// cache line) at a time, on the first values of x: as many as fill whole
// lines. It returns how many.
func byLines[T gemmFloat](dst, x, m []T, kernel func(dst, x, m unsafe.Pointer, bytes int)) (n int) {
	var z T
	lanes := 64 / int(unsafe.Sizeof(z)) // values in the 64 bytes of an iteration
	if haveKernel && len(x) >= lanes {
		n = len(x) / lanes * lanes
		_, _ = dst[n-1], m[n-1]
		kernel(unsafe.Pointer(&dst[0]), unsafe.Pointer(&x[0]), unsafe.Pointer(&m[0]), n*int(unsafe.Sizeof(z)))
	}
	return n
}
