package dl

import "fmt"

// Error is the type of every error that dl's top-level verbs (Compile, Fit,
// Evaluate, Predict, ...) return for a user mistake. Its message reads like
// Keras's: where the problem is, the argument as written, the value received,
// and how to fix it.
type Error struct {
	// Op is the verb that failed, such as "Fit" or "Compile".
	Op string
	// Msg is the explanation.
	Msg string
}

// Error implements the error interface.
func (e *Error) Error() string { return "dl: " + e.Op + ": " + e.Msg }

// errorf returns an *Error for op with a formatted message.
func errorf(op, format string, args ...any) error {
	return &Error{Op: op, Msg: fmt.Sprintf(format, args...)}
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
