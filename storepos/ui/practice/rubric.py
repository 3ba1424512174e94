"""The trainer scores the five rubric areas of SOP §9 (1-5, a comment each)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text

from storepos.i18n import t
from storepos.services import practice
from storepos.services.core import sop
from storepos.ui.kit.fields import Field, FormField
from storepos.ui.kit.form import FormModal
from storepos.ui.kit.text import Plain


class RubricForm(FormModal[int]):
    """A score and a comment per area (scores given before are prefilled: the first key typed
    replaces them); Enter moves on and saves on the last comment.  Dismissed with the session id."""

    TITLE_KEY = "practice.rubric_title"
    HINT_KEY = "practice.rubric_hint"

    def __init__(self, session_id: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.session_id = session_id

    def form_title(self) -> str | Text:
        s = practice.get_session(self.actor.store_id, self.session_id)
        return t("practice.rubric_title", name=practice.trainee_of(s).name)

    def fields(self) -> Sequence[Field]:
        given = practice.scores_of(self.session_id)
        out = []
        for group in sop.rubric_areas():
            code = group.entry.code
            old = given.get(code)
            out.append(Field(f"score_{code}", "practice.score", value=str(old.score) if old else "", max_length=1,
                             placeholder="practice.score_placeholder"))
            out.append(Field(f"comment_{code}", "practice.comment", value=old.comment if old else "",
                             max_length=practice.COMMENT_MAX))
        return out

    def on_mount(self) -> None:
        # Each area's name and criteria above its score (the kit form lays out fields only).
        for group in sop.rubric_areas():
            found = self.query(f"#field-score_{group.entry.code}")
            if not found:
                continue
            ff = found.first(FormField)
            assert ff.parent is not None
            ff.parent.mount(Plain(group.entry.label, classes="rubric-area"),
                            Plain(" · ".join(c.label for c in group.items), classes="rubric-criteria"),
                            before=ff)

    def save(self, values: dict[str, Any]) -> int:
        data = {code: {"score": values.get(f"score_{code}") or "", "comment": values.get(f"comment_{code}") or ""}
                for code in practice.rubric_codes()}
        practice.score_session(self.actor, self.session_id, data)
        return self.session_id
