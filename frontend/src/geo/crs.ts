// WGS-84 -> GCJ-02 / BD-09, ported from app/geo/crs.py (and inverted by iteration): the map's overlays are
// WGS-84 and a tile layer in GCJ-02 (AMap, Tencent) or BD-09 (Baidu) needs them shifted to sit on its streets.
// Points outside the rough China box pass through unchanged, as the convention (and the server) does.

export type TileCrs = 'wgs84' | 'gcj02' | 'bd09'

/** A tile CRS as the server's settings name it; anything else (or none) is WGS-84. */
export const asTileCrs = (name: string | null | undefined): TileCrs => (name === 'gcj02' || name === 'bd09' ? name : 'wgs84')

const A = 6378245.0 // the Krasovsky semi-major axis used by the published GCJ-02 code
const EE = 0.00669342162296594323
const X_PI = (Math.PI * 3000.0) / 180.0

export function inChina(lon: number, lat: number): boolean {
  return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271
}

function transformLat(x: number, y: number): number {
  let ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x))
  ret += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0
  ret += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0
  ret += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0
  return ret
}

function transformLon(x: number, y: number): number {
  let ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x))
  ret += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0
  ret += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0
  ret += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0
  return ret
}

export function wgs84ToGcj02(lon: number, lat: number): [number, number] {
  if (!inChina(lon, lat)) return [lon, lat]
  let dlat = transformLat(lon - 105.0, lat - 35.0)
  let dlon = transformLon(lon - 105.0, lat - 35.0)
  const radlat = (lat / 180.0) * Math.PI
  const magic = 1 - EE * Math.sin(radlat) ** 2
  const sqrtmagic = Math.sqrt(magic)
  dlat = (dlat * 180.0) / (((A * (1 - EE)) / (magic * sqrtmagic)) * Math.PI)
  dlon = (dlon * 180.0) / ((A / sqrtmagic) * Math.cos(radlat) * Math.PI)
  return [lon + dlon, lat + dlat]
}

export function gcj02ToBd09(lon: number, lat: number): [number, number] {
  if (!inChina(lon, lat)) return [lon, lat]
  const z = Math.sqrt(lon * lon + lat * lat) + 0.00002 * Math.sin(lat * X_PI)
  const theta = Math.atan2(lat, lon) + 0.000003 * Math.cos(lon * X_PI)
  return [z * Math.cos(theta) + 0.0065, z * Math.sin(theta) + 0.006]
}

/** (lon, lat) in WGS-84 -> (lon, lat) in `crs`. */
export function fromWgs84(lon: number, lat: number, crs: TileCrs): [number, number] {
  if (crs === 'gcj02') return wgs84ToGcj02(lon, lat)
  if (crs === 'bd09') return gcj02ToBd09(...wgs84ToGcj02(lon, lat))
  return [lon, lat]
}

/**
 * (lon, lat) in `crs` -> WGS-84: the forward transform inverted by fixed-point iteration (a point dragged on
 * GCJ-02 tiles back to where the phone's GPS would put it); within 1e-9 degrees after a few rounds.
 */
export function toWgs84(lon: number, lat: number, crs: TileCrs): [number, number] {
  if (crs === 'wgs84') return [lon, lat]
  let w: [number, number] = [lon, lat]
  for (let i = 0; i < 10; i++) {
    const [x, y] = fromWgs84(w[0], w[1], crs)
    const [dx, dy] = [x - lon, y - lat]
    w = [w[0] - dx, w[1] - dy]
    if (Math.abs(dx) < 1e-10 && Math.abs(dy) < 1e-10) break
  }
  return w
}

/** A GeoJSON geometry's positions moved from WGS-84 into `crs` (a new object; wgs84 returns it as is). */
export function geometryFromWgs84<G extends { type: string }>(geometry: G, crs: TileCrs): G {
  if (crs === 'wgs84') return geometry
  const move = (c: unknown): unknown =>
    typeof (c as number[])[0] === 'number'
      ? [...fromWgs84((c as number[])[0], (c as number[])[1], crs), ...(c as number[]).slice(2)]
      : (c as unknown[]).map(move)
  const g = geometry as unknown as { coordinates?: unknown; geometries?: { type: string }[] }
  if (g.geometries) return { ...geometry, geometries: g.geometries.map((x) => geometryFromWgs84(x, crs)) }
  return { ...geometry, coordinates: move(g.coordinates) }
}
