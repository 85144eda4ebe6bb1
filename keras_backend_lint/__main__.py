"""``python -m keras_backend_lint`` is the ``keras-backend-lint`` command."""
import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
