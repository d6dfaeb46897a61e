"""Drafting: providers that write pin copy behind one small interface."""

from studio.drafting.base import DraftInput, DraftOutput, Drafter, get_drafter, register_drafter

__all__ = ["DraftInput", "DraftOutput", "Drafter", "get_drafter", "register_drafter"]
