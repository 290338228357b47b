// The periods a unit reads its score over, as the server takes them (/score/me?from=&to=: local ISO dates, `to`
// included; no `to`: until now). Weeks start on Monday, as the server's default week and the weekly 通报 do.

export type ScorePeriod = 'week' | 'lastWeek' | 'month'

export const SCORE_PERIODS: ScorePeriod[] = ['week', 'lastWeek', 'month']

const iso = (d: Date): string =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`

function addDays(d: Date, n: number): Date {
  const out = new Date(d)
  out.setDate(out.getDate() + n)
  return out
}

/** The from/to of a period around `today` (the phone's local date). */
export function periodRange(period: ScorePeriod, today: Date): { from: string; to?: string } {
  const monday = addDays(today, -((today.getDay() + 6) % 7))
  if (period === 'week') return { from: iso(monday) }
  if (period === 'lastWeek') return { from: iso(addDays(monday, -7)), to: iso(addDays(monday, -1)) }
  return { from: iso(new Date(today.getFullYear(), today.getMonth(), 1)) }
}
