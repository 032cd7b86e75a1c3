// Package kernels holds dl's hand-tuned numeric kernels: the matrix
// product in float64 (Gemm) and in float32 (Sgemm), Adam's update
// (AdamStep) and the vectorized sigmoid (Sigmoid). On amd64 with AVX2 and
// FMA they run assembly micro-kernels (AVX-512 ones too where available);
// elsewhere Gemm and Sgemm use gonum's BLAS and the others leave the work
// to their caller's Go loops.
//
// Package dl calls them through thin wrappers (dl/kernels.go), so that
// the layers and optimizers read as the Keras model they implement.
package kernels
