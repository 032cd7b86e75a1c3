package h5

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"strings"
)

// Decode parses an HDF5 file held in b and returns its root group.
//
// It reads files written by h5py with default settings (and so by Keras 3)
// and by Encode. Integer and float datasets of any width are converted to
// float64, with their stored type reported in Dataset.DType; 64-bit integers
// beyond ±2^53 lose precision. Scalar string attributes (variable-length or
// fixed-length) are returned; other attributes are skipped.
//
// Decode never panics on malformed input and its work and memory are
// bounded by a small multiple of len(b). Errors are ErrNotHDF5, ErrTruncated
// or wrap ErrFormat.
func Decode(b []byte) (root *Group, err error) {
	return DecodeLimited(b, math.MaxInt)
}

// DecodeLimited is Decode for a file whose datasets may hold at most
// maxValues numbers in all: a file that declares more is an error (wrapping
// ErrTooManyValues and ErrFormat) before the values beyond the limit are
// decoded. Each value
// takes 8 bytes once decoded, whatever its type in the file, so a file of
// one-byte integers would otherwise decode into 8·len(b) bytes or more;
// the limit bounds the decoded data to 8·maxValues bytes.
func DecodeLimited(b []byte, maxValues int) (root *Group, err error) {
	defer func() {
		// decode is written not to panic; this is a last line of defence
		// (the fuzz test calls decode directly so that bugs still surface).
		if r := recover(); r != nil {
			root, err = nil, formatError("internal error: %v", r)
		}
	}()
	return decodeLimited(b, maxValues)
}

// maxDepth bounds group nesting.
const maxDepth = 1000

// decoder holds the state of one Decode call. Addresses are relative to the
// base address, which is the start of b.
type decoder struct {
	b       []byte
	offSize int    // size of file addresses in bytes
	lenSize int    // size of lengths in bytes
	undef   uint64 // the undefined address for offSize
	budget  uint64 // bytes that may still be copied or scanned
	// values is the number of dataset values that may still be decoded,
	// out of maxValues.
	values    uint64
	maxValues int

	objects map[uint64]bool              // object headers already decoded
	nodes   map[uint64]bool              // B-tree nodes, symbol table nodes, header continuation blocks
	gheaps  map[uint64]map[uint16][]byte // parsed global heap collections
}

// decode implements Decode without the recover.
func decode(b []byte) (*Group, error) { return decodeLimited(b, math.MaxInt) }

// decodeLimited implements DecodeLimited without the recover.
func decodeLimited(b []byte, maxValues int) (*Group, error) {
	// The superblock is at 0 or, after a user block, at 512, 1024, 2048, ...
	sb := -1
	for off := 0; off+len(signature) <= len(b); off = max(512, 2*off) {
		if string(b[off:off+len(signature)]) == signature {
			sb = off
			break
		}
	}
	if sb < 0 {
		return nil, ErrNotHDF5
	}
	c := cursor{b: b, p: sb + len(signature)}
	version := c.u8()
	if c.err == nil && version > 1 {
		return nil, formatError("superblock version %d is not supported", version)
	}
	c.take(4) // free-space, root entry, reserved, shared header versions
	offSize, lenSize := int(c.u8()), int(c.u8())
	c.take(1 + 2 + 2 + 4) // reserved, leaf K, internal K, consistency flags
	if version == 1 {
		c.take(4) // indexed storage K, reserved
	}
	if c.err != nil {
		return nil, c.err
	}
	if !validSize(offSize) || !validSize(lenSize) {
		return nil, formatError("offset size %d, length size %d", offSize, lenSize)
	}
	d := &decoder{
		offSize: offSize, lenSize: lenSize,
		undef:  ^uint64(0) >> (64 - 8*offSize),
		values: uint64(max(maxValues, 0)), maxValues: max(maxValues, 0),
		objects: map[uint64]bool{}, nodes: map[uint64]bool{},
		gheaps: map[uint64]map[uint16][]byte{},
	}
	base := c.uint(offSize)
	c.uint(offSize) // free-space info address
	eof := c.uint(offSize)
	c.uint(offSize) // driver info address
	c.uint(lenSize) // root entry: link name offset
	rootAddr := c.uint(offSize)
	if c.err != nil {
		return nil, c.err
	}
	if base > uint64(len(b)) || eof > uint64(len(b))-base {
		return nil, ErrTruncated
	}
	d.b = b[base : base+eof]
	d.budget = 2*uint64(len(d.b)) + 1<<16

	obj, err := d.object(rootAddr, "", 0)
	if err != nil {
		return nil, err
	}
	root, ok := obj.(*Group)
	if !ok {
		return nil, formatError("root object is not a group")
	}
	return root, nil
}

