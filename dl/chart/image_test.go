package chart_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"strings"
	"testing"

	"github.com/dlgo/dlgo/datasets"
	"github.com/dlgo/dlgo/dl"
	"github.com/dlgo/dlgo/dl/chart"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// digitImages returns the first n images of the digits data and captions,
// with every fourth one highlighted and captioned as a wrong prediction,
// in Hangul and wider than the images.
func digitImages(n int) (*dl.Tensor, []string, []bool) {
	x, y := datasets.Digits()
	var captions []string
	var marked []bool
	for i := range n {
		d := y.At(i, 0)
		captions = append(captions, fmt.Sprint(d))
		if i%4 == 3 {
			captions[i] = fmt.Sprintf("%v (정답 %v)", math.Mod(d+1, 10), d)
		}
		marked = append(marked, i%4 == 3)
	}
	return x.Slice(0, n), captions, marked
}

// kernel returns a (3, 3, channels, filters) kernel of fixed values,
// positive and negative.
func kernel(channels, filters int) *dl.Tensor {
	k := dl.Zeros(3, 3, channels, filters)
	for i := range k.Data() {
		k.Data()[i] = math.Sin(float64(i)*1.3) * 0.4
	}
	return k
}

func TestGoldenImages(t *testing.T) {
	x, captions, marked := digitImages(16)
	p, err := chart.Images(x, chart.ImagesOptions{Title: "숫자와 예측", Cols: 8, Captions: captions, Highlight: marked})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "images", func(path string) error { return chart.SaveSize(p, path, 6*vg.Inch, 3*vg.Inch) })
}

func TestGoldenFilters(t *testing.T) {
	p, err := chart.Filters(kernel(1, 16), chart.ImagesOptions{Title: "Conv2D filters", Cols: 8})
	goldenPlot(t, "filters", p, err)
}

// TestImagesPixels checks the colors of single pixels: white for the
// lowest value and black for the highest on the gray scale; blue, white
// and red for negative, 0 and positive filter weights.
func TestImagesPixels(t *testing.T) {
	// one 2×2 image: 0 1 / 2 4
	x := dl.FromSlice([]float64{0, 1, 2, 4}, 1, 2, 2)
	img := pixels(t, dl.Must(chart.Images(x, chart.ImagesOptions{})))
	b := img.Bounds()
	// the image is centered and square: sample the middle of each quarter
	// of the square around the center
	cx, cy := (b.Min.X+b.Max.X)/2, (b.Min.Y+b.Max.Y)/2
	side := min(b.Dx(), b.Dy()) / 4 // about half a pixel cell
	at := func(dx, dy int) color.Color { return img.At(cx+dx*side/2, cy+dy*side/2) }
	for _, c := range []struct {
		name   string
		dx, dy int
		want   uint8
	}{{"0 (top left)", -1, -1, 255}, {"4 (bottom right)", 1, 1, 0}, {"2 (bottom left)", -1, 1, 128}} {
		r, g, bl, _ := at(c.dx, c.dy).RGBA()
		if d := int(r>>8) - int(c.want); d < -2 || d > 2 || r != g || g != bl {
			t.Errorf("pixel %s: %v, want gray %d", c.name, at(c.dx, c.dy), c.want)
		}
	}

	// a 1×3 filter: -1 0 1
	k := dl.FromSlice([]float64{-1, 0, 1}, 1, 3, 1, 1)
	img = pixels(t, dl.Must(chart.Filters(k, chart.ImagesOptions{Captions: []string{""}})))
	b = img.Bounds()
	cx, cy = (b.Min.X+b.Max.X)/2, (b.Min.Y+b.Max.Y)/2
	third := b.Dx() / 4
	left, mid, right := img.At(cx-third, cy), img.At(cx, cy), img.At(cx+third, cy)
	if r, _, bl, _ := left.RGBA(); !(bl > r) {
		t.Errorf("weight -1: %v, want blue", left)
	}
	if r, g, bl, _ := mid.RGBA(); r>>8 < 250 || g>>8 < 250 || bl>>8 < 250 {
		t.Errorf("weight 0: %v, want white", mid)
	}
	if r, _, bl, _ := right.RGBA(); !(r > bl) {
		t.Errorf("weight 1: %v, want red", right)
	}
}

// TestFiltersOrder checks that Filters takes filter f, channel c from
// kernel[ky][kx][c][f], and numbers the captions.
func TestFiltersOrder(t *testing.T) {
	k := dl.Zeros(2, 2, 2, 3)
	k.Set(1, 0, 1, 1, 2) // filter 2, channel 1, row 0, column 1
	for _, opts := range []chart.ImagesOptions{{}, {Captions: []string{"a", "b", "c", "d", "e", "f"}}} {
		if _, err := chart.Filters(k, opts); err != nil {
			t.Fatal(err)
		}
	}
	// 6 images (3 filters × 2 channels); 5 captions is an error that counts them
	if _, err := chart.Filters(k, chart.ImagesOptions{Captions: make([]string, 5)}); err == nil || !strings.Contains(err.Error(), "6 images but 5 captions") {
		t.Errorf("captions: %v", err)
	}
	// the one non-zero weight is the only red pixel: in image 5 (filter 2, channel 1), top right
	img := pixels(t, dl.Must(chart.Filters(k, chart.ImagesOptions{Cols: 6})))
	b := img.Bounds()
	reds := 0
	var at [2]int
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, g, _, _ := img.At(x, y).RGBA(); r>>8 > 150 && g>>8 < 60 {
				if reds == 0 {
					at = [2]int{x, y}
				}
				reds++
			}
		}
	}
	if reds == 0 || at[0] < b.Dx()*5/6 {
		t.Errorf("the red pixel is at %v (of %v), %d red points; want it in the last of 6 images", at, b, reds)
	}
}

