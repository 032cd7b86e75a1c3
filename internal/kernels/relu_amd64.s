#include "textflag.h"

// LINES_LOOP sets dst = OP(x, PRE(0, m)), two 32-byte vectors (a 64-byte
// line) at a time: with PRE = VPCMPGTQ or VPCMPGTD (8- or 4-byte values)
// and OP = VPAND it keeps each value of x where the value of m, read as a
// signed integer of the same width, is positive, and clears it elsewhere;
// with PRE = VPOR (m | 0, m as it is) and OP = VMULPD or VMULPS it
// multiplies. The pointers are in DI (dst), SI (x) and DX (m), the byte
// count in CX (a positive multiple of 64).
#define LINES_LOOP(PRE, OP) \
	VPXOR   Y15, Y15, Y15 \
loop:                     \
	VMOVDQU (DX), Y0      \
	VMOVDQU 32(DX), Y1    \
	PRE     Y15, Y0, Y0   \
	PRE     Y15, Y1, Y1   \
	OP      (SI), Y0, Y0  \
	OP      32(SI), Y1, Y1 \
	VMOVDQU Y0, (DI)      \
	VMOVDQU Y1, 32(DI)    \
	ADDQ    $64, DI       \
	ADDQ    $64, SI       \
	ADDQ    $64, DX       \
	SUBQ    $64, CX       \
	JNZ     loop          \
	VZEROUPPER            \
	RET

// LINES_ARGS loads the arguments of a LINES_LOOP kernel.
#define LINES_ARGS \
	MOVQ dst+0(FP), DI   \
	MOVQ x+8(FP), SI     \
	MOVQ m+16(FP), DX    \
	MOVQ bytes+24(FP), CX

// func keepPositive64AVX2(dst, x, m unsafe.Pointer, bytes int)
TEXT ·keepPositive64AVX2(SB), NOSPLIT, $0-32
	LINES_ARGS
	LINES_LOOP(VPCMPGTQ, VPAND)

// func keepPositive32AVX2(dst, x, m unsafe.Pointer, bytes int)
TEXT ·keepPositive32AVX2(SB), NOSPLIT, $0-32
	LINES_ARGS
	LINES_LOOP(VPCMPGTD, VPAND)

// func mul64AVX2(dst, x, m unsafe.Pointer, bytes int)
TEXT ·mul64AVX2(SB), NOSPLIT, $0-32
	LINES_ARGS
	LINES_LOOP(VPOR, VMULPD)

// func mul32AVX2(dst, x, m unsafe.Pointer, bytes int)
TEXT ·mul32AVX2(SB), NOSPLIT, $0-32
	LINES_ARGS
	LINES_LOOP(VPOR, VMULPS)
