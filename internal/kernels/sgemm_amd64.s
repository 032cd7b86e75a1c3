#include "textflag.h"

// The float32 micro-kernels of Sgemm are those of Gemm (gemm_amd64.s) with
// single-precision instructions: they multiply an H×k block of op(A), read
// in place with strides (row i, column l at a + i·rsa + l·csa), by a packed
// k×16 panel of op(B), stored row by row (64 bytes a row, as Gemm's), and
// keep the H×16 block of sums in registers: with AVX2 (H = 6 or 4) row i in
// Y(2i) (columns 0-7) and Y(2i+1) (columns 8-15), with AVX-512 (H = 16, 12
// or 8) row i in Zi. They then write the first rows rows of
// alpha·sums + beta·C to C.
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
	SHLQ   $2, R9              \
	LEAQ   (R9)(R9*2), R10     \
	LEAQ   (R9)(R9*4), R11     \
	MOVQ   csa+24(FP), R12     \
	SHLQ   $2, R12             \
	MOVQ   b+32(FP), DI        \
	MOVQ   c+40(FP), DX        \
	MOVQ   ldc+48(FP), R8      \
	SHLQ   $2, R8              \
	VXORPS Y0, Y0, Y0          \
	VXORPS Y1, Y1, Y1          \
	VXORPS Y2, Y2, Y2          \
	VXORPS Y3, Y3, Y3          \
	VXORPS Y4, Y4, Y4          \
	VXORPS Y5, Y5, Y5          \
	VXORPS Y6, Y6, Y6          \
	VXORPS Y7, Y7, Y7

// STEP4 adds column SI of A times row BOFF(DI) of B to rows 0-3 of the
// block and moves SI to the next column.
#define STEP4(BOFF) \
	VMOVUPS      BOFF(DI), Y12       \
	VMOVUPS      (BOFF+32)(DI), Y13  \
	VBROADCASTSS (SI), Y14           \
	VBROADCASTSS (SI)(R9*1), Y15     \
	VFMADD231PS  Y12, Y14, Y0        \
	VFMADD231PS  Y13, Y14, Y1        \
	VFMADD231PS  Y12, Y15, Y2        \
	VFMADD231PS  Y13, Y15, Y3        \
	VBROADCASTSS (SI)(R9*2), Y14     \
	VBROADCASTSS (SI)(R10*1), Y15    \
	VFMADD231PS  Y12, Y14, Y4        \
	VFMADD231PS  Y13, Y14, Y5        \
	VFMADD231PS  Y12, Y15, Y6        \
	VFMADD231PS  Y13, Y15, Y7        \
	ADDQ         R12, SI

// STEP6 is STEP4 for rows 0-5.
#define STEP6(BOFF) \
	VMOVUPS      BOFF(DI), Y12       \
	VMOVUPS      (BOFF+32)(DI), Y13  \
	VBROADCASTSS (SI), Y14           \
	VBROADCASTSS (SI)(R9*1), Y15     \
	VFMADD231PS  Y12, Y14, Y0        \
	VFMADD231PS  Y13, Y14, Y1        \
	VFMADD231PS  Y12, Y15, Y2        \
	VFMADD231PS  Y13, Y15, Y3        \
	VBROADCASTSS (SI)(R9*2), Y14     \
	VBROADCASTSS (SI)(R10*1), Y15    \
	VFMADD231PS  Y12, Y14, Y4        \
	VFMADD231PS  Y13, Y14, Y5        \
	VFMADD231PS  Y12, Y15, Y6        \
	VFMADD231PS  Y13, Y15, Y7        \
	VBROADCASTSS (SI)(R9*4), Y14     \
	VBROADCASTSS (SI)(R11*1), Y15    \
	VFMADD231PS  Y12, Y14, Y8        \
	VFMADD231PS  Y13, Y14, Y9        \
	VFMADD231PS  Y12, Y15, Y10       \
	VFMADD231PS  Y13, Y15, Y11       \
	ADDQ         R12, SI

