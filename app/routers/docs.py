"""/docs: Swagger UI from files this server serves itself (a government intranet reaches no CDN), and no
inline script, so the CSP holds here too."""

from pathlib import Path

import swagger_ui_bundle  # type: ignore[import-untyped]
from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

ASSETS = Path(swagger_ui_bundle.swagger_ui_path)
router = APIRouter(include_in_schema=False)

PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Xuncha 巡查 API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>"""

INIT = """window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  deepLinking: true,
  persistAuthorization: true
});"""


@router.get("/docs")
def docs() -> HTMLResponse:
    return HTMLResponse(PAGE)


@router.get("/docs/init.js")
def docs_init() -> Response:
    return Response(INIT, media_type="text/javascript")


def mount_assets(app) -> None:
    app.mount("/docs/assets", StaticFiles(directory=ASSETS), name="docs-assets")
