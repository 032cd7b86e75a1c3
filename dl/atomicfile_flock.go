//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package dl

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// renameWhileOpen says that writeFileAtomic renames its temporary file
// before closing it, so that the file is locked until it has its final name.
const renameWhileOpen = true

// lockTemp takes the lock that marks f, a new temporary file, as being
// written, and reports whether f still has its name (a cleanup that ran
// between its creation and the lock may have removed it). Where the file
// system does not support locks, f stays unlocked and counts as abandoned
// only once it is an hour old.
func lockTemp(f *os.File) bool {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		break
	}
	return sameName(f)
}

// removeIfAbandoned removes the temporary file at path if no writer holds
// its lock.
func removeIfAbandoned(path string) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		return
	}
	defer f.Close()
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	switch {
	case err == nil:
	case errors.Is(err, syscall.EWOULDBLOCK), errors.Is(err, syscall.EINTR):
		return // a writer is at work
	default: // no locks on this file system
		if fi, err := f.Stat(); err != nil || time.Since(fi.ModTime()) < abandonedAfter {
			return
		}
	}
	if sameName(f) {
		os.Remove(path)
	}
}
