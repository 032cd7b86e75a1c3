package h5

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

// TestDecodeLimited checks the bound on the number of decoded values.
func TestDecodeLimited(t *testing.T) {
	root := &Group{}
	v := root.RequireGroup("layers/dense/vars")
	v.AddDataset("0", Float32, []int{2, 3}, []float64{1, 2, 3, 4, 5, 6})
	v.AddDataset("1", Uint8, []int{4}, []float64{1, 2, 3, 4}) // one byte each in the file, eight decoded
	b, err := Encode(root)
	if err != nil {
		t.Fatal(err)
	}
	g, err := DecodeLimited(b, 10)
	if err != nil {
		t.Fatalf("exactly at the limit: %v", err)
	}
	mustDataset(t, g, "layers/dense/vars/1", Uint8, []int{4})
	_, err = DecodeLimited(b, 9)
	if !errors.Is(err, ErrFormat) || !errors.Is(err, ErrTooManyValues) || !strings.Contains(err.Error(), "more than 9 values") {
		t.Errorf("one value beyond the limit: %v", err)
	}
	if _, err := DecodeLimited(b, -1); !errors.Is(err, ErrFormat) {
		t.Errorf("a negative limit: %v", err)
	}
}

// TestDecodeUnallocated checks that a dataset whose storage was never
// written (an undefined address) reads as zeros.
func TestDecodeUnallocated(t *testing.T) {
	b, err := Encode(&Group{Datasets: []*Dataset{{Name: "x", Shape: []int{3}, Data: []float64{1, 2, 3}}}})
	if err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	snod := bytes.Index(b, []byte("SNOD"))
	hdr := int(le.Uint64(b[snod+8+8:]))
	// Version 1 object header: 16 bytes, then messages of type (2 bytes),
	// size (2), flags (1), reserved (3) and data.
	found := false
	for p, n := hdr+16, int(le.Uint16(b[hdr+2:])); n > 0 && p+8 <= len(b); n-- {
		typ, size := le.Uint16(b[p:]), int(le.Uint16(b[p+2:]))
		if typ == msgLayout {
			le.PutUint64(b[p+8+2:], ^uint64(0)) // version, class, then the address
			found = true
			break
		}
		p += 8 + size
	}
	if !found {
		t.Fatal("no layout message")
	}
	g, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	d := mustDataset(t, g, "x", Float64, []int{3})
	if len(d.Data) != 3 || d.Data[0] != 0 || d.Data[1] != 0 || d.Data[2] != 0 {
		t.Errorf("unallocated storage reads %v, want zeros", d.Data)
	}
}

// TestLookupOrder checks Group and Dataset lookups in the byte-wise order
// that Decode returns, in the order of a tree built by hand, and with nil
// entries.
func TestLookupOrder(t *testing.T) {
	built := &Group{}
	names := []string{"dense_2", "dense", "lstm", "dense_10", "dense_1", "a"}
	for _, n := range names {
		built.RequireGroup("layers/"+n).AddDataset("0", Float64, []int{1}, []float64{1})
	}
	b, err := Encode(built)
	if err != nil {
		t.Fatal(err)
	}
	decoded, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	withNil := &Group{Groups: []*Group{nil, {Name: "b"}, nil, {Name: "a"}}}
	for _, g := range []*Group{built, decoded} {
		for _, n := range names {
			if c, ok := g.Group("layers/" + n); !ok || c.Name != n {
				t.Errorf("group layers/%s not found", n)
			}
			if _, ok := g.Dataset("layers/" + n + "/0"); !ok {
				t.Errorf("dataset layers/%s/0 not found", n)
			}
		}
		if _, ok := g.Group("layers/dense_3"); ok {
			t.Errorf("found a group that does not exist")
		}
	}
	for _, n := range []string{"a", "b"} {
		if c, ok := withNil.Group(n); !ok || c.Name != n {
			t.Errorf("with nil entries: group %s not found", n)
		}
	}
}
