//go:build unix

package nbrun

import (
	"os/exec"
	"syscall"
)

// setProcessGroup runs cmd in a process group of its own and makes the
// command's cancellation kill the whole group: the executor, and the kernel
// and cell programs it started, if they are still in the group.
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
