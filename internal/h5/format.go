package h5

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// File-format constants shared by the encoder and the decoder. Section names
// refer to the HDF5 File Format Specification, version 3.0.

// signature is the 8-byte HDF5 format signature (superblock, "Format Signature").
const signature = "\x89HDF\r\n\x1a\n"

// Object header message types ("Header Message Types").
const (
	msgNil          = 0x00
	msgDataspace    = 0x01
	msgLinkInfo     = 0x02
	msgDatatype     = 0x03
	msgFillValueOld = 0x04
	msgFillValue    = 0x05
	msgLink         = 0x06
	msgExternal     = 0x07
	msgLayout       = 0x08
	msgGroupInfo    = 0x0a
	msgFilters      = 0x0b
	msgAttribute    = 0x0c
	msgContinuation = 0x10
	msgSymbolTable  = 0x11
)

// Datatype classes ("Datatype Message").
const (
	classFixedPoint = 0
	classFloat      = 1
	classString     = 3
	classVarLen     = 9
)

// Layout classes ("Data Layout Message", version 3).
const (
	layoutCompact    = 0
	layoutContiguous = 1
)

// B-tree fan-out written to the superblock and used by Encode: a symbol
// table node holds up to 2*leafK entries and a B-tree node up to
// 2*internalK children. These are the HDF5 library defaults.
const (
	leafK     = 4
	internalK = 16
)

// Sizes of the encoder's structures, which always use 8-byte offsets and lengths.
const (
	superblockSize = 96                     // version 0 superblock including the root symbol table entry
	entrySize      = 40                     // symbol table entry
	snodSize       = 8 + 2*leafK*40         // symbol table node
	btreeNodeSize  = 24 + (4*internalK+1)*8 // group B-tree node: header, 2K+1 keys, 2K children
	heapHeaderSize = 32                     // local heap header
	gheapMinSize   = 4096                   // smallest global heap collection the HDF5 library writes
	maxRank        = 32                     // H5S_MAX_RANK
)

// undef is the "undefined address" for 8-byte offsets.
const undef = ^uint64(0)

// Errors returned by Decode. Other errors wrap ErrFormat.
var (
	// ErrNotHDF5 means the input does not start with an HDF5 signature.
	ErrNotHDF5 = errors.New("h5: not an HDF5 file")
	// ErrTruncated means a structure extends past the end of the input.
	ErrTruncated = errors.New("h5: truncated file")
	// ErrFormat is wrapped by every other decoding error: a malformed,
	// hostile or unsupported file.
	ErrFormat = errors.New("h5: invalid or unsupported file")
	// ErrTooManyValues is wrapped, with ErrFormat, by the error of
	// DecodeLimited for a file whose datasets hold more values than its
	// limit.
	ErrTooManyValues = errors.New("h5: more values than the limit")
)

// formatErr is a decoding error other than truncation; kind, if set, is
// a more specific error that it also wraps.
type formatErr struct {
	msg  string
	kind error
}

// Error implements error.
func (e *formatErr) Error() string { return "h5: " + e.msg }

// Is makes errors.Is(err, ErrFormat) true, and errors.Is(err, e.kind).
func (e *formatErr) Is(target error) bool {
	return target == ErrFormat || (e.kind != nil && target == e.kind)
}

// formatError returns an error wrapping ErrFormat.
func formatError(format string, args ...any) error {
	return &formatErr{msg: fmt.Sprintf(format, args...)}
}

// align8 rounds n up to a multiple of 8.
func align8(n int) int { return (n + 7) &^ 7 }

// datatypeMessage returns the encoded datatype message for t, unpadded.
func datatypeMessage(t DType) []byte {
	le := binary.LittleEndian
	size := t.Size()
	if t.isFloat() {
		b := make([]byte, 20)
		b[0] = 1<<4 | classFloat // version 1
		// Bit field: little-endian, no padding, mantissa normalised with an
		// implied leading 1 (bits 4-5 = 2); byte 1 holds the sign bit position.
		b[1] = 0x20
		b[2] = byte(8*size - 1)
		le.PutUint32(b[4:], uint32(size))
		le.PutUint16(b[8:], 0)               // bit offset
		le.PutUint16(b[10:], uint16(8*size)) // precision
		if t == Float64 {
			b[12], b[13], b[14], b[15] = 52, 11, 0, 52 // exponent location/size, mantissa location/size
			le.PutUint32(b[16:], 1023)
		} else {
			b[12], b[13], b[14], b[15] = 23, 8, 0, 23
			le.PutUint32(b[16:], 127)
		}
		return b
	}
	b := make([]byte, 12)
	b[0] = 1<<4 | classFixedPoint
	if t.isSigned() {
		b[1] = 0x08
	}
	le.PutUint32(b[4:], uint32(size))
	le.PutUint16(b[8:], 0)
	le.PutUint16(b[10:], uint16(8*size))
	return b
}

