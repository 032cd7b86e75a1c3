package dl

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// pyTemplate is a parsed Python str.format template such as
// "ckpt-{epoch:03d}-{val_loss:.2f}.keras", as ModelCheckpoint's filepath
// uses it.
type pyTemplate struct {
	parts []pyPart
}

// pyPart is literal text, or a replacement field when field is not empty.
type pyPart struct {
	text  string
	field string
	spec  pySpec
}

// pySpec is a parsed format spec: [[fill]align][sign][0][width][,][.precision][type].
type pySpec struct {
	fill      rune
	align     byte // '<', '>', '^', '=' or 0
	sign      byte // '+', '-', ' ' or 0
	zero      bool
	width     int
	comma     bool
	precision int // -1 if absent
	typ       byte
}

// parsePyTemplate parses a template, rejecting what Python's str.format
// would reject (unbalanced braces, positional fields, bad specs).
func parsePyTemplate(s string) (*pyTemplate, error) {
	t := &pyTemplate{}
	var lit strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '{' && i+1 < len(s) && s[i+1] == '{':
			lit.WriteByte('{')
			i++
		case c == '}' && i+1 < len(s) && s[i+1] == '}':
			lit.WriteByte('}')
			i++
		case c == '}':
			return nil, fmt.Errorf("single '}' at position %d; write '}}' for a literal brace", i)
		case c == '{':
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				return nil, fmt.Errorf("'{' at position %d is never closed", i)
			}
			body := s[i+1 : i+end]
			name, specText, _ := strings.Cut(body, ":")
			if name == "" || strings.ContainsAny(name, "{[.!") {
				return nil, fmt.Errorf("field {%s} must be a log key such as {epoch} or {val_loss:.2f}", body)
			}
			spec, err := parsePySpec(specText)
			if err != nil {
				return nil, fmt.Errorf("field {%s}: %v", body, err)
			}
			if lit.Len() > 0 {
				t.parts = append(t.parts, pyPart{text: lit.String()})
				lit.Reset()
			}
			t.parts = append(t.parts, pyPart{field: name, spec: spec})
			i += end
		default:
			lit.WriteByte(c)
		}
	}
	if lit.Len() > 0 {
		t.parts = append(t.parts, pyPart{text: lit.String()})
	}
	return t, nil
}

// parsePySpec parses the part of a field after ':'.
func parsePySpec(s string) (pySpec, error) {
	sp := pySpec{fill: ' ', precision: -1}
	r := []rune(s)
	i := 0
	isAlign := func(c rune) bool { return c == '<' || c == '>' || c == '^' || c == '=' }
	if len(r) >= 2 && isAlign(r[1]) {
		sp.fill, sp.align, i = r[0], byte(r[1]), 2
	} else if len(r) >= 1 && isAlign(r[0]) {
		sp.align, i = byte(r[0]), 1
	}
	if i < len(r) && (r[i] == '+' || r[i] == '-' || r[i] == ' ') {
		sp.sign = byte(r[i])
		i++
	}
	if i < len(r) && r[i] == '0' {
		sp.zero = true
		i++
	}
	start := i
	for i < len(r) && r[i] >= '0' && r[i] <= '9' {
		i++
	}
	if i > start {
		sp.width, _ = strconv.Atoi(string(r[start:i]))
	}
	if i < len(r) && r[i] == ',' {
		sp.comma = true
		i++
	}
	if i < len(r) && r[i] == '.' {
		i++
		start = i
		for i < len(r) && r[i] >= '0' && r[i] <= '9' {
			i++
		}
		if i == start {
			return sp, fmt.Errorf("format specifier missing precision")
		}
		sp.precision, _ = strconv.Atoi(string(r[start:i]))
	}
	if i < len(r) {
		if !strings.ContainsRune("dfFeEgG%s", r[i]) || i != len(r)-1 {
			return sp, fmt.Errorf("invalid format specifier %q", s)
		}
		sp.typ = byte(r[i])
	}
	return sp, nil
}

// fields returns the names the template uses.
func (t *pyTemplate) fields() []string {
	var out []string
	for _, p := range t.parts {
		if p.field != "" {
			out = append(out, p.field)
		}
	}
	return out
}

