"""The UI kit: what every screen of storepos is built from (see docs/DEVELOPING.md).

- text: data is never markup (``safe``, ``money``, ``Plain``)
- inputs: KitInput (a prefilled value gives way to the first key; U+3000 kept), KitSelect, KitCheckbox
- screen: StoreposScreen (top bar, body, footer) and Modal[T] (typed result; None = cancelled)
- form: FormModal[T] with Field declarations; prompt: Prompt, a form of one value
- lists: ListScreen with Column; table: Table (safe cells, cursor kept by row key)
- confirm: Confirm (yes/no naming what it acts on), Choice (a few answers, one key each); approval: ManagerApproval (a manager's PIN)
- pickers: ProductPicker, CustomerPicker / CustomerSearch (search in a worker)
- chrome: TopBar, StepRail; areas: Area (listed in storepos/ui/manifest.py)
"""

from textual.widgets import Input as _Input

_input_init = _Input.__init__


def _no_select_on_focus(self, *args, select_on_focus: bool = False, **kwargs):  # type: ignore[no-untyped-def]
    # Textual selects a field's whole text when it gets focus, so the next key typed replaces it:
    # at the counter that silently loses input (Esc back to a step, a field with an error).  The
    # kit's KitInput selects only a value the program prefilled (kit/inputs.py).
    _input_init(self, *args, select_on_focus=select_on_focus, **kwargs)


_Input.__init__ = _no_select_on_focus  # type: ignore[method-assign]
