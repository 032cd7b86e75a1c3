// The micro-kernels of Gemm (gemm_amd64.s, float64) and Sgemm
// (sgemm_amd64.s, float32), written once for both element types: the file
// that includes this one defines the instructions and the arguments' size
// first:
//
//	SHIFT     $3 or $2, the log2 of the element size
//	VMOVU     VMOVUPD or VMOVUPS
//	VXOR      VXORPD or VXORPS
//	VBCAST    VBROADCASTSD or VBROADCASTSS
//	VFMA      VFMADD231PD or VFMADD231PS
//	VFMAB     VFMADD231PD.BCST or VFMADD231PS.BCST
//	VMUL      VMULPD or VMULPS
//	ALPHA     alpha's argument and BETA beta's
//	TESTBETA  sets the zero flag if and only if beta is ±0, using BX
//
// The micro-kernels multiply an H×k block of op(A), read in place with
// strides (row i, column l at a + i·rsa + l·csa), by a k-row panel of
// op(B), 64 bytes a row (8 float64s or 16 float32s), its rows ldb elements
// apart (a packed panel, ldb = 8 or 16, or B itself), and keep the block
// of sums in registers: with AVX2 (H = 6 or 4) row i in Y(2i) (the first
// 32 bytes) and Y(2i+1) (the last 32), with AVX-512 (H = 16, 12 or 8) row i
// in Zi. They then write the first rows rows of alpha·sums + beta·C to C.
//
// Registers: SI the current column of A in row 0 (R13 in row 6, AX in
// row 12), R9 = rsa, R10 = 3·rsa, R11 = 5·rsa, R12 = csa (all in bytes),
// DI the current row of B, R14 = ldb, R15 = 3·ldb (in bytes), CX and BX
// counts, DX the current row of C, R8 = ldc (in bytes). The loops, four
// rows of B an iteration, use DX to prefetch: when B is read in place, its
// rows are too far apart for the hardware prefetchers, so each row is
// prefetched into L1 16 rows ahead, and the same row of the panel after
// next (128 bytes on) into L2, so that panel's rows are on their way
// before its kernel starts (PFSTART, PFROW; the stores reload DX).

// LOADARGS loads the arguments and clears the sums Y0-Y7.
#define LOADARGS \
	MOVQ k+0(FP), CX     \
	MOVQ a+8(FP), SI     \
	MOVQ rsa+16(FP), R9  \
	SHLQ SHIFT, R9       \
	LEAQ (R9)(R9*2), R10 \
	LEAQ (R9)(R9*4), R11 \
	MOVQ csa+24(FP), R12 \
	SHLQ SHIFT, R12      \
	MOVQ b+32(FP), DI    \
	MOVQ ldb+40(FP), R14 \
	SHLQ SHIFT, R14      \
	LEAQ (R14)(R14*2), R15 \
	MOVQ c+48(FP), DX    \
	MOVQ ldc+56(FP), R8  \
	SHLQ SHIFT, R8       \
	VXOR Y0, Y0, Y0      \
	VXOR Y1, Y1, Y1      \
	VXOR Y2, Y2, Y2      \
	VXOR Y3, Y3, Y3      \
	VXOR Y4, Y4, Y4      \
	VXOR Y5, Y5, Y5      \
	VXOR Y6, Y6, Y6      \
	VXOR Y7, Y7, Y7

// PFSTART points DX at the row of B 16 rows ahead of DI.
#define PFSTART \
	MOVQ R14, DX \
	SHLQ $4, DX  \
	ADDQ DI, DX

// PFROW0 prefetches row DX of B into L1 and the same row of the panel
// after the next into L2; PFROW(I) does so for row DX+I (I a multiple of
// ldb, as (R14*2)).
#define PFROW0 \
	PREFETCHT0 (DX) \
	PREFETCHT1 128(DX)

#define PFROW(I) \
	PREFETCHT0 (DX)I \
	PREFETCHT1 128(DX)I

// PFNEXT moves DX four rows on.
#define PFNEXT \
	LEAQ (DX)(R14*4), DX

// PFEND points DX back at C.
#define PFEND \
	MOVQ c+48(FP), DX

