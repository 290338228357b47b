// The checklist as the inspector works through it: grouped by section, last time's failures first; what is
// still missing before it can be sent; and the outbox payload it becomes. Pure: no server, no storage.
import type { ChecklistItem, InspectionForm } from '@/api'
import type { InspectionPayload, OutboxPhoto } from '@/outbox'
import type { Draft, DraftAnswer } from './form'

export interface Section {
  section: string
  items: (ChecklistItem & { lastFailed: boolean })[]
}

/** Sections in the order their first item comes in the form (the server puts last time's failures first),
 * and in each section last time's failures first, then the checklist's order. */
export function sectionsOf(form: InspectionForm): Section[] {
  const failed = new Set(form.last_failed)
  const sections = new Map<string, Section>()
  for (const item of form.checklist.items) {
    if (!sections.has(item.section)) sections.set(item.section, { section: item.section, items: [] })
    sections.get(item.section)!.items.push({ ...item, lastFailed: failed.has(item.code) })
  }
  for (const s of sections.values()) s.items.sort((a, b) => Number(b.lastFailed) - Number(a.lastFailed) || a.seq - b.seq)
  return [...sections.values()]
}

export const emptyAnswer = (): DraftAnswer => ({ result: null, note: '', photos: [] })

/** A fresh draft for the form, or the kept one when it was for the same checklist version. */
export function draftFor(form: InspectionForm, kept: Draft | null): Draft {
  const answers: Draft['answers'] = {}
  const reuse = kept && kept.version === form.checklist.version ? kept : null
  for (const item of form.checklist.items) answers[item.code] = reuse?.answers[item.code] ?? emptyAnswer()
  return { version: form.checklist.version, answers, note: reuse?.note ?? '' }
}

export interface Progress {
  total: number
  answered: number
  /** failed items with no photo yet */
  failsWithoutPhoto: number
}

export function progressOf(form: InspectionForm, draft: Draft): Progress {
  const answers = form.checklist.items.map((i) => draft.answers[i.code])
  return {
    total: answers.length,
    answered: answers.filter((a) => a?.result).length,
    failsWithoutPhoto: answers.filter((a) => a?.result === 'fail' && !a.photos.length).length,
  }
}

/** The outbox item's payload and photos: only failed items carry photos and notes. */
export function payloadOf(
  form: InspectionForm,
  draft: Draft,
  at: { lat: number; lon: number; accuracy: number | null },
): { inspection: InspectionPayload; photos: OutboxPhoto[] } {
  const photos: OutboxPhoto[] = []
  const items = form.checklist.items.map((item) => {
    const a = draft.answers[item.code]
    const fail = a.result === 'fail'
    const mine = fail ? a.photos.map((p) => photos.push(p) - 1) : []
    return { code: item.code, result: a.result!, note: fail ? a.note.trim() : '', photos: mine }
  })
  return {
    inspection: {
      site: form.site,
      site_name: form.site_name,
      version: form.checklist.version,
      lat: at.lat,
      lon: at.lon,
      accuracy_m: at.accuracy,
      note: draft.note.trim(),
      items,
    },
    photos,
  }
}
