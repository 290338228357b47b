// How long until an issue's deadline (or how long past it), in words, for a live countdown.
import { fmt, m } from '@/messages'

export interface Countdown {
  text: string
  overdue: boolean
  /** under a day left */
  soon: boolean
}

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR

/** A duration as a person reads it: 2天3小时, 5小时12分, 8分05秒. */
export function spell(ms: number): string {
  const c = m.countdown
  if (ms >= DAY) return fmt(c.days, { d: Math.floor(ms / DAY), h: Math.floor((ms % DAY) / HOUR) })
  if (ms >= HOUR) return fmt(c.hours, { h: Math.floor(ms / HOUR), m: Math.floor((ms % HOUR) / MIN) })
  const s = Math.floor((ms % MIN) / 1000)
  return fmt(c.minutes, { m: Math.floor(ms / MIN), s: String(s).padStart(2, '0') })
}

/** The countdown to `due` at `now` (epoch ms); null without a deadline. */
export function countdown(due: string | null | undefined, now: number): Countdown | null {
  if (!due) return null
  const left = new Date(due).getTime() - now
  if (Number.isNaN(left)) return null
  if (left < 0) return { text: fmt(m.countdown.overdue, { t: spell(-left) }), overdue: true, soon: false }
  return { text: fmt(m.countdown.left, { t: spell(left) }), overdue: false, soon: left < DAY }
}
