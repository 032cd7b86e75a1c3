package dl

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// writeFileAtomic writes the bytes that write produces to path so that path
// holds either its old contents or the complete new ones, never a mix: it
// writes a temporary file in the same directory, syncs it, and renames it
// over path. On any error the temporary file is removed and path is
// untouched.
//
// The new file keeps the permission bits of the file it replaces; a file
// that did not exist gets 0666 less the umask, as os.Create gives. When
// path is a symbolic link, the file it points to is replaced and the link
// stays.
//
// A process killed during the write leaves its temporary file,
// ".<name>.tmp-<digits>", behind. The next writeFileAtomic of the same path
// (and LoadModel or LoadWeights of it) removes such leftovers once their
// writer is gone: a writer holds a lock on its temporary file (flock, on
// Linux, macOS and the BSDs; elsewhere a leftover counts as abandoned when
// it is an hour old), so a save in progress in another goroutine or process
// is never disturbed.
func writeFileAtomic(path string, write func(f *os.File) error) (err error) {
	target := path
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if real, err := filepath.EvalSymlinks(path); err == nil {
			target = real
		}
	}
	perm, keep := fs.FileMode(0o666), false
	if fi, err := os.Stat(target); err == nil && fi.Mode().IsRegular() {
		perm, keep = fi.Mode().Perm(), true
	}
	removeStaleTemps(target)
	// Created with the old file's permissions (less the umask, and set
	// exactly below), the temporary file is never readable more widely
	// than the file it replaces.
	f, err := createLockedTemp(target, perm)
	if err != nil {
		return err
	}
	tmp := f.Name()
	closed := false
	defer func() {
		if !closed {
			f.Close()
		}
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if err = write(f); err != nil {
		return err
	}
	if keep {
		if err = f.Chmod(perm); err != nil {
			return err
		}
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if !renameWhileOpen {
		closed = true
		if err = f.Close(); err != nil {
			return err
		}
	}
	if err = os.Rename(tmp, target); err != nil {
		return fmt.Errorf("replacing %s: %w", path, err)
	}
	if !closed {
		// The data is synced and in place: closing only releases the lock.
		closed = true
		f.Close()
	}
	return nil
}

// tempPrefix returns the prefix of the temporary files of target:
// ".<name>.tmp-", followed by digits.
func tempPrefix(target string) string {
	return filepath.Join(filepath.Dir(target), "."+filepath.Base(target)+".tmp-")
}

// isTempOf reports whether name (a file name without directory) is a
// temporary file of a save to target.
func isTempOf(name, target string) bool {
	digits, ok := strings.CutPrefix(name, "."+filepath.Base(target)+".tmp-")
	if !ok || digits == "" {
		return false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// createLockedTemp creates a new temporary file for target, in its
// directory, with mode perm less the umask, and locks it where the system
// allows (see writeFileAtomic).
func createLockedTemp(target string, perm fs.FileMode) (*os.File, error) {
	prefix := tempPrefix(target)
	for range 1000 {
		name := prefix + strconv.FormatUint(uint64(rand.Uint32()), 10)
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if lockTemp(f) {
			return f, nil
		}
		f.Close() // another save's cleanup removed it before the lock: take another name
	}
	return nil, fmt.Errorf("cannot create a temporary file %s*: too many exist", prefix)
}

// removeStaleTemps removes the temporary files of earlier saves to target
// (or, if target is a symbolic link, to the file it points to) whose
// writers are gone. It is best effort: errors leave files in place.
func removeStaleTemps(target string) {
	if real, err := filepath.EvalSymlinks(target); err == nil {
		target = real
	}
	dir := filepath.Dir(target)
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	defer d.Close()
	for {
		// A few entries at a time: the directory may hold a data set.
		entries, err := d.ReadDir(256)
		for _, e := range entries {
			if e.Type().IsRegular() && isTempOf(e.Name(), target) {
				removeIfAbandoned(filepath.Join(dir, e.Name()))
			}
		}
		if err != nil {
			return
		}
	}
}

// abandonedAfter is the age at which a temporary file counts as abandoned
// where it cannot be locked.
const abandonedAfter = time.Hour

// sameName reports whether f is still the file at its name.
func sameName(f *os.File) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Lstat(f.Name())
	return err == nil && os.SameFile(a, b)
}