func TestImagesErrors(t *testing.T) {
	x := dl.Zeros(2, 3, 3)
	nan := dl.Zeros(1, 2, 2)
	nan.Data()[3] = math.NaN()
	for _, c := range []struct {
		name string
		run  func() (*plot.Plot, error)
		want string
	}{
		{"nil", func() (*plot.Plot, error) { return chart.Images(nil, chart.ImagesOptions{}) }, "the images are nil"},
		{"rank 2", func() (*plot.Plot, error) { return chart.Images(dl.Zeros(4, 64), chart.ImagesOptions{}) },
			"must have shape (n, height, width) or (n, height, width, 1) with n > 0, got (4, 64)"},
		{"3 channels", func() (*plot.Plot, error) { return chart.Images(dl.Zeros(1, 8, 8, 3), chart.ImagesOptions{}) }, "got (1, 8, 8, 3)"},
		{"NaN", func() (*plot.Plot, error) { return chart.Images(nan, chart.ImagesOptions{}) }, "image 0 holds NaN at pixel 3"},
		{"captions", func() (*plot.Plot, error) { return chart.Images(x, chart.ImagesOptions{Captions: []string{"a"}}) }, "2 images but 1 captions"},
		{"highlight", func() (*plot.Plot, error) {
			return chart.Images(x, chart.ImagesOptions{Highlight: []bool{true, false, true}})
		}, "2 images but 3 Highlight values"},
		{"cols", func() (*plot.Plot, error) { return chart.Images(x, chart.ImagesOptions{Cols: -1}) }, "Cols is -1"},
		{"min max", func() (*plot.Plot, error) { return chart.Images(x, chart.ImagesOptions{Min: 2, Max: 1}) }, "Max (1) must be larger than Min (2)"},
		{"diverging max", func() (*plot.Plot, error) { return chart.Images(x, chart.ImagesOptions{Diverging: true, Max: -1}) }, "Max is -1"},
		{"filters nil", func() (*plot.Plot, error) { return chart.Filters(nil, chart.ImagesOptions{}) }, "the kernel is nil"},
		{"filters rank", func() (*plot.Plot, error) { return chart.Filters(dl.Zeros(3, 3), chart.ImagesOptions{}) },
			"must have shape (kh, kw, channels, filters) or (k, channels, filters), got (3, 3)"},
	} {
		p, err := c.run()
		if err == nil || p != nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error containing %q", c.name, err, c.want)
		}
	}
}

// TestImagesConv1D draws a Conv1D kernel (k, channels, filters) as rows.
func TestImagesConv1D(t *testing.T) {
	k := dl.Zeros(5, 1, 4)
	k.Data()[0] = 1
	if _, err := chart.PNG(dl.Must(chart.Filters(k, chart.ImagesOptions{}))); err != nil {
		t.Fatal(err)
	}
}

// pixels draws p as Show does and decodes the PNG.
func pixels(t *testing.T, p *plot.Plot) image.Image {
	t.Helper()
	b, err := chart.PNG(p)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// TestImagesWideCaptions checks that captions too wide for their images
// do not shrink the images away: the images keep at least half the size
// they have without captions, and the captions overlap instead.
func TestImagesWideCaptions(t *testing.T) {
	x := dl.Zeros(10, 8, 8)
	for i := range x.Data() {
		x.Data()[i] = 16 // black
	}
	dark := func(captions []string) int {
		img := pixels(t, dl.Must(chart.Images(x, chart.ImagesOptions{Captions: captions, Max: 16})))
		n := 0
		b := img.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				if r, _, _, _ := img.At(x, y).RGBA(); r>>8 < 40 {
					n++
				}
			}
		}
		return n
	}
	short, long := make([]string, 10), make([]string, 10)
	for i := range short {
		short[i] = fmt.Sprint(i)
		long[i] = "a caption far wider than its image"
	}
	a, b := dark(short), dark(long)
	if b < a/4 { // half the side is a quarter of the area
		t.Errorf("black pixels: %d with short captions, %d with long ones; want at least a quarter", a, b)
	}
}

// TestImagesConstant draws images of one value throughout, and an all-zero
// kernel, white, as matplotlib does when vmin == vmax.
func TestImagesConstant(t *testing.T) {
	x := dl.Zeros(2, 3, 3)
	for i := range x.Data() {
		x.Data()[i] = 7
	}
	for name, p := range map[string]*plot.Plot{
		"images":  dl.Must(chart.Images(x, chart.ImagesOptions{})),
		"filters": dl.Must(chart.Filters(dl.Zeros(3, 3, 1, 4), chart.ImagesOptions{Captions: make([]string, 4)})),
	} {
		img := pixels(t, p)
		b := img.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				if r, g, bl, _ := img.At(x, y).RGBA(); r>>8 < 100 && g>>8 < 100 && bl>>8 < 100 && y > b.Dy()/3 && y < 2*b.Dy()/3 {
					t.Fatalf("%s: dark pixel %v at (%d, %d)", name, img.At(x, y), x, y)
				}
			}
		}
	}
}
