package h5

import (
	"testing"
)

// FuzzDecode checks that decoding arbitrary bytes never panics or hangs, and
// that whatever decodes also survives an Encode/Decode round trip.
func FuzzDecode(f *testing.F) {
	for _, name := range []string{"h5py_tree.h5", "keras_dense.weights.h5"} {
		f.Add(readFile(f, name))
	}
	small := &Group{}
	v := small.RequireGroup("layers/dense/vars")
	v.SetAttr("name", "dense")
	v.AddDataset("0", Float32, []int{2, 2}, []float64{1, 2, 3, 4})
	v.AddDataset("1", Int64, nil, []float64{7}).SetAttr("u", "m")
	b, err := Encode(small)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)

	f.Fuzz(func(t *testing.T, b []byte) {
		g, err := decode(b) // not Decode: a panic must fail the test
		if err != nil {
			if g != nil {
				t.Fatal("decode returned both a tree and an error")
			}
			return
		}
		// Encode may reject a decoded tree (an attribute that is not UTF-8,
		// a 64-bit integer beyond what float64 holds exactly), but whatever
		// it accepts must read back unchanged.
		b2, err := Encode(g)
		if err != nil {
			return
		}
		g2, err := decode(b2)
		if err != nil {
			t.Fatalf("decoding the re-encoded tree: %v", err)
		}
		for _, d := range diffTrees(flatten(g2), flatten(g)) {
			t.Error(d)
		}
	})
}
