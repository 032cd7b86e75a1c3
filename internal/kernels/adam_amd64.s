#include "textflag.h"

// FLUSH_SUBNORMALS saves MXCSR at saved-4(SP) and sets DAZ and FTZ, using
// AX and flush-8(SP); LDMXCSR saved-4(SP) restores it.
#define FLUSH_SUBNORMALS \
	STMXCSR saved-4(SP)     \
	MOVL    saved-4(SP), AX \
	ORL     $0x8040, AX     \
	MOVL    AX, flush-8(SP) \
	LDMXCSR flush-8(SP)

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
	FLUSH_SUBNORMALS           \
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

// The float64 quotient without the divider. adamStepAVX512 computes
// q = a/b, a = m·alpha and b = √v + eps > 0, from multiply-adds
// (ADAM_QUOTIENT) and proves lane by lane that q is the quotient rounded
// to nearest (ADAM_CHECK); where a lane fails, VDIVPD computes the eight.
// The division is half of what bounds ADAM_LOOP on the divider, which
// computes the square root alone then.
//
// ADAM_QUOTIENT: from VRCP14PD's approximation of 1/b (14 bits), two
// Newton steps give y, about 1/b to the last bit; q0 = a·y, and
// q = q0 + (a - b·q0)·y is a/b rounded to nearest but in rare cases. It
// reads a in Z6, b in Z5 and 1 in Z14, writes q in Z9 and uses Z7, Z8 and
// Z15.
#define ADAM_QUOTIENT \
	VRCP14PD     Z5, Z7      \
	VMOVAPD      Z14, Z8     \
	VFNMADD231PD Z7, Z5, Z8  \
	VFMADD231PD  Z8, Z7, Z7  \
	VMOVAPD      Z14, Z8     \
	VFNMADD231PD Z7, Z5, Z8  \
	VFMADD231PD  Z8, Z7, Z7  \
	VMULPD       Z7, Z6, Z9  \
	VMOVAPD      Z6, Z15     \
	VFNMADD231PD Z9, Z5, Z15 \
	VFMADD231PD  Z15, Z7, Z9

// ADAM_CHECK sets K1 bit i where q (Z9) is a/b rounded to nearest, for a
// in Z6 and b > 0 in Z5, and clears it where that is not proven. Where q
// is a normal number, q is a/b rounded if |a/b - q| < ulp(q)/2, that is
// |a - b·q| < T = b·2⁻⁵³·2^e(q), b being positive, and only if, as no
// quotient of two doubles is the midpoint of two adjacent doubles (its
// odd part would need 54 bits). Where q is a power of two, its lower
// neighbour is nearer, ulp(q)/2 away, and the condition is |a/b - q| <
// ulp(q)/4 below q; but no quotient of two doubles lies between q -
// ulp(q)/2 and q - ulp(q)/4 either (with A and B the two 53-bit integer
// significands, 2B - A or B - A would lie strictly between 1/4 and 2 and
// be an integer, so 1, and A = 2B - 1 with B = 2⁵² puts the quotient on
// q - ulp(q)/2 itself), so the one condition holds there too. T is a
// double, exactly, or 0 where it underflows (FTZ); the multiply-add
// rounds a - b·q once and rounding is monotone, so |fma(-b, q, a)| < T
// implies |a - b·q| < T. Where a is ±0, so is a/b, and ADAM_CHECK sets q
// to the zero of a's sign: the moments of a weight whose gradient stays 0, as a dead ReLU
// unit's do, are 0 from the start or decay to it (FTZ). Other zero,
// subnormal, infinite and NaN quotients fail: 2^e(q) is 0, or the
// remainder is infinite or NaN. It needs |·|'s mask in Z16, the
// exponent's in Z17 and 2⁻⁵³ in Z18, and uses Z2, Z8, Z15 and K2.
#define ADAM_CHECK \
	VMOVAPD      Z6, Z15            \
	VFNMADD231PD Z9, Z5, Z15        \
	VPANDQ       Z16, Z15, Z15      \
	VPANDQ       Z17, Z9, Z8        \
	VMULPD       Z18, Z5, Z2        \
	VMULPD       Z8, Z2, Z2         \
	VCMPPD       $0x11, Z2, Z15, K1 \
	VPXORQ       Z2, Z2, Z2         \
	VCMPPD       $0x00, Z2, Z6, K2  \
	VPANDNQ      Z6, Z16, K2, Z9    \
	KORW         K1, K2, K1

