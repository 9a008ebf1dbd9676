"""Opens aelab checkpoints in Keras, as a Keras user would, and compares
Keras's predictions with aelab's own: the `reconstructions` analysis in each
run's results.h5 holds the inputs (row 0) and the network's outputs (row 1)
under the weights of last.h5. Prints the largest absolute difference per
model and exits 1 when one exceeds float32 rounding (1e-5 relative to the
largest output, or absolute below 1)."""
import argparse
import sys

import h5py
import keras
import numpy as np

TOLERANCE = 1e-5


def reconstructions(run):
    with h5py.File(f"{run}/results.h5", "r") as results:
        strip = results["analyses/reconstructions/strip"][...]
    return strip[0], strip[1]


def largest_difference(name, model, run):
    inputs, ours = reconstructions(run)
    batch = inputs.reshape((len(inputs),) + tuple(model.input_shape[1:]))
    theirs = np.asarray(model.predict(batch, verbose=0)).reshape(ours.shape)
    difference = float(np.max(np.abs(theirs - ours)))
    scale = max(float(np.max(np.abs(ours))), 1.0)
    passed = difference <= TOLERANCE * scale
    print(f"{name}: {len(model.layers)} Keras layers, largest |keras - aelab| = {difference:.3g}"
          f" (outputs up to {scale:.3g}): {'ok' if passed else 'FAILED'}")
    return passed


def check_model(run):
    """load_model rebuilds the network; its weight layers are the file's weight groups."""
    model = keras.models.load_model(f"{run}/last.h5", compile=False)
    with h5py.File(f"{run}/last.h5", "r") as checkpoint:
        stored = list(checkpoint["model_weights"].attrs["layer_names"])
    weighted = [layer.name for layer in model.layers if layer.weights]
    if weighted != stored:
        print(f"{run}: Keras layers with weights {weighted}, the file's {stored}: FAILED")
        return False
    keras.models.load_model(f"{run}/best.h5", compile=False)
    return largest_difference(run.rstrip("/").split("/")[-1], model, run)


def check_erf_net(run):
    """A net with erf has no model config: load_model refuses, load_weights works
    into the same architecture built by hand (dense 3, erf, dense 5)."""
    with h5py.File(f"{run}/last.h5", "r") as checkpoint:
        if "model_config" in checkpoint.attrs or "model_config_unavailable" not in checkpoint.attrs:
            print(f"{run}: expected model_config_unavailable and no model_config: FAILED")
            return False
        print(f"{run}: model_config_unavailable = {checkpoint.attrs['model_config_unavailable']}")
    try:
        keras.models.load_model(f"{run}/last.h5", compile=False)
        print(f"{run}: load_model opened a file without a model config: FAILED")
        return False
    except ValueError as error:
        print(f"{run}: load_model refuses, as it should: {error}")
    model = keras.Sequential([
        keras.Input(shape=(5,)), keras.layers.Dense(3), keras.layers.Activation(keras.ops.erf), keras.layers.Dense(5)])
    model.load_weights(f"{run}/last.h5")
    return largest_difference("keras-erf (load_weights)", model, run)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--match", action="append", default=[], help="a run directory whose last.h5 has a model config")
    parser.add_argument("--erf-net", help="a run directory of the dense 3 / erf / dense 5 net")
    arguments = parser.parse_args()
    results = [check_model(run) for run in arguments.match]
    if arguments.erf_net:
        results.append(check_erf_net(arguments.erf_net))
    if all(results):
        print(f"test-keras: all {len(results)} checks passed")
        return 0
    print(f"test-keras: FAILED: {len(results) - sum(results)} of {len(results)} checks")
    return 1


if __name__ == "__main__":
    sys.exit(main())
