package kernels

import "unsafe"

// cpuHasAVX2FMA reports whether the processor has AVX2 and FMA and the
// operating system saves the YMM registers.
func cpuHasAVX2FMA() bool

// cpuHasAVX512 reports whether the processor has AVX-512F and the operating
// system saves the ZMM and opmask registers.
func cpuHasAVX512() bool

// gemmKernel6x8 computes the 6×8 block c = alpha·A·B + beta·C, where A is
// 6×k with element (i, l) at a[i·rsa + l·csa] and B is a k×8 panel with
// row l at b[ldb·l:] (ldb = 8 for a packed panel); ldc is the row stride
// of c. It writes only the first
// rows rows of c (1 ≤ rows ≤ 6). k must be at least 1. With beta = 0, c is
// only written. It needs AVX2 and FMA.
//
//go:noescape
func gemmKernel6x8(k int, a *float64, rsa, csa int, b *float64, ldb int, c *float64, ldc, rows int, alpha, beta float64)

// gemmKernel4x8 is gemmKernel6x8 for a 4×k A and a 4×8 block.
//
//go:noescape
func gemmKernel4x8(k int, a *float64, rsa, csa int, b *float64, ldb int, c *float64, ldc, rows int, alpha, beta float64)

// gemmKernel16x8 is gemmKernel6x8 for a 16×k A and a 16×8 block, with
// AVX-512.
//
//go:noescape
func gemmKernel16x8(k int, a *float64, rsa, csa int, b *float64, ldb int, c *float64, ldc, rows int, alpha, beta float64)

// gemmKernel12x8 is gemmKernel6x8 for a 12×k A and a 12×8 block, with
// AVX-512.
//
//go:noescape
func gemmKernel12x8(k int, a *float64, rsa, csa int, b *float64, ldb int, c *float64, ldc, rows int, alpha, beta float64)

// gemmKernel8x8 is gemmKernel6x8 for an 8×k A and an 8×8 block, with
// AVX-512.
//
//go:noescape
func gemmKernel8x8(k int, a *float64, rsa, csa int, b *float64, ldb int, c *float64, ldc, rows int, alpha, beta float64)

// gemmPackB copies k rows of 64·panels bytes, row l at b + l·ldb, into
// panels 64 bytes wide, pstride bytes apart: the 64 bytes at
// b + l·ldb + 64·p go to dst + p·pstride + 64·l. It reads B row by row,
// which the hardware prefetchers follow even when ldb is a multiple of the
// page size. A panel row is 8 float64s (Gemm) or 16 float32s (Sgemm).
//
//go:noescape
func gemmPackB(k int, b unsafe.Pointer, ldb int, dst unsafe.Pointer, panels, pstride int)

// gemmPackBT copies the first k&^3 columns of 8 rows, row q at b[q·ldb:],
// transposed: b[q·ldb+l] goes to dst[8·l+q].
//
//go:noescape
func gemmPackBT(k int, b *float64, ldb int, dst *float64)

// haveKernel says whether the AVX2 kernels can run on this machine, and
// haveAVX512 whether the AVX-512 ones can too.
var (
	haveKernel = cpuHasAVX2FMA()
	haveAVX512 = haveKernel && cpuHasAVX512()
)

// gemmKernels[h] computes one h×8 block of C, h being 16, 12 or 8
// (AVX-512) or 6 or 4 (AVX2); see gemmKernel6x8.
var gemmKernels = [gemmMR + 1]func(k int, a *float64, rsa, csa int, b *float64, ldb int, c *float64, ldc, rows int, alpha, beta float64){
	4: gemmKernel4x8, 6: gemmKernel6x8, 8: gemmKernel8x8, 12: gemmKernel12x8, 16: gemmKernel16x8,
}

// sgemmKernel6x16 is gemmKernel6x8 for float32: it computes the 6×16 block
// c = alpha·A·B + beta·C, where A is 6×k with element (i, l) at
// a[i·rsa + l·csa] and B is a k×16 panel with row l at b[ldb·l:] (ldb =
// 16 for a packed panel).
//
//go:noescape
func sgemmKernel6x16(k int, a *float32, rsa, csa int, b *float32, ldb int, c *float32, ldc, rows int, alpha, beta float32)

// sgemmKernel4x16 is sgemmKernel6x16 for a 4×k A and a 4×16 block.
//
//go:noescape
func sgemmKernel4x16(k int, a *float32, rsa, csa int, b *float32, ldb int, c *float32, ldc, rows int, alpha, beta float32)

// sgemmKernel16x16 is sgemmKernel6x16 for a 16×k A and a 16×16 block, with
// AVX-512.
//
//go:noescape
func sgemmKernel16x16(k int, a *float32, rsa, csa int, b *float32, ldb int, c *float32, ldc, rows int, alpha, beta float32)

// sgemmKernel12x16 is sgemmKernel6x16 for a 12×k A and a 12×16 block, with
// AVX-512.
//
//go:noescape
func sgemmKernel12x16(k int, a *float32, rsa, csa int, b *float32, ldb int, c *float32, ldc, rows int, alpha, beta float32)

// sgemmKernel8x16 is sgemmKernel6x16 for an 8×k A and an 8×16 block, with
// AVX-512.
//
//go:noescape
func sgemmKernel8x16(k int, a *float32, rsa, csa int, b *float32, ldb int, c *float32, ldc, rows int, alpha, beta float32)

// sgemmPackBT copies the first k&^7 columns of 16 rows, row q at b[q·ldb:],
// transposed: b[q·ldb+l] goes to dst[16·l+q].
//
//go:noescape
func sgemmPackBT(k int, b *float32, ldb int, dst *float32)

// sgemmKernels[h] computes one h×16 block of C, h being 16, 12 or 8
// (AVX-512) or 6 or 4 (AVX2); see sgemmKernel6x16.
var sgemmKernels = [gemmMR + 1]func(k int, a *float32, rsa, csa int, b *float32, ldb int, c *float32, ldc, rows int, alpha, beta float32){
	4: sgemmKernel4x16, 6: sgemmKernel6x16, 8: sgemmKernel8x16, 12: sgemmKernel12x16, 16: sgemmKernel16x16,
}
