"""A legacy Keras 2 example project (bundled for keras-backend-lint's quick start)."""