// format fills the template. ints holds integer fields (epoch, batch),
// floats the logged values.
func (t *pyTemplate) format(ints map[string]int, floats Logs) (string, error) {
	var b strings.Builder
	for _, p := range t.parts {
		if p.field == "" {
			b.WriteString(p.text)
			continue
		}
		var s string
		var err error
		if v, ok := ints[p.field]; ok {
			s, err = p.spec.formatInt(v)
		} else if v, ok := floats[p.field]; ok {
			s, err = p.spec.formatFloat(v)
		} else {
			return "", fmt.Errorf("the template has the field {%s}, which is not a logged value", p.field)
		}
		if err != nil {
			return "", fmt.Errorf("field {%s}: %v", p.field, err)
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

// formatInt formats an integer as Python's format(v, spec) does.
func (sp pySpec) formatInt(v int) (string, error) {
	switch sp.typ {
	case 0, 'd', 's':
		if sp.precision >= 0 && sp.typ != 's' {
			return "", fmt.Errorf("precision not allowed in integer format specifier")
		}
		digits := strconv.Itoa(abs(v))
		if sp.comma {
			digits = groupThousands(digits)
		}
		return sp.pad(signOf(v < 0, sp.sign), digits), nil
	}
	return sp.formatFloat(float64(v))
}

// formatFloat formats a float as Python's format(v, spec) does.
func (sp pySpec) formatFloat(v float64) (string, error) {
	prec := sp.precision
	neg := math.Signbit(v) && !math.IsNaN(v)
	a := math.Abs(v)
	var body string
	switch sp.typ {
	case 'd':
		return "", fmt.Errorf("unknown format code 'd' for a float value; use for example :.4f")
	case 'f', 'F', '%':
		if prec < 0 {
			prec = 6
		}
		suffix := ""
		if sp.typ == '%' {
			a *= 100
			suffix = "%"
		}
		body = strconv.FormatFloat(a, 'f', prec, 64)
		if sp.comma {
			intPart, frac, hasFrac := strings.Cut(body, ".")
			body = groupThousands(intPart)
			if hasFrac {
				body += "." + frac
			}
		}
		body += suffix
	case 'e', 'E':
		if prec < 0 {
			prec = 6
		}
		body = strconv.FormatFloat(a, byte(sp.typ), prec, 64)
	case 'g', 'G':
		if prec < 0 {
			prec = 6
		}
		body = fmt.Sprintf("%."+strconv.Itoa(max(prec, 1))+string(sp.typ), a)
	default: // Python's str(float): repr
		body = pyRepr(a)
	}
	if math.IsInf(v, 0) {
		body = "inf"
	} else if math.IsNaN(v) {
		body = "nan"
	}
	return sp.pad(signOf(neg, sp.sign), body), nil
}

// pyRepr formats a non-negative float as Python's repr does.
func pyRepr(a float64) string {
	if a != 0 && (a < 1e-4 || a >= 1e16) {
		return strconv.FormatFloat(a, 'e', -1, 64)
	}
	s := strconv.FormatFloat(a, 'f', -1, 64)
	if !strings.ContainsRune(s, '.') {
		s += ".0"
	}
	return s
}

// pad applies width, fill and alignment (numbers align right by default).
func (sp pySpec) pad(sign, body string) string {
	n := len([]rune(sign + body))
	if n >= sp.width {
		return sign + body
	}
	fill, align := string(sp.fill), sp.align
	if sp.zero && align == 0 {
		fill, align = "0", '='
	}
	gap := sp.width - n
	switch align {
	case '<':
		return sign + body + strings.Repeat(fill, gap)
	case '^':
		return strings.Repeat(fill, gap/2) + sign + body + strings.Repeat(fill, gap-gap/2)
	case '=':
		return sign + strings.Repeat(fill, gap) + body
	}
	return strings.Repeat(fill, gap) + sign + body
}

// signOf returns the sign text for a number under a spec's sign option.
func signOf(neg bool, opt byte) string {
	switch {
	case neg:
		return "-"
	case opt == '+':
		return "+"
	case opt == ' ':
		return " "
	}
	return ""
}

// groupThousands inserts commas into a string of digits.
func groupThousands(d string) string {
	for i := len(d) - 3; i > 0; i -= 3 {
		d = d[:i] + "," + d[i:]
	}
	return d
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
