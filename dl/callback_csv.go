package dl

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// CSVLogger writes the values of each epoch to a CSV file (Keras:
// keras.callbacks.CSVLogger), byte for byte as Keras does: a header
// "epoch,accuracy,loss,..." with the keys of the first epoch sorted (and,
// when none starts with "val_", their "val_" versions too, filled with NA),
// then one row per epoch, the epoch counted from 0, numbers as Python's
// repr prints them, and lines ending in "\r\n". Each row is written when its
// epoch ends, so the file can be watched during training.
type CSVLogger struct {
	// Filename is the file to write. Required.
	Filename string
	// Separator is the one-character field separator (default ",").
	Separator string
	// Append adds rows to an existing file instead of replacing it; the
	// header is written only if the file is empty.
	Append bool

	BaseCallback
	f          *os.File
	keys       []string
	writeHead  bool
	sep        string
	headerDone bool
	buf        []byte
}

// OnTrainBegin opens the file.
func (c *CSVLogger) OnTrainBegin(Logs) error {
	c.sep = c.Separator
	if c.sep == "" {
		c.sep = ","
	}
	switch {
	case c.Filename == "":
		return fmt.Errorf("CSVLogger: Filename is required, for example Filename: \"training.csv\"")
	case utf8.RuneCountInString(c.sep) != 1 || strings.ContainsAny(c.sep, "\"\r\n"):
		return fmt.Errorf("CSVLogger: Separator must be one character other than a quote or a line break, received Separator=%q", c.Separator)
	}
	c.close()
	flag := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	c.writeHead = true
	if c.Append {
		flag = os.O_WRONLY | os.O_CREATE | os.O_APPEND
		if f, err := os.Open(c.Filename); err == nil {
			line, _ := bufio.NewReader(f).ReadString('\n')
			f.Close()
			c.writeHead = line == ""
		}
	}
	f, err := os.OpenFile(c.Filename, flag, 0o644)
	if err != nil {
		return fmt.Errorf("CSVLogger: %w", err)
	}
	c.f, c.keys, c.headerDone = f, nil, false
	return nil
}

// OnEpochEnd writes the epoch's row (after the header, at the first epoch).
func (c *CSVLogger) OnEpochEnd(epoch int, logs Logs) error {
	if c.f == nil {
		return nil
	}
	b := c.buf[:0]
	if c.keys == nil {
		c.keys = csvKeys(logs)
	}
	if !c.headerDone {
		c.headerDone = true
		if c.writeHead {
			b = c.appendField(b, "epoch")
			for _, k := range c.keys {
				b = append(b, c.sep...)
				b = c.appendField(b, k)
			}
			b = append(b, "\r\n"...)
		}
	}
	b = strconv.AppendInt(b, int64(epoch), 10)
	for _, k := range c.keys {
		b = append(b, c.sep...)
		if v, ok := logs[k]; ok {
			b = append(b, pyStr(v)...)
		} else {
			b = append(b, "NA"...)
		}
	}
	b = append(b, "\r\n"...)
	c.buf = b
	if _, err := c.f.Write(b); err != nil {
		return fmt.Errorf("CSVLogger: %w", err)
	}
	return nil
}

// OnTrainEnd closes the file.
func (c *CSVLogger) OnTrainEnd(Logs) error {
	if err := c.close(); err != nil {
		return fmt.Errorf("CSVLogger: %w", err)
	}
	return nil
}

// close closes the file if it is open.
func (c *CSVLogger) close() error {
	if c.f == nil {
		return nil
	}
	err := c.f.Close()
	c.f = nil
	return err
}

// csvKeys returns the columns Keras's CSVLogger takes from the first
// epoch's logs: the keys sorted and, if none starts with "val_", their
// "val_" versions after them.
func csvKeys(logs Logs) []string {
	keys := make([]string, 0, len(logs))
	val := false
	for k := range logs {
		keys = append(keys, k)
		val = val || strings.HasPrefix(k, "val_")
	}
	sort.Strings(keys)
	if !val {
		for _, k := range keys[:len(keys):len(keys)] {
			keys = append(keys, "val_"+k)
		}
	}
	return keys
}

// appendField appends a header field, quoted as Python's csv module quotes
// it (QUOTE_MINIMAL): when it holds the separator, a quote or a line break.
func (c *CSVLogger) appendField(b []byte, s string) []byte {
	if !strings.Contains(s, c.sep) && !strings.ContainsAny(s, "\"\r\n") {
		return append(b, s...)
	}
	b = append(b, '"')
	b = append(b, strings.ReplaceAll(s, `"`, `""`)...)
	return append(b, '"')
}

var _ Callback = (*CSVLogger)(nil)
