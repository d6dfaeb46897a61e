"""`/api/profiles`: the connected Pinterest accounts a post can go to."""

from __future__ import annotations

from fastapi import APIRouter

from studio.api import posts
from studio.api.routes.dependencies import ERRORS, Key, State
from studio.api.schemas import ProfileList, ProfileOut
from studio.errors import NotFoundError

router = APIRouter(tags=["profiles"], responses=ERRORS)


@router.get("/api/profiles", response_model=ProfileList)
def list_profiles(key: Key, state: State) -> dict:
    return {"data": [posts.public_profile(profile) for profile in posts.profiles(state.store())]}


@router.get("/api/profiles/{profile_id}", response_model=ProfileOut)
def get_profile(profile_id: str, key: Key, state: State) -> dict:
    for profile in posts.profiles(state.store()):
        if profile["id"] == profile_id:
            return posts.public_profile(profile)
    raise NotFoundError(f"There is no profile {profile_id[:40]}.")
