#include "textflag.h"

// The micro-kernels multiply an H×k block of op(A), read in place with
// strides (row i, column l at a + i·rsa + l·csa), by a packed k×8 panel of
// op(B), stored row by row, and keep the H×8 block of sums in registers:
// with AVX2 (H = 6 or 4) row i in Y(2i) (columns 0-3) and Y(2i+1) (columns
// 4-7), with AVX-512 (H = 16, 12 or 8) row i in Zi. They then write the
// first rows rows of alpha·sums + beta·C to C.
//
// Registers: SI the current column of A in row 0 (R13 in row 6, AX in
// row 12), R9 = rsa, R10 = 3·rsa, R11 = 5·rsa, R12 = csa (all in bytes),
// DI the current row of B, CX and BX counts, DX the current row of C,
// R8 = ldc (in bytes).

// LOADARGS loads the arguments and clears the sums Y0-Y7.
#define LOADARGS \
	MOVQ   k+0(FP), CX         \
	MOVQ   a+8(FP), SI         \
	MOVQ   rsa+16(FP), R9      \
	SHLQ   $3, R9              \
	LEAQ   (R9)(R9*2), R10     \
	LEAQ   (R9)(R9*4), R11     \
	MOVQ   csa+24(FP), R12     \
	SHLQ   $3, R12             \
	MOVQ   b+32(FP), DI        \
	MOVQ   c+40(FP), DX        \
	MOVQ   ldc+48(FP), R8      \
	SHLQ   $3, R8              \
	VXORPD Y0, Y0, Y0          \
	VXORPD Y1, Y1, Y1          \
	VXORPD Y2, Y2, Y2          \
	VXORPD Y3, Y3, Y3          \
	VXORPD Y4, Y4, Y4          \
	VXORPD Y5, Y5, Y5          \
	VXORPD Y6, Y6, Y6          \
	VXORPD Y7, Y7, Y7

// STEP4 adds column SI of A times row BOFF(DI) of B to rows 0-3 of the
// block and moves SI to the next column.
#define STEP4(BOFF) \
	VMOVUPD      BOFF(DI), Y12       \
	VMOVUPD      (BOFF+32)(DI), Y13  \
	VBROADCASTSD (SI), Y14           \
	VBROADCASTSD (SI)(R9*1), Y15     \
	VFMADD231PD  Y12, Y14, Y0        \
	VFMADD231PD  Y13, Y14, Y1        \
	VFMADD231PD  Y12, Y15, Y2        \
	VFMADD231PD  Y13, Y15, Y3        \
	VBROADCASTSD (SI)(R9*2), Y14     \
	VBROADCASTSD (SI)(R10*1), Y15    \
	VFMADD231PD  Y12, Y14, Y4        \
	VFMADD231PD  Y13, Y14, Y5        \
	VFMADD231PD  Y12, Y15, Y6        \
	VFMADD231PD  Y13, Y15, Y7        \
	ADDQ         R12, SI

// STEP6 is STEP4 for rows 0-5.
#define STEP6(BOFF) \
	VMOVUPD      BOFF(DI), Y12       \
	VMOVUPD      (BOFF+32)(DI), Y13  \
	VBROADCASTSD (SI), Y14           \
	VBROADCASTSD (SI)(R9*1), Y15     \
	VFMADD231PD  Y12, Y14, Y0        \
	VFMADD231PD  Y13, Y14, Y1        \
	VFMADD231PD  Y12, Y15, Y2        \
	VFMADD231PD  Y13, Y15, Y3        \
	VBROADCASTSD (SI)(R9*2), Y14     \
	VBROADCASTSD (SI)(R10*1), Y15    \
	VFMADD231PD  Y12, Y14, Y4        \
	VFMADD231PD  Y13, Y14, Y5        \
	VFMADD231PD  Y12, Y15, Y6        \
	VFMADD231PD  Y13, Y15, Y7        \
	VBROADCASTSD (SI)(R9*4), Y14     \
	VBROADCASTSD (SI)(R11*1), Y15    \
	VFMADD231PD  Y12, Y14, Y8        \
	VFMADD231PD  Y13, Y14, Y9        \
	VFMADD231PD  Y12, Y15, Y10       \
	VFMADD231PD  Y13, Y15, Y11       \
	ADDQ         R12, SI

