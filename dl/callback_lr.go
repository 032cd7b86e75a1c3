package dl

import (
	"fmt"
	"math"
)

// ReduceLROnPlateau reduces the learning rate when a monitored value has
// stopped improving (Keras: keras.callbacks.ReduceLROnPlateau). It follows
// Keras's counters exactly: at each epoch end it logs the learning rate in
// effect as "learning_rate" (History records it); during a cooldown the
// cooldown counter goes down and the wait counter is reset; an improvement
// resets the wait counter; otherwise, outside a cooldown, the wait counter
// goes up, and once it reaches Patience the learning rate is multiplied by
// Factor (but not below MinLR) and a cooldown of Cooldown epochs starts.
// It can be reused across Fit calls.
//
// The zero value of each field is Keras's default. As for EarlyStopping, a
// Monitor that Fit does not log is an error at the start of Fit (Keras only
// warns).
type ReduceLROnPlateau struct {
	// Monitor is the logged value to watch (default "val_loss").
	Monitor string
	// Factor multiplies the learning rate at each reduction (default 0.1);
	// it must be less than 1.
	Factor float64
	// Patience is the number of epochs without improvement after which the
	// learning rate is reduced (default 10). Since the wait counter is
	// incremented before the test, 1 reduces at the first epoch that does
	// not improve, as Keras's 0 and 1 both do.
	Patience int
	// Verbose 1 prints a message at each reduction.
	Verbose int
	// Mode is "auto" (default: from the monitored value's name), "min" or "max".
	Mode string
	// MinDelta is the smallest change that counts as an improvement
	// (default 1e-4; its sign is ignored). Use NoMinDelta for none.
	MinDelta float64
	// Cooldown is the number of epochs to wait after a reduction before
	// counting epochs without improvement again (default 0).
	Cooldown int
	// MinLR is the lower bound of the learning rate (default 0).
	MinLR float64

	BaseCallback
	mon      monitor
	factor   float64
	patience int
	wait     int
	cooldown int
	best     float64
}

// NoMinDelta is a MinDelta for ReduceLROnPlateau under which any
// improvement counts (Keras: min_delta=0), since 0 means Keras's default
// 1e-4: the smallest positive number, which changes no value it is added
// to or subtracted from (except denormal ones).
const NoMinDelta = math.SmallestNonzeroFloat64

// Wait returns the number of epochs without improvement counted so far
// (Keras: wait).
func (r *ReduceLROnPlateau) Wait() int { return r.wait }

// CooldownCounter returns the number of cooldown epochs left (Keras:
// cooldown_counter).
func (r *ReduceLROnPlateau) CooldownCounter() int { return r.cooldown }

// Best returns the best monitored value so far, or NaN before the first
// (Keras: best).
func (r *ReduceLROnPlateau) Best() float64 { return r.best }

// OnTrainBegin checks the settings and resets the counters.
func (r *ReduceLROnPlateau) OnTrainBegin(Logs) error {
	r.factor = or(r.Factor, 0.1)
	if r.factor >= 1 {
		return fmt.Errorf("ReduceLROnPlateau: Factor must be less than 1 (the learning rate is multiplied by it), received Factor=%v", r.Factor)
	}
	if r.MinLR < 0 || math.IsNaN(r.MinLR) {
		return fmt.Errorf("ReduceLROnPlateau: MinLR must be 0 or more, received MinLR=%v", r.MinLR)
	}
	mon, err := resolveMonitor("ReduceLROnPlateau", r.Monitor, r.Mode, r.Model())
	if err != nil {
		return err
	}
	mon.minDelta = 1e-4
	if r.MinDelta != 0 {
		mon.minDelta = math.Abs(r.MinDelta)
	}
	r.mon = mon
	r.patience = r.Patience
	if r.patience == 0 {
		r.patience = 10
	}
	r.wait, r.cooldown, r.best = 0, 0, math.NaN()
	return nil
}

// OnEpochEnd logs the learning rate and reduces it when patience has run
// out.
func (r *ReduceLROnPlateau) OnEpochEnd(epoch int, logs Logs) error {
	opt := r.Model().compiled.optimizer
	lr := opt.CurrentLearningRate()
	logs["learning_rate"] = lr
	current, ok := logs[r.mon.key]
	if !ok {
		return nil
	}
	if r.cooldown > 0 {
		r.cooldown--
		r.wait = 0
	}
	switch {
	case r.mon.improved(current, r.best):
		r.best, r.wait = current, 0
	case r.cooldown <= 0:
		r.wait++
		// Keras compares the rates in float32 (np.float32(min_lr)).
		if r.wait >= r.patience && float32(lr) > float32(r.MinLR) {
			lr = max(lr*r.factor, r.MinLR)
			opt.SetLearningRate(lr)
			if r.Verbose > 0 {
				r.printf("\nEpoch %d: ReduceLROnPlateau reducing learning rate to %s.\n", epoch+1, pyStr(lr))
			}
			r.cooldown, r.wait = r.Cooldown, 0
		}
	}
	return nil
}

// LearningRateScheduler sets the learning rate at the start of each epoch
// to what Schedule returns (Keras: keras.callbacks.LearningRateScheduler),
// and logs it at each epoch end as "learning_rate", which History records.
type LearningRateScheduler struct {
	// Schedule returns the learning rate of an epoch (counting from 0)
	// given the current one. Required. It must return a finite number > 0.
	Schedule func(epoch int, lr float64) float64
	// Verbose 1 prints the learning rate set at each epoch.
	Verbose int

	BaseCallback
}

// OnTrainBegin checks that there is a Schedule.
func (s *LearningRateScheduler) OnTrainBegin(Logs) error {
	if s.Schedule == nil {
		return fmt.Errorf("LearningRateScheduler: Schedule is required, for example " +
			"Schedule: func(epoch int, lr float64) float64 { if epoch < 10 { return lr }; return lr * 0.9 }")
	}
	return nil
}

// OnEpochBegin sets the epoch's learning rate.
func (s *LearningRateScheduler) OnEpochBegin(epoch int, _ Logs) error {
	opt := s.Model().compiled.optimizer
	lr := s.Schedule(epoch, opt.CurrentLearningRate())
	if !(lr > 0) || math.IsInf(lr, 0) {
		return fmt.Errorf("LearningRateScheduler: Schedule returned %v for epoch %d; a learning rate must be a finite number > 0", lr, epoch)
	}
	opt.SetLearningRate(lr)
	if s.Verbose > 0 {
		s.printf("\nEpoch %d: LearningRateScheduler setting learning rate to %s.\n", epoch+1, pyStr(lr))
	}
	return nil
}

// OnEpochEnd logs the learning rate.
func (s *LearningRateScheduler) OnEpochEnd(_ int, logs Logs) error {
	logs["learning_rate"] = s.Model().compiled.optimizer.CurrentLearningRate()
	return nil
}

var (
	_ Callback = (*ReduceLROnPlateau)(nil)
	_ Callback = (*LearningRateScheduler)(nil)
)
