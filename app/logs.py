"""Logging: one line per event, each with the request id."""

import json
import logging.config
import re

from app.config import Settings

TEXT_FORMAT = "%(asctime)s %(levelname)s [%(correlation_id)s] %(name)s: %(message)s"
JSON_FORMAT = (
    '{"time": "%(asctime)s", "level": "%(levelname)s", "request_id": "%(correlation_id)s", '
    '"logger": "%(name)s", "message": %(message_json)s}'
)


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def escape_controls(text: str) -> str:
    """A message on one line whatever it quotes: a newline in a path or a name cannot forge a log line."""
    return _CONTROL.sub(lambda m: _ESCAPES.get(m.group(), f"\\x{ord(m.group()):02x}"), text)


class OneLine(logging.Filter):
    """Formats the message once and escapes its control characters (user text reaches logs in paths, names)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = escape_controls(record.getMessage())
        record.args = None
        return True


class IndentedTraceback(logging.Formatter):
    """A traceback's lines are indented, so none of them (an exception's message included) starts a record."""

    def formatException(self, ei) -> str:
        return "\n".join(
            "    | " + escape_controls(line) for line in super().formatException(ei).splitlines()
        )


class JsonMessage(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.message_json = json.dumps(record.getMessage(), ensure_ascii=False)
        return True


def configure_logging(settings: Settings) -> None:
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "filters": {
                "request_id": {"()": "asgi_correlation_id.CorrelationIdFilter", "default_value": "-"},
                "one_line": {"()": OneLine},
                "json": {"()": JsonMessage},
            },
            "formatters": {
                "line": {
                    "()": IndentedTraceback,
                    "format": JSON_FORMAT if settings.log_json else TEXT_FORMAT,
                }
            },
            "handlers": {
                "console": {
                    "class": "logging.StreamHandler",
                    "formatter": "line",
                    "filters": ["request_id", "one_line", "json"],
                }
            },
            "loggers": {
                "xuncha": {"level": settings.log_level, "handlers": ["console"], "propagate": False},
                "uvicorn": {"level": "INFO", "handlers": ["console"], "propagate": False},
                "uvicorn.access": {
                    "level": "WARNING",
                    "handlers": [],
                    "propagate": False,
                },  # xuncha.access instead
            },
        }
    )
