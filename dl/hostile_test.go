//go:build linux

package dl

// Hostile files: each class of file that used to exhaust memory or time
// is loaded in a child process (this test binary, run again with
// DLGO_HOSTILE_CASE set) under a hard limit on its address space
// (setrlimit RLIMIT_AS, which, unlike debug.SetMemoryLimit, the runtime
// cannot exceed: an allocation beyond it is a fatal "out of memory"). The
// Go runtime reserves over a gigabyte of address space at start (VmSize)
// without using it, so the limit is what the child has reserved when the
// case starts plus hostileAddressSpace. The child reports what LoadModel
// returned and its peak resident memory (VmHWM in /proc/self/status,
// which counts from the exec; the rusage of a child started with vfork
// also counts the parent's memory at the fork); the parent checks the
// error and the peak.

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dlgo/dlgo/internal/h5"
)

const (
	hostileEnvCase = "DLGO_HOSTILE_CASE"
	hostileEnvPath = "DLGO_HOSTILE_PATH"
	// hostileAddressSpace is how much address space the child may add to
	// what it has reserved when the case starts; the files declare
	// gigabytes.
	hostileAddressSpace = 1 << 30
	// hostilePeak bounds the child's peak resident memory while it refuses
	// a hostile file; the test binary alone takes about 15 MiB.
	hostilePeak = 64 << 20
	// resultPrefix starts the line on which the child reports.
	resultPrefix = "hostile-result: "
)

// hostileResult is what the child reports.
type hostileResult struct {
	Err     string  // the error's text, "" if the load succeeded
	DLError bool    // the error is a *dl.Error
	Panic   string  // a recovered panic
	PeakKiB int     // VmHWM
	Seconds float64 // the time the load took
}

// hostileCase is one class of hostile file.
type hostileCase struct {
	name string
	// make writes the file (into dir) and returns its path.
	make func(t *testing.T, dir string) string
	// want lists substrings of which the error must contain one; empty
	// means that the file must load.
	want []string
	// weights loads the file with LoadWeights into a small model instead of
	// with LoadModel.
	weights bool
	// peak overrides hostilePeak.
	peak int
}

// smallModelFile returns the config.json and model.weights.h5 of a small
// saved model: Input(in...), then layers.
func smallModelFile(t testing.TB, in []int, layers ...Layer) (config, weights []byte) {
	m := NewSequential(append([]Layer{Input(in...)}, layers...)...)
	cfg, err := m.kerasConfig()
	if err != nil {
		t.Fatal(err)
	}
	if config, err = json.Marshal(cfg); err != nil {
		t.Fatal(err)
	}
	if weights, err = m.encodeWeights(); err != nil {
		t.Fatal(err)
	}
	return config, weights
}

