//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package dl

// Saves killed at random moments, and what they leave behind: a child
// process (this test binary, run again with DLGO_ATOMIC_CHILD set) saves a
// model over and over, or stops in the middle of a save, and the parent
// kills it.

import (
	"bufio"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

const atomicEnv = "DLGO_ATOMIC_CHILD"

// killedSaveModel returns the model the child saves, with weights that the
// parent can check.
func killedSaveModel() *Model {
	m := NewSequential(Input(256), &Dense{Units: 512}, &Dense{Units: 8})
	for _, p := range m.params {
		for i := range p.value.data {
			p.value.data[i] = math.Sin(float64(i))
		}
	}
	return &m.Model
}

// atomicChild runs the child's part: "loop <path>" saves to path until it
// is killed, printing "saved" after each save; "hold <path>" starts a save
// to path, prints the name of its temporary file and waits to be killed.
func atomicChild(t *testing.T, mode string) {
	what, path, _ := strings.Cut(mode, " ")
	m := killedSaveModel()
	switch what {
	case "loop":
		for {
			if err := m.Save(path); err != nil {
				t.Fatal(err)
			}
			os.Stdout.WriteString("saved\n")
		}
	case "hold":
		err := writeFileAtomic(path, func(f *os.File) error {
			os.Stdout.WriteString("writing " + f.Name() + "\n")
			time.Sleep(time.Hour)
			return nil
		})
		t.Fatal(err)
	}
	t.Fatalf("unknown child mode %q", mode)
}

// startChild starts the child in mode and returns it with the first line
// it prints.
func startChild(t *testing.T, test, mode string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), atomicEnv+"="+mode)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the child printed nothing: %v", err)
	}
	return cmd, strings.TrimSpace(line)
}

// tempsOf lists the temporary files of saves to path.
func tempsOf(t *testing.T, path string) []string {
	t.Helper()
	var out []string
	for _, name := range dirNames(t, filepath.Dir(path)) {
		if isTempOf(name, path) {
			out = append(out, name)
		}
	}
	return out
}

// TestSaveKilled kills a process at random moments while it saves a model
// over and over. The file is never damaged: it is absent (before the first
// save completes) or a complete model. A kill during a write leaves a
// temporary file behind, and the next LoadModel or Save of the same path
// removes it.
func TestSaveKilled(t *testing.T) {
	if mode := os.Getenv(atomicEnv); mode != "" {
		atomicChild(t, mode)
		return
	}
	if testing.Short() || underRace {
		t.Skip("starts and kills processes (slow under the race detector, which has nothing to check in them)")
	}
	want := weightBits(killedSaveModel())
	dir := t.TempDir()
	path := filepath.Join(dir, "ckpt.keras")
	rng := rand.New(rand.NewPCG(1, 2))
	kills, left := 0, 0
	for kills < 100 && (kills < 20 || left < 3) {
		// Kill at a random moment of the save loop, once it runs.
		cmd, _ := startChild(t, "TestSaveKilled", "loop "+path)
		time.Sleep(time.Duration(rng.IntN(20_000)) * time.Microsecond)
		cmd.Process.Kill()
		cmd.Wait()
		kills++
		if len(tempsOf(t, path)) > 0 {
			left++
		}
		// The next load (or, every other time, the next save) cleans up.
		if kills%2 == 0 {
			if err := killedSaveModel().Save(path); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := os.Stat(path); err == nil {
			l, err := LoadModel(path)
			if err != nil {
				t.Fatalf("kill %d: the file does not load: %v", kills, err)
			}
			sameWeights(t, "the loaded model", weightBits(l), want, 0)
		}
		if temps := tempsOf(t, path); len(temps) > 0 {
			t.Fatalf("kill %d: %q remain after the next load or save", kills, temps)
		}
	}
	t.Logf("%d kills, %d left a temporary file, all removed by the next load or save", kills, left)
	if left == 0 {
		t.Errorf("no kill landed during a write in %d tries", kills)
	}
}

// TestSaveCleanupSparesLiveWriters checks that the cleanup removes a
// temporary file only once its writer is gone: not while a save is in
// progress in another process.
func TestSaveCleanupSparesLiveWriters(t *testing.T) {
	if mode := os.Getenv(atomicEnv); mode != "" {
		atomicChild(t, mode)
		return
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "m.keras")
	m := NewSequential(Input(2), &Dense{Units: 1})
	Check(m.Save(path))
	cmd, line := startChild(t, "TestSaveCleanupSparesLiveWriters", "hold "+path)
	tmp, ok := strings.CutPrefix(line, "writing ")
	if !ok {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the child says %q", line)
	}
	Check(m.Save(path))
	Must(LoadModel(path))
	if _, err := os.Stat(tmp); err != nil {
		t.Errorf("a save in progress lost its temporary file: %v", err)
	}
	cmd.Process.Kill()
	cmd.Wait()
	if _, err := os.Stat(tmp); err != nil {
		t.Fatalf("the killed save left nothing to clean: %v", err)
	}
	Must(LoadModel(path))
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Errorf("the abandoned temporary file is still there after LoadModel (%v)", err)
	}
}

