// A patrol's track on the phone: its points, when a batch is cut, and the distance walked (the server measures its
// own from what it trusts; this is the figure shown while walking and when offline).
import { metresPerDegLat, metresPerDegLon } from '@/geo/metric'

export interface TrackPoint {
  t: string // ISO time the phone took it
  lat: number
  lon: number
  accuracy_m: number | null
}

/** A batch goes to the outbox every BATCH_MS or BATCH_POINTS points, whichever comes first. */
export const BATCH_MS = 30_000
export const BATCH_POINTS = 20
/** Points less precise than this are sent (the server decides) but neither drawn nor counted in the distance. */
export const DRAW_MAX_ACCURACY_M = 50

export function dueForCut(pending: number, lastCutAt: number, now: number): boolean {
  return pending >= BATCH_POINTS || (pending > 0 && now - lastCutAt >= BATCH_MS)
}

export function metresBetween(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const mid = (a.lat + b.lat) / 2
  return Math.hypot((b.lon - a.lon) * metresPerDegLon(mid), (b.lat - a.lat) * metresPerDegLat(mid))
}

/**
 * How far a point moves the walker on from the last drawn one: null when it is GPS jitter around the same spot
 * (closer than its accuracy allows to tell apart, at least 5 m) or too imprecise to draw.
 */
export function stepFrom(anchor: [number, number] | undefined, p: TrackPoint): number | null {
  if (p.accuracy_m !== null && p.accuracy_m > DRAW_MAX_ACCURACY_M) return null
  if (!anchor) return 0
  const d = metresBetween({ lat: anchor[0], lon: anchor[1] }, p)
  const noise = Math.min(25, Math.max(5, (p.accuracy_m ?? 10) / 2))
  return d >= noise ? d : null
}
