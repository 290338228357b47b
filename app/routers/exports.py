"""Exports for the office: the filtered issue list as CSV or XLSX, and the daily report workbook."""

import os

from fastapi import APIRouter, BackgroundTasks
from fastapi.responses import FileResponse, StreamingResponse

from app.db import SessionDep
from app.deps import IssueFiltersDep, OfficeUser, SettingsDep
from app.services.exports import daily as exports_daily
from app.services.exports import issues as exports
from app.services.exports import weekly as exports_weekly

router = APIRouter(prefix="/api/v1", tags=["exports"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@router.get("/exports/issues.csv")
def issues_csv(user: OfficeUser, settings: SettingsDep, filters: IssueFiltersDep) -> StreamingResponse:
    return StreamingResponse(
        exports.csv_chunks(settings, user, filters),
        media_type="text/csv; charset=utf-8",
        headers=_attachment("issues.csv"),
    )


@router.get("/exports/issues.xlsx")
def issues_xlsx(
    user: OfficeUser, settings: SettingsDep, filters: IssueFiltersDep, cleanup: BackgroundTasks
) -> FileResponse:
    path = exports.write_xlsx(settings, user, filters)
    cleanup.add_task(os.unlink, path)
    return FileResponse(path, media_type=XLSX, headers=_attachment("issues.xlsx"))


@router.get("/exports/daily-report.xlsx")
def daily_report(
    _: OfficeUser,
    session: SessionDep,
    settings: SettingsDep,
    cleanup: BackgroundTasks,
    date: str | None = None,
) -> FileResponse:
    """Summary, per-unit and overdue sheets; `date` (default today) picks the day's new and closed counts."""
    path, day = exports_daily.daily_report(session, settings, date)
    cleanup.add_task(os.unlink, path)
    return FileResponse(path, media_type=XLSX, headers=_attachment(f"daily-report-{day.isoformat()}.xlsx"))


@router.get("/exports/weekly-report.xlsx")
def weekly_report(
    _: OfficeUser,
    session: SessionDep,
    settings: SettingsDep,
    cleanup: BackgroundTasks,
    week: str | None = None,
) -> FileResponse:
    """The weekly 通报: red list, black list with the reasons, every point lost; `week` is any day of it
    (default: last week)."""
    path, monday = exports_weekly.weekly_report(session, settings, week)
    cleanup.add_task(os.unlink, path)
    return FileResponse(
        path, media_type=XLSX, headers=_attachment(f"weekly-report-{monday.isoformat()}.xlsx")
    )
