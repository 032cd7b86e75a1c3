package dl

import (
	"fmt"
	"math"
)

// TerminateOnNaN stops training when the loss becomes NaN or infinite
// (Keras: keras.callbacks.TerminateOnNaN). Without it Fit already stops at
// such a loss, with an error that suggests remedies; with it Fit stops as
// Keras does: it prints "Batch 3: Invalid loss, terminating training",
// finishes the epoch (whose loss is then nan) and returns the History
// without an error. With RaiseError it returns Keras's error instead.
type TerminateOnNaN struct {
	// RaiseError makes Fit fail with an error instead of stopping quietly
	// (Keras: raise_error).
	RaiseError bool

	BaseCallback
}

// OnTrainBatchEnd checks the running loss.
func (t *TerminateOnNaN) OnTrainBatchEnd(batch int, logs Logs) error {
	loss, ok := logs["loss"]
	if !ok || !(math.IsNaN(loss) || math.IsInf(loss, 0)) {
		return nil
	}
	if t.RaiseError {
		//lint:ignore ST1005 Keras's message, word for word
		return fmt.Errorf("TerminateOnNaN: NaN or Inf loss encountered at batch %d. Loss value: %s. Terminating training immediately.", batch, pyStr(loss))
	}
	t.printf("Batch %d: Invalid loss, terminating training\n", batch)
	t.Model().StopTraining = true
	return nil
}

var _ Callback = (*TerminateOnNaN)(nil)
