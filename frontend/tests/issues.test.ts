import { describe, expect, it } from 'vitest'
import type { Issue } from '@/api'
import { explain } from '@/api/errors'
import { offers } from '@/issues/offers'
import { rectifierUnit } from '@/issues/rules'
import { countdown, spell } from '@/issues/countdown'
import { byDistance, byDue, distanceM, spellDistance } from '@/issues/order'
import { zhCN } from '@/messages/zh-CN'

const HOUR = 3_600_000
const NOW = Date.parse('2026-11-29T12:00:00Z')

function issue(over: Partial<Issue> = {}): Issue {
  return {
    id: 'i1', ref: '2026-000001', status: 'dispatched', category: 'fac.bench', category_name: '座椅损坏',
    description: '', lat: 28.21, lon: 112.96, accuracy_m: null, zones: [], unit: 'cgj', unit_name: '区城管局',
    proposed_unit: 'cgj', reporter: 'demo_grid', reporter_name: '网格员', created_at: '2026-11-29T08:00:00Z',
    updated_at: '2026-11-29T08:00:00Z', dispatched_at: null, due_at: '2026-11-30T08:00:00Z', rectified_at: null,
    closed_at: null, overdue: false, duplicate_of: null, fixed_on_site: false, disputed: false,
    extension_pending: false, reopen_count: 0, version: 1, photos: [], events: [], ...over,
  }
}

describe('the countdown to a deadline', () => {
  it('spells days, hours and minutes the way a person reads them', () => {
    expect(spell(2 * 24 * HOUR + 3 * HOUR + 5 * 60_000)).toBe('2天3小时')
    expect(spell(5 * HOUR + 12 * 60_000)).toBe('5小时12分')
    expect(spell(8 * 60_000 + 5_000)).toBe('8分05秒')
  })

  it('counts down before the deadline and up, in red, after it', () => {
    expect(countdown(new Date(NOW + 3 * HOUR).toISOString(), NOW)).toEqual({ text: '剩余 3小时0分', overdue: false, soon: true })
    expect(countdown(new Date(NOW + 48 * HOUR).toISOString(), NOW)?.soon).toBe(false)
    expect(countdown(new Date(NOW - 26 * HOUR).toISOString(), NOW)).toEqual({ text: '已超期 1天2小时', overdue: true, soon: false })
    expect(countdown(null, NOW)).toBeNull()
  })
})

describe('the order of the lists', () => {
  it('puts the soonest deadline first (most overdue first), no deadline last', () => {
    const a = { id: 'a', due_at: '2026-12-02T00:00:00Z', created_at: '2026-11-01T00:00:00Z' }
    const b = { id: 'b', due_at: '2026-11-20T00:00:00Z', created_at: '2026-11-02T00:00:00Z' }
    const c = { id: 'c', due_at: null, created_at: '2026-11-03T00:00:00Z' }
    const d = { id: 'd', due_at: '2026-11-30T00:00:00Z', created_at: '2026-11-04T00:00:00Z' }
    expect(byDue([a, b, c, d]).map((i) => i.id)).toEqual(['b', 'd', 'a', 'c'])
  })

  it('puts the nearest first, and without a position the oldest first', () => {
    const here = { lat: 28.21, lon: 112.96 }
    const far = { id: 'far', lat: 28.22, lon: 112.96, created_at: '2026-11-01T00:00:00Z' }
    const near = { id: 'near', lat: 28.2101, lon: 112.96, created_at: '2026-11-02T00:00:00Z' }
    expect(byDistance([far, near], here).map((i) => i.id)).toEqual(['near', 'far'])
    expect(byDistance([near, far], null).map((i) => i.id)).toEqual(['far', 'near'])
  })

  it('measures metres on the ground and says them in Chinese', () => {
    expect(distanceM({ lat: 28.21, lon: 112.96 }, { lat: 28.21 + 0.00018, lon: 112.96 })).toBeCloseTo(20, 0)
    expect(spellDistance(19.6)).toBe('20 米')
    expect(spellDistance(1234)).toBe('1.2 公里')
  })
})

