package prep

import (
	"slices"

	"github.com/dlgo/dlgo/dl"
)

// HStack puts 2-D tensors side by side, the columns of the first, then
// those of the second, and so on (NumPy: np.hstack([a, b]), or
// np.concatenate([a, b], axis=1)). Every tensor must have the same number
// of rows. A 1-D tensor of n values, such as Frame.Vector returns, joins as
// one column, as np.column_stack does (np.hstack would join 1-D arrays end
// to end). It is how a one-hot encoded category joins the numeric features:
//
//	num := dl.Must(cars.Tensor("Cylinders", "Horsepower", "Weight_in_lbs"))
//	origin, _ := prep.OneHot(dl.Must(cars.Strings("Origin")))
//	x := dl.Must(prep.HStack(num, origin)) // np.hstack([num, origin])
//
// The result is a new tensor; the inputs are not changed.
func HStack(tensors ...*dl.Tensor) (*dl.Tensor, error) {
	const op = "HStack"
	if len(tensors) == 0 {
		return nil, errorf(op, "no tensors to stack")
	}
	rows, width := -1, 0
	for k, t := range tensors {
		if t == nil {
			return nil, errorf(op, "tensor %d is nil", k)
		}
		s := t.Shape()
		if len(s) != 1 && len(s) != 2 {
			return nil, errorf(op, "tensor %d has shape %s; HStack joins 2-D tensors (rows, columns) and 1-D columns", k, dl.ShapeString(s))
		}
		if rows >= 0 && s[0] != rows {
			return nil, errorf(op, "tensor %d has %d rows (shape %s), but tensor 0 has %d (shape %s); HStack joins tensors with the same rows",
				k, s[0], dl.ShapeString(s), rows, dl.ShapeString(tensors[0].Shape()))
		}
		rows = s[0]
		w := rowSize(s)
		if len(s) == 1 {
			w = 1
		}
		if w > 0 && rows > (maxValues-rows*width)/w {
			return nil, errorf(op, "the result would have more than %d values", maxValues)
		}
		width += w
	}
	out := dl.Zeros(rows, width)
	d := out.Data()
	at := 0
	for _, t := range tensors {
		src := t.Data()
		w := len(src) / max(rows, 1)
		for i := range rows {
			copy(d[i*width+at:i*width+at+w], src[i*w:(i+1)*w])
		}
		at += w
	}
	return out, nil
}

// VStack puts tensors one under the other, the rows of the first, then
// those of the second, and so on (NumPy: np.vstack([a, b]), or
// np.concatenate([a, b]) for 2-D and higher). Every tensor must have the
// same shape but for its first axis: (n, 4) rows join (m, 4) rows, and
// (n, 4, 1) windows join (m, 4, 1) windows. A 1-D tensor of n values is
// one row of shape (1, n), as in NumPy.
//
// The result is a new tensor; the inputs are not changed.
func VStack(tensors ...*dl.Tensor) (*dl.Tensor, error) {
	const op = "VStack"
	if len(tensors) == 0 {
		return nil, errorf(op, "no tensors to stack")
	}
	var row []int // the shape of one row
	rows, size := 0, 0
	for k, t := range tensors {
		if t == nil {
			return nil, errorf(op, "tensor %d is nil", k)
		}
		s := t.Shape()
		if len(s) == 0 {
			return nil, errorf(op, "tensor %d is a scalar; VStack joins rows", k)
		}
		if len(s) == 1 {
			s = []int{1, s[0]}
		}
		if row == nil {
			row = s[1:]
		} else if !slices.Equal(s[1:], row) {
			return nil, errorf(op, "tensor %d has shape %s, but tensor 0 has rows of shape %s; VStack joins tensors whose shapes differ only in the first axis",
				k, dl.ShapeString(t.Shape()), dl.ShapeString(row))
		}
		if size+t.Size() > maxValues {
			return nil, errorf(op, "the result would have more than %d values", maxValues)
		}
		rows += s[0]
		size += t.Size()
	}
	out := dl.Zeros(append([]int{rows}, row...)...)
	d := out.Data()[:0]
	for _, t := range tensors {
		d = append(d, t.Data()...)
	}
	return out, nil
}