// STEP4 adds column SI of A times row BOFF(DI) of B to rows 0-3 of the
// block and moves SI to the next column.
#define STEP4(B0, B1) \
	VMOVU  B0, Y12            \
	VMOVU  B1, Y13            \
	VBCAST (SI), Y14          \
	VBCAST (SI)(R9*1), Y15    \
	VFMA   Y12, Y14, Y0       \
	VFMA   Y13, Y14, Y1       \
	VFMA   Y12, Y15, Y2       \
	VFMA   Y13, Y15, Y3       \
	VBCAST (SI)(R9*2), Y14    \
	VBCAST (SI)(R10*1), Y15   \
	VFMA   Y12, Y14, Y4       \
	VFMA   Y13, Y14, Y5       \
	VFMA   Y12, Y15, Y6       \
	VFMA   Y13, Y15, Y7       \
	ADDQ   R12, SI

// STEP6 is STEP4 for rows 0-5.
#define STEP6(B0, B1) \
	VMOVU  B0, Y12            \
	VMOVU  B1, Y13            \
	VBCAST (SI), Y14          \
	VBCAST (SI)(R9*1), Y15    \
	VFMA   Y12, Y14, Y0       \
	VFMA   Y13, Y14, Y1       \
	VFMA   Y12, Y15, Y2       \
	VFMA   Y13, Y15, Y3       \
	VBCAST (SI)(R9*2), Y14    \
	VBCAST (SI)(R10*1), Y15   \
	VFMA   Y12, Y14, Y4       \
	VFMA   Y13, Y14, Y5       \
	VFMA   Y12, Y15, Y6       \
	VFMA   Y13, Y15, Y7       \
	VBCAST (SI)(R9*4), Y14    \
	VBCAST (SI)(R11*1), Y15   \
	VFMA   Y12, Y14, Y8       \
	VFMA   Y13, Y14, Y9       \
	VFMA   Y12, Y15, Y10      \
	VFMA   Y13, Y15, Y11      \
	ADDQ   R12, SI

// STOREROW writes row LO, HI of the block to (DX) as
// alpha·block + beta·C (alpha in Y14, beta in Y15) and moves DX to the next
// row of C; it jumps to DONE after the last row to write (BX counts them).
#define STOREROW(LO, HI, DONE) \
	VMUL  Y14, LO, LO     \
	VMUL  Y14, HI, HI     \
	VFMA  (DX), Y15, LO   \
	VFMA  32(DX), Y15, HI \
	VMOVU LO, (DX)        \
	VMOVU HI, 32(DX)      \
	ADDQ  R8, DX          \
	DECQ  BX              \
	JZ    DONE

// STOREROW0 is STOREROW for beta = 0: C is overwritten, never read.
#define STOREROW0(LO, HI, DONE) \
	VMUL  Y14, LO, LO \
	VMUL  Y14, HI, HI \
	VMOVU LO, (DX)    \
	VMOVU HI, 32(DX)  \
	ADDQ  R8, DX      \
	DECQ  BX          \
	JZ    DONE

// BETAZERO jumps to L unless beta is ±0, with alpha in Y14, beta in Y15
// and the number of rows to write in BX.
#define BETAZERO(L) \
	VBCAST ALPHA, Y14      \
	VBCAST BETA, Y15       \
	TESTBETA               \
	MOVQ   rows+64(FP), BX \
	JNZ    L

// ZLOADARGS is LOADARGS for the AVX-512 kernels: it also sets R13 to row 6
// of A and clears Z0-Z7.
#define ZLOADARGS \
	MOVQ   k+0(FP), CX      \
	MOVQ   a+8(FP), SI      \
	MOVQ   rsa+16(FP), R9   \
	SHLQ   SHIFT, R9        \
	LEAQ   (R9)(R9*2), R10  \
	LEAQ   (R9)(R9*4), R11  \
	LEAQ   (SI)(R10*2), R13 \
	MOVQ   csa+24(FP), R12  \
	SHLQ   SHIFT, R12       \
	MOVQ   b+32(FP), DI     \
	MOVQ   ldb+40(FP), R14  \
	SHLQ   SHIFT, R14       \
	LEAQ   (R14)(R14*2), R15 \
	MOVQ   c+48(FP), DX     \
	MOVQ   ldc+56(FP), R8   \
	SHLQ   SHIFT, R8        \
	VPXORQ Z0, Z0, Z0       \
	VPXORQ Z1, Z1, Z1       \
	VPXORQ Z2, Z2, Z2       \
	VPXORQ Z3, Z3, Z3       \
	VPXORQ Z4, Z4, Z4       \
	VPXORQ Z5, Z5, Z5       \
	VPXORQ Z6, Z6, Z6       \
	VPXORQ Z7, Z7, Z7