// STOREROW writes row LO, HI of the block to (DX) as
// alpha·block + beta·C (alpha in Y14, beta in Y15) and moves DX to the next
// row of C; it jumps to DONE after the last row to write (BX counts them).
#define STOREROW(LO, HI, DONE) \
	VMULPD      Y14, LO, LO      \
	VMULPD      Y14, HI, HI      \
	VFMADD231PD (DX), Y15, LO    \
	VFMADD231PD 32(DX), Y15, HI  \
	VMOVUPD     LO, (DX)         \
	VMOVUPD     HI, 32(DX)       \
	ADDQ        R8, DX           \
	DECQ        BX               \
	JZ          DONE

// STOREROW0 is STOREROW for beta = 0: C is overwritten, never read.
#define STOREROW0(LO, HI, DONE) \
	VMULPD  Y14, LO, LO  \
	VMULPD  Y14, HI, HI  \
	VMOVUPD LO, (DX)     \
	VMOVUPD HI, 32(DX)   \
	ADDQ    R8, DX       \
	DECQ    BX           \
	JZ      DONE

// BETAZERO jumps to L unless beta is ±0, with alpha in Y14, beta in Y15
// and the number of rows to write in BX.
#define BETAZERO(L) \
	VBROADCASTSD alpha+64(FP), Y14  \
	VBROADCASTSD beta+72(FP), Y15   \
	MOVQ         beta+72(FP), BX    \
	SHLQ         $1, BX             \
	MOVQ         rows+56(FP), BX    \
	JNZ          L

// TRANSPOSE4 transposes the 4×4 block in R0-R3 into R0-R3 (row i of the
// result is column i of the block), using Y8-Y11.
#define TRANSPOSE4(R0, R1, R2, R3) \
	VUNPCKLPD  R1, R0, Y8        \
	VUNPCKHPD  R1, R0, Y9        \
	VUNPCKLPD  R3, R2, Y10       \
	VUNPCKHPD  R3, R2, Y11       \
	VPERM2F128 $0x20, Y10, Y8, R0 \
	VPERM2F128 $0x20, Y11, Y9, R1 \
	VPERM2F128 $0x31, Y10, Y8, R2 \
	VPERM2F128 $0x31, Y11, Y9, R3

// ZLOADARGS is LOADARGS for the AVX-512 kernels: it also sets R13 to row 6
// of A and clears Z0-Z7.
#define ZLOADARGS \
	MOVQ   k+0(FP), CX         \
	MOVQ   a+8(FP), SI         \
	MOVQ   rsa+16(FP), R9      \
	SHLQ   $3, R9              \
	LEAQ   (R9)(R9*2), R10     \
	LEAQ   (R9)(R9*4), R11     \
	LEAQ   (SI)(R10*2), R13    \
	MOVQ   csa+24(FP), R12     \
	SHLQ   $3, R12             \
	MOVQ   b+32(FP), DI        \
	MOVQ   c+40(FP), DX        \
	MOVQ   ldc+48(FP), R8      \
	SHLQ   $3, R8              \
	VPXORQ Z0, Z0, Z0          \
	VPXORQ Z1, Z1, Z1          \
	VPXORQ Z2, Z2, Z2          \
	VPXORQ Z3, Z3, Z3          \
	VPXORQ Z4, Z4, Z4          \
	VPXORQ Z5, Z5, Z5          \
	VPXORQ Z6, Z6, Z6          \
	VPXORQ Z7, Z7, Z7

// ZSTEP8 adds column SI of A times row BOFF(DI) of B to rows 0-7 of the
// block, row i in Zi, broadcasting A from memory, and moves SI and R13 to
// the next column.
#define ZSTEP8(BOFF) \
	VMOVUPD          BOFF(DI), Z16        \
	VFMADD231PD.BCST (SI), Z16, Z0        \
	VFMADD231PD.BCST (SI)(R9*1), Z16, Z1  \
	VFMADD231PD.BCST (SI)(R9*2), Z16, Z2  \
	VFMADD231PD.BCST (SI)(R10*1), Z16, Z3 \
	VFMADD231PD.BCST (SI)(R9*4), Z16, Z4  \
	VFMADD231PD.BCST (SI)(R11*1), Z16, Z5 \
	VFMADD231PD.BCST (R13), Z16, Z6       \
	VFMADD231PD.BCST (R13)(R9*1), Z16, Z7 \
	ADDQ             R12, SI              \
	ADDQ             R12, R13

