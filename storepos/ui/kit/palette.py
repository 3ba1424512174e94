"""The command palette in the user's language.

Textual writes words of its own into its palette (the prompt, "No matches found"): the kit's
palette says them through i18n when they are shown and again after a language switch (F12) while
it is open.  (The Select's pop-up list: kit.inputs.KitSelectOverlay.)
"""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandInput, CommandList, CommandPalette
from textual.widgets.option_list import Option

from storepos.i18n import t


class KitCommandPalette(CommandPalette):
    """Textual's palette with its prompt and its "no matches" line in the user's language."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(placeholder=t("palette.placeholder"), **kwargs)  # type: ignore[arg-type]

    @staticmethod
    def _no_matches_prompt() -> Align:
        return Align.center(Text(t("palette.no_matches"), style="not bold"))

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own countdown (textual.command, 8.x) with the line in the user's language.
        self._stop_no_matches_countdown()

        def _show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(self._no_matches_prompt(), disabled=True, id=self._NO_MATCHES))
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, _show_no_matches)

    def relabel(self) -> None:
        """After a language switch (the app's relabel_all): the prompt and the line shown."""
        self.query_one(CommandInput).placeholder = t("palette.placeholder")
        commands = self.query_one(CommandList)
        if commands.option_count and commands.get_option_at_index(0).id == self._NO_MATCHES:
            commands.replace_option_prompt(self._NO_MATCHES, self._no_matches_prompt())
