package h5

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// node is one object of a flattened tree, in the format testdata/h5dump.py
// prints (and that the Go side produces with flatten).
type node struct {
	Kind  string            `json:"kind"`
	Attrs map[string]string `json:"attrs"`
	DType string            `json:"dtype,omitempty"`
	Shape []int             `json:"shape,omitempty"`
	Data  []float64         `json:"data,omitempty"`
}

// UnmarshalJSON accepts "nan", "inf" and "-inf" as data values.
func (n *node) UnmarshalJSON(b []byte) error {
	type plain node
	var v struct {
		plain
		Data []any `json:"data"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*n = node(v.plain)
	n.Data = nil
	for _, x := range v.Data {
		switch x := x.(type) {
		case float64:
			n.Data = append(n.Data, x)
		case string:
			f, err := strconv.ParseFloat(x, 64)
			if err != nil {
				return err
			}
			n.Data = append(n.Data, f)
		default:
			return fmt.Errorf("bad data value %v", x)
		}
	}
	return nil
}

// flatten maps every object path in g ("" for the root) to its description.
func flatten(g *Group) map[string]node {
	out := map[string]node{}
	var walk func(g *Group, prefix string)
	attrs := func(as []Attr) map[string]string {
		m := map[string]string{}
		for _, a := range as {
			m[a.Name] = a.Value
		}
		return m
	}
	walk = func(g *Group, prefix string) {
		out[strings.TrimSuffix(prefix, "/")] = node{Kind: "group", Attrs: attrs(g.Attrs)}
		for _, d := range g.Datasets {
			out[prefix+d.Name] = node{Kind: "dataset", Attrs: attrs(d.Attrs), DType: d.DType.String(),
				Shape: append([]int{}, d.Shape...), Data: append([]float64{}, d.Data...)}
		}
		for _, c := range g.Groups {
			walk(c, prefix+c.Name+"/")
		}
	}
	walk(g, "")
	return out
}

// diffTrees reports the first differences between two flattened trees.
// Values are compared bit for bit (so -0 differs from 0), except that all
// NaNs are equal.
func diffTrees(got, want map[string]node) []string {
	var diffs []string
	keys := map[string]bool{}
	for k := range got {
		keys[k] = true
	}
	for k := range want {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		g, okg := got[k]
		w, okw := want[k]
		switch {
		case !okg:
			diffs = append(diffs, fmt.Sprintf("%q missing", k))
		case !okw:
			diffs = append(diffs, fmt.Sprintf("%q unexpected", k))
		case g.Kind != w.Kind || g.DType != w.DType || !reflect.DeepEqual(g.Attrs, w.Attrs) ||
			fmt.Sprint(g.Shape) != fmt.Sprint(w.Shape) || len(g.Data) != len(w.Data):
			diffs = append(diffs, fmt.Sprintf("%q: got %s %s %v %v (%d values), want %s %s %v %v (%d values)",
				k, g.Kind, g.DType, g.Shape, g.Attrs, len(g.Data), w.Kind, w.DType, w.Shape, w.Attrs, len(w.Data)))
		default:
			for i := range g.Data {
				same := math.Float64bits(g.Data[i]) == math.Float64bits(w.Data[i]) ||
					math.IsNaN(g.Data[i]) && math.IsNaN(w.Data[i])
				if !same {
					diffs = append(diffs, fmt.Sprintf("%q[%d] = %v, want %v", k, i, g.Data[i], w.Data[i]))
					break
				}
			}
		}
		if len(diffs) >= 10 {
			break
		}
	}
	return diffs
}

// checkTree reports every difference between got and want.
func checkTree(t *testing.T, got *Group, want map[string]node) {
	t.Helper()
	for _, d := range diffTrees(flatten(got), want) {
		t.Error(d)
	}
}

// readFile returns the contents of a file in testdata.
func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// readJSON reads an h5dump.py output file from testdata.
func readJSON(t *testing.T, name string) map[string]node {
	t.Helper()
	var m map[string]node
	if err := json.Unmarshal(readFile(t, name), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// decodeFile decodes a file from testdata.
func decodeFile(t *testing.T, name string) *Group {
	t.Helper()
	g, err := Decode(readFile(t, name))
	if err != nil {
		t.Fatalf("Decode(%s): %v", name, err)
	}
	return g
}

// mustDataset returns the dataset at path, checking its type and shape.
func mustDataset(t *testing.T, g *Group, path string, dtype DType, shape []int) *Dataset {
	t.Helper()
	d, ok := g.Dataset(path)
	if !ok {
		t.Fatalf("dataset %q not found", path)
	}
	if d.DType != dtype || fmt.Sprint(d.Shape) != fmt.Sprint(shape) || len(d.Data) != d.Len() {
		t.Fatalf("%q: %v %v with %d values, want %v %v", path, d.DType, d.Shape, len(d.Data), dtype, shape)
	}
	return d
}

// mustAttr checks a string attribute of the group at path.
func mustAttr(t *testing.T, g *Group, path, name, want string) {
	t.Helper()
	sub, ok := g.Group(path)
	if !ok {
		t.Fatalf("group %q not found", path)
	}
	if v, ok := sub.Attr(name); !ok || v != want {
		t.Errorf("%s attr %s = %q (%v), want %q", path, name, v, ok, want)
	}
}

// TestDecodeH5pyTree decodes a Keras-like tree written by h5py.
func TestDecodeH5pyTree(t *testing.T) {
	g := decodeFile(t, "h5py_tree.h5")
	checkTree(t, g, readJSON(t, "h5py_tree.json"))

	// Spot checks independent of the JSON dump.
	k := mustDataset(t, g, "layers/dense/vars/0", Float32, []int{3, 4})
	for i, v := range k.Data {
		if want := float64(i)*0.5 - 2; v != want {
			t.Errorf("kernel[%d] = %v, want %v", i, v, want)
		}
	}
	b := mustDataset(t, g, "layers/dense/vars/1", Float32, []int{4})
	if b.Data[0] != float64(float32(0.1)) {
		t.Errorf("bias[0] = %v", b.Data[0])
	}
	k1 := mustDataset(t, g, "layers/dense_1/vars/0", Float64, []int{4, 1})
	if k1.Data[1] != 1.0/3 {
		t.Errorf("dense_1 kernel[1] = %v", k1.Data[1])
	}
	if d := mustDataset(t, g, "layers/dense_1/vars/1", Float64, []int{1}); d.Data[0] != -1e300 {
		t.Errorf("dense_1 bias = %v", d.Data)
	}
	for _, c := range []struct {
		path  string
		dtype DType
		want  float64
	}{{"optimizer/vars/0", Int64, 7}, {"optimizer/vars/1", Float32, float64(float32(0.001))},
		{"optimizer/vars/2", Int32, -5}, {"optimizer/vars/3", Float64, 2.5}} {
		if d := mustDataset(t, g, c.path, c.dtype, []int{}); d.Data[0] != c.want {
			t.Errorf("%s = %v, want %v", c.path, d.Data[0], c.want)
		}
	}
	mustAttr(t, g, "vars", "name", "sequential")
	mustAttr(t, g, "layers/dense/vars", "name", "dense")
	mustAttr(t, g, "optimizer/vars", "name", "adam")
	mustAttr(t, g, "a/b/c", "name", "nested \u00e9\u2713")
	mustAttr(t, g, "a/b/c", "fixed", "fixed-len")
	if c, _ := g.Group("a/b/c"); len(c.Attrs) != 2 {
		t.Errorf("a/b/c attrs = %v; the numeric attribute should be skipped", c.Attrs)
	}
	drop, ok := g.Group("layers/dropout/vars")
	if !ok || len(drop.Groups)+len(drop.Datasets) != 0 {
		t.Errorf("layers/dropout/vars = %+v, want an empty group", drop)
	}
	ints := mustDataset(t, g, "a/b/c/ints", Int32, []int{2, 3})
	if fmt.Sprint(ints.Data) != "[1 -2 3 4 5 -6]" {
		t.Errorf("ints = %v", ints.Data)
	}
	if d := mustDataset(t, g, "a/b/c/i64", Int64, []int{2}); d.Data[0] != 1<<40 || d.Data[1] != -(1<<40) {
		t.Errorf("i64 = %v", d.Data)
	}
	if d := mustDataset(t, g, "a/b/c/u8", Uint8, []int{2}); d.Data[1] != 255 {
		t.Errorf("u8 = %v", d.Data)
	}
	if d := mustDataset(t, g, "a/b/c/i16", Int16, []int{2}); d.Data[0] != -32768 {
		t.Errorf("i16 = %v", d.Data)
	}
	mustDataset(t, g, "a/b/c/empty", Float32, []int{0, 3})
	if d := mustDataset(t, g, "a/with_attr", Float32, []int{}); d.Data[0] != 1.5 {
		t.Errorf("with_attr = %v", d.Data)
	} else if u, _ := d.Attr("unit"); u != "m" {
		t.Errorf("with_attr unit = %q", u)
	}
}

// TestDecodeH5pyWide decodes an h5py group whose B-tree has two levels.
func TestDecodeH5pyWide(t *testing.T) {
	raw := readFile(t, "h5py_wide.h5")
	// More symbol table nodes than one B-tree node can hold: the group's
	// B-tree has an internal level.
	if n := bytes.Count(raw, []byte("SNOD")); n <= 2*internalK {
		t.Fatalf("fixture has only %d symbol table nodes", n)
	}
	g, err := Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	w, ok := g.Group("wide")
	if !ok || len(w.Datasets) != 300 {
		t.Fatalf("wide group: %v", ok)
	}
	names := make([]string, len(w.Datasets))
	for i, d := range w.Datasets {
		names[i] = d.Name
		v, err := strconv.Atoi(d.Name)
		if err != nil || d.DType != Int32 || len(d.Data) != 1 || d.Data[0] != float64(v) {
			t.Errorf("wide/%s = %v %v", d.Name, d.DType, d.Data)
		}
	}
	if !sort.StringsAreSorted(names) {
		t.Errorf("children not in name order: %v", names[:10])
	}
}

// TestDecodeKerasFixture decodes a weights file saved by Keras 3.
func TestDecodeKerasFixture(t *testing.T) {
	g := decodeFile(t, "keras_dense.weights.h5")
	checkTree(t, g, readJSON(t, "keras_dense.weights.json"))

	// The layout of Keras 3 weights files (Sequential: Input, Dense(4), Dense(1), Adam after fit).
	mustAttr(t, g, "vars", "name", "sequential")
	mustAttr(t, g, "layers/dense/vars", "name", "dense")
	mustAttr(t, g, "layers/dense_1/vars", "name", "dense_1")
	mustAttr(t, g, "optimizer/vars", "name", "adam")
	mustDataset(t, g, "layers/dense/vars/0", Float32, []int{3, 4})
	mustDataset(t, g, "layers/dense/vars/1", Float32, []int{4})
	mustDataset(t, g, "layers/dense_1/vars/0", Float32, []int{4, 1})
	mustDataset(t, g, "layers/dense_1/vars/1", Float32, []int{1})
	it, ok := g.Dataset("optimizer/vars/0")
	if !ok || len(it.Shape) != 0 || (it.DType != Int32 && it.DType != Int64) || it.Data[0] != 1 {
		t.Errorf("iteration = %+v", it)
	}
	if lr := mustDataset(t, g, "optimizer/vars/1", Float32, []int{}); lr.Data[0] != float64(float32(0.001)) {
		t.Errorf("learning_rate = %v", lr.Data[0])
	}
	opt, _ := g.Group("optimizer/vars")
	if len(opt.Datasets) != 2+2*4 {
		t.Errorf("optimizer has %d variables, want 10", len(opt.Datasets))
	}
}

// sampleTree returns a tree covering every feature Encode supports.
func sampleTree() *Group {
	root := &Group{}
	root.RequireGroup("vars").SetAttr("name", "sequential")
	v := root.RequireGroup("layers/dense/vars")
	v.SetAttr("name", "dense")
	v.AddDataset("0", Float32, []int{3, 2}, []float64{1, -2.5, 3, 0.1, math.Inf(1), math.NaN()})
	v.AddDataset("1", Float64, []int{2}, []float64{0.1, -math.MaxFloat64})
	root.RequireGroup("layers/dropout/vars").SetAttr("name", "dropout")
	o := root.RequireGroup("optimizer/vars")
	o.SetAttr("name", "adam")
	o.AddDataset("0", Int64, nil, []float64{3})
	o.AddDataset("1", Float32, nil, []float64{0.001})
	o.AddDataset("2", Int32, []int{0}, nil)
	o.AddDataset("3", Float64, []int{2, 0, 3}, []float64{})
	ints := root.RequireGroup("ints")
	ints.AddDataset("i64", Int64, []int{2}, []float64{-(1 << 63), 1<<53 + 2})
	ints.AddDataset("i32", Int32, []int{2}, []float64{math.MinInt32, math.MaxInt32})
	ints.AddDataset("i16", Int16, []int{2}, []float64{math.MinInt16, math.MaxInt16})
	ints.AddDataset("i8", Int8, []int{2}, []float64{math.MinInt8, math.MaxInt8})
	ints.AddDataset("u64", Uint64, []int{2}, []float64{0, 1 << 63})
	ints.AddDataset("u32", Uint32, []int{2}, []float64{0, math.MaxUint32})
	ints.AddDataset("u16", Uint16, []int{2}, []float64{0, math.MaxUint16})
	ints.AddDataset("u8", Uint8, []int{1, 1, 2}, []float64{0, math.MaxUint8}).SetAttr("note", "bytes")
	a := root.RequireGroup("attrs")
	a.SetAttr("empty", "")
	a.SetAttr("unicode", "h\u00e9llo \u2713 \U0001F600")
	a.SetAttr("long", strings.Repeat("x", 5000))
	deep := root
	for i := range 40 {
		deep = deep.RequireGroup("d" + strconv.Itoa(i))
	}
	deep.AddDataset("leaf", Float64, nil, []float64{42})
	w := root.RequireGroup("wide")
	for i := range 1100 { // enough for a two-level B-tree
		w.AddDataset(strconv.Itoa(i), Int16, nil, []float64{float64(i % 1000)})
	}
	root.RequireGroup("empty")
	return root
}

// expected returns the flattened tree as it reads back: float32 rounding.
func expected(g *Group) map[string]node {
	m := flatten(g)
	for k, n := range m {
		if n.DType == "float32" {
			for i, v := range n.Data {
				n.Data[i] = float64(float32(v))
			}
		}
		m[k] = n
	}
	return m
}

// TestRoundTrip encodes and decodes sampleTree.
func TestRoundTrip(t *testing.T) {
	tree := sampleTree()
	b, err := Encode(tree)
	if err != nil {
		t.Fatal(err)
	}
	g, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	checkTree(t, g, expected(tree))

	// Children come back in name order.
	w, _ := g.Group("wide")
	if w.Datasets[0].Name != "0" || w.Datasets[1].Name != "1" || w.Datasets[2].Name != "10" {
		t.Errorf("order: %s %s %s", w.Datasets[0].Name, w.Datasets[1].Name, w.Datasets[2].Name)
	}
	// Encoding is deterministic and a decoded tree encodes to the same bytes.
	b2, err := Encode(g)
	if err != nil {
		t.Fatal(err)
	}
	b3, _ := Encode(tree)
	if !bytes.Equal(b, b3) {
		t.Error("Encode is not deterministic")
	}
	if !bytes.Equal(b, b2) {
		t.Error("re-encoding the decoded tree changed the bytes")
	}
}

// TestEncodeKerasLayout re-encodes the Keras fixture.
func TestEncodeKerasLayout(t *testing.T) {
	// Re-encoding the Keras file reproduces its tree exactly.
	g := decodeFile(t, "keras_dense.weights.h5")
	b, err := Encode(g)
	if err != nil {
		t.Fatal(err)
	}
	g2, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	checkTree(t, g2, readJSON(t, "keras_dense.weights.json"))
}

// TestLookups covers the Group and Dataset helpers.
func TestLookups(t *testing.T) {
	g := sampleTree()
	if x, ok := g.Group(""); !ok || x != g {
		t.Error(`Group("") should be the root`)
	}
	if x, ok := g.Group("/layers//dense/"); !ok || x.Name != "dense" {
		t.Error("Group with extra slashes")
	}
	if _, ok := g.Group("layers/nope"); ok {
		t.Error("missing group found")
	}
	if _, ok := g.Dataset("layers/dense/vars"); ok {
		t.Error("group returned as dataset")
	}
	if _, ok := g.Dataset(""); ok {
		t.Error("empty dataset path found")
	}
	if d, ok := g.Dataset("/optimizer/vars/1"); !ok || d.DType != Float32 {
		t.Error("Dataset lookup")
	}
	v := g.RequireGroup("layers/dense/vars")
	if len(v.Datasets) != 2 {
		t.Error("RequireGroup did not return the existing group")
	}
	v.SetAttr("name", "renamed")
	if s, _ := v.Attr("name"); s != "renamed" || len(v.Attrs) != 1 {
		t.Errorf("SetAttr: %v", v.Attrs)
	}
	if Float32.String() != "float32" || DType(99).String() != "DType(99)" || DType(99).Size() != 0 {
		t.Error("DType String/Size")
	}
}

// TestEncodeErrors checks that Encode rejects invalid trees.
func TestEncodeErrors(t *testing.T) {
	ds := func(name string, dt DType, shape []int, data ...float64) *Group {
		return &Group{Datasets: []*Dataset{{Name: name, DType: dt, Shape: shape, Data: data}}}
	}
	cases := map[string]*Group{
		"nil root":        nil,
		"empty name":      {Groups: []*Group{{}}},
		"slash":           {Groups: []*Group{{Name: "a/b"}}},
		"dot":             {Groups: []*Group{{Name: "."}}},
		"nul":             ds("a\x00", Float64, nil, 1),
		"duplicate":       {Groups: []*Group{{Name: "x"}}, Datasets: []*Dataset{{Name: "x", Data: []float64{1}}}},
		"nil child":       {Groups: []*Group{nil}},
		"nil dataset":     {Datasets: []*Dataset{nil}},
		"shape mismatch":  ds("x", Float64, []int{2, 2}, 1, 2, 3),
		"negative dim":    ds("x", Float64, []int{-1}),
		"unknown dtype":   ds("x", DType(42), nil, 1),
		"fraction in int": ds("x", Int32, nil, 1.5),
		"int overflow":    ds("x", Int8, nil, 128),
		"uint negative":   ds("x", Uint16, nil, -1),
		"nan in int":      ds("x", Int64, nil, math.NaN()),
		"int64 overflow":  ds("x", Int64, nil, 1<<63),
		"bad utf8 attr":   {Attrs: []Attr{{"name", "\xff"}}},
		"nul attr value":  {Attrs: []Attr{{"name", "a\x00b"}}},
		"empty attr name": {Attrs: []Attr{{"", "x"}}},
		"duplicate attr":  {Attrs: []Attr{{"a", "x"}, {"a", "y"}}},
		"rank":            ds("x", Float64, make([]int, 33)),
	}
	for name, g := range cases {
		if _, err := Encode(g); err == nil {
			t.Errorf("%s: Encode succeeded", name)
		}
	}
	cyc := &Group{}
	cyc.Groups = []*Group{{Name: "a", Groups: []*Group{cyc}}}
	cyc.Groups[0].Groups[0] = &Group{Name: "b"}
	cyc.Groups[0].Groups[0].Groups = []*Group{cyc.Groups[0]}
	if _, err := Encode(cyc); err == nil {
		t.Error("cyclic tree encoded")
	}
}

// TestDecodeErrors checks that non-HDF5 and truncated input is rejected.
func TestDecodeErrors(t *testing.T) {
	for _, in := range [][]byte{nil, []byte("hello"), []byte("\x89HDF\r\n\x1a"), make([]byte, 2000)} {
		if _, err := Decode(in); !errors.Is(err, ErrNotHDF5) {
			t.Errorf("Decode(%q...) = %v, want ErrNotHDF5", in[:min(len(in), 8)], err)
		}
	}
	good, err := Encode(sampleTree())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"h5py_tree.h5", "keras_dense.weights.h5"} {
		raw := readFile(t, f)
		for n := 0; n < len(raw); n += 1 + n/64 {
			// Plain truncation, and truncation with the end-of-file address
			// patched so that decoding gets past the superblock.
			if _, err := Decode(raw[:n]); err == nil {
				t.Fatalf("%s truncated to %d bytes decoded", f, n)
			}
			if n >= superblockSize {
				cut := append([]byte(nil), raw[:n]...)
				binary.LittleEndian.PutUint64(cut[40:], uint64(n))
				if _, err := Decode(cut); err == nil {
					t.Fatalf("%s truncated to %d bytes (EOF patched) decoded", f, n)
				}
			}
		}
	}
	if _, err := Decode(append(good[:len(good):len(good)], 1, 2, 3)); err != nil {
		t.Errorf("trailing bytes: %v", err)
	}
	ub := append(make([]byte, 512), good...)
	binary.LittleEndian.PutUint64(ub[512+24:], 512)
	if _, err := Decode(ub); err != nil {
		t.Errorf("user block with base address 512: %v", err)
	}
}

// TestDecodeHostile patches valid files into hostile ones.
func TestDecodeHostile(t *testing.T) {
	le := binary.LittleEndian
	// A group whose child points back at the root.
	b, err := Encode(&Group{Groups: []*Group{{Name: "a"}}})
	if err != nil {
		t.Fatal(err)
	}
	snod := bytes.Index(b, []byte("SNOD"))
	le.PutUint64(b[snod+8+8:], le.Uint64(b[64:]))
	if _, err := Decode(b); err == nil || !strings.Contains(err.Error(), "more than once") {
		t.Errorf("cycle: %v", err)
	}

	// A dataset claiming far more elements than the file holds.
	b, err = Encode(&Group{Datasets: []*Dataset{{Name: "x", Shape: []int{1}, Data: []float64{1}}}})
	if err != nil {
		t.Fatal(err)
	}
	snod = bytes.Index(b, []byte("SNOD"))
	hdr := le.Uint64(b[snod+8+8:])
	le.PutUint64(b[hdr+16+8+8:], 1<<40) // first dimension
	if _, err := Decode(b); !errors.Is(err, ErrFormat) {
		t.Errorf("huge dataset: %v", err)
	}
	// Fewer stored bytes than the shape needs.
	le.PutUint64(b[hdr+16+8+8:], uint64(len(b)/8))
	if _, err := Decode(b); !errors.Is(err, ErrFormat) {
		t.Errorf("dataset larger than its storage: %v", err)
	}

	// A B-tree node that is its own child.
	b, err = Encode(&Group{Groups: []*Group{{Name: "a"}}})
	if err != nil {
		t.Fatal(err)
	}
	tree := bytes.LastIndex(b, []byte("TREE"))
	b[tree+5] = 1                             // level 1
	le.PutUint64(b[tree+24+8:], uint64(tree)) // child 0 = itself
	if _, err := Decode(b); !errors.Is(err, ErrFormat) {
		t.Errorf("B-tree loop: %v", err)
	}
}

// largeTree returns a tree with a 700×1000 float32 kernel.
func largeTree() *Group {
	root := &Group{}
	v := root.RequireGroup("layers/dense/vars")
	v.SetAttr("name", "dense")
	data := make([]float64, 700*1000)
	for i := range data {
		data[i] = float64(i) * 1e-3
	}
	v.AddDataset("0", Float32, []int{700, 1000}, data)
	v.AddDataset("1", Float64, []int{1000}, data[:1000])
	return root
}

// TestLarge round-trips largeTree.
func TestLarge(t *testing.T) {
	b, err := Encode(largeTree())
	if err != nil {
		t.Fatal(err)
	}
	g, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	d := mustDataset(t, g, "layers/dense/vars/0", Float32, []int{700, 1000})
	if d.Data[699999] != float64(float32(699.999)) {
		t.Errorf("last value %v", d.Data[699999])
	}
}

// BenchmarkEncode encodes largeTree.
func BenchmarkEncode(b *testing.B) {
	tree := largeTree()
	for b.Loop() {
		if _, err := Encode(tree); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecode decodes largeTree.
func BenchmarkDecode(b *testing.B) {
	raw, err := Encode(largeTree())
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := Decode(raw); err != nil {
			b.Fatal(err)
		}
	}
}
