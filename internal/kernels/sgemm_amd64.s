#include "textflag.h"

// Sgemm's float32 micro-kernels are Gemm's (gemm_amd64.h) with
// single-precision instructions: a panel row of op(B), 64 bytes, holds 16
// float32s, so the blocks of C are 16 columns wide.
#define SHIFT $2
#define VMOVU VMOVUPS
#define VXOR VXORPS
#define VBCAST VBROADCASTSS
#define VFMA VFMADD231PS
#define VFMAB VFMADD231PS.BCST
#define VMUL VMULPS
#define ALPHA alpha+72(FP)
#define BETA beta+76(FP)
#define TESTBETA \
	MOVL beta+76(FP), BX \
	SHLL $1, BX

#include "gemm_amd64.h"

// func sgemmKernel6x16(k int, a *float32, rsa, csa int, b *float32, ldb int, c *float32, ldc, rows int, alpha, beta float32)
TEXT ·sgemmKernel6x16(SB), NOSPLIT, $0-80
	KERNEL6

// func sgemmKernel4x16(k int, a *float32, rsa, csa int, b *float32, ldb int, c *float32, ldc, rows int, alpha, beta float32)
TEXT ·sgemmKernel4x16(SB), NOSPLIT, $0-80
	KERNEL4

// func sgemmKernel16x16(k int, a *float32, rsa, csa int, b *float32, ldb int, c *float32, ldc, rows int, alpha, beta float32)
TEXT ·sgemmKernel16x16(SB), NOSPLIT, $0-80
	ZKERNEL16

// func sgemmKernel12x16(k int, a *float32, rsa, csa int, b *float32, ldb int, c *float32, ldc, rows int, alpha, beta float32)
TEXT ·sgemmKernel12x16(SB), NOSPLIT, $0-80
	ZKERNEL12

// func sgemmKernel8x16(k int, a *float32, rsa, csa int, b *float32, ldb int, c *float32, ldc, rows int, alpha, beta float32)
TEXT ·sgemmKernel8x16(SB), NOSPLIT, $0-80
	ZKERNEL8

// TRANSPOSE8 transposes the 8×8 block in Y0-Y7 (row i in Yi) into Y8-Y15
// (row i of the result, column i of the block, in Y(8+i)).
#define TRANSPOSE8 \
	VUNPCKLPS  Y1, Y0, Y8          \
	VUNPCKHPS  Y1, Y0, Y9          \
	VUNPCKLPS  Y3, Y2, Y10         \
	VUNPCKHPS  Y3, Y2, Y11         \
	VUNPCKLPS  Y5, Y4, Y12         \
	VUNPCKHPS  Y5, Y4, Y13         \
	VUNPCKLPS  Y7, Y6, Y14         \
	VUNPCKHPS  Y7, Y6, Y15         \
	VSHUFPS    $0x44, Y10, Y8, Y0  \
	VSHUFPS    $0xee, Y10, Y8, Y1  \
	VSHUFPS    $0x44, Y11, Y9, Y2  \
	VSHUFPS    $0xee, Y11, Y9, Y3  \
	VSHUFPS    $0x44, Y14, Y12, Y4 \
	VSHUFPS    $0xee, Y14, Y12, Y5 \
	VSHUFPS    $0x44, Y15, Y13, Y6 \
	VSHUFPS    $0xee, Y15, Y13, Y7 \
	VPERM2F128 $0x20, Y4, Y0, Y8   \
	VPERM2F128 $0x20, Y5, Y1, Y9   \
	VPERM2F128 $0x20, Y6, Y2, Y10  \
	VPERM2F128 $0x20, Y7, Y3, Y11  \
	VPERM2F128 $0x31, Y4, Y0, Y12  \
	VPERM2F128 $0x31, Y5, Y1, Y13  \
	VPERM2F128 $0x31, Y6, Y2, Y14  \
	VPERM2F128 $0x31, Y7, Y3, Y15

// LOAD8 loads 8 floats of rows 0-7 from (R), row stride R8, 3·R8 in R9,
// into Y0-Y7, using R10 for row 4.
#define LOAD8(R) \
	LEAQ    (R)(R8*4), R10  \
	VMOVUPS (R), Y0         \
	VMOVUPS (R)(R8*1), Y1   \
	VMOVUPS (R)(R8*2), Y2   \
	VMOVUPS (R)(R9*1), Y3   \
	VMOVUPS (R10), Y4       \
	VMOVUPS (R10)(R8*1), Y5 \
	VMOVUPS (R10)(R8*2), Y6 \
	VMOVUPS (R10)(R9*1), Y7

// STORE8 writes Y8-Y15 to rows 0-7 of a panel of 16 columns at OFF(DI).
#define STORE8(OFF) \
	VMOVUPS Y8, (OFF)(DI)      \
	VMOVUPS Y9, (OFF+64)(DI)   \
	VMOVUPS Y10, (OFF+128)(DI) \
	VMOVUPS Y11, (OFF+192)(DI) \
	VMOVUPS Y12, (OFF+256)(DI) \
	VMOVUPS Y13, (OFF+320)(DI) \
	VMOVUPS Y14, (OFF+384)(DI) \
	VMOVUPS Y15, (OFF+448)(DI)

// func sgemmPackBT(k int, b *float32, ldb int, dst *float32)
TEXT ·sgemmPackBT(SB), NOSPLIT, $0-32
	MOVQ k+0(FP), CX
	SHRQ $3, CX
	JZ   spackbtdone
	MOVQ b+8(FP), SI
	MOVQ ldb+16(FP), R8
	SHLQ $2, R8
	MOVQ dst+24(FP), DI
	LEAQ (R8)(R8*2), R9
	LEAQ (SI)(R8*8), R11

spackbtloop:
	// Columns l..l+7 of rows 0-7 (at SI) and of rows 8-15 (at R11).
	LOAD8(SI)
	TRANSPOSE8
	STORE8(0)
	LOAD8(R11)
	TRANSPOSE8
	STORE8(32)
	ADDQ $32, SI
	ADDQ $32, R11
	ADDQ $512, DI
	DECQ CX
	JNZ  spackbtloop
	VZEROUPPER

spackbtdone:
	RET
