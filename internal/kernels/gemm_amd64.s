#include "textflag.h"

// Gemm's float64 micro-kernels are in gemm_amd64.h; see there.
#define SHIFT $3
#define VMOVU VMOVUPD
#define VXOR VXORPD
#define VBCAST VBROADCASTSD
#define VFMA VFMADD231PD
#define VFMAB VFMADD231PD.BCST
#define VMUL VMULPD
#define ALPHA alpha+72(FP)
#define BETA beta+80(FP)
#define TESTBETA \
	MOVQ beta+80(FP), BX \
	SHLQ $1, BX

#include "gemm_amd64.h"

// TRANSPOSE4 transposes the 4×4 block in R0-R3 into R0-R3 (row i of the
// result is column i of the block), using Y8-Y11.
#define TRANSPOSE4(R0, R1, R2, R3) \
	VUNPCKLPD  R1, R0, Y8         \
	VUNPCKHPD  R1, R0, Y9         \
	VUNPCKLPD  R3, R2, Y10        \
	VUNPCKHPD  R3, R2, Y11        \
	VPERM2F128 $0x20, Y10, Y8, R0 \
	VPERM2F128 $0x20, Y11, Y9, R1 \
	VPERM2F128 $0x31, Y10, Y8, R2 \
	VPERM2F128 $0x31, Y11, Y9, R3

// func cpuHasAVX512() bool
TEXT ·cpuHasAVX512(SB), NOSPLIT, $0-1
	XORL AX, AX
	XORL CX, CX
	CPUID
	CMPL AX, $7
	JLT  no512

	// Leaf 1, ECX: OSXSAVE (bit 27).
	MOVL $1, AX
	XORL CX, CX
	CPUID
	ANDL $0x08000000, CX
	JZ   no512

	// The operating system must save the XMM, YMM, opmask and ZMM state
	// (XCR0 bits 1, 2, 5, 6, 7).
	XORL CX, CX
	XGETBV
	ANDL $0xe6, AX
	CMPL AX, $0xe6
	JNE  no512

	// Leaf 7, EBX: AVX512F (bit 16).
	MOVL $7, AX
	XORL CX, CX
	CPUID
	ANDL $0x10000, BX
	JZ   no512
	MOVB $1, ret+0(FP)
	RET

no512:
	MOVB $0, ret+0(FP)
	RET

// func cpuHasAVX2FMA() bool
TEXT ·cpuHasAVX2FMA(SB), NOSPLIT, $0-1
	// The highest standard CPUID leaf must include leaf 7.
	XORL AX, AX
	XORL CX, CX
	CPUID
	CMPL AX, $7
	JLT  no

	// Leaf 1, ECX: FMA (bit 12), OSXSAVE (bit 27), AVX (bit 28).
	MOVL $1, AX
	XORL CX, CX
	CPUID
	ANDL $0x18001000, CX
	CMPL CX, $0x18001000
	JNE  no

	// The operating system must save the XMM and YMM state (XCR0 bits 1, 2).
	XORL CX, CX
	XGETBV
	ANDL $6, AX
	CMPL AX, $6
	JNE  no

	// Leaf 7, EBX: AVX2 (bit 5).
	MOVL $7, AX
	XORL CX, CX
	CPUID
	ANDL $0x20, BX
	JZ   no
	MOVB $1, ret+0(FP)
	RET

no:
	MOVB $0, ret+0(FP)
	RET

// func gemmKernel6x8(k int, a *float64, rsa, csa int, b *float64, ldb int, c *float64, ldc, rows int, alpha, beta float64)
TEXT ·gemmKernel6x8(SB), NOSPLIT, $0-88
	KERNEL6

// func gemmKernel4x8(k int, a *float64, rsa, csa int, b *float64, ldb int, c *float64, ldc, rows int, alpha, beta float64)
TEXT ·gemmKernel4x8(SB), NOSPLIT, $0-88
	KERNEL4

// func gemmKernel16x8(k int, a *float64, rsa, csa int, b *float64, ldb int, c *float64, ldc, rows int, alpha, beta float64)
TEXT ·gemmKernel16x8(SB), NOSPLIT, $0-88
	ZKERNEL16

// func gemmKernel12x8(k int, a *float64, rsa, csa int, b *float64, ldb int, c *float64, ldc, rows int, alpha, beta float64)
TEXT ·gemmKernel12x8(SB), NOSPLIT, $0-88
	ZKERNEL12

// func gemmKernel8x8(k int, a *float64, rsa, csa int, b *float64, ldb int, c *float64, ldc, rows int, alpha, beta float64)
TEXT ·gemmKernel8x8(SB), NOSPLIT, $0-88
	ZKERNEL8

// func gemmPackB(k int, b unsafe.Pointer, ldb int, dst unsafe.Pointer, panels, pstride int)
TEXT ·gemmPackB(SB), NOSPLIT, $0-48
	MOVQ  k+0(FP), CX
	MOVQ  panels+32(FP), BX
	TESTQ CX, CX
	JZ    packbdone
	TESTQ BX, BX
	JZ    packbdone
	MOVQ  b+8(FP), SI
	MOVQ  ldb+16(FP), R8
	MOVQ  dst+24(FP), DI
	MOVQ  pstride+40(FP), R9

packbrow:
	// Row l of B, from SI on, goes to row l of each panel, from DI on.
	MOVQ SI, R10
	MOVQ DI, R11
	MOVQ BX, R12

packbpanel:
	VMOVUPD (R10), Y0
	VMOVUPD 32(R10), Y1
	VMOVUPD Y0, (R11)
	VMOVUPD Y1, 32(R11)
	ADDQ    $64, R10
	ADDQ    R9, R11
	DECQ    R12
	JNZ     packbpanel
	ADDQ    R8, SI
	ADDQ    $64, DI
	DECQ    CX
	JNZ     packbrow
	VZEROUPPER

packbdone:
	RET

// func gemmPackBT(k int, b *float64, ldb int, dst *float64)
TEXT ·gemmPackBT(SB), NOSPLIT, $0-32
	MOVQ k+0(FP), CX
	SHRQ $2, CX
	JZ   packbtdone
	MOVQ b+8(FP), SI
	MOVQ ldb+16(FP), R8
	SHLQ $3, R8
	MOVQ dst+24(FP), DI
	LEAQ (R8)(R8*2), R9
	LEAQ (SI)(R8*4), R10

packbtloop:
	VMOVUPD (SI), Y0
	VMOVUPD (SI)(R8*1), Y1
	VMOVUPD (SI)(R8*2), Y2
	VMOVUPD (SI)(R9*1), Y3
	VMOVUPD (R10), Y4
	VMOVUPD (R10)(R8*1), Y5
	VMOVUPD (R10)(R8*2), Y6
	VMOVUPD (R10)(R9*1), Y7
	TRANSPOSE4(Y0, Y1, Y2, Y3)
	TRANSPOSE4(Y4, Y5, Y6, Y7)
	VMOVUPD Y0, (DI)
	VMOVUPD Y4, 32(DI)
	VMOVUPD Y1, 64(DI)
	VMOVUPD Y5, 96(DI)
	VMOVUPD Y2, 128(DI)
	VMOVUPD Y6, 160(DI)
	VMOVUPD Y3, 192(DI)
	VMOVUPD Y7, 224(DI)
	ADDQ    $32, SI
	ADDQ    $32, R10
	ADDQ    $256, DI
	DECQ    CX
	JNZ     packbtloop
	VZEROUPPER

packbtdone:
	RET
