import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api/errors'
import { allItems, enqueue, getItem, OutboxRunner, type PatrolStep } from '@/outbox'
import { updateItem } from '@/outbox/queue'
import { loadActive, loadEnded, saveActive } from '@/patrol/db'
import { patrolGroups } from '@/patrol/outboxGroups'
import { PatrolRecorder } from '@/patrol/recorder'
import { BATCH_MS, BATCH_POINTS, dueForCut, type TrackPoint } from '@/patrol/track'
import { entryOf } from '@/outbox'
import { tabsFor } from '@/roles'
import { transportWith } from './transport'

const OWNER = 'demo_road'
const T0 = Date.parse('2026-11-30T01:00:00Z')

/** A recorder on the real outbox queue, with a clock the test moves. */
function recorder(clock: { now: number }) {
  return new PatrolRecorder({
    owner: OWNER,
    now: () => clock.now,
    queue: (id, step) => enqueue({ id, kind: 'patrol', owner: OWNER, title: 'patrol', patrol: step, photos: [] }),
    queued: async (id) => !!(await getItem(id)),
  })
}

/** A point every second, walking ~5 m north each time. */
function point(n: number, accuracy = 8): TrackPoint {
  return { t: new Date(T0 + n * 1000).toISOString(), lat: 30.1 + n * 0.000045, lon: 120.1, accuracy_m: accuracy }
}

const steps = async (): Promise<PatrolStep[]> => (await allItems()).map((i) => i.patrol!)

describe('patrol batching', () => {
  it('cuts a batch at BATCH_POINTS points', async () => {
    const clock = { now: T0 }
    const r = recorder(clock)
    await r.start()
    for (let n = 1; n <= BATCH_POINTS + 1; n++) await r.add(point(n))
    const s = await steps()
    expect(s.map((x) => x.step)).toEqual(['start', 'points'])
    expect(s[1].points).toHaveLength(BATCH_POINTS)
    expect(s[1].points!.map((p) => p.t)).toEqual(Array.from({ length: BATCH_POINTS }, (_, i) => point(i + 1).t))
    expect(r.active!.pending).toHaveLength(1)
    expect(r.active!.points).toBe(BATCH_POINTS + 1)
  })

  it('cuts a batch after BATCH_MS even with few points (on the next point or the timer)', async () => {
    const clock = { now: T0 }
    const r = recorder(clock)
    await r.start()
    for (let n = 1; n <= 3; n++) await r.add(point(n))
    clock.now = T0 + BATCH_MS - 1
    await r.tick()
    expect((await steps()).map((x) => x.step)).toEqual(['start'])
    clock.now = T0 + BATCH_MS
    await r.tick()
    let s = await steps()
    expect(s.map((x) => x.step)).toEqual(['start', 'points'])
    expect(s[1].points).toHaveLength(3)
    // nothing pending: the timer cuts nothing
    clock.now += BATCH_MS * 2
    await r.tick()
    expect(await steps()).toHaveLength(2)
    // a point after the time has come is cut at once
    await r.add(point(4))
    s = await steps()
    expect(s).toHaveLength(3)
    expect(s[2].points!.map((p) => p.t)).toEqual([point(4).t])
    expect(dueForCut(0, 0, 1e12)).toBe(false)
  })

  it('leaves out a point not later than the last one, and counts distance only for real moves', async () => {
    const clock = { now: T0 }
    const r = recorder(clock)
    await r.start()
    await r.add(point(1))
    await r.add(point(1)) // the same fix again
    await r.add({ ...point(0) }) // older
    expect(r.active!.points).toBe(1)
    await r.add({ ...point(1), t: point(2).t }) // standing still: jitter-free, no distance
    await r.add(point(3)) // ~10 m on
    expect(r.active!.points).toBe(3)
    expect(r.active!.distanceM).toBeGreaterThan(9)
    expect(r.active!.distanceM).toBeLessThan(11)
    expect(r.active!.track).toHaveLength(2)
  })

  it('End queues the last batch then the end, and keeps the patrol among the phone\'s ended ones', async () => {
    const clock = { now: T0 }
    const r = recorder(clock)
    const { id } = await r.start()
    for (let n = 1; n <= 5; n++) await r.add(point(n))
    clock.now = T0 + 60_000
    const ended = await r.end()
    expect((await steps()).map((x) => x.step)).toEqual(['start', 'points', 'end'])
    expect((await steps())[2].ended_at).toBe(new Date(T0 + 60_000).toISOString())
    expect(r.active).toBeNull()
    expect(await loadActive(OWNER)).toBeNull()
    expect((await loadEnded(id))?.points).toBe(5)
    expect(ended?.track.length).toBeGreaterThan(1)
  })
})