// ZSTEP12 is ZSTEP8 for rows 0-11.
#define ZSTEP12(BOFF) \
	VMOVUPD          BOFF(DI), Z16          \
	VFMADD231PD.BCST (SI), Z16, Z0          \
	VFMADD231PD.BCST (SI)(R9*1), Z16, Z1    \
	VFMADD231PD.BCST (SI)(R9*2), Z16, Z2    \
	VFMADD231PD.BCST (SI)(R10*1), Z16, Z3   \
	VFMADD231PD.BCST (SI)(R9*4), Z16, Z4    \
	VFMADD231PD.BCST (SI)(R11*1), Z16, Z5   \
	VFMADD231PD.BCST (R13), Z16, Z6         \
	VFMADD231PD.BCST (R13)(R9*1), Z16, Z7   \
	VFMADD231PD.BCST (R13)(R9*2), Z16, Z8   \
	VFMADD231PD.BCST (R13)(R10*1), Z16, Z9  \
	VFMADD231PD.BCST (R13)(R9*4), Z16, Z10  \
	VFMADD231PD.BCST (R13)(R11*1), Z16, Z11 \
	ADDQ             R12, SI                \
	ADDQ             R12, R13

// ZSTEP16 is ZSTEP8 for rows 0-15, with AX at row 12.
#define ZSTEP16(BOFF) \
	VMOVUPD          BOFF(DI), Z16          \
	VFMADD231PD.BCST (SI), Z16, Z0          \
	VFMADD231PD.BCST (SI)(R9*1), Z16, Z1    \
	VFMADD231PD.BCST (SI)(R9*2), Z16, Z2    \
	VFMADD231PD.BCST (SI)(R10*1), Z16, Z3   \
	VFMADD231PD.BCST (SI)(R9*4), Z16, Z4    \
	VFMADD231PD.BCST (SI)(R11*1), Z16, Z5   \
	VFMADD231PD.BCST (R13), Z16, Z6         \
	VFMADD231PD.BCST (R13)(R9*1), Z16, Z7   \
	VFMADD231PD.BCST (R13)(R9*2), Z16, Z8   \
	VFMADD231PD.BCST (R13)(R10*1), Z16, Z9  \
	VFMADD231PD.BCST (R13)(R9*4), Z16, Z10  \
	VFMADD231PD.BCST (R13)(R11*1), Z16, Z11 \
	VFMADD231PD.BCST (AX), Z16, Z12         \
	VFMADD231PD.BCST (AX)(R9*1), Z16, Z13   \
	VFMADD231PD.BCST (AX)(R9*2), Z16, Z14   \
	VFMADD231PD.BCST (AX)(R10*1), Z16, Z15  \
	ADDQ             R12, SI                \
	ADDQ             R12, R13               \
	ADDQ             R12, AX

// ZBETAZERO is BETAZERO with alpha in Z17 and beta in Z18.
#define ZBETAZERO(L) \
	VBROADCASTSD alpha+64(FP), Z17  \
	VBROADCASTSD beta+72(FP), Z18   \
	MOVQ         beta+72(FP), BX    \
	SHLQ         $1, BX             \
	MOVQ         rows+56(FP), BX    \
	JNZ          L

// ZSTOREROW writes row R of the block to (DX) as alpha·block + beta·C
// (alpha in Z17, beta in Z18) and moves DX to the next row of C; it jumps
// to DONE after the last row to write (BX counts them).
#define ZSTOREROW(R, DONE) \
	VMULPD      Z17, R, R    \
	VFMADD231PD (DX), Z18, R \
	VMOVUPD     R, (DX)      \
	ADDQ        R8, DX       \
	DECQ        BX           \
	JZ          DONE

// ZSTOREROW0 is ZSTOREROW for beta = 0.
#define ZSTOREROW0(R, DONE) \
	VMULPD  Z17, R, R \
	VMOVUPD R, (DX)   \
	ADDQ    R8, DX    \
	DECQ    BX        \
	JZ      DONE

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

// func gemmKernel6x8(k int, a *float64, rsa, csa int, b, c *float64, ldc, rows int, alpha, beta float64)
TEXT ·gemmKernel6x8(SB), NOSPLIT, $0-80
	LOADARGS
	VXORPD Y8, Y8, Y8
	VXORPD Y9, Y9, Y9
	VXORPD Y10, Y10, Y10
	VXORPD Y11, Y11, Y11

	MOVQ CX, BX
	SHRQ $2, BX
	JZ   tail6