// ZSTEP8 adds column SI of A times row BOFF(DI) of B to rows 0-7 of the
// block, row i in Zi, broadcasting A from memory, and moves SI and R13 to
// the next column.
#define ZSTEP8(B) \
	VMOVU B, Z16            \
	VFMAB (SI), Z16, Z0        \
	VFMAB (SI)(R9*1), Z16, Z1  \
	VFMAB (SI)(R9*2), Z16, Z2  \
	VFMAB (SI)(R10*1), Z16, Z3 \
	VFMAB (SI)(R9*4), Z16, Z4  \
	VFMAB (SI)(R11*1), Z16, Z5 \
	VFMAB (R13), Z16, Z6       \
	VFMAB (R13)(R9*1), Z16, Z7 \
	ADDQ  R12, SI              \
	ADDQ  R12, R13

// ZSTEP12 is ZSTEP8 for rows 0-11.
#define ZSTEP12(B) \
	VMOVU B, Z16              \
	VFMAB (SI), Z16, Z0          \
	VFMAB (SI)(R9*1), Z16, Z1    \
	VFMAB (SI)(R9*2), Z16, Z2    \
	VFMAB (SI)(R10*1), Z16, Z3   \
	VFMAB (SI)(R9*4), Z16, Z4    \
	VFMAB (SI)(R11*1), Z16, Z5   \
	VFMAB (R13), Z16, Z6         \
	VFMAB (R13)(R9*1), Z16, Z7   \
	VFMAB (R13)(R9*2), Z16, Z8   \
	VFMAB (R13)(R10*1), Z16, Z9  \
	VFMAB (R13)(R9*4), Z16, Z10  \
	VFMAB (R13)(R11*1), Z16, Z11 \
	ADDQ  R12, SI                \
	ADDQ  R12, R13

// ZSTEP16 is ZSTEP8 for rows 0-15, with AX at row 12.
#define ZSTEP16(B) \
	VMOVU B, Z16              \
	VFMAB (SI), Z16, Z0          \
	VFMAB (SI)(R9*1), Z16, Z1    \
	VFMAB (SI)(R9*2), Z16, Z2    \
	VFMAB (SI)(R10*1), Z16, Z3   \
	VFMAB (SI)(R9*4), Z16, Z4    \
	VFMAB (SI)(R11*1), Z16, Z5   \
	VFMAB (R13), Z16, Z6         \
	VFMAB (R13)(R9*1), Z16, Z7   \
	VFMAB (R13)(R9*2), Z16, Z8   \
	VFMAB (R13)(R10*1), Z16, Z9  \
	VFMAB (R13)(R9*4), Z16, Z10  \
	VFMAB (R13)(R11*1), Z16, Z11 \
	VFMAB (AX), Z16, Z12         \
	VFMAB (AX)(R9*1), Z16, Z13   \
	VFMAB (AX)(R9*2), Z16, Z14   \
	VFMAB (AX)(R10*1), Z16, Z15  \
	ADDQ  R12, SI                \
	ADDQ  R12, R13               \
	ADDQ  R12, AX

// ZBETAZERO is BETAZERO with alpha in Z17 and beta in Z18.
#define ZBETAZERO(L) \
	VBCAST ALPHA, Z17      \
	VBCAST BETA, Z18       \
	TESTBETA               \
	MOVQ   rows+64(FP), BX \
	JNZ    L

// ZSTOREROW writes row R of the block to (DX) as alpha·block + beta·C
// (alpha in Z17, beta in Z18) and moves DX to the next row of C; it jumps
// to DONE after the last row to write (BX counts them).
#define ZSTOREROW(R, DONE) \
	VMUL  Z17, R, R    \
	VFMA  (DX), Z18, R \
	VMOVU R, (DX)      \
	ADDQ  R8, DX       \
	DECQ  BX           \
	JZ    DONE

