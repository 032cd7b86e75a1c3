#include "textflag.h"

// func adamStepAVX2(w, grad, m, v *float64, n int, b1c, b2c, alpha, eps float64)
// Applies Adam's update to n values (n a multiple of 4), four at a time:
//	m += (g - m)·b1c;  v += (g² - v)·b2c;  w -= m·alpha / (√v + eps)
// with the same operations, in the same order, as the Go loop, and no FMA,
// so the results are bitwise identical to it.
TEXT ·adamStepAVX2(SB), NOSPLIT, $0-72
	MOVQ w+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	MOVQ n+32(FP), CX
	VBROADCASTSD b1c+40(FP), Y10
	VBROADCASTSD b2c+48(FP), Y11
	VBROADCASTSD alpha+56(FP), Y12
	VBROADCASTSD eps+64(FP), Y13
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
	VZEROUPPER
	RET