loop6:
	STEP6(0)
	STEP6(64)
	STEP6(128)
	STEP6(192)
	ADDQ $256, DI
	DECQ BX
	JNZ  loop6

tail6:
	ANDQ $3, CX
	JZ   store6

loop6tail:
	STEP6(0)
	ADDQ $64, DI
	DECQ CX
	JNZ  loop6tail

store6:
	BETAZERO(beta6)
	STOREROW0(Y0, Y1, done6)
	STOREROW0(Y2, Y3, done6)
	STOREROW0(Y4, Y5, done6)
	STOREROW0(Y6, Y7, done6)
	STOREROW0(Y8, Y9, done6)
	STOREROW0(Y10, Y11, done6)
	VZEROUPPER
	RET

beta6:
	STOREROW(Y0, Y1, done6)
	STOREROW(Y2, Y3, done6)
	STOREROW(Y4, Y5, done6)
	STOREROW(Y6, Y7, done6)
	STOREROW(Y8, Y9, done6)
	STOREROW(Y10, Y11, done6)

done6:
	VZEROUPPER
	RET

// func gemmKernel4x8(k int, a *float64, rsa, csa int, b, c *float64, ldc, rows int, alpha, beta float64)
TEXT ·gemmKernel4x8(SB), NOSPLIT, $0-80
	LOADARGS

	MOVQ CX, BX
	SHRQ $2, BX
	JZ   tail4

loop4:
	STEP4(0)
	STEP4(64)
	STEP4(128)
	STEP4(192)
	ADDQ $256, DI
	DECQ BX
	JNZ  loop4

tail4:
	ANDQ $3, CX
	JZ   store4

loop4tail:
	STEP4(0)
	ADDQ $64, DI
	DECQ CX
	JNZ  loop4tail

store4:
	BETAZERO(beta4)
	STOREROW0(Y0, Y1, done4)
	STOREROW0(Y2, Y3, done4)
	STOREROW0(Y4, Y5, done4)
	STOREROW0(Y6, Y7, done4)
	VZEROUPPER
	RET

beta4:
	STOREROW(Y0, Y1, done4)
	STOREROW(Y2, Y3, done4)
	STOREROW(Y4, Y5, done4)
	STOREROW(Y6, Y7, done4)

done4:
	VZEROUPPER
	RET

// func gemmKernel16x8(k int, a *float64, rsa, csa int, b, c *float64, ldc, rows int, alpha, beta float64)
TEXT ·gemmKernel16x8(SB), NOSPLIT, $0-80
	ZLOADARGS
	LEAQ   (R13)(R10*2), AX
	VPXORQ Z8, Z8, Z8
	VPXORQ Z9, Z9, Z9
	VPXORQ Z10, Z10, Z10
	VPXORQ Z11, Z11, Z11
	VPXORQ Z12, Z12, Z12
	VPXORQ Z13, Z13, Z13
	VPXORQ Z14, Z14, Z14
	VPXORQ Z15, Z15, Z15

	MOVQ CX, BX
	SHRQ $2, BX
	JZ   tail16

loop16:
	ZSTEP16(0)
	ZSTEP16(64)
	ZSTEP16(128)
	ZSTEP16(192)
	ADDQ $256, DI
	DECQ BX
	JNZ  loop16

tail16:
	ANDQ $3, CX
	JZ   store16

loop16tail:
	ZSTEP16(0)
	ADDQ $64, DI
	DECQ CX
	JNZ  loop16tail

store16:
	ZBETAZERO(beta16)
	ZSTOREROW0(Z0, done16)
	ZSTOREROW0(Z1, done16)
	ZSTOREROW0(Z2, done16)
	ZSTOREROW0(Z3, done16)
	ZSTOREROW0(Z4, done16)
	ZSTOREROW0(Z5, done16)
	ZSTOREROW0(Z6, done16)
	ZSTOREROW0(Z7, done16)
	ZSTOREROW0(Z8, done16)
	ZSTOREROW0(Z9, done16)
	ZSTOREROW0(Z10, done16)
	ZSTOREROW0(Z11, done16)
	ZSTOREROW0(Z12, done16)
	ZSTOREROW0(Z13, done16)
	ZSTOREROW0(Z14, done16)
	ZSTOREROW0(Z15, done16)
	VZEROUPPER
	RET