// ZSTOREROW0 is ZSTOREROW for beta = 0.
#define ZSTOREROW0(R, DONE) \
	VMUL  Z17, R, R \
	VMOVU R, (DX)   \
	ADDQ  R8, DX    \
	DECQ  BX        \
	JZ    DONE


// KERNEL6 is the body of the AVX2 kernel of height 6.
#define KERNEL6 \
	LOADARGS                   \
	VXOR Y8, Y8, Y8            \
	VXOR Y9, Y9, Y9            \
	VXOR Y10, Y10, Y10         \
	VXOR Y11, Y11, Y11         \
	                           \
	MOVQ CX, BX                \
	SHRQ $2, BX                \
	JZ   tail6                 \
	                           \
	PFSTART                    \
loop6:                             \
	PFROW0                                  \
	STEP6((DI), 32(DI))                     \
	PFROW((R14*1))                          \
	STEP6((DI)(R14*1), 32(DI)(R14*1))       \
	PFROW((R14*2))                          \
	STEP6((DI)(R14*2), 32(DI)(R14*2))       \
	PFROW((R15*1))                          \
	STEP6((DI)(R15*1), 32(DI)(R15*1))       \
	LEAQ (DI)(R14*4), DI                    \
	PFNEXT                                  \
	DECQ BX                    \
	JNZ  loop6                 \
	                           \
tail6:                             \
	ANDQ $3, CX                \
	JZ   store6                \
	                           \
loop6tail:                         \
	STEP6((DI), 32(DI))                     \
	ADDQ R14, DI                            \
	DECQ CX                    \
	JNZ  loop6tail             \
	                           \
store6:                            \
	PFEND                      \
	BETAZERO(beta6)            \
	STOREROW0(Y0,  Y1, done6)  \
	STOREROW0(Y2,  Y3, done6)  \
	STOREROW0(Y4,  Y5, done6)  \
	STOREROW0(Y6,  Y7, done6)  \
	STOREROW0(Y8,  Y9, done6)  \
	STOREROW0(Y10, Y11, done6) \
	VZEROUPPER                 \
	RET                        \
	                           \
beta6:                             \
	STOREROW(Y0,   Y1, done6)  \
	STOREROW(Y2,   Y3, done6)  \
	STOREROW(Y4,   Y5, done6)  \
	STOREROW(Y6,   Y7, done6)  \
	STOREROW(Y8,   Y9, done6)  \
	STOREROW(Y10,  Y11, done6) \
	                           \
done6:                             \
	VZEROUPPER                 \
	RET

// KERNEL4 is the body of the AVX2 kernel of height 4.
#define KERNEL4 \
	LOADARGS                 \
	                         \
	MOVQ CX, BX              \
	SHRQ $2, BX              \
	JZ   tail4               \
	                         \
	PFSTART                  \
loop4:                           \
	PFROW0                                  \
	STEP4((DI), 32(DI))                     \
	PFROW((R14*1))                          \
	STEP4((DI)(R14*1), 32(DI)(R14*1))       \
	PFROW((R14*2))                          \
	STEP4((DI)(R14*2), 32(DI)(R14*2))       \
	PFROW((R15*1))                          \
	STEP4((DI)(R15*1), 32(DI)(R15*1))       \
	LEAQ (DI)(R14*4), DI                    \
	PFNEXT                                  \
	DECQ BX                  \
	JNZ  loop4               \
	                         \
tail4:                           \
	ANDQ $3, CX              \
	JZ   store4              \
	                         \
loop4tail:                       \
	STEP4((DI), 32(DI))                     \
	ADDQ R14, DI                            \
	DECQ CX                  \
	JNZ  loop4tail           \
	                         \
store4:                          \
	PFEND                    \
	BETAZERO(beta4)          \
	STOREROW0(Y0, Y1, done4) \
	STOREROW0(Y2, Y3, done4) \
	STOREROW0(Y4, Y5, done4) \
	STOREROW0(Y6, Y7, done4) \
	VZEROUPPER               \
	RET                      \
	                         \
beta4:                           \
	STOREROW(Y0,  Y1, done4) \
	STOREROW(Y2,  Y3, done4) \
	STOREROW(Y4,  Y5, done4) \
	STOREROW(Y6,  Y7, done4) \
	                         \
