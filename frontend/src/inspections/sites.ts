// Sites as the list shows them, from the server's readiness ranking (/stats/sites?order=readiness: every site for
// the office, its own for a unit). Pure: no server, no storage.
import type { SiteStats } from '@/api'

export interface SiteRow {
  code: string
  name: string
  /** passed / items that applied at the latest inspection; null: never inspected, or nothing applied */
  passShare: number | null
  inspected: boolean
  /** the site's open and overdue issues */
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

/** Rows whose name or code holds the text (case-insensitive); all when it is blank. */
export function filterRows(rows: SiteRow[], text: string): SiteRow[] {
  const q = text.trim().toLowerCase()
  return q ? rows.filter((r) => r.name.toLowerCase().includes(q) || r.code.toLowerCase().includes(q)) : rows
}

/** 达标率 as a whole percentage. */
export const percent = (share: number): number => Math.round(share * 100)
