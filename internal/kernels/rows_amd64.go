package kernels

import "unsafe"

// addRows64AVX2 adds rows (at least one) rows of m, stride bytes apart, to
// sums, the first bytes (a multiple of 32) of each, in float64.
//
//go:noescape
func addRows64AVX2(sums, m unsafe.Pointer, rows, stride, bytes int)

// addRows32AVX2 is addRows64AVX2 in float32.
//
//go:noescape
func addRows32AVX2(sums, m unsafe.Pointer, rows, stride, bytes int)

// AddRows adds the column sums of m, rows of n values, to the first c
// values of g, c the largest multiple of 4 up to n, with AVX2 where the
// CPU has it, and returns c (0 elsewhere); the caller adds the other
// columns. Each value of g gets the rows one by one, in order, as the Go
// loop adds them, so the sums are bitwise its own: a bias's gradient. g
// must hold at least n values and m a whole number of rows.
func AddRows(g, m []float64, n int) (c int) { return addRows(g, m, n, addRows64AVX2) }

// AddRows32 is AddRows for float32, eight columns at a time.
func AddRows32(g, m []float32, n int) (c int) { return addRows(g, m, n, addRows32AVX2) }

// addRows runs kernel on the columns of m that fill whole Y registers.
func addRows[T gemmFloat](g, m []T, n int, kernel func(g, m unsafe.Pointer, rows, stride, bytes int)) (c int) {
	var z T
	size := int(unsafe.Sizeof(z))
	lanes := 32 / size
	rows := 0
	if n > 0 {
		rows = len(m) / n
	}
	if !haveKernel || n < lanes || rows == 0 {
		return 0
	}
	c = n / lanes * lanes
	_, _ = g[c-1], m[rows*n-1]
	kernel(unsafe.Pointer(&g[0]), unsafe.Pointer(&m[0]), rows, n*size, c*size)
	return c
}
