"""Bulk work: Pinterest's bulk-create CSV in and out, and batch operations on many drafts."""
