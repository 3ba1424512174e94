"""The practice notice on the home screen (listed in services/manifest.py)."""

from __future__ import annotations

import peewee

from storepos.i18n import t
from storepos.models import Staff
from storepos.services.core.context import Actor
from storepos.services.practice.scenarios import scenario_title
from storepos.services.practice.sessions import running


def home_notices(actor: Actor) -> list[str]:
    """The trainee sees their running session; a trainer sees how many are running (none when
    the sessions cannot be read)."""
    try:
        rows = running(actor.store_id)
    except peewee.DatabaseError:
        return []
    out = []
    for s in rows:
        if s.trainee_id == actor.staff_id:
            out.append(t("practice.notice_trainee", trainer=Staff.get_by_id(s.trainer_id).name))
        elif s.trainer_id == actor.staff_id:
            out.append(t("practice.notice_trainer", trainee=Staff.get_by_id(s.trainee_id).name,
                         scenario=scenario_title(actor.store_id, s.scenario)))
    return out
