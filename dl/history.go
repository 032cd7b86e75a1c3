package dl

import (
	"encoding/json"
	"fmt"
	"os"
)

// historyFile is History's JSON form: Keras's history dict plus the epoch
// list, params and key order.
type historyFile struct {
	History map[string][]float64 `json:"history"`
	Epoch   []int                `json:"epoch"`
	Params  map[string]int       `json:"params"`
	Keys    []string             `json:"keys"`
}

// Save writes the history to a JSON file, so that a later notebook cell
// (a new process) can plot what an earlier cell trained. The write is
// atomic.
func (h *History) Save(path string) error {
	b, err := json.MarshalIndent(historyFile{History: h.History, Epoch: h.Epoch, Params: h.Params, Keys: h.keys}, "", " ")
	if err != nil {
		return errorf("History.Save", "%v", err)
	}
	err = writeFileAtomic(path, func(f *os.File) error {
		_, err := f.Write(append(b, '\n'))
		return err
	})
	if err != nil {
		return errorf("History.Save", "%v", err)
	}
	return nil
}

// LoadHistory reads a history written by History.Save.
func LoadHistory(path string) (*History, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, errorf("LoadHistory", "%v", err)
	}
	var f historyFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, errorf("LoadHistory", "%s is not a saved History: %v", path, err)
	}
	for _, k := range f.Keys {
		if len(f.History[k]) != len(f.Epoch) {
			return nil, errorf("LoadHistory", "%s is damaged: %q has %d values for %d epochs", path, k, len(f.History[k]), len(f.Epoch))
		}
	}
	if len(f.Keys) != len(f.History) {
		return nil, errorf("LoadHistory", "%s is damaged: %d keys listed, %d recorded", path, len(f.Keys), len(f.History))
	}
	return &History{History: f.History, Epoch: f.Epoch, Params: f.Params, keys: f.Keys}, nil
}

// String summarizes the history: its epochs and last values.
func (h *History) String() string {
	s := fmt.Sprintf("History(%d epochs", len(h.Epoch))
	for _, k := range h.keys {
		if v := h.History[k]; len(v) > 0 {
			s += fmt.Sprintf(", %s=%.4g", k, v[len(v)-1])
		}
	}
	return s + ")"
}
