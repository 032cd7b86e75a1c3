#include "textflag.h"

// func adamStepAVX2(w, grad, m, v *float64, n int, b1c, b2c, alpha, eps float64)
// Applies Adam's update to n values (n a multiple of 4), four at a time:
//	m += (g - m)·b1c;  v += (g² - v)·b2c;  w -= m·alpha / (√v + eps)
// with the same operations, in the same order, as the Go loop, and no FMA,
// so the results are bitwise identical to it, except that subnormal inputs
// and results count as zero (see adamStep32AVX2).
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
	STMXCSR saved-4(SP)
	MOVL    saved-4(SP), AX
	ORL     $0x8040, AX
	MOVL    AX, flush-8(SP)
	LDMXCSR flush-8(SP)
	XORQ AX, AX

loop:
	CMPQ CX, $4
	JL   done
	VMOVUPD (SI)(AX*8), Y0
	VMOVUPD (R8)(AX*8), Y1
	VSUBPD  Y1, Y0, Y2
	VMULPD  Y10, Y2, Y2
	VADDPD  Y2, Y1, Y1
	VMOVUPD Y1, (R8)(AX*8)
	VMOVUPD (R9)(AX*8), Y3
	VMULPD  Y0, Y0, Y4
	VSUBPD  Y3, Y4, Y4
	VMULPD  Y11, Y4, Y4
	VADDPD  Y4, Y3, Y3
	VMOVUPD Y3, (R9)(AX*8)
	VSQRTPD Y3, Y5
	VADDPD  Y13, Y5, Y5
	VMULPD  Y12, Y1, Y6
	VDIVPD  Y5, Y6, Y6
	VMOVUPD (DI)(AX*8), Y7
	VSUBPD  Y6, Y7, Y7
	VMOVUPD Y7, (DI)(AX*8)
	ADDQ    $4, AX
	SUBQ    $4, CX
	JMP     loop

done:
	LDMXCSR saved-4(SP)
	VZEROUPPER
	RET

// func adamStep32AVX2(w, grad, m, v *float32, n int, b1c, b2c, alpha, eps float32)
// Applies Adam's update to n float32 values (n a multiple of 8), eight at a
// time, with the operations of adamStepAVX2 in single precision; the results
// are bitwise those of the Go loop in float32 except that subnormal inputs
// and results count as zero (MXCSR's DAZ and FTZ, set for the loop and
// restored after it): a moment that decays towards zero for hundreds of
// steps, as the moments of a dead ReLU unit's weights do, becomes
// subnormal in float32, and the CPU computes with subnormals many times
// slower. XLA, which Keras runs on, flushes them too.
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
	STMXCSR saved-4(SP)
	MOVL    saved-4(SP), AX
	ORL     $0x8040, AX
	MOVL    AX, flush-8(SP)
	LDMXCSR flush-8(SP)
	XORQ AX, AX

loop32:
	CMPQ CX, $8
	JL   done32
	VMOVUPS (SI)(AX*4), Y0
	VMOVUPS (R8)(AX*4), Y1
	VSUBPS  Y1, Y0, Y2
	VMULPS  Y10, Y2, Y2
	VADDPS  Y2, Y1, Y1
	VMOVUPS Y1, (R8)(AX*4)
	VMOVUPS (R9)(AX*4), Y3
	VMULPS  Y0, Y0, Y4
	VSUBPS  Y3, Y4, Y4
	VMULPS  Y11, Y4, Y4
	VADDPS  Y4, Y3, Y3
	VMOVUPS Y3, (R9)(AX*4)
	VSQRTPS Y3, Y5
	VADDPS  Y13, Y5, Y5
	VMULPS  Y12, Y1, Y6
	VDIVPS  Y5, Y6, Y6
	VMOVUPS (DI)(AX*4), Y7
	VSUBPS  Y6, Y7, Y7
	VMOVUPS Y7, (DI)(AX*4)
	ADDQ    $8, AX
	SUBQ    $8, CX
	JMP     loop32

done32:
	LDMXCSR saved-4(SP)
	VZEROUPPER
	RET