done4:                           \
	VZEROUPPER               \
	RET

// ZKERNEL16 is the body of the AVX-512 kernel of height 16.
#define ZKERNEL16 \
	ZLOADARGS               \
	LEAQ   (R13)(R10*2), AX \
	VPXORQ Z8, Z8, Z8       \
	VPXORQ Z9, Z9, Z9       \
	VPXORQ Z10, Z10, Z10    \
	VPXORQ Z11, Z11, Z11    \
	VPXORQ Z12, Z12, Z12    \
	VPXORQ Z13, Z13, Z13    \
	VPXORQ Z14, Z14, Z14    \
	VPXORQ Z15, Z15, Z15    \
	                        \
	MOVQ   CX, BX           \
	SHRQ   $2, BX           \
	JZ     tail16           \
	                        \
	PFSTART                 \
loop16:                         \
	PFROW0                                  \
	ZSTEP16((DI))                           \
	PFROW((R14*1))                          \
	ZSTEP16((DI)(R14*1))                    \
	PFROW((R14*2))                          \
	ZSTEP16((DI)(R14*2))                    \
	PFROW((R15*1))                          \
	ZSTEP16((DI)(R15*1))                    \
	LEAQ (DI)(R14*4), DI                    \
	PFNEXT                                  \
	DECQ   BX               \
	JNZ    loop16           \
	                        \
tail16:                         \
	ANDQ   $3, CX           \
	JZ     store16          \
	                        \
loop16tail:                     \
	ZSTEP16((DI))                           \
	ADDQ R14, DI                            \
	DECQ   CX               \
	JNZ    loop16tail       \
	                        \
store16:                        \
	PFEND                   \
	ZBETAZERO(beta16)       \
	ZSTOREROW0(Z0,  done16) \
	ZSTOREROW0(Z1,  done16) \
	ZSTOREROW0(Z2,  done16) \
	ZSTOREROW0(Z3,  done16) \
	ZSTOREROW0(Z4,  done16) \
	ZSTOREROW0(Z5,  done16) \
	ZSTOREROW0(Z6,  done16) \
	ZSTOREROW0(Z7,  done16) \
	ZSTOREROW0(Z8,  done16) \
	ZSTOREROW0(Z9,  done16) \
	ZSTOREROW0(Z10, done16) \
	ZSTOREROW0(Z11, done16) \
	ZSTOREROW0(Z12, done16) \
	ZSTOREROW0(Z13, done16) \
	ZSTOREROW0(Z14, done16) \
	ZSTOREROW0(Z15, done16) \
	VZEROUPPER              \
	RET                     \
	                        \
beta16:                         \
	ZSTOREROW(Z0,   done16) \
	ZSTOREROW(Z1,   done16) \
	ZSTOREROW(Z2,   done16) \
	ZSTOREROW(Z3,   done16) \
	ZSTOREROW(Z4,   done16) \
	ZSTOREROW(Z5,   done16) \
	ZSTOREROW(Z6,   done16) \
	ZSTOREROW(Z7,   done16) \
	ZSTOREROW(Z8,   done16) \
	ZSTOREROW(Z9,   done16) \
	ZSTOREROW(Z10,  done16) \
	ZSTOREROW(Z11,  done16) \
	ZSTOREROW(Z12,  done16) \
	ZSTOREROW(Z13,  done16) \
	ZSTOREROW(Z14,  done16) \
	ZSTOREROW(Z15,  done16) \
	                        \
done16:                         \
	VZEROUPPER              \
	RET

// ZKERNEL12 is the body of the AVX-512 kernel of height 12.
#define ZKERNEL12 \
	ZLOADARGS               \
	VPXORQ Z8, Z8, Z8       \
	VPXORQ Z9, Z9, Z9       \
	VPXORQ Z10, Z10, Z10    \
	VPXORQ Z11, Z11, Z11    \
	                        \
	MOVQ   CX, BX           \
	SHRQ   $2, BX           \
	JZ     tail12           \
	                        \
	PFSTART                 \
