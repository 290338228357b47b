// A grid worker reports with a photo at a mocked position, goes offline, reports again, comes back online,
// and both reports reach the server exactly once.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { browser, server, stage } from './stage.mjs'
import { installed, login, outboxCount, phone, shot, waitFor } from './browser.mjs'
import { photoFile } from './photos.mjs'
import { inFirstGrid } from './server.mjs'

let context, page, spot, unitName, started

stage(async () => {
  // the demo history may have this worker report minutes before the seed: ours are those made after it
  started = Date.now() - 1000
  // a point inside the first grid of the demo district, and the unit the server gives it
  spot = await inFirstGrid(server)
  const located = await server.api(`/api/v1/locate?lat=${spot.latitude}&lon=${spot.longitude}`)
  const config = await server.api('/api/v1/client-config').catch(() => ({ units: [] }))
  unitName = config.units?.find((u) => u.code === located.unit)?.name ?? located.unit
  context = await phone(browser, server.url, { position: spot, serviceWorkers: 'allow' })
  page = await context.newPage()
  await login(page, 'demo_grid')
  await installed(page)
})

async function mine() {
  const page = await server.api('/api/v1/issues?limit=100')
  return page.items.filter((i) => i.reporter === 'demo_grid' && Date.parse(i.created_at) > started)
}

async function report(seed, category, note) {
  await page.getByTestId('nav-report').click()
  await page.getByTestId('report-photo').setInputFiles(photoFile(seed))
  await page.locator('.photos .thumb img').first().waitFor()
  await page.getByTestId('report-category').click()
  await page.getByTestId(`category-${category}`).click()
  await page.locator('.picker').waitFor({ state: 'hidden' })
  await page.getByTestId('report-note').locator('textarea').fill(note)
  await page.getByTestId('report-zone').getByText(unitName, { exact: true }).waitFor()
}

test('a report with a photo at the phone position reaches the server', async () => {
  await shot(page, 'field-home')
  await report(1, 'env.litter', '路口有暴露垃圾')
  await shot(page, 'report-filled')
  await page.getByTestId('report-category').click()
  await page.waitForTimeout(400) // the sheet's slide-in
  await shot(page, 'report-category-picker')
  await page.getByTestId('category-env.litter').click()
  await page.locator('.picker').waitFor({ state: 'hidden' })
  await page.getByTestId('report-submit').click()
  await page.waitForURL(/#\/field/)
  await waitFor('the report on the server', async () => (await mine()).length === 1)
  await waitFor('an empty outbox', async () => (await outboxCount(page)) === 0)
  const [issue] = await mine()
  assert.equal(issue.category, 'env.litter')
  assert.equal(issue.description, '路口有暴露垃圾')
  assert.ok(Math.abs(issue.lat - spot.latitude) < 1e-6 && Math.abs(issue.lon - spot.longitude) < 1e-6)
  assert.equal(issue.photos.length, 1)
})

test('a report made offline waits, is counted, and goes once the network returns', async () => {
  await context.setOffline(true)
  await report(2, 'fac.lamp', '路灯不亮')
  await page.getByTestId('report-submit').click()
  await page.waitForURL(/#\/field/)
  await waitFor('待上传 1', async () => (await outboxCount(page)) === 1)
  await shot(page, 'field-home-offline-waiting')
  await page.getByTestId('outbox-count').click()
  await page.getByText('等待网络，恢复后自动上传').waitFor()
  await shot(page, 'outbox-waiting')
  assert.equal((await mine()).length, 1)

  await context.setOffline(false)
  await waitFor('the outbox to empty', async () => (await outboxCount(page)) === 0)
  await waitFor('the second report on the server', async () => (await mine()).length === 2)
  const issues = await mine()
  assert.deepEqual(issues.map((i) => i.category).sort(), ['env.litter', 'fac.lamp'])
  assert.equal(new Set(issues.map((i) => i.id)).size, 2)
  await shot(page, 'outbox-empty')
  // nothing arrives twice, even a while later
  await new Promise((r) => setTimeout(r, 2000))
  assert.equal((await mine()).length, 2)
})

test('my reports list both, and one opens with its photo and timeline', async () => {
  await page.locator('.van-tabbar').getByText('我的上报').click()
  await page.waitForURL(/#\/mine/)
  const rows = page.getByTestId('my-report')
  // the demo grid worker has older reports too: ours are the newest two
  await waitFor('our two rows on top', async () => (await rows.count()) >= 2)
  const titles = await rows.locator('.van-cell__title > span').allTextContents()
  assert.deepEqual(titles.slice(0, 2), ['路灯损坏', '暴露垃圾、果壳纸屑'])
  await shot(page, 'my-reports')
  await rows.first().click()
  await page.waitForURL(/#\/mine\//)
  await page.getByText('办理过程').waitFor()
  await page.locator('.photo[src^="blob:"]').first().waitFor()
  await shot(page, 'my-report-detail')
  await page.locator('.van-tabbar').getByText('我的', { exact: true }).click()
  await page.getByText('退出登录').waitFor()
  await shot(page, 'me')
})
