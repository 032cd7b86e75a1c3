//go:build !amd64

package kernels

import "unsafe"

// haveKernel and haveAVX512 say whether the assembly kernels can run on
// this machine: there are none for this architecture, so Gemm uses gonum.
const (
	haveKernel = false
	haveAVX512 = false
)

// gemmKernels and sgemmKernels are the micro-kernels by height: there are
// none for this architecture (haveKernel is false).
var (
	gemmKernels  [gemmMR + 1]func(k int, a *float64, rsa, csa int, b *float64, ldb int, c *float64, ldc, rows int, alpha, beta float64)
	sgemmKernels [gemmMR + 1]func(k int, a *float32, rsa, csa int, b *float32, ldb int, c *float32, ldc, rows int, alpha, beta float32)
)

// gemmPackB is never called where haveKernel is false.
func gemmPackB(k int, b unsafe.Pointer, ldb int, dst unsafe.Pointer, panels, pstride int) {
	panic("kernels: no gemm kernel on this architecture")
}

// gemmPackBT is never called where haveKernel is false.
func gemmPackBT(k int, b *float64, ldb int, dst *float64) {
	panic("kernels: no gemm kernel on this architecture")
}

// sgemmPackBT is never called where haveKernel is false.
func sgemmPackBT(k int, b *float32, ldb int, dst *float32) {
	panic("kernels: no gemm kernel on this architecture")
}
