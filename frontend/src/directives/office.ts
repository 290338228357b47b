// Directives (指令) as the office reads them: progress at a glance, the recipients grouped (未读, 已阅未完成,
// 已完成), the list's filters, and the compose screen's default deadline. Pure: no server, no storage.
import type { Directive } from '@/api'

export type Recipient = Directive['recipients'][number]
export type RecipientState = Recipient['state']

export interface Progress {
  total: number
  done: number
  read: number // 已阅, not done
  unread: number
  late: number // not done past the deadline, or done after it
  /** late and still not done: the ones to chase */
  lateOpen: number
  /** done / total as a whole percentage (0 with no recipient) */
  percent: number
}

/** The figures of a directive, from its recipients (the office's GET has all of them) or else its counts. */
export function progressOf(d: Pick<Directive, 'counts' | 'recipients'>): Progress {
  const rs = d.recipients
  const count = (state: RecipientState) => rs.filter((r) => r.state === state).length
  const total = rs.length || d.counts.total || 0
  const done = rs.length ? count('done') : (d.counts.done ?? 0)
  const read = rs.length ? count('read') : (d.counts.read ?? 0)
  const unread = rs.length ? count('unread') : (d.counts.unread ?? 0)
  const late = rs.length ? rs.filter((r) => r.late).length : (d.counts.late ?? 0)
  const lateOpen = rs.filter((r) => r.late && r.state !== 'done').length
  return { total, done, read, unread, late, lateOpen, percent: total ? Math.round((done / total) * 100) : 0 }
}

/** The deadline has passed (whether or not every unit is done). */
export const isPastDue = (d: Pick<Directive, 'due_at'>, now: Date = new Date()): boolean =>
  new Date(d.due_at).getTime() <= now.getTime()

/** The order the office reads recipients in: who has not read it, who has read it and not done it, who is done. */
export const GROUPS: RecipientState[] = ['unread', 'read', 'done']

export interface RecipientGroup {
  state: RecipientState
  recipients: Recipient[]
}

const time = (iso: string | null | undefined) => (iso ? new Date(iso).getTime() : Number.POSITIVE_INFINITY)

/** The recipients in groups 未读, 已阅未完成, 已完成 (empty groups left out). Not done: the late first, then by
 *  unit code; done: in the order they finished. */
export function groupRecipients(recipients: Recipient[]): RecipientGroup[] {
  const byCode = (a: Recipient, b: Recipient) => a.unit.localeCompare(b.unit)
  const order: Record<RecipientState, (a: Recipient, b: Recipient) => number> = {
    unread: (a, b) => Number(b.late) - Number(a.late) || byCode(a, b),
    read: (a, b) => Number(b.late) - Number(a.late) || time(a.read_at) - time(b.read_at) || byCode(a, b),
    done: (a, b) => time(a.done_at) - time(b.done_at) || byCode(a, b),
  }
  return GROUPS.map((state) => ({
    state,
    recipients: recipients.filter((r) => r.state === state).sort(order[state]),
  })).filter((g) => g.recipients.length)
}

export type ListFilter = 'all' | 'open' | 'late'

/** The list's filters: all; those with a unit not done yet; those with a unit late (late and not done, or done late). */
export function filterDirectives(list: Directive[], filter: ListFilter): Directive[] {
  if (filter === 'all') return list
  return list.filter((d) => {
    const p = progressOf(d)
    return filter === 'open' ? p.done < p.total : p.late > 0
  })
}

/** Newest first (the server sends them so; kept here so a list merged on the phone reads the same). */
export const newestFirst = (list: Directive[]): Directive[] =>
  [...list].sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id)

/** The hour the working day ends (local time): a directive is due by then by default. */
export const END_OF_DAY_HOUR = 18
/** Less than this before the end of today: the default is tomorrow's end of day instead. */
export const MIN_LEAD_MS = 2 * 3600_000

/** The default deadline: today 18:00 local if that is at least two hours away, else tomorrow 18:00. */
export function defaultDeadline(now: Date = new Date()): Date {
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate(), END_OF_DAY_HOUR, 0, 0, 0)
  if (today.getTime() - now.getTime() >= MIN_LEAD_MS) return today
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, END_OF_DAY_HOUR, 0, 0, 0)
}

/** A deadline the server would refuse: now or earlier (a minute's grace for the time it takes to send). */
export const deadlineTooSoon = (due: Date, now: Date = new Date()): boolean => due.getTime() - now.getTime() < 60_000

/** The pickers' values (['2026', '06', '01'], ['18', '00']) and back, local time. */
export const pad2 = (n: number): string => String(n).padStart(2, '0')
export const datePart = (d: Date): string[] => [String(d.getFullYear()), pad2(d.getMonth() + 1), pad2(d.getDate())]
export const timePart = (d: Date): string[] => [pad2(d.getHours()), pad2(d.getMinutes())]
export function fromParts(date: string[], time: string[]): Date {
  const [y, mo, d] = date.map(Number)
  const [h, mi] = time.map(Number)
  return new Date(y, mo - 1, d, h, mi, 0, 0)
}

/** The recipients a compose names, as the server takes them: unit codes, and sites as `site:<code>`. */
export function recipientsBody(units: string[], sites: string[]): { units: string[]; zones: string[] } {
  return { units: [...new Set(units)], zones: [...new Set(sites)].map((c) => `site:${c}`) }
}
