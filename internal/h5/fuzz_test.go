package h5

import (
	"flag"
	"os"
	"strconv"
	"testing"
)

// TestMain limits how long the fuzzer minimises each new input to 2000
// calls, unless -test.fuzzminimizetime is given. The default (60s) is spent
// in full on HDF5 inputs: minimising an n-byte input tries O(n²) candidates,
// and even a compact file is several kilobytes, so fuzzing would otherwise
// stall for a minute on every input that finds new coverage.
func TestMain(m *testing.M) {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.fuzzminimizetime" })
	if !given {
		if err := flag.Set("test.fuzzminimizetime", "2000x"); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}

// FuzzDecode checks that decoding arbitrary bytes never panics or hangs, and
// that whatever decodes also survives an Encode/Decode round trip.
func FuzzDecode(f *testing.F) {
	// Seeds: the fixture trees and a small Keras-like tree, in compact
	// encodings (see encode) that are a fraction of the size of h5py's
	// files, so mutations are cheaper; and one small file as h5py writes it.
	var seeds []*Group
	for _, name := range []string{"h5py_tree.h5", "keras_dense.weights.h5"} {
		g, err := Decode(readFile(f, name))
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, g)
	}
	small := &Group{}
	v := small.RequireGroup("layers/dense/vars")
	v.SetAttr("name", "dense")
	v.AddDataset("0", Float32, []int{2, 2}, []float64{1, 2, 3, 4})
	v.AddDataset("1", Int64, nil, []float64{7}).SetAttr("u", "m")
	wide := small.RequireGroup("wide")
	for i := range 20 { // three symbol table nodes
		wide.AddDataset(strconv.Itoa(i), Uint8, nil, []float64{float64(i % 256)})
	}
	seeds = append(seeds, small)
	for _, g := range seeds {
		b, err := encode(g, true)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	// h5py's layout: continuation messages, free space in local heaps,
	// fixed-length and numeric attributes.
	f.Add(readFile(f, "h5py_small.h5"))

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
