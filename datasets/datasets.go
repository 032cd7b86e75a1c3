// Package datasets loads the real datasets that dlgo's notebooks and tests
// use. The files are embedded in the package, so a notebook works from any
// directory and needs no network. Provenance and licences are in README.md.
package datasets

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"strconv"

	"github.com/dlgo/dlgo/dl"
)

//go:embed breast_cancer.csv
var breastCancerCSV []byte

// BreastCancerFeatures are the 30 feature names of BreastCancer, in column
// order (scikit-learn's load_breast_cancer().feature_names).
var BreastCancerFeatures = []string{
	"mean radius", "mean texture", "mean perimeter", "mean area", "mean smoothness",
	"mean compactness", "mean concavity", "mean concave points", "mean symmetry", "mean fractal dimension",
	"radius error", "texture error", "perimeter error", "area error", "smoothness error",
	"compactness error", "concavity error", "concave points error", "symmetry error", "fractal dimension error",
	"worst radius", "worst texture", "worst perimeter", "worst area", "worst smoothness",
	"worst compactness", "worst concavity", "worst concave points", "worst symmetry", "worst fractal dimension",
}

// BreastCancer returns the Wisconsin Diagnostic Breast Cancer data
// (scikit-learn's load_breast_cancer): x has shape (569, 30), one row of
// BreastCancerFeatures per tumour; y has shape (569, 1), 1 for benign and 0
// for malignant. Each call returns fresh copies.
func BreastCancer() (x, y *dl.Tensor) {
	r := csv.NewReader(bytes.NewReader(breastCancerCSV))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		panic(fmt.Sprintf("datasets: embedded breast_cancer.csv: %v", err))
	}
	// The first line is scikit-learn's header: n_samples, n_features, class names.
	n, _ := strconv.Atoi(rows[0][0])
	f, _ := strconv.Atoi(rows[0][1])
	rows = rows[1:]
	if len(rows) != n {
		panic(fmt.Sprintf("datasets: embedded breast_cancer.csv has %d rows, its header says %d", len(rows), n))
	}
	x, y = dl.Zeros(n, f), dl.Zeros(n, 1)
	xd, yd := x.Data(), y.Data()
	for i, row := range rows {
		for j := 0; j <= f; j++ {
			v, err := strconv.ParseFloat(row[j], 64)
			if err != nil {
				panic(fmt.Sprintf("datasets: embedded breast_cancer.csv, row %d: %v", i+2, err))
			}
			if j < f {
				xd[i*f+j] = v
			} else {
				yd[i] = v
			}
		}
	}
	return x, y
}
