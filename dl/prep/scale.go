package prep

import (
	"math"

	"github.com/dlgo/dlgo/dl"
)

// eps is the spacing of float64 values at 1 (NumPy: np.finfo(np.float64).eps).
const eps = 0x1p-52

// MinMaxScaler scales each feature (column) to a given range, by default
// [0, 1] (scikit-learn: sklearn.preprocessing.MinMaxScaler):
//
//	scaler = MinMaxScaler()                       scaler := &prep.MinMaxScaler{}
//	MinMaxScaler(feature_range=(-1, 1))           &prep.MinMaxScaler{FeatureRange: [2]float64{-1, 1}}
//	x = scaler.fit_transform(x)                   x, err = scaler.FitTransform(x)
//	pred = scaler.inverse_transform(pred)         pred, err = scaler.InverseTransform(pred)
//
// Fit learns each column's minimum and maximum, ignoring NaN as
// scikit-learn does; Transform computes x·Scale + Min, so the training
// minimum maps to FeatureRange[0] and the maximum to FeatureRange[1]. A
// constant column (range below 10·eps) maps to FeatureRange[0]. Values
// outside the training range map outside the feature range unless Clip is
// set. NaN passes through Transform unchanged, as in scikit-learn.
//
// The methods take 2-D tensors of shape (samples, features) and return new
// tensors; a 1-D target y must be reshaped with y.Reshape(-1, 1) first.
type MinMaxScaler struct {
	// FeatureRange is the (min, max) range of the transformed data. The zero
	// value means scikit-learn's default (0, 1).
	FeatureRange [2]float64
	// Clip clips transformed values to FeatureRange (scikit-learn: clip=True).
	Clip bool

	// DataMin is each feature's minimum seen by Fit (data_min_).
	DataMin []float64
	// DataMax is each feature's maximum seen by Fit (data_max_).
	DataMax []float64
	// DataRange is DataMax − DataMin (data_range_).
	DataRange []float64
	// Scale is each feature's factor (scale_): (max − min of FeatureRange) / DataRange,
	// with a constant feature's range taken as 1.
	Scale []float64
	// Min is each feature's offset (min_): FeatureRange[0] − DataMin·Scale.
	Min []float64
}

// featureRange returns the range with the zero value meaning (0, 1).
func (s *MinMaxScaler) featureRange() (lo, hi float64) {
	if s.FeatureRange == [2]float64{} {
		return 0, 1
	}
	return s.FeatureRange[0], s.FeatureRange[1]
}

// Fit learns the minimum and maximum of each column of x.
func (s *MinMaxScaler) Fit(x *dl.Tensor) error {
	const op = "MinMaxScaler"
	lo, hi := s.featureRange()
	if !(lo < hi) {
		return errorf(op, "the minimum of FeatureRange must be smaller than its maximum, received (%g, %g)", lo, hi)
	}
	n, f, err := check2D(op, "Fit", x)
	if err != nil {
		return err
	}
	d := x.Data()
	dmin, dmax := make([]float64, f), make([]float64, f)
	for j := range f {
		dmin[j], dmax[j] = math.Inf(1), math.Inf(-1)
		for i := range n {
			v := d[i*f+j]
			if math.IsNaN(v) {
				continue
			}
			dmin[j] = min(dmin[j], v)
			dmax[j] = max(dmax[j], v)
		}
		if dmin[j] > dmax[j] {
			return errorf(op, "column %d of x holds only NaN, so it has no minimum or maximum; drop those rows (Frame.DropNA) or that column", j)
		}
	}
	rng, scale, off := make([]float64, f), make([]float64, f), make([]float64, f)
	for j := range f {
		rng[j] = dmax[j] - dmin[j]
		r := rng[j]
		if r < 10*eps {
			r = 1
		}
		scale[j] = (hi - lo) / r
		off[j] = lo - dmin[j]*scale[j]
	}
	s.DataMin, s.DataMax, s.DataRange, s.Scale, s.Min = dmin, dmax, rng, scale, off
	return nil
}

