package kernels

import (
	"math"
	"unsafe"
)

// The packed product follows the usual blocked scheme, the same for Gemm
// (float64) and Sgemm (float32). op(B) is copied, block by block (at most
// gemmKC rows by a budget of columns), into panels of 64 bytes a row (8
// float64 or 16 float32 columns, gemmWidth) stored row by row, padded with
// zero columns. The assembly micro-kernels multiply a block of 16, 12 or 8
// (AVX-512) or 6 or 4 (AVX2) rows of op(A), read in place through strides
// (so both layouts of A need no copy), by one panel, keeping their block of
// C in registers. gemmHeights chooses the heights that cover the rows
// fastest. Only a last block of rows that is shorter than its kernel is
// copied, padded with zero rows, so that the kernel never reads past A (it
// writes only the rows of C that exist); blocks that stick out of the right
// edge of C go through a small buffer.
//
// A product with few rows of op(A) (at most gemmDirectRows, as a training
// batch's forward product x·W) and B not transposed reads the full panels
// of B in place instead: each panel meets so few blocks of rows that
// copying it costs more than reading its rows where they are, and the
// kernels prefetch them. The sums are the same either way.

const (
	// gemmNR is the width of the blocks of C and the panels of op(B) in
	// float64s, and gemmSNR in float32s: 64 bytes, a ZMM register.
	gemmNR  = 8
	gemmSNR = 16
	// gemmMR is the tallest block of C.
	gemmMR = 16
	// gemmKC bounds the depth of a block, so that a panel of op(B)
	// (gemmKC×gemmNR) stays in the L1 cache while it meets the rows of
	// op(A).
	gemmKC = 256
	// gemmABudget bounds the block of op(A) that the panels of op(B) meet
	// in turn (it should stay in the L2 cache) and gemmBBudget the packed
	// block of op(B), in elements.
	gemmABudget = 48 << 10
	gemmBBudget = 64 << 10
	// gemmDirectRows is the largest number of rows of op(A) for which a
	// product reads B in place rather than packing it.
	gemmDirectRows = 64
)

// gemmHeights[w][r] is the height of the next block of rows when r rows
// are left (r ≤ gemmHeightTable; above, the tallest), with the AVX2
// kernels (w = 0) or with the AVX-512 ones too (w = 1). gemmHeightsFor
// computes the tables.
var gemmHeights = [2][gemmHeightTable + 1]int{
	gemmHeightsFor([]gemmKernelSpeed{{6, 66}, {4, 59}}),
	gemmHeightsFor([]gemmKernelSpeed{{16, 118}, {12, 111}, {8, 105}, {6, 66}, {4, 59}}),
}

// gemmHeightTable is the last number of rows left that gemmHeights lists.
const gemmHeightTable = 64

// gemmKernelSpeed is the height of a micro-kernel and its speed in GFLOPS,
// as measured on one core of an AMD EPYC with AVX-512, with the operands in
// cache (float64; the float32 kernels have the same ratios); only the
// ratios matter.
type gemmKernelSpeed struct {
	h     int
	speed float64
}

// gemmHeightsFor returns the heights that cover each number of rows in the
// least time with the given kernels, tallest first (their first entry),
// counting the padding rows a last block computes in vain.
func gemmHeightsFor(kernels []gemmKernelSpeed) [gemmHeightTable + 1]int {
	var cost [gemmHeightTable + 1]float64
	var next [gemmHeightTable + 1]int
	for r := 1; r <= gemmHeightTable; r++ {
		cost[r] = math.Inf(1)
		for _, k := range kernels {
			if c := float64(k.h)/k.speed + cost[max(0, r-k.h)]; c < cost[r] {
				cost[r], next[r] = c, k.h
			}
		}
	}
	next[0] = kernels[0].h
	return next
}

// gemmFloat is the element type of a product: float64 (Gemm) or float32
// (Sgemm).
type gemmFloat interface{ float32 | float64 }

// gemmWidth returns the width of the panels of op(B) for T: gemmNR or
// gemmSNR.
func gemmWidth[T gemmFloat]() int {
	var z T
	return 64 / int(unsafe.Sizeof(z))
}

// gemmBuf holds the packed blocks of one goroutine for one element type, a
// block of C for the edges and a band of rows of C for GemmRows.
type gemmBuf[T gemmFloat] struct {
	a, b, band []T
	tmp        [gemmMR * gemmSNR]T
}

// gemmScratch holds the packing buffers of one goroutine, for both element
// types.
type gemmScratch struct {
	d gemmBuf[float64]
	s gemmBuf[float32]
}

// gemmBufOf returns the buffers of s for T.
func gemmBufOf[T gemmFloat](s *gemmScratch) *gemmBuf[T] {
	if p, ok := any(&s.d).(*gemmBuf[T]); ok {
		return p
	}
	return any(&s.s).(*gemmBuf[T])
}

// gemmGrow returns buf with at least n elements, reallocating only if it
// is too short.
func gemmGrow[T gemmFloat](buf []T, n int) []T {
	if cap(buf) < n {
		return make([]T, n)
	}
	return buf[:n]
}

