package dl

// The numeric routines of the convolution and pooling layers, written once
// for both element types over plain slices. Every image is stored
// channels-last, (height, width, channels), one sample after another; a
// 1-D layer is the 2-D one with height 1.

// window is the geometry of a sliding window (a convolution kernel or a
// pooling window) over channels-last images.
type window struct {
	h, w, c    int // input height, width, channels
	kh, kw     int // window height and width
	sh, sw     int // strides
	padT, padL int // rows and columns of padding before the first input row and column
	oh, ow     int // output height and width
}

// rowSpan returns the input rows [y0, y1) that output row oy's window
// covers, padding left out.
func (g *window) rowSpan(oy int) (y0, y1 int) {
	return max(oy*g.sh-g.padT, 0), min(oy*g.sh-g.padT+g.kh, g.h)
}

// colSpan returns the input columns [x0, x1) that output column ox's
// window covers, padding left out.
func (g *window) colSpan(ox int) (x0, x1 int) {
	return max(ox*g.sw-g.padL, 0), min(ox*g.sw-g.padL+g.kw, g.w)
}

// outSize returns the output length along one axis of length in, for a
// window of size k with stride s, and the padding before the first
// element: Keras's (and XLA's) rule for "valid", "same" and "causal". A
// non-positive size means the window does not fit.
func outSize(in, k, s int, padding string) (out, before int) {
	switch padding {
	case "same":
		out = (in-1)/s + 1
		total := max((out-1)*s+k-in, 0)
		return out, total / 2
	case "causal":
		return (in-1)/s + 1, k - 1
	}
	if in < k {
		return 0, 0
	}
	return (in-k)/s + 1, 0
}

// pointwise reports whether the window is 1×1 with stride 1: its im2col
// matrix is the input itself.
func (g *window) pointwise() bool { return g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 }

// inSize, outPixels and patch are the values per input sample, the output
// positions per sample and the values in one window (a row of im2col).
func (g *window) inSize() int    { return g.h * g.w * g.c }
func (g *window) outPixels() int { return g.oh * g.ow }
func (g *window) patch() int     { return g.kh * g.kw * g.c }

// im2col writes the windows of n samples of x as the rows of cols, an
// (n·oh·ow)×(kh·kw·c) matrix: row (sample, oy, ox) holds the window at
// that output position, in (ky, kx, channel) order, with zeros where it
// covers padding.
func im2col[T float](g *window, x []T, n int, cols []T) {
	c, k := g.c, g.patch()
	row := 0
	for s := 0; s < n; s++ {
		img := x[s*g.inSize() : (s+1)*g.inSize()]
		for oy := 0; oy < g.oh; oy++ {
			for ox := 0; ox < g.ow; ox++ {
				dst := cols[row*k : (row+1)*k]
				row++
				j := 0
				for ky := 0; ky < g.kh; ky++ {
					iy := oy*g.sh - g.padT + ky
					if iy < 0 || iy >= g.h {
						clear(dst[j : j+g.kw*c])
						j += g.kw * c
						continue
					}
					if ix0 := ox*g.sw - g.padL; ix0 >= 0 && ix0+g.kw <= g.w {
						// The window's row lies inside the image: its kw
						// pixels are contiguous.
						off := (iy*g.w + ix0) * c
						copySmall(dst[j:j+g.kw*c], img[off:off+g.kw*c])
						j += g.kw * c
						continue
					}
					for kx := 0; kx < g.kw; kx++ {
						ix := ox*g.sw - g.padL + kx
						if ix < 0 || ix >= g.w {
							clear(dst[j : j+c])
						} else {
							off := (iy*g.w + ix) * c
							copySmall(dst[j:j+c], img[off:off+c])
						}
						j += c
					}
				}
			}
		}
	}
}

// copySmall is copy for the short runs of im2col (a few pixels of a few
// channels), for which a loop is faster than a call of memmove.
func copySmall[T float](dst, src []T) {
	if len(src) >= 16 {
		copy(dst, src)
		return
	}
	dst = dst[:len(src)]
	//lint:ignore S1001 a loop is the point: copy calls memmove, slower for a few values
	for i, v := range src {
		dst[i] = v
	}
}

