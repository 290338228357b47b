// A site's inspection form (its checklist) and the answers being given, kept on the phone: a site opened once
// can be inspected with no signal, and so can any other site once the site list was opened (every kind's latest
// checklist is kept then); the answers survive a reload until the inspection is queued.
// Both live in the cache database (IndexedDB, which keeps the photos' Blobs), per user and site.
import * as api from '@/api'
import { deleteCache, readCache, writeCache } from '@/cache/db'
import type { ZoneProps } from '@/geo/locate'
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
const checklistsKey = (user: string) => `checklists.${user}`
const draftKey = (user: string, code: string) => `inspection-draft.${user}.${code}`

/** Keeps every site kind's latest checklist on the phone (quietly: with no signal the kept copy stands). */
export async function keepChecklists(user: string): Promise<void> {
  try {
    await writeCache(checklistsKey(user), { data: await api.checklists(), etag: null, at: Date.now() })
  } catch {
    // offline: what was kept stays
  }
}

/** A site's form made on the phone from its kind's kept checklist (last time's failures are not known here). */
export function formFromChecklist(site: ZoneProps, lists: api.Checklist[]): api.InspectionForm | null {
  const checklist = lists.find((c) => c.site_kind === site.category)
  if (!checklist) return null
  const { code, name, category, unit } = site
  return { site: code, site_name: name, site_kind: category ?? null, unit, checklist, last_inspection_id: null, last_failed: [] }
}

/**
 * The form from the server (and kept), else with no signal the phone's copy of it, else one made from the site's
 * kind's kept checklist (`site` gives the site from the phone's zones). cachedAt: when the copy was kept.
 */
export async function loadForm(
  user: string,
  code: string,
  site: () => Promise<ZoneProps | undefined> = async () => undefined,
): Promise<{ form: api.InspectionForm; cachedAt: string | null }> {
  try {
    const form = await api.inspectionForm(code)
    await writeCache(formKey(user, code), { data: form, etag: null, at: Date.now() })
    return { form, cachedAt: null }
  } catch (e) {
    if (!(e instanceof api.ApiError && e.transient)) throw e
    const copy = await readCache<api.InspectionForm>(formKey(user, code))
    if (copy) return { form: copy.data, cachedAt: new Date(copy.at).toISOString() }
    const [zone, lists] = await Promise.all([site(), readCache<api.Checklist[]>(checklistsKey(user))])
    const made = zone && lists ? formFromChecklist(zone, lists.data) : null
    if (made && lists) return { form: made, cachedAt: new Date(lists.at).toISOString() }
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
