package dl

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
)

// ModelCheckpoint saves the model (or its weights) during training (Keras:
// keras.callbacks.ModelCheckpoint).
//
// Filepath is a Python format template filled with epoch (1-based), batch
// (with SaveFreq), and any logged value: "{epoch:03d}.keras" gives
// 001.keras, 002.keras, ...; "ckpt-{epoch:02d}-{val_loss:.2f}.keras" gives
// ckpt-01-0.45.keras. Missing directories are created. The template is
// checked when Fit starts, so a mistake is reported before any training.
//
// Every file is written atomically: a failed or interrupted save leaves
// the previous checkpoint in place.
type ModelCheckpoint struct {
	// Filepath is where to save: a ".keras" path, or ".weights.h5" with
	// SaveWeightsOnly. Required.
	Filepath string
	// Monitor is the logged value that decides "best" (default "val_loss").
	Monitor string
	// Verbose 1 prints a line for each save decision, in Keras's words.
	Verbose int
	// SaveBestOnly saves only when the monitored value improves.
	SaveBestOnly bool
	// SaveWeightsOnly saves only the weights (SaveWeights) instead of the
	// whole model (Save).
	SaveWeightsOnly bool
	// Mode is "auto" (default), "min" or "max", as for EarlyStopping.
	Mode string
	// SaveFreq is 0 to save at the end of every epoch (Keras: "epoch"), or
	// the number of batches between saves.
	SaveFreq int
	// InitialValueThreshold, when not 0, is the value the first save must
	// beat with SaveBestOnly (Keras: initial_value_threshold).
	InitialValueThreshold float64

	BaseCallback
	mon     monitor
	tmpl    *pyTemplate
	best    float64
	epoch   int
	batches int
}

// OnTrainBegin checks the settings and the template against the keys this
// Fit will log.
func (c *ModelCheckpoint) OnTrainBegin(Logs) error {
	m := c.Model()
	switch {
	case c.Filepath == "":
		return fmt.Errorf("ModelCheckpoint: Filepath is required, for example Filepath: \"best.keras\"")
	case c.SaveWeightsOnly && !strings.HasSuffix(c.Filepath, ".weights.h5"):
		return fmt.Errorf("ModelCheckpoint: with SaveWeightsOnly the Filepath must end in .weights.h5, received Filepath=%q", c.Filepath)
	case !c.SaveWeightsOnly && !strings.HasSuffix(c.Filepath, ".keras"):
		return fmt.Errorf("ModelCheckpoint: the Filepath must end in .keras (or use SaveWeightsOnly with .weights.h5), received Filepath=%q", c.Filepath)
	case c.SaveFreq < 0:
		return fmt.Errorf("ModelCheckpoint: SaveFreq must be 0 (every epoch) or a positive number of batches, received SaveFreq=%d", c.SaveFreq)
	}
	tmpl, err := parsePyTemplate(c.Filepath)
	if err != nil {
		return fmt.Errorf("ModelCheckpoint: Filepath %q: %v", c.Filepath, err)
	}
	for _, f := range tmpl.fields() {
		if f == "epoch" || (f == "batch" && c.SaveFreq > 0) {
			continue
		}
		ok := false
		for _, k := range m.fitKeys {
			ok = ok || k == f
		}
		if !ok {
			return fmt.Errorf("ModelCheckpoint: Filepath %q uses {%s}, which this Fit does not log; available are: epoch, %s",
				c.Filepath, f, strings.Join(m.fitKeys, ", "))
		}
	}
	c.tmpl = tmpl
	if c.SaveBestOnly {
		if c.mon, err = resolveMonitor("ModelCheckpoint", c.Monitor, c.Mode, m); err != nil {
			return err
		}
	}
	c.best = math.NaN()
	if c.InitialValueThreshold != 0 {
		c.best = c.InitialValueThreshold
	}
	c.batches = 0
	return nil
}

// OnEpochBegin remembers the epoch for batch-frequency saves.
func (c *ModelCheckpoint) OnEpochBegin(epoch int, _ Logs) error {
	c.epoch = epoch
	return nil
}

// OnTrainBatchEnd saves every SaveFreq batches.
func (c *ModelCheckpoint) OnTrainBatchEnd(batch int, logs Logs) error {
	if c.SaveFreq <= 0 {
		return nil
	}
	c.batches++
	if c.batches < c.SaveFreq {
		return nil
	}
	c.batches = 0
	return c.save(c.epoch, batch, logs)
}

// OnEpochEnd saves at the end of an epoch.
func (c *ModelCheckpoint) OnEpochEnd(epoch int, logs Logs) error {
	if c.SaveFreq > 0 {
		return nil
	}
	return c.save(epoch, -1, logs)
}

// save decides whether to save and does it.
func (c *ModelCheckpoint) save(epoch, batch int, logs Logs) error {
	ints := map[string]int{"epoch": epoch + 1}
	if batch >= 0 {
		ints["batch"] = batch + 1
	}
	path, err := c.tmpl.format(ints, logs)
	if err != nil {
		return fmt.Errorf("ModelCheckpoint: Filepath %q: %v", c.Filepath, err)
	}
	if c.SaveBestOnly {
		current := logs[c.mon.key]
		if !c.mon.improved(current, c.best) {
			c.say("\nEpoch %d: %s did not improve from %s\n", epoch+1, c.mon.key, c.bestText())
			return nil
		}
		c.say("\nEpoch %d: %s improved from %s to %.5f, saving model to %s\n", epoch+1, c.mon.key, c.bestText(), current, path)
		c.best = current
	} else {
		c.say("\nEpoch %d: saving model to %s\n", epoch+1, path)
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("ModelCheckpoint: %w", err)
		}
	}
	if c.SaveWeightsOnly {
		return c.Model().SaveWeights(path)
	}
	return c.Model().Save(path)
}

// bestText formats the best value as Keras ≤ 3.10 prints it: "inf" (or
// "-inf" when larger is better) before the first save.
func (c *ModelCheckpoint) bestText() string {
	if math.IsNaN(c.best) {
		if c.mon.higher {
			return "-inf"
		}
		return "inf"
	}
	return fmt.Sprintf("%.5f", c.best)
}

// say prints a message when Verbose is on.
func (c *ModelCheckpoint) say(format string, args ...any) {
	if c.Verbose > 0 {
		c.printf(format, args...)
	}
}
