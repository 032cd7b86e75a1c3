package dl

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
)

// orthogonal fills w, a row-major (rows, cols) matrix, with a random
// orthogonal matrix (Keras: initializers.Orthogonal(gain=1.0), the default
// recurrent_initializer of SimpleRNN, LSTM and GRU). A nil rng leaves w
// as it is: the weights are about to be overwritten (LoadModel).
//
// As Keras does, it draws A ~ N(0, 1) of shape (max(rows, cols),
// min(rows, cols)), takes the reduced QR factorization A = QR, multiplies
// each column of Q by the sign of the matching diagonal entry of R (which
// makes the result uniformly distributed over orthogonal matrices) and
// transposes Q if rows < cols. A square result is orthogonal (WᵀW = I); a
// wide one, such as LSTM's (units, 4·units) recurrent kernel, has orthonormal
// rows (WWᵀ = I); a tall one has orthonormal columns.
//
// Q with those signs is the Q of the unique QR factorization whose R has a
// positive diagonal, so any accurate method gives the same matrix up to
// rounding. Up to orthogonalExactWork, Householder QR computes it (gonum's
// LAPACK, the values dl has always produced); above, where Householder in
// pure Go takes seconds (LSTM(1024): a 4096×1024 A), CholeskyQR2 computes
// it with the fast matrix product, and falls back on Householder for the
// rare A too ill-conditioned for it.
func orthogonal(w []float64, rows, cols int, rng *rand.Rand) {
	if rng == nil {
		return
	}
	n, m := max(rows, cols), min(rows, cols)
	a := make([]float64, n*m)
	for i := range a {
		a[i] = rng.NormFloat64()
	}
	if float64(n)*float64(m)*float64(m) > orthogonalExactWork && orthogonalCholesky(w, a, rows, cols) {
		return
	}
	orthogonalHouseholder(w, a, rows, cols)
}

// orthogonalExactWork is the size n·m² of an (n, m) draw up to which
// orthogonal uses Householder QR, whose results are bit for bit those of
// earlier versions of dl: every layer of the lectures and tests (LSTM(256)
// is 1024·256² and takes about 40 ms).
const orthogonalExactWork = 1 << 26

// orthogonalHouseholder writes into w the orthogonal matrix of the (n, m)
// draw a (n = max(rows, cols), m = min), by Householder QR and the reduced
// Q (gonum's Dgeqrf and Dorgqr), overwriting a.
func orthogonalHouseholder(w, a []float64, rows, cols int) {
	n, m := max(rows, cols), min(rows, cols)
	g := blas64.General{Rows: n, Cols: m, Stride: m, Data: a}
	tau := make([]float64, m)
	work := []float64{0}
	lapack64.Geqrf(g, tau, work, -1)
	work = make([]float64, int(work[0]))
	lapack64.Geqrf(g, tau, work, len(work))
	sign := make([]float64, m)
	for j := range sign {
		sign[j] = signum(a[j*m+j]) // R's diagonal
	}
	lapack64.Orgqr(g, tau, work[:1], -1)
	if need := int(work[0]); need > len(work) {
		work = make([]float64, need)
	}
	lapack64.Orgqr(g, tau, work, len(work))
	for i := 0; i < n; i++ {
		for j := 0; j < m; j++ {
			v := sign[j] * a[i*m+j]
			if rows < cols {
				w[j*cols+i] = v
			} else {
				w[i*cols+j] = v
			}
		}
	}
}

// orthogonalCholesky writes into w the orthogonal matrix of the (n, m)
// draw a by CholeskyQR2: with B = Aᵀ (m×n) and LLᵀ = BBᵀ (so L = Rᵀ),
// L⁻¹B = Qᵀ, and a second pass on the result removes the rounding the first
// leaves. It reports false, leaving a unchanged, if B is too ill-conditioned
// for the method (w may have been written).
func orthogonalCholesky(w, a []float64, rows, cols int) bool {
	n, m := max(rows, cols), min(rows, cols)
	b := w // wide: w is B's layout, (m, n)
	if rows >= cols {
		b = make([]float64, m*n)
	}
	for i := 0; i < n; i++ {
		for j := 0; j < m; j++ {
			b[j*n+i] = a[i*m+j]
		}
	}
	if !choleskyQR(b, m, n) {
		return false
	}
	if rows >= cols {
		for j := 0; j < m; j++ {
			for i := 0; i < n; i++ {
				w[i*cols+j] = b[j*n+i]
			}
		}
	}
	return true
}

// cholBlock is the block size of the blocked Cholesky factorization and
// triangular solve.
const cholBlock = 128

// choleskyQR makes the rows of b, an (m, n) matrix with m ≤ n, orthonormal
// by CholeskyQR passes (b ← L⁻¹b with LLᵀ = bbᵀ), which give the Q of the
// QR factorization of bᵀ with a positive diagonal in R. After the first
// pass the rows are orthonormal up to rounding amplified by the square of
// b's condition number; a pass on nearly orthonormal rows (its L has a
// diagonal near 1) leaves them orthonormal to working precision. It
// reports false if the factorization breaks down or does not settle in
// three passes: b is then too ill-conditioned, and the caller uses
// Householder QR.
func choleskyQR(b []float64, m, n int) bool {
	s := newCholScratch(m, n)
	for pass := 0; pass < 3; pass++ {
		s.gram(b)
		if !s.factor() {
			return false
		}
		// The first pass's L estimates b's conditioning: stop before its
		// square swamps the working precision.
		lo, hi := math.Inf(1), 0.0
		for j := 0; j < m; j++ {
			d := s.g[j*m+j]
			lo, hi = min(lo, d), max(hi, d)
		}
		if pass == 0 && lo < 1e-6*hi {
			return false
		}
		s.solve(b)
		if pass > 0 && lo > 0.9 && hi < 1.1 {
			return true
		}
	}
	return false
}

