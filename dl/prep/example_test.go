package prep_test

import (
	"fmt"

	"github.com/dlgo/dlgo/dl"
	"github.com/dlgo/dlgo/dl/prep"
)

// The data preparation of the time-series lecture, line by line:
//
//	data = pd.read_csv('weekly_temp.csv')
//	data['y'] = data['AvgTemp'].shift(-1)
//	data = data.dropna()
//	x = data[['AvgTemp']].values ; y = data['y'].values
//	x_scaler = MinMaxScaler(); x = x_scaler.fit_transform(x)
//	y_scaler = MinMaxScaler(); y = y_scaler.fit_transform(y.reshape(-1, 1))
//	x2, y2 = temporalize(x, y, 4)
//	x_train, x_val, y_train, y_val = train_test_split(x2, y2, test_size=2, shuffle=False)
func Example() {
	data := dl.Must(prep.ReadCSV("testdata/weekly_temp.csv"))
	dl.Check(data.SetCol("y", dl.Must(data.Shift("AvgTemp", -1))))
	data = data.DropNA()
	x := dl.Must(data.Tensor("AvgTemp"))
	y := dl.Must(data.Vector("y"))

	xScaler, yScaler := &prep.MinMaxScaler{}, &prep.MinMaxScaler{}
	x = dl.Must(xScaler.FitTransform(x))
	y = dl.Must(yScaler.FitTransform(y.Reshape(-1, 1)))

	x2, y2, err := prep.Temporalize(x, y, 4)
	dl.Check(err)
	xTrain, xVal, yTrain, yVal, err := prep.TrainTestSplitXY(x2, y2, prep.SplitOptions{TestSize: 2, NoShuffle: true})
	dl.Check(err)
	fmt.Println(data.Len(), x2.Shape(), y2.Shape())
	fmt.Println(xTrain.Shape(), xVal.Shape(), yTrain.Shape(), yVal.Shape())

	// A naive forecast: next week is like this week. Score it in degrees.
	pred := dl.Zeros(yVal.Len(), 1)
	for i := range yVal.Len() {
		pred.Set(xVal.At(i, 3, 0), i, 0)
	}
	predDeg := dl.Must(xScaler.InverseTransform(pred))
	yValDeg := dl.Must(yScaler.InverseTransform(yVal.Reshape(-1, 1)))
	fmt.Printf("%.4f\n", dl.Must(prep.MeanAbsoluteError(yValDeg, predDeg)))
	// Output:
	// 9 [6 4 1] [6]
	// [4 4 1] [2 4 1] [4] [2]
	// 3.1250
}

