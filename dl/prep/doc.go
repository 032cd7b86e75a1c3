// Package prep holds the scikit-learn and pandas helpers that the lectures
// use around a model: reading a CSV file into a small data frame, scaling
// features, splitting into training and test sets, cutting a time series
// into windows, and scoring predictions.
//
// Each helper follows its Python original line by line; keyword arguments
// are struct fields whose zero value is the Python default:
//
//	data = pd.read_csv('weekly_temp.csv')        data, err := prep.ReadCSV("weekly_temp.csv")
//	data['y'] = data['AvgTemp'].shift(-1)        data.SetCol("y", dl.Must(data.Shift("AvgTemp", -1)))
//	data = data.dropna()                         data = data.DropNA()
//	x = data[['AvgTemp']].values                 x, err := data.Tensor("AvgTemp")
//	y = data['y'].values                         y, err := data.Vector("y")
//	scaler = MinMaxScaler()                      scaler := &prep.MinMaxScaler{}
//	x = scaler.fit_transform(x)                  x, err = scaler.FitTransform(x)
//	y = y_scaler.fit_transform(y.reshape(-1, 1)) y, err = yScaler.FitTransform(y.Reshape(-1, 1))
//	x2, y2 = temporalize(x, y, 4)                x2, y2, err := prep.Temporalize(x, y, 4)
//	train_test_split(x2, y2, test_size=53,       prep.TrainTestSplitXY(x2, y2,
//	                 shuffle=False)                  prep.SplitOptions{TestSize: 53, NoShuffle: true})
//	mean_absolute_error(y_val, pred)             prep.MeanAbsoluteError(yVal, pred)
//
// Where a Python default is true the Go field is its negation (NoShuffle,
// NoMean, NoStd), as in package dl.
//
// A student's own data goes through the same verbs pandas has, each
// returning a new frame (there is no inplace=True):
//
//	data = pd.read_csv('weather.csv',            data := dl.Must(prep.ReadCSV("weather.csv"))
//	                   parse_dates=['date'])     data = dl.Must(data.ParseDates("date", "2006-01-02"))
//	sea = data[data.location == 'Seattle']       sea := dl.Must(data.Where(prep.Eq("location", "Seattle")))
//	sea = sea.set_index('date')                  sea = dl.Must(sea.SetIndex("date"))
//	sea = sea[['temp_max', 'temp_min']]          sea = dl.Must(sea.Select("temp_max", "temp_min"))
//	weekly = sea.resample('W-SUN').mean()        weekly := dl.Must(sea.Resample("W-SUN").Mean())
//	data.groupby('location').max()               data.GroupBy("location").Max()
//	pd.concat([a, b]), pd.concat(.., axis=1)     prep.Concat(a, b), prep.ConcatColumns(a, b)
//	np.hstack([num, onehot])                     prep.HStack(num, onehot)
//	pd.read_json('cars.json')                    prep.ReadJSON("cars.json")
//	data.head(), data.describe()                 data.Head(), data.Describe()
//	data.weather.value_counts()                  data.ValueCounts("weather")
//
// # Errors
//
// Every function that takes data returns an error instead of panicking on
// bad input: a missing column (the message lists the columns there are), a
// text column used as numbers, a 1-D tensor where scikit-learn wants 2-D
// (the message shows the Reshape call that fixes it), mismatched lengths, a
// scaler used before Fit. The errors are *dl.Error values whose messages
// start with "prep:", such as "prep: Col: column "Temp" not found; ...", so
// dl.Must and dl.Check shorten them in notebook cells and errors.As finds
// them; errors.Is(err, fs.ErrNotExist) tells a missing file from ReadCSV.
//
// # Numbers
//
// The formulas are scikit-learn's, including its handling of constant
// columns and missing values, and the package's tests hold values computed
// by scikit-learn 1.9 and pandas 3.1. Sums are taken in row order, so a
// result may differ from NumPy's in the last binary digit. Shuffled splits
// are reproducible from their seed but are not the rows NumPy's generator
// would pick.
package prep