// validSize reports whether n is a supported size of offsets or lengths.
func validSize(n int) bool { return n == 2 || n == 4 || n == 8 }

// cursor reads little-endian values from b. The first out-of-range read
// sets err to ErrTruncated; later reads return zeros.
type cursor struct {
	b   []byte
	p   int
	err error
}

// take returns the next n bytes.
func (c *cursor) take(n int) []byte {
	if c.err != nil {
		return nil
	}
	if n < 0 || n > len(c.b)-c.p {
		c.err = ErrTruncated
		return nil
	}
	s := c.b[c.p : c.p+n : c.p+n]
	c.p += n
	return s
}

// u8 reads one byte.
func (c *cursor) u8() uint8 {
	if s := c.take(1); s != nil {
		return s[0]
	}
	return 0
}

// u16 reads a 2-byte little-endian integer.
func (c *cursor) u16() uint16 { return uint16(c.uint(2)) }

// u32 reads a 4-byte little-endian integer.
func (c *cursor) u32() uint32 { return uint32(c.uint(4)) }

// uint reads an n-byte little-endian unsigned integer, 1 <= n <= 8.
func (c *cursor) uint(n int) uint64 {
	s := c.take(n)
	var v uint64
	for i := len(s) - 1; i >= 0; i-- {
		v = v<<8 | uint64(s[i])
	}
	return v
}

// left returns the number of unread bytes.
func (c *cursor) left() int { return len(c.b) - c.p }

// at returns n bytes at addr, or an error if they are not all in the file.
func (d *decoder) at(addr, n uint64) ([]byte, error) {
	if addr == d.undef {
		return nil, formatError("undefined address")
	}
	if addr > uint64(len(d.b)) || n > uint64(len(d.b))-addr {
		return nil, ErrTruncated
	}
	return d.b[addr : addr+n : addr+n], nil
}

// spend charges n bytes of copying or scanning against the budget.
func (d *decoder) spend(n uint64) error {
	if n > d.budget {
		return formatError("file describes more data than it holds")
	}
	d.budget -= n
	return nil
}

// hmsg is one object header message.
type hmsg struct {
	typ   uint16
	flags uint8
	data  []byte
}

// header reads the version 1 object header at addr, following continuation
// messages, and returns its messages. Each header may be read only once.
func (d *decoder) header(addr uint64) ([]hmsg, error) {
	if d.objects[addr] {
		return nil, formatError("object at %#x is linked more than once (cycle or hard link)", addr)
	}
	d.objects[addr] = true
	pre, err := d.at(addr, 16)
	if err != nil {
		return nil, err
	}
	if pre[0] != 1 {
		if string(pre[:4]) == "OHDR" {
			return nil, formatError("version 2 object headers are not supported")
		}
		return nil, formatError("object header version %d at %#x", pre[0], addr)
	}
	type block struct{ addr, size uint64 }
	blocks := []block{{addr + 16, uint64(binary.LittleEndian.Uint32(pre[8:]))}}
	var msgs []hmsg
	for len(blocks) > 0 {
		blk := blocks[0]
		blocks = blocks[1:]
		data, err := d.at(blk.addr, blk.size)
		if err != nil {
			return nil, err
		}
		if err := d.spend(blk.size); err != nil {
			return nil, err
		}
		c := cursor{b: data}
		for c.left() >= 8 {
			typ := c.u16()
			size := c.u16()
			flags := c.u8()
			c.take(3)
			body := c.take(int(size))
			if c.err != nil {
				return nil, c.err
			}
			if typ != msgContinuation {
				msgs = append(msgs, hmsg{typ: typ, flags: flags, data: body})
				continue
			}
			bc := cursor{b: body}
			next := block{bc.uint(d.offSize), bc.uint(d.lenSize)}
			if bc.err != nil {
				return nil, bc.err
			}
			if d.nodes[next.addr] {
				return nil, formatError("object header continuation loop at %#x", next.addr)
			}
			d.nodes[next.addr] = true
			blocks = append(blocks, next)
		}
	}
	return msgs, nil
}

// displayPath returns path for error messages: "/" for the root.
func displayPath(path string) string {
	if path == "" {
		return "/"
	}
	return path
}

