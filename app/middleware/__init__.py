"""Plain ASGI middleware: what every request goes through before any route sees it."""
