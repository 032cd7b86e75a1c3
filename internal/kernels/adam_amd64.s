#include "textflag.h"

// Adam's update, m += (g - m)·b1c;  v += (g² - v)·b2c;  w -= m·alpha / (√v + eps),
// with the same operations, in the same order, as the Go loop, and no FMA,
// so the results are bitwise identical to it, except that subnormal inputs
// and results count as zero: MXCSR's DAZ and FTZ are set for the loop and
// restored after it. A moment that decays towards zero for hundreds of
// steps, as the moments of a dead ReLU unit's weights do, becomes subnormal
// (soon in float32), and the CPU computes with subnormals many times
// slower. XLA, which Keras runs on, flushes them too.
//
// ADAM_LOOP is the loop for one element type: the instructions' suffix
// (PD for float64, PS for float32), the element size and the lanes a Y
// register holds. The pointers are in DI (w), SI (grad), R8 (m) and R9 (v),
// the count in CX, the factors in Y10-Y13; AX is the index.
#define ADAM_LOOP(MOVU, SUB, MUL, ADD, SQRT, DIV, SIZE, LANES) \
	STMXCSR saved-4(SP)        \
	MOVL    saved-4(SP), AX    \
	ORL     $0x8040, AX        \
	MOVL    AX, flush-8(SP)    \
	LDMXCSR flush-8(SP)        \
	XORQ    AX, AX             \
loop:                              \
	CMPQ    CX, $LANES         \
	JL      done               \
	MOVU    (SI)(AX*SIZE), Y0  \
	MOVU    (R8)(AX*SIZE), Y1  \
	SUB     Y1, Y0, Y2         \
	MUL     Y10, Y2, Y2        \
	ADD     Y2, Y1, Y1         \
	MOVU    Y1, (R8)(AX*SIZE)  \
	MOVU    (R9)(AX*SIZE), Y3  \
	MUL     Y0, Y0, Y4         \
	SUB     Y3, Y4, Y4         \
	MUL     Y11, Y4, Y4        \
	ADD     Y4, Y3, Y3         \
	MOVU    Y3, (R9)(AX*SIZE)  \
	SQRT    Y3, Y5             \
	ADD     Y13, Y5, Y5        \
	MUL     Y12, Y1, Y6        \
	DIV     Y5, Y6, Y6         \
	MOVU    (DI)(AX*SIZE), Y7  \
	SUB     Y6, Y7, Y7         \
	MOVU    Y7, (DI)(AX*SIZE)  \
	ADDQ    $LANES, AX         \
	SUBQ    $LANES, CX         \
	JMP     loop               \
done:                              \
	LDMXCSR saved-4(SP)        \
	VZEROUPPER                 \
	RET

// func adamStepAVX2(w, grad, m, v *float64, n int, b1c, b2c, alpha, eps float64)
// Applies Adam's update to n values (n a multiple of 4), four at a time.
TEXT ·adamStepAVX2(SB), NOSPLIT, $8-72
	MOVQ w+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	MOVQ n+32(FP), CX
	VBROADCASTSD b1c+40(FP), Y10
	VBROADCASTSD b2c+48(FP), Y11
	VBROADCASTSD alpha+56(FP), Y12
	VBROADCASTSD eps+64(FP), Y13
	ADAM_LOOP(VMOVUPD, VSUBPD, VMULPD, VADDPD, VSQRTPD, VDIVPD, 8, 4)

// func adamStep32AVX2(w, grad, m, v *float32, n int, b1c, b2c, alpha, eps float32)
// Applies Adam's update to n float32 values (n a multiple of 8), eight at a
// time.
TEXT ·adamStep32AVX2(SB), NOSPLIT, $8-56
	MOVQ w+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	MOVQ n+32(FP), CX
	VBROADCASTSS b1c+40(FP), Y10
	VBROADCASTSS b2c+44(FP), Y11
	VBROADCASTSS alpha+48(FP), Y12
	VBROADCASTSS eps+52(FP), Y13
	ADAM_LOOP(VMOVUPS, VSUBPS, VMULPS, VADDPS, VSQRTPS, VDIVPS, 4, 8)