// object decodes the group or dataset whose header is at addr. path is its
// slash-separated path from the root, "" for the root itself.
func (d *decoder) object(addr uint64, path string, depth int) (any, error) {
	name := path[strings.LastIndexByte(path, '/')+1:]
	if depth > maxDepth {
		return nil, formatError("groups nested deeper than %d", maxDepth)
	}
	msgs, err := d.header(addr)
	if err != nil {
		return nil, err
	}
	var attrs []Attr
	attrNames := map[string]bool{}
	var stab []byte
	isDataset, newStyle := false, false
	for _, m := range msgs {
		switch m.typ {
		case msgSymbolTable:
			stab = m.data
		case msgLayout:
			isDataset = true
		case msgLinkInfo, msgLink:
			newStyle = true
		case msgAttribute:
			if m.flags&2 != 0 { // stored elsewhere as a shared message
				continue
			}
			a, ok, err := d.attribute(m.data)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			if attrNames[a.Name] {
				return nil, formatError("%s: duplicate attribute %q", displayPath(path), a.Name)
			}
			attrNames[a.Name] = true
			attrs = append(attrs, a)
		}
	}
	switch {
	case stab != nil:
		g := &Group{Name: name, Attrs: attrs}
		c := cursor{b: stab}
		btree, heap := c.uint(d.offSize), c.uint(d.offSize)
		if c.err != nil {
			return nil, c.err
		}
		if err := d.groupChildren(g, path, btree, heap, depth); err != nil {
			return nil, err
		}
		return g, nil
	case isDataset:
		ds, err := d.dataset(msgs, path)
		if err != nil {
			return nil, err
		}
		ds.Attrs = attrs
		return ds, nil
	case newStyle:
		return nil, formatError("%s: new-style groups (link messages) are not supported", displayPath(path))
	}
	return nil, formatError("%s is neither a group nor a dataset", displayPath(path))
}

// groupChildren reads the symbol table of g and decodes its children.
func (d *decoder) groupChildren(g *Group, path string, btree, heapAddr uint64, depth int) error {
	heap, err := d.localHeap(heapAddr)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	return d.walkBTree(btree, -1, func(snod uint64) error {
		entries, err := d.symbolNode(snod)
		if err != nil {
			return err
		}
		for _, e := range entries {
			name, err := d.heapName(heap, e.nameOff)
			if err != nil {
				return err
			}
			if name == "" || name == "." || strings.ContainsRune(name, '/') {
				return formatError("%s: invalid link name %q", displayPath(path), name)
			}
			if seen[name] {
				return formatError("%s: duplicate link name %q", displayPath(path), name)
			}
			seen[name] = true
			child := name
			if path != "" {
				// Paths are for error messages; charge them so that deep
				// trees of long names cannot cost quadratic time.
				if err := d.spend(uint64(len(path))); err != nil {
					return err
				}
				child = path + "/" + name
			}
			if e.cacheType == 2 {
				return formatError("%s is a soft link (not supported)", child)
			}
			obj, err := d.object(e.addr, child, depth+1)
			if err != nil {
				return err
			}
			switch o := obj.(type) {
			case *Group:
				g.Groups = append(g.Groups, o)
			case *Dataset:
				g.Datasets = append(g.Datasets, o)
			}
		}
		return nil
	})
}

// localHeap returns the data segment of the local heap at addr.
func (d *decoder) localHeap(addr uint64) ([]byte, error) {
	hdr, err := d.at(addr, uint64(16+d.lenSize+d.offSize))
	if err != nil {
		return nil, err
	}
	if string(hdr[:4]) != "HEAP" || hdr[4] != 0 {
		return nil, formatError("bad local heap at %#x", addr)
	}
	c := cursor{b: hdr, p: 8}
	size := c.uint(d.lenSize)
	c.uint(d.lenSize) // free list
	dataAddr := c.uint(d.offSize)
	return d.at(dataAddr, size)
}

// heapName returns the NUL-terminated string at off in a local heap.
func (d *decoder) heapName(heap []byte, off uint64) (string, error) {
	if off >= uint64(len(heap)) {
		return "", formatError("name offset %d outside local heap", off)
	}
	n := bytes.IndexByte(heap[off:], 0)
	if n < 0 {
		return "", formatError("unterminated name in local heap")
	}
	if err := d.spend(uint64(n) + 1); err != nil {
		return "", err
	}
	return string(heap[off : off+uint64(n)]), nil
}

