import { describe, expect, it, vi } from 'vitest'
import * as api from '@/api'
import { ApiError, type InspectionForm, type SiteStats } from '@/api'
import { draftFor, payloadOf, progressOf, sectionsOf } from '@/inspections/checklist'
import { clearDraft, keepChecklists, loadDraft, loadForm, saveDraft } from '@/inspections/form'
import { filterRows, rowOfStats } from '@/inspections/sites'
import type { OutboxPhoto } from '@/outbox'

const item = (code: string, seq: number, section: 'facilities' | 'environment') => ({
  code,
  seq,
  section,
  text: code,
  category: 'other',
})

// as the server sends it: last time's failures (no_litter, bins) first, then by seq
const form: InspectionForm = {
  site: 'S001',
  site_name: '人民路1段',
  site_kind: 'main_road',
  unit: 'cgj',
  checklist: {
    site_kind: 'main_road',
    version: 2,
    created_at: '2026-11-01T00:00:00Z',
    items: [item('bins', 4, 'facilities'), item('no_litter', 8, 'environment'), item('road_surface', 1, 'facilities'), item('no_water', 7, 'environment')],
  },
  last_inspection_id: 'i0',
  last_failed: ['bins', 'no_litter'],
}

const photo = (text: string): OutboxPhoto => ({
  blob: new Blob([text]),
  takenAt: null,
  lat: null,
  lon: null,
  accuracyM: null,
  role: 'before',
})

describe('the checklist on the phone', () => {
  it('groups by section, last time’s failures first and marked', () => {
    const sections = sectionsOf(form)
    expect(sections.map((s) => [s.section, s.items.map((i) => [i.code, i.lastFailed])])).toEqual([
      ['facilities', [['bins', true], ['road_surface', false]]],
      ['environment', [['no_litter', true], ['no_water', false]]],
    ])
  })

  it('counts what is answered and which failures still lack a photo', () => {
    const d = draftFor(form, null)
    expect(progressOf(form, d)).toEqual({ total: 4, answered: 0, failsWithoutPhoto: 0 })
    d.answers.bins.result = 'fail'
    d.answers.road_surface.result = 'pass'
    expect(progressOf(form, d)).toEqual({ total: 4, answered: 2, failsWithoutPhoto: 1 })
    d.answers.bins.photos.push(photo('a'))
    expect(progressOf(form, d).failsWithoutPhoto).toBe(0)
  })

  it('keeps a draft for the same checklist version only', () => {
    const kept = draftFor(form, null)
    kept.answers.bins.result = 'pass'
    expect(draftFor(form, kept).answers.bins.result).toBe('pass')
    expect(draftFor(form, { ...kept, version: 1 }).answers.bins.result).toBeNull()
  })

  it('makes the payload: every item, photos and notes only on failures, photos indexed in order', () => {
    const d = draftFor(form, null)
    for (const c of ['bins', 'no_litter', 'road_surface', 'no_water']) d.answers[c].result = 'pass'
    d.answers.road_surface = { result: 'na', note: 'ignored', photos: [photo('x')] }
    d.answers.no_litter = { result: 'fail', note: ' 烟头多 ', photos: [photo('a'), photo('b')] }
    d.answers.no_water = { result: 'fail', note: '', photos: [photo('c')] }
    const { inspection, photos } = payloadOf(form, d, { lat: 30.1, lon: 120.1, accuracy: 8 })
    expect(inspection.version).toBe(2)
    expect(inspection.items).toEqual([
      { code: 'bins', result: 'pass', note: '', photos: [] },
      { code: 'no_litter', result: 'fail', note: '烟头多', photos: [0, 1] },
      { code: 'road_surface', result: 'na', note: '', photos: [] },
      { code: 'no_water', result: 'fail', note: '', photos: [2] },
    ])
    expect(photos).toHaveLength(3)
  })

  it('keeps the draft with its photos per user and site until cleared', async () => {
    const d = draftFor(form, null)
    d.answers.bins = { result: 'fail', note: 'n', photos: [photo('kept')] }
    await saveDraft('demo_office', 'S001', d)
    expect(await loadDraft('demo_unit', 'S001')).toBeNull()
    const back = await loadDraft('demo_office', 'S001')
    expect(await back!.answers.bins.photos[0].blob.text()).toBe('kept')
    await clearDraft('demo_office', 'S001')
    expect(await loadDraft('demo_office', 'S001')).toBeNull()
  })
})

