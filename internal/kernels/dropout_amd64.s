#include "textflag.h"

// DROPOUT_DRAW computes the next eight splitmix64 outputs from the eight
// states in Z10 into Z0 (using Z1), moves the states eight on (Z11), and
// sets K1 bit e where 32-bit half e of the outputs (low half of output j
// at e = 2j, high half at 2j+1) is below the threshold in Z14: the
// elements kept. C1 and C2 are the mixing constants, in Z12 and Z13.
#define DROPOUT_DRAW \
	VMOVDQA64 Z10, Z0         \
	VPADDQ    Z11, Z10, Z10   \
	VPSRLQ    $30, Z0, Z1     \
	VPXORQ    Z1, Z0, Z0      \
	VPMULLQ   Z12, Z0, Z0     \
	VPSRLQ    $27, Z0, Z1     \
	VPXORQ    Z1, Z0, Z0      \
	VPMULLQ   Z13, Z0, Z0     \
	VPSRLQ    $31, Z0, Z1     \
	VPXORQ    Z1, Z0, Z0      \
	VPCMPUD   $1, Z14, Z0, K1

// DROPOUT_ARGS loads the pointers (x in SI, mask in DI, y in DX), the count
// in CX, the states (Z10), their step (Z11), the constants (Z12, Z13)
// and the threshold (Z14).
#define DROPOUT_ARGS \
	MOVQ         x+0(FP), SI          \
	MOVQ         mask+8(FP), DI       \
	MOVQ         y+16(FP), DX         \
	MOVQ         n+24(FP), CX         \
	MOVQ         states+32(FP), AX    \
	VMOVDQU64    (AX), Z10            \
	VPBROADCASTQ step+40(FP), Z11     \
	MOVQ         $0xbf58476d1ce4e5b9, AX \
	VPBROADCASTQ AX, Z12              \
	MOVQ         $0x94d049bb133111eb, AX \
	VPBROADCASTQ AX, Z13              \
	VPBROADCASTD threshold+48(FP), Z14

// DROPOUT_NEXT moves the pointers BYTES on and loops to LOOP while values
// are left (CX, sixteen an iteration).
#define DROPOUT_NEXT(BYTES, LOOP) \
	ADDQ $BYTES, SI \
	ADDQ $BYTES, DI \
	ADDQ $BYTES, DX \
	SUBQ $16, CX    \
	JNZ  LOOP       \
	VZEROUPPER      \
	RET

// func dropout64AVX512(x, mask, y *float64, n int, states *[8]uint64, step uint64, threshold uint32, scale float64)
TEXT ·dropout64AVX512(SB), NOSPLIT, $0-64
	DROPOUT_ARGS
	VBROADCASTSD scale+56(FP), Z15

loop64:
	DROPOUT_DRAW
	KSHIFTRW  $8, K1, K2
	VMOVAPD.Z Z15, K1, Z2
	VMOVAPD.Z Z15, K2, Z3
	VMOVUPD   Z2, (DI)
	VMOVUPD   Z3, 64(DI)
	VMULPD    (SI), Z2, Z2
	VMULPD    64(SI), Z3, Z3
	VMOVUPD   Z2, (DX)
	VMOVUPD   Z3, 64(DX)
	DROPOUT_NEXT(128, loop64)

// func dropout32AVX512(x, mask, y *float32, n int, states *[8]uint64, step uint64, threshold uint32, scale float32)
TEXT ·dropout32AVX512(SB), NOSPLIT, $0-56
	DROPOUT_ARGS
	VBROADCASTSS scale+52(FP), Z15

loop32:
	DROPOUT_DRAW
	VMOVAPS.Z Z15, K1, Z2
	VMOVUPS   Z2, (DI)
	VMULPS    (SI), Z2, Z2
	VMOVUPS   Z2, (DX)
	DROPOUT_NEXT(64, loop32)

// func cpuidLeaf7EBX() uint32
TEXT ·cpuidLeaf7EBX(SB), NOSPLIT, $0-4
	MOVL $7, AX
	XORL CX, CX
	CPUID
	MOVL BX, ret+0(FP)
	RET
