package h5

import (
	"encoding/binary"
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode/utf8"
)

// Encode serialises the tree rooted at root as an HDF5 file, in the layout
// h5py writes by default (see the package documentation). The root's Name is
// ignored. Encode returns an error if a name is invalid or repeated, a
// dataset's Data does not match its Shape or DType, or an attribute value is
// not valid UTF-8 or contains NUL.
func Encode(root *Group) ([]byte, error) { return encode(root, false) }

// encode implements Encode. With compact set, B-tree nodes, symbol table
// nodes and global heap collections are cut to their used size. The HDF5
// library reads nodes at their full size, so such files are only for this
// package's decoder: the fuzz test uses them as small seeds.
func encode(root *Group, compact bool) ([]byte, error) {
	if root == nil {
		return nil, fmt.Errorf("h5: nil root group")
	}
	e := &encoder{attrRefs: map[*Attr]heapRef{}, compact: compact}
	if err := e.validateGroup(root, "/", 0); err != nil {
		return nil, err
	}
	e.buf = make([]byte, superblockSize, superblockSize+e.dataSize+1024)
	e.writeGlobalHeaps()
	rootAddr, stab := e.writeGroup(root)
	e.writeSuperblock(rootAddr, stab)
	return e.buf, nil
}

// heapRef locates a variable-length string in a global heap collection.
type heapRef struct {
	collection uint64
	index      uint32
}

// symbolTable holds the addresses cached in a group's symbol table entry.
type symbolTable struct{ btree, heap uint64 }

// encoder holds the state of one Encode call: the file so far and where
// each attribute value lives in the global heap.
type encoder struct {
	buf      []byte
	strs     []*Attr // attribute values to place in the global heap, in tree order
	attrRefs map[*Attr]heapRef
	dataSize int  // total raw data bytes, to presize buf
	compact  bool // see encode
}

// le is the byte order of everything Encode writes.
var le = binary.LittleEndian

// alloc appends n zero bytes, 8-byte aligned, and returns their offset.
func (e *encoder) alloc(n int) uint64 {
	for len(e.buf)%8 != 0 {
		e.buf = append(e.buf, 0)
	}
	off := len(e.buf)
	e.buf = append(e.buf, make([]byte, n)...)
	return uint64(off)
}

// validName checks a link name.
func validName(name string) error {
	switch {
	case name == "" || name == ".":
		return fmt.Errorf("h5: invalid name %q", name)
	case strings.ContainsAny(name, "/\x00"):
		return fmt.Errorf("h5: name %q contains '/' or NUL", name)
	case len(name) > 1<<16:
		return fmt.Errorf("h5: name too long")
	}
	return nil
}

// validateAttrs checks attribute names and values and queues the values for
// the global heap.
func (e *encoder) validateAttrs(attrs []Attr, path string) error {
	seen := map[string]bool{}
	for i := range attrs {
		a := &attrs[i]
		if a.Name == "" || strings.IndexByte(a.Name, 0) >= 0 || len(a.Name) > 1<<15 {
			return fmt.Errorf("h5: %s: invalid attribute name %q", path, a.Name)
		}
		if seen[a.Name] {
			return fmt.Errorf("h5: %s: duplicate attribute %q", path, a.Name)
		}
		seen[a.Name] = true
		if !utf8.ValidString(a.Value) || strings.IndexByte(a.Value, 0) >= 0 {
			return fmt.Errorf("h5: %s: attribute %q is not valid UTF-8 without NUL", path, a.Name)
		}
		if len(a.Value) > math.MaxUint32-64 {
			return fmt.Errorf("h5: %s: attribute %q is too long", path, a.Name)
		}
		e.strs = append(e.strs, a)
	}
	return nil
}