beta16:
	ZSTOREROW(Z0, done16)
	ZSTOREROW(Z1, done16)
	ZSTOREROW(Z2, done16)
	ZSTOREROW(Z3, done16)
	ZSTOREROW(Z4, done16)
	ZSTOREROW(Z5, done16)
	ZSTOREROW(Z6, done16)
	ZSTOREROW(Z7, done16)
	ZSTOREROW(Z8, done16)
	ZSTOREROW(Z9, done16)
	ZSTOREROW(Z10, done16)
	ZSTOREROW(Z11, done16)
	ZSTOREROW(Z12, done16)
	ZSTOREROW(Z13, done16)
	ZSTOREROW(Z14, done16)
	ZSTOREROW(Z15, done16)

done16:
	VZEROUPPER
	RET

// func gemmKernel12x8(k int, a *float64, rsa, csa int, b, c *float64, ldc, rows int, alpha, beta float64)
TEXT ·gemmKernel12x8(SB), NOSPLIT, $0-80
	ZLOADARGS
	VPXORQ Z8, Z8, Z8
	VPXORQ Z9, Z9, Z9
	VPXORQ Z10, Z10, Z10
	VPXORQ Z11, Z11, Z11

	MOVQ CX, BX
	SHRQ $2, BX
	JZ   tail12

loop12:
	ZSTEP12(0)
	ZSTEP12(64)
	ZSTEP12(128)
	ZSTEP12(192)
	ADDQ $256, DI
	DECQ BX
	JNZ  loop12

tail12:
	ANDQ $3, CX
	JZ   store12

loop12tail:
	ZSTEP12(0)
	ADDQ $64, DI
	DECQ CX
	JNZ  loop12tail

store12:
	ZBETAZERO(beta12)
	ZSTOREROW0(Z0, done12)
	ZSTOREROW0(Z1, done12)
	ZSTOREROW0(Z2, done12)
	ZSTOREROW0(Z3, done12)
	ZSTOREROW0(Z4, done12)
	ZSTOREROW0(Z5, done12)
	ZSTOREROW0(Z6, done12)
	ZSTOREROW0(Z7, done12)
	ZSTOREROW0(Z8, done12)
	ZSTOREROW0(Z9, done12)
	ZSTOREROW0(Z10, done12)
	ZSTOREROW0(Z11, done12)
	VZEROUPPER
	RET

beta12:
	ZSTOREROW(Z0, done12)
	ZSTOREROW(Z1, done12)
	ZSTOREROW(Z2, done12)
	ZSTOREROW(Z3, done12)
	ZSTOREROW(Z4, done12)
	ZSTOREROW(Z5, done12)
	ZSTOREROW(Z6, done12)
	ZSTOREROW(Z7, done12)
	ZSTOREROW(Z8, done12)
	ZSTOREROW(Z9, done12)
	ZSTOREROW(Z10, done12)
	ZSTOREROW(Z11, done12)

done12:
	VZEROUPPER
	RET

// func gemmKernel8x8(k int, a *float64, rsa, csa int, b, c *float64, ldc, rows int, alpha, beta float64)
TEXT ·gemmKernel8x8(SB), NOSPLIT, $0-80
	ZLOADARGS

	MOVQ CX, BX
	SHRQ $2, BX
	JZ   tail8

loop8:
	ZSTEP8(0)
	ZSTEP8(64)
	ZSTEP8(128)
	ZSTEP8(192)
	ADDQ $256, DI
	DECQ BX
	JNZ  loop8

tail8:
	ANDQ $3, CX
	JZ   store8

loop8tail:
	ZSTEP8(0)
	ADDQ $64, DI
	DECQ CX
	JNZ  loop8tail

store8:
	ZBETAZERO(beta8)
	ZSTOREROW0(Z0, done8)
	ZSTOREROW0(Z1, done8)
	ZSTOREROW0(Z2, done8)
	ZSTOREROW0(Z3, done8)
	ZSTOREROW0(Z4, done8)
	ZSTOREROW0(Z5, done8)
	ZSTOREROW0(Z6, done8)
	ZSTOREROW0(Z7, done8)
	VZEROUPPER
	RET

beta8:
	ZSTOREROW(Z0, done8)
	ZSTOREROW(Z1, done8)
	ZSTOREROW(Z2, done8)
	ZSTOREROW(Z3, done8)
	ZSTOREROW(Z4, done8)
	ZSTOREROW(Z5, done8)
	ZSTOREROW(Z6, done8)
	ZSTOREROW(Z7, done8)

done8:
	VZEROUPPER
	RET

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
