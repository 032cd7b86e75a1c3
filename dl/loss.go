package dl

import (
	"math"
	"sort"
	"strings"
)

// epsilon is Keras's backend.epsilon(), the clipping bound of the
// cross-entropy losses.
const epsilon = 1e-7

// lossFn is a resolved loss. compute returns the batch loss with Keras's
// default reduction ("sum_over_batch_size": the mean over samples of the
// per-sample loss) and, if grad is not nil, writes d(loss)/d(yPred) into it.
// yPred has shape (n, ..., k); yTrue has the same shape, except for sparse
// losses, where it holds n·(...) class indices.
type lossFn struct {
	name   string // as the student wrote it, e.g. "mse"
	class  string // canonical function name, e.g. "mean_squared_error"
	sparse bool   // yTrue holds class indices
}

// lossCanonical maps every accepted spelling to its canonical name (Keras:
// keras.losses.get).
var lossCanonical = map[string]string{
	"mse": "mean_squared_error", "MSE": "mean_squared_error", "mean_squared_error": "mean_squared_error",
	"mae": "mean_absolute_error", "MAE": "mean_absolute_error", "mean_absolute_error": "mean_absolute_error",
	"binary_crossentropy": "binary_crossentropy", "bce": "binary_crossentropy",
	"categorical_crossentropy":        "categorical_crossentropy",
	"sparse_categorical_crossentropy": "sparse_categorical_crossentropy",
}

// lossCompute returns the mean loss of predictions yp against targets yt
// (rows of k values; one class index per row for a sparse loss) and, if g
// is not nil, stores its gradient with respect to yp in g. It sums in
// float64 whatever T is.
func lossCompute[T float](l *lossFn, yt, yp, g []T, k int) float64 {
	inv := 1 / float64(len(yp))
	var s float64
	switch l.class {
	case "mean_squared_error":
		for i, p := range yp {
			d := float64(p) - float64(yt[i])
			s += d * d
			if g != nil {
				g[i] = T(2 * d * inv)
			}
		}
	case "mean_absolute_error":
		for i, p := range yp {
			d := float64(yt[i]) - float64(p)
			s += math.Abs(d)
			if g != nil {
				if d >= 0 {
					g[i] = T(-inv)
				} else {
					g[i] = T(inv)
				}
			}
		}
	case "binary_crossentropy":
		for i, pt := range yp {
			p, y := float64(pt), float64(yt[i])
			q := min(max(p, epsilon), 1-epsilon)
			s -= y*math.Log(q) + (1-y)*math.Log(1-q)
			if g != nil {
				if p > epsilon && p < 1-epsilon {
					g[i] = T(-(y/q - (1-y)/(1-q)) * inv)
				} else {
					g[i] = 0
				}
			}
		}
	default:
		return crossentropy(yt, yp, g, k, l.sparse)
	}
	return s * inv
}

// crossentropy is Keras's categorical cross-entropy on probabilities: each
// row of yPred is renormalized to sum to 1, clipped to [ε, 1-ε], and
// loss = -Σ y·log p, averaged over rows. With sparse, yTrue holds one class
// index per row instead of a one-hot row.
func crossentropy[T float](yt, yp, g []T, k int, sparse bool) float64 {
	rows := len(yp) / k
	inv := 1 / float64(rows)
	var total float64
	for r := 0; r < rows; r++ {
		pr := yp[r*k : (r+1)*k]
		var sum float64
		for _, v := range pr {
			sum += float64(v)
		}
		target := func(i int) float64 {
			if sparse {
				if int(yt[r]) == i {
					return 1
				}
				return 0
			}
			return float64(yt[r*k+i])
		}
		// dot = Σ_i (dL/dq_i)·q_i, needed for the renormalization's gradient.
		var dot float64
		for i, v := range pr {
			y := target(i)
			q := float64(v) / sum
			p := min(max(q, epsilon), 1-epsilon)
			total -= y * math.Log(p)
			if g != nil {
				gi := 0.0
				if q > epsilon && q < 1-epsilon {
					gi = -y / p
				}
				g[r*k+i] = T(gi)
				dot += gi * q
			}
		}
		if g != nil {
			for i := range pr {
				g[r*k+i] = T((float64(g[r*k+i]) - dot) / sum * inv)
			}
		}
	}
	return total * inv
}

// resolveLoss looks a loss up by any of its Keras names.
func resolveLoss(name string) (*lossFn, bool) {
	c, ok := lossCanonical[name]
	if !ok {
		return nil, false
	}
	return &lossFn{name: name, class: c, sparse: c == "sparse_categorical_crossentropy"}, true
}

// lossNames lists the accepted loss names for error messages.
func lossNames() string {
	names := make([]string, 0, len(lossCanonical))
	for n := range lossCanonical {
		names = append(names, n)
	}
	sort.Strings(names)
	return `"` + strings.Join(names, `", "`) + `"`
}
