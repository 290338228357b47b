"""Photos: the upload (streamed to disk, never held in memory), the display image, the thumbnail, the original."""

import anyio
from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import StreamingResponse
from pydantic import ValidationError
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.concurrency import run_in_threadpool

from app.db import SessionDep
from app.deps import AdminUser, CurrentUser, PhotoStoreDep, SettingsDep, SignedInUser
from app.errors import BadRequest, InvalidInput, PayloadTooLarge, UnsupportedMedia
from app.models import PhotoForm, PhotoPublic
from app.services import photos
from app.storage import IncomingFile, PhotoStore

router = APIRouter(prefix="/api/v1", tags=["photos"])

FILE_FIELD = "file"
MAX_FIELDS = 16
MAX_FIELD_BYTES = 1024
ENVELOPE_BYTES = 64 * 1024  # multipart headers and the small form fields around the file
CACHE = "private, max-age=31536000, immutable"  # a photo's files never change: the address is the content


class _MultipartUpload:
    """python-multipart callbacks: the part named `file` streams into an IncomingFile, others are small text.

    Writing a chunk (at most one network read, 64 KiB) to the page cache takes microseconds, so it is done
    right here in the event loop rather than paying a thread hop per chunk.
    """

    def __init__(self, upload: IncomingFile):
        self.upload = upload
        self.fields: dict[str, str] = {}
        self.files = 0
        self._headers: dict[bytes, bytes] = {}
        self._name = self._value = b""
        self._field: str | None = None  # the text part being read; None while in the file part
        self._text = bytearray()
        self._in_file = False

    def callbacks(self) -> dict:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": lambda d, s, e: self._append_header("_name", d[s:e]),
            "on_header_value": lambda d, s, e: self._append_header("_value", d[s:e]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }

    def _append_header(self, attr: str, data: bytes) -> None:
        setattr(self, attr, getattr(self, attr) + data)

    def _part_begin(self) -> None:
        self._headers, self._text, self._in_file, self._field = {}, bytearray(), False, None

    def _header_end(self) -> None:
        self._headers[self._name.lower()] = self._value
        self._name = self._value = b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        name = options.get(b"name", b"").decode("utf-8", "replace")
        if name == FILE_FIELD:
            self.files += 1
            if self.files > 1:
                raise InvalidInput("file: send one photo per request")
            self._in_file = True
        elif b"filename" in options:
            raise InvalidInput(f"file: send the photo in the multipart field 'file', not {name!r}")
        elif len(self.fields) >= MAX_FIELDS:
            raise InvalidInput(f"too many form fields (at most {MAX_FIELDS})")
        else:
            self._field = name

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._in_file:
            self.upload.write(data[start:end])
            return
        self._text += data[start:end]
        if len(self._text) > MAX_FIELD_BYTES:
            raise InvalidInput(f"{self._field}: a form field may hold at most {MAX_FIELD_BYTES} bytes")

    def _part_end(self) -> None:
        if self._field is not None:
            self.fields[self._field] = self._text.decode("utf-8", "replace")


async def receive_upload(
    request: Request, store: PhotoStore, max_bytes: int
) -> tuple[IncomingFile, dict[str, str]]:
    """Stream the multipart body to a temporary file, stopping at the first byte over the limit."""
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    if content_type != b"multipart/form-data":
        raise UnsupportedMedia("send multipart/form-data with the photo in the field 'file'")
    if b"boundary" not in options:
        raise BadRequest("the multipart body has no boundary in its Content-Type")
    limit = max_bytes + ENVELOPE_BYTES
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:  # refused before reading a byte; counted anyway below
        raise PayloadTooLarge(f"the photo is larger than {max_bytes / 2**20:g} MB (XUNCHA_MAX_UPLOAD_MB)")
    upload = store.receive(max_bytes)
    try:
        body = _MultipartUpload(upload)
        parser = MultipartParser(options[b"boundary"], body.callbacks())
        received = 0
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit:
                raise PayloadTooLarge(
                    f"the photo is larger than {max_bytes / 2**20:g} MB (XUNCHA_MAX_UPLOAD_MB)"
                )
            parser.write(chunk)
        parser.finalize()
        if body.files == 0:
            raise InvalidInput("file: Field required (send the photo as the multipart field 'file')")
        upload.finish()
    except MultipartParseError as exc:
        upload.discard()
        raise BadRequest(f"the multipart body is malformed: {exc}") from exc
    except BaseException:  # a refusal, a client gone mid-upload, a cancelled task: nothing is left behind
        upload.discard()  # quick and safe right here: no fsync has started before finish()
        raise
    return upload, body.fields


def _form(fields: dict[str, str]) -> PhotoForm:
    try:
        return PhotoForm.model_validate(fields)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from exc


@router.post(
    "/photos", status_code=201, responses={200: {"description": "the same bytes were uploaded before"}}
)
async def upload_photo(
    request: Request,
    response: Response,
    user: SignedInUser,
    settings: SettingsDep,
    store: PhotoStoreDep,
) -> PhotoPublic:
    """Multipart: `file` (JPEG, PNG, WebP, HEIC) and optionally lat, lon, crs, accuracy_m, taken_at."""
    # signed in by a session already closed: a slow body holds no database connection while it streams
    upload, fields = await receive_upload(request, store, settings.max_upload_bytes)
    try:
        form = _form(fields)
        # at most XUNCHA_MAX_DECODES decodes at once; the others wait here, holding no thread
        photo, created = await anyio.to_thread.run_sync(
            photos.ingest_in_own_session,
            store,
            upload,
            form,
            user.id,
            settings,
            limiter=photos.decode_limiter(settings.max_decodes),
        )
    finally:
        with anyio.CancelScope(shield=True):  # a client hanging up must not leave the temporary file
            await run_in_threadpool(upload.discard)  # may wait for the background fsync
    response.status_code = 201 if created else 200
    return photos.photo_public(photo)


def _serve(file: photos.PhotoFile, request: Request, disposition: str = "inline") -> Response:
    headers = {"ETag": file.etag, "Cache-Control": CACHE, "X-Content-Type-Options": "nosniff"}
    if file.etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    headers["Content-Length"] = str(file.size)
    headers["Content-Disposition"] = f'{disposition}; filename="{file.filename}"'
    return StreamingResponse(file.chunks(), media_type=file.media_type, headers=headers)


@router.get("/photos/{photo_id}", response_class=StreamingResponse)
def display_image(
    photo_id: str, request: Request, user: CurrentUser, session: SessionDep, store: PhotoStoreDep
):
    """The display image: JPEG, long side at most 1600, upright, no EXIF. Only for its uploader and those who
    may see an issue it is attached to (others: 404)."""
    return _serve(photos.photo_file(session, store, photo_id, "display", user), request)


@router.get("/photos/{photo_id}/thumb", response_class=StreamingResponse)
def thumbnail(photo_id: str, request: Request, user: CurrentUser, session: SessionDep, store: PhotoStoreDep):
    """The thumbnail: JPEG, long side at most 320, upright, no EXIF; seen as the display image is."""
    return _serve(photos.photo_file(session, store, photo_id, "thumb", user), request)


@router.get("/photos/{photo_id}/original", response_class=StreamingResponse)
def original(photo_id: str, request: Request, _: AdminUser, session: SessionDep, store: PhotoStoreDep):
    """The bytes as uploaded, EXIF and all: for the record, so for admins only."""
    file = photos.photo_file(session, store, photo_id, "original")
    return _serve(file, request, disposition="attachment")
