//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package prep

import "syscall"

// mkfifo creates a named pipe.
func mkfifo(path string) error { return syscall.Mkfifo(path, 0o644) }
