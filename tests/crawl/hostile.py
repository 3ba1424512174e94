"""Hostile data for the crawler: what a supplier's CSV, a customer's name or a typo can bring.

Seeded through the services (as a user or an import would), on top of the demo store, so that
every list, page and search of the app has something awkward to show.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

# Names and notes that broke screens, or would: markup, emoji, control characters, right-to-left
# text, the full-width space of a Chinese IME, a 200-character name.
MARKUP = "Pot [/b] [red]x"
HOSTILE_NAMES = [
    MARKUP,
    "[/bold]closing tag",
    "[red]red[/red] [link=x]y",
    "咖啡机😀🍵 emoji",
    "ctrl\x1b[31m\x07\x00 chars",
    "\u202eRTL override עברית العربية",
    "全角\u3000空格",
    "长" * 100 + "L" * 100,  # 200 characters, 300 cells wide
]
# What the crawler types into every field it finds.
TYPED = [MARKUP, "咖啡机😀", "\u3000", "1,000.00", "-1", "9" * 12, "{name}%s", "２０２６-０３-３１"]

PRICES = ["0.01", "999999.99"]


def _product_data(i: int, name: str, price: str) -> dict[str, Any]:
    return {"sku": f"HX-{i:04d}", "barcode": f"69999999{i:05d}", "extra_barcodes": "", "name_zh": name,
            "name_en": name, "category": "", "unit": "个", "price": price, "floor_price": "",
            "active": True}


def seed(manager: Any, staff: Any) -> dict[str, list[int]]:
    """Hostile products, customers, a staff member, a visit, a quote, a sale (with its follow-ups),
    a service ticket and a checklist item, through the services.  Returns the ids made."""
    from storepos.services import aftersales, catalog, checklist, checkout, customers, quotes, register, visits
    from storepos.services.core.errors import DomainError
    from storepos.services.staff import create_staff

    made: dict[str, list[int]] = {"products": [], "customers": [], "staff": [], "sales": [], "quotes": []}
    for i, name in enumerate(HOSTILE_NAMES, start=1):
        pid = catalog.create_product(manager, _product_data(i, name, PRICES[i % 2]))
        catalog.adjust(manager, pid, 5, name[:60] or "x")
        made["products"].append(pid)
    for i, name in enumerate(HOSTILE_NAMES, start=1):
        c = customers.create(manager, {"name": name[:100], "phone": f"1390000{i:04d}", "segment": "retail",
                                       "address": name, "notes": name, "credit_limit": "999999.99",
                                       "credit_days": "30"}, confirm_duplicate=True)
        made["customers"].append(c.id)
    try:
        s = create_staff(manager, {"code": "7777", "name": MARKUP, "role": "staff",
                                        "discount_authority": "5", "language": "en"}, "7777")
        made["staff"].append(s.id)
    except DomainError:
        pass
    group = next(iter(checklist.group_labels()))
    checklist.add_item(manager, {"group": group, "text_zh": MARKUP, "text_en": MARKUP,
                                 "tip_zh": HOSTILE_NAMES[3], "tip_en": HOSTILE_NAMES[3]})

    v = visits.start(staff, customer_id=made["customers"][0])
    visits.set_needs(staff, v.id, {"spec": MARKUP, "notes": HOSTILE_NAMES[4], "use": HOSTILE_NAMES[5]},
                     done=False)
    visits.add_product(staff, v.id, made["products"][0])

    q = quotes.create(staff, customer_id=made["customers"][1], notes=MARKUP)
    for pid in made["products"][:3]:
        quotes.add_line(staff, q.id, pid, 1)
    made["quotes"].append(q.id)

    register.open_session(staff, "500.00")
    cart = checkout.start_cart(staff, lines=[{"product_id": pid, "qty": 1} for pid in made["products"][:2]],
                               customer_id=made["customers"][0])
    total = cart.totals(0).total
    cart.add_payment("cash", total, tendered=total + Decimal("0.50"))
    sale = checkout.complete_sale(staff, cart)
    made["sales"].append(sale.id)
    aftersales.open_ticket(manager, problem=MARKUP + " " + HOSTILE_NAMES[4], customer_id=made["customers"][0],
                           sale_id=sale.id)
    # a low score opens a ticket that the manager's home names, customer and seller included
    scores = {d.code: 1 for d in aftersales.dimensions()}
    aftersales.submit_survey(staff, sale.id, scores, comment=MARKUP)
    return made
