package dl

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// archiveParts returns the config.json and model.weights.h5 of a .keras
// archive.
func archiveParts(t testing.TB, data []byte) (config, weights []byte) {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		switch f.Name {
		case "config.json":
			config = b
		case "model.weights.h5":
			weights = b
		}
	}
	return config, weights
}

// FuzzLoadArchive loads archives made of an arbitrary config.json and an
// arbitrary model.weights.h5, so that the fuzzer mutates the two parsers'
// inputs together (a config with the weights of another model, a weights
// file that declares other shapes) rather than the zip around them. It is
// seeded with the Keras files of testdata and small dl models of every
// layer. Nothing may panic; an error is a *dl.Error that names the file;
// a model that loads predicts or fails cleanly, and, saved again, loads
// back with the same weights.
//
//	go test ./dl -run '^$' -fuzz FuzzLoadArchive -fuzztime 3m
func FuzzLoadArchive(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(kerasFileDir, "*.keras"))
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			c, w := archiveParts(f, data)
			f.Add(c, w)
		}
	}
	c, w := archiveParts(f, validKeras(f))
	f.Add(c, w)
	for _, m := range []*Model{
		&NewSequential(Input(3, 2), &SimpleRNN{Units: 2, ReturnSequences: true}, &LSTM{Units: 2}, &Dense{Units: 1}).Model,
		&NewSequential(Input(3, 2), &GRU{Units: 2, NoResetAfter: true}, &Dropout{Rate: 0.5}, &Dense{Units: 1}).Model,
		func() *Model {
			a, b := Input(2), Input(2)
			h := Call(&Dense{Units: 2}, a)
			return Must(NewModel(Nodes{a, b}, Nodes{Call(&Add{}, h, b), Concat(h, Call(&Dense{Units: 1}, b))}))
		}(),
	} {
		c, w := configOf(f, m)
		f.Add(c, w)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, config, weights []byte) {
		path := filepath.Join(dir, "fuzz.keras")
		if err := os.WriteFile(path, makeZip([]zipEntry{{"config.json", config}, {"model.weights.h5", weights}}), 0o644); err != nil {
			t.Fatal(err)
		}
		load := func(path string) (m *Model, err error) {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("LoadModelWith panicked: %v", p)
				}
			}()
			return LoadModelWith(path, LoadOptions{MaxParams: 1 << 16, MaxConfigBytes: 1 << 20})
		}
		m, err := load(path)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !strings.Contains(err.Error(), path) {
				t.Fatalf("error %T %q is not a *dl.Error naming the file", err, err)
			}
			return
		}
		checkUsable(t, "loaded", m)
		again := filepath.Join(dir, "again.keras")
		if err := m.Save(again); err != nil {
			return // a model dl cannot write (a value Keras's JSON cannot hold)
		}
		l, err := load(again)
		if err != nil {
			t.Fatalf("the loaded model, saved again, does not load: %v", err)
		}
		got, want := weightBits(l), weightBits(m)
		if len(got) != len(want) {
			t.Fatalf("saved again, the model has %d weight arrays, not %d", len(got), len(want))
		}
		for i := range got {
			if !sameBits(got[i], want[i]) {
				t.Fatalf("saved again, weight %d changed", i)
			}
		}
	})
}
