// The dashboard's live feed: the token rides in ?access_token=, events reach the handler, and a refused
// connection (EventSource gives up on an HTTP error) is reopened after a token refresh, with backoff.
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { openLiveFeed } from '@/api/dashboard'
import { saveTokens } from '@/api/tokens'

class FakeEventSource {
  static CONNECTING = 0
  static OPEN = 1
  static CLOSED = 2
  static made: FakeEventSource[] = []
  readyState = FakeEventSource.CONNECTING
  onopen: (() => void) | null = null
  onmessage: ((m: { data: string }) => void) | null = null
  onerror: (() => void) | null = null
  constructor(readonly url: string) {
    FakeEventSource.made.push(this)
  }
  close() {
    this.readyState = FakeEventSource.CLOSED
  }
}

beforeEach(() => {
  FakeEventSource.made = []
  vi.stubGlobal('EventSource', FakeEventSource)
  vi.useFakeTimers()
  saveTokens({ access: 'tok/1+', refresh: null, accessExpiresAt: 0 })
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

test('events arrive with the token in the URL; the state follows the connection', () => {
  const events: unknown[] = []
  const states: boolean[] = []
  const feed = openLiveFeed((e) => events.push(e), (s) => states.push(s))
  const source = FakeEventSource.made[0]
  expect(source.url).toBe('/api/v1/events/stream?access_token=tok%2F1%2B')
  source.readyState = FakeEventSource.OPEN
  source.onopen!()
  source.onmessage!({ data: '{"issue_id":"a","action":"verify","to_status":"closed"}' })
  expect(events).toEqual([{ issue_id: 'a', action: 'verify', to_status: 'closed' }])
  feed.close()
  expect(source.readyState).toBe(FakeEventSource.CLOSED)
  expect(states).toEqual([true, false])
})

test('a dropped connection the browser retries is left to it; a refused one is reopened with backoff', async () => {
  const states: boolean[] = []
  const feed = openLiveFeed(() => undefined, (s) => states.push(s))
  const first = FakeEventSource.made[0]
  first.readyState = FakeEventSource.CONNECTING // the browser reconnects by itself
  first.onerror!()
  await vi.advanceTimersByTimeAsync(60_000)
  expect(FakeEventSource.made).toHaveLength(1)

  first.readyState = FakeEventSource.CLOSED // refused (e.g. an expired token): up to us
  first.onerror!()
  saveTokens({ access: 'tok2', refresh: null, accessExpiresAt: 0 })
  await vi.advanceTimersByTimeAsync(999)
  expect(FakeEventSource.made).toHaveLength(1)
  await vi.advanceTimersByTimeAsync(1)
  expect(FakeEventSource.made).toHaveLength(2)
  expect(FakeEventSource.made[1].url).toContain('access_token=tok2')

  // refused again: the wait doubles
  FakeEventSource.made[1].readyState = FakeEventSource.CLOSED
  FakeEventSource.made[1].onerror!()
  await vi.advanceTimersByTimeAsync(1999)
  expect(FakeEventSource.made).toHaveLength(2)
  await vi.advanceTimersByTimeAsync(1)
  expect(FakeEventSource.made).toHaveLength(3)

  feed.close()
  FakeEventSource.made[2].readyState = FakeEventSource.CLOSED
  await vi.advanceTimersByTimeAsync(60_000)
  expect(FakeEventSource.made).toHaveLength(3)
  expect(states.at(-1)).toBe(false)
})
