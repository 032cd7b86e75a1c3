package dl

import (
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// orthogonal fills w, a row-major (rows, cols) matrix, with a random
// orthogonal matrix (Keras: initializers.Orthogonal(gain=1.0), the default
// recurrent_initializer of SimpleRNN, LSTM and GRU).
//
// As Keras does, it draws A ~ N(0, 1) of shape (max(rows, cols),
// min(rows, cols)), takes the reduced QR factorization A = QR, multiplies
// each column of Q by the sign of the matching diagonal entry of R (which
// makes the result uniformly distributed over orthogonal matrices) and
// transposes Q if rows < cols. A square result is orthogonal (WᵀW = I); a
// wide one, such as LSTM's (units, 4·units) recurrent kernel, has orthonormal
// rows (WWᵀ = I); a tall one has orthonormal columns.
func orthogonal(w []float64, rows, cols int, rng *rand.Rand) {
	n, m := max(rows, cols), min(rows, cols)
	a := mat.NewDense(n, m, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < m; j++ {
			a.Set(i, j, rng.NormFloat64())
		}
	}
	var qr mat.QR
	qr.Factorize(a)
	var q, r mat.Dense
	qr.QTo(&q) // the full (n, n) Q; its first m columns are the reduced Q
	qr.RTo(&r)
	for j := 0; j < m; j++ {
		s := signum(r.At(j, j))
		for i := 0; i < n; i++ {
			v := s * q.At(i, j)
			if rows < cols {
				w[j*cols+i] = v
			} else {
				w[i*cols+j] = v
			}
		}
	}
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
