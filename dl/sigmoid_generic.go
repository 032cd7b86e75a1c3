//go:build !amd64

package dl

// sigmoidSlice sets y[i] = sigmoid(z[i]).
func sigmoidSlice(z, y []float64) {
	for i, v := range z {
		y[i] = sigmoid(v)
	}
}
