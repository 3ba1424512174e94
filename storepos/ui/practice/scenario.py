"""A trainer adds a practice scenario (stored in the practice database, audited)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storepos.i18n import t
from storepos.services import practice
from storepos.services.core import sop
from storepos.ui.kit.fields import Field
from storepos.ui.kit.form import FormModal

# Service field name -> max length (0: the drop-down of signals).  The zh texts are required, en
# ones optional.
FIELDS = (
    ("code", 40), ("title_zh", 100), ("title_en", 100), ("persona_zh", 1000), ("persona_en", 1000),
    ("signal", 0), ("spec_zh", 1000), ("spec_en", 1000), ("quantity", 6), ("budget", 20),
    ("delivery_zh", 1000), ("delivery_en", 1000), ("objections_zh", 1000), ("objections_en", 1000),
    ("outcome_zh", 1000), ("outcome_en", 1000),
)


class ScenarioForm(FormModal[practice.PracticeScenario]):
    """Dismissed with the scenario saved."""

    TITLE_KEY = "practice.scenario_title"
    HINT_KEY = "practice.scenario_hint"

    def fields(self) -> Sequence[Field]:
        signals: list[tuple[Any, Any]] = [(t("practice.pick_signal"), "")]
        signals += [(t("practice.signal_option", key=e.get("key", ""), label=e.label), e.code)
                    for e in sop.entries("approach", "signals")]
        return [Field(name, f"practice.f_{name}", value="", options=signals) if name == "signal"
                else Field(name, f"practice.f_{name}", max_length=limit) for name, limit in FIELDS]

    def save(self, values: dict[str, Any]) -> practice.PracticeScenario:
        data = {name: str(values.get(name) or "") for name, _limit in FIELDS}
        return practice.add_scenario(self.actor, data)