// walkBTree visits, in key order, the symbol table nodes under the group
// B-tree node at addr. level is the node's expected level, or -1 for a root.
func (d *decoder) walkBTree(addr uint64, level int, visit func(snod uint64) error) error {
	if d.nodes[addr] {
		return formatError("B-tree node %#x visited twice", addr)
	}
	d.nodes[addr] = true
	hdr, err := d.at(addr, uint64(8+2*d.offSize))
	if err != nil {
		return err
	}
	if string(hdr[:4]) != "TREE" || hdr[4] != 0 {
		return formatError("bad group B-tree node at %#x", addr)
	}
	nodeLevel, n := int(hdr[5]), uint64(binary.LittleEndian.Uint16(hdr[6:]))
	if level >= 0 && nodeLevel != level {
		return formatError("B-tree node %#x has level %d, want %d", addr, nodeLevel, level)
	}
	// Keys and children alternate: key0 child0 key1 ... child(n-1) key(n).
	stride := uint64(d.lenSize + d.offSize)
	body, err := d.at(addr+uint64(len(hdr)), n*stride+uint64(d.lenSize))
	if err != nil {
		return err
	}
	for i := uint64(0); i < n; i++ {
		c := cursor{b: body, p: int(i*stride) + d.lenSize}
		child := c.uint(d.offSize)
		if nodeLevel > 0 {
			err = d.walkBTree(child, nodeLevel-1, visit)
		} else {
			err = visit(child)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// symEntry is a symbol table entry.
type symEntry struct {
	nameOff   uint64
	addr      uint64
	cacheType uint32
}

// symbolNode reads the symbol table node at addr.
func (d *decoder) symbolNode(addr uint64) ([]symEntry, error) {
	if d.nodes[addr] {
		return nil, formatError("symbol table node %#x visited twice", addr)
	}
	d.nodes[addr] = true
	hdr, err := d.at(addr, 8)
	if err != nil {
		return nil, err
	}
	if string(hdr[:4]) != "SNOD" || hdr[4] != 1 {
		return nil, formatError("bad symbol table node at %#x", addr)
	}
	n := uint64(binary.LittleEndian.Uint16(hdr[6:]))
	size := uint64(d.lenSize + d.offSize + 24)
	body, err := d.at(addr+8, n*size)
	if err != nil {
		return nil, err
	}
	entries := make([]symEntry, n)
	c := cursor{b: body}
	for i := range entries {
		entries[i].nameOff = c.uint(d.lenSize)
		entries[i].addr = c.uint(d.offSize)
		entries[i].cacheType = c.u32()
		c.take(4 + 16) // reserved, scratch pad
	}
	return entries, c.err
}

// dataspace decodes a dataspace message into a shape; a scalar has rank 0.
func (d *decoder) dataspace(b []byte) ([]uint64, error) {
	c := cursor{b: b}
	version, rank, _ := c.u8(), int(c.u8()), c.u8()
	switch version {
	case 1:
		c.take(5)
	case 2:
		switch typ := c.u8(); typ {
		case 0:
			rank = 0
		case 1:
		case 2:
			return nil, formatError("null dataspaces are not supported")
		default:
			return nil, formatError("dataspace type %d", typ)
		}
	default:
		if c.err == nil {
			return nil, formatError("dataspace version %d", version)
		}
	}
	if rank > maxRank {
		return nil, formatError("rank %d exceeds %d", rank, maxRank)
	}
	dims := make([]uint64, rank)
	for i := range dims {
		dims[i] = c.uint(d.lenSize)
	}
	return dims, c.err
}

// elements returns the number of elements of a dataspace, which must be
// small enough for the data to fit in the file.
func (d *decoder) elements(dims []uint64) (int, error) {
	for _, s := range dims {
		if s > math.MaxInt32 {
			return 0, formatError("dimension %d too large", s)
		}
		if s == 0 {
			return 0, nil
		}
	}
	n, limit := uint64(1), uint64(len(d.b))
	for _, s := range dims {
		if n > limit/s {
			return 0, formatError("dataset of %v elements is larger than the file", dims)
		}
		n *= s
	}
	return int(n), nil
}

// dataset decodes a dataset's messages.
func (d *decoder) dataset(msgs []hmsg, path string) (*Dataset, error) {
	var space, dtype, layout []byte
	for _, m := range msgs {
		switch m.typ {
		case msgDataspace, msgDatatype:
			if m.flags&2 != 0 {
				return nil, formatError("dataset %s: shared (committed) messages are not supported", path)
			}
			if m.typ == msgDataspace {
				space = m.data
			} else {
				dtype = m.data
			}
		case msgLayout:
			layout = m.data
		case msgFilters:
			return nil, formatError("dataset %s: filters are not supported", path)
		case msgExternal:
			return nil, formatError("dataset %s: external storage is not supported", path)
		}
	}
	if space == nil || dtype == nil {
		return nil, formatError("dataset %s lacks a dataspace or datatype", path)
	}
	dims, err := d.dataspace(space)
	if err != nil {
		return nil, inDataset(path, err)
	}
	n, err := d.elements(dims)
	if err != nil {
		return nil, inDataset(path, err)
	}
	info, err := parseDatatype(dtype)
	if err != nil {
		return nil, inDataset(path, err)
	}
	if info.class != classFixedPoint && info.class != classFloat {
		return nil, formatError("dataset %s: only numeric datasets are supported", path)
	}
	if uint64(n) > d.values {
		return nil, &formatErr{msg: fmt.Sprintf("dataset %s: the datasets hold more than %d values in all", path, d.maxValues), kind: ErrTooManyValues}
	}
	d.values -= uint64(n)
	nbytes := uint64(n) * uint64(info.size)
	if err := d.spend(nbytes); err != nil {
		return nil, err
	}
	raw, err := d.layoutData(layout, nbytes, path)
	if err != nil {
		return nil, err
	}
	shape := make([]int, len(dims))
	for i, s := range dims {
		shape[i] = int(s)
	}
	name := path[strings.LastIndexByte(path, '/')+1:]
	var data []float64
	if raw == nil {
		data = make([]float64, n) // storage never written: the fill value, zero
	} else {
		data = decodeValues(raw, n, info)
	}
	return &Dataset{Name: name, Shape: shape, DType: info.dtype, Data: data}, nil
}

// inDataset adds the dataset path to a format error.
func inDataset(path string, err error) error {
	if e, ok := err.(*formatErr); ok {
		return formatError("dataset %s: %s", path, e.msg)
	}
	return err
}

// layoutData returns the nbytes of raw data described by a layout message,
// or nil for unallocated storage, which reads as zeros (the default fill
// value).
func (d *decoder) layoutData(b []byte, nbytes uint64, path string) ([]byte, error) {
	c := cursor{b: b}
	version, class := c.u8(), c.u8()
	if c.err != nil {
		return nil, c.err
	}
	if version != 3 && version != 4 {
		return nil, formatError("dataset %s: layout version %d is not supported", path, version)
	}
	switch class {
	case layoutCompact:
		size := uint64(c.u16())
		data := c.take(int(size))
		if c.err != nil {
			return nil, c.err
		}
		if size < nbytes {
			return nil, formatError("dataset %s: compact data has %d bytes, need %d", path, size, nbytes)
		}
		return data[:nbytes], nil
	case layoutContiguous:
		addr, size := c.uint(d.offSize), c.uint(d.lenSize)
		if c.err != nil {
			return nil, c.err
		}
		if nbytes == 0 || addr == d.undef {
			return nil, nil // nothing stored: zeros
		}
		if size < nbytes {
			return nil, formatError("dataset %s: contiguous storage has %d bytes, need %d", path, size, nbytes)
		}
		return d.at(addr, nbytes)
	}
	return nil, formatError("dataset %s: layout class %d (chunked or virtual) is not supported", path, class)
}

// decodeValues converts n raw elements of the given type to float64.
func decodeValues(raw []byte, n int, info dtypeInfo) []float64 {
	var bo binary.ByteOrder = binary.LittleEndian
	if info.bigEndian {
		bo = binary.BigEndian
	}
	out := make([]float64, n)
	switch info.dtype {
	case Float64:
		for i := range out {
			out[i] = math.Float64frombits(bo.Uint64(raw[8*i:]))
		}
	case Float32:
		for i := range out {
			out[i] = float64(math.Float32frombits(bo.Uint32(raw[4*i:])))
		}
	case Int64:
		for i := range out {
			out[i] = float64(int64(bo.Uint64(raw[8*i:])))
		}
	case Uint64:
		for i := range out {
			out[i] = float64(bo.Uint64(raw[8*i:]))
		}
	case Int32:
		for i := range out {
			out[i] = float64(int32(bo.Uint32(raw[4*i:])))
		}
	case Uint32:
		for i := range out {
			out[i] = float64(bo.Uint32(raw[4*i:]))
		}
	case Int16:
		for i := range out {
			out[i] = float64(int16(bo.Uint16(raw[2*i:])))
		}
	case Uint16:
		for i := range out {
			out[i] = float64(bo.Uint16(raw[2*i:]))
		}
	case Int8:
		for i := range out {
			out[i] = float64(int8(raw[i]))
		}
	case Uint8:
		for i := range out {
			out[i] = float64(raw[i])
		}
	}
	return out
}

// attribute decodes an attribute message. ok is false for attributes that
// are skipped because they are not scalar strings.
func (d *decoder) attribute(b []byte) (a Attr, ok bool, err error) {
	c := cursor{b: b}
	version, flags := c.u8(), c.u8()
	nameSize, dtSize, dsSize := int(c.u16()), int(c.u16()), int(c.u16())
	pad := func(n int) int { return n }
	switch version {
	case 1:
		pad = align8
	case 2:
	case 3:
		c.take(1) // name character set
	default:
		if c.err == nil {
			return a, false, formatError("attribute message version %d", version)
		}
	}
	name := c.take(pad(nameSize))
	dt := c.take(pad(dtSize))
	ds := c.take(pad(dsSize))
	if c.err != nil {
		return a, false, c.err
	}
	name, dt, ds = name[:nameSize], dt[:dtSize], ds[:dsSize]
	if i := bytes.IndexByte(name, 0); i >= 0 {
		name = name[:i]
	}
	if flags&3 != 0 { // shared datatype or dataspace
		return a, false, nil
	}
	info, err := parseDatatype(dt)
	if err != nil || (info.class != classString && !info.vlenStr) {
		return a, false, nil
	}
	dims, err := d.dataspace(ds)
	if err != nil || len(dims) != 0 {
		return a, false, nil
	}
	data := b[c.p:]
	var value []byte
	if info.vlenStr {
		dc := cursor{b: data}
		length := uint64(dc.u32())
		addr := dc.uint(d.offSize)
		index := dc.u32()
		if dc.err != nil {
			return a, false, dc.err
		}
		if length > 0 {
			obj, err := d.globalHeapObject(addr, index)
			if err != nil {
				return a, false, err
			}
			if uint64(len(obj)) < length {
				return a, false, formatError("global heap object shorter than its string")
			}
			value = obj[:length]
		}
	} else {
		if uint64(info.size) > uint64(len(data)) {
			return a, false, ErrTruncated
		}
		value = data[:info.size]
	}
	if info.strPad == 2 { // space padded
		value = bytes.TrimRight(value, " ")
	}
	if i := bytes.IndexByte(value, 0); i >= 0 {
		value = value[:i]
	}
	if err := d.spend(uint64(len(name) + len(value))); err != nil {
		return a, false, err
	}
	return Attr{Name: string(name), Value: string(value)}, true, nil
}

// globalHeapObject returns object index of the global heap collection at addr.
func (d *decoder) globalHeapObject(addr uint64, index uint32) ([]byte, error) {
	coll, ok := d.gheaps[addr]
	if !ok {
		hdrSize := uint64(8 + d.lenSize)
		hdr, err := d.at(addr, hdrSize)
		if err != nil {
			return nil, err
		}
		if string(hdr[:4]) != "GCOL" || hdr[4] != 1 {
			return nil, formatError("bad global heap collection at %#x", addr)
		}
		c := cursor{b: hdr, p: 8}
		size := c.uint(d.lenSize)
		if size < hdrSize {
			return nil, formatError("global heap collection size %d", size)
		}
		if err := d.spend(size); err != nil {
			return nil, err
		}
		data, err := d.at(addr, size)
		if err != nil {
			return nil, err
		}
		coll = map[uint16][]byte{}
		objHdr := uint64(8 + d.lenSize)
		for p := hdrSize; size-p >= objHdr; {
			oc := cursor{b: data, p: int(p)}
			idx := oc.u16()
			oc.take(6) // reference count, reserved
			osize := oc.uint(d.lenSize)
			if idx == 0 { // free space: the rest of the collection
				break
			}
			if osize > size-p-objHdr {
				return nil, formatError("global heap object %d overruns its collection", idx)
			}
			if _, dup := coll[idx]; dup {
				return nil, formatError("duplicate global heap object %d", idx)
			}
			start := p + objHdr
			coll[idx] = data[start : start+osize]
			p = start + (osize+7)&^7
			if p > size {
				break
			}
		}
		d.gheaps[addr] = coll
	}
	obj, ok := coll[uint16(index)]
	if !ok || index > math.MaxUint16 {
		return nil, formatError("global heap object %d not found", index)
	}
	return obj, nil
}
