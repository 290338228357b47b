// Metres on the WGS-84 ellipsoid for the small distances locating needs (tens to thousands of metres): a local
// frame whose scale is taken at each piece's own latitude, as close to the server's transverse Mercator as a
// millimetre over a district (a sphere, as turf's haversine uses, is off by up to 0.3 % by direction).
const A = 6378137.0
const E2 = 0.00669437999014
const RAD = Math.PI / 180

export function metresPerDegLat(lat: number): number {
  const s = Math.sin(lat * RAD)
  return (RAD * A * (1 - E2)) / (1 - E2 * s * s) ** 1.5
}

export function metresPerDegLon(lat: number): number {
  const s = Math.sin(lat * RAD)
  return (RAD * A * Math.cos(lat * RAD)) / Math.sqrt(1 - E2 * s * s)
}

type Pos = number[]

/** The length of a line in metres. */
export function lineLength(line: Pos[]): number {
  let sum = 0
  for (let i = 1; i < line.length; i++) {
    const mid = (line[i - 1][1] + line[i][1]) / 2
    sum += Math.hypot((line[i][0] - line[i - 1][0]) * metresPerDegLon(mid), (line[i][1] - line[i - 1][1]) * metresPerDegLat(mid))
  }
  return sum
}

/** The area of a ring in square metres (always positive). */
export function ringArea(ring: Pos[]): number {
  if (ring.length < 3) return 0
  const lat0 = ring[0][1]
  let twice = 0
  for (let i = 1; i < ring.length; i++) {
    const [x1, y1] = ring[i - 1]
    const [x2, y2] = ring[i]
    const mid = (y1 + y2) / 2
    const kx = metresPerDegLon(mid)
    const ky = metresPerDegLat(mid)
    twice += (x2 - x1) * kx * ((y1 - lat0) * ky + (y2 - lat0) * ky)
  }
  return Math.abs(twice / 2)
}

/** The area of a polygon's rings: the outer one less its holes. */
export function polygonArea(rings: Pos[][]): number {
  return rings.reduce((sum, ring, i) => sum + (i === 0 ? 1 : -1) * ringArea(ring), 0)
}

/** Metres from (lon, lat) to the nearest point of a line. */
export function distanceToLine(lon: number, lat: number, line: Pos[]): number {
  const kx = metresPerDegLon(lat)
  const ky = metresPerDegLat(lat)
  let best = Infinity
  for (let i = 0; i < line.length; i++) {
    const ax = (line[i][0] - lon) * kx
    const ay = (line[i][1] - lat) * ky
    if (line.length === 1 || i === 0) {
      best = Math.min(best, Math.hypot(ax, ay))
      if (line.length === 1) break
      continue
    }
    const px = (line[i - 1][0] - lon) * kx
    const py = (line[i - 1][1] - lat) * ky
    const dx = ax - px
    const dy = ay - py
    const len2 = dx * dx + dy * dy
    const t = len2 > 0 ? Math.max(0, Math.min(1, -(px * dx + py * dy) / len2)) : 0
    best = Math.min(best, Math.hypot(px + t * dx, py + t * dy))
  }
  return best
}
