package hangul

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/font/sfnt"
)

// TestProvenance checks that the font is the file PROVENANCE.md names.
func TestProvenance(t *testing.T) {
	sum := sha256.Sum256(TTF)
	b, err := os.ReadFile("PROVENANCE.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), hex.EncodeToString(sum[:])) {
		t.Errorf("PROVENANCE.md does not name the sha256 of NanumGothic.ttf, %x", sum)
	}
	if _, err := os.Stat("LICENSE"); err != nil {
		t.Error(err)
	}
}

// TestFont checks that the font parses and has every Hangul syllable.
func TestFont(t *testing.T) {
	start := time.Now()
	f, err := Font()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("parsed in %v", time.Since(start))
	var buf sfnt.Buffer
	missing := 0
	for r := rune(0xAC00); r <= 0xD7A3; r++ { // 가 .. 힣
		if i, err := f.GlyphIndex(&buf, r); err != nil || i == 0 {
			missing++
		}
	}
	for _, r := range "ㄱㅏABCabc0123456789.,()%:-" {
		if i, err := f.GlyphIndex(&buf, r); err != nil || i == 0 {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("%d characters missing", missing)
	}
}
