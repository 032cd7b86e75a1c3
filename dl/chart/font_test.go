package chart_test

import (
	"bytes"
	"image"
	"testing"

	"github.com/dlgo/dlgo/dl/chart"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

var (
	sans   = font.Font{Typeface: "Liberation", Variant: "Sans", Size: 12}
	nanum  = font.Font{Typeface: chart.HangulTypeface, Size: 12}
	plain  = text.Plain{Fonts: font.DefaultCache}
	hangul = chart.TextHandler{} // the zero value uses font.DefaultCache
)

func TestHangulRegistered(t *testing.T) {
	if !font.DefaultCache.Has(font.Font{Typeface: chart.HangulTypeface}) {
		t.Fatal("the Hangul font is not in font.DefaultCache")
	}
	if _, ok := plot.DefaultTextHandler.(chart.TextHandler); !ok {
		t.Errorf("plot.DefaultTextHandler is %T, want chart.TextHandler", plot.DefaultTextHandler)
	}
	if hangul.Cache() != font.DefaultCache {
		t.Error("the zero TextHandler does not use font.DefaultCache")
	}
}

// TestTextHandlerBox checks that text without Hangul measures as with
// text.Plain, and text with Hangul as in the Hangul font.
func TestTextHandlerBox(t *testing.T) {
	for _, s := range []string{"loss", "val_loss 0.25", "temperature (°C)", "R² = 0.991", ""} {
		w1, h1, d1 := hangul.Box(s, sans)
		w2, h2, d2 := plain.Box(s, sans)
		if w1 != w2 || h1 != h2 || d1 != d2 {
			t.Errorf("Box(%q) = %v %v %v, text.Plain gives %v %v %v", s, w1, h1, d1, w2, h2, d2)
		}
	}
	w1, h1, _ := hangul.Box("검증 손실", sans)
	w2, h2, _ := plain.Box("검증 손실", nanum)
	if w1 != w2 || h1 <= h2 {
		t.Errorf("Box(검증 손실) = %v wide, %v high; the Hangul font gives %v, %v", w1, h1, w2, h2)
	}
	// In a mixed line, the Latin letters and digits keep their font (a
	// space goes with the text before it).
	w1, _, _ = hangul.Box("손실 loss 12", sans)
	a, _, _ := plain.Box("손실 ", nanum)
	b, _, _ := plain.Box("loss 12", sans)
	if w1 != a+b {
		t.Errorf("Box(손실 loss 12) = %v wide, want %v + %v", w1, a, b)
	}
}

// drawText draws s with the style on a small image.
func drawText(s string, sty text.Style) *image.RGBA {
	c := vgimg.NewWith(vgimg.UseWH(2*vg.Inch, 0.5*vg.Inch), vgimg.UseDPI(96))
	dc := draw.New(c)
	dc.FillText(sty, vg.Point{X: 4, Y: 8}, s)
	return c.Image().(*image.RGBA)
}

// TestTextHandlerDraw checks that Hangul is drawn with the glyphs of the
// Hangul font, not the boxes of Liberation Sans.
func TestTextHandlerDraw(t *testing.T) {
	const s = "에포크"
	got := drawText(s, text.Style{Font: sans, Handler: hangul})
	want := drawText(s, text.Style{Font: nanum, Handler: plain})
	boxes := drawText(s, text.Style{Font: sans, Handler: plain})
	t.Logf("ink %d, distance to Nanum %d, to boxes %d", inkDistance(want, nil), inkDistance(got, want), inkDistance(got, boxes))
	// The baselines may differ by a fraction of a pixel (the ascents of
	// the fonts), so compare the ink column by column.
	if d, ink := inkDistance(got, want), inkDistance(want, nil); d > ink/20 {
		t.Errorf("Hangul drawn otherwise than in the Hangul font: ink differs by %d of %d", d, ink)
	}
	if d, ink := inkDistance(got, boxes), inkDistance(boxes, nil); d < ink/5 {
		t.Errorf("Hangul drawn as Liberation Sans draws it (boxes): ink differs by %d of %d", d, ink)
	}
	// Text without Hangul is drawn as text.Plain draws it, rotated too.
	for _, rot := range []float64{0, 1.5707963267948966} {
		sty := text.Style{Font: sans, Rotation: rot, XAlign: draw.XCenter, YAlign: draw.YCenter}
		a, b := sty, sty
		a.Handler, b.Handler = hangul, plain
		if !bytes.Equal(drawText("loss (°C)", a).Pix, drawText("loss (°C)", b).Pix) {
			t.Errorf("rotation %v: Latin text drawn otherwise than by text.Plain", rot)
		}
	}
}

// inkDistance sums, over the columns of two images, the difference of
// their ink (darkness) in the column; with b nil, the ink of a.
func inkDistance(a, b *image.RGBA) int {
	ink := func(img *image.RGBA, x int) int {
		if img == nil {
			return 0
		}
		s := 0
		for y := range img.Bounds().Dy() {
			s += 255 - int(img.Pix[y*img.Stride+4*x])
		}
		return s
	}
	d := 0
	for x := range a.Bounds().Dx() {
		d += max(ink(a, x)-ink(b, x), ink(b, x)-ink(a, x))
	}
	return d
}

// TestHangulSVG checks that an SVG image names the Hangul font for
// Hangul text, which the browser then draws.
func TestHangulSVG(t *testing.T) {
	p, err := chart.HistoryWith(history(), chart.HistoryOptions{XLabel: "에포크"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := chart.Render(p, chart.ShowOptions{Format: "svg"})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("font-family:NanumGothic")) || !bytes.Contains(b, []byte("에포크")) {
		t.Error("the SVG image does not draw 에포크 in NanumGothic")
	}
}
