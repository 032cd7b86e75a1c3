package chart

import (
	"math"
	"strings"
	"sync"
	"unicode"

	"github.com/dlgo/dlgo/dl/chart/internal/hangul"
	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// HangulTypeface is the typeface under which the package registers the
// Hangul font it bundles, NanumGothic (regular weight, SIL Open Font
// License 1.1), in gonum/plot's font.DefaultCache. A plot's text can name
// it outright, e.g. p.Title.TextStyle.Font.Typeface = chart.HangulTypeface;
// without that, text with Hangul is drawn in it automatically (see
// TextHandler).
const HangulTypeface font.Typeface = "NanumGothic"

// TextHandler is gonum/plot's plain text handler (text.Plain) with a
// fallback font: the characters that a text's own font lacks, such as
// Hangul in Liberation Sans, are drawn in the Hangul font
// (HangulTypeface), so that they show as glyphs rather than boxes, and
// the others in the text's own font, so that digits and Latin letters
// look alike in every label. A line with Hangul takes a little more
// height, so that the lines of a legend do not touch. Text that its own
// font covers is measured and drawn exactly as text.Plain does.
//
// Every plot of this package uses it for all its text: title, axis
// labels, tick labels, legend and cell labels. Importing the package also
// makes it plot.DefaultTextHandler (when that is still gonum's
// text.Plain), so that plots made with plot.New() and labels made with
// plotter.NewLabels afterwards draw Hangul too. Only the regular weight
// is bundled: bold Hangul, as in titles, is drawn three times a fraction
// of a point apart in PNG, JPEG and TIFF images, and left to the viewer's
// font in SVG.
//
// The PNG, JPEG and TIFF formats and SVG show Hangul; gonum/plot's PDF and
// EPS writers do not (they encode text in a Latin code page).
type TextHandler struct {
	// Fonts is the font cache (nil: font.DefaultCache, where the Hangul
	// font is registered).
	Fonts *font.Cache
}

var _ text.Handler = TextHandler{}

func init() {
	f, err := hangul.Font()
	if err != nil {
		panic("chart: the bundled Hangul font is damaged: " + err.Error())
	}
	hangulFont = f
	font.DefaultCache.Add(font.Collection{{Font: font.Font{Typeface: HangulTypeface}, Face: f}})
	if p, ok := plot.DefaultTextHandler.(text.Plain); ok {
		plot.DefaultTextHandler = TextHandler{Fonts: p.Fonts}
	}
}

// hangulFont is the parsed Hangul font, for coverage checks.
var hangulFont *sfnt.Font

// handler is the TextHandler the package's plots use.
var handler = TextHandler{Fonts: font.DefaultCache}

func (h TextHandler) plain() text.Plain {
	if h.Fonts == nil {
		return text.Plain{Fonts: font.DefaultCache}
	}
	return text.Plain{Fonts: h.Fonts}
}

// Cache implements text.Handler.
func (h TextHandler) Cache() *font.Cache { return h.plain().Fonts }

// Extents implements text.Handler: those of fnt itself.
func (h TextHandler) Extents(fnt font.Font) font.Extents { return h.plain().Extents(fnt) }

// Lines implements text.Handler, splitting at newlines.
func (h TextHandler) Lines(txt string) []string { return h.plain().Lines(txt) }

// Box implements text.Handler for one line of text.
func (h TextHandler) Box(txt string, fnt font.Font) (width, height, depth vg.Length) {
	runs := h.runs(txt, fnt)
	if runs == nil {
		return h.plain().Box(txt, fnt)
	}
	for _, r := range runs {
		face := h.Cache().Lookup(r.font, fnt.Size)
		e := face.Extents()
		width += runWidth(face, r)
		height = max(height, e.Ascent)
		depth = max(depth, e.Descent)
	}
	return width, height + hangulLeading*fnt.Size, depth
}

// hangulLeading is the room, in ems, that a line with Hangul takes above
// its font's ascent: Hangul syllables fill the em square, where Latin
// lowercase letters leave room above, so that lines of a legend, spaced
// by their height, would touch without it.
const hangulLeading = 0.25

// Draw implements text.Handler, with the alignment and rotation of
// text.Plain.
func (h TextHandler) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	txt = strings.TrimRight(txt, "\n")
	if txt == "" {
		return
	}
	lines := h.Lines(txt)
	split := make([][]run, len(lines))
	fallback := false
	for i, line := range lines {
		split[i] = h.runs(line, sty.Font)
		fallback = fallback || split[i] != nil
	}
	if !fallback {
		h.plain().Draw(c, txt, sty, pt)
		return
	}

	sty.Handler = h
	cache := h.Cache()
	c.SetColor(sty.Color)
	if sty.Rotation != 0 {
		c.Push()
		c.Rotate(sty.Rotation)
	}
	sin, cos := sincos(sty.Rotation)
	pt.X, pt.Y = pt.Y*sin+pt.X*cos, pt.Y*cos-pt.X*sin
	own := cache.Lookup(sty.Font, sty.Font.Size)
	pt.Y += sty.Height(txt)*vg.Length(sty.YAlign) - own.Extents().Ascent
	for i, line := range lines {
		runs := split[i]
		if runs == nil {
			runs = []run{{line, sty.Font}}
		}
		w, _, _ := h.Box(line, sty.Font)
		p := pt.Add(vg.Point{X: vg.Length(sty.XAlign) * w, Y: vg.Length(len(lines)-i) * sty.Font.Size})
		for _, r := range runs {
			face := cache.Lookup(r.font, sty.Font.Size)
			c.FillString(face, p, r.text)
			if fakeBold(r.font) && raster(c) {
				d := emboldening(sty.Font.Size)
				c.FillString(face, p.Add(vg.Point{X: d / 2}), r.text)
				c.FillString(face, p.Add(vg.Point{X: d}), r.text)
			}
			p.X += runWidth(face, r)
		}
	}
	if sty.Rotation != 0 {
		c.Pop()
	}
}

