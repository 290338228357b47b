"""The built PWA (frontend/dist), served at / by the same process as the API, with the right cache rules."""

from pathlib import Path

from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Scope

REPO_DIR = Path(__file__).resolve().parent.parent
DIST = Path("frontend") / "dist"
IMMUTABLE = "public, max-age=31536000, immutable"
NO_CACHE = "no-cache"
GZIP_MIN_BYTES = 1024  # smaller files gain less than the gzip header and the work cost
# paths the API owns: an unknown one under these is the API's 404, never the app's index.html
API_PREFIXES = ("api", "open311", "docs", "redoc", "openapi.json", "healthz", "readyz")

NOT_BUILT_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>巡查 Xuncha: 前端未构建 / app not built</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 2em auto; padding: 0 1em">
<h1>巡查 Xuncha</h1>
<p>前端应用尚未构建。请在项目目录运行 <code>make run</code>（会先构建前端再启动服务），
或运行 <code>cd frontend &amp;&amp; npm ci &amp;&amp; npm run build</code>。</p>
<p>The app is not built yet. Run <code>make run</code> in the project directory (it builds the app, then
serves it), or <code>cd frontend &amp;&amp; npm ci &amp;&amp; npm run build</code>.</p>
<p>Looked for it in <code>{where}</code> (set <code>XUNCHA_FRONTEND_DIR</code> to change that).
The API is at <a href="/docs">/docs</a>.</p>
</body></html>
"""


def resolve_frontend_dir(configured: Path | None) -> Path:
    """XUNCHA_FRONTEND_DIR if set (relative to the working directory), else frontend/dist in the working
    directory when there is one (Docker, a checkout), else the one beside the app's code (an editable install)."""
    if configured is not None:
        return configured.expanduser().resolve()
    here = (Path.cwd() / DIST).resolve()
    return here if here.is_dir() else REPO_DIR / DIST


def cache_control(path: str) -> str:
    """Vite puts only content-hashed files under assets/: those never change; everything else is revalidated."""
    return IMMUTABLE if path.startswith("assets/") else NO_CACHE


def _is_api(path: str) -> bool:
    first = path.split("/", 1)[0]
    return first in API_PREFIXES


def _looks_like_a_file(path: str) -> bool:
    return "." in path.rsplit("/", 1)[-1] or path.startswith("assets/")


class FrontendFiles(StaticFiles):
    """The dist folder at /: index.html for / and for unknown app paths, a short page when it is not built.

    It is the router's default (what answers when no route matches), so every route wins, and a path that
    matches a route but not its method still gets the router's 405.
    The folder is looked at on each request, so a build made while the server runs is served at once."""

    def __init__(self, directory: Path):
        super().__init__(directory=directory, html=True, check_dir=False)
        self.dist = directory

    async def check_config(self) -> None:
        """A missing folder is not an error here: / then says how to build the app."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        path = "" if path == "." else path
        if _is_api(path):
            raise HTTPException(404)
        if not (self.dist / "index.html").is_file():
            if path in ("", "index.html") or not _looks_like_a_file(path):
                return HTMLResponse(
                    NOT_BUILT_PAGE.format(where=self.dist), headers={"Cache-Control": NO_CACHE}
                )
            raise HTTPException(404)
        try:
            response = await super().get_response(path or ".", scope)
        except HTTPException as e:
            if e.status_code != 404 or _looks_like_a_file(path):
                raise
            # the app uses hash history, but a deep link typed by hand should still open the app
            response = await super().get_response("index.html", scope)
            path = "index.html"
        response.headers["Cache-Control"] = cache_control(path)
        return response


def frontend_app(directory: Path) -> ASGIApp:
    """The PWA's files, gzipped for a client that accepts it (a phone on 4G fetches a third of the bytes).
    Only here: the API's answers, and its event stream above all, are left as they are."""
    return GZipMiddleware(FrontendFiles(directory), minimum_size=GZIP_MIN_BYTES)
