// Locating a point among the zones on the phone, offline, by the server's rules (app/geo/index.py):
// - inside (or on the edge of) zones: in each layer the smallest zone holding the point, distance 0;
// - outside every zone: the single nearest zone within the tolerance (snap_m, widened by worse GPS accuracy up
//   to snap_max_m);
// - a road centre-line counts as its carriageway: within half its width (default 10 m) of the line;
// - the unit is that of the match in the first layer of the precedence.
import turfBbox from '@turf/bbox'
import booleanPointInPolygon from '@turf/boolean-point-in-polygon'
import Flatbush from 'flatbush'
import type { Feature, FeatureCollection, LineString, MultiLineString, MultiPolygon, Polygon, Position } from 'geojson'
import { distanceToLine, lineLength, metresPerDegLat, metresPerDegLon, polygonArea } from './metric'

export const LAYERS = ['site', 'grid', 'road', 'compound', 'building', 'frontage']
export const DEFAULT_PRECEDENCE = ['frontage', 'building', 'compound', 'road', 'site', 'grid']
const DEFAULT_ROAD_WIDTH_M = 10

export interface LocateRules {
  layer_precedence: string[]
  snap_m: number
  snap_max_m: number
}

export const DEFAULT_RULES: LocateRules = { layer_precedence: DEFAULT_PRECEDENCE, snap_m: 30, snap_max_m: 100 }

export interface ZoneProps {
  layer: string
  code: string
  name: string
  unit: string
  unit_name?: string | null
  width_m?: number | null
  /** a site's kind (which checklist it is inspected against) */
  category?: string | null
}

export type ZoneCollection = FeatureCollection<Polygon | MultiPolygon | LineString | MultiLineString, ZoneProps>

export interface Match {
  layer: string
  code: string
  name: string
  unit: string
  distance_m: number
}

export interface PhoneLocation {
  matches: Match[]
  unit: string | null
}

interface Zone {
  props: ZoneProps
  column: number
  rank: number // smaller zone first: the most specific wins an overlap
  lines: Position[][] // a road's centre-lines, or a polygon's rings (for distances)
  halfWidth: number // metres either side of a centre-line; 0 for an area
  feature: Feature<Polygon | MultiPolygon> | null
}

/** Every layer, most specific first: the precedence, then the other known layers, then unknown ones. */
export function layerOrder(precedence: string[], present: Iterable<string> = []): string[] {
  const rest = LAYERS.filter((l) => !precedence.includes(l))
  const extra = [...new Set(present)].filter((l) => !precedence.includes(l) && !LAYERS.includes(l)).sort()
  return [...precedence, ...rest, ...extra]
}

/** Degrees of longitude and latitude that hold `metres` around latitude `lat` (a little wider: only pre-selects). */
function degreesAround(lat: number, metres: number): [number, number] {
  const m = metres * 1.01
  return [m / Math.max(metresPerDegLon(lat), 1e-6), m / metresPerDegLat(lat)]
}

export class PhoneZoneIndex {
  readonly layers: string[]
  private zones: Zone[]
  private index: Flatbush | null

  constructor(
    collection: ZoneCollection,
    readonly rules: LocateRules = DEFAULT_RULES,
  ) {
    const features = collection.features.filter((f) => f.geometry)
    this.layers = layerOrder(rules.layer_precedence, features.map((f) => f.properties.layer))
    const column = new Map(this.layers.map((l, i) => [l, i]))
    const sized = features.map((f) => {
      const g = f.geometry
      const props = f.properties
      if (g.type === 'LineString' || g.type === 'MultiLineString') {
        const width = props.width_m ?? DEFAULT_ROAD_WIDTH_M
        const lines = g.type === 'LineString' ? [g.coordinates] : g.coordinates
        // the area of the carriageway (the centre-line buffered by half the width, round ends)
        const area = lines.reduce((sum, l) => sum + lineLength(l), 0) * width + Math.PI * (width / 2) ** 2
        return { f, area, zone: { props, lines, halfWidth: width / 2, feature: null } }
      }
      const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates
      const area = polygons.reduce((sum, rings) => sum + polygonArea(rings), 0)
      const feature = f as Feature<Polygon | MultiPolygon>
      return { f, area, zone: { props, lines: polygons.flat(), halfWidth: 0, feature } }
    })
    const byArea = sized.map((s, i) => [s.area, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1])
    const rank = new Array<number>(sized.length)
    byArea.forEach(([, i], r) => (rank[i] = r))
    this.zones = sized.map((s, i) => ({ ...s.zone, column: column.get(s.zone.props.layer)!, rank: rank[i] }))
    if (!sized.length) {
      this.index = null
      return
    }
    this.index = new Flatbush(sized.length)
    for (const [i, s] of sized.entries()) {
      const [w, so, e, n] = turfBbox(s.f)
      const [dlon, dlat] = degreesAround((so + n) / 2, this.zones[i].halfWidth)
      this.index.add(w - dlon, so - dlat, e + dlon, n + dlat)
    }
    this.index.finish()
  }

  /** The snapping tolerance: snap_m, or the phone's accuracy when worse, never beyond snap_max_m. */
  tolerance(accuracy?: number | null): number {
    const { snap_m, snap_max_m } = this.rules
    if (accuracy === null || accuracy === undefined || !Number.isFinite(accuracy) || accuracy <= snap_m) return snap_m
    return Math.min(accuracy, Math.max(snap_m, snap_max_m))
  }

  /** Metres from the point to the zone's edge (0 inside). */
  private distance(zone: Zone, lon: number, lat: number): number {
    if (zone.feature && booleanPointInPolygon([lon, lat], zone.feature)) return 0
    const d = Math.min(...zone.lines.map((l) => distanceToLine(lon, lat, l)))
    return Math.max(0, d - zone.halfWidth)
  }

  private result(found: [Zone, number][]): PhoneLocation {
    const matches = found.map(([z, d]) => ({
      layer: z.props.layer,
      code: z.props.code,
      name: z.props.name,
      unit: z.props.unit,
      distance_m: d,
    }))
    return { matches, unit: matches[0]?.unit ?? null }
  }

  locate(lon: number, lat: number, accuracy?: number | null): PhoneLocation {
    if (!this.index || !Number.isFinite(lon) || !Number.isFinite(lat)) return { matches: [], unit: null }
    const best = new Map<number, Zone>()
    for (const i of this.index.search(lon, lat, lon, lat)) {
      const z = this.zones[i]
      if (this.distance(z, lon, lat) > 0) continue
      const held = best.get(z.column)
      if (!held || z.rank < held.rank) best.set(z.column, z)
    }
    if (best.size) {
      const cols = [...best.keys()].sort((a, b) => a - b)
      return this.result(cols.map((c) => [best.get(c)!, 0]))
    }
    const tolerance = this.tolerance(accuracy)
    if (tolerance <= 0) return { matches: [], unit: null }
    const [dlon, dlat] = degreesAround(lat, tolerance)
    let nearest: [number, Zone] | null = null
    for (const i of this.index.search(lon - dlon, lat - dlat, lon + dlon, lat + dlat)) {
      const z = this.zones[i]
      const d = this.distance(z, lon, lat)
      if (
        !nearest ||
        d < nearest[0] ||
        (d === nearest[0] && (z.column < nearest[1].column || (z.column === nearest[1].column && z.rank < nearest[1].rank)))
      )
        nearest = [d, z]
    }
    return nearest && nearest[0] <= tolerance ? this.result([[nearest[1], nearest[0]]]) : { matches: [], unit: null }
  }
}
