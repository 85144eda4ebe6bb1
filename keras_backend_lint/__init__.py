"""keras-backend-lint: find (and fix) legacy Keras backend code before it fails at run time."""

__version__ = "0.1.0"