// sincos returns the sine and cosine of an angle in radians.
func sincos(a float64) (sin, cos vg.Length) {
	s, c := math.Sincos(a)
	return vg.Length(s), vg.Length(c)
}

// fakeBold reports whether a run in fnt is drawn three times, shifted,
// to look bold: the Hangul font has one weight only. The copies stand
// emboldening apart from the first, and half of it.
func fakeBold(fnt font.Font) bool {
	return fnt.Typeface == HangulTypeface && fnt.Weight >= xfont.WeightSemiBold
}

// raster reports whether c draws pixels itself, rather than naming the
// weight of the font to the program that shows the image (SVG).
func raster(c vg.Canvas) bool {
	_, svg := unwrap(c).(*vgsvg.Canvas)
	return !svg
}

// emboldening is how far the last copy of fake bold text stands from the
// first.
func emboldening(size vg.Length) vg.Length { return size / 16 }

// runWidth is the width of a run in face, fake bold included (also where
// it is not drawn, so that a layout does not depend on the format).
func runWidth(face font.Face, r run) vg.Length {
	w := face.Width(r.text)
	if fakeBold(r.font) {
		w += emboldening(face.Font.Size)
	}
	return w
}

// run is a piece of a line drawn in one font.
type run struct {
	text string
	font font.Font
}

// buffers are sfnt buffers for glyph look-ups.
var buffers = sync.Pool{New: func() any { return new(sfnt.Buffer) }}

// runs splits a line into pieces by font: the characters that fnt lacks
// and the Hangul font has go to the Hangul font, the others stay in fnt;
// a space stays with the piece before it. It returns nil when nothing
// goes to the Hangul font.
func (h TextHandler) runs(line string, fnt font.Font) []run {
	ascii := true
	for i := 0; i < len(line); i++ {
		if line[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return nil // every font has ASCII
	}
	hf := hangulFontOf(fnt)
	own := h.Cache().Lookup(fnt, fnt.Size).Face
	if own == nil || !h.Cache().Has(hf) {
		return nil
	}
	buf := buffers.Get().(*sfnt.Buffer)
	defer buffers.Put(buf)
	has := func(f *sfnt.Font, r rune) bool {
		i, err := f.GlyphIndex(buf, r)
		return err == nil && i != 0
	}
	var out []run
	start, cur, fallback := 0, fnt, false
	for i, r := range line {
		f := fnt
		switch {
		case unicode.IsSpace(r):
			f = cur
		case r >= 0x80 && !has(own, r) && has(hangulFont, r):
			f, fallback = hf, true
		}
		if f != cur && i > start {
			out = append(out, run{line[start:i], cur})
			start = i
		}
		cur = f
	}
	if !fallback {
		return nil
	}
	return append(out, run{line[start:], cur})
}

// hangulFontOf returns fnt in the Hangul typeface.
func hangulFontOf(fnt font.Font) font.Font {
	return font.Font{Typeface: HangulTypeface, Style: fnt.Style, Weight: fnt.Weight, Size: fnt.Size}
}