// STOREROW writes row LO, HI of the block to (DX) as
// alpha·block + beta·C (alpha in Y14, beta in Y15) and moves DX to the next
// row of C; it jumps to DONE after the last row to write (BX counts them).
#define STOREROW(LO, HI, DONE) \
	VMULPS      Y14, LO, LO      \
	VMULPS      Y14, HI, HI      \
	VFMADD231PS (DX), Y15, LO    \
	VFMADD231PS 32(DX), Y15, HI  \
	VMOVUPS     LO, (DX)         \
	VMOVUPS     HI, 32(DX)       \
	ADDQ        R8, DX           \
	DECQ        BX               \
	JZ          DONE

// STOREROW0 is STOREROW for beta = 0: C is overwritten, never read.
#define STOREROW0(LO, HI, DONE) \
	VMULPS  Y14, LO, LO  \
	VMULPS  Y14, HI, HI  \
	VMOVUPS LO, (DX)     \
	VMOVUPS HI, 32(DX)   \
	ADDQ    R8, DX       \
	DECQ    BX           \
	JZ      DONE

// BETAZERO jumps to L unless beta is ±0, with alpha in Y14, beta in Y15
// and the number of rows to write in BX.
#define BETAZERO(L) \
	VBROADCASTSS alpha+64(FP), Y14  \
	VBROADCASTSS beta+68(FP), Y15   \
	MOVL         beta+68(FP), BX    \
	SHLL         $1, BX             \
	MOVQ         rows+56(FP), BX    \
	JNZ          L

// ZLOADARGS is LOADARGS for the AVX-512 kernels: it also sets R13 to row 6
// of A and clears Z0-Z7.
#define ZLOADARGS \
	MOVQ   k+0(FP), CX         \
	MOVQ   a+8(FP), SI         \
	MOVQ   rsa+16(FP), R9      \
	SHLQ   $2, R9              \
	LEAQ   (R9)(R9*2), R10     \
	LEAQ   (R9)(R9*4), R11     \
	LEAQ   (SI)(R10*2), R13    \
	MOVQ   csa+24(FP), R12     \
	SHLQ   $2, R12             \
	MOVQ   b+32(FP), DI        \
	MOVQ   c+40(FP), DX        \
	MOVQ   ldc+48(FP), R8      \
	SHLQ   $2, R8              \
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
	VMOVUPS          BOFF(DI), Z16        \
	VFMADD231PS.BCST (SI), Z16, Z0        \
	VFMADD231PS.BCST (SI)(R9*1), Z16, Z1  \
	VFMADD231PS.BCST (SI)(R9*2), Z16, Z2  \
	VFMADD231PS.BCST (SI)(R10*1), Z16, Z3 \
	VFMADD231PS.BCST (SI)(R9*4), Z16, Z4  \
	VFMADD231PS.BCST (SI)(R11*1), Z16, Z5 \
	VFMADD231PS.BCST (R13), Z16, Z6       \
	VFMADD231PS.BCST (R13)(R9*1), Z16, Z7 \
	ADDQ             R12, SI              \
	ADDQ             R12, R13

// ZSTEP12 is ZSTEP8 for rows 0-11.
#define ZSTEP12(BOFF) \
	VMOVUPS          BOFF(DI), Z16          \
	VFMADD231PS.BCST (SI), Z16, Z0          \
	VFMADD231PS.BCST (SI)(R9*1), Z16, Z1    \
	VFMADD231PS.BCST (SI)(R9*2), Z16, Z2    \
	VFMADD231PS.BCST (SI)(R10*1), Z16, Z3   \
	VFMADD231PS.BCST (SI)(R9*4), Z16, Z4    \
	VFMADD231PS.BCST (SI)(R11*1), Z16, Z5   \
	VFMADD231PS.BCST (R13), Z16, Z6         \
	VFMADD231PS.BCST (R13)(R9*1), Z16, Z7   \
	VFMADD231PS.BCST (R13)(R9*2), Z16, Z8   \
	VFMADD231PS.BCST (R13)(R10*1), Z16, Z9  \
	VFMADD231PS.BCST (R13)(R9*4), Z16, Z10  \
	VFMADD231PS.BCST (R13)(R11*1), Z16, Z11 \
	ADDQ             R12, SI                \
	ADDQ             R12, R13

