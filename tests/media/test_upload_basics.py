import pytest

from studio.errors import MediaError
from studio.media.assets import ingest_image


def test_same_image_twice_is_detected_as_duplicate(store, data_dir, make_image):
    data = make_image()
    first, dup1 = ingest_image(store, data_dir, data, "a.jpg")
    second, dup2 = ingest_image(store, data_dir, data, "copy.jpg")
    assert (dup1, dup2) == (False, True) and first.id == second.id
    assert (data_dir / first.path).read_bytes() == data


@pytest.mark.parametrize(
    "payload,code",
    [
        (b"", "empty_file"),
        (b"this is a text file, renamed to .jpg", "unreadable"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_saved(store, data_dir, payload, code):
    with pytest.raises(MediaError) as err:
        ingest_image(store, data_dir, payload, "photo.jpg")
    assert err.value.code == code and err.value.fix
    assert store.list_media() == []


def test_truncated_jpeg_is_refused(store, data_dir, make_image):
    data = make_image(size=(800, 1200), quality=95)
    with pytest.raises(MediaError) as err:
        ingest_image(store, data_dir, data[: len(data) // 2], "cut.jpg")
    assert err.value.code == "unreadable"
    assert store.list_media() == []
