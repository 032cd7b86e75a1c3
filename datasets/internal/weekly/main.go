// Command weekly derives weekly_temperature.csv from weather.csv: the mean
// daily temperature of New York, (temp_max + temp_min) / 2, averaged over
// consecutive 7-day weeks starting on Sunday 2012-01-01. The five days after
// the last full week (2015-12-27 to 2015-12-31) are left out, which gives
// 208 weeks. Run it with go generate in the datasets directory.
package main

import (
	"encoding/csv"
	"fmt"
	"log"
	"os"
	"strconv"
	"time"
)

func main() {
	in, out := "weather.csv", "weekly_temperature.csv"
	if len(os.Args) == 3 {
		in, out = os.Args[1], os.Args[2]
	}
	f, err := os.Open(in)
	if err != nil {
		log.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		log.Fatal(err)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	start := time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC)
	var sums []float64
	var counts []int
	for _, r := range rows[1:] {
		if r[col["location"]] != "New York" {
			continue
		}
		day, err := time.Parse("2006-01-02", r[col["date"]])
		if err != nil {
			log.Fatal(err)
		}
		hi, err1 := strconv.ParseFloat(r[col["temp_max"]], 64)
		lo, err2 := strconv.ParseFloat(r[col["temp_min"]], 64)
		if err1 != nil || err2 != nil {
			log.Fatalf("%s: bad temperature", r[col["date"]])
		}
		week := int(day.Sub(start).Hours() / 24 / 7)
		for len(sums) <= week {
			sums, counts = append(sums, 0), append(counts, 0)
		}
		sums[week] += (hi + lo) / 2
		counts[week]++
	}
	w, err := os.Create(out)
	if err != nil {
		log.Fatal(err)
	}
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"Date", "AvgTemp"})
	for i, s := range sums {
		if counts[i] != 7 {
			continue
		}
		date := start.AddDate(0, 0, 7*i).Format("2006-01-02")
		_ = cw.Write([]string{date, strconv.FormatFloat(s/7, 'f', 4, 64)})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		log.Fatal(err)
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "wrote %s\n", out)
}
