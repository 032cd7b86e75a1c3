"""Load a weights file into the Keras model of make_fixture.py and print its
variables as JSON: {"layers/dense/vars/0": [...], ..., "optimizer/vars/0": [...]}.

Usage: KERAS_BACKEND=jax python keras_load.py FILE.weights.h5
Exits with status 3 if Keras is not installed.
"""

import json
import sys

try:
    import keras
    import numpy as np
except ImportError:
    sys.exit(3)


def main(path):
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(4, activation="relu"), keras.layers.Dense(1)]
    )
    model.compile(optimizer="adam", loss="mse")
    model.optimizer.build(model.trainable_variables)
    model.load_weights(path)
    out = {}
    for i, layer in enumerate(model.layers):
        key = "layers/dense" + ("" if i == 0 else "_%d" % i)
        for j, v in enumerate(layer.weights):
            out["%s/vars/%d" % (key, j)] = [float(x) for x in np.asarray(v).reshape(-1)]
    for j, v in enumerate(model.optimizer.variables):
        out["optimizer/vars/%d" % j] = [float(x) for x in np.asarray(v).reshape(-1)]
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
