// Package h5 reads and writes the small subset of HDF5 that Keras 3 uses for
// its weight files (model.weights.h5 inside a .keras archive, and standalone
// .weights.h5 files).
//
// A file is modelled as an in-memory tree of groups holding string attributes,
// child groups and numeric datasets. Encode writes the tree in the layout
// h5py produces with its default settings: superblock version 0, version 1
// object headers, symbol-table groups (version 1 B-tree plus local heap),
// contiguous little-endian datasets and scalar variable-length UTF-8 string
// attributes stored in the global heap. Decode reads that layout, whether it
// was written by h5py, by Keras or by Encode.
//
// Decode treats its input as untrusted: every offset, length and count is
// checked against the buffer, cycles and repeated objects are rejected, and
// the total amount of decoded data is bounded by the size of the input.
//
// Not supported: superblock versions 2 and 3, version 2 object headers and
// new-style (link message) groups, chunked or filtered datasets, soft and
// external links, objects reachable through more than one hard link, and
// datasets of any class other than integers and IEEE floats. Attributes
// that are not scalar strings are skipped on read.
package h5

import (
	"fmt"
	"sort"
	"strings"
)

// DType is the element type a dataset is stored as in the file.
// Values are always float64 in memory; the DType only decides the encoding.
type DType uint8

// The supported element types. All are little-endian when written; Decode
// also accepts big-endian data.
const (
	Float64 DType = iota // IEEE 754 binary64 (the zero value)
	Float32              // IEEE 754 binary32
	Int64                // signed 64-bit integer
	Int32                // signed 32-bit integer
	Int16                // signed 16-bit integer
	Int8                 // signed 8-bit integer
	Uint64               // unsigned 64-bit integer
	Uint32               // unsigned 32-bit integer
	Uint16               // unsigned 16-bit integer
	Uint8                // unsigned 8-bit integer
)

// dtypeNames holds the NumPy names of the DTypes, by value.
var dtypeNames = [...]string{"float64", "float32", "int64", "int32", "int16", "int8", "uint64", "uint32", "uint16", "uint8"}

// String returns the NumPy name of the type, such as "float32".
func (t DType) String() string {
	if int(t) < len(dtypeNames) {
		return dtypeNames[t]
	}
	return fmt.Sprintf("DType(%d)", uint8(t))
}

// Size returns the size of one element in bytes, or 0 for an unknown DType.
func (t DType) Size() int {
	switch t {
	case Float64, Int64, Uint64:
		return 8
	case Float32, Int32, Uint32:
		return 4
	case Int16, Uint16:
		return 2
	case Int8, Uint8:
		return 1
	}
	return 0
}

// isFloat reports whether t is a floating-point type.
func (t DType) isFloat() bool { return t == Float64 || t == Float32 }

// isSigned reports whether t is a signed integer type.
func (t DType) isSigned() bool { return t >= Int64 && t <= Int8 }

// Attr is a string attribute. Encode stores it as a scalar variable-length
// UTF-8 string, which is what h5py writes for a Python str.
type Attr struct {
	Name  string
	Value string
}

// Group is an HDF5 group: string attributes, child groups and datasets.
//
// Child names must be unique across Groups and Datasets, non-empty, and
// free of '/' and NUL. HDF5 symbol tables keep children sorted by name, so
// Decode returns Groups and Datasets in byte-wise name order ("0", "1",
// "10", "2", ...), whatever order they were encoded in.
type Group struct {
	Name     string // link name in the parent group; ignored for the root
	Attrs    []Attr
	Groups   []*Group
	Datasets []*Dataset
}

// Dataset is an HDF5 dataset of numbers, held as float64 in row-major order.
type Dataset struct {
	Name  string    // link name in the parent group
	Shape []int     // dimensions; empty for a scalar
	Data  []float64 // values converted to float64 on read; len must equal the product of Shape
	DType DType     // the element type that is (or will be) stored in the file
	Attrs []Attr    // string attributes, usually none
}