// Transform scales x with the minimum and maximum learned by Fit.
func (s *MinMaxScaler) Transform(x *dl.Tensor) (*dl.Tensor, error) {
	if err := s.ready("Transform", x); err != nil {
		return nil, err
	}
	lo, hi := s.featureRange()
	out := x.Clone()
	d := out.Data()
	f := len(s.Scale)
	for k, v := range d {
		v = v*s.Scale[k%f] + s.Min[k%f]
		if s.Clip {
			v = min(max(v, lo), hi)
		}
		d[k] = v
	}
	return out, nil
}

// FitTransform fits to x and returns x transformed (scikit-learn: fit_transform).
func (s *MinMaxScaler) FitTransform(x *dl.Tensor) (*dl.Tensor, error) {
	if err := s.Fit(x); err != nil {
		return nil, err
	}
	return s.Transform(x)
}

// InverseTransform undoes Transform: (x − Min) / Scale, giving values in
// the units of the data Fit saw.
func (s *MinMaxScaler) InverseTransform(x *dl.Tensor) (*dl.Tensor, error) {
	if err := s.ready("InverseTransform", x); err != nil {
		return nil, err
	}
	out := x.Clone()
	d := out.Data()
	f := len(s.Scale)
	for k, v := range d {
		d[k] = (v - s.Min[k%f]) / s.Scale[k%f]
	}
	return out, nil
}

// ready checks that the scaler is fitted and that x has its features.
func (s *MinMaxScaler) ready(method string, x *dl.Tensor) error {
	const op = "MinMaxScaler"
	if s.Scale == nil {
		return errorf(op, "call Fit before %s (this MinMaxScaler is not fitted yet)", method)
	}
	_, f, err := check2D(op, method, x)
	if err != nil {
		return err
	}
	if f != len(s.Scale) {
		return errorf(op, "%s: x has %d features, but MinMaxScaler is expecting %d features as input", method, f, len(s.Scale))
	}
	return nil
}

// StandardScaler standardizes each feature (column) to mean 0 and standard
// deviation 1 (scikit-learn: sklearn.preprocessing.StandardScaler):
//
//	scaler = StandardScaler()                     scaler := &prep.StandardScaler{}
//	StandardScaler(with_mean=False)               &prep.StandardScaler{NoMean: true}
//	x_train = scaler.fit_transform(x_train)       xTrain, err = scaler.FitTransform(xTrain)
//	x_test = scaler.transform(x_test)             xTest, err = scaler.Transform(xTest)
//
// Fit learns each column's mean and population variance (ddof=0), ignoring
// NaN as scikit-learn does; Transform computes (x − Mean) / Scale with
// Scale = √Var. A constant column gets Scale 1, so it becomes x − Mean,
// i.e. 0. NaN passes through Transform unchanged.
//
// The methods take 2-D tensors of shape (samples, features) and return new
// tensors; a 1-D target y must be reshaped with y.Reshape(-1, 1) first.
type StandardScaler struct {
	// NoMean skips centering (scikit-learn: with_mean=False).
	NoMean bool
	// NoStd skips scaling to unit variance (scikit-learn: with_std=False).
	NoStd bool

	// Mean is each feature's mean (mean_); nil when both NoMean and NoStd are set.
	Mean []float64
	// Var is each feature's population variance (var_); nil when NoStd is set.
	Var []float64
	// Scale is each feature's standard deviation √Var, 1 for a constant
	// feature (scale_); nil when NoStd is set.
	Scale []float64

	// features is the number of features seen by Fit; 0 before Fit.
	features int
}

// Fit learns the mean and variance of each column of x.
func (s *StandardScaler) Fit(x *dl.Tensor) error {
	const op = "StandardScaler"
	n, f, err := check2D(op, "Fit", x)
	if err != nil {
		return err
	}
	d := x.Data()
	mean, variance, scale := make([]float64, f), make([]float64, f), make([]float64, f)
	for j := range f {
		// scikit-learn's _incremental_mean_and_var for a first batch.
		sum, count := 0.0, 0
		for i := range n {
			if v := d[i*f+j]; !math.IsNaN(v) {
				sum += v
				count++
			}
		}
		if count == 0 {
			return errorf(op, "column %d of x holds only NaN, so it has no mean; drop those rows (Frame.DropNA) or that column", j)
		}
		c := float64(count)
		mean[j] = sum / c
		correction, squares := 0.0, 0.0
		for i := range n {
			if v := d[i*f+j]; !math.IsNaN(v) {
				t := v - mean[j]
				correction += t
				squares += t * t
			}
		}
		variance[j] = (squares - correction*correction/c) / c
		// _is_constant_feature: the variance is within rounding error of 0.
		bound := c*eps*variance[j] + (c*mean[j]*eps)*(c*mean[j]*eps)
		scale[j] = math.Sqrt(variance[j])
		if variance[j] <= bound {
			scale[j] = 1
		}
	}
	s.Mean, s.Var, s.Scale, s.features = mean, variance, scale, f
	if s.NoStd {
		s.Var, s.Scale = nil, nil
		if s.NoMean {
			s.Mean = nil
		}
	}
	return nil
}

