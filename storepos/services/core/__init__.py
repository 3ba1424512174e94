"""Shared pieces every area uses: errors, who is acting, permissions, audit, approvals,
numbers, the SOP data, the store and its settings, printing, opening the database."""
