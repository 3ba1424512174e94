"""storepos: a guided sales counter for shops."""

import os as _os

# pydantic looks for plugins through every installed package's entry points the first time a model
# is built (tens of milliseconds of each start); storepos uses none.
_os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

__version__ = "0.1.0"