// validateGroup checks the whole tree before anything is written.
func (e *encoder) validateGroup(g *Group, path string, depth int) error {
	if depth > 1000 {
		return fmt.Errorf("h5: %s: groups nested too deeply (or a cycle)", path)
	}
	if err := e.validateAttrs(g.Attrs, path); err != nil {
		return err
	}
	seen := map[string]bool{}
	check := func(name string) error {
		if err := validName(name); err != nil {
			return fmt.Errorf("%w in group %s", err, path)
		}
		if seen[name] {
			return fmt.Errorf("h5: %s: duplicate child name %q", path, name)
		}
		seen[name] = true
		return nil
	}
	for _, d := range g.Datasets {
		if d == nil {
			return fmt.Errorf("h5: %s: nil dataset", path)
		}
		if err := check(d.Name); err != nil {
			return err
		}
	}
	for _, c := range g.Groups {
		if c == nil {
			return fmt.Errorf("h5: %s: nil group", path)
		}
		if err := check(c.Name); err != nil {
			return err
		}
	}
	// Visit children in the order writeGroup writes them, so that attribute
	// values land in the global heap in file order.
	for _, ch := range sortedChildren(g) {
		if c := ch.group; c != nil {
			if err := e.validateGroup(c, path+c.Name+"/", depth+1); err != nil {
				return err
			}
			continue
		}
		d := ch.dataset
		p := path + d.Name
		if d.DType.Size() == 0 {
			return fmt.Errorf("h5: %s: unknown dtype %v", p, d.DType)
		}
		if len(d.Shape) > maxRank {
			return fmt.Errorf("h5: %s: rank %d exceeds %d", p, len(d.Shape), maxRank)
		}
		n := 1
		for _, s := range d.Shape {
			if s < 0 || s > math.MaxInt32 {
				return fmt.Errorf("h5: %s: invalid dimension in shape %v", p, d.Shape)
			}
			if s != 0 && n > math.MaxInt32/s {
				return fmt.Errorf("h5: %s: shape %v is too large", p, d.Shape)
			}
			n *= s
		}
		if len(d.Data) != n {
			return fmt.Errorf("h5: %s: shape %v needs %d values, have %d", p, d.Shape, n, len(d.Data))
		}
		for _, v := range d.Data {
			if err := checkValue(v, d.DType); err != nil {
				return fmt.Errorf("h5: %s: %w", p, err)
			}
		}
		if err := e.validateAttrs(d.Attrs, p); err != nil {
			return err
		}
		e.dataSize += n*d.DType.Size() + 512
	}
	return nil
}

// childRef is a child of a group: either a group or a dataset.
type childRef struct {
	name    string
	group   *Group
	dataset *Dataset
}

