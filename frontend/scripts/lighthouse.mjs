// Lighthouse (mobile preset) on the built app served by the real server on 127.0.0.1, in Debian's Chromium:
// the login page and a field screen (the grid worker's home, signed in). Prints performance, accessibility
// and best practices for each; exits 1 when one is under 90. Each page is run RUNS times and the median run
// (by performance) is kept, as Lighthouse's authors advise: on a shared machine one run's timings vary a lot.
//   npm run build && npm run lighthouse        (CHROME_PATH overrides /usr/bin/chromium)
import { mkdirSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as chromeLauncher from 'chrome-launcher'
import lighthouse from 'lighthouse'
import { chromium } from 'playwright-core'
import { startServer } from '../e2e/server.mjs'

const MIN = 90
const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 3)
const CATEGORIES = ['performance', 'accessibility', 'best-practices']
const out = join(dirname(fileURLToPath(import.meta.url)), '../e2e/screenshots')

const server = await startServer()
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-dev-shm-usage'],
})
let failed = false
try {
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`)
  /** A field worker's session in the profile's localStorage, as the app keeps it after a sign-in. */
  async function signIn() {
    const page = await browser.contexts()[0].newPage()
    await page.goto(`${server.url}/#/login`)
    const token = await server.token('demo_grid')
    await page.evaluate((access) => {
      localStorage.setItem('xuncha.tokens', JSON.stringify({ access, refresh: null, accessExpiresAt: 0 }))
    }, token)
    await page.close()
  }

  const pages = [
    // the login page with clean storage (no session), the field home with the session kept
    { name: 'login', url: `${server.url}/#/login`, keepStorage: false },
    { name: 'field home', url: `${server.url}/#/field`, keepStorage: true },
  ]
  const rows = []
  mkdirSync(out, { recursive: true })
  for (const p of pages) {
    if (p.keepStorage) await signIn()
    const runs = []
    for (let i = 0; i < RUNS; i++) {
      runs.push(
        await lighthouse(p.url, {
          port: chrome.port,
          output: ['html', 'json'],
          logLevel: 'error',
          onlyCategories: CATEGORIES,
          disableStorageReset: p.keepStorage,
        }),
      )
    }
    const perf = (r) => r.lhr.categories.performance.score ?? 0
    console.log(`  ${p.name}: performance of ${RUNS} runs ${runs.map((r) => Math.round(perf(r) * 100)).join(', ')}`)
    const result = runs.sort((a, b) => perf(a) - perf(b))[Math.floor(runs.length / 2)]
    const lhr = result.lhr
    const base = join(out, `lighthouse-${p.name.replace(' ', '-')}`)
    writeFileSync(`${base}.html`, result.report[0])
    writeFileSync(`${base}.json`, result.report[1])
    // how fast this machine was (Lighthouse's own CPU benchmark) and how busy: performance depends on both
    const row = { page: p.name, url: lhr.finalDisplayedUrl, 'cpu index': lhr.environment.benchmarkIndex }
    for (const c of CATEGORIES) {
      const score = Math.round((lhr.categories[c].score ?? 0) * 100)
      row[c] = score
      if (score < MIN) failed = true
    }
    rows.push(row)
    for (const c of CATEGORIES)
      for (const ref of lhr.categories[c].auditRefs) {
        const a = lhr.audits[ref.id]
        if (ref.weight > 0 && a.score !== null && a.score < 0.9)
          console.log(`  ${p.name} · ${c}: ${a.id} ${a.displayValue ?? ''} (${Math.round(a.score * 100)}) ${a.title}`)
      }
  }
  console.table(rows)
  console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on this machine during the runs`)
  console.log(`Lighthouse ${(await import('lighthouse/package.json', { with: { type: 'json' } })).default.version}, mobile preset, median of ${RUNS} runs; each category must be ≥ ${MIN}; reports in e2e/screenshots/lighthouse-*.html`)
  await browser.close().catch(() => undefined)
} finally {
  await chrome.kill()
  await server.stop()
}
if (failed) {
  console.error(`a score is under ${MIN}`)
  process.exit(1)
}
