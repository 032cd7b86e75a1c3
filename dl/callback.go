package dl

// Logs holds named values such as "loss" and "val_accuracy" (Keras: the logs
// dict passed to callbacks). Within an epoch they are running means; at
// epoch end they are the epoch's values.
type Logs map[string]float64

// Callback receives events during Fit and Evaluate (Keras:
// keras.callbacks.Callback). Embed BaseCallback in your own type and
// override only the methods you need. Returning an error from any hook stops
// Fit with that error; to stop training gracefully, set
// Model().StopTraining = true, as a Keras callback sets
// self.model.stop_training.
//
// Epochs and batches are counted from 0, as in Keras; messages for people
// print epoch+1.
type Callback interface {
	// SetModel is called by Fit before any hook with the model being trained.
	SetModel(m *Model)
	OnTrainBegin(logs Logs) error
	OnTrainEnd(logs Logs) error
	OnEpochBegin(epoch int, logs Logs) error
	OnEpochEnd(epoch int, logs Logs) error
	OnTrainBatchBegin(batch int, logs Logs) error
	OnTrainBatchEnd(batch int, logs Logs) error
	OnTestBegin(logs Logs) error
	OnTestEnd(logs Logs) error
	OnTestBatchBegin(batch int, logs Logs) error
	OnTestBatchEnd(batch int, logs Logs) error
}

// BaseCallback implements every Callback method as a no-op and remembers the
// model. Embed it to write a callback:
//
//	type printer struct{ dl.BaseCallback }
//
//	func (p *printer) OnEpochEnd(epoch int, logs dl.Logs) error {
//		fmt.Println(epoch+1, logs["loss"])
//		return nil
//	}
type BaseCallback struct {
	model *Model
}

// SetModel implements Callback.
func (c *BaseCallback) SetModel(m *Model) { c.model = m }

// Model returns the model being trained (Keras: self.model).
func (c *BaseCallback) Model() *Model { return c.model }

// OnTrainBegin implements Callback.
func (c *BaseCallback) OnTrainBegin(Logs) error { return nil }

// OnTrainEnd implements Callback.
func (c *BaseCallback) OnTrainEnd(Logs) error { return nil }

// OnEpochBegin implements Callback.
func (c *BaseCallback) OnEpochBegin(int, Logs) error { return nil }

// OnEpochEnd implements Callback.
func (c *BaseCallback) OnEpochEnd(int, Logs) error { return nil }

// OnTrainBatchBegin implements Callback.
func (c *BaseCallback) OnTrainBatchBegin(int, Logs) error { return nil }

// OnTrainBatchEnd implements Callback.
func (c *BaseCallback) OnTrainBatchEnd(int, Logs) error { return nil }

// OnTestBegin implements Callback.
func (c *BaseCallback) OnTestBegin(Logs) error { return nil }

// OnTestEnd implements Callback.
func (c *BaseCallback) OnTestEnd(Logs) error { return nil }

// OnTestBatchBegin implements Callback.
func (c *BaseCallback) OnTestBatchBegin(int, Logs) error { return nil }

// OnTestBatchEnd implements Callback.
func (c *BaseCallback) OnTestBatchEnd(int, Logs) error { return nil }