// gemmSplit cuts n into the fewest pieces of at most max, of nearly equal
// size rounded up to a multiple of unit, and returns the piece size.
func gemmSplit(n, max, unit int) int {
	pieces := (n + max - 1) / max
	size := (n + pieces - 1) / pieces
	return (size + unit - 1) / unit * unit
}

// height returns the height of the next block of rows when r rows are
// left.
func (g *gemmArgs[T]) height(r int) int {
	w := 0
	if g.wide {
		w = 1
	}
	return gemmHeights[w][min(r, gemmHeightTable)]
}

// micro runs the micro-kernel of height h for T; see gemmKernel6x8.
func (g *gemmArgs[T]) micro(h, k int, a *T, rsa, csa int, b *T, ldb int, c *T, ldc, rows int, beta T) {
	switch a := any(a).(type) {
	case *float64:
		gemmKernels[h](k, a, rsa, csa, any(b).(*float64), ldb, any(c).(*float64), ldc, rows, float64(g.alpha), float64(beta))
	case *float32:
		sgemmKernels[h](k, a, rsa, csa, any(b).(*float32), ldb, any(c).(*float32), ldc, rows, float32(g.alpha), float32(beta))
	}
}

// packed computes rows [r0, r1) and columns [c0, c1) of C with the
// micro-kernels.
func (g *gemmArgs[T]) packed(r0, r1, c0, c1 int, s *gemmBuf[T]) {
	nr := gemmWidth[T]()
	kb := gemmSplit(g.k, gemmKC, 1)
	mb := gemmSplit(r1-r0, max(gemmMR, gemmABudget/kb), 1)
	nb := gemmSplit(c1-c0, max(nr, gemmBBudget/kb/nr*nr), nr)
	s.a = gemmGrow(s.a, (mb+gemmMR)*kb)
	s.b = gemmGrow(s.b, nb*kb)
	direct := !g.tb && r1-r0 <= gemmDirectRows
	for j0 := c0; j0 < c1; j0 += nb {
		nj := min(nb, c1-j0)
		for l0 := 0; l0 < g.k; l0 += kb {
			nl := min(kb, g.k-l0)
			beta := g.beta
			if l0 > 0 {
				beta = 1
			}
			g.packB(s.b, l0, nl, j0, nj, !direct)
			for i0 := r0; i0 < r1; i0 += mb {
				g.rows(s, s.b, g.c, 0, i0, min(mb, r1-i0), l0, nl, j0, nj, beta, direct)
			}
		}
	}
}

// rows computes the product of rows [i0, i0+ni) and columns [l0, l0+nl) of
// op(A) with the block of op(B) packed in bpk (columns [j0, j0+nj)) into
// C; with direct, the full panels of the block are read from B in place.
// Row r of C is at dst[(r-d0)·n:]: dst is g.c and d0 is 0, or dst holds a
// band of rows from d0 on.
func (g *gemmArgs[T]) rows(s *gemmBuf[T], bpk, dst []T, d0, i0, ni, l0, nl, j0, nj int, beta T, direct bool) {
	nr := gemmWidth[T]()
	// Element (i, l) of op(A) is a[i·rs + l·cs].
	rs, cs := g.k, 1
	if g.ta {
		rs, cs = 1, g.m
	}
	// The blocks of rows from first on are copied into s.a, block i at
	// s.a[i·nl:] stored column by column and padded with zero rows
	// (rs = 1, cs = its height): a last block that sticks out of op(A),
	// and all of them if the rows of op(A) are a multiple of 4 KiB apart,
	// where a block's rows, read in place, would contend for the same set
	// of the L1 cache, and enough panels of op(B) meet them to repay the
	// copy.
	first := ni
	if rs*int(unsafe.Sizeof(g.a[0]))%4096 == 0 && nj >= 4*nr {
		first = 0
	}
	for i := 0; i < ni; i += g.height(ni - i) {
		if h := g.height(ni - i); i >= first || i+h > ni {
			first = min(first, i)
			g.packATail(s.a[i*nl:], i0+i, min(h, ni-i), h, l0, nl)
		}
	}
	for j := 0; j < nj; j += nr {
		bp, ldb := &bpk[j*nl], nr
		cols := min(nr, nj-j)
		if direct && cols == nr {
			bp, ldb = &g.b[l0*g.n+j0+j], g.n
		}
		for i := 0; i < ni; {
			h := g.height(ni - i)
			rows := min(h, ni-i)
			ap, ars, acs := &s.a[i*nl], 1, h
			if i < first {
				ap, ars, acs = &g.a[(i0+i)*rs+l0*cs], rs, cs
			}
			if cols == nr {
				g.micro(h, nl, ap, ars, acs, bp, ldb, &dst[(i0+i-d0)*g.n+j0+j], g.n, rows, beta)
			} else {
				g.micro(h, nl, ap, ars, acs, bp, ldb, &s.tmp[0], nr, rows, 0)
				g.merge(s, dst[(i0+i-d0)*g.n+j0+j:], rows, cols, beta)
			}
			i += h
		}
	}
}