loop12:                         \
	PFROW0                                  \
	ZSTEP12((DI))                           \
	PFROW((R14*1))                          \
	ZSTEP12((DI)(R14*1))                    \
	PFROW((R14*2))                          \
	ZSTEP12((DI)(R14*2))                    \
	PFROW((R15*1))                          \
	ZSTEP12((DI)(R15*1))                    \
	LEAQ (DI)(R14*4), DI                    \
	PFNEXT                                  \
	DECQ   BX               \
	JNZ    loop12           \
	                        \
tail12:                         \
	ANDQ   $3, CX           \
	JZ     store12          \
	                        \
loop12tail:                     \
	ZSTEP12((DI))                           \
	ADDQ R14, DI                            \
	DECQ   CX               \
	JNZ    loop12tail       \
	                        \
store12:                        \
	PFEND                   \
	ZBETAZERO(beta12)       \
	ZSTOREROW0(Z0,  done12) \
	ZSTOREROW0(Z1,  done12) \
	ZSTOREROW0(Z2,  done12) \
	ZSTOREROW0(Z3,  done12) \
	ZSTOREROW0(Z4,  done12) \
	ZSTOREROW0(Z5,  done12) \
	ZSTOREROW0(Z6,  done12) \
	ZSTOREROW0(Z7,  done12) \
	ZSTOREROW0(Z8,  done12) \
	ZSTOREROW0(Z9,  done12) \
	ZSTOREROW0(Z10, done12) \
	ZSTOREROW0(Z11, done12) \
	VZEROUPPER              \
	RET                     \
	                        \
beta12:                         \
	ZSTOREROW(Z0,   done12) \
	ZSTOREROW(Z1,   done12) \
	ZSTOREROW(Z2,   done12) \
	ZSTOREROW(Z3,   done12) \
	ZSTOREROW(Z4,   done12) \
	ZSTOREROW(Z5,   done12) \
	ZSTOREROW(Z6,   done12) \
	ZSTOREROW(Z7,   done12) \
	ZSTOREROW(Z8,   done12) \
	ZSTOREROW(Z9,   done12) \
	ZSTOREROW(Z10,  done12) \
	ZSTOREROW(Z11,  done12) \
	                        \
done12:                         \
	VZEROUPPER              \
	RET

// ZKERNEL8 is the body of the AVX-512 kernel of height 8.
#define ZKERNEL8 \
	ZLOADARGS             \
	                      \
	MOVQ CX, BX           \
	SHRQ $2, BX           \
	JZ   tail8            \
	                      \
	PFSTART               \
loop8:                        \
	PFROW0                                  \
	ZSTEP8((DI))                            \
	PFROW((R14*1))                          \
	ZSTEP8((DI)(R14*1))                     \
	PFROW((R14*2))                          \
	ZSTEP8((DI)(R14*2))                     \
	PFROW((R15*1))                          \
	ZSTEP8((DI)(R15*1))                     \
	LEAQ (DI)(R14*4), DI                    \
	PFNEXT                                  \
	DECQ BX               \
	JNZ  loop8            \
	                      \
tail8:                        \
	ANDQ $3, CX           \
	JZ   store8           \
	                      \
loop8tail:                    \
	ZSTEP8((DI))                            \
	ADDQ R14, DI                            \
	DECQ CX               \
	JNZ  loop8tail        \
	                      \
store8:                       \
	PFEND                 \
	ZBETAZERO(beta8)      \
	ZSTOREROW0(Z0, done8) \
	ZSTOREROW0(Z1, done8) \
	ZSTOREROW0(Z2, done8) \
	ZSTOREROW0(Z3, done8) \
	ZSTOREROW0(Z4, done8) \
	ZSTOREROW0(Z5, done8) \
	ZSTOREROW0(Z6, done8) \
	ZSTOREROW0(Z7, done8) \
	VZEROUPPER            \
	RET                   \
	                      \
beta8:                        \
	ZSTOREROW(Z0,  done8) \
	ZSTOREROW(Z1,  done8) \
	ZSTOREROW(Z2,  done8) \
	ZSTOREROW(Z3,  done8) \
	ZSTOREROW(Z4,  done8) \
	ZSTOREROW(Z5,  done8) \
	ZSTOREROW(Z6,  done8) \
	ZSTOREROW(Z7,  done8) \
	                      \
done8:                        \
	VZEROUPPER            \
	RET
