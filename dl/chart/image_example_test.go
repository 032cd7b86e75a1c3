package chart_test

import (
	"fmt"

	"github.com/dlgo/dlgo/datasets"
	"github.com/dlgo/dlgo/dl"
	"github.com/dlgo/dlgo/dl/chart"
)

func ExampleImages() {
	x, y := datasets.Digits()
	var captions []string
	for i := range 10 {
		captions = append(captions, fmt.Sprint(y.At(i, 0)))
	}
	p, err := chart.Images(x.Slice(0, 10), chart.ImagesOptions{Title: "The first ten digits", Captions: captions})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Title.Text)
	size(chart.PNG(p))
	// Output:
	// The first ten digits
	// PNG 576×384
}

func ExampleFilters() {
	// A Conv2D kernel as Keras stores it: (kh, kw, channels, filters).
	kernel := dl.Zeros(3, 3, 1, 4)
	for i := range kernel.Data() {
		kernel.Data()[i] = float64(i%5) - 2
	}
	p, err := chart.Filters(kernel, chart.ImagesOptions{Title: "4 filters of 3×3"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Title.Text)
	_, err = chart.Filters(dl.Zeros(3, 3), chart.ImagesOptions{})
	fmt.Println(err)
	// Output:
	// 4 filters of 3×3
	// chart: Filters: the kernel must have shape (kh, kw, channels, filters) or (k, channels, filters), got (3, 3)
}