// merge adds the rows×cols corner of the block in s.tmp into the block of
// C that starts at dst[0] (its rows g.n apart), as tmp + beta·C.
func (g *gemmArgs[T]) merge(s *gemmBuf[T], dst []T, rows, cols int, beta T) {
	nr := gemmWidth[T]()
	for r := 0; r < rows; r++ {
		c := dst[r*g.n : r*g.n+cols]
		t := s.tmp[r*nr : r*nr+cols]
		if beta == 0 {
			copy(c, t)
			continue
		}
		for q, v := range t {
			c[q] = v + beta*c[q]
		}
	}
}

// packATail copies rows [i0, i0+rows) and columns [l0, l0+nl) of op(A)
// into p as a block of h ≥ rows rows stored column by column, padded with
// zero rows.
func (g *gemmArgs[T]) packATail(p []T, i0, rows, h, l0, nl int) {
	p = p[:h*nl]
	clear(p)
	if g.ta {
		// op(A)[r][l] = a[l·m + r]: the columns are contiguous.
		for l := 0; l < nl; l++ {
			copy(p[h*l:h*l+rows], g.a[(l0+l)*g.m+i0:])
		}
		return
	}
	for r := 0; r < rows; r++ {
		for l, v := range g.a[(i0+r)*g.k+l0 : (i0+r)*g.k+l0+nl] {
			p[h*l+r] = v
		}
	}
}

// packBT packs the first columns of nr rows of a transposed B, row q at
// b[q·ldb:], as gemmPackBT does for float64 and sgemmPackBT for float32,
// and returns how many it packed (k rounded down to a multiple of 4 or 8).
func packBT[T gemmFloat](k int, b *T, ldb int, dst *T) int {
	switch b := any(b).(type) {
	case *float64:
		gemmPackBT(k, b, ldb, any(dst).(*float64))
		return k &^ 3
	case *float32:
		sgemmPackBT(k, b, ldb, any(dst).(*float32))
		return k &^ 7
	}
	return 0
}

// packB copies rows [l0, l0+nl) and columns [j0, j0+nj) of op(B) into dst
// as panels of gemmWidth columns, each stored row by row and padded with
// zero columns; without all, B not being transposed, it copies only the
// last panel if it is not full (the others are read in place).
func (g *gemmArgs[T]) packB(dst []T, l0, nl, j0, nj int, all bool) {
	nr := gemmWidth[T]()
	full := nj / nr
	if !g.tb && full > 0 && all {
		// op(B)[l][q] = b[l·n + q]: the rows of the panels are contiguous.
		_ = g.b[(l0+nl-1)*g.n+j0+full*nr-1]
		_ = dst[full*nr*nl-1]
		size := int(unsafe.Sizeof(dst[0]))
		gemmPackB(nl, unsafe.Pointer(&g.b[l0*g.n+j0]), g.n*size, unsafe.Pointer(&dst[0]), full, nr*nl*size)
	}
	for j := 0; j < nj; j += nr {
		cols := min(nr, nj-j)
		p := dst[j*nl : (j+nr)*nl]
		if !g.tb {
			if cols == nr {
				continue // packed above
			}
			for l := 0; l < nl; l++ {
				d := p[l*nr : l*nr+nr]
				copy(d, g.b[(l0+l)*g.n+j0+j:][:cols])
				clear(d[cols:])
			}
			continue
		}
		// op(B)[l][q] = b[q·k + l]: the columns of the panel are contiguous.
		done := 0
		if cols == nr && nl >= 8 {
			_ = g.b[(j0+j+nr-1)*g.k+l0+nl-1]
			done = packBT(nl, &g.b[(j0+j)*g.k+l0], g.k, &p[0])
		}
		for q := 0; q < nr; q++ {
			if q >= cols {
				for l := done; l < nl; l++ {
					p[l*nr+q] = 0
				}
				continue
			}
			src := g.b[(j0+j+q)*g.k+l0 : (j0+j+q)*g.k+l0+nl]
			for l := done; l < nl; l++ {
				p[l*nr+q] = src[l]
			}
		}
	}
}

// bandRows computes rows [r0, r1) of the product of g, whose op(B) is
// packed whole in g.bp, a block of rows (one kernel's height) at a time
// into s.band, and hands each block to g.each.
func (g *gemmArgs[T]) bandRows(r0, r1 int, s *gemmBuf[T]) {
	s.a = gemmGrow(s.a, (gemmMR+gemmMR)*g.k)
	s.band = gemmGrow(s.band, gemmMR*g.n)
	for i := r0; i < r1; {
		rows := min(g.height(r1-i), r1-i)
		g.rows(s, g.bp, s.band, i, i, rows, 0, g.k, 0, g.n, 0, false)
		g.each(i, i+rows, s.band[:rows*g.n])
		i += rows
	}
}