// ADAM_CONSTANTS loads 1 into Z14 and ADAM_CHECK's constants, using AX.
#define ADAM_CONSTANTS \
	MOVQ         $0x3ff0000000000000, AX \
	VPBROADCASTQ AX, Z14                 \
	MOVQ         $0x7fffffffffffffff, AX \
	VPBROADCASTQ AX, Z16                 \
	MOVQ         $0x7ff0000000000000, AX \
	VPBROADCASTQ AX, Z17                 \
	MOVQ         $0x3ca0000000000000, AX \
	VPBROADCASTQ AX, Z18

// func adamStepAVX512(w, grad, m, v *float64, n int, b1c, b2c, alpha, eps float64)
// Applies Adam's update to n values (n a multiple of 8), eight at a time,
// bitwise as ADAM_LOOP does, the quotient from ADAM_QUOTIENT where
// ADAM_CHECK proves it.
TEXT ·adamStepAVX512(SB), NOSPLIT, $8-72
	MOVQ         w+0(FP), DI
	MOVQ         grad+8(FP), SI
	MOVQ         m+16(FP), R8
	MOVQ         v+24(FP), R9
	MOVQ         n+32(FP), CX
	VBROADCASTSD b1c+40(FP), Z10
	VBROADCASTSD b2c+48(FP), Z11
	VBROADCASTSD alpha+56(FP), Z12
	VBROADCASTSD eps+64(FP), Z13
	ADAM_CONSTANTS
	FLUSH_SUBNORMALS
	XORQ         AX, AX

loop512:
	CMPQ         CX, $8
	JL           done512
	VMOVUPD      (SI)(AX*8), Z0
	VMOVUPD      (R8)(AX*8), Z1
	VSUBPD       Z1, Z0, Z2
	VMULPD       Z10, Z2, Z2
	VADDPD       Z2, Z1, Z1
	VMOVUPD      Z1, (R8)(AX*8)
	VMOVUPD      (R9)(AX*8), Z3
	VMULPD       Z0, Z0, Z4
	VSUBPD       Z3, Z4, Z4
	VMULPD       Z11, Z4, Z4
	VADDPD       Z4, Z3, Z3
	VMOVUPD      Z3, (R9)(AX*8)
	VSQRTPD      Z3, Z5
	VADDPD       Z13, Z5, Z5 // b
	VMULPD       Z12, Z1, Z6 // a
	ADAM_QUOTIENT
	ADAM_CHECK
	KMOVW        K1, BX
	CMPL         BX, $0xff
	JNE          divide

update:
	VMOVUPD      (DI)(AX*8), Z7
	VSUBPD       Z9, Z7, Z7
	VMOVUPD      Z7, (DI)(AX*8)
	ADDQ         $8, AX
	SUBQ         $8, CX
	JMP          loop512

divide:
	VDIVPD       Z5, Z6, Z9
	JMP          update

done512:
	LDMXCSR      saved-4(SP)
	VZEROUPPER
	RET

// func adamCheck8(a, b, q *[8]float64, quotient bool) (proven uint8)
// With quotient, computes q from a and b as adamStepAVX512 does; then
// applies ADAM_CHECK to q as the quotients of a by b and returns its mask:
// for the tests.
TEXT ·adamCheck8(SB), NOSPLIT, $8-33
	ADAM_CONSTANTS
	FLUSH_SUBNORMALS
	MOVQ    a+0(FP), SI
	MOVQ    b+8(FP), DI
	MOVQ    q+16(FP), DX
	VMOVUPD (SI), Z6
	VMOVUPD (DI), Z5
	VMOVUPD (DX), Z9
	MOVBLZX quotient+24(FP), AX
	TESTL   AX, AX
	JZ      check
	ADAM_QUOTIENT

check:
	ADAM_CHECK
	VMOVUPD Z9, (DX)
	KMOVW   K1, AX
	MOVB    AL, proven+32(FP)
	LDMXCSR saved-4(SP)
	VZEROUPPER
	RET
