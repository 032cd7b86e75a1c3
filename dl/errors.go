package dl

import (
	"errors"
	"fmt"
)

// Error is the type of every error that dl's top-level verbs (Compile, Fit,
// Evaluate, Predict, ...) and dl/prep's functions return for a user mistake.
// Its message reads like Keras's: where the problem is, the argument as
// written, the value received, and how to fix it.
//
// A program inspects it with errors.As, and reaches its cause with
// errors.Is: a file that does not exist gives an error for which
// errors.Is(err, fs.ErrNotExist) is true.
type Error struct {
	// Op is the verb that failed, such as "Fit" or "Compile".
	Op string
	// Msg is the explanation.
	Msg string
	// Err is the underlying cause when there is one (an error of the file
	// system, or the error a callback returned), nil otherwise. Msg already
	// includes its text.
	Err error
	// Pkg is the package that reports the error: "" for dl, "prep" for
	// dl/prep. It is the first word of the message.
	Pkg string
}

// Error implements the error interface: "dl: Op: Msg" (or "prep: ...").
func (e *Error) Error() string {
	pkg := e.Pkg
	if pkg == "" {
		pkg = "dl"
	}
	return pkg + ": " + e.Op + ": " + e.Msg
}

// Unwrap returns the cause, so that errors.Is and errors.As see it.
func (e *Error) Unwrap() error { return e.Err }

// errorf returns an *Error for op with a formatted message. A %w verb in
// format makes its argument the cause (Err), as with fmt.Errorf.
func errorf(op, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	return &Error{Op: op, Msg: err.Error(), Err: errors.Unwrap(err)}
}

// userPanic carries an *Error through internal code that cannot return one;
// the top-level verbs recover it (and only it) into their returned error.
type userPanic struct{ err error }

// throw aborts the current verb with a user-facing error.
func throw(op, format string, args ...any) {
	panic(userPanic{errorf(op, format, args...)})
}

// catch recovers a userPanic into *err; any other panic is a bug and keeps going.
func catch(err *error) {
	if r := recover(); r != nil {
		if u, ok := r.(userPanic); ok {
			*err = u.err
			return
		}
		panic(r)
	}
}

// Must returns v, or panics if err is not nil. It keeps notebook cells short:
//
//	hist := dl.Must(model.Fit(x, y, dl.FitOptions{Epochs: 10}))
func Must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// Check panics if err is not nil. It is the one-line error check for notebook
// cells: dl.Check(model.Compile(...)).
func Check(err error) {
	if err != nil {
		panic(err)
	}
}
