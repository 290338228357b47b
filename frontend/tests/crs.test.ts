// The TS port of the forward transforms against values computed by the server's app/geo/crs.py:
//   python -c "from app.geo.crs import from_wgs84; print(from_wgs84(120.15507, 30.27408, 'gcj02'))"
import { describe, expect, test } from 'vitest'
import { fromWgs84, geometryFromWgs84, toWgs84 } from '@/geo/crs'

// [wgs84 lon, lat], gcj02, bd09 as app/geo/crs.py answers them
const CASES: [[number, number], [number, number], [number, number]][] = [
  [[120.15507, 30.27408], [120.15976456410043, 30.271751274511992], [120.16632831118744, 30.27757976221142]],
  [[116.397128, 39.916527], [116.40337249402477, 39.91793074924595], [116.40973933698186, 39.92426929401509]],
  [[121.4737, 31.2304], [121.47822305927693, 31.22845773757727], [121.484781468503, 31.234310593689997]],
  [[113.2644, 23.1291], [113.26972959210308, 23.126423339922844], [113.27615075157122, 23.13271125723948]],
  [[2.3522, 48.8566], [2.3522, 48.8566], [2.3522, 48.8566]], // outside China: unchanged
]

describe('fromWgs84 matches app/geo/crs.py', () => {
  test.each(CASES)('%j', ([lon, lat], gcj, bd) => {
    const g = fromWgs84(lon, lat, 'gcj02')
    const b = fromWgs84(lon, lat, 'bd09')
    // 1e-9 degrees is about 0.1 mm
    expect(g[0]).toBeCloseTo(gcj[0], 9)
    expect(g[1]).toBeCloseTo(gcj[1], 9)
    expect(b[0]).toBeCloseTo(bd[0], 9)
    expect(b[1]).toBeCloseTo(bd[1], 9)
    expect(fromWgs84(lon, lat, 'wgs84')).toEqual([lon, lat])
  })
})

test('a polygon is shifted position by position, the original untouched', () => {
  const ring = [[120.15507, 30.27408], [116.397128, 39.916527], [120.15507, 30.27408]]
  const poly = { type: 'Polygon', coordinates: [ring] }
  const moved = geometryFromWgs84(poly, 'gcj02') as typeof poly
  expect(moved.coordinates[0][0][0]).toBeCloseTo(120.15976456410043, 9)
  expect(moved.coordinates[0][1][1]).toBeCloseTo(39.91793074924595, 9)
  expect(poly.coordinates[0][0]).toEqual([120.15507, 30.27408])
  expect(geometryFromWgs84(poly, 'wgs84')).toBe(poly)
})

describe('toWgs84 undoes fromWgs84 (a marker dragged on GCJ-02 or BD-09 tiles)', () => {
  test.each(CASES)('%j', ([lon, lat], gcj, bd) => {
    for (const [crs, shifted] of [['gcj02', gcj], ['bd09', bd]] as const) {
      const [x, y] = toWgs84(shifted[0], shifted[1], crs)
      expect(x).toBeCloseTo(lon, 8) // 1e-8 degrees: about a millimetre
      expect(y).toBeCloseTo(lat, 8)
    }
    expect(toWgs84(lon, lat, 'wgs84')).toEqual([lon, lat])
  })
})
