// A patrol's figures as a person reads them: 1.23 公里 / 350 米, 0:12:05, the server's flags in Chinese.
import { fmt, formatTime, m } from '@/messages'

export function formatDistance(metres: number): string {
  return metres >= 1000 ? fmt(m.patrol.km, { n: (metres / 1000).toFixed(2) }) : fmt(m.patrol.m, { n: Math.round(metres) })
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  const pad = (n: number) => String(n).padStart(2, '0')
  return fmt(m.patrol.hms, { h: Math.floor(s / 3600), mm: pad(Math.floor(s / 60) % 60), ss: pad(s % 60) })
}

export const percent = (share: number): string => `${Math.round(share * 100)}%`

/** The server's flags, worst first, as lines ("速度异常 3 个点"); the track-wide one without a count. */
export function flagLines(flags: Record<string, number>): string[] {
  return Object.entries(flags)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => {
      const name = m.patrol.flags[k] ?? k
      return k === 'stationary' ? name : fmt(m.patrol.flagLine, { name, n })
    })
}

/** From start to end; the end's date left out when it is the same day ("11/30 08:10 – 09:02"). */
export function formatSpan(start: string | null, end: string | null): string {
  const a = formatTime(start)
  const b = formatTime(end)
  if (!b) return a
  const [dayA] = a.split(' ')
  const [dayB, timeB] = b.split(' ')
  return `${a} – ${dayA === dayB && timeB ? timeB : b}`
}
