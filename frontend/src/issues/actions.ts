// Which actions a user may take on an issue now, and what each asks for: the server's rules
// (app/workflow/rules.py, CONTRACT.md's action table) seen from the phone, so that only useful buttons show.
// The server still decides; a refusal it answers is shown in Chinese.
import type { Issue, User } from '@/api'

export type ActionName =
  | 'accept'
  | 'reject'
  | 'merge'
  | 'start'
  | 'dispute'
  | 'reassign'
  | 'rectify'
  | 'verify'
  | 'reopen'
  | 'extend'
  | 'grant_extension'
  | 'refuse_extension'

/** What the form of an action asks for. */
export interface ActionNeeds {
  note: 'required' | 'optional' | 'none'
  photos: boolean
  unit: 'required' | 'optional' | 'none'
  dueAt: boolean
  duplicate: boolean
  /** taken with one tap and a confirmation, no form */
  confirmOnly?: boolean
}

const NONE: ActionNeeds = { note: 'none', photos: false, unit: 'none', dueAt: false, duplicate: false }

export const NEEDS: Record<ActionName, ActionNeeds> = {
  accept: { ...NONE, unit: 'optional' },
  reject: { ...NONE, note: 'required' },
  merge: { ...NONE, duplicate: true },
  start: { ...NONE, confirmOnly: true },
  dispute: { ...NONE, note: 'required' },
  reassign: { ...NONE, unit: 'required', note: 'optional' },
  rectify: { ...NONE, photos: true, note: 'optional' },
  verify: { ...NONE, photos: true, note: 'optional' },
  reopen: { ...NONE, note: 'required' },
  extend: { ...NONE, note: 'required', dueAt: true },
  grant_extension: { ...NONE, dueAt: true },
  refuse_extension: { ...NONE, note: 'required' },
}

const OFFICE = ['office', 'admin']
const WORKING = ['dispatched', 'in_progress']

/** The unit of whoever last rectified the issue (it may not verify), from the timeline. */
export function rectifierUnit(issue: Pick<Issue, 'events'>): string | null {
  const last = [...(issue.events ?? [])].reverse().find((e) => e.action === 'rectify')
  return last?.actor_unit ?? null
}

export interface Offer {
  action: ActionName
  /** shown but not takeable, with the reason (e.g. the office of the rectifying unit may not verify) */
  blocked?: 'verifier_of_rectifying_unit'
}

/** The actions this user may take on this issue now, in the order the buttons show (main action first). */
export function offers(issue: Issue, user: Pick<User, 'role' | 'unit'> | null): Offer[] {
  if (!user) return []
  const s = issue.status
  const out: Offer[] = []
  const add = (action: ActionName, when: boolean, blocked?: Offer['blocked']) => {
    if (when) out.push(blocked ? { action, blocked } : { action })
  }
  if (OFFICE.includes(user.role)) {
    add('accept', s === 'reported')
    add('merge', s === 'reported')
    add('reject', s === 'reported')
    add('grant_extension', WORKING.includes(s) && issue.extension_pending)
    add('refuse_extension', WORKING.includes(s) && issue.extension_pending)
    add('reassign', WORKING.includes(s))
    const mine = !!user.unit && [issue.unit, rectifierUnit(issue)].includes(user.unit)
    add('verify', s === 'rectified', mine ? 'verifier_of_rectifying_unit' : undefined)
    add('reopen', s === 'rectified')
  } else if (user.role === 'unit' && !!user.unit && issue.unit === user.unit && WORKING.includes(s)) {
    add('start', s === 'dispatched')
    add('rectify', true)
    add('extend', !issue.extension_pending && !!issue.due_at)
    add('dispute', !issue.disputed)
  }
  return out
}
