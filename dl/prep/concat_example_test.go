package prep_test

import (
	"fmt"
	"strings"

	"github.com/dlgo/dlgo/dl"
	"github.com/dlgo/dlgo/dl/prep"
)

// Chapter 8's features on a student's own data: read the cars, drop the
// rows with a missing value, one-hot encode the origin and join it to the
// numeric columns (pandas: np.hstack([df[cols].values,
// pd.get_dummies(df.Origin).values])).
func ExampleHStack() {
	cars := dl.Must(prep.ReadJSON("../../datasets/cars.json")).DropNA() // pd.read_json(...).dropna()
	num := dl.Must(cars.Tensor("Cylinders", "Horsepower", "Weight_in_lbs"))
	origin, names := prep.OneHot(dl.Must(cars.Strings("Origin"))) // pd.get_dummies(df.Origin)
	x := dl.Must(prep.HStack(num, origin))                        // np.hstack([num, origin])
	fmt.Println(x.Shape(), names)
	fmt.Println(x.Slice(0, 2))
	// Output:
	// [392 6] [Europe Japan USA]
	// Tensor([[8, 130, 3504, 0, 0, 1],
	//         [8, 165, 3693, 0, 0, 1]], shape=(2, 6))
}

// VStack puts rows under rows, here the first two rows and the last one.
func ExampleVStack() {
	x := dl.FromRows([][]float64{{1, 2}, {3, 4}, {5, 6}})
	y := dl.Must(prep.VStack(x.Slice(0, 2), dl.FromSlice([]float64{5, 6}))) // np.vstack([x[:2], [5, 6]])
	fmt.Println(y)
	// Output:
	// Tensor([[1, 2],
	//         [3, 4],
	//         [5, 6]], shape=(3, 2))
}

// Concat puts two files of the same table one under the other; a column
// missing from one file is NaN there, and the rows keep their labels.
func ExampleConcat() {
	jan := dl.Must(prep.ReadCSVString("city,temp\nSeoul,-2.4\nBusan,3.2\n"))
	feb := dl.Must(prep.ReadJSONString(`[{"city": "Seoul", "temp": 0.4, "rain": 20.1}]`))
	fmt.Println(dl.Must(prep.Concat(jan, feb))) // pd.concat([jan, feb])
	fmt.Println()
	all := dl.Must(prep.ConcatWith([]*prep.Frame{jan, feb}, prep.ConcatOptions{IgnoreIndex: true}))
	fmt.Println(all.Index()) // pd.concat([jan, feb], ignore_index=True).index
	// Output:
	//     city  temp  rain
	// 0  Seoul  -2.4   NaN
	// 1  Busan   3.2   NaN
	// 0  Seoul   0.4  20.1
	//
	// [0 1 2]
}

// ConcatColumns joins the columns of frames with the same rows; rows are
// matched by their labels, as in pandas.
func ExampleConcatColumns() {
	data := dl.Must(prep.ReadJSONString(`[{"hp": 130, "origin": "USA"}, {"hp": null, "origin": "Japan"}, {"hp": 95, "origin": "Japan"}]`))
	kept := data.DropNA()
	scores := dl.Must(prep.ReadCSVString("score\n0.5\n0.7\n0.9\n"))
	fmt.Println(dl.Must(prep.ConcatColumns(kept, scores))) // pd.concat([kept, scores], axis=1)
	// Output:
	//       hp origin  score
	// 0  130.0    USA    0.5
	// 2   95.0  Japan    0.9
	// 1    NaN    NaN    0.7
}

// ReadJSONString reads records, one object per row, as pandas's read_json
// does; null and a missing key are missing values.
func ExampleReadJSONString() {
	data := dl.Must(prep.ReadJSONString(`[
		{"Name": "ford pinto", "Horsepower": 75, "Origin": "USA"},
		{"Name": "vw rabbit", "Horsepower": null, "Origin": "Europe"},
		{"Name": "datsun 210", "Origin": "Japan"}
	]`))
	fmt.Println(data)
	// Output:
	//          Name  Horsepower  Origin
	// 0  ford pinto        75.0     USA
	// 1   vw rabbit         NaN  Europe
	// 2  datsun 210         NaN   Japan
}

// ReadJSON reads a file of records, here the cars of chapter 8, as
// pd.read_json reads it.
func ExampleReadJSON() {
	cars := dl.Must(prep.ReadJSON("../../datasets/cars.json"))
	fmt.Println(cars.Shape())
	fmt.Println(dl.Must(cars.Select("Name", "Horsepower", "Origin")).Head(3))
	// Output:
	// 406 9
	//                         Name  Horsepower Origin
	// 0  chevrolet chevelle malibu       130.0    USA
	// 1          buick skylark 320       165.0    USA
	// 2         plymouth satellite       150.0    USA
}

// ReadJSONWith reads files larger than prep.DefaultMaxJSONBytes, or sets a
// smaller limit.
func ExampleReadJSONWith() {
	_, err := prep.ReadJSONWith("../../datasets/cars.json", prep.ReadJSONOptions{MaxBytes: 1000})
	fmt.Println(err != nil)
	// Output:
	// true
}

// ParseJSON reads from any reader, here column-oriented JSON as pandas's
// to_json writes it by default.
func ExampleParseJSON() {
	data := dl.Must(prep.ParseJSON(strings.NewReader(`{"a": {"0": 1, "1": 2}, "b": {"0": "x", "1": null}}`)))
	fmt.Println(data)
	// Output:
	//    a    b
	// 0  1    x
	// 1  2  NaN
}
