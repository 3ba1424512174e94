"""Textual screens: the kit (storepos/ui/kit) and one package per area.  Screens stay thin: they
call storepos.services.  Nothing here is imported for the CLI's reports but ui/reports/view.py."""
