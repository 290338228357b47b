// Sites as the list shows them: the office's readiness ranking (from /stats/sites?order=readiness) or a unit's
// own sites (its site zones, with the latest of its inspections per site). Pure: no server, no storage.
import type { InspectionSummary, SiteStats } from '@/api'

export interface SiteRow {
  code: string
  name: string
  /** passed / items that applied at the latest inspection; null: never inspected, or nothing applied */
  passShare: number | null
  inspected: boolean
  /** the site's open and overdue issues (the office's ranking only) */
  open: number | null
  overdue: number | null
  days: number | null
  selfCheck: boolean
}

export function rowOfStats(s: SiteStats): SiteRow {
  return {
    code: s.code,
    name: s.name,
    passShare: s.pass_share ?? null,
    inspected: !!s.last_inspected_at,
    open: s.open,
    overdue: s.overdue,
    days: s.days_since_inspected ?? null,
    selfCheck: !!s.last_self_check,
  }
}

/** Whole calendar days (the phone's) from `iso` to `now`. */
export function daysSince(iso: string, now = new Date()): number {
  const d = new Date(iso)
  const day = (x: Date) => Date.UTC(x.getFullYear(), x.getMonth(), x.getDate())
  return Math.max(0, Math.round((day(now) - day(d)) / 86_400_000))
}

/** A unit's sites with the latest of their inspections (the list comes newest first), least ready first. */
export function unitRows(
  sites: { code: string; name: string }[],
  inspections: InspectionSummary[],
  now = new Date(),
): SiteRow[] {
  const latest = new Map<string, InspectionSummary>()
  for (const i of inspections) {
    const held = latest.get(i.site)
    if (!held || i.at > held.at) latest.set(i.site, i)
  }
  const rows = sites.map((s): SiteRow => {
    const last = latest.get(s.code)
    return {
      code: s.code,
      name: s.name,
      passShare: last?.pass_share ?? null,
      inspected: !!last,
      open: null,
      overdue: null,
      days: last ? daysSince(last.at, now) : null,
      selfCheck: !!last?.self_check,
    }
  })
  // as the server's readiness order: never inspected first, then the lowest share, then the longest ago
  return rows.sort(
    (a, b) =>
      Number(a.inspected) - Number(b.inspected) ||
      (a.passShare ?? 1) - (b.passShare ?? 1) ||
      (b.days ?? 0) - (a.days ?? 0) ||
      a.code.localeCompare(b.code),
  )
}

/** Rows whose name or code holds the text (case-insensitive); all when it is blank. */
export function filterRows(rows: SiteRow[], text: string): SiteRow[] {
  const q = text.trim().toLowerCase()
  return q ? rows.filter((r) => r.name.toLowerCase().includes(q) || r.code.toLowerCase().includes(q)) : rows
}

/** 达标率 as a whole percentage. */
export const percent = (share: number): number => Math.round(share * 100)
