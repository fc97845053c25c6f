"""Accuracy of a model on the 10,000 MNIST test images."""


def predictions(model, images):
    """The most probable class of each image (N, 28, 28) -> (N,)."""
    return model.predict_proba(images).argmax(axis=1)


def accuracy(model, images, labels):
    """Fraction of images (N, 28, 28) whose most probable class equals labels (N,)."""
    return float((predictions(model, images) == labels).mean())

