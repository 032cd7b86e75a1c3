package dl

import (
	"math"
	"sort"
	"strings"

	"github.com/dlgo/dlgo/internal/kernels"
)

// Activation names an activation function, as the strings Keras accepts for
// activation=. A string literal works too: Activation: "relu".
//
// The empty Activation means the layer's Keras default: linear for Dense,
// tanh for recurrent layers.
type Activation string

// The activation functions dl knows, with Keras's definitions.
const (
	Linear    Activation = "linear"     // f(x) = x
	ReLU      Activation = "relu"       // max(x, 0)
	Sigmoid   Activation = "sigmoid"    // 1 / (1 + e^-x)
	Tanh      Activation = "tanh"       // hyperbolic tangent
	Softmax   Activation = "softmax"    // e^x / Σ e^x over the last axis
	ELU       Activation = "elu"        // x if x > 0, else e^x - 1
	SELU      Activation = "selu"       // scale · elu(x, alpha), self-normalizing constants
	LeakyReLU Activation = "leaky_relu" // x if x >= 0, else 0.2·x (Keras 3's default slope)
	GELU      Activation = "gelu"       // x·Φ(x), the exact (erf) form
	Swish     Activation = "swish"      // x·sigmoid(x), also called "silu"
)

// SELU's constants (Klambauer et al., 2017), as Keras defines them.
const (
	seluAlpha = 1.6732632423543772848170429916717
	seluScale = 1.0507009873554804934193349852946
)

// leakySlope is Keras 3's default negative_slope for the "leaky_relu" string.
const leakySlope = 0.2

// actFn is a resolved activation: forward maps pre-activations z to y in
// place of y; backward turns dy into dz given z and y. Both work on rows of
// cols values (softmax needs the rows).
type actFn struct {
	name     Activation
	forward  func(z, y []float64, cols int)
	backward func(z, y, dy, dz []float64, cols int)
	// forward32 and backward32 are forward and backward in float32.
	forward32  func(z, y []float32, cols int)
	backward32 func(z, y, dy, dz []float32, cols int)
}

// actForward applies f to the rows of cols values of z, into y.
func actForward[T float](f *actFn, z, y []T, cols int) {
	if v, ok := any(z).([]float64); ok {
		f.forward(v, any(y).([]float64), cols)
		return
	}
	f.forward32(any(z).([]float32), any(y).([]float32), cols)
}

// actBackward turns dy, the gradient with respect to f's output y, into dz,
// the gradient with respect to its input z (dz may be dy).
func actBackward[T float](f *actFn, z, y, dy, dz []T, cols int) {
	if v, ok := any(z).([]float64); ok {
		f.backward(v, any(y).([]float64), any(dy).([]float64), any(dz).([]float64), cols)
		return
	}
	f.backward32(any(z).([]float32), any(y).([]float32), any(dy).([]float32), any(dz).([]float32), cols)
}

// elementwise builds an actFn from a scalar function and its derivative
// (expressed through z and y, whichever is cheaper).
func elementwise(name Activation, f func(z float64) float64, df func(z, y float64) float64) *actFn {
	return &actFn{
		name: name, forward: mapForward[float64](f), backward: mapBackward[float64](df),
		forward32: mapForward[float32](f), backward32: mapBackward[float32](df),
	}
}

// mapForward returns the forward pass of the scalar function f, computed
// in float64 (see sliceForward).
func mapForward[T float](f func(z float64) float64) func(z, y []T, _ int) {
	return sliceForward[T](func(z, y []float64) {
		for i, v := range z {
			y[i] = f(v)
		}
	})
}

// sliceForward returns the forward pass of f, which computes y from z in
// float64. float32 values are widened a block at a time first: widening
// them one by one between calls of a scalar function makes each call wait
// for the last (the conversion instruction depends on its destination
// register's old value), several times slower.
func sliceForward[T float](f func(z, y []float64)) func(z, y []T, _ int) {
	return func(z, y []T, _ int) {
		if z64, ok := any(z).([]float64); ok {
			f(z64, any(y).([]float64))
			return
		}
		var buf [256]float64
		for i := 0; i < len(z); i += len(buf) {
			b := buf[:min(len(buf), len(z)-i)]
			convert(b, z[i:i+len(b)])
			f(b, b)
			convert(y[i:i+len(b)], b)
		}
	}
}

