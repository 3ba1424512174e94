"""The domain: plain functions with pydantic inputs, one transaction per operation.

Nothing here imports Textual.  Errors a user can cause are DomainError (translatable).
"""
