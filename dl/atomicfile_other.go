//go:build !(linux || darwin || dragonfly || freebsd || netbsd || openbsd)

package dl

import (
	"os"
	"time"
)

// renameWhileOpen says that writeFileAtomic closes its temporary file
// before renaming it: some systems (Windows) do not rename open files.
const renameWhileOpen = false

// lockTemp marks f, a new temporary file, as being written: without flock,
// a temporary file counts as abandoned once it is an hour old.
func lockTemp(f *os.File) bool { return sameName(f) }

// removeIfAbandoned removes the temporary file at path once it is an hour
// old.
func removeIfAbandoned(path string) {
	if fi, err := os.Lstat(path); err == nil && fi.Mode().IsRegular() && time.Since(fi.ModTime()) >= abandonedAfter {
		os.Remove(path)
	}
}
