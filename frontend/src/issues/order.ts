// The orders the lists are shown in: soonest deadline first, or nearest first.
import { fmt, m } from '@/messages'

export interface Point {
  lat: number
  lon: number
}

const EARTH_M = 6_371_008.8
const rad = (d: number) => (d * Math.PI) / 180

/** Great-circle distance in metres (haversine; plenty for a district). */
export function distanceM(a: Point, b: Point): number {
  const dLat = rad(b.lat - a.lat)
  const dLon = rad(b.lon - a.lon)
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2
  return 2 * EARTH_M * Math.asin(Math.min(1, Math.sqrt(h)))
}

const time = (iso: string | null | undefined) => (iso ? new Date(iso).getTime() : Number.POSITIVE_INFINITY)

/** Soonest deadline first (overdue ones, most overdue first, lead); no deadline last; then oldest report. */
export function byDue<T extends { due_at?: string | null; created_at: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => time(a.due_at) - time(b.due_at) || time(a.created_at) - time(b.created_at))
}

/** Nearest to `here` first; without a position, the oldest first by `key`. */
export function byDistance<T extends Point & { created_at: string }>(
  items: T[],
  here: Point | null,
  key: (item: T) => string | null | undefined = (i) => i.created_at,
): T[] {
  if (!here) return [...items].sort((a, b) => time(key(a)) - time(key(b)))
  return [...items].sort((a, b) => distanceM(here, a) - distanceM(here, b))
}

/** Oldest first: the office takes reports in the order they came. */
export function byReported<T extends { created_at: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => time(a.created_at) - time(b.created_at))
}

/** A distance as a person reads it: 35 米, 1.2 公里. */
export function spellDistance(metres: number): string {
  if (metres < 1000) return fmt(m.distance.m, { n: Math.round(metres) })
  return fmt(m.distance.km, { n: (metres / 1000).toFixed(metres < 10_000 ? 1 : 0) })
}
