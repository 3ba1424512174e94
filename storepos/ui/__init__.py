"""Textual screens and widgets.  Screens stay thin: they call storepos.services."""

from textual.widgets import Input as _Input

_input_init = _Input.__init__


def _no_select_on_focus(self, *args, select_on_focus: bool = False, **kwargs):  # type: ignore[no-untyped-def]
    # Textual selects a field's whole text when it gets focus, so the next key typed replaces it:
    # at the counter that silently loses input (Esc back to a step, a field with an error).
    _input_init(self, *args, select_on_focus=select_on_focus, **kwargs)


_Input.__init__ = _no_select_on_focus  # type: ignore[method-assign]