// Transform standardizes x with the mean and scale learned by Fit.
func (s *StandardScaler) Transform(x *dl.Tensor) (*dl.Tensor, error) {
	if err := s.ready("Transform", x); err != nil {
		return nil, err
	}
	out := x.Clone()
	d := out.Data()
	f := s.features
	for k, v := range d {
		if !s.NoMean {
			v -= s.Mean[k%f]
		}
		if !s.NoStd {
			v /= s.Scale[k%f]
		}
		d[k] = v
	}
	return out, nil
}

// FitTransform fits to x and returns x transformed (scikit-learn: fit_transform).
func (s *StandardScaler) FitTransform(x *dl.Tensor) (*dl.Tensor, error) {
	if err := s.Fit(x); err != nil {
		return nil, err
	}
	return s.Transform(x)
}

// InverseTransform undoes Transform: x·Scale + Mean.
func (s *StandardScaler) InverseTransform(x *dl.Tensor) (*dl.Tensor, error) {
	if err := s.ready("InverseTransform", x); err != nil {
		return nil, err
	}
	out := x.Clone()
	d := out.Data()
	f := s.features
	for k, v := range d {
		if !s.NoStd {
			v *= s.Scale[k%f]
		}
		if !s.NoMean {
			v += s.Mean[k%f]
		}
		d[k] = v
	}
	return out, nil
}

// ready checks that the scaler is fitted, with the options it was fitted
// with, and that x has its features.
func (s *StandardScaler) ready(method string, x *dl.Tensor) error {
	const op = "StandardScaler"
	if s.features == 0 {
		return errorf(op, "call Fit before %s (this StandardScaler is not fitted yet)", method)
	}
	if (!s.NoMean && s.Mean == nil) || (!s.NoStd && s.Scale == nil) {
		return errorf(op, "%s: NoMean or NoStd was changed after Fit; call Fit again", method)
	}
	_, f, err := check2D(op, method, x)
	if err != nil {
		return err
	}
	if f != s.features {
		return errorf(op, "%s: x has %d features, but StandardScaler is expecting %d features as input", method, f, s.features)
	}
	return nil
}

// check2D checks that x is a non-empty 2-D tensor without infinities, as
// scikit-learn's check_array does, and returns its dimensions.
func check2D(op, method string, x *dl.Tensor) (rows, cols int, err error) {
	if x == nil {
		return 0, 0, errorf(op, "%s: x is nil", method)
	}
	shape := x.Shape()
	switch {
	case len(shape) == 1:
		return 0, 0, errorf(op, "%s: expected a 2-D tensor (samples, features), got a 1-D tensor of shape %s; "+
			"reshape it with x.Reshape(-1, 1) if it holds a single feature (such as a target y) "+
			"or x.Reshape(1, -1) if it holds a single sample", method, dl.ShapeString(shape))
	case len(shape) != 2:
		return 0, 0, errorf(op, "%s: expected a 2-D tensor (samples, features), got a %d-D tensor of shape %s",
			method, len(shape), dl.ShapeString(shape))
	case shape[0] == 0:
		return 0, 0, errorf(op, "%s: x of shape %s has no samples; at least 1 is required", method, dl.ShapeString(shape))
	case shape[1] == 0:
		return 0, 0, errorf(op, "%s: x of shape %s has no features; at least 1 is required", method, dl.ShapeString(shape))
	}
	for k, v := range x.Data() {
		if math.IsInf(v, 0) {
			return 0, 0, errorf(op, "%s: x contains infinity at row %d, column %d", method, k/shape[1], k%shape[1])
		}
	}
	return shape[0], shape[1], nil
}
