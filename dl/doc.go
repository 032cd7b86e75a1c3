// Package dl is deep learning in Go with the shape of Keras.
package dl
