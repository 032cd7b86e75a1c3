package prep

import "github.com/dlgo/dlgo/dl"

// Temporalize cuts a time series into overlapping windows of timesteps
// consecutive rows, the input an LSTM expects (the lectures' temporalize
// helper):
//
//	x2, y2 = temporalize(x, y, 4)        x2, y2, err := prep.Temporalize(x, y, 4)
//
// x has shape (n, features), or (n,) for one feature; y has shape (n,) or
// (n, 1). Window i holds rows i … i+timesteps−1 of x and is paired with
// y[i+timesteps−1], the label of its last row. The results have shapes
// (n−timesteps+1, timesteps, features) and (n−timesteps+1,), never squeezed.
// With the lecture's y = AvgTemp.shift(-1), the label of a window's last row
// is the value that follows the window, so the model learns to predict the
// next value.
//
// Other courses copy other versions of this helper, which give fewer
// windows for the same data:
//
//   - The original blog version (Chitta Ranjan's LSTM autoencoder
//     tutorial, copied into many course notebooks) loops over
//     range(n−k−1) and takes rows i+2 … i+k+1 with y[i+k+1]: rows 0 and 1
//     never start a window, so it gives n−k−1 windows, and it squeezes
//     away every axis of size 1 (one feature gives (N, k)).
//   - Brownlee's split_sequence pairs X[i:i+k] with the next row's y[i+k],
//     giving n−k windows of an n-row series. On a series of n values that
//     is exactly what Temporalize gives after the lecture's shift(-1) and
//     dropna, which leave n−1 rows and so n−k windows.
//
// It is an error if timesteps < 1, if timesteps exceeds the rows of x, if
// x and y differ in length, or if the windows would hold more than 2²⁸
// values (2 GiB).
func Temporalize(x, y *dl.Tensor, timesteps int) (*dl.Tensor, *dl.Tensor, error) {
	const op = "Temporalize"
	if x == nil || y == nil {
		return nil, nil, errorf(op, "x and y must not be nil")
	}
	xs, ys := x.Shape(), y.Shape()
	var n, f int
	switch len(xs) {
	case 1:
		n, f = xs[0], 1
	case 2:
		n, f = xs[0], xs[1]
	default:
		return nil, nil, errorf(op, "x must have shape (samples,) or (samples, features), received %s", dl.ShapeString(xs))
	}
	if len(ys) != 1 && !(len(ys) == 2 && ys[1] == 1) {
		return nil, nil, errorf(op, "y must have shape (samples,) or (samples, 1), received %s", dl.ShapeString(ys))
	}
	if ys[0] != n {
		return nil, nil, errorf(op, "x has %d rows but y has %d; they must be equal", n, ys[0])
	}
	if timesteps < 1 {
		return nil, nil, errorf(op, "timesteps=%d must be at least 1", timesteps)
	}
	if timesteps > n {
		return nil, nil, errorf(op, "timesteps=%d is larger than the %d rows of x", timesteps, n)
	}
	if f == 0 {
		return nil, nil, errorf(op, "x of shape %s has no features", dl.ShapeString(xs))
	}
	windows := n - timesteps + 1
	if windows > maxValues/timesteps/f {
		return nil, nil, errorf(op, "the windows would hold %d × %d × %d values, more than %d (2 GiB): each of the %d windows copies %d rows; "+
			"use fewer timesteps, or fewer rows at a time", windows, timesteps, f, maxValues, windows, timesteps)
	}
	outX, outY := dl.Zeros(windows, timesteps, f), dl.Zeros(windows)
	xd, yd := x.Data(), y.Data()
	for i := range windows {
		copy(outX.Data()[i*timesteps*f:(i+1)*timesteps*f], xd[i*f:(i+timesteps)*f])
		outY.Data()[i] = yd[i+timesteps-1]
	}
	return outX, outY, nil
}
