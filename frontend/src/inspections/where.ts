// How far the phone is from a site's outline (0 inside), from the zones the phone keeps: a hint before the
// inspection is sent (the server decides, with its own radius).
import booleanPointInPolygon from '@turf/boolean-point-in-polygon'
import type { Feature, MultiPolygon, Polygon } from 'geojson'
import type { ZoneCollection } from '@/geo/locate'
import { distanceToLine } from '@/geo/metric'

/** The server's default XUNCHA_INSPECTION_RADIUS_M: how far outside a site an inspector may stand. */
export const INSPECTION_RADIUS_M = 50

export function distanceToSite(zones: ZoneCollection | null, code: string, lon: number, lat: number): number | null {
  const f = zones?.features.find((z) => z.properties.layer === 'site' && z.properties.code === code)
  const g = f?.geometry
  if (!f || !g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) return null
  if (booleanPointInPolygon([lon, lat], f as Feature<Polygon | MultiPolygon>)) return 0
  const rings = g.type === 'Polygon' ? g.coordinates : g.coordinates.flat()
  return Math.min(...rings.map((r) => distanceToLine(lon, lat, r)))
}
