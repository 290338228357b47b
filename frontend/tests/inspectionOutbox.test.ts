import { describe, expect, it } from 'vitest'
import { ApiError, explain } from '@/api/errors'
import { allItems, enqueue, OutboxRunner, type InspectionPayload, type OutboxPhoto, type Transport } from '@/outbox'
import { inspectionBody } from '@/outbox/inspection'
import { transportWith } from './transport'

const photo = (text: string): OutboxPhoto => ({
  blob: new Blob([text], { type: 'image/jpeg' }),
  takenAt: '2026-11-29T08:00:00+08:00',
  lat: 30.1,
  lon: 120.1,
  accuracyM: 8,
  role: 'before',
})

const payload = (site = 'S001'): InspectionPayload => ({
  site,
  site_name: '人民广场',
  version: 1,
  lat: 30.1,
  lon: 120.1,
  accuracy_m: 8,
  note: '',
  items: [
    { code: 'bins', result: 'fail', note: '满溢', photos: [0] },
    { code: 'signs', result: 'pass', note: '', photos: [] },
    { code: 'no_litter', result: 'fail', note: '', photos: [1, 2] },
    { code: 'nursing_room', result: 'na', note: '', photos: [] },
  ],
})

function queueInspection(id: string, site = 'S001') {
  return enqueue({
    id,
    kind: 'inspection',
    owner: 'demo_office',
    title: id,
    inspection: payload(site),
    photos: [photo(`${id}-a`), photo(`${id}-b`), photo(`${id}-c`)],
  })
}

/** A server that keeps inspections by id as POST /inspections does: the same id again answers 200. */
function fakeServer() {
  const calls: string[] = []
  const inspections = new Map<string, string>()
  const uploads = new Map<string, string>()
  let statuses: number[] = []
  let loseNextAnswer = false
  let refuse: ((body: Record<string, unknown>) => ApiError | null) | null = null
  const transport = transportWith({
    async uploadPhoto(blob) {
      const key = await blob.text()
      if (!uploads.has(key)) uploads.set(key, `photo-${uploads.size + 1}`)
      calls.push(`upload ${key}`)
      return { id: uploads.get(key)! }
    },
    async createInspection(body) {
      calls.push(`inspection ${body.id}`)
      const refusal = refuse?.(body)
      if (refusal) throw refusal
      const id = String(body.id)
      const content = JSON.stringify(body)
      if (inspections.has(id)) {
        if (inspections.get(id) !== content) throw new ApiError(409, 'inspection id is already used by another inspection')
        statuses.push(200)
      } else {
        inspections.set(id, content)
        statuses.push(201)
      }
      if (loseNextAnswer) {
        loseNextAnswer = false
        throw new ApiError(0, 'Failed to fetch') // the server has it; the phone never heard
      }
      return JSON.parse(content)
    },
  })
  return {
    transport,
    calls,
    inspections,
    get statuses() {
      return statuses
    },
    loseAnswer: () => (loseNextAnswer = true),
    refuseWith: (f: typeof refuse) => (refuse = f),
    reset: () => (statuses = []),
  }
}

const runner = (transport: Transport, now = () => Date.now()) =>
  new OutboxRunner({ transport, user: () => 'demo_office', now })

describe('an inspection in the outbox', () => {
  it('uploads its photos first, then posts the whole inspection once with each answer’s photo ids', async () => {
    const server = fakeServer()
    await queueInspection('insp-1')
    await runner(server.transport).run()
    expect(server.calls).toEqual(['upload insp-1-a', 'upload insp-1-b', 'upload insp-1-c', 'inspection insp-1'])
    const body = JSON.parse(server.inspections.get('insp-1')!)
    expect(body).toMatchObject({ id: 'insp-1', site: 'S001', version: 1, crs: 'wgs84', lat: 30.1, lon: 120.1 })
    expect(body.items).toEqual([
      { code: 'bins', result: 'fail', note: '满溢', photo_ids: ['photo-1'] },
      { code: 'signs', result: 'pass', note: '', photo_ids: [] },
      { code: 'no_litter', result: 'fail', note: '', photo_ids: ['photo-2', 'photo-3'] },
      { code: 'nursing_room', result: 'na', note: '', photo_ids: [] },
    ])
    expect(await allItems()).toEqual([])
  })

  it('a retry after a lost answer is the same inspection (200), not a second one, and then leaves the outbox', async () => {
    const server = fakeServer()
    let now = 1_000_000
    await queueInspection('insp-2')
    server.loseAnswer()
    const r = runner(server.transport, () => now)
    await r.run()
    const [waiting] = await allItems()
    expect(waiting.state).toBe('retrying')
    expect(waiting.photos.map((p) => p.uploadedId)).toEqual(['photo-1', 'photo-2', 'photo-3'])
    now = waiting.nextAt + 1
    await r.run()
    expect(server.statuses).toEqual([201, 200])
    expect(server.inspections.size).toBe(1)
    // the photos were not sent again: their ids were kept with the item
    expect(server.calls.filter((c) => c.startsWith('upload'))).toHaveLength(3)
    expect(await allItems()).toEqual([])
  })

  it('a refusal (inspector_not_at_site) parks it with the reason in Chinese; the items after it still go', async () => {
    const server = fakeServer()
    await queueInspection('far', 'S002')
    await queueInspection('near', 'S003')
    server.refuseWith((body) =>
      body.site === 'S002'
        ? new ApiError(422, 'inspector_not_at_site: you are 1012 m from 人民广场 (S002); an inspection is made at the site (within 50 m)')
        : null,
    )
    await runner(server.transport).run()
    const items = await allItems()
    expect(items.map((i) => [i.id, i.state])).toEqual([['far', 'refused']])
    expect(items[0].error?.status).toBe(422)
    expect(items[0].error?.message).toBe('您不在该点位现场（超出允许范围），请到点位后重新提交检查')
    expect(items[0].error?.detail).toContain('1012 m')
    expect([...server.inspections.keys()]).toEqual(['near'])
    // a refused item is not tried again by itself
    await runner(server.transport).run()
    expect(server.calls.filter((c) => c === 'inspection far')).toHaveLength(1)
  })

  it('will not post an answer whose photo is not uploaded', () => {
    const item = { id: 'x', photos: [photo('a')], inspection: payload() } as never
    expect(() => inspectionBody(item)).toThrow(/not uploaded/)
  })

  it('says the inspection refusals in Chinese', () => {
    expect(explain(403, "a unit self-checks only its own sites; S009 is another unit's")).toBe('该点位不属于本单位，只能自查本单位的点位')
    expect(explain(422, 'version: no checklist version 3 for main_road')).toBe('检查表已更新，请重新打开该点位检查')
    expect(explain(422, 'items: not answered: bins')).toMatch(/未填完整/)
    expect(explain(422, 'photo_not_yours: photo p1 was uploaded by someone else')).toMatch(/本人/)
  })
})
