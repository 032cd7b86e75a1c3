package datasets_test

import (
	"fmt"
	"strings"

	"github.com/dlgo/dlgo/datasets"
)

// Digits returns the images as (n, 8, 8, 1), ready for a Conv2D layer, and
// the digits as (n, 1). Here the first image is drawn with one character per
// pixel, darker for larger values.
func ExampleDigits() {
	x, y := datasets.Digits()
	fmt.Println("images:", x.Shape(), "labels:", y.Shape())
	fmt.Println("first image, digit", y.At(0, 0))
	shades := []rune(" .:-=+*#%@")
	for r := range 8 {
		var b strings.Builder
		for c := range 8 {
			b.WriteRune(shades[int(x.At(0, r, c, 0))*(len(shades)-1)/16])
		}
		fmt.Println("|" + b.String() + "|")
	}
	// Output:
	// images: [1797 8 8 1] labels: [1797 1]
	// first image, digit 0
	// |  :#+   |
	// |  #%+%: |
	// | .%. *= |
	// | :*  == |
	// | :=  += |
	// | :*  *- |
	// | .#:+*  |
	// |  -#+   |
}
