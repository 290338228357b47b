"""Fixtures for the photo tests: signed-in users and an upload helper."""

from collections.abc import Callable

import pytest

from app.models import Role


@pytest.fixture
def grid(make_user) -> dict:
    return make_user("grid1", Role.grid_worker)


@pytest.fixture
def upload(client, grid) -> Callable:
    """POST /api/v1/photos as the grid worker (or `headers`), with form fields."""

    def post(
        data: bytes, filename: str = "photo.jpg", content_type: str = "image/jpeg", headers=None, **fields
    ):
        form = {k: str(v) for k, v in fields.items()}
        return client.post(
            "/api/v1/photos",
            files={"file": (filename, data, content_type)},
            data=form,
            headers=headers or grid["headers"],
        )

    return post
