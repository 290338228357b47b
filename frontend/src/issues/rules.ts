// A copy of the server's rules (app/workflow/rules.py, and machine.py's _role_refusal and _status_refusal),
// for an issue the phone opens offline from a list, which carries no `actions`. tests/actions.test.ts checks
// it against the server's answers for every case of tests/fixtures/actions_matrix.json.
import type { Issue, Role, User } from '@/api'
import type { ActionName } from '@/issues/actions'

type Status = Issue['status']
type Viewer = Pick<User, 'role' | 'unit'>
type Check = 'role' | 'not_own_unit' | 'verifier_of_rectifying_unit' | 'status'

interface Rule {
  roles: readonly Role[]
  from: readonly Status[]
  /** only the unit the issue is assigned to (before dispatch, the unit proposed) */
  ownUnit?: boolean
  /** never someone of the unit the issue is assigned to or that rectified it */
  notRectifier?: boolean
  /** what else the issue's state must hold */
  when?: (issue: Issue) => boolean
}

const OFFICE: readonly Role[] = ['office', 'admin']
const UNIT: readonly Role[] = ['unit']
const WORKING: readonly Status[] = ['dispatched', 'in_progress']

export const RULES: Record<ActionName, Rule> = {
  accept: { roles: OFFICE, from: ['reported'] },
  reject: { roles: OFFICE, from: ['reported'] },
  merge: { roles: OFFICE, from: ['reported'] },
  start: { roles: UNIT, from: ['dispatched'], ownUnit: true },
  dispute: { roles: UNIT, from: WORKING, ownUnit: true, when: (i) => !i.disputed },
  reassign: { roles: OFFICE, from: WORKING },
  rectify: { roles: UNIT, from: WORKING, ownUnit: true },
  verify: { roles: OFFICE, from: ['rectified'], notRectifier: true },
  reopen: { roles: OFFICE, from: ['rectified'] },
  extend: { roles: UNIT, from: WORKING, ownUnit: true, when: (i) => !i.extension_pending && !!i.due_at },
  grant_extension: { roles: OFFICE, from: WORKING, when: (i) => i.extension_pending },
  refuse_extension: { roles: OFFICE, from: WORKING, when: (i) => i.extension_pending },
}

/** The unit of whoever last rectified the issue (it may not verify), from the timeline. */
export function rectifierUnit(issue: Pick<Issue, 'events'>): string | null {
  const last = [...(issue.events ?? [])].reverse().find((e) => e.action === 'rectify')
  return last?.actor_unit ?? null
}

/** Why this user may not take this action now, named as the server's first failing check; null: may.
 * (machine.py may_see adds nothing here: the office sees every issue, a unit acts only on its own, which it
 * sees, and the field roles take no action.) */
export function refusal(action: ActionName, issue: Issue, user: Viewer): Check | null {
  const rule = RULES[action]
  if (!rule.roles.includes(user.role)) return 'role'
  const owner = issue.unit ?? issue.proposed_unit
  if (rule.ownUnit && (!user.unit || user.unit !== owner)) return 'not_own_unit'
  if (rule.notRectifier && !!user.unit && [issue.unit, rectifierUnit(issue)].includes(user.unit)) {
    return 'verifier_of_rectifying_unit'
  }
  return stateAllows(action, issue) ? null : 'status'
}

/** Whether the issue's status and state allow the action, whoever asks. */
export function stateAllows(action: ActionName, issue: Issue): boolean {
  const rule = RULES[action]
  return rule.from.includes(issue.status) && (!rule.when || rule.when(issue))
}

/** The actions the server would list for this user (machine.py available_actions), in its order. */
export function allowedActions(issue: Issue, user: Viewer): ActionName[] {
  return (Object.keys(RULES) as ActionName[]).filter((a) => refusal(a, issue, user) === null)
}
