"""numba kernels of the minimum-norm paper: weight-decay training of shallow ReLU networks.

The public API is listed in ``__all__``; names are imported from their module on first use (no
import cycles between the modules of the package)."""

from __future__ import annotations

from numerics import lazy_api

_API = {
    "PLDistance": "shallow_relu",
    "ShallowNet": "shallow_relu",
    "TrainResult": "shallow_relu",
    "W1InfDistance": "shallow_relu",
    "balance": "shallow_relu",
    "evaluate": "shallow_relu",
    "gd_numpy": "shallow_relu",
    "init_block": "shallow_relu",
    "init_from_block": "shallow_relu",
    "l2_distance": "shallow_relu",
    "loss_grad_numpy": "shallow_relu",
    "minibatches": "shallow_relu",
    "net_breaks": "shallow_relu",
    "net_from_kinks": "shallow_relu",
    "path_norm": "shallow_relu",
    "penalty": "shallow_relu",
    "pl_distance": "shallow_relu",
    "pl_values": "shallow_relu",
    "sup_distance": "shallow_relu",
    "train": "shallow_relu",
    "train_numpy": "shallow_relu",
    "w1inf_distance": "shallow_relu",
    "Net": "d2",
    "init_network": "d2",
}
__all__, __getattr__, __dir__ = lazy_api(__name__, _API)
