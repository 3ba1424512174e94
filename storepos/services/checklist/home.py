"""What the checklist shows on the home screen: today's run at a glance, and a notice for each
run a manager returned to the staff member who submitted it (listed in services/manifest.py)."""

from __future__ import annotations

from storepos.i18n import t
from storepos.models import ChecklistRun
from storepos.services.checklist.runs import find_run
from storepos.services.checklist.state import run_state, staff_names
from storepos.services.checklist.window import store_window
from storepos.services.core.context import Actor
from storepos.services.core.store import business_date, get_store
from storepos.services.home import Figure


def home_figure(actor: Actor) -> Figure:
    """Today's run: not started, answered/total while open, else its status (late marked).  An
    unfinished run is an alert once the doors are open, a returned one always."""
    store = get_store(actor.store_id)
    run = find_run(store.id, business_date(store))
    after_opening = store_window(store).state == "open"
    if run is None:
        return Figure("home.glance_checklist", t("checklist.status.not_started"), alert=after_opening)
    if run.status == "open":
        st = run_state(store.id, run)
        return Figure("home.glance_checklist", f"{st.answered}/{st.total}", alert=after_opening)
    value = t(f"checklist.status.{run.status}")
    if run.late and run.status != "returned":
        value += " " + t("checklist.late_mark")
    return Figure("home.glance_checklist", value, alert=run.status == "returned")


def returned_notices(actor: Actor) -> list[str]:
    """One notice per run returned to the actor (who submitted it), oldest first: the date, the
    manager and the comment."""
    runs = (ChecklistRun.select().where(ChecklistRun.store == actor.store_id,
                                        ChecklistRun.status == "returned",
                                        ChecklistRun.submitted_by == actor.staff_id)
            .order_by(ChecklistRun.business_date))
    out = []
    for r in runs:
        reviewer = staff_names({r.reviewer_id or 0}).get(r.reviewer_id or 0, "")
        out.append(t("checklist.notice_returned", date=r.business_date.isoformat(), manager=reviewer,
                     comment=r.review_note))
    return out