// col2im is im2col's adjoint: it sets dx, n samples, to the sum over the
// rows of dcols of each window's values at the input position it covers.
func col2im[T float](g *window, dcols []T, n int, dx []T) {
	c, k := g.c, g.patch()
	clear(dx[:n*g.inSize()])
	row := 0
	for s := 0; s < n; s++ {
		img := dx[s*g.inSize() : (s+1)*g.inSize()]
		for oy := 0; oy < g.oh; oy++ {
			for ox := 0; ox < g.ow; ox++ {
				src := dcols[row*k : (row+1)*k]
				row++
				for ky := 0; ky < g.kh; ky++ {
					iy := oy*g.sh - g.padT + ky
					if iy < 0 || iy >= g.h {
						continue
					}
					for kx := 0; kx < g.kw; kx++ {
						ix := ox*g.sw - g.padL + kx
						if ix < 0 || ix >= g.w {
							continue
						}
						d := img[(iy*g.w+ix)*c : (iy*g.w+ix+1)*c]
						v := src[(ky*g.kw+kx)*c : (ky*g.kw+kx+1)*c]
						for i := range d {
							d[i] += v[i]
						}
					}
				}
			}
		}
	}
}

// maxColsValues bounds the im2col buffer of a convolution (8 MiB of
// float64): a batch whose windows take more is convolved a few samples at
// a time, so that memory stays proportional to the layer, not the batch.
// It is a variable for the tests.
var maxColsValues = 1 << 20

// convChunk returns how many samples of a batch the convolution puts
// through im2col at once: all of them when they fit in maxColsValues.
func convChunk(g *window, n int) int {
	per := g.outPixels() * g.patch()
	return max(1, min(n, maxColsValues/max(per, 1)))
}

// convForward computes z = conv(x, kernel) + bias for n samples, the
// kernel a (kh·kw·c)×filters matrix and bias nil or of length filters, z
// being (n·oh·ow)×filters. cols receives the im2col matrix of up to chunk
// samples at a time (convChunk); a pointwise window reads x directly.
func convForward[T float](g *window, x, kernel, bias []T, filters, n, chunk int, cols, z []T) {
	k, p := g.patch(), g.outPixels()
	for s := 0; s < n; s += chunk {
		e := min(n, s+chunk)
		rows := (e - s) * p
		a := x[s*g.inSize() : e*g.inSize()]
		if !g.pointwise() {
			a = cols[:rows*k]
			im2col(g, x[s*g.inSize():e*g.inSize()], e-s, a)
		}
		zc := z[s*p*filters : e*p*filters]
		var beta T
		if bias != nil {
			fillRows(zc, bias)
			beta = 1
		}
		gemmT(false, false, rows, filters, k, 1, a, kernel, beta, zc)
	}
}

// convBackward accumulates the gradients of a convolution from dz, the
// gradient of its pre-activations: kernel's into dkernel, the bias's into
// dbias (if not nil), and, if dx is not nil, sets the input's in dx.
// haveCols says that cols still holds the im2col matrix of the whole batch
// from convForward; otherwise it is rebuilt chunk by chunk. dcols is
// scratch of the same size as cols.
func convBackward[T float](g *window, x, kernel, dz []T, filters, n, chunk int, haveCols bool, cols, dcols, dkernel, dbias, dx []T) {
	k, p := g.patch(), g.outPixels()
	for s := 0; s < n; s += chunk {
		e := min(n, s+chunk)
		rows := (e - s) * p
		a := x[s*g.inSize() : e*g.inSize()]
		if !g.pointwise() {
			a = cols[:rows*k]
			if !haveCols {
				im2col(g, x[s*g.inSize():e*g.inSize()], e-s, a)
			}
		}
		dzc := dz[s*p*filters : e*p*filters]
		gemmT(true, false, k, filters, rows, 1, a, dzc, 1, dkernel)
		if dx == nil {
			continue
		}
		dxc := dx[s*g.inSize() : e*g.inSize()]
		if g.pointwise() {
			gemmT(false, true, rows, k, filters, 1, dzc, kernel, 0, dxc)
			continue
		}
		d := dcols[:rows*k]
		gemmT(false, true, rows, k, filters, 1, dzc, kernel, 0, d)
		col2im(g, d, e-s, dxc)
	}
	if dbias != nil {
		sumRows(dbias, dz, len(dbias))
	}
}

// fillRows copies row into every row of m (len(m) a multiple of len(row)).
func fillRows[T float](m, row []T) {
	for i := 0; i < len(m); i += len(row) {
		copy(m[i:i+len(row)], row)
	}
}

