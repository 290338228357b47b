import { describe, expect, it, vi } from 'vitest'
import { ApiError } from '@/api/errors'
import { allItems, enqueue, getItem, OutboxRunner, type Transport } from '@/outbox'
import { openOutboxDb, resetConnection, withDb } from '@/outbox/db'
import { transportWith } from './transport'
import type { OutboxPhoto } from '@/outbox'
import { backoffMs } from '@/outbox/runner'

const photo = (text = 'jpeg-bytes', role: OutboxPhoto['role'] = 'before'): OutboxPhoto => ({
  blob: new Blob([text], { type: 'image/jpeg' }),
  takenAt: '2026-11-29T08:00:00+08:00',
  lat: 30.1,
  lon: 120.1,
  accuracyM: 8,
  role,
})

const report = (category = 'env.litter') => ({
  category,
  description: '',
  lat: 30.1,
  lon: 120.1,
  accuracy_m: 8,
  fixed_on_site: false,
})

function queueReport(id: string, owner = 'demo_grid', photos = [photo(id)]) {
  return enqueue({ id, kind: 'report', owner, title: id, report: report(), photos })
}

/** A server that records what reached it; `fail` answers the next calls with errors. */
function fakeServer() {
  const received: { kind: string; body: Record<string, unknown> }[] = []
  const fail: ApiError[] = []
  const uploads = new Map<string, string>()
  const next = () => {
    const e = fail.shift()
    if (e) throw e
  }
  const transport = transportWith({
    async uploadPhoto(blob) {
      next()
      const key = await blob.text()
      if (!uploads.has(key)) uploads.set(key, `photo-${uploads.size + 1}`)
      return { id: uploads.get(key)! }
    },
    async createIssue(body) {
      next()
      received.push({ kind: 'issue', body })
      return body
    },
    async postAction(issueId, body) {
      next()
      received.push({ kind: 'action', body: { issueId, ...body } })
      return body
    },
    async createInspection(body) {
      next()
      received.push({ kind: 'inspection', body })
      return body
    },
  })
  return { transport, received, fail, uploads }
}

function runner(transport: Transport, now = () => Date.now(), onAuthLost = vi.fn()) {
  return new OutboxRunner({ transport, user: () => 'demo_grid', now, onAuthLost })
}