describe('the site list', () => {
  const stats = (code: string, name: string, pass_share: number | null, last: string | null, self = false): SiteStats => ({
    code,
    name,
    category: 'main_road',
    unit: 'cgj',
    open: 2,
    overdue: 1,
    closed: 0,
    pass_share,
    passed: null,
    failed: null,
    last_inspection_id: last ? 'i' : null,
    last_inspected_at: last,
    days_since_inspected: last ? 3 : null,
    last_self_check: last ? self : null,
  })

  it('shows the server’s rows as they come (its order is the ranking) and searches name and code', () => {
    const rows = [
      stats('S003', '新村', null, null),
      stats('S001', '人民路1段', 0.9, '2026-11-27T09:00:00+08:00', true),
      stats('S002', '劳动路2段', 1, '2026-11-25T09:00:00+08:00'),
    ].map(rowOfStats)
    expect(rows.map((r) => [r.code, r.inspected, r.passShare, r.days, r.selfCheck, r.open, r.overdue])).toEqual([
      ['S003', false, null, null, false, 2, 1],
      ['S001', true, 0.9, 3, true, 2, 1],
      ['S002', true, 1, 3, false, 2, 1],
    ])
    expect(filterRows(rows, '劳动').map((r) => r.code)).toEqual(['S002'])
    expect(filterRows(rows, 's00').length).toBe(3)
    expect(filterRows(rows, '  ').length).toBe(3)
  })
})

describe('the form with no signal', () => {
  const site = { layer: 'site', code: 'S009', name: '东风路2段', unit: 'zjj', category: 'main_road' }
  const offline = () => Promise.reject(new ApiError(0, 'Failed to fetch'))

  it('is made from the kept checklist of the site’s kind for a site never opened', async () => {
    vi.spyOn(api, 'checklists').mockResolvedValueOnce([{ ...form.checklist }, { ...form.checklist, site_kind: 'park_square', items: [] }])
    await keepChecklists('demo_office')
    vi.spyOn(api, 'inspectionForm').mockImplementationOnce(offline)
    const { form: made, cachedAt } = await loadForm('demo_office', 'S009', async () => site)
    expect(made).toMatchObject({ site: 'S009', site_name: '东风路2段', site_kind: 'main_road', unit: 'zjj', last_failed: [] })
    expect(made.checklist.items.map((i) => i.code)).toEqual(form.checklist.items.map((i) => i.code))
    expect(cachedAt).not.toBeNull()
  })

  it('prefers the site’s own kept form, and fails when neither is on the phone', async () => {
    vi.spyOn(api, 'inspectionForm').mockResolvedValueOnce(form)
    await loadForm('demo_unit', 'S001')
    vi.spyOn(api, 'inspectionForm').mockImplementationOnce(offline)
    expect((await loadForm('demo_unit', 'S001', async () => site)).form.last_failed).toEqual(['bins', 'no_litter'])
    vi.spyOn(api, 'inspectionForm').mockImplementationOnce(offline)
    await expect(loadForm('demo_unit', 'S009', async () => site)).rejects.toThrow() // this user kept no checklists
    vi.spyOn(api, 'inspectionForm').mockImplementationOnce(() => Promise.reject(new ApiError(403, 'not your site')))
    await expect(loadForm('demo_unit', 'S001', async () => site)).rejects.toMatchObject({ status: 403 })
  })
})