describe('patrol resume after a reload', () => {
  it('goes on with the same patrol, its unsent points and its track, and queues nothing twice', async () => {
    const clock = { now: T0 }
    const first = recorder(clock)
    const { id } = await first.start()
    for (let n = 1; n <= 5; n++) await first.add(point(n))
    const track = structuredClone(first.active!.track)
    expect(track.length).toBeGreaterThan(1)
    // the tab is killed: a new page, a new recorder, the same IndexedDB
    const second = recorder(clock)
    const resumed = await second.resume()
    expect(resumed?.id).toBe(id)
    expect(resumed?.pending.map((p) => p.t)).toEqual([1, 2, 3, 4, 5].map((n) => point(n).t))
    expect(resumed?.track).toEqual(track)
    expect(resumed?.distanceM).toBe(first.active!.distanceM)
    expect((await steps()).map((x) => x.step)).toEqual(['start'])
    for (let n = 6; n <= BATCH_POINTS; n++) await second.add(point(n))
    const s = await steps()
    expect(s.map((x) => x.step)).toEqual(['start', 'points'])
    expect(s[1].points).toHaveLength(BATCH_POINTS)
    expect(s[1].patrolId).toBe(id)
  })

  it('a start tapped before the resume finished goes on with the kept patrol instead of writing over it', async () => {
    const clock = { now: T0 }
    const first = recorder(clock)
    const started = await first.start()
    for (let n = 1; n <= 3; n++) await first.add(point(n))
    const again = await recorder(clock).start() // the reloaded page, its resume not yet run
    expect(again.id).toBe(started.id)
    expect(again.pending.map((p) => p.t)).toEqual([1, 2, 3].map((n) => point(n).t))
    expect((await steps()).filter((x) => x.step === 'start')).toHaveLength(1)
  })

  it('finishes a batch that was being handed over when the tab died, under the same batch id', async () => {
    const clock = { now: T0 }
    const first = recorder(clock)
    const { id } = await first.start()
    const a = (await loadActive(OWNER))!
    // saved as 'cutting' but never queued
    await saveActive({ ...a, cutting: { batchId: 'b-1', points: [point(1), point(2)] } })
    await recorder(clock).resume()
    const s = await steps()
    expect(s.map((x) => [x.step, x.batch_id])).toEqual([
      ['start', undefined],
      ['points', 'b-1'],
    ])
    expect((await loadActive(OWNER))?.cutting).toBeNull()
    // resumed again: the batch is already waiting, not queued a second time
    const again = (await loadActive(OWNER))!
    await saveActive({ ...again, cutting: { batchId: 'b-1', points: [point(1), point(2)] } })
    await recorder(clock).resume()
    expect((await steps()).filter((x) => x.batch_id === 'b-1')).toHaveLength(1)
    expect((await steps())[1].patrolId).toBe(id)
  })

  it('a patrol ended while the tab died is ended on resume', async () => {
    const clock = { now: T0 }
    const first = recorder(clock)
    await first.start()
    await first.add(point(1))
    const a = (await loadActive(OWNER))!
    await saveActive({ ...a, ending: { endedAt: new Date(T0 + 5000).toISOString() } })
    expect(await recorder(clock).resume()).toBeNull()
    expect((await steps()).map((x) => x.step)).toEqual(['start', 'points', 'end'])
  })
})

/** A server that keeps patrols like the real one: a start or a batch under a known id again changes nothing. */
function patrolServer() {
  const calls: string[] = []
  const patrols = new Map<string, { points: string[]; ended: boolean }>()
  const batches = new Set<string>()
  const fail: ApiError[] = []
  /** the request reaches the server, but its answer is lost */
  const loseAnswer: string[] = []
  const answer = (id: string) => ({ id, segments: [], points: patrols.get(id)!.points.length })
  const after = (what: string) => {
    if (loseAnswer[0] === what) {
      loseAnswer.shift()
      throw new ApiError(0, 'Failed to fetch')
    }
  }
  const before = () => {
    const e = fail.shift()
    if (e) throw e
  }
  const transport = transportWith({
    postAction: async () => ({}),
    async startPatrol(body) {
      before()
      calls.push('start')
      if (!patrols.has(body.id)) patrols.set(body.id, { points: [], ended: false })
      after('start')
      return answer(body.id)
    },
    async postPatrolPoints(id, body) {
      before()
      calls.push(`points:${body.points.length}`)
      const p = patrols.get(id)
      if (!p) throw new ApiError(404, `no patrol ${id} of yours`)
      if (!batches.has(body.batch_id)) {
        batches.add(body.batch_id)
        p.points.push(...body.points.map((x) => x.t))
      }
      after('points')
      return { batch_id: body.batch_id, accepted: body.points.length, patrol: answer(id) }
    },
    async endPatrol(id) {
      before()
      calls.push('end')
      const p = patrols.get(id)
      if (!p) throw new ApiError(404, `no patrol ${id} of yours`)
      p.ended = true
      after('end')
      return answer(id)
    },
  })
  return { transport, calls, patrols, fail, loseAnswer }
}

