// Package hangul bundles NanumGothic, a TrueType font with the Hangul
// syllables and jamo as well as Latin letters, digits and punctuation, so
// that package chart draws Korean text on machines with no fonts
// installed. The font file is NanumGothic.ttf from Debian's fonts-nanum
// package, unchanged; PROVENANCE.md names the version and checksum, and
// LICENSE is the package's copyright file (SIL Open Font License 1.1).
package hangul

import (
	_ "embed" // for the font file
	"sync"

	"golang.org/x/image/font/opentype"
)

// TTF is the content of NanumGothic.ttf (regular weight).
//
//go:embed NanumGothic.ttf
var TTF []byte

var (
	once   sync.Once
	parsed *opentype.Font
	err    error
)

// Font returns TTF parsed, once. The error is for a damaged file only.
func Font() (*opentype.Font, error) {
	once.Do(func() { parsed, err = opentype.Parse(TTF) })
	return parsed, err
}
