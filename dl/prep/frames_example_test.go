package prep_test

import (
	"fmt"

	"github.com/dlgo/dlgo/dl"
	"github.com/dlgo/dlgo/dl/prep"
)

// Chapter 9's weekly mean temperature of Seattle, line by line:
//
//	data = pd.read_csv("weather.csv", parse_dates=["date"])
//	sea = data[data.location == "Seattle"]
//	weekly = sea.set_index("date")[["temp_max", "temp_min"]].resample("W-SUN").mean()
//	weekly["AvgTemp"] = (weekly.temp_max + weekly.temp_min) / 2
//	print(weekly.reset_index().head())
//
// (Printing weekly itself shows pandas's line of the index name, "date"
// followed by spaces, below the column names; an example's output cannot
// end a line in spaces, hence the ResetIndex.)
func Example_weeklyTemperature() {
	data := dl.Must(prep.ReadCSV("../../datasets/weather.csv"))
	data = dl.Must(data.ParseDates("date", "2006-01-02"))
	sea := dl.Must(data.Where(prep.Eq("location", "Seattle")))
	weekly := dl.Must(dl.Must(dl.Must(sea.SetIndex("date")).Select("temp_max", "temp_min")).Resample("W-SUN").Mean())
	hi, lo := dl.Must(weekly.Col("temp_max")), dl.Must(weekly.Col("temp_min"))
	avg := make([]float64, len(hi))
	for i := range avg {
		avg[i] = (hi[i] + lo[i]) / 2
	}
	dl.Check(weekly.SetCol("AvgTemp", avg))
	fmt.Println(dl.Must(weekly.ResetIndex()).Head())
	fmt.Println(weekly.Len(), weekly.IndexName(), weekly.IndexStrings()[weekly.Len()-1])
	// Output:
	//         date   temp_max  temp_min   AvgTemp
	// 0 2012-01-01  12.800000  5.000000  8.900000
	// 1 2012-01-08   9.285714  3.742857  6.514286
	// 2 2012-01-15   5.457143 -0.385714  2.535714
	// 3 2012-01-22   3.728571 -0.571429  1.578571
	// 4 2012-01-29   8.414286  1.585714  5.000000
	// 210 date 2016-01-03
}

// data[data.location == "Seattle"], data[(data.temp_max > 30) & ...] and
// data[data.weather.isin(["snow", "fog"])]
func ExampleFrame_Where() {
	data := dl.Must(prep.ReadCSVString(`location,temp_max,weather
Seattle,12.8,drizzle
New York,31.1,sun
Seattle,31.7,sun
New York,-2.2,snow
Seattle,8.9,fog
`))
	fmt.Println(dl.Must(data.Where(prep.Eq("location", "Seattle"))))
	fmt.Println(dl.Must(data.Where(prep.And(prep.Gt("temp_max", 30), prep.Ne("location", "Seattle")))))
	fmt.Println(dl.Must(data.Where(prep.In("weather", "snow", "fog"))))
	// Output:
	//   location  temp_max  weather
	// 0  Seattle      12.8  drizzle
	// 2  Seattle      31.7      sun
	// 4  Seattle       8.9      fog
	//    location  temp_max weather
	// 1  New York      31.1     sun
	//    location  temp_max weather
	// 3  New York      -2.2    snow
	// 4   Seattle       8.9     fog
}

// data[data.apply(lambda r: r.weather == "rain" and r.precipitation > 10, axis=1)]
func ExampleFrame_Filter() {
	data := dl.Must(prep.ReadCSVString(`precipitation,weather
0.0,drizzle
10.9,rain
0.8,rain
20.3,rain
`))
	wet := dl.Must(data.Filter(func(r prep.Row) bool {
		return r.Text("weather") == "rain" && r.Num("precipitation") > 10
	}))
	fmt.Println(wet)
	// Output:
	//    precipitation weather
	// 1           10.9    rain
	// 3           20.3    rain
}

// pd.read_csv(..., parse_dates=["date"]), or pd.to_datetime(data.date,
// format="%d/%m/%Y %H:%M")
func ExampleFrame_ParseDates() {
	data := dl.Must(prep.ReadCSVString("date,v\n01/02/2012 06:30,1\n,2\n03/02/2012 18:00,3\n"))
	data = dl.Must(data.ParseDates("date", "%d/%m/%Y %H:%M"))
	fmt.Println(data)
	fmt.Println(dl.Must(data.Dates("date"))[0])
	// Output:
	//                  date  v
	// 0 2012-02-01 06:30:00  1
	// 1                 NaT  2
	// 2 2012-02-03 18:00:00  3
	// 2012-02-01 06:30:00 +0000 UTC
}

// data.set_index("date") and data.reset_index()
func ExampleFrame_SetIndex() {
	data := dl.Must(prep.ReadCSVString("date,temp\n2012-01-01,8.9\n2012-01-02,6.7\n"))
	data = dl.Must(data.ParseDates("date", "2006-01-02"))
	byDate := dl.Must(data.SetIndex("date"))
	fmt.Println(byDate.Columns(), byDate.IndexName(), byDate.IndexStrings())
	fmt.Println(dl.Must(byDate.ResetIndex()))
	// Output:
	// [temp] date [2012-01-01 2012-01-02]
	//         date  temp
	// 0 2012-01-01   8.9
	// 1 2012-01-02   6.7
}