// ZSTEP16 is ZSTEP8 for rows 0-15, with AX at row 12.
#define ZSTEP16(BOFF) \
	VMOVUPS          BOFF(DI), Z16          \
	VFMADD231PS.BCST (SI), Z16, Z0          \
	VFMADD231PS.BCST (SI)(R9*1), Z16, Z1    \
	VFMADD231PS.BCST (SI)(R9*2), Z16, Z2    \
	VFMADD231PS.BCST (SI)(R10*1), Z16, Z3   \
	VFMADD231PS.BCST (SI)(R9*4), Z16, Z4    \
	VFMADD231PS.BCST (SI)(R11*1), Z16, Z5   \
	VFMADD231PS.BCST (R13), Z16, Z6         \
	VFMADD231PS.BCST (R13)(R9*1), Z16, Z7   \
	VFMADD231PS.BCST (R13)(R9*2), Z16, Z8   \
	VFMADD231PS.BCST (R13)(R10*1), Z16, Z9  \
	VFMADD231PS.BCST (R13)(R9*4), Z16, Z10  \
	VFMADD231PS.BCST (R13)(R11*1), Z16, Z11 \
	VFMADD231PS.BCST (AX), Z16, Z12         \
	VFMADD231PS.BCST (AX)(R9*1), Z16, Z13   \
	VFMADD231PS.BCST (AX)(R9*2), Z16, Z14   \
	VFMADD231PS.BCST (AX)(R10*1), Z16, Z15  \
	ADDQ             R12, SI                \
	ADDQ             R12, R13               \
	ADDQ             R12, AX

// ZBETAZERO is BETAZERO with alpha in Z17 and beta in Z18.
#define ZBETAZERO(L) \
	VBROADCASTSS alpha+64(FP), Z17  \
	VBROADCASTSS beta+68(FP), Z18   \
	MOVL         beta+68(FP), BX    \
	SHLL         $1, BX             \
	MOVQ         rows+56(FP), BX    \
	JNZ          L

// ZSTOREROW writes row R of the block to (DX) as alpha·block + beta·C
// (alpha in Z17, beta in Z18) and moves DX to the next row of C; it jumps
// to DONE after the last row to write (BX counts them).
#define ZSTOREROW(R, DONE) \
	VMULPS      Z17, R, R    \
	VFMADD231PS (DX), Z18, R \
	VMOVUPS     R, (DX)      \
	ADDQ        R8, DX       \
	DECQ        BX           \
	JZ          DONE

// ZSTOREROW0 is ZSTOREROW for beta = 0.
#define ZSTOREROW0(R, DONE) \
	VMULPS  Z17, R, R \
	VMOVUPS R, (DX)   \
	ADDQ    R8, DX    \
	DECQ    BX        \
	JZ      DONE

// func sgemmKernel6x16(k int, a *float32, rsa, csa int, b, c *float32, ldc, rows int, alpha, beta float32)
TEXT ·sgemmKernel6x16(SB), NOSPLIT, $0-72
	LOADARGS
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11

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

// func sgemmKernel4x16(k int, a *float32, rsa, csa int, b, c *float32, ldc, rows int, alpha, beta float32)
TEXT ·sgemmKernel4x16(SB), NOSPLIT, $0-72
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

// func sgemmKernel16x16(k int, a *float32, rsa, csa int, b, c *float32, ldc, rows int, alpha, beta float32)
TEXT ·sgemmKernel16x16(SB), NOSPLIT, $0-72
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

// func sgemmKernel12x16(k int, a *float32, rsa, csa int, b, c *float32, ldc, rows int, alpha, beta float32)
TEXT ·sgemmKernel12x16(SB), NOSPLIT, $0-72
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

// func sgemmKernel8x16(k int, a *float32, rsa, csa int, b, c *float32, ldc, rows int, alpha, beta float32)
TEXT ·sgemmKernel8x16(SB), NOSPLIT, $0-72
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
	LEAQ      (R)(R8*4), R10    \
	VMOVUPS   (R), Y0           \
	VMOVUPS   (R)(R8*1), Y1     \
	VMOVUPS   (R)(R8*2), Y2     \
	VMOVUPS   (R)(R9*1), Y3     \
	VMOVUPS   (R10), Y4         \
	VMOVUPS   (R10)(R8*1), Y5   \
	VMOVUPS   (R10)(R8*2), Y6   \
	VMOVUPS   (R10)(R9*1), Y7

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
