// The last lists and issues fetched, kept on the phone so the screens open with no signal.
// localStorage, per user; a copy too large to keep is simply not kept (the screen then needs the network).
import type { Issue } from '@/api'

const PREFIX = 'xuncha.cache.'

interface Entry<T> {
  at: string
  data: T
}

function key(user: string, name: string): string {
  return `${PREFIX}${user}.${name}`
}

export function keep<T>(user: string, name: string, data: T): void {
  const entry: Entry<T> = { at: new Date().toISOString(), data }
  try {
    localStorage.setItem(key(user, name), JSON.stringify(entry))
  } catch {
    // quota: the screen keeps working online; the outbox lives in IndexedDB, untouched by this
  }
}

export function recall<T>(user: string, name: string): Entry<T> | null {
  try {
    const raw = localStorage.getItem(key(user, name))
    return raw ? (JSON.parse(raw) as Entry<T>) : null
  } catch {
    return null
  }
}

/** One issue from its own copy, else from any list kept for this user. */
export function recallIssue(user: string, id: string): Entry<Issue> | null {
  const own = recall<Issue>(user, `issue.${id}`)
  if (own) return own
  const lists = Object.keys(localStorage).filter((k) => k.startsWith(key(user, 'list.')))
  for (const k of lists) {
    const list = recall<Issue[]>(user, k.slice(key(user, '').length))
    const hit = list?.data.find((i) => i.id === id || i.ref === id)
    if (hit && list) return { at: list.at, data: hit }
  }
  return null
}