// writeFile writes data to dir/name and returns the path.
func writeFile(t testing.TB, dir, name string, data []byte) string {
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// bombStream is a deflate stream, built without compressing gigabytes:
// each part is compressed on its own and flushed to a byte boundary, and a
// run of one repeated byte repeats the compressed form of one MiB of it
// (whose back-references stay inside that MiB).
type bombStream struct {
	data []byte // the compressed stream so far
	crc  uint32 // CRC-32 of the uncompressed data so far
	size uint64 // length of the uncompressed data so far
}

// compressed returns the flushed deflate form of b, compressed on its own.
func compressed(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(b)
	w.Flush()
	return buf.Bytes()
}

// add appends b.
func (s *bombStream) add(t testing.TB, b []byte) {
	s.data = append(s.data, compressed(t, b)...)
	s.crc = crc32.Update(s.crc, crc32.IEEETable, b)
	s.size += uint64(len(b))
}

// repeat appends mib MiB of the byte c.
func (s *bombStream) repeat(t testing.TB, c byte, mib int) {
	chunk := bytes.Repeat([]byte{c}, 1<<20)
	block := compressed(t, chunk)
	for range mib {
		s.data = append(s.data, block...)
		s.crc = crc32.Update(s.crc, crc32.IEEETable, chunk)
	}
	s.size += uint64(mib) << 20
}

// finish ends the stream with an empty final block.
func (s *bombStream) finish() []byte { return append(s.data, 0x03, 0x00) }

// rawMember is a zip member given by its compressed form.
type rawMember struct {
	name     string
	data     []byte // deflate stream, or the contents when stored
	crc      uint32
	size     uint64 // the uncompressed size the zip directory declares
	deflated bool
}

// storedMember returns a member stored as it is.
func storedMember(name string, data []byte) rawMember {
	return rawMember{name: name, data: data, crc: crc32.ChecksumIEEE(data), size: uint64(len(data))}
}

// writeRawZip writes a zip of the members as given (declared sizes and
// checksums included) to dir/name.
func writeRawZip(t testing.TB, dir, name string, members ...rawMember) string {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, m := range members {
		method := zip.Store
		if m.deflated {
			method = zip.Deflate
		}
		w, err := z.CreateRaw(&zip.FileHeader{Name: m.name, Method: method, CRC32: m.crc,
			CompressedSize64: uint64(len(m.data)), UncompressedSize64: m.size})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(m.data)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return writeFile(t, dir, name, b.Bytes())
}

// zeroPadded returns a deflated model.weights.h5 member that holds weights
// followed by mib MiB of zeros.
func zeroPadded(t testing.TB, weights []byte, mib int) rawMember {
	var s bombStream
	s.add(t, weights)
	s.repeat(t, 0, mib)
	return rawMember{name: "model.weights.h5", data: s.finish(), crc: s.crc, size: s.size, deflated: true}
}

// oneByteValues returns a weights file whose dataset layers/dense/vars/0
// declares n uint8 values in storage that was never written (which reads
// as zeros), and whose superblock declares n bytes more than it holds: the
// caller pads it.
func oneByteValues(t testing.TB, n int) []byte {
	root := &h5.Group{}
	root.RequireGroup("layers/dense/vars").AddDataset("0", h5.Uint8, []int{1}, []float64{0})
	b, err := h5.Encode(root)
	if err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	le.PutUint64(b[40:], uint64(len(b)+n)) // the superblock's end-of-file address
	// The dataset's object header, which the first symbol table node
	// (Encode writes children first: that of layers/dense/vars) points to:
	// version 1, 16 bytes, then messages of type, size, flags, 3 reserved
	// bytes and data.
	snod := bytes.Index(b, []byte("SNOD"))
	hdr := int(le.Uint64(b[snod+8+8:]))
	for p, k := hdr+16, int(le.Uint16(b[hdr+2:])); k > 0; k-- {
		typ, size := le.Uint16(b[p:]), int(le.Uint16(b[p+2:]))
		switch typ {
		case 1: // dataspace: version, rank, flags, 5 reserved, dimensions
			le.PutUint64(b[p+8+8:], uint64(n))
		case 8: // layout: version, class, address, size
			le.PutUint64(b[p+8+2:], ^uint64(0))
		}
		p += 8 + size
	}
	// Decoding stops at the dataset, having checked everything before it.
	if _, err := h5.DecodeLimited(append(b, make([]byte, n)...), n-1); err == nil ||
		!strings.Contains(err.Error(), fmt.Sprintf("layers/dense/vars/0: the datasets hold more than %d values", n-1)) {
		t.Fatalf("the crafted file does not declare %d values: %v", n, err)
	}
	return b
}

// hostileCases are the classes of hostile files, and a valid file of each
// kind as a check of the harness.
func hostileCases() []hostileCase {
	small := func(t *testing.T) (config, weights []byte) {
		return smallModelFile(t, []int{4}, &Dense{Units: 2}, &Dense{Units: 2}, &Dense{Units: 2}, &Dense{Units: 2})
	}
	configBomb := func(mib int, declared func(actual uint64) uint64) func(t *testing.T, dir string) string {
		return func(t *testing.T, dir string) string {
			config, weights := small(t)
			var s bombStream
			s.repeat(t, ' ', mib) // JSON allows any amount of white space
			s.add(t, config)
			size := s.size
			if declared != nil {
				size = declared(size)
			}
			return writeRawZip(t, dir, fmt.Sprintf("bomb%d.keras", mib),
				rawMember{name: "config.json", data: s.finish(), crc: s.crc, size: size, deflated: true},
				storedMember("model.weights.h5", weights))
		}
	}
	return []hostileCase{
		{name: "valid", want: nil, make: func(t *testing.T, dir string) string {
			config, weights := small(t)
			return writeRawZip(t, dir, "valid.keras", storedMember("config.json", config), storedMember("model.weights.h5", weights))
		}},
		{name: "dense_16384_x4", want: []string{"model.weights.h5 holds only"}, make: func(t *testing.T, dir string) string {
			config, weights := small(t)
			config = bytes.ReplaceAll(config, []byte(`"units":2`), []byte(`"units":16384`))
			return writeRawZip(t, dir, "dense.keras", storedMember("config.json", config), storedMember("model.weights.h5", weights))
		}},
		{name: "dense_16384_x4_weights_claimed", want: []string{"MaxParams"}, make: func(t *testing.T, dir string) string {
			config, weights := small(t)
			config = bytes.ReplaceAll(config, []byte(`"units":2`), []byte(`"units":16384`))
			return writeRawZip(t, dir, "dense_claimed.keras", storedMember("config.json", config), zeroPadded(t, weights, 1200))
		}},
		{name: "dense_4096_x2_weights_claimed", want: []string{"model.weights.h5 takes"}, peak: 512 << 20, make: func(t *testing.T, dir string) string {
			// Within MaxParams (25 million weights): the model is built,
			// without initializing its weights, then the weights file's
			// size is refused. The weights and their gradients (16 bytes a
			// weight, 400 MB) are allocated but not written: they mostly
			// stay out of memory, but the system may map them (transparent
			// huge pages), so the bound is what they take.
			config, weights := smallModelFile(t, []int{2048}, &Dense{Units: 2}, &Dense{Units: 2})
			config = bytes.ReplaceAll(config, []byte(`"units":2`), []byte(`"units":4096`))
			return writeRawZip(t, dir, "dense4096.keras", storedMember("config.json", config), zeroPadded(t, weights, 1200))
		}},
		{name: "lstm_4096", want: []string{"model.weights.h5 holds only"}, make: func(t *testing.T, dir string) string {
			config, weights := smallModelFile(t, []int{4, 1}, &LSTM{Units: 2}, &Dense{Units: 1})
			config = bytes.Replace(config, []byte(`"units":2`), []byte(`"units":4096`), 1)
			return writeRawZip(t, dir, "lstm.keras", storedMember("config.json", config), storedMember("model.weights.h5", weights))
		}},
		{name: "lstm_4096_weights_claimed", want: []string{"MaxParams"}, make: func(t *testing.T, dir string) string {
			// model.weights.h5 declares enough bytes for the weights (an
			// inflated run of zeros), so only MaxParams stops the config.
			config, weights := smallModelFile(t, []int{4, 1}, &LSTM{Units: 2}, &Dense{Units: 1})
			config = bytes.Replace(config, []byte(`"units":2`), []byte(`"units":4096`), 1)
			return writeRawZip(t, dir, "lstm_claimed.keras", storedMember("config.json", config), zeroPadded(t, weights, 1200))
		}},
		{name: "zip_bomb_config_1.2GB", want: []string{"config.json takes"}, make: configBomb(1200, nil)},
		{name: "zip_bomb_config_3.6GB", want: []string{"config.json takes"}, make: configBomb(3600, nil)},
		{name: "zip_bomb_config_size_understated", want: []string{"damaged: config.json"},
			make: configBomb(1200, func(uint64) uint64 { return 10 << 10 })},
		{name: "weights_padded_1.2GB", want: []string{"model.weights.h5 takes"}, make: func(t *testing.T, dir string) string {
			config, weights := small(t)
			return writeRawZip(t, dir, "padded.keras", storedMember("config.json", config), zeroPadded(t, weights, 1200))
		}},
		{name: "weights_one_byte_values", want: []string{"holds more numbers than the 1049600 weights"}, peak: 128 << 20, make: func(t *testing.T, dir string) string {
			// A model of a million weights, and a weights file of 30 MiB
			// (within what such a model may have) whose dataset declares 30
			// million one-byte values: 240 MB once decoded as float64.
			config, _ := smallModelFile(t, []int{1024}, &Dense{Units: 1024})
			return writeRawZip(t, dir, "bytes.keras", storedMember("config.json", config), zeroPadded(t, oneByteValues(t, 30<<20), 30))
		}},
		{name: "dev_zero", want: []string{"is a device"}, make: func(*testing.T, string) string { return "/dev/zero" }},
		{name: "named_pipe", want: []string{"is a named pipe"}, make: func(t *testing.T, dir string) string {
			path := filepath.Join(dir, "pipe.keras")
			if err := syscall.Mkfifo(path, 0o644); err != nil {
				t.Fatal(err)
			}
			return path
		}},
		{name: "two_config_members", want: []string{`two members named "config.json"`}, make: func(t *testing.T, dir string) string {
			config, weights := small(t)
			other := bytes.Replace(config, []byte(`"units":2`), []byte(`"units":3`), 1)
			return writeRawZip(t, dir, "dup.keras", storedMember("config.json", config), storedMember("model.weights.h5", weights),
				storedMember("config.json", other))
		}},
		{name: "valid_weights", weights: true, make: func(t *testing.T, dir string) string {
			_, weights := smallModelFile(t, []int{2}, &Dense{Units: 2}, &Dense{Units: 1})
			return writeFile(t, dir, "valid.weights.h5", weights)
		}},
		{name: "weights_file_1.2GB", weights: true, want: []string{"more than the"}, make: func(t *testing.T, dir string) string {
			_, weights := smallModelFile(t, []int{2}, &Dense{Units: 2}, &Dense{Units: 1})
			path := writeFile(t, dir, "big.weights.h5", weights)
			if err := os.Truncate(path, 1200<<20); err != nil { // sparse: takes no disk
				t.Fatal(err)
			}
			return path
		}},
		{name: "weights_dev_zero", weights: true, want: []string{"is a device"}, make: func(*testing.T, string) string { return "/dev/zero" }},
		{name: "valid_large", peak: 256 << 20, make: func(t *testing.T, dir string) string {
			// 4.2M weights (33 MiB): the memory a legitimate large load takes.
			m := NewSequential(Input(2048), &Dense{Units: 2048})
			path := filepath.Join(dir, "large.keras")
			if err := m.Save(path); err != nil {
				t.Fatal(err)
			}
			return path
		}},
	}
}

func TestHostileFiles(t *testing.T) {
	if name := os.Getenv(hostileEnvCase); name != "" {
		hostileChild(t, name, os.Getenv(hostileEnvPath))
		return
	}
	if testing.Short() {
		t.Skip("starts a process per class of file")
	}
	if underRace {
		t.Skip("the race detector's memory use and its address-space layout defeat the memory limits")
	}
	dir := t.TempDir()
	for _, c := range hostileCases() {
		t.Run(c.name, func(t *testing.T) {
			path := c.make(t, dir)
			if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
				t.Logf("file: %d bytes", fi.Size())
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHostileFiles$", "-test.count=1", "-test.v=false")
			cmd.Env = append(os.Environ(), hostileEnvCase+"="+c.name, hostileEnvPath+"="+path)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("the child failed (%v):\n%s", err, out)
			}
			var res hostileResult
			found := false
			for line := range strings.Lines(string(out)) {
				if rest, ok := strings.CutPrefix(line, resultPrefix); ok {
					found = json.Unmarshal([]byte(rest), &res) == nil
				}
			}
			if !found {
				t.Fatalf("the child reported nothing:\n%s", out)
			}
			t.Logf("peak memory %.1f MiB, %.3f s: %s", float64(res.PeakKiB)/1024, res.Seconds, res.Err)
			switch {
			case res.Panic != "":
				t.Fatalf("panicked: %s", res.Panic)
			case c.want == nil && res.Err != "":
				t.Fatalf("a valid file does not load: %s", res.Err)
			case c.want != nil && res.Err == "":
				t.Fatalf("the file loaded; want an error saying %q", c.want)
			case c.want != nil:
				if !res.DLError {
					t.Errorf("the error is not a *dl.Error")
				}
				ok := false
				for _, w := range c.want {
					ok = ok || strings.Contains(res.Err, w)
				}
				if !ok {
					t.Errorf("error %q says none of %q", res.Err, c.want)
				}
				if !strings.Contains(res.Err, path) {
					t.Errorf("error %q does not name the file", res.Err)
				}
			}
			peak := c.peak
			if peak == 0 {
				peak = hostilePeak
			}
			if res.PeakKiB<<10 > peak {
				t.Errorf("peak memory %.1f MiB, want at most %.0f MiB", float64(res.PeakKiB)/1024, float64(peak)/(1<<20))
			}
		})
	}
}

// hostileChild loads the file at path as the case called name says, under
// the address-space limit, and reports on stdout.
func hostileChild(t *testing.T, name, path string) {
	var c *hostileCase
	for _, hc := range hostileCases() {
		if hc.name == name {
			c = &hc
		}
	}
	if c == nil {
		t.Fatalf("no hostile case %q", name)
	}
	runtime.GC()
	as := uint64(procStatusKiB(t, "VmSize"))<<10 + hostileAddressSpace
	lim := syscall.Rlimit{Cur: as, Max: as}
	if err := syscall.Setrlimit(syscall.RLIMIT_AS, &lim); err != nil {
		t.Fatal(err)
	}
	var res hostileResult
	start := time.Now()
	func() {
		defer func() {
			if p := recover(); p != nil {
				res.Panic = fmt.Sprint(p)
			}
		}()
		var err error
		if c.weights {
			m := NewSequential(Input(2), &Dense{Units: 2}, &Dense{Units: 1})
			err = m.LoadWeights(path)
		} else {
			_, err = LoadModel(path)
		}
		if err != nil {
			var e *Error
			res.Err, res.DLError = err.Error(), errors.As(err, &e)
		}
	}()
	res.Seconds = time.Since(start).Seconds()
	res.PeakKiB = procStatusKiB(t, "VmHWM")
	b, _ := json.Marshal(res)
	fmt.Printf("\n%s%s\n", resultPrefix, b)
}

// procStatusKiB returns a memory figure of the process from
// /proc/self/status: VmHWM (peak resident memory), VmSize, ...
func procStatusKiB(t *testing.T, key string) int {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), key+":"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatalf("no %s in /proc/self/status", key)
	return 0
}