// maxPool sets y, n samples of oh×ow×c, to the maximum of each window of
// x, and arg to the index in x of that maximum: the first in the window's
// row-major order when several are equal, as XLA's gradient picks it.
// Padding never wins.
func maxPool[T float](g *window, x []T, n int, y []T, arg []int) {
	c := g.c
	out := 0
	for s := 0; s < n; s++ {
		base := s * g.inSize()
		for oy := 0; oy < g.oh; oy++ {
			y0, y1 := g.rowSpan(oy)
			for ox := 0; ox < g.ow; ox++ {
				x0, x1 := g.colSpan(ox)
				// The window's first pixel, then each larger value, all
				// channels at once; the larger values are selected without
				// branches, which the CPU could not predict on image data.
				yo, ao := y[out:out+c], arg[out:out+c]
				first := base + (y0*g.w+x0)*c
				copy(yo, x[first:first+c])
				for ch := range ao {
					ao[ch] = first + ch
				}
				for iy := y0; iy < y1; iy++ {
					for ix := x0; ix < x1; ix++ {
						if iy == y0 && ix == x0 {
							continue
						}
						i := base + (iy*g.w+ix)*c
						for ch, v := range x[i : i+c] {
							var gt int
							if v > yo[ch] {
								gt = 1
							}
							yo[ch] = max(yo[ch], v)
							ao[ch] ^= (ao[ch] ^ (i + ch)) & -gt
						}
					}
				}
				out += c
			}
		}
	}
}

// maxPoolBackward sets dx to the gradient of maxPool's input: each output's
// gradient goes to the input that was its maximum.
func maxPoolBackward[T float](dy []T, arg []int, dx []T) {
	clear(dx)
	for o, i := range arg[:len(dy)] {
		dx[i] += dy[o]
	}
}

// avgPool sets y, n samples of oh×ow×c, to the mean of each window of x
// over the inputs it covers: padding is not counted (Keras's "same").
func avgPool[T float](g *window, x []T, n int, y []T) {
	c := g.c
	out := 0
	for s := 0; s < n; s++ {
		base := s * g.inSize()
		for oy := 0; oy < g.oh; oy++ {
			y0, y1 := g.rowSpan(oy)
			for ox := 0; ox < g.ow; ox++ {
				x0, x1 := g.colSpan(ox)
				dst := y[out : out+c]
				clear(dst)
				for iy := y0; iy < y1; iy++ {
					for ix := x0; ix < x1; ix++ {
						src := x[base+(iy*g.w+ix)*c : base+(iy*g.w+ix+1)*c]
						for ch, v := range src {
							dst[ch] += v
						}
					}
				}
				inv := 1 / T((y1-y0)*(x1-x0))
				for ch := range dst {
					dst[ch] *= inv
				}
				out += c
			}
		}
	}
}

// avgPoolBackward sets dx to the gradient of avgPool's input.
func avgPoolBackward[T float](g *window, dy []T, n int, dx []T) {
	c := g.c
	clear(dx[:n*g.inSize()])
	out := 0
	for s := 0; s < n; s++ {
		base := s * g.inSize()
		for oy := 0; oy < g.oh; oy++ {
			y0, y1 := g.rowSpan(oy)
			for ox := 0; ox < g.ow; ox++ {
				x0, x1 := g.colSpan(ox)
				src := dy[out : out+c]
				inv := 1 / T((y1-y0)*(x1-x0))
				for iy := y0; iy < y1; iy++ {
					for ix := x0; ix < x1; ix++ {
						d := dx[base+(iy*g.w+ix)*c : base+(iy*g.w+ix+1)*c]
						for ch, v := range src {
							d[ch] += v * inv
						}
					}
				}
				out += c
			}
		}
	}
}

// globalAvgPool sets y (n×c) to the mean over the pixels of each of the n
// samples of x, each pixels×c.
func globalAvgPool[T float](x []T, n, pixels, c int, y []T) {
	inv := 1 / T(pixels)
	for s := 0; s < n; s++ {
		dst := y[s*c : (s+1)*c]
		clear(dst)
		sumRows(dst, x[s*pixels*c:(s+1)*pixels*c], c)
		for ch := range dst {
			dst[ch] *= inv
		}
	}
}

// globalAvgPoolBackward sets dx to the gradient of globalAvgPool's input.
func globalAvgPoolBackward[T float](dy []T, n, pixels, c int, dx []T) {
	inv := 1 / T(pixels)
	for s := 0; s < n; s++ {
		src := dy[s*c : (s+1)*c]
		for p := 0; p < pixels; p++ {
			d := dx[(s*pixels+p)*c : (s*pixels+p+1)*c]
			for ch, v := range src {
				d[ch] = v * inv
			}
		}
	}
}
