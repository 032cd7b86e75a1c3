package dl

import (
	"testing"
)

// TestKerasSummary reproduces the float64 cases of testdata/keras/summary.json,
// printed by real Keras 3, and compares the text exactly.
func TestKerasSummary(t *testing.T) {
	lecture := func() *Sequential {
		return NewSequential(Input(30),
			&Dense{Units: 128, Activation: ReLU}, &Dropout{Rate: 0.4},
			&Dense{Units: 64, Activation: ReLU}, &Dropout{Rate: 0.4},
			&Dense{Units: 32, Activation: ReLU}, &Dropout{Rate: 0.4},
			&Dense{Units: 1, Activation: Sigmoid})
	}
	dropout := func() *Sequential {
		return NewSequential(Input(3), &Dense{Units: 64, Activation: ReLU}, &Dropout{Rate: 0.2}, &Dense{Units: 1})
	}
	build := map[string]func() *Sequential{
		"dropout_uncompiled": dropout,
		"dropout_after_fit": func() *Sequential {
			m := dropout()
			Check(m.Compile(CompileOptions{Optimizer: "adam", Loss: "mse"}))
			Must(m.Fit(Zeros(4, 3), Zeros(4, 1), FitOptions{Verbose: Silent}))
			return m
		},
		"lecture_model": lecture,
		"mnist_mlp_no_clear_session": func() *Sequential {
			lecture()
			return NewSequential(Input(784), &Dense{Units: 512, Activation: ReLU}, &Dense{Units: 512, Activation: ReLU},
				&Dense{Units: 10, Activation: Softmax})
		},
		"named_tiny": func() *Sequential {
			m := NewSequential(Input(2), &Dense{Units: 3, Activation: ReLU, Name: "hidden"}, &Dense{Units: 4, NoBias: true})
			m.Name = "tiny"
			return m
		},
	}
	n := 0
	for _, c := range loadFixture[struct {
		Name, Floatx, Text string
	}](t, "summary.json") {
		t.Run(c.Name+"/"+c.Floatx, func(t *testing.T) {
			f, ok := build[c.Name]
			if !ok {
				t.Fatalf("no Go model for the case %q", c.Name)
			}
			ClearSession()
			SetRandomSeed(DefaultSeed)
			// Keras shows 4 bytes a parameter in float32, 8 in float64.
			Check(SetFloatX(c.Floatx))
			defer func() { Check(SetFloatX("float64")) }()
			got := f().summaryText(0)
			if got != c.Text {
				t.Errorf("summary differs from Keras's\n got:\n%s\nwant:\n%s", got, c.Text)
			}
		})
		if c.Floatx == "float64" {
			n++
		}
	}
	if n != len(build) {
		t.Errorf("checked %d cases, have %d models", n, len(build))
	}
}