// data.resample("W-SUN").mean(), .resample("ME").max() and
// .resample("W-MON").count(), each followed by .reset_index() (see
// Example_weeklyTemperature)
func ExampleFrame_Resample() {
	data := dl.Must(prep.ReadCSVString(`date,temp
2012-01-01,8.9
2012-01-02,6.7
2012-01-03,
2012-01-08,5.0
2012-01-09,3.1
2012-02-01,1.5
`))
	data = dl.Must(dl.Must(data.ParseDates("date", "2006-01-02")).SetIndex("date"))
	fmt.Println(dl.Must(dl.Must(data.Resample("W-SUN").Mean()).ResetIndex()))
	fmt.Println(dl.Must(dl.Must(data.Resample("ME").Max()).ResetIndex()))
	fmt.Println(dl.Must(dl.Must(data.Resample("W-MON").Count()).ResetIndex()))
	// Output:
	//         date  temp
	// 0 2012-01-01  8.90
	// 1 2012-01-08  5.85
	// 2 2012-01-15  3.10
	// 3 2012-01-22   NaN
	// 4 2012-01-29   NaN
	// 5 2012-02-05  1.50
	//         date  temp
	// 0 2012-01-31   8.9
	// 1 2012-02-29   1.5
	//         date  temp
	// 0 2012-01-02     2
	// 1 2012-01-09     2
	// 2 2012-01-16     0
	// 3 2012-01-23     0
	// 4 2012-01-30     0
	// 5 2012-02-06     1
}

// data.resample("W-SUN", closed="left", label="left").sum().reset_index():
// weeks from Sunday to Saturday labelled by their Sunday.
func ExampleFrame_ResampleWith() {
	data := dl.Must(prep.ReadCSVString("date,rain\n2012-01-01,1\n2012-01-07,2\n2012-01-08,4\n"))
	data = dl.Must(dl.Must(data.ParseDates("date", "2006-01-02")).SetIndex("date"))
	weekly := dl.Must(data.ResampleWith("W-SUN", prep.ResampleOptions{Closed: "left", Label: "left"}).Sum())
	fmt.Println(dl.Must(weekly.ResetIndex()))
	// Output:
	//         date  rain
	// 0 2012-01-01     3
	// 1 2012-01-08     4
}

// data.groupby("location", as_index=False).mean() and
// data.groupby(["location", "weather"], as_index=False).count()
func ExampleFrame_GroupBy() {
	data := dl.Must(prep.ReadCSVString(`location,weather,temp_max
Seattle,rain,12.8
New York,sun,31.1
Seattle,sun,31.7
New York,sun,
Seattle,rain,8.9
`))
	fmt.Println(dl.Must(dl.Must(data.Drop("weather")).GroupBy("location").Mean()))
	fmt.Println(dl.Must(data.GroupBy("location", "weather").Count()))
	// Output:
	//    location  temp_max
	// 0  New York      31.1
	// 1   Seattle      17.8
	//    location weather  temp_max
	// 0  New York     sun         1
	// 1   Seattle    rain         2
	// 2   Seattle     sun         1
}

// data.describe()
func ExampleFrame_Describe() {
	data := dl.Must(prep.ReadCSVString("temp,rain,weather\n12.8,0,rain\n31.1,1,sun\n31.7,,sun\n-2.2,3,snow\n"))
	fmt.Println(dl.Must(data.Describe()))
	// Output:
	//             temp      rain
	// count   4.000000  3.000000
	// mean   18.350000  1.333333
	// std    16.267452  1.527525
	// min    -2.200000  0.000000
	// 25%     9.050000  0.500000
	// 50%    21.950000  1.000000
	// 75%    31.250000  2.000000
	// max    31.700000  3.000000
}

// data.weather.value_counts().reset_index()
func ExampleFrame_ValueCounts() {
	data := dl.Must(prep.ReadCSVString("weather\nrain\nsun\nfog\nsun\nrain\nsun\n\n"))
	fmt.Println(dl.Must(data.ValueCounts("weather")))
	// Output:
	//   weather  count
	// 0     sun      3
	// 1    rain      2
	// 2     fog      1
}

// data.head() and data.tail(2)
func ExampleFrame_Head() {
	data := dl.Must(prep.ReadCSVString("v\n1\n2\n3\n4\n5\n6\n7\n"))
	fmt.Println(data.Head())
	fmt.Println(data.Tail(2))
	// Output:
	//    v
	// 0  1
	// 1  2
	// 2  3
	// 3  4
	// 4  5
	//    v
	// 5  6
	// 6  7
}

func ExampleFrame_Rename() {
	data := dl.Must(prep.ReadCSVString("date,AvgTemp\n2012-01-01,2.5786\n"))
	data = dl.Must(data.Rename(map[string]string{"date": "Date"})) // data.rename(columns={"date": "Date"})
	fmt.Println(data.Columns())
	_, err := data.Rename(map[string]string{"Date": "AvgTemp"})
	fmt.Println(err)
	// Output:
	// [Date AvgTemp]
	// prep: Rename: two columns would be named "AvgTemp"; choose another name, or Drop one of them first
}
