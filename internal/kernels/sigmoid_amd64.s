#include "textflag.h"

// func sigmoidAVX2(dst, src *float64, n int, c *[17]float64)
// dst[i] = 1 / (1 + exp(-src[i])) for n values (n a multiple of 4), four at a
// time. exp uses the range reduction x = k·ln2 + r, |r| ≤ ln2/2, and a
// degree-12 polynomial for e^r (relative error below 1e-15). c holds:
// 0 log2e, 1 ln2hi, 2 ln2lo, 3 low clamp, 4 high clamp, 5 one, and
// 6..16 the polynomial coefficients 1/12!, 1/11!, ..., 1/2! (sigmoidConsts).
TEXT ·sigmoidAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ c+24(FP), R8
	VBROADCASTSD 0(R8), Y8   // log2e
	VBROADCASTSD 8(R8), Y9   // ln2 high part
	VBROADCASTSD 16(R8), Y10 // ln2 low part
	VBROADCASTSD 24(R8), Y11 // clamp low
	VBROADCASTSD 32(R8), Y12 // clamp high
	VBROADCASTSD 40(R8), Y13 // 1
	VXORPD       Y14, Y14, Y14
	XORQ AX, AX

loop:
	CMPQ CX, $4
	JL   done
	VMOVUPD (SI)(AX*8), Y0
	VSUBPD  Y0, Y14, Y0      // x = -z
	VMAXPD  Y0, Y11, Y0      // NaN stays NaN: the clamps return x for it
	VMINPD  Y0, Y12, Y0
	VMULPD  Y8, Y0, Y1
	VROUNDPD $0, Y1, Y1      // k = round(x·log2e)
	VMOVAPD Y0, Y2
	VFNMADD231PD Y9, Y1, Y2  // r = x - k·ln2hi
	VFNMADD231PD Y10, Y1, Y2 // r -= k·ln2lo
	// p = Σ r^i / i!, by Horner from 1/12! down to 1.
	VBROADCASTSD 48(R8), Y3
	VBROADCASTSD 56(R8), Y4
	VFMADD213PD Y4, Y2, Y3
	VBROADCASTSD 64(R8), Y4
	VFMADD213PD Y4, Y2, Y3
	VBROADCASTSD 72(R8), Y4
	VFMADD213PD Y4, Y2, Y3
	VBROADCASTSD 80(R8), Y4
	VFMADD213PD Y4, Y2, Y3
	VBROADCASTSD 88(R8), Y4
	VFMADD213PD Y4, Y2, Y3
	VBROADCASTSD 96(R8), Y4
	VFMADD213PD Y4, Y2, Y3
	VBROADCASTSD 104(R8), Y4
	VFMADD213PD Y4, Y2, Y3
	VBROADCASTSD 112(R8), Y4
	VFMADD213PD Y4, Y2, Y3
	VBROADCASTSD 120(R8), Y4
	VFMADD213PD Y4, Y2, Y3
	VBROADCASTSD 128(R8), Y4
	VFMADD213PD Y4, Y2, Y3
	VFMADD213PD Y13, Y2, Y3  // ·r + 1 (1/1!)
	VFMADD213PD Y13, Y2, Y3  // ·r + 1 (1/0!)
	// Scale by 2^k: add k to the exponent bits.
	VCVTPD2DQY Y1, X5
	VPMOVSXDQ  X5, Y5
	VPSLLQ     $52, Y5, Y5
	VPADDQ     Y5, Y3, Y3
	VADDPD     Y13, Y3, Y3   // 1 + exp(-z)
	VDIVPD     Y3, Y13, Y3   // 1 / (1 + exp(-z))
	VMOVUPD    Y3, (DI)(AX*8)
	ADDQ $4, AX
	SUBQ $4, CX
	JMP  loop

done:
	VZEROUPPER
	RET

