"""GeoReport v2 documents as XML (the specification's required format) or JSON, and its error format."""

import json
from xml.etree.ElementTree import Element, SubElement, tostring

from fastapi import Request
from fastapi.responses import Response

from app.errors import NotFound
from app.models.text import CONTROL_CHARACTERS

FORMATS = ("xml", "json")
XML_TYPE = "text/xml; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
# the element name of one item of each list, in XML
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise NotFound(f"unknown format {fmt!r}: end the path with .xml or .json")
    return fmt


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    # input refuses control characters; one stored before that rule must not make the document unreadable
    return CONTROL_CHARACTERS.sub("\ufffd", str(value))


def _fill(parent: Element, name: str, value) -> None:
    if isinstance(value, dict):
        node = SubElement(parent, name)
        for key, inner in value.items():
            _fill(node, key, inner)
    elif isinstance(value, list):
        node = SubElement(parent, name)
        for item in value:
            _fill(node, ITEM_NAMES.get(name, "item"), item)
    else:
        SubElement(parent, name).text = _text(value)


def to_xml(root: str, body: dict | list) -> bytes:
    """`<root>` holding a list's items (each named by ITEM_NAMES) or a document's fields."""
    element = Element(root)
    if isinstance(body, list):
        for item in body:
            _fill(element, ITEM_NAMES[root], item)
    else:
        for key, value in body.items():
            _fill(element, key, value)
    return tostring(element, encoding="utf-8", xml_declaration=True)


def render(fmt: str, root: str, body: dict | list, status: int = 200) -> Response:
    """The document in the format the path asked for; JSON is the body itself, XML wraps it in `root`."""
    if fmt == "json":
        content = json.dumps(body, ensure_ascii=False).encode()
        return Response(content, status_code=status, media_type=JSON_TYPE)
    return Response(to_xml(root, body), status_code=status, media_type=XML_TYPE)


def spec_status(status: int) -> int:
    """The specification knows 400, 403 and 404: a missing credential is 403, any other bad input 400."""
    if status in (400, 403, 404) or status >= 500 or status == 405:
        return status
    return 403 if status == 401 else 400


def render_error(request: Request, status: int, detail: str) -> Response:
    """An `errors` list of one {code, description}; JSON for a .json path, else XML (the default format)."""
    status = spec_status(status)
    fmt = "json" if request.url.path.endswith(".json") else "xml"
    return render(fmt, "errors", [{"code": status, "description": detail}], status)