// Len returns the number of elements implied by Shape (1 for a scalar).
func (d *Dataset) Len() int {
	n := 1
	for _, s := range d.Shape {
		n *= s
	}
	return n
}

// Attr returns the value of the string attribute called name.
func (g *Group) Attr(name string) (string, bool) { return findAttr(g.Attrs, name) }

// SetAttr sets the string attribute called name, replacing any existing one.
func (g *Group) SetAttr(name, value string) { g.Attrs = setAttr(g.Attrs, name, value) }

// Attr returns the value of the string attribute called name.
func (d *Dataset) Attr(name string) (string, bool) { return findAttr(d.Attrs, name) }

// SetAttr sets the string attribute called name, replacing any existing one.
func (d *Dataset) SetAttr(name, value string) { d.Attrs = setAttr(d.Attrs, name, value) }

// findAttr returns the value of the attribute called name.
func findAttr(attrs []Attr, name string) (string, bool) {
	for _, a := range attrs {
		if a.Name == name {
			return a.Value, true
		}
	}
	return "", false
}

// setAttr sets or appends the attribute called name.
func setAttr(attrs []Attr, name, value string) []Attr {
	for i := range attrs {
		if attrs[i].Name == name {
			attrs[i].Value = value
			return attrs
		}
	}
	return append(attrs, Attr{Name: name, Value: value})
}

// child returns the direct child group called name.
func (g *Group) child(name string) *Group {
	return find(g.Groups, name, func(c *Group) string { return c.Name })
}

// find returns the element of list called name, or nil. Decode returns
// lists in byte-wise name order, where a binary search finds it (a model's
// weights file has a group per layer, so a linear search per layer would
// take time quadratic in the number of layers); a list in another order
// (a tree built by hand) falls back on a linear search.
func find[T any](list []*T, name string, nameOf func(*T) string) *T {
	i := sort.Search(len(list), func(i int) bool { return list[i] == nil || nameOf(list[i]) >= name })
	if i < len(list) && list[i] != nil && nameOf(list[i]) == name {
		return list[i]
	}
	for _, e := range list {
		if e != nil && nameOf(e) == name {
			return e
		}
	}
	return nil
}

// splitPath splits a slash-separated path, ignoring empty components, so
// "/a//b/" and "a/b" are the same path.
func splitPath(path string) []string {
	return strings.FieldsFunc(path, func(r rune) bool { return r == '/' })
}

// Group returns the group at the slash-separated path relative to g, such
// as "layers/dense/vars". The empty path (or "/") is g itself.
func (g *Group) Group(path string) (*Group, bool) {
	cur := g
	for _, name := range splitPath(path) {
		if cur = cur.child(name); cur == nil {
			return nil, false
		}
	}
	return cur, true
}

// Dataset returns the dataset at the slash-separated path relative to g,
// such as "optimizer/vars/0".
func (g *Group) Dataset(path string) (*Dataset, bool) {
	parts := splitPath(path)
	if len(parts) == 0 {
		return nil, false
	}
	parent, ok := g.Group(strings.Join(parts[:len(parts)-1], "/"))
	if !ok {
		return nil, false
	}
	if d := find(parent.Datasets, parts[len(parts)-1], func(d *Dataset) string { return d.Name }); d != nil {
		return d, true
	}
	return nil, false
}

// RequireGroup returns the group at the slash-separated path relative to g,
// creating it and any missing parents, like h5py's require_group.
func (g *Group) RequireGroup(path string) *Group {
	cur := g
	for _, name := range splitPath(path) {
		next := cur.child(name)
		if next == nil {
			next = &Group{Name: name}
			cur.Groups = append(cur.Groups, next)
		}
		cur = next
	}
	return cur
}

// AddDataset appends a dataset called name to g and returns it. It does not
// check for duplicate names; Encode does.
func (g *Group) AddDataset(name string, dtype DType, shape []int, data []float64) *Dataset {
	d := &Dataset{Name: name, Shape: shape, Data: data, DType: dtype}
	g.Datasets = append(g.Datasets, d)
	return d
}