// sortedChildren returns the children of g in byte-wise name order, which
// is the order of HDF5 symbol tables and the order Encode writes objects in,
// so that the output does not depend on the order of g's slices.
func sortedChildren(g *Group) []childRef {
	out := make([]childRef, 0, len(g.Groups)+len(g.Datasets))
	for _, d := range g.Datasets {
		out = append(out, childRef{name: d.Name, dataset: d})
	}
	for _, c := range g.Groups {
		out = append(out, childRef{name: c.Name, group: c})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// intRange holds the range of each integer DType as float64 bounds lo <= v < hi.
var intRange = map[DType][2]float64{
	Int64: {-(1 << 63), 1 << 63}, Int32: {-(1 << 31), 1 << 31}, Int16: {-(1 << 15), 1 << 15}, Int8: {-(1 << 7), 1 << 7},
	Uint64: {0, 1 << 64}, Uint32: {0, 1 << 32}, Uint16: {0, 1 << 16}, Uint8: {0, 1 << 8},
}

// checkValue reports whether v can be stored exactly as an integer dtype.
// Float values are always accepted (float32 rounds).
func checkValue(v float64, t DType) error {
	if t.isFloat() {
		return nil
	}
	r := intRange[t]
	if v != math.Trunc(v) || v < r[0] || v >= r[1] {
		return fmt.Errorf("value %v does not fit %v", v, t)
	}
	return nil
}

// writeGlobalHeaps stores every attribute value in global heap collections
// placed right after the superblock. Objects hold the string bytes without a
// terminator, as the HDF5 library writes them.
func (e *encoder) writeGlobalHeaps() {
	const maxObjects = 0xffff // object indices are 16-bit; 0 is the free space
	for start := 0; start < len(e.strs); {
		end, size := start, 16
		for end < len(e.strs) && end-start < maxObjects-1 {
			size += 16 + align8(len(e.strs[end].Value))
			end++
		}
		// Leave room for the free-space object, which needs its 16-byte header.
		total := size
		if total < gheapMinSize && !e.compact {
			total = gheapMinSize
		}
		if total-size > 0 && total-size < 16 {
			total += 16
		}
		addr := e.alloc(total)
		b := e.buf[addr:]
		copy(b, "GCOL")
		b[4] = 1 // version
		le.PutUint64(b[8:], uint64(total))
		p := 16
		for i := start; i < end; i++ {
			v := e.strs[i].Value
			le.PutUint16(b[p:], uint16(i-start+1)) // index; reference count 0 as the library writes
			le.PutUint64(b[p+8:], uint64(len(v)))
			copy(b[p+16:], v)
			e.attrRefs[e.strs[i]] = heapRef{collection: addr, index: uint32(i - start + 1)}
			p += 16 + align8(len(v))
		}
		if free := total - p; free > 0 {
			le.PutUint16(b[p:], 0)
			le.PutUint64(b[p+8:], uint64(free))
		}
		start = end
	}
}

// message is one object header message before encoding.
type message struct {
	typ   uint16
	flags byte
	data  []byte
}

// writeHeader writes a version 1 object header holding msgs and returns its
// address. Message data is padded to multiples of 8 bytes.
func (e *encoder) writeHeader(msgs []message) uint64 {
	size := 0
	for _, m := range msgs {
		size += 8 + align8(len(m.data))
	}
	addr := e.alloc(16 + size)
	b := e.buf[addr:]
	b[0] = 1 // version
	le.PutUint16(b[2:], uint16(len(msgs)))
	le.PutUint32(b[4:], 1) // reference count
	le.PutUint32(b[8:], uint32(size))
	p := 16
	for _, m := range msgs {
		le.PutUint16(b[p:], m.typ)
		le.PutUint16(b[p+2:], uint16(align8(len(m.data))))
		b[p+4] = m.flags
		copy(b[p+8:], m.data)
		p += 8 + align8(len(m.data))
	}
	return addr
}

// pad8 returns b padded with zeros to a multiple of 8 bytes.
func pad8(b []byte) []byte {
	return append(b, make([]byte, align8(len(b))-len(b))...)
}

// attributeMessages encodes attrs as version 1 attribute messages with a
// scalar dataspace and a variable-length UTF-8 string datatype.
func (e *encoder) attributeMessages(attrs []Attr) []message {
	var msgs []message
	for i := range attrs {
		a := &attrs[i]
		ref := e.attrRefs[a]
		name := append([]byte(a.Name), 0)
		var b []byte
		b = append(b, 1, 0) // version 1, reserved
		b = le.AppendUint16(b, uint16(len(name)))
		b = le.AppendUint16(b, uint16(len(vlenStringDatatype)))
		b = le.AppendUint16(b, 8) // scalar dataspace message size
		b = append(b, pad8(name)...)
		b = append(b, pad8(append([]byte(nil), vlenStringDatatype...))...)
		b = append(b, 1, 0, 0, 0, 0, 0, 0, 0) // dataspace version 1, rank 0
		b = le.AppendUint32(b, uint32(len(a.Value)))
		b = le.AppendUint64(b, ref.collection)
		b = le.AppendUint32(b, ref.index)
		msgs = append(msgs, message{typ: msgAttribute, data: b})
	}
	return msgs
}

// writeDataset writes a dataset's object header and raw data, and returns
// the header address.
func (e *encoder) writeDataset(d *Dataset) uint64 {
	// Dataspace, version 1: rank, flags (1 = maximum dimensions present).
	space := []byte{1, byte(len(d.Shape)), 0, 0, 0, 0, 0, 0}
	if len(d.Shape) > 0 {
		space[2] = 1
	}
	for _, s := range d.Shape { // dimensions
		space = le.AppendUint64(space, uint64(s))
	}
	for _, s := range d.Shape { // maximum dimensions: fixed size
		space = le.AppendUint64(space, uint64(s))
	}
	size := len(d.Data) * d.DType.Size()
	// Layout version 3, contiguous: address, size. Patched below once the
	// data address is known.
	layout := make([]byte, 18)
	layout[0], layout[1] = 3, layoutContiguous
	le.PutUint64(layout[2:], undef)
	le.PutUint64(layout[10:], uint64(size))
	msgs := []message{
		{typ: msgDataspace, data: space},
		{typ: msgDatatype, flags: 1, data: datatypeMessage(d.DType)},
		// Fill value, version 2: late allocation, fill written if set, default fill.
		{typ: msgFillValue, flags: 1, data: []byte{2, 2, 2, 1, 0, 0, 0, 0}},
		{typ: msgLayout, data: layout},
	}
	msgs = append(msgs, e.attributeMessages(d.Attrs)...)
	addr := e.writeHeader(msgs)
	if size == 0 {
		return addr
	}
	data := e.alloc(size)
	// Patch the layout address: the layout is the fourth message.
	p := addr + 16
	for _, m := range msgs[:3] {
		p += 8 + uint64(align8(len(m.data)))
	}
	le.PutUint64(e.buf[p+8+2:], data)
	encodeValues(e.buf[data:data+uint64(size)], d.Data, d.DType)
	return addr
}

// encodeValues stores vals little-endian as t into b.
func encodeValues(b []byte, vals []float64, t DType) {
	switch t {
	case Float64:
		for i, v := range vals {
			le.PutUint64(b[8*i:], math.Float64bits(v))
		}
	case Float32:
		for i, v := range vals {
			le.PutUint32(b[4*i:], math.Float32bits(float32(v)))
		}
	case Int64:
		for i, v := range vals {
			le.PutUint64(b[8*i:], uint64(int64(v)))
		}
	case Uint64:
		for i, v := range vals {
			le.PutUint64(b[8*i:], uint64(v))
		}
	case Int32:
		for i, v := range vals {
			le.PutUint32(b[4*i:], uint32(int32(v)))
		}
	case Uint32:
		for i, v := range vals {
			le.PutUint32(b[4*i:], uint32(v))
		}
	case Int16:
		for i, v := range vals {
			le.PutUint16(b[2*i:], uint16(int16(v)))
		}
	case Uint16:
		for i, v := range vals {
			le.PutUint16(b[2*i:], uint16(v))
		}
	case Int8:
		for i, v := range vals {
			b[i] = byte(int8(v))
		}
	case Uint8:
		for i, v := range vals {
			b[i] = byte(v)
		}
	}
}

// link is a named child of a group being written.
type link struct {
	name string
	addr uint64
	stab *symbolTable // non-nil for groups
}

// writeGroup writes g's children, then g's local heap, symbol table nodes,
// B-tree and object header. It returns the header address and the symbol
// table addresses.
func (e *encoder) writeGroup(g *Group) (uint64, symbolTable) {
	// Symbol tables are B-trees keyed by name, compared as C strings.
	children := sortedChildren(g)
	links := make([]link, 0, len(children))
	for _, ch := range children {
		if ch.dataset != nil {
			links = append(links, link{name: ch.name, addr: e.writeDataset(ch.dataset)})
			continue
		}
		addr, stab := e.writeGroup(ch.group)
		links = append(links, link{name: ch.name, addr: addr, stab: &stab})
	}

	// Local heap: offset 0 is the empty string, then each NUL-terminated
	// name padded to 8 bytes. There is no free space (free list = 1, the
	// library's "none").
	heapData := make([]byte, 8, 8+16*len(links))
	nameOff := make([]uint64, len(links))
	for i, l := range links {
		nameOff[i] = uint64(len(heapData))
		heapData = append(heapData, pad8(append([]byte(l.name), 0))...)
	}
	heap := e.alloc(heapHeaderSize + len(heapData))
	hb := e.buf[heap:]
	copy(hb, "HEAP")
	le.PutUint64(hb[8:], uint64(len(heapData)))
	le.PutUint64(hb[16:], 1)
	le.PutUint64(hb[24:], heap+heapHeaderSize)
	copy(hb[heapHeaderSize:], heapData)

	// Symbol table nodes of up to 2*leafK entries each.
	type child struct {
		addr uint64
		key  uint64 // heap offset of the largest name below this child
	}
	var level []child
	for start := 0; start < len(links); start += 2 * leafK {
		end := min(start+2*leafK, len(links))
		addr := e.alloc(snodSize)
		if e.compact {
			e.buf = e.buf[:addr+8+uint64(entrySize*(end-start))]
		}
		b := e.buf[addr:]
		copy(b, "SNOD")
		b[4] = 1 // version
		le.PutUint16(b[6:], uint16(end-start))
		for i := start; i < end; i++ {
			p := b[8+entrySize*(i-start):]
			le.PutUint64(p, nameOff[i])
			le.PutUint64(p[8:], links[i].addr)
			if s := links[i].stab; s != nil {
				le.PutUint32(p[16:], 1) // cache type 1: scratch pad holds the symbol table
				le.PutUint64(p[24:], s.btree)
				le.PutUint64(p[32:], s.heap)
			}
		}
		level = append(level, child{addr: addr, key: nameOff[end-1]})
	}

	// B-tree nodes of up to 2*internalK children, built bottom-up. An empty
	// group still has one empty leaf node.
	var root uint64
	for depth := 0; ; depth++ {
		var next []child
		for start := 0; start < len(level) || start == 0; start += 2 * internalK {
			end := min(start+2*internalK, len(level))
			addr := e.alloc(btreeNodeSize)
			if e.compact {
				e.buf = e.buf[:addr+24+uint64(8+16*(end-start))]
			}
			next = append(next, child{addr: addr})
			if end > start {
				next[len(next)-1].key = level[end-1].key
			}
			b := e.buf[addr:]
			copy(b, "TREE")
			b[4] = 0 // group node
			b[5] = byte(depth)
			le.PutUint16(b[6:], uint16(end-start))
			le.PutUint64(b[8:], undef)  // left sibling
			le.PutUint64(b[16:], undef) // right sibling
			// key 0 is the empty name (offset 0); key i+1 bounds child i.
			p := 24 + 8
			for i := start; i < end; i++ {
				le.PutUint64(b[p:], level[i].addr)
				le.PutUint64(b[p+8:], level[i].key)
				p += 16
			}
			if end >= len(level) {
				break
			}
		}
		for i := range next { // link siblings
			b := e.buf[next[i].addr:]
			if i > 0 {
				le.PutUint64(b[8:], next[i-1].addr)
			}
			if i+1 < len(next) {
				le.PutUint64(b[16:], next[i+1].addr)
			}
		}
		if len(next) == 1 {
			root = next[0].addr
			break
		}
		level = next
	}

	stab := symbolTable{btree: root, heap: heap}
	st := make([]byte, 16)
	le.PutUint64(st, stab.btree)
	le.PutUint64(st[8:], stab.heap)
	msgs := append([]message{{typ: msgSymbolTable, data: st}}, e.attributeMessages(g.Attrs)...)
	return e.writeHeader(msgs), stab
}

// writeSuperblock fills in the version 0 superblock at offset 0.
func (e *encoder) writeSuperblock(root uint64, stab symbolTable) {
	b := e.buf
	copy(b, signature)
	// Versions (superblock, free space, root entry, reserved, shared header) are 0.
	b[13], b[14] = 8, 8 // size of offsets, size of lengths
	le.PutUint16(b[16:], leafK)
	le.PutUint16(b[18:], internalK)
	le.PutUint64(b[24:], 0)                  // base address
	le.PutUint64(b[32:], undef)              // free-space info
	le.PutUint64(b[40:], uint64(len(e.buf))) // end of file
	le.PutUint64(b[48:], undef)              // driver info
	// Root group symbol table entry.
	le.PutUint64(b[56:], 0)
	le.PutUint64(b[64:], root)
	le.PutUint32(b[72:], 1)
	le.PutUint64(b[80:], stab.btree)
	le.PutUint64(b[88:], stab.heap)
}