describe('patrol delivery', () => {
  it('sends start → batches → end in order, offline in the middle, and a resend after a lost answer adds nothing', async () => {
    const clock = { now: T0 }
    const r = recorder(clock)
    const { id } = await r.start()
    for (let n = 1; n <= 45; n++) await r.add(point(n)) // two full batches, 5 pending
    await r.end()
    expect((await steps()).map((x) => x.step)).toEqual(['start', 'points', 'points', 'points', 'end'])

    const server = patrolServer()
    let now = T0
    const runner = new OutboxRunner({ transport: server.transport, user: () => OWNER, now: () => now })
    // the start goes; the first batch reaches the server but its answer is lost (the signal drops)
    server.loseAnswer.push('points')
    await runner.run()
    expect(server.calls).toEqual(['start', 'points:20'])
    const left = await allItems()
    expect(left.map((i) => [i.patrol!.step, i.state])).toEqual([
      ['points', 'retrying'],
      ['points', 'waiting'],
      ['points', 'waiting'],
      ['end', 'waiting'],
    ])
    // still offline: nothing overtakes the batch that waits
    server.fail.push(new ApiError(0, 'offline'))
    now = left[0].nextAt + 1
    await runner.run()
    expect(server.calls).toEqual(['start', 'points:20'])
    // the network is back: the same batch again (harmless), then the rest, in order
    await runner.networkBack()
    now += 10 * 60_000
    await runner.run()
    expect(server.calls).toEqual(['start', 'points:20', 'points:20', 'points:20', 'points:5', 'end'])
    const held = server.patrols.get(id)!
    expect(held.ended).toBe(true)
    expect(held.points).toHaveLength(45)
    expect(new Set(held.points).size).toBe(45)
    expect(held.points).toEqual([...held.points].sort())
    expect(await allItems()).toEqual([])
  })

  it('a refused batch holds back the patrol’s later steps (and only its own), which go in order once it is fixed', async () => {
    const clock = { now: T0 }
    const r = recorder(clock)
    const { id } = await r.start()
    for (let n = 1; n <= 40; n++) await r.add(point(n)) // two batches
    await r.end()
    await enqueue({ id: 'other', kind: 'action', owner: OWNER, title: 'x', action: { issueId: 'i', action: 'start' }, photos: [] })
    const server = patrolServer()
    const runner = new OutboxRunner({ transport: server.transport, user: () => OWNER })
    const refuse = server.transport.postPatrolPoints
    let refusedOnce = false
    server.transport.postPatrolPoints = async (pid, body) => {
      if (!refusedOnce) {
        refusedOnce = true
        throw new ApiError(422, 'points: a refused batch')
      }
      return refuse(pid, body)
    }
    await runner.run()
    expect(server.calls).toEqual(['start']) // the second batch and the end wait behind the refused first
    expect((await allItems()).map((i) => [i.patrol?.step ?? i.kind, i.state])).toEqual([
      ['points', 'refused'],
      ['points', 'waiting'],
      ['end', 'waiting'],
    ]) // the action after them (another kind of work) was not held back: it was sent
    const [refused] = await allItems()
    await updateItem(refused.id, (i) => Object.assign(i, { state: 'waiting', error: null })) // the user's fix
    await runner.run()
    expect(server.calls).toEqual(['start', 'points:20', 'points:20', 'end'])
    expect(server.patrols.get(id)!.points).toEqual([...server.patrols.get(id)!.points].sort())
  })

  it('shows a patrol waiting in the outbox as one line with its batches and points', async () => {
    const clock = { now: T0 }
    const r = recorder(clock)
    const { id } = await r.start()
    for (let n = 1; n <= 25; n++) await r.add(point(n))
    await r.end()
    await enqueue({ id: 'report-1', kind: 'report', owner: OWNER, title: 'r', photos: [] })
    const groups = patrolGroups((await allItems()).map(entryOf))
    expect(groups).toHaveLength(1)
    expect(groups[0]).toMatchObject({ patrolId: id, hasStart: true, hasEnd: true, batches: 2, points: 25, state: 'waiting' })
  })
})

describe('tabs', () => {
  it('road chiefs have 巡路 between 上报 and 我的上报; grid workers keep theirs', () => {
    expect(tabsFor('road_chief').map((t) => t.name)).toEqual(['field-home', 'report', 'patrol', 'mine', 'me'])
    expect(tabsFor('road_chief')[2]).toMatchObject({ label: '巡路', icon: 'guide-o', testid: 'nav-patrol' })
    expect(tabsFor('grid_worker').map((t) => t.name)).toEqual(['field-home', 'report', 'mine', 'me'])
  })
})