// func tanhAVX2(dst, src *float64, n int, c *[24][4]float64)
// dst[i] = tanh(src[i]) for n values (n a multiple of 4), four at a time,
// bitwise as math.Tanh computes them where the CPU has FMA (math.Exp's
// assembly uses it then): the same operations in the same order, on all
// three of its branches, and one kept. For |x| > 44.0148… (half the log of
// 2¹²⁷) it is ±1; from 0.625 it is ±(1 - 2/(e + 1)) with e = exp(2|x|),
// computed as math.Exp's assembly computes it (x = k·ln2 + r, r/16, a
// degree-8 polynomial, four squarings, 2^k: 2|x| is at most 88.03, so
// none of its special cases arise); below (and for NaN) it is
// x + x·s·P(s)/Q(s) with s = x², and x itself for ±0. The two divisions
// are one, on the numerator and denominator of the branch each lane
// takes. c holds each constant four times (tanhConsts): see there for the
// rows.
TEXT ·tanhAVX2(SB), NOSPLIT, $0-32
	MOVQ        dst+0(FP), DI
	MOVQ        src+8(FP), SI
	MOVQ        n+16(FP), CX
	MOVQ        c+24(FP), R8
	XORQ        AX, AX

tanhLoop:
	CMPQ        CX, $4
	JL          tanhDone
	VMOVUPD     (SI)(AX*8), Y0
	VANDPD      672(R8), Y0, Y1        // z = |x|
	VCMPPD      $0x19, 416(R8), Y1, Y14 // !(z >= 0.625): the rational branch
	VCMPPD      $0x1e, 448(R8), Y1, Y13 // z > 44.0148…: ±1

	// e = exp(2z), as math.Exp's assembly with FMA.
	VADDPD      Y1, Y1, Y2
	VMULPD      0(R8), Y2, Y3          // 2z·log2(e)
	VCVTPD2DQY  Y3, X4                 // k, rounded to nearest
	VCVTDQ2PD   X4, Y3
	VFNMADD231PD 32(R8), Y3, Y2        // - k·ln2 (upper)
	VFNMADD231PD 64(R8), Y3, Y2        // - k·ln2 (lower)
	VMULPD      96(R8), Y2, Y2         // /16
	VMOVUPD     128(R8), Y5
	VFMADD213PD 160(R8), Y2, Y5
	VFMADD213PD 192(R8), Y2, Y5
	VFMADD213PD 224(R8), Y2, Y5
	VFMADD213PD 256(R8), Y2, Y5
	VFMADD213PD 288(R8), Y2, Y5
	VFMADD213PD 320(R8), Y2, Y5        // + 1/2
	VFMADD213PD 352(R8), Y2, Y5        // + 1
	VMULPD      Y5, Y2, Y2
	VADDPD      384(R8), Y2, Y5        // (2 + y)·y, four times
	VMULPD      Y5, Y2, Y2
	VADDPD      384(R8), Y2, Y5
	VMULPD      Y5, Y2, Y2
	VADDPD      384(R8), Y2, Y5
	VMULPD      Y5, Y2, Y2
	VADDPD      384(R8), Y2, Y5
	VFMADD213PD 352(R8), Y5, Y2        // ·y + 1
	VPMOVSXDQ   X4, Y4
	VPADDQ      736(R8), Y4, Y4
	VPSLLQ      $52, Y4, Y4
	VMULPD      Y4, Y2, Y2             // ·2^k
	VADDPD      352(R8), Y2, Y2        // e + 1

	// P(s) and Q(s), s = x², without FMA, as the Go code.
	VMULPD      Y0, Y0, Y6
	VMULPD      480(R8), Y6, Y7
	VADDPD      512(R8), Y7, Y7
	VMULPD      Y6, Y7, Y7
	VADDPD      544(R8), Y7, Y7        // P(s)
	VADDPD      576(R8), Y6, Y8
	VMULPD      Y6, Y8, Y8
	VADDPD      608(R8), Y8, Y8
	VMULPD      Y6, Y8, Y8
	VADDPD      640(R8), Y8, Y8        // Q(s)
	VMULPD      Y6, Y0, Y9
	VMULPD      Y7, Y9, Y9             // x·s·P(s)

	VMOVUPD     384(R8), Y10
	VBLENDVPD   Y14, Y9, Y10, Y10      // the numerator: x·s·P(s) or 2
	VBLENDVPD   Y14, Y8, Y2, Y2        // the denominator: Q(s) or e + 1
	VDIVPD      Y2, Y10, Y10
	VADDPD      Y10, Y0, Y11           // x + x·s·P(s)/Q(s)
	VMOVUPD     352(R8), Y12
	VSUBPD      Y10, Y12, Y12          // 1 - 2/(e + 1)
	VANDPD      704(R8), Y0, Y15       // x's sign
	VXORPD      Y15, Y12, Y12
	VXORPD      352(R8), Y15, Y9       // ±1
	VBLENDVPD   Y14, Y11, Y12, Y12
	VBLENDVPD   Y13, Y9, Y12, Y12
	VXORPD      Y15, Y15, Y15
	VCMPPD      $0x00, Y15, Y0, Y15    // x = ±0
	VBLENDVPD   Y15, Y0, Y12, Y12
	VMOVUPD     Y12, (DI)(AX*8)
	ADDQ        $4, AX
	SUBQ        $4, CX
	JMP         tanhLoop

