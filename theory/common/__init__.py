"""Pieces shared by the papers: checked derivation steps, shallow ReLU networks.

The public API is listed in ``__all__``; names are imported from their module on first use (no
import cycles between the modules of the package)."""

from __future__ import annotations

from theory import lazy_api

_API = {
    "Box": "shallow_relu_net",
    "Derivation": "derivation",
    "Kink1D": "shallow_relu_net",
    "ShallowReLUNet": "shallow_relu_net",
    "Step": "derivation",
    "as_box": "shallow_relu_net",
    "balance": "shallow_relu_net",
    "balance_exact": "shallow_relu_net",
    "balance_neuron_exact": "shallow_relu_net",
    "balanced_parameters": "shallow_relu_net",
    "concat": "shallow_relu_net",
    "erfc_form": "derivation",
    "kinks_1d": "shallow_relu_net",
    "latex": "derivation",
    "pythagorean_neuron": "shallow_relu_net",
    "realize": "shallow_relu_net",
    "realize_exact": "shallow_relu_net",
    "relu": "shallow_relu_net",
    "s_for_kink": "shallow_relu_net",
    "symbolically_equal": "derivation",
    "tex_text": "derivation",
    "to_fraction": "shallow_relu_net",
}
__all__, __getattr__, __dir__ = lazy_api(__name__, _API)
