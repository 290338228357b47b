// A site's inspection form (its checklist) and the answers being given, kept on the phone: a site opened once
// can be inspected with no signal, and the answers survive a reload until the inspection is queued.
// Both live in the cache database (IndexedDB, which keeps the photos' Blobs), per user and site.
import * as api from '@/api'
import { deleteCache, readCache, writeCache } from '@/cache/db'
import type { OutboxPhoto } from '@/outbox'

export type Result = 'pass' | 'fail' | 'na'

export interface DraftAnswer {
  result: Result | null
  note: string
  photos: OutboxPhoto[]
}

export interface Draft {
  /** the checklist version the answers were given to (a newer checklist starts afresh) */
  version: number
  answers: Record<string, DraftAnswer>
  note: string
}

const formKey = (user: string, code: string) => `inspection-form.${user}.${code}`
const draftKey = (user: string, code: string) => `inspection-draft.${user}.${code}`

/** The form from the server (and kept), else the phone's copy when there is no signal. cachedAt: when kept. */
export async function loadForm(user: string, code: string): Promise<{ form: api.InspectionForm; cachedAt: string | null }> {
  try {
    const form = await api.inspectionForm(code)
    await writeCache(formKey(user, code), { data: form, etag: null, at: Date.now() })
    return { form, cachedAt: null }
  } catch (e) {
    const copy = await readCache<api.InspectionForm>(formKey(user, code))
    if (copy && e instanceof api.ApiError && e.transient) return { form: copy.data, cachedAt: new Date(copy.at).toISOString() }
    throw e
  }
}

export async function loadDraft(user: string, code: string): Promise<Draft | null> {
  return (await readCache<Draft>(draftKey(user, code)))?.data ?? null
}

export function saveDraft(user: string, code: string, draft: Draft): Promise<void> {
  return writeCache(draftKey(user, code), { data: draft, etag: null, at: Date.now() })
}

export function clearDraft(user: string, code: string): Promise<void> {
  return deleteCache(draftKey(user, code))
}
