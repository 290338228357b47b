import { describe, expect, it } from 'vitest'
import { periodRange } from '@/score/period'

describe('score periods', () => {
  it('starts the week on Monday, whatever the day', () => {
    expect(periodRange('week', new Date(2026, 10, 30))).toEqual({ from: '2026-11-30' }) // a Monday
    expect(periodRange('week', new Date(2026, 11, 6, 23, 59))).toEqual({ from: '2026-11-30' }) // the Sunday after
  })
  it('reads last week Monday to Sunday, across a month and a year', () => {
    expect(periodRange('lastWeek', new Date(2026, 10, 30))).toEqual({ from: '2026-11-23', to: '2026-11-29' })
    expect(periodRange('lastWeek', new Date(2027, 0, 3))).toEqual({ from: '2026-12-21', to: '2026-12-27' }) // a Sunday
  })
  it('reads the month from its first day', () => {
    expect(periodRange('month', new Date(2026, 11, 31))).toEqual({ from: '2026-12-01' })
  })
})
