"""Accuracy of a model on the 10,000 MNIST test images."""

import numpy as np

BATCH = 1000  # images per forward pass; bounds memory


def accuracy(model, images, labels):
    """Fraction of images (N, 28, 28) whose most probable class equals labels (N,)."""
    correct = 0
    for i in range(0, len(images), BATCH):
        correct += int((model.predict_proba(images[i:i + BATCH]).argmax(axis=1) == labels[i:i + BATCH]).sum())
    return correct / len(images)


def misclassified(model, images, labels):
    """Indices of the images the model gets wrong, and what it predicted for them."""
    pred = np.concatenate([model.predict_proba(images[i:i + BATCH]).argmax(axis=1)
                           for i in range(0, len(images), BATCH)])
    wrong = np.flatnonzero(pred != labels)
    return wrong, pred[wrong]
