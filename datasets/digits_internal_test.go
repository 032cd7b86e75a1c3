package datasets

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"
)

// gz compresses text as the files this package embeds.
func gz(t *testing.T, text string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write([]byte(text)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestParseDigitsErrors checks that a damaged digits file is an error that
// says where, and never a wrong tensor.
func TestParseDigitsErrors(t *testing.T) {
	line := strings.Repeat("0,", 64) + "3\n"
	good := strings.Repeat(line, DigitsSamples)
	if x, y, err := parseDigits(gz(t, good)); err != nil || x.Shape()[0] != DigitsSamples || y.At(5, 0) != 3 {
		t.Fatalf("good file: %v", err)
	}
	for _, c := range []struct {
		name string
		file []byte
		want string
	}{
		{"not gzip", []byte(good), "gzip"},
		{"truncated gzip", gz(t, good)[:200], "unexpected EOF"},
		{"too few lines", gz(t, strings.Repeat(line, 10)), "10 images, want 1797"},
		{"too many values", gz(t, "1,"+good), "line 1 has 66 values"},
		{"empty line", gz(t, line+"\n"+good), "line 2 is empty"},
		{"pixel too large", gz(t, "17,"+good[2:]), `line 1: pixel 0 is "17"`},
		{"negative pixel", gz(t, line+"-1,"+good[len(line)+2:]), `line 2: pixel 0 is "-1"`},
		{"not a number", gz(t, "x,"+good[2:]), `pixel 0 is "x", want an integer from 0 to 16`},
		{"label too large", gz(t, strings.Repeat("0,", 64)+"10\n"+good), `line 1: the digit is "10", want an integer from 0 to 9`},
		{"fractional label", gz(t, strings.Repeat("0,", 64)+"1.5\n"+good), `the digit is "1.5"`},
	} {
		x, y, err := parseDigits(c.file)
		if err == nil || !strings.Contains(err.Error(), c.want) || x != nil || y != nil {
			t.Errorf("%s: %v, want an error containing %q", c.name, err, c.want)
		}
	}
}

// TestDigitsFileUnmodified checks that the embedded file is the one README.md
// names: scikit-learn's digits.csv.gz as Debian's python3-sklearn 1.2.1 ships it.
func TestDigitsFileUnmodified(t *testing.T) {
	const want = "46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a"
	if got := fmt.Sprintf("%x", sha256.Sum256(digitsCSVGz)); got != want {
		t.Errorf("digits.csv.gz has SHA-256 %s, README.md says %s", got, want)
	}
}
