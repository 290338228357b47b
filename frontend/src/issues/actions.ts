// The actions a user takes on an issue, and what the form of each asks for. Which of them a user may take
// now: src/issues/offers.ts.
import type { Action } from '@/api'

/** The actions posted to /issues/{id}/actions (report creates an issue instead). */
export type ActionName = Exclude<Action, 'report'>

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

export function isActionName(name: string): name is ActionName {
  return Object.hasOwn(NEEDS, name)
}
