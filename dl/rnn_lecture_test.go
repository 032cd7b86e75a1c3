package dl_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/dlgo/dlgo/datasets"
	"github.com/dlgo/dlgo/dl"
	"github.com/dlgo/dlgo/dl/prep"
)

// weeklyWindows prepares chapter 9's data exactly as the lecture does:
// y = next week's temperature (Shift(-1), DropNA), both scaled to [0, 1]
// by their own MinMaxScaler, 4-week windows, and the last 53 windows (one
// year) held out without shuffling. It returns the training and
// validation windows and the scaler of y.
func weeklyWindows(t testing.TB) (xTrain, yTrain, xVal, yVal *dl.Tensor, yScaler *prep.MinMaxScaler) {
	data := datasets.WeeklyTemperature()
	dl.Check(data.SetCol("y", dl.Must(data.Shift("AvgTemp", -1))))
	data = data.DropNA()
	x := dl.Must((&prep.MinMaxScaler{}).FitTransform(dl.Must(data.Tensor("AvgTemp"))))
	yScaler = &prep.MinMaxScaler{}
	y := dl.Must(yScaler.FitTransform(dl.Must(data.Tensor("y"))))
	x2, y2, err := prep.Temporalize(x, y, 4)
	if err != nil {
		t.Fatal(err)
	}
	parts, err := prep.TrainTestSplit([]*dl.Tensor{x2, y2}, prep.SplitOptions{TestSize: 53, NoShuffle: true})
	if err != nil {
		t.Fatal(err)
	}
	return parts[0], parts[2], parts[1], parts[3], yScaler
}

// TestLectureTimeSeries trains chapter 9's SimpleRNN(8) and LSTM(16)
// models as the lecture trains them (Adam(0.01), mse, 100 epochs, batch 32)
// with five seeds, in float64 and in float32, and checks that their mean
// validation MAE in °C is no worse than 1.1 times what the same models
// reach in Keras 3 (float32) over five seeds (testdata/keras/timeseries.json,
// from tools/keras/gen_timeseries.py).
func TestLectureTimeSeries(t *testing.T) {
	var keras struct {
		NaiveMAE float64 `json:"naive_mae"`
		Settings struct {
			Epochs int   `json:"epochs"`
			Seeds  []int `json:"seeds"`
		}
		Models map[string]struct {
			MeanMAE float64 `json:"mean_mae"`
		}
	}
	b, err := os.ReadFile(filepath.Join("testdata", "keras", "timeseries.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &keras); err != nil {
		t.Fatal(err)
	}
	xTrain, yTrain, xVal, yVal, yScaler := weeklyWindows(t)
	if xTrain.Len() != 151 || xVal.Len() != 53 {
		t.Fatalf("%d training and %d validation windows, want 151 and 53", xTrain.Len(), xVal.Len())
	}
	actual := dl.Must(yScaler.InverseTransform(yVal.Reshape(-1, 1)))
	for _, dtype := range []string{"float64", "float32"} {
		for name, layer := range map[string]func() dl.Layer{
			"SimpleRNN(8)": func() dl.Layer { return &dl.SimpleRNN{Units: 8} },
			"LSTM(16)":     func() dl.Layer { return &dl.LSTM{Units: 16} },
		} {
			t.Run(dtype+"/"+name, func(t *testing.T) {
				var maes []float64
				for _, seed := range keras.Settings.Seeds {
					dl.ClearSession()
					dl.SetRandomSeed(uint64(seed))
					model := dl.NewSequential(dl.Input(4, 1), layer(), &dl.Dense{Units: 1})
					model.Dtype = dtype
					dl.Check(model.Compile(dl.CompileOptions{Optimizer: &dl.Adam{LearningRate: 0.01}, Loss: "mse"}))
					dl.Must(model.Fit(xTrain, yTrain, dl.FitOptions{Epochs: keras.Settings.Epochs, BatchSize: 32, Verbose: dl.Silent}))
					pred := dl.Must(model.Predict(xVal, dl.PredictOptions{Verbose: dl.Silent}))
					mae := dl.Must(prep.MeanAbsoluteError(actual, dl.Must(yScaler.InverseTransform(pred))))
					maes = append(maes, mae)
				}
				mean := 0.0
				for _, m := range maes {
					mean += m / float64(len(maes))
				}
				want := keras.Models[name].MeanMAE
				t.Logf("validation MAE per seed %.3f, mean %.3f °C; Keras mean %.3f; last week's value %.3f", maes, mean, want, keras.NaiveMAE)
				if mean > 1.1*want {
					t.Errorf("mean validation MAE %.3f °C is worse than 1.1 × Keras's %.3f", mean, want)
				}
			})
		}
	}
}