// vlenStringDatatype is the datatype h5py writes for a Python str attribute:
// a variable-length string (version 1, class 9), NUL-terminated, UTF-8,
// whose base type is an unsigned 8-bit integer.
var vlenStringDatatype = []byte{
	1<<4 | classVarLen, 0x01, 0x01, 0x00, // type=string, padding=nullterm, charset=UTF-8
	16, 0, 0, 0, // size: 4-byte length + 8-byte heap address + 4-byte index
	1<<4 | classFixedPoint, 0, 0, 0, 1, 0, 0, 0, 0, 0, 8, 0, // base type: uint8
}

// dtypeInfo is a decoded datatype message.
type dtypeInfo struct {
	class     int
	size      int
	bigEndian bool
	dtype     DType // numeric classes only
	vlenStr   bool  // variable-length string
	strPad    int   // string padding: 0 nullterm, 1 nullpad, 2 spacepad
}

// parseDatatype decodes a datatype message. Numeric types it cannot map to a
// DType, and classes other than fixed-point, float and strings, give an error.
func parseDatatype(b []byte) (dtypeInfo, error) {
	var info dtypeInfo
	if len(b) < 8 {
		return info, ErrTruncated
	}
	le := binary.LittleEndian
	version := b[0] >> 4
	info.class = int(b[0] & 0x0f)
	bits := uint32(b[1]) | uint32(b[2])<<8 | uint32(b[3])<<16
	info.size = int(le.Uint32(b[4:]))
	if version < 1 || version > 5 {
		return info, formatError("datatype version %d", version)
	}
	props := b[8:]
	switch info.class {
	case classFixedPoint:
		if len(props) < 4 {
			return info, ErrTruncated
		}
		info.bigEndian = bits&1 != 0
		if bits&0x06 != 0 {
			return info, formatError("integer padding bits are not supported")
		}
		signed := bits&0x08 != 0
		offset, precision := le.Uint16(props), le.Uint16(props[2:])
		if offset != 0 || int(precision) != 8*info.size {
			return info, formatError("integer with bit offset %d and precision %d", offset, precision)
		}
		switch {
		case info.size == 8 && signed:
			info.dtype = Int64
		case info.size == 4 && signed:
			info.dtype = Int32
		case info.size == 2 && signed:
			info.dtype = Int16
		case info.size == 1 && signed:
			info.dtype = Int8
		case info.size == 8:
			info.dtype = Uint64
		case info.size == 4:
			info.dtype = Uint32
		case info.size == 2:
			info.dtype = Uint16
		case info.size == 1:
			info.dtype = Uint8
		default:
			return info, formatError("%d-byte integers are not supported", info.size)
		}
	case classFloat:
		if len(props) < 12 {
			return info, ErrTruncated
		}
		// Byte order: bit 0 and bit 6 (VAX order when both are set).
		if bits&0x40 != 0 {
			return info, formatError("VAX floating point is not supported")
		}
		info.bigEndian = bits&1 != 0
		offset, precision := le.Uint16(props), le.Uint16(props[2:])
		expLoc, expSize, manLoc, manSize := props[4], props[5], props[6], props[7]
		bias := le.Uint32(props[8:])
		switch {
		case info.size == 8 && offset == 0 && precision == 64 && expLoc == 52 && expSize == 11 &&
			manLoc == 0 && manSize == 52 && bias == 1023 && bits>>8&0xff == 63:
			info.dtype = Float64
		case info.size == 4 && offset == 0 && precision == 32 && expLoc == 23 && expSize == 8 &&
			manLoc == 0 && manSize == 23 && bias == 127 && bits>>8&0xff == 31:
			info.dtype = Float32
		default:
			return info, formatError("%d-byte float layout is not IEEE binary32/binary64", info.size)
		}
	case classString:
		info.strPad = int(bits & 0x0f)
	case classVarLen:
		if bits&0x0f != 1 {
			return info, formatError("variable-length sequences are not supported")
		}
		info.vlenStr = true
		info.strPad = int(bits >> 4 & 0x0f)
	default:
		return info, formatError("datatype class %d is not supported", info.class)
	}
	return info, nil
}
