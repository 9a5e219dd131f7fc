"""Chorus's searched loss weightings for any PyTorch model (needs ``torch``, the package's ``torch`` extra).

    import chorus.torch

    w = chorus.torch.weighting(trial.weighting, ["depth", "segmentation"], model.trunk.parameters(),
                               weights=trial.weights, learning_rate=trial.settings.learning_rate,
                               seed=trial.seed)
    for epoch in range(epochs):
        for batch in loader:
            optimizer.zero_grad()
            w.backward({"depth": depth_loss, "segmentation": seg_loss})
            optimizer.step()
        w.end_epoch(mean_losses_of_the_epoch)

The methods and their defaults are those of Chorus's built-in trainer (Java,
``dev.chorus.mtl.train.weighting``), held to the same weights on the same inputs by golden tests;
docs/python-weightings.md lists the names, options and tolerances.
"""
from ._core import Combination, SharedGradient, Step, Weights
from ._weighting import NAMES, Weighting, weighting

__all__ = ["NAMES", "Combination", "SharedGradient", "Step", "Weighting", "Weights", "weighting"]
