// The JavaScript budget, measured on the built app (npm run build first): for each field screen, the
// gzipped JavaScript its first load fetches — index.html's entry and the screen's route chunk with every chunk
// they import statically. Fails (exit 1) over BUDGET_KB, or when ECharts or Leaflet is among them.
//   npm run size            (reads dist/.vite/manifest.json, written by build.manifest in vite.config.ts)
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const BUDGET_KB = 200
const dist = join(dirname(fileURLToPath(import.meta.url)), '../dist')
// the screens a grid worker or road chief opens first: login, home, report, my reports, patrol (road chiefs)
const SCREENS = {
  login: [],
  'field home': ['src/views/FieldHomeView.vue'],
  report: ['src/views/ReportView.vue'],
  'my reports': ['src/views/MyReportsView.vue'],
  // a unit's self-check (and the office's inspection) on site
  inspect: ['src/views/InspectView.vue'],
  patrol: ['src/views/PatrolView.vue'],
}
const HEAVY = /echarts|zrender|leaflet|supercluster|TrendChart|IssueMap|PatrolMap/i

let manifest
try {
  manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'))
} catch {
  console.error('no dist/.vite/manifest.json: run `npm run build` first')
  process.exit(2)
}
const entry = Object.keys(manifest).find((k) => manifest[k].isEntry && k.endsWith('index.html'))
const gz = new Map()
const gzipKB = (file) => {
  if (!gz.has(file)) gz.set(file, gzipSync(readFileSync(join(dist, file))).length / 1024)
  return gz.get(file)
}

/** The chunk keys a load of `keys` fetches: them and their static imports, transitively. */
function closure(keys) {
  const seen = new Set()
  const walk = (k) => {
    if (seen.has(k) || !manifest[k]) return
    seen.add(k)
    for (const i of manifest[k].imports ?? []) walk(i)
  }
  keys.forEach(walk)
  return seen
}

let failed = false
const rows = []
for (const [screen, views] of Object.entries(SCREENS)) {
  const missing = views.filter((v) => !manifest[v])
  if (missing.length) {
    console.error(`${screen}: ${missing.join(', ')} not in the build`)
    failed = true
    continue
  }
  const chunks = [...closure([entry, ...views])]
  const js = chunks.map((k) => manifest[k].file).filter((f) => f.endsWith('.js'))
  const kb = js.reduce((sum, f) => sum + gzipKB(f), 0)
  const heavy = chunks.filter((k) => HEAVY.test(k) || HEAVY.test(manifest[k].file) || HEAVY.test(manifest[k].name ?? ''))
  const ok = kb <= BUDGET_KB && heavy.length === 0
  failed ||= !ok
  rows.push({ screen, 'JS gzip KB': kb.toFixed(1), chunks: js.length, heavy: heavy.join(' ') || '-', ok: ok ? 'ok' : 'OVER' })
}
console.table(rows)
const all = Object.values(manifest).filter((c) => c.file.endsWith('.js'))
const total = all.reduce((s, c) => s + gzipKB(c.file), 0)
console.log(`budget: ${BUDGET_KB} KB of JavaScript gzipped per field screen's first load; whole app ${total.toFixed(1)} KB in ${all.length} chunks`)
if (failed) {
  console.error('over budget, or a heavy library on a field screen')
  process.exit(1)
}