// mapBackward returns the backward pass of a scalar function with
// derivative df, computed in float64 (float32 values a block at a time, as
// in mapForward).
func mapBackward[T float](df func(z, y float64) float64) func(z, y, dy, dz []T, _ int) {
	return func(z, y, dy, dz []T, _ int) {
		if z64, ok := any(z).([]float64); ok {
			y64, dy64, dz64 := any(y).([]float64), any(dy).([]float64), any(dz).([]float64)
			for i, g := range dy64 {
				dz64[i] = g * df(z64[i], y64[i])
			}
			return
		}
		var zb, yb [128]float64
		for i := 0; i < len(z); i += len(zb) {
			n := min(len(zb), len(z)-i)
			convert(zb[:n], z[i:i+n])
			convert(yb[:n], y[i:i+n])
			for j := range n {
				zb[j] = df(zb[j], yb[j])
			}
			for j := range n {
				dz[i+j] = dy[i+j] * T(zb[j])
			}
		}
	}
}

// positiveMask returns all ones if v > 0 and zero otherwise (for -0 and
// NaN too), computed without a branch: ReLU keeps or clears the bits of a
// value with it.
func positiveMask(v float64) uint64 {
	b := math.Float64bits(v)
	// -int64(b) is negative exactly when b is a positive, non-zero int64;
	// the sign bit of b rules out -0 (whose negation overflows to itself).
	pos := uint64(-int64(b)) >> 63 & ^(b >> 63)
	return -pos
}

// positiveMask32 is positiveMask for float32.
func positiveMask32(v float32) uint32 {
	b := math.Float32bits(v)
	pos := uint32(-int32(b)) >> 31 & ^(b >> 31)
	return -pos
}

// sigmoid is the logistic function. The one formula is exact enough on the
// whole line (exp(-z) overflowing to +Inf gives 0) and has no branch, which
// the processor would mispredict on inputs of either sign.
func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

var activations = map[Activation]*actFn{
	Linear: {
		name: Linear, forward: linearForward[float64], backward: linearBackward[float64],
		forward32: linearForward[float32], backward32: linearBackward[float32],
	},
	ReLU: {
		name: ReLU,
		// The vector kernel does the bulk, with the same masks as the
		// loops, which do the rest.
		forward: func(z, y []float64, _ int) {
			for i := kernels.KeepPositive(y, z, z); i < len(z); i++ {
				y[i] = math.Float64frombits(math.Float64bits(z[i]) & positiveMask(z[i]))
			}
		},
		backward: func(z, _, dy, dz []float64, _ int) {
			for i := kernels.KeepPositive(dz, dy, z); i < len(dy); i++ {
				dz[i] = math.Float64frombits(math.Float64bits(dy[i]) & positiveMask(z[i]))
			}
		},
		forward32: func(z, y []float32, _ int) {
			for i := kernels.KeepPositive32(y, z, z); i < len(z); i++ {
				y[i] = math.Float32frombits(math.Float32bits(z[i]) & positiveMask32(z[i]))
			}
		},
		backward32: func(z, _, dy, dz []float32, _ int) {
			for i := kernels.KeepPositive32(dz, dy, z); i < len(dy); i++ {
				dz[i] = math.Float32frombits(math.Float32bits(dy[i]) & positiveMask32(z[i]))
			}
		},
	},
	Sigmoid: {
		name: Sigmoid, forward: func(z, y []float64, _ int) { sigmoidSlice(z, y) }, backward: sigmoidBackward[float64],
		forward32:  func(z, y []float32, _ int) { sigmoidSlice32(z, y) },
		backward32: sigmoidBackward[float32],
	},
	// tanh's forward pass is vectorized (tanhSlice, bitwise math.Tanh), in
	// float32 too, on float64 blocks; its derivative is 1 - y².
	Tanh: {
		name: Tanh, forward: sliceForward[float64](tanhSlice), backward: tanhBackward[float64],
		forward32: sliceForward[float32](tanhSlice), backward32: mapBackward[float32](func(_, y float64) float64 { return 1 - y*y }),
	},
	ELU: elementwise(ELU,
		func(z float64) float64 {
			if z > 0 {
				return z
			}
			return math.Expm1(z)
		},
		func(z, _ float64) float64 {
			if z > 0 {
				return 1
			}
			return math.Exp(z)
		}),
	SELU: elementwise(SELU,
		func(z float64) float64 {
			if z > 0 {
				return seluScale * z
			}
			return seluScale * seluAlpha * math.Expm1(z)
		},
		func(z, _ float64) float64 {
			if z > 0 {
				return seluScale
			}
			return seluScale * seluAlpha * math.Exp(z)
		}),
	LeakyReLU: elementwise(LeakyReLU,
		func(z float64) float64 {
			if z >= 0 {
				return z
			}
			return leakySlope * z
		},
		func(z, _ float64) float64 {
			if z >= 0 {
				return 1
			}
			return leakySlope
		}),
	GELU: elementwise(GELU,
		func(z float64) float64 { return 0.5 * z * (1 + math.Erf(z/math.Sqrt2)) },
		func(z, _ float64) float64 {
			cdf := 0.5 * (1 + math.Erf(z/math.Sqrt2))
			pdf := math.Exp(-0.5*z*z) / math.Sqrt(2*math.Pi)
			return cdf + z*pdf
		}),
	Swish: elementwise(Swish,
		func(z float64) float64 { return z * sigmoid(z) },
		func(z, _ float64) float64 {
			s := sigmoid(z)
			return s + z*s*(1-s)
		}),
	Softmax: {
		name: Softmax, forward: softmaxForward[float64], backward: softmaxBackward[float64],
		forward32: softmaxForward[float32], backward32: softmaxBackward[float32],
	},
}

