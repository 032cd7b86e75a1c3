#include "textflag.h"

// KEEP_LOOP keeps each value of x where the value at the same place of m,
// read as a signed integer of the same width, is positive, and clears it
// elsewhere, into dst, two 32-byte vectors at a time (CMP: VPCMPGTQ for
// 8-byte values, VPCMPGTD for 4-byte ones). The pointers are in DI (dst),
// SI (x) and DX (m), the byte count in CX (a positive multiple of 64).
#define KEEP_LOOP(CMP) \
	VPXOR   Y15, Y15, Y15 \
loop:                     \
	VMOVDQU (DX), Y0      \
	VMOVDQU 32(DX), Y1    \
	CMP     Y15, Y0, Y0   \
	CMP     Y15, Y1, Y1   \
	VPAND   (SI), Y0, Y0  \
	VPAND   32(SI), Y1, Y1 \
	VMOVDQU Y0, (DI)      \
	VMOVDQU Y1, 32(DI)    \
	ADDQ    $64, DI       \
	ADDQ    $64, SI       \
	ADDQ    $64, DX       \
	SUBQ    $64, CX       \
	JNZ     loop          \
	VZEROUPPER            \
	RET

// func keepPositive64AVX2(dst, x, m unsafe.Pointer, bytes int)
TEXT ·keepPositive64AVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ m+16(FP), DX
	MOVQ bytes+24(FP), CX
	KEEP_LOOP(VPCMPGTQ)

// func keepPositive32AVX2(dst, x, m unsafe.Pointer, bytes int)
TEXT ·keepPositive32AVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ m+16(FP), DX
	MOVQ bytes+24(FP), CX
	KEEP_LOOP(VPCMPGTD)

// MUL_LOOP sets dst = x·m, two 32-byte vectors at a time (MUL: VMULPD or
// VMULPS), with the registers of KEEP_LOOP.
#define MUL_LOOP(MUL) \
mulloop:                   \
	VMOVUPD (DX), Y0       \
	VMOVUPD 32(DX), Y1     \
	MUL     (SI), Y0, Y0   \
	MUL     32(SI), Y1, Y1 \
	VMOVUPD Y0, (DI)       \
	VMOVUPD Y1, 32(DI)     \
	ADDQ    $64, DI        \
	ADDQ    $64, SI        \
	ADDQ    $64, DX        \
	SUBQ    $64, CX        \
	JNZ     mulloop        \
	VZEROUPPER             \
	RET

// func mul64AVX2(dst, x, m unsafe.Pointer, bytes int)
TEXT ·mul64AVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ m+16(FP), DX
	MOVQ bytes+24(FP), CX
	MUL_LOOP(VMULPD)

// func mul32AVX2(dst, x, m unsafe.Pointer, bytes int)
TEXT ·mul32AVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ m+16(FP), DX
	MOVQ bytes+24(FP), CX
	MUL_LOOP(VMULPS)
