package datasets

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/dlgo/dlgo/dl"
)

//go:embed digits.csv.gz
var digitsCSVGz []byte

// The shape of Digits: 1,797 images of 8×8 pixels, 10 classes.
const (
	DigitsSamples = 1797 // images in Digits
	DigitsSize    = 8    // height and width of one image, in pixels
	DigitsClasses = 10   // the digits 0 to 9
)

// Digits returns the 8×8 handwritten digits (scikit-learn's load_digits,
// the test set of the UCI optical recognition of handwritten digits data):
// x has shape (1797, 8, 8, 1), one grayscale image per row, height × width ×
// 1 channel as Keras's Conv2D expects (channels_last), with integer pixel
// values from 0 (white) to 16 (black); y has shape (1797, 1), the digit each
// image shows, 0 to 9 (for sparse_categorical_crossentropy). Divide x by 16
// to scale the pixels to [0, 1]. Each call returns fresh copies.
//
// In Keras (with scikit-learn):
//
//	digits = load_digits()
//	x = digits.images.reshape(-1, 8, 8, 1)
//	y = digits.target.reshape(-1, 1)
func Digits() (x, y *dl.Tensor) {
	x, y, err := parseDigits(digitsCSVGz)
	if err != nil {
		panic(fmt.Sprintf("datasets: embedded digits.csv.gz: %v", err))
	}
	return x, y
}

// DigitsFeatures returns the names of the 64 pixels of a Digits image in
// row-major order, as scikit-learn names them: pixel_0_0 (row 0, column 0)
// to pixel_7_7. They are the columns of Load("digits"), before target.
func DigitsFeatures() []string {
	names := make([]string, 0, DigitsSize*DigitsSize)
	for r := range DigitsSize {
		for c := range DigitsSize {
			names = append(names, fmt.Sprintf("pixel_%d_%d", r, c))
		}
	}
	return names
}

// parseDigits reads scikit-learn's digits.csv.gz: gzip-compressed CSV
// without a header, one image per line, 64 pixel values (row by row) and
// the digit. It checks every value: pixels are integers 0 to 16, labels 0
// to 9, and there are DigitsSamples lines.
func parseDigits(gz []byte) (x, y *dl.Tensor, err error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, nil, err
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, nil, err
	}
	const pixels = DigitsSize * DigitsSize
	xd := make([]float64, 0, DigitsSamples*pixels)
	yd := make([]float64, 0, DigitsSamples)
	sc := bufio.NewScanner(bytes.NewReader(raw))
	line := 0
	for sc.Scan() {
		line++
		if sc.Text() == "" {
			return nil, nil, fmt.Errorf("line %d is empty", line)
		}
		fields := strings.Split(sc.Text(), ",")
		if len(fields) != pixels+1 {
			return nil, nil, fmt.Errorf("line %d has %d values, want %d (64 pixels and the digit)", line, len(fields), pixels+1)
		}
		for j, s := range fields {
			v, err := strconv.Atoi(strings.TrimSpace(s))
			hi := 16
			if j == pixels {
				hi = DigitsClasses - 1
			}
			if err != nil || v < 0 || v > hi {
				what := fmt.Sprintf("pixel %d", j)
				if j == pixels {
					what = "the digit"
				}
				return nil, nil, fmt.Errorf("line %d: %s is %q, want an integer from 0 to %d", line, what, s, hi)
			}
			if j < pixels {
				xd = append(xd, float64(v))
			} else {
				yd = append(yd, float64(v))
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, nil, err
	}
	if line != DigitsSamples {
		return nil, nil, fmt.Errorf("%d images, want %d", line, DigitsSamples)
	}
	return dl.FromSlice(xd, line, DigitsSize, DigitsSize, 1), dl.FromSlice(yd, line, 1), nil
}