// cholScratch holds the buffers of choleskyQR for an (m, n) matrix.
type cholScratch struct {
	m, n int
	g    []float64 // (m, m): the Gram matrix, then L in its lower triangle
	inv  []float64 // the inverses of L's diagonal blocks, cholBlock² each
	p, q []float64 // (m, cholBlock) panels
	t    []float64 // (m, max(m, n)) products
}

func newCholScratch(m, n int) *cholScratch {
	nb := (m + cholBlock - 1) / cholBlock
	return &cholScratch{m: m, n: n, g: make([]float64, m*m), inv: make([]float64, nb*cholBlock*cholBlock),
		p: make([]float64, m*cholBlock), q: make([]float64, m*cholBlock), t: make([]float64, cholBlock*max(m, n))}
}

// gram sets the lower triangle of g to that of b·bᵀ, a block row at a time.
func (s *cholScratch) gram(b []float64) {
	m, n := s.m, s.n
	for k := 0; k < m; k += cholBlock {
		kb := min(cholBlock, m-k)
		c := k + kb
		gemmT(false, true, kb, c, n, 1, b[k*n:c*n], b[:c*n], 0, s.t[:kb*c])
		for r := 0; r < kb; r++ {
			copy(s.g[(k+r)*m:(k+r)*m+c], s.t[r*c:(r+1)*c])
		}
	}
}

// factor replaces the lower triangle of g by its Cholesky factor L
// (right-looking, by blocks) and stores the inverse of each diagonal block
// of L. It reports false if g is not numerically positive definite.
func (s *cholScratch) factor() bool {
	m, g := s.m, s.g
	for k := 0; k < m; k += cholBlock {
		kb := min(cholBlock, m-k)
		if !cholUnblocked(g[k*m+k:], m, kb) {
			return false
		}
		inv := s.inv[(k/cholBlock)*cholBlock*cholBlock:][:kb*kb]
		invLower(inv, g[k*m+k:], m, kb)
		r := m - k - kb
		if r == 0 {
			break
		}
		// The panel below the diagonal block: L21 = A21·L11⁻ᵀ.
		p, q := s.p[:r*kb], s.q[:r*kb]
		for i := 0; i < r; i++ {
			copy(p[i*kb:(i+1)*kb], g[(k+kb+i)*m+k:][:kb])
		}
		gemmT(false, true, r, kb, kb, 1, p, inv, 0, q)
		for i := 0; i < r; i++ {
			copy(g[(k+kb+i)*m+k:][:kb], q[i*kb:(i+1)*kb])
		}
		// The trailing matrix: A22 -= L21·L21ᵀ, a block row at a time and
		// only on and below the diagonal.
		for i0 := 0; i0 < r; i0 += cholBlock {
			ib := min(cholBlock, r-i0)
			c := i0 + ib
			t := s.t[:ib*c]
			gemmT(false, true, ib, c, kb, 1, q[i0*kb:c*kb], q[:c*kb], 0, t)
			for i := 0; i < ib; i++ {
				row := g[(k+kb+i0+i)*m+k+kb:][:i0+i+1]
				for j := range row {
					row[j] -= t[i*c+j]
				}
			}
		}
	}
	return true
}

// cholUnblocked factors the (kb, kb) block at a (row stride ld) in place:
// its lower triangle becomes L with LLᵀ = A. It reports false if a pivot
// is not positive.
func cholUnblocked(a []float64, ld, kb int) bool {
	for j := 0; j < kb; j++ {
		rj := a[j*ld : j*ld+j]
		d := a[j*ld+j] - dot(rj, rj)
		if !(d > 0) {
			return false
		}
		l := math.Sqrt(d)
		a[j*ld+j] = l
		for i := j + 1; i < kb; i++ {
			a[i*ld+j] = (a[i*ld+j] - dot(a[i*ld:i*ld+j], rj)) / l
		}
	}
	return true
}

// invLower writes to inv (kb×kb, contiguous) the inverse of the lower
// triangular (kb, kb) block l (row stride ld), zeros above the diagonal.
func invLower(inv, l []float64, ld, kb int) {
	clear(inv)
	for j := 0; j < kb; j++ {
		inv[j*kb+j] = 1 / l[j*ld+j]
		for i := j + 1; i < kb; i++ {
			s := 0.0
			for p := j; p < i; p++ {
				s += l[i*ld+p] * inv[p*kb+j]
			}
			inv[i*kb+j] = -s / l[i*ld+i]
		}
	}
}

// solve replaces b by L⁻¹b, a block row at a time: b_k ← L_kk⁻¹(b_k −
// L_k,<k·b_<k), where b_<k is already solved.
func (s *cholScratch) solve(b []float64) {
	m, n, g := s.m, s.n, s.g
	for k := 0; k < m; k += cholBlock {
		kb := min(cholBlock, m-k)
		bk := b[k*n : (k+kb)*n]
		if k > 0 {
			l := s.p[:kb*k]
			for i := 0; i < kb; i++ {
				copy(l[i*k:(i+1)*k], g[(k+i)*m:][:k])
			}
			gemmT(false, false, kb, n, k, -1, l, b[:k*n], 1, bk)
		}
		inv := s.inv[(k/cholBlock)*cholBlock*cholBlock:][:kb*kb]
		t := s.t[:kb*n]
		gemmT(false, false, kb, n, kb, 1, inv, bk, 0, t)
		copy(bk, t)
	}
}

// dot returns the dot product of a and b (len(b) ≥ len(a)).
func dot(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

// signum returns -1, 0 or 1 as x is negative, zero or positive (numpy's sign).
func signum(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}
