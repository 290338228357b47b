import { describe, expect, it } from 'vitest'
import { ApiError, explain } from '@/api/errors'
import { zhCN } from '@/messages/zh-CN'

const r = zhCN.refusals

describe('a refusal in plain Chinese', () => {
  it.each([
    [422, 'photo_reused: photo abc is the same picture as one already attached to issue 2026-000012; take a new photo on site', r.photo_reused],
    [422, 'photo_too_far: photo abc was taken 250 m from the issue; it must be within 100 m', r.photo_too_far],
    [422, 'photo_predates_issue: photo abc was taken at 2026-01-01T00:00:00+00:00, before the issue', r.photo_predates_issue],
    [403, 'verify: you are of the unit that rectified 2026-000001; someone of another unit must verify', r.verifier_of_rectifying_unit],
    [422, "unknown category 'env.nope'; GET /api/v1/categories lists them", r.unknownCategory],
    [422, 'note: reject needs a note (why the report is not a problem to handle)', r.needs_note],
    [409, 'issue 2026-000001 changed since you loaded it (you saw version 1, it is at 2); reload it and try again', r.stale_version],
    [401, 'wrong username or password', r.wrongPassword],
    [401, 'token expired; sign in again', r.unauthorized],
    [413, 'photo over 20 MB', r.tooLarge],
    [415, 'not an image', r.notImage],
    [0, 'TypeError: Failed to fetch', r.network],
  ])('%i %s', (status, detail, expected) => {
    expect(explain(status, detail)).toBe(expected)
  })

  it('never shows English for an unknown 4xx or a 5xx', () => {
    expect(explain(422, 'something new: x')).toBe(r.invalid)
    expect(explain(503, '')).toContain('503')
    expect(explain(503, '')).toMatch(/[\u4e00-\u9fff]/)
  })

  it('tells transient failures from refusals', () => {
    expect(new ApiError(0, '').transient).toBe(true)
    expect(new ApiError(502, '').transient).toBe(true)
    expect(new ApiError(429, '').transient).toBe(true)
    expect(new ApiError(422, '').transient).toBe(false)
    expect(new ApiError(401, '').unauthorized).toBe(true)
  })
})
