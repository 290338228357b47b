// What went wrong with a request, in words the user can act on (the server's detail kept beside them).
import { fmt, m } from '@/messages'

export class ApiError extends Error {
  constructor(
    readonly status: number, // 0: no answer (offline, DNS, connection reset)
    readonly detail: string,
  ) {
    super(detail || `HTTP ${status}`)
  }

  /** The request may succeed later by itself (no network, server trouble, too many requests). */
  get transient(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500
  }

  get unauthorized(): boolean {
    return this.status === 401
  }

  /** The plain-Chinese reason to show. */
  get message_zh(): string {
    return explain(this.status, this.detail)
  }
}

/** The rule name the server puts first in a refusal's detail ("photo_reused: photo ... ") if it is one we know. */
function ruleOf(detail: string): string | null {
  const head = /^([a-z_]+):/.exec(detail)?.[1]
  return head && head in m.refusals ? head : null
}

/** 422 details that start with the field they are about, not the rule: the rule they name (see app/workflow/machine.py). */
const FIELD_RULES: [RegExp, string][] = [
  [/^unit: .*needs the code|^unit: no unit was proposed/, 'needs_unit'],
  [/^unit: no unit/, 'unknown_unit'],
  [/^unit: .* is deactivated/, 'inactive_unit'],
  [/^unit: .* is already assigned/, 'same_unit'],
  [/^due_at: .*needs the new deadline/, 'needs_due_at'],
  [/^due_at: the new deadline must be later/, 'due_not_later'],
  [/^duplicate_of: merge needs/, 'needs_duplicate_of'],
  [/^duplicate_of: no issue/, 'unknown_issue'],
  [/^duplicate_of: an issue cannot be a duplicate of itself/, 'merge_into_itself'],
  [/^duplicate_of: .* merge into that one/, 'target_merged'],
  [/^duplicate_of: .* was rejected/, 'target_rejected'],
  [/^photo_ids: .* already attached to/, 'photo_attached'],
  [/^photo_ids: .*needs at least one photo/, 'needs_photos'],
  [/has no deadline rule/, 'no_deadline_rule'],
  [/^version: /, 'checklist_changed'],
  [/^due_at: the deadline must be in the future/, 'directive_past_due'],
  [/^units: no active unit/, 'unknown_recipient_unit'],
  [/^zones: no zone/, 'unknown_zone'],
  [/^units, zones: name at least one/, 'needs_recipients'],
  [/^photo_ids: .* uploaded by someone else/, 'photo_not_yours'],
  [/^items: /, 'inspection_incomplete'],
]

/** A refusal (status + the server's detail) as one plain Chinese sentence. */
export function explain(status: number, detail: string): string {
  const r = m.refusals
  const rule = ruleOf(detail)
  if (rule) return r[rule]
  if (status === 0) return r.network
  if (status === 401) return /wrong username|password/.test(detail) ? r.wrongPassword : /deactivated/.test(detail) ? r.deactivated : r.unauthorized
  if (status === 429) return r.tooMany
  if (status >= 500) return fmt(r.server, { status })
  if (status === 403) {
    if (/rectified|another unit must verify/.test(detail)) return r.verifier_of_rectifying_unit
    if (/not to your unit|not your unit/.test(detail)) return r.not_own_unit
    if (/self-checks only its own sites/.test(detail)) return r.not_own_site
    return r.forbidden
  }
  if (status === 404) return r.notFound
  if (status === 409) {
    if (/changed since you loaded/.test(detail)) return r.stale_version
    if (/already disputed/.test(detail)) return r.already_disputed
    if (/checked in now; it is not empty/.test(detail)) return r.post_not_empty
    if (/is not meant to be staffed now/.test(detail)) return r.post_off_duty
    if (/extension request pending/.test(detail)) return r.extension_pending
    if (/has no deadline to extend/.test(detail)) return r.no_deadline
    if (/other content|different content|same id/.test(detail)) return r.idConflict
    return r.conflict
  }
  if (status === 413) return r.tooLarge
  if (status === 415) return r.notImage
  if (status === 422) {
    if (/unknown category/.test(detail)) return r.unknownCategory
    if (/no photo .*upload it first/.test(detail)) return r.unknownPhoto
    if (/bomb|decompress|cannot be read|too many pixels/i.test(detail)) return r.badImage
    if (/^note:/.test(detail)) return r.needs_note
    const field = FIELD_RULES.find(([re]) => re.test(detail))
    if (field) return r[field[1]]
    return r.invalid
  }
  return r.invalid
}
