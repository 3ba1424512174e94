"""Every area the app has, in one list: the procedure rail's steps and each role's areas.

Home builds its rail and keys from this list, and so does the command palette.  ``open`` names
what opens the area, as "module:name": a screen class (pushed as is) or a function open(app).
Modules are imported when the area is first opened, so start-up stays light.  A new area is one
line here (and its permission in services/core/permissions.py).
"""

from __future__ import annotations

from storepos.ui.kit.areas import Area

AREAS: tuple[Area, ...] = (
    # -- the procedure rail (SOP steps; keys 1-6 on home, see kit.areas.RAIL) ---------------------
    Area(id="checklist", label="area.checklist", step="checklist", permission="checklist.run",
         help="area.checklist_help", open="storepos.ui.checklist.run:ChecklistScreen"),
    Area(id="visit", label="area.visit", step="greet", global_key="f2", help="area.visit_help",
         open="storepos.ui.visits.visit:start_visit"),
    Area(id="visit_needs", label="area.visit_needs", step="needs", help="area.visit_needs_help",
         open="storepos.ui.visits.visit:continue_needs"),
    Area(id="quote", label="area.quote", step="quote", key="4", global_key="f3", order=40,
         permission="quote.use", help="area.quote_help", open="storepos.ui.quotes.quote:open_quote"),
    Area(id="checkout", label="area.checkout", step="close", global_key="f4", permission="checkout.sell",
         help="area.checkout_help", open="storepos.ui.checkout.checkout:open_checkout_area"),
    Area(id="aftersales", label="area.aftersales", step="aftersales", permission="followup.work",
         help="area.aftersales_help", open="storepos.ui.aftersales.followups:FollowUpsScreen"),
    # -- the roles' own areas (a letter on home), in home's order ---------------------------------
    Area(id="visits", label="area.visits", key="v", order=10, help="area.visits_help",
         open="storepos.ui.visits.visit:VisitsScreen"),
    Area(id="manager", label="area.manager", permission="manager.desk", key="m", order=15,
         help="area.manager_help", open="storepos.ui.reports.desk:ManagerDeskScreen"),
    Area(id="checklist_review", label="area.checklist_review", permission="checklist.review", key="w",
         order=20, help="area.checklist_review_help", open="storepos.ui.checklist.review:ChecklistReviewScreen"),
    Area(id="customers", label="area.customers", key="c", order=20, help="area.customers_help",
         open="storepos.ui.customers.customers:CustomersScreen"),
    Area(id="register", label="area.register", key="g", order=20, permission="checkout.register",
         help="area.register_help", open="storepos.ui.register.register:RegisterScreen"),
    Area(id="returns", label="area.returns", key="u", order=21, permission="checkout.return",
         help="area.returns_help", open="storepos.ui.checkout.returns:ReturnsScreen"),
    Area(id="catalog", label="area.catalog", permission="catalog.view", key="p", order=30,
         help="area.catalog_help", open="storepos.ui.catalog.catalog:CatalogScreen"),
    Area(id="tickets", label="area.tickets", key="i", order=30, permission="ticket.work",
         help="area.tickets_help", open="storepos.ui.aftersales.tickets:TicketsScreen"),
    Area(id="receiving", label="area.receiving", permission="stock.receive", key="r", order=31,
         help="area.receiving_help", open="storepos.ui.catalog.receiving:ReceivingScreen"),
    Area(id="stock_count", label="area.stock_count", permission="stock.count", key="k", order=32,
         help="area.stock_count_help", open="storepos.ui.catalog.stock_count:StockCountScreen"),
    Area(id="quote_list", label="area.quote_list", key="o", order=41, permission="quote.use",
         help="area.quote_list_help", open="storepos.ui.quotes.quote_list:QuoteListScreen"),
    Area(id="journey", label="area.journey", key="j", order=42, help="area.journey_help",
         open="storepos.ui.journey.others:OtherTerminalsScreen"),
    Area(id="practice", label="area.practice", permission="practice.use", key="t", order=80,
         help="area.practice_help", open="storepos.ui.practice.practice:open_practice"),
    Area(id="staff", label="area.staff", permission="staff.manage", key="s", order=90,
         help="area.staff_help", open="storepos.ui.staff.staff:StaffScreen"),
)