// ReadCSVString reads the same CSV text that pd.read_csv reads; printing
// the frame gives pandas's table.
func ExampleReadCSVString() {
	data, err := prep.ReadCSVString(`Date,AvgTemp
2019-01-06,31.2
2019-01-13,28.5
2019-01-20,
2019-01-27,33.25
`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(data)
	fmt.Println(data.Columns(), data.Len())
	// Output:
	//          Date  AvgTemp
	// 0  2019-01-06    31.20
	// 1  2019-01-13    28.50
	// 2  2019-01-20      NaN
	// 3  2019-01-27    33.25
	// [Date AvgTemp] 4
}

// A misspelt column name lists the columns there are.
func ExampleFrame_Col() {
	data := dl.Must(prep.ReadCSVString("Date,AvgTemp\n2019-01-06,31.2\n2019-01-13,28.5\n"))
	_, err := data.Col("AvgTmp")
	fmt.Println(err)
	_, err = data.Col("Date")
	fmt.Println(err)
	temps, _ := data.Col("AvgTemp")
	fmt.Println(temps)
	// Output:
	// prep: Col: column "AvgTmp" not found; columns are: Date, AvgTemp
	// prep: Col: column "Date" holds text, not numbers: row 0 is "2019-01-06" (a missing value must be empty, NA or NaN); numeric columns are: AvgTemp
	// [31.2 28.5]
}

// data['y'] = data['AvgTemp'].shift(-1); data = data.dropna()
func ExampleFrame_Shift() {
	data := dl.Must(prep.ReadCSVString("AvgTemp\n31.2\n28.5\n25.75\n"))
	next, err := data.Shift("AvgTemp", -1)
	if err != nil {
		fmt.Println(err)
		return
	}
	dl.Check(data.SetCol("y", next))
	fmt.Println(data)
	fmt.Println(data.DropNA())
	// Output:
	//    AvgTemp      y
	// 0    31.20  28.50
	// 1    28.50  25.75
	// 2    25.75    NaN
	//    AvgTemp      y
	// 0     31.2  28.50
	// 1     28.5  25.75
}

// x = data[['a', 'b']].values; y = data['y'].values
func ExampleFrame_Tensor() {
	data := dl.Must(prep.ReadCSVString("a,b,y\n1,2,0\n3,4,1\n5,6,1\n"))
	x := dl.Must(data.Tensor("a", "b"))
	y := dl.Must(data.Vector("y"))
	fmt.Println(x)
	fmt.Println(y)
	// Output:
	// Tensor([[1, 2],
	//         [3, 4],
	//         [5, 6]], shape=(3, 2))
	// Tensor([0, 1, 1], shape=(3,))
}

// data[['AvgTemp']] and data.head(2)
func ExampleFrame_Select() {
	data := dl.Must(prep.ReadCSVString("Date,AvgTemp\n2019-01-06,31.2\n2019-01-13,28.5\n2019-01-20,25.75\n"))
	temps, err := data.Select("AvgTemp")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(temps.Head(2))
	// Output:
	//    AvgTemp
	// 0     31.2
	// 1     28.5
}

// The example of scikit-learn's MinMaxScaler documentation.
func ExampleMinMaxScaler() {
	x := dl.FromRows([][]float64{{-1, 2}, {-0.5, 6}, {0, 10}, {1, 18}})
	scaler := &prep.MinMaxScaler{}
	dl.Check(scaler.Fit(x))
	fmt.Println(scaler.DataMax)
	fmt.Println(dl.Must(scaler.Transform(x)))
	fmt.Println(dl.Must(scaler.Transform(dl.FromRows([][]float64{{2, 2}}))))

	// A target vector must be made 2-D first, as in scikit-learn.
	y := dl.FromSlice([]float64{10, 20, 30})
	err := scaler.Fit(y)
	fmt.Println(err)
	// Output:
	// [1 18]
	// Tensor([[0, 0],
	//         [0.25, 0.25],
	//         [0.5, 0.5],
	//         [1, 1]], shape=(4, 2))
	// Tensor([[1.5, 0]], shape=(1, 2))
	// prep: MinMaxScaler: Fit: expected a 2-D tensor (samples, features), got a 1-D tensor of shape (3,); reshape it with x.Reshape(-1, 1) if it holds a single feature (such as a target y) or x.Reshape(1, -1) if it holds a single sample
}

// The example of scikit-learn's StandardScaler documentation.
func ExampleStandardScaler() {
	x := dl.FromRows([][]float64{{0, 0}, {0, 0}, {1, 1}, {1, 1}})
	scaler := &prep.StandardScaler{}
	dl.Check(scaler.Fit(x))
	fmt.Println(scaler.Mean)
	fmt.Println(dl.Must(scaler.Transform(x)))
	fmt.Println(dl.Must(scaler.Transform(dl.FromRows([][]float64{{2, 2}}))))
	// Output:
	// [0.5 0.5]
	// Tensor([[-1, -1],
	//         [-1, -1],
	//         [1, 1],
	//         [1, 1]], shape=(4, 2))
	// Tensor([[3, 3]], shape=(1, 2))
}

// x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.33, random_state=42)
func ExampleTrainTestSplit() {
	x := dl.FromRows([][]float64{{0, 1}, {2, 3}, {4, 5}, {6, 7}, {8, 9}})
	y := dl.FromSlice([]float64{0, 1, 2, 3, 4})
	parts, err := prep.TrainTestSplit([]*dl.Tensor{x, y}, prep.SplitOptions{TestSize: 0.33, RandomState: 42})
	if err != nil {
		fmt.Println(err)
		return
	}
	xTrain, xTest, yTrain, yTest := parts[0], parts[1], parts[2], parts[3]
	fmt.Println(xTrain.Shape(), xTest.Shape(), yTrain.Shape(), yTest.Shape())

	// shuffle=False keeps the order: the test set is the last rows.
	parts, _ = prep.TrainTestSplit([]*dl.Tensor{y}, prep.SplitOptions{TestSize: 2, NoShuffle: true})
	fmt.Println(parts[0].Data(), parts[1].Data())
	// Output:
	// [3 2] [2 2] [3] [2]
	// [0 1 2] [3 4]
}

// x2, y2 = temporalize(x, y, 3): each window of 3 rows is paired with the
// label of its last row.
func ExampleTemporalize() {
	x := dl.FromSlice([]float64{10, 11, 12, 13, 14})
	y := dl.FromSlice([]float64{11, 12, 13, 14, 15}) // the next value of x
	x2, y2, err := prep.Temporalize(x, y, 3)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(x2.Shape(), y2.Shape())
	for i := range x2.Len() {
		fmt.Println(x2.Slice(i, i+1).Data(), "->", y2.At(i))
	}
	_, _, err = prep.Temporalize(x, y, 10)
	fmt.Println(err)
	// Output:
	// [3 3 1] [3]
	// [10 11 12] -> 13
	// [11 12 13] -> 14
	// [12 13 14] -> 15
	// prep: Temporalize: timesteps=10 is larger than the 5 rows of x
}

// The examples of scikit-learn's regression metrics documentation.
func ExampleMeanAbsoluteError() {
	yTrue := dl.FromSlice([]float64{3, -0.5, 2, 7})
	yPred := dl.FromSlice([]float64{2.5, 0, 2, 8})
	fmt.Println(dl.Must(prep.MeanAbsoluteError(yTrue, yPred)))
	fmt.Println(dl.Must(prep.MeanSquaredError(yTrue, yPred)))
	fmt.Printf("%.4f\n", dl.Must(prep.RootMeanSquaredError(yTrue, yPred)))
	fmt.Printf("%.4f\n", dl.Must(prep.R2Score(yTrue, yPred)))
	// Output:
	// 0.5
	// 0.375
	// 0.6124
	// 0.9486
}

// Probabilities from a sigmoid output become labels with Threshold, from a
// softmax output with Argmax.
func ExampleAccuracyScore() {
	yTrue := dl.FromSlice([]float64{0, 1, 1, 0})
	probs := dl.FromSlice([]float64{0.2, 0.8, 0.4, 0.1}, 4, 1)
	_, err := prep.AccuracyScore(yTrue, probs)
	fmt.Println(err)
	fmt.Println(dl.Must(prep.AccuracyScore(yTrue, prep.Threshold(probs, 0.5))))

	softmax := dl.FromRows([][]float64{{0.9, 0.1}, {0.3, 0.7}, {0.6, 0.4}, {0.8, 0.2}})
	fmt.Println(dl.Must(prep.AccuracyScore(yTrue, dl.Must(prep.Argmax(softmax)))))
	// Output:
	// prep: AccuracyScore: yPred holds continuous values such as 0.2 at row 0, not class labels; turn probabilities into labels with prep.Threshold(yPred, 0.5) (a sigmoid output) or prep.Argmax(yPred) (a softmax output)
	// 0.75
	// 0.75
}

// The example of scikit-learn's confusion_matrix documentation.
func ExampleConfusionMatrix() {
	yTrue := dl.FromSlice([]float64{2, 0, 2, 2, 0, 1})
	yPred := dl.FromSlice([]float64{0, 0, 2, 2, 0, 2})
	cm, labels, err := prep.ConfusionMatrix(yTrue, yPred)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(labels)
	for _, row := range cm {
		fmt.Println(row)
	}
	// Output:
	// [0 1 2]
	// [2 0 0]
	// [0 0 1]
	// [1 0 2]
}

// Threshold is (model.predict(x) > 0.5).astype("int32").
func ExampleThreshold() {
	p := dl.FromSlice([]float64{0.1, 0.5, 0.7}, 3, 1)
	fmt.Println(prep.Threshold(p, 0.5))
	// Output:
	// Tensor([[0],
	//         [0],
	//         [1]], shape=(3, 1))
}

// Argmax is np.argmax(model.predict(x), axis=1).
func ExampleArgmax() {
	p := dl.FromRows([][]float64{{0.1, 0.7, 0.2}, {0.5, 0.2, 0.3}})
	fmt.Println(dl.Must(prep.Argmax(p)))
	// Output:
	// Tensor([1, 0], shape=(2,))
}

// Integer labels become one-hot rows for categorical_crossentropy (Keras:
// keras.utils.to_categorical).
func ExampleToCategorical() {
	y := dl.FromSlice([]float64{0, 2, 1})
	fmt.Println(dl.Must(prep.ToCategorical(y, 0)))
	// Output:
	// Tensor([[1, 0, 0],
	//         [0, 0, 1],
	//         [0, 1, 0]], shape=(3, 3))
}
