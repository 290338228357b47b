// The action buttons an issue's screen shows: the server's `actions` (on a single GET) when the issue has
// them, else, for a copy kept from a list and opened offline, the phone's copy of the rules (rules.ts).
// The server still decides when an action arrives; a refusal it answers is shown in Chinese.
import type { Issue, User } from '@/api'
import { isActionName, type ActionName } from '@/issues/actions'
import { allowedActions, refusal, stateAllows } from '@/issues/rules'

export interface Offer {
  action: ActionName
  /** shown but not takeable, with the reason (the office of the rectifying unit may not verify) */
  blocked?: 'verifier_of_rectifying_unit'
}

/** The order of the buttons, main action first (no role has actions of both halves). */
const DISPLAY: readonly ActionName[] = [
  'accept', 'merge', 'reject', 'grant_extension', 'refuse_extension', 'reassign', 'verify', 'reopen',
  'start', 'rectify', 'extend', 'dispute',
]

/** The actions this user may take on this issue now, in the order the buttons show. An action refused only
 * because the user is of the rectifying unit shows blocked, so that the office sees why it cannot verify. */
export function offers(issue: Issue, user: Pick<User, 'role' | 'unit'> | null): Offer[] {
  if (!user) return []
  const available = new Set(issue.actions ? issue.actions.filter(isActionName) : allowedActions(issue, user))
  const out: Offer[] = []
  for (const action of DISPLAY) {
    if (available.has(action)) out.push({ action })
    else if (refusal(action, issue, user) === 'verifier_of_rectifying_unit' && stateAllows(action, issue)) {
      out.push({ action, blocked: 'verifier_of_rectifying_unit' })
    }
  }
  return out
}
