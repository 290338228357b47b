// The phone locates points as the server does: the same zones, the same unit, for the demo district.
// The fixture comes from tests/fixtures/dump_locate.py (the server's own /locate answers).
import { describe, expect, it } from 'vitest'
import { layerOrder, PhoneZoneIndex, type ZoneCollection } from '@/geo/locate'
import { lineLength, polygonArea } from '@/geo/metric'
import data from './fixtures/demo_locate.json'

interface Fixture {
  rules: { layer_precedence: string[]; snap_m: number; snap_max_m: number }
  zones: ZoneCollection
  points: {
    lat: number
    lon: number
    accuracy_m: number | null
    unit: string | null
    matches: { layer: string; code: string; distance_m: number }[]
  }[]
}

const fixture = data as unknown as Fixture
const index = new PhoneZoneIndex(fixture.zones, fixture.rules)

const areas = new Map(
  fixture.zones.features.map((f) => {
    const g = f.geometry
    const area =
      g.type === 'Polygon' ? polygonArea(g.coordinates)
      : g.type === 'MultiPolygon' ? g.coordinates.reduce((s, r) => s + polygonArea(r), 0)
      : g.type === 'LineString' ? lineLength(g.coordinates) * (f.properties.width_m ?? 10)
      : 0
    return [`${f.properties.layer}/${f.properties.code}`, area]
  }),
)

/** Two zones of one layer the same size to a millionth (the demo's identical shop fronts): either may win. */
function sameSize(layer: string, a: string, b: string): boolean {
  const x = areas.get(`${layer}/${a}`)!
  const y = areas.get(`${layer}/${b}`)!
  return Math.abs(x - y) <= 1e-6 * Math.max(x, y)
}

/** Within a metre of a rule's threshold the server's metric frame and the phone's geodesic may differ. */
function borderline(p: Fixture['points'][number]): boolean {
  const near = (a: number, b: number) => Math.abs(a - b) < 1
  const tol = index.tolerance(p.accuracy_m)
  const phone = index.locate(p.lon, p.lat, p.accuracy_m)
  const ds = [...p.matches, ...phone.matches].map((m) => m.distance_m)
  return ds.some((d) => near(d, tol) || (d > 0 && d < 1))
}

describe('locating on the phone', () => {
  it('gives the unit the server gives, for every point of the demo district', () => {
    const wrong = fixture.points.filter((p) => index.locate(p.lon, p.lat, p.accuracy_m).unit !== p.unit && !borderline(p))
    expect(wrong).toEqual([])
  })

  it('finds the same zone in every layer, at the same distance', () => {
    let compared = 0
    for (const p of fixture.points) {
      if (borderline(p)) continue
      const phone = index.locate(p.lon, p.lat, p.accuracy_m)
      const mine = phone.matches.map((m, i) => {
        const theirs = p.matches[i]
        return theirs && m.layer === theirs.layer && sameSize(m.layer, m.code, theirs.code) ? [m.layer, theirs.code] : [m.layer, m.code]
      })
      expect(mine, `${p.lat},${p.lon}`).toEqual(p.matches.map((m) => [m.layer, m.code]))
      phone.matches.forEach((m, i) => expect(m.distance_m).toBeCloseTo(p.matches[i].distance_m, -0.3))
      compared++
    }
    expect(compared).toBeGreaterThan(fixture.points.length * 0.9)
    // the sample covers the cases that matter: inside several layers, snapped, and nowhere
    expect(fixture.points.some((p) => p.matches.length > 1)).toBe(true)
    expect(fixture.points.some((p) => p.matches.length === 1 && p.matches[0].distance_m > 0)).toBe(true)
    expect(fixture.points.some((p) => p.matches.length === 0)).toBe(true)
    expect(fixture.points.some((p) => p.matches.some((m) => m.layer === 'road'))).toBe(true)
  })

  it('orders layers by the precedence, then the rest', () => {
    expect(layerOrder(['road', 'grid'], ['site', 'zz'])).toEqual(['road', 'grid', 'site', 'compound', 'building', 'frontage', 'zz'])
  })

  it('snaps no farther than the tolerance, widened by poor accuracy up to snap_max_m', () => {
    expect(index.tolerance(null)).toBe(30)
    expect(index.tolerance(10)).toBe(30)
    expect(index.tolerance(60)).toBe(60)
    expect(index.tolerance(500)).toBe(100)
  })

  it('knows nothing far from every zone', () => {
    expect(index.locate(0, 0, 5)).toEqual({ matches: [], unit: null })
  })
})
