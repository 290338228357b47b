import { describe, expect, it } from 'vitest'
import type { Directive } from '@/api'
import { explain } from '@/api/errors'
import {
  datePart,
  deadlineTooSoon,
  defaultDeadline,
  filterDirectives,
  fromParts,
  groupRecipients,
  isPastDue,
  newestFirst,
  progressOf,
  recipientsBody,
  type Recipient,
  timePart,
} from '@/directives/office'
import { zhCN } from '@/messages/zh-CN'

function rec(unit: string, state: Recipient['state'], extra: Partial<Recipient> = {}): Recipient {
  return {
    unit,
    unit_name: unit.toUpperCase(),
    state,
    late: false,
    read_at: state === 'unread' ? null : '2026-06-01T02:00:00Z',
    read_by: state === 'unread' ? null : 'someone',
    done_at: state === 'done' ? '2026-06-01T05:00:00Z' : null,
    done_by: state === 'done' ? 'someone' : null,
    done_note: '',
    photo_ids: [],
    ...extra,
  }
}

function directive(id: number, recipients: Recipient[], extra: Partial<Directive> = {}): Directive {
  return {
    id,
    title: `指令 ${id}`,
    text: '内容',
    due_at: '2026-06-01T10:00:00Z',
    created_by: 'demo_office',
    created_at: `2026-06-01T0${id}:00:00Z`,
    photo_ids: [],
    counts: { total: recipients.length },
    recipients,
    ...extra,
  }
}

describe('a directive at a glance', () => {
  it('counts done, read, unread and late from the recipients', () => {
    const d = directive(1, [
      rec('a', 'done'),
      rec('b', 'done', { late: true }),
      rec('c', 'read', { late: true }),
      rec('d', 'unread', { late: true }),
      rec('e', 'unread'),
    ])
    expect(progressOf(d)).toEqual({ total: 5, done: 2, read: 1, unread: 2, late: 3, lateOpen: 2, percent: 40 })
  })
  it('reads the counts when the recipients are not listed, and is 0% with none', () => {
    const d = directive(2, [], { counts: { total: 8, done: 3, read: 3, unread: 2, late: 1 } })
    expect(progressOf(d)).toMatchObject({ total: 8, done: 3, read: 3, unread: 2, late: 1, percent: 38 })
    expect(progressOf(directive(3, [], { counts: {} })).percent).toBe(0)
  })
  it('is past due at and after its deadline', () => {
    const d = directive(1, [])
    expect(isPastDue(d, new Date('2026-06-01T09:59:59Z'))).toBe(false)
    expect(isPastDue(d, new Date('2026-06-01T10:00:00Z'))).toBe(true)
  })
})

describe('the recipients, grouped', () => {
  it('puts 未读 first, then 已阅未完成, then 已完成, leaving out empty groups', () => {
    const groups = groupRecipients([rec('z', 'done'), rec('b', 'unread'), rec('a', 'unread')])
    expect(groups.map((g) => g.state)).toEqual(['unread', 'done'])
    expect(groups[0].recipients.map((r) => r.unit)).toEqual(['a', 'b'])
  })
  it('lists the late first among those not done, and the done in the order they finished', () => {
    const groups = groupRecipients([
      rec('a', 'read'),
      rec('b', 'read', { late: true }),
      rec('c', 'unread'),
      rec('d', 'unread', { late: true }),
      rec('e', 'done', { done_at: '2026-06-01T08:00:00Z' }),
      rec('f', 'done', { done_at: '2026-06-01T06:00:00Z' }),
    ])
    expect(groups.map((g) => g.recipients.map((r) => r.unit))).toEqual([
      ['d', 'c'],
      ['b', 'a'],
      ['f', 'e'],
    ])
  })
})

describe('the list', () => {
  const all = [
    directive(1, [rec('a', 'done'), rec('b', 'done')]),
    directive(2, [rec('a', 'done'), rec('b', 'unread')]),
    directive(3, [rec('a', 'done', { late: true }), rec('b', 'done')]),
  ]
  it('filters those not all done, and those with a unit late', () => {
    expect(filterDirectives(all, 'all')).toHaveLength(3)
    expect(filterDirectives(all, 'open').map((d) => d.id)).toEqual([2])
    expect(filterDirectives(all, 'late').map((d) => d.id)).toEqual([3])
  })
  it('is newest first', () => {
    expect(newestFirst(all).map((d) => d.id)).toEqual([3, 2, 1])
  })
})

describe('the default deadline', () => {
  it('is today 18:00 when that is two hours away or more', () => {
    expect(defaultDeadline(new Date(2026, 5, 1, 9, 30))).toEqual(new Date(2026, 5, 1, 18, 0))
    expect(defaultDeadline(new Date(2026, 5, 1, 16, 0))).toEqual(new Date(2026, 5, 1, 18, 0))
  })
  it('is tomorrow 18:00 late in the day, across a month and a year', () => {
    expect(defaultDeadline(new Date(2026, 5, 1, 16, 1))).toEqual(new Date(2026, 5, 2, 18, 0))
    expect(defaultDeadline(new Date(2026, 5, 30, 22, 0))).toEqual(new Date(2026, 6, 1, 18, 0))
    expect(defaultDeadline(new Date(2026, 11, 31, 19, 0))).toEqual(new Date(2027, 0, 1, 18, 0))
  })
  it('refuses a deadline that has passed or is under a minute away', () => {
    const now = new Date(2026, 5, 1, 12, 0)
    expect(deadlineTooSoon(new Date(2026, 5, 1, 11, 0), now)).toBe(true)
    expect(deadlineTooSoon(new Date(2026, 5, 1, 12, 0, 30), now)).toBe(true)
    expect(deadlineTooSoon(new Date(2026, 5, 1, 12, 5), now)).toBe(false)
  })
  it('goes to the pickers and back unchanged', () => {
    const d = new Date(2026, 0, 5, 8, 7)
    expect(datePart(d)).toEqual(['2026', '01', '05'])
    expect(timePart(d)).toEqual(['08', '07'])
    expect(fromParts(datePart(d), timePart(d))).toEqual(d)
  })
})

describe('sending', () => {
  it('names units by code and sites as site:<code>, each once', () => {
    expect(recipientsBody(['cgj', 'cgj', 'jd01'], ['S001', 'S001'])).toEqual({ units: ['cgj', 'jd01'], zones: ['site:S001'] })
  })
  it('says the server’s refusals of a directive in Chinese', () => {
    const r = zhCN.refusals
    expect(explain(422, 'due_at: the deadline must be in the future')).toBe(r.directive_past_due)
    expect(explain(422, "units: no active unit 'nope'")).toBe(r.unknown_recipient_unit)
    expect(explain(422, "zones: no zone 'site:S999' (give layer:code, or a site's code)")).toBe(r.unknown_zone)
    expect(explain(422, 'units, zones: name at least one unit or zone to send the directive to')).toBe(r.needs_recipients)
    expect(explain(422, 'photo_ids: photo abc was uploaded by someone else; attach your own')).toBe(r.photo_not_yours)
  })
})
