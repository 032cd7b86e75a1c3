package notebook

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/dlgo/dlgo/dl/chart"
)

// TestImageOutsideNotebook checks that Image shows nothing and succeeds
// outside a notebook, and rejects a format it cannot show.
func TestImageOutsideNotebook(t *testing.T) {
	if os.Getenv("GONB_PIPE") != "" {
		t.Skip("running inside a notebook")
	}
	for _, format := range []string{"png", "svg"} {
		if err := Image([]byte("x"), format); err != nil {
			t.Errorf("Image(%q) = %v, want nil", format, err)
		}
	}
	if err := Image([]byte("x"), "pdf"); err == nil || !strings.Contains(err.Error(), `"pdf"`) {
		t.Errorf("Image(pdf) = %v, want an error naming the format", err)
	}
}

// showChildEnv, when set, makes TestShowInstalled report, as the test of
// a child process run as if by the GoNB kernel, whether importing the
// package installed the chart display.
const showChildEnv = "DLGO_SHOW_CHILD"

// TestShowInstalled runs this test binary again as the GoNB kernel runs a
// cell's program (GONB_PIPE set) and checks that importing the package
// installs Image as the chart package's display, and that it installs
// none outside a notebook.
func TestShowInstalled(t *testing.T) {
	if os.Getenv(showChildEnv) != "" {
		if chart.SetDisplay(nil) == nil {
			t.Fatal("in a notebook, the chart display is not installed")
		}
		return
	}
	if os.Getenv("GONB_PIPE") == "" {
		if d := chart.SetDisplay(nil); d != nil {
			chart.SetDisplay(d)
			t.Fatal("outside a notebook, a chart display is installed")
		}
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestShowInstalled$", "-test.count=1")
	// The pipe is never opened: the child shows nothing.
	cmd.Env = append(os.Environ(), showChildEnv+"=1", "GONB_PIPE="+t.TempDir()+"/pipe")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
}
