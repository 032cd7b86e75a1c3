#include "textflag.h"

// ADD_ROWS adds the rows of m, stride DX bytes apart, BX of them (at least
// one), to sums, CX bytes (a multiple of 32) of each: four Y registers (128
// bytes) of sums at a time, then one, each kept in its register down the
// rows, so that every sum gets the rows in order, as the Go loop adds
// them. sums is in DI and m in SI; OP is the addition (VADDPD or VADDPS).
#define ADD_ROWS(OP) \
	MOVQ    sums+0(FP), DI   \
	MOVQ    m+8(FP), SI      \
	MOVQ    rows+16(FP), BX  \
	MOVQ    stride+24(FP), DX \
	MOVQ    bytes+32(FP), CX \
wide:                            \
	CMPQ    CX, $128         \
	JL      narrow           \
	VMOVUPS (DI), Y0         \
	VMOVUPS 32(DI), Y1       \
	VMOVUPS 64(DI), Y2       \
	VMOVUPS 96(DI), Y3       \
	MOVQ    SI, R8           \
	MOVQ    BX, R9           \
wideRows:                        \
	OP      (R8), Y0, Y0     \
	OP      32(R8), Y1, Y1   \
	OP      64(R8), Y2, Y2   \
	OP      96(R8), Y3, Y3   \
	ADDQ    DX, R8           \
	DECQ    R9               \
	JNZ     wideRows         \
	VMOVUPS Y0, (DI)         \
	VMOVUPS Y1, 32(DI)       \
	VMOVUPS Y2, 64(DI)       \
	VMOVUPS Y3, 96(DI)       \
	ADDQ    $128, DI         \
	ADDQ    $128, SI         \
	SUBQ    $128, CX         \
	JMP     wide             \
narrow:                          \
	CMPQ    CX, $32          \
	JL      done             \
	VMOVUPS (DI), Y0         \
	MOVQ    SI, R8           \
	MOVQ    BX, R9           \
narrowRows:                      \
	OP      (R8), Y0, Y0     \
	ADDQ    DX, R8           \
	DECQ    R9               \
	JNZ     narrowRows       \
	VMOVUPS Y0, (DI)         \
	ADDQ    $32, DI          \
	ADDQ    $32, SI          \
	SUBQ    $32, CX          \
	JMP     narrow           \
done:                            \
	VZEROUPPER               \
	RET

// func addRows64AVX2(sums, m unsafe.Pointer, rows, stride, bytes int)
TEXT ·addRows64AVX2(SB), NOSPLIT, $0-40
	ADD_ROWS(VADDPD)

// func addRows32AVX2(sums, m unsafe.Pointer, rows, stride, bytes int)
TEXT ·addRows32AVX2(SB), NOSPLIT, $0-40
	ADD_ROWS(VADDPS)
