// The active language's messages, and `fmt` to fill {placeholders}. A later English version is one more file.
import { zhCN, type Messages } from './zh-CN'

export const m: Messages = zhCN

/** Fills `{name}` placeholders: fmt(m.outbox.count, { n: 3 }) → "待上传 3". */
export function fmt(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (all, key: string) => (key in vars ? String(vars[key]) : all))
}

const timeFormat = new Intl.DateTimeFormat('zh-CN', {
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
})

/** A date-time as a person reads it on a phone, e.g. 11/29 20:41. */
export function formatTime(iso: string | number | Date | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return ''
  const d = iso instanceof Date ? iso : new Date(iso)
  return Number.isNaN(d.getTime()) ? '' : timeFormat.format(d)
}
