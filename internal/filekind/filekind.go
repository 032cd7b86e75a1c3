// Package filekind names what a path is when it is not a regular file, for
// the errors of the readers that accept only files (dl.LoadModel,
// prep.ReadCSV, prep.ReadJSON): a directory, a named pipe or a device would
// otherwise block or read without end.
package filekind

import "io/fs"

// Of returns "" for a regular file, else what mode is: "a directory",
// "a named pipe", "a socket", "a device" or "a special file".
func Of(mode fs.FileMode) string {
	switch {
	case mode.IsRegular():
		return ""
	case mode.IsDir():
		return "a directory"
	case mode&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case mode&fs.ModeSocket != 0:
		return "a socket"
	case mode&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}