describe('the outbox', () => {
  it('keeps a report with its photo Blobs until it is sent', async () => {
    await queueReport('a')
    const [item] = await allItems()
    expect(item.state).toBe('waiting')
    expect(await item.photos[0].blob.text()).toBe('a')
  })

  it('sends in the order the reports were made, each once, with the client id as the issue id', async () => {
    const server = fakeServer()
    for (const id of ['first', 'second', 'third']) await queueReport(id)
    await runner(server.transport).run()
    expect(server.received.map((r) => r.body.id)).toEqual(['first', 'second', 'third'])
    expect(server.received[0].body.photo_ids).toEqual(['photo-1'])
    expect(await allItems()).toEqual([])
    await runner(server.transport).run()
    expect(server.received).toHaveLength(3)
  })

  it('on no network keeps every item, backs off, and sends nothing out of order', async () => {
    const server = fakeServer()
    let now = 1_000_000
    await queueReport('first')
    await queueReport('second')
    server.fail.push(new ApiError(0, 'Failed to fetch'))
    const r = runner(server.transport, () => now)
    await r.run()
    const items = await allItems()
    expect(items.map((i) => [i.id, i.state])).toEqual([
      ['first', 'retrying'],
      ['second', 'waiting'],
    ])
    expect(items[0].attempts).toBe(1)
    expect(items[0].nextAt).toBeGreaterThan(now)
    expect(items[0].error?.message).toMatch(/网络/)
    // before the backoff ends nothing is tried, not even the second one
    await r.run()
    expect(server.received).toEqual([])
    now = items[0].nextAt + 1
    await r.run()
    expect(server.received.map((x) => x.body.id)).toEqual(['first', 'second'])
  })

  it('retries once the network returns without waiting out the backoff', async () => {
    const server = fakeServer()
    await queueReport('a')
    server.fail.push(new ApiError(0, 'offline'))
    const r = runner(server.transport)
    await r.run()
    expect((await allItems())[0].state).toBe('retrying')
    await r.networkBack()
    expect(server.received.map((x) => x.body.id)).toEqual(['a'])
  })

  it('backs off 5 s, 10 s, 20 s … up to 5 minutes', () => {
    const mid = () => 0.5
    expect([1, 2, 3, 4].map((n) => backoffMs(n, mid))).toEqual([5000, 10000, 20000, 40000])
    expect(backoffMs(30, mid)).toBe(300000)
  })

  it('keeps a refused report with the reason in Chinese, and sends the ones after it', async () => {
    const server = fakeServer()
    await queueReport('bad')
    await queueReport('good')
    // the photo upload passes, the report itself is refused
    const create = server.transport.createIssue
    server.transport.createIssue = async (body) => {
      if (body.id === 'bad') throw new ApiError(422, "unknown category 'env.gone'; GET /api/v1/categories lists them")
      return create(body)
    }
    await runner(server.transport).run()
    const [bad] = await allItems()
    expect(bad.id).toBe('bad')
    expect(bad.state).toBe('refused')
    expect(bad.error?.message).toBe('问题类别已停用，请重新选择类别')
    expect(bad.error?.detail).toContain('env.gone')
    expect(server.received.map((x) => x.body.id)).toEqual(['good'])
    // a refused item is not retried by itself
    await runner(server.transport).run()
    expect((await getItem('bad'))?.state).toBe('refused')
  })

  it('pauses on an expired session, asks to sign in, and sends after the new sign-in', async () => {
    const server = fakeServer()
    await queueReport('a')
    await queueReport('b')
    server.fail.push(new ApiError(401, 'token expired; sign in again'))
    const onAuthLost = vi.fn()
    const r = runner(server.transport, Date.now, onAuthLost)
    await r.run()
    expect(onAuthLost).toHaveBeenCalledOnce()
    expect(r.paused).toBe(true)
    expect((await allItems()).map((i) => i.state)).toEqual(['paused', 'waiting'])
    await r.run()
    expect(server.received).toEqual([])
    await r.resume()
    expect(server.received.map((x) => x.body.id)).toEqual(['a', 'b'])
    expect(await allItems()).toEqual([])
  })

  it("sends only the signed-in user's items", async () => {
    const server = fakeServer()
    await queueReport('mine', 'demo_grid')
    await queueReport('theirs', 'demo_road')
    await runner(server.transport).run()
    expect(server.received.map((x) => x.body.id)).toEqual(['mine'])
    expect((await allItems()).map((i) => i.id)).toEqual(['theirs'])
  })

  it('does not upload a photo twice when the report is retried', async () => {
    const server = fakeServer()
    const upload = vi.spyOn(server.transport, 'uploadPhoto')
    await queueReport('a', 'demo_grid', [photo('one'), photo('two', 'after')])
    const create = server.transport.createIssue
    let calls = 0
    server.transport.createIssue = async (body) => {
      if (calls++ === 0) throw new ApiError(503, 'busy')
      return create(body)
    }
    const r = runner(server.transport)
    await r.run()
    expect((await allItems())[0].photos.map((p) => p.uploadedId)).toEqual(['photo-1', 'photo-2'])
    await r.networkBack() // a 503 is not "no network": it waits its backoff
    expect(server.received).toEqual([])
    const item = (await allItems())[0]
    await withDb((db) => db.put('items', { ...item, nextAt: 0 }))
    await r.run()
    expect(upload).toHaveBeenCalledTimes(2)
    expect(server.received[0].body).toMatchObject({ photo_ids: ['photo-1'], after_photo_ids: ['photo-2'] })
  })

  it('an action already applied before its answer was lost is not sent again', async () => {
    const server = fakeServer()
    await enqueue({
      id: 'act',
      kind: 'action',
      owner: 'demo_grid',
      title: 'rectify',
      action: { issueId: 'issue-1', action: 'rectify', note: '' },
      photos: [photo('after', 'after')],
    })
    await withDb(async (db) => {
      const item = (await db.get('items', 'act'))!
      await db.put('items', { ...item, attempts: 1 })
    })
    server.transport.getIssue = async () => ({
      events: [{ action: 'rectify', actor: 'demo_grid', at: new Date().toISOString() }],
    })
    await runner(server.transport).run()
    expect(server.received).toEqual([])
    expect(await allItems()).toEqual([])
  })
})

describe('the outbox database', () => {
  it('keeps waiting items through an upgrade from the first version', async () => {
    const v1 = await openOutboxDb(1)
    await v1.put('items', {
      id: 'old',
      seq: 1,
      kind: 'report',
      owner: 'demo_grid',
      createdAt: '2026-11-29T00:00:00Z',
      title: 'old',
      state: 'waiting',
      attempts: 0,
      nextAt: 0,
      error: null,
      photos: [photo('old')],
      report: report(),
    })
    v1.close()
    resetConnection()
    const items = await allItems()
    expect(items.map((i) => i.id)).toEqual(['old'])
    expect(await items[0].photos[0].blob.text()).toBe('old')
    await queueReport('new')
    expect((await allItems()).map((i) => i.id)).toEqual(['old', 'new'])
  })

  it('reopens a connection the browser closed', async () => {
    await queueReport('a')
    const db = await withDb(async (d) => d)
    db.close() // what iOS Safari does under memory pressure
    await queueReport('b')
    expect((await allItems()).map((i) => i.id)).toEqual(['a', 'b'])
  })

})
