"""Logging: one line per event, each with the request id."""

import json
import logging.config

from app.config import Settings

TEXT_FORMAT = "%(asctime)s %(levelname)s [%(correlation_id)s] %(name)s: %(message)s"
JSON_FORMAT = (
    '{"time": "%(asctime)s", "level": "%(levelname)s", "request_id": "%(correlation_id)s", '
    '"logger": "%(name)s", "message": %(message_json)s}'
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
                "json": {"()": JsonMessage},
            },
            "formatters": {"line": {"format": JSON_FORMAT if settings.log_json else TEXT_FORMAT}},
            "handlers": {
                "console": {
                    "class": "logging.StreamHandler",
                    "formatter": "line",
                    "filters": ["request_id", "json"],
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