// TestSaveConcurrent saves to one path from several goroutines at once:
// every save succeeds and the file is one of the models, whole.
func TestSaveConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.keras")
	models := make([]*Model, 4)
	for i := range models {
		models[i] = &NewSequential(Input(16), &Dense{Units: 32}, &Dense{Units: 1}).Model
	}
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for _, m := range models {
		wg.Go(func() {
			for range 10 {
				if err := m.Save(path); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	l := Must(LoadModel(path))
	found := false
	for _, m := range models {
		found = found || sameBits(l.GetWeights()[0].Data(), m.GetWeights()[0].Data())
	}
	if !found {
		t.Errorf("the file holds none of the saved models")
	}
	if temps := tempsOf(t, path); len(temps) > 0 {
		t.Errorf("%q remain", temps)
	}
}

// TestSavePermissions checks that a save keeps the permissions of the file
// it replaces, gives a new file 0666 less the umask, and writes through a
// symbolic link.
func TestSavePermissions(t *testing.T) {
	old := syscall.Umask(0o027)
	defer syscall.Umask(old)
	dir := t.TempDir()
	m := NewSequential(Input(2), &Dense{Units: 1})
	mode := func(path string) fs.FileMode {
		t.Helper()
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Mode().Perm()
	}

	fresh := filepath.Join(dir, "new.keras")
	Check(m.Save(fresh))
	if got := mode(fresh); got != 0o640 {
		t.Errorf("a new file has mode %v, want 0640 (0666 less the umask 027)", got)
	}
	for _, perm := range []fs.FileMode{0o600, 0o644, 0o664, 0o400} {
		path := filepath.Join(dir, "old.keras")
		os.Remove(path)
		Check(os.WriteFile(path, []byte("old"), 0o600))
		Check(os.Chmod(path, perm))
		if err := m.Save(path); err != nil {
			t.Fatal(err)
		}
		if got := mode(path); got != perm {
			t.Errorf("a file of mode %v has mode %v after the save", perm, got)
		}
	}
	weights := filepath.Join(dir, "w.weights.h5")
	Check(os.WriteFile(weights, nil, 0o600))
	Check(m.SaveWeights(weights))
	if got := mode(weights); got != 0o600 {
		t.Errorf("SaveWeights: mode %v, want 0600", got)
	}

	real := filepath.Join(dir, "real.keras")
	link := filepath.Join(dir, "link.keras")
	Check(os.WriteFile(real, []byte("old"), 0o600))
	Check(os.Symlink("real.keras", link))
	Check(m.Save(link))
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the symbolic link was replaced (%v)", err)
	}
	Must(LoadModel(real))
	if got := mode(real); got != 0o600 {
		t.Errorf("the linked file has mode %v, want 0600", got)
	}
}
