//go:build !(linux || darwin || dragonfly || freebsd || netbsd || openbsd)

package prep

import "errors"

// mkfifo creates a named pipe, where the system has them.
func mkfifo(string) error { return errors.ErrUnsupported }
