// A site inspection as one outbox item: its answers, and its failed items' photos as the item's photos.
// Sent after the runner has uploaded the photos (idempotent by bytes): one POST /inspections with the client's
// id, so a retry after a lost answer is the same inspection again (the server answers 200), never a second one.
import type { OutboxItem } from './types'

export interface InspectionAnswer {
  code: string
  result: 'pass' | 'fail' | 'na'
  note: string
  /** the answer's photos: indices into the item's `photos` */
  photos: number[]
}

export interface InspectionPayload {
  site: string
  site_name: string
  version: number
  lat: number
  lon: number
  accuracy_m: number | null
  note: string
  items: InspectionAnswer[]
}

/** The body of POST /inspections for an item whose photos are all uploaded. */
export function inspectionBody(item: OutboxItem): Record<string, unknown> {
  const p = item.inspection!
  const photoId = (n: number) => {
    const id = item.photos[n]?.uploadedId
    if (!id) throw new Error(`inspection ${item.id}: photo ${n} not uploaded`)
    return id
  }
  return {
    id: item.id,
    site: p.site,
    version: p.version,
    lat: p.lat,
    lon: p.lon,
    crs: 'wgs84',
    accuracy_m: p.accuracy_m,
    note: p.note,
    items: p.items.map((a) => ({ code: a.code, result: a.result, note: a.note, photo_ids: a.photos.map(photoId) })),
  }
}

/** Delivers an inspection (its photos already uploaded); a 200 for a retry counts as delivered. */
export async function deliverInspection(
  item: OutboxItem,
  transport: { createInspection(body: Record<string, unknown>): Promise<unknown> },
): Promise<void> {
  await transport.createInspection(inspectionBody(item))
}