tanhDone:
	VZEROUPPER
	RET

// func sigmoid32AVX2(dst, src *float32, n int, c *[13]float32)
// dst[i] = 1 / (1 + exp(-src[i])) for n float32 values (n a multiple of 8),
// eight at a time, as sigmoidAVX2 does in float64: x = -z clamped to
// [-87, 88], x = k·ln2 + r, a degree-7 polynomial for e^r (relative error
// below 1e-8), k added to the exponent. c holds: 0 log2e, 1 ln2hi, 2 ln2lo,
// 3 low clamp, 4 high clamp, 5 one, 6..12 1/7!, 1/6!, ..., 1/1!
// (sigmoid32Consts).
TEXT ·sigmoid32AVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ c+24(FP), R8
	VBROADCASTSS 0(R8), Y8   // log2e
	VBROADCASTSS 4(R8), Y9   // ln2 high part
	VBROADCASTSS 8(R8), Y10  // ln2 low part
	VBROADCASTSS 12(R8), Y11 // clamp low
	VBROADCASTSS 16(R8), Y12 // clamp high
	VBROADCASTSS 20(R8), Y13 // 1
	VXORPS       Y14, Y14, Y14
	XORQ AX, AX

loop32:
	CMPQ CX, $8
	JL   done32
	VMOVUPS (SI)(AX*4), Y0
	VSUBPS  Y0, Y14, Y0      // x = -z
	VMAXPS  Y0, Y11, Y0      // NaN stays NaN
	VMINPS  Y0, Y12, Y0
	VMULPS  Y8, Y0, Y1
	VROUNDPS $0, Y1, Y1      // k = round(x·log2e)
	VMOVAPS Y0, Y2
	VFNMADD231PS Y9, Y1, Y2  // r = x - k·ln2hi
	VFNMADD231PS Y10, Y1, Y2 // r -= k·ln2lo
	// p = Σ r^i / i!, by Horner from 1/7! down to 1.
	VBROADCASTSS 24(R8), Y3
	VBROADCASTSS 28(R8), Y4
	VFMADD213PS Y4, Y2, Y3
	VBROADCASTSS 32(R8), Y4
	VFMADD213PS Y4, Y2, Y3
	VBROADCASTSS 36(R8), Y4
	VFMADD213PS Y4, Y2, Y3
	VBROADCASTSS 40(R8), Y4
	VFMADD213PS Y4, Y2, Y3
	VBROADCASTSS 44(R8), Y4
	VFMADD213PS Y4, Y2, Y3
	VBROADCASTSS 48(R8), Y4
	VFMADD213PS Y4, Y2, Y3   // ·r + 1/1!
	VFMADD213PS Y13, Y2, Y3  // ·r + 1 (1/0!)
	// Scale by 2^k: add k to the exponent bits.
	VCVTPS2DQ Y1, Y5
	VPSLLD    $23, Y5, Y5
	VPADDD    Y5, Y3, Y3
	VADDPS    Y13, Y3, Y3    // 1 + exp(-z)
	VDIVPS    Y3, Y13, Y3    // 1 / (1 + exp(-z))
	VMOVUPS   Y3, (DI)(AX*4)
	ADDQ $8, AX
	SUBQ $8, CX
	JMP  loop32

done32:
	VZEROUPPER
	RET