func linearForward[T float](z, y []T, _ int) { copy(y, z) }

func linearBackward[T float](_, _, dy, dz []T, _ int) { copy(dz, dy) }

func tanhBackward[T float](_, y, dy, dz []T, _ int) {
	for i, g := range dy {
		dz[i] = g * (1 - y[i]*y[i])
	}
}

func sigmoidBackward[T float](_, y, dy, dz []T, _ int) {
	for i, g := range dy {
		dz[i] = g * y[i] * (1 - y[i])
	}
}

// softmaxForward applies softmax to each row of cols values of z, shifted
// by the row's maximum.
func softmaxForward[T float](z, y []T, cols int) {
	for r := 0; r+cols <= len(z); r += cols {
		zr, yr := z[r:r+cols], y[r:r+cols]
		m := T(math.Inf(-1))
		for _, v := range zr {
			m = max(m, v)
		}
		var s T
		for i, v := range zr {
			yr[i] = T(math.Exp(float64(v - m)))
			s += yr[i]
		}
		for i := range yr {
			yr[i] /= s
		}
	}
}

// softmaxBackward is softmax's Jacobian-vector product, row by row:
// dz = y ⊙ (dy − Σ y·dy).
func softmaxBackward[T float](_, y, dy, dz []T, cols int) {
	for r := 0; r+cols <= len(y); r += cols {
		yr, gr, dr := y[r:r+cols], dy[r:r+cols], dz[r:r+cols]
		var dot T
		for i, v := range yr {
			dot += v * gr[i]
		}
		for i, v := range yr {
			dr[i] = v * (gr[i] - dot)
		}
	}
}

// activationAliases are other spellings Keras accepts.
var activationAliases = map[Activation]Activation{"silu": Swish, "None": Linear}

// resolve returns the activation function for a, with def standing in for "".
func (a Activation) resolve(def Activation) (*actFn, bool) {
	if a == "" {
		a = def
	}
	if alias, ok := activationAliases[a]; ok {
		a = alias
	}
	f, ok := activations[a]
	return f, ok
}

// activationNames lists the accepted names for error messages.
func activationNames() string {
	names := make([]string, 0, len(activations))
	for n := range activations {
		names = append(names, string(n))
	}
	sort.Strings(names)
	return `"` + strings.Join(names, `", "`) + `"`
}