describe('the actions offered', () => {
  const office = { role: 'office' as const, unit: 'cjb' }
  const unit = { role: 'unit' as const, unit: 'cgj' }
  const names = (i: Issue, u: Parameters<typeof offers>[1]) => offers(i, u).map((o) => o.action)

  it('gives the office accept, merge and reject on a new report; the unit nothing yet', () => {
    expect(names(issue({ status: 'reported' }), office)).toEqual(['accept', 'merge', 'reject'])
    expect(names(issue({ status: 'reported' }), unit)).toEqual([])
  })

  it('gives the unit of the issue start, rectify, extend and dispute; another unit nothing', () => {
    expect(names(issue(), unit)).toEqual(['start', 'rectify', 'extend', 'dispute'])
    expect(names(issue({ status: 'in_progress', disputed: true, extension_pending: true }), unit)).toEqual(['rectify'])
    expect(names(issue(), { role: 'unit', unit: 'zjj' })).toEqual([])
    expect(names(issue({ status: 'rectified' }), unit)).toEqual([])
  })

  it('gives the office reassign on a working issue, and the extension answers when one is asked', () => {
    expect(names(issue(), office)).toEqual(['reassign'])
    expect(names(issue({ extension_pending: true }), office)).toEqual(['grant_extension', 'refuse_extension', 'reassign'])
  })

  it('shows verify blocked, with its reason, to an office of the rectifying unit', () => {
    const rectified = issue({
      status: 'rectified',
      unit: 'zjj',
      events: [{ seq: 3, action: 'rectify', from_status: 'in_progress', to_status: 'rectified', actor: 'x', actor_name: 'x', actor_unit: 'cjb', at: '', note: '', photo_ids: [], unit: null, due_at: null, flags: [] }],
    })
    expect(rectifierUnit(rectified)).toBe('cjb')
    expect(offers(rectified, office)).toEqual([{ action: 'verify', blocked: 'verifier_of_rectifying_unit' }, { action: 'reopen' }])
    expect(offers(issue({ status: 'rectified' }), office)).toEqual([{ action: 'verify' }, { action: 'reopen' }])
  })

  it("follows the server's actions when the issue has them, in the order of the buttons", () => {
    expect(names(issue({ status: 'rectified', actions: ['reopen', 'verify'] }), office)).toEqual(['verify', 'reopen'])
    // the server's answer wins over the copy of the rules (here: a grant the copy would not offer)
    expect(names(issue({ actions: ['grant_extension', 'reassign'] }), office)).toEqual(['grant_extension', 'reassign'])
    expect(names(issue({ status: 'reported', actions: [] }), office)).toEqual([])
    const rectified = issue({ status: 'rectified', unit: 'cjb', actions: ['reopen'] })
    expect(offers(rectified, office)).toEqual([{ action: 'verify', blocked: 'verifier_of_rectifying_unit' }, { action: 'reopen' }])
  })

  it('offers nothing on an ended issue', () => {
    for (const status of ['closed', 'rejected', 'merged'] as const) expect(names(issue({ status }), office)).toEqual([])
  })
})

describe('the refusals of the office and unit actions in Chinese', () => {
  const r = zhCN.refusals
  it.each([
    [422, "unit: no unit 'nope'", r.unknown_unit],
    [422, 'unit: zjj is deactivated', r.inactive_unit],
    [422, 'unit: 2026-000001 is already assigned to cgj', r.same_unit],
    [422, 'unit: reassign needs the code of the unit to take the issue', r.needs_unit],
    [422, 'due_at: the new deadline must be later than now and than 2026-12-01T00:00:00+00:00', r.due_not_later],
    [422, 'duplicate_of: no issue 2026-009999', r.unknown_issue],
    [422, 'duplicate_of: an issue cannot be a duplicate of itself', r.merge_into_itself],
    [422, 'duplicate_of: 2026-000002 is itself merged into 2026-000003; merge into that one', r.target_merged],
    [422, 'duplicate_of: 2026-000002 was rejected; reject this one', r.target_rejected],
    [422, 'photo_ids: verify needs at least one photo taken on site', r.needs_photos],
    [422, 'photo_ids: abc already attached to 2026-000001', r.photo_attached],
    [409, 'extend: 2026-000001 has no deadline to extend', r.no_deadline],
    [403, 'dispute: issue 2026-000001 is assigned to zjj, not to your unit', r.not_own_unit],
  ])('%i %s', (status, detail, expected) => {
    expect(expected).toMatch(/[\u4e00-\u9fff]/)
    expect(explain(status, detail)).toBe(expected)
  })
})
