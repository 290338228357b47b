// A report the server refuses stays in 待上传 with the reason in plain Chinese, and is fixed there: its category
// was retired while it waited with no signal; the worker picks another one and it arrives, once.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { test } from 'node:test'
import { browser, server, stage } from './stage.mjs'
import { installed, login, outboxCount, phone, shot, waitFor } from './browser.mjs'
import { photoFile } from './photos.mjs'
import { REPO, inFirstGrid } from './server.mjs'

/** Retires a category the way an admin's change of the catalogue would (there is no route for it). */
function retire(code) {
  const db = join(server.dir, 'xuncha.db')
  const sql = `import sqlite3; c = sqlite3.connect(${JSON.stringify(db)}); c.execute("update category set active = 0 where code = ?", (${JSON.stringify(code)},)); c.commit()`
  execFileSync(join(REPO, '.venv/bin/python'), ['-c', sql])
}

stage()

test('a report refused for a retired category is fixed in 待上传 and arrives once', async () => {
  const started = Date.now() - 1000
  const mine = async () =>
    (await server.api('/api/v1/issues?limit=100')).items.filter((i) => i.reporter === 'demo_grid' && Date.parse(i.created_at) > started)
  const context = await phone(browser, server.url, { position: await inFirstGrid(server) })
  const page = await context.newPage()
  await login(page, 'demo_grid')
  await page.getByTestId('nav-report').click()
  await page.getByTestId('report-zone').waitFor()
  await page.getByTestId('report-category').click()
  await page.getByTestId('category-fac.lamp').click() // the categories are on the phone now
  await page.locator('.picker').waitFor({ state: 'hidden' })

  // made with no signal; meanwhile the office retires the category
  await context.setOffline(true)
  await page.getByTestId('report-photo').setInputFiles(photoFile(91))
  await page.locator('.photos .thumb img').first().waitFor()
  await page.getByTestId('report-note').locator('textarea').fill('路灯不亮')
  await page.getByTestId('report-submit').click()
  await page.waitForURL(/#\/field/)
  await waitFor('待上传 1', async () => (await outboxCount(page)) === 1)
  retire('fac.lamp')
  await context.setOffline(false)

  // refused: kept, with the reason, nothing on the server
  await page.getByTestId('outbox-count').click()
  const item = page.getByTestId('outbox-item-refused')
  await item.getByText('问题类别已停用，请重新选择类别').waitFor()
  assert.equal((await mine()).length, 0)
  await shot(page, 'outbox-report-refused')

  // fixed: another category, the photo and note kept; sent once
  await item.getByText('修改', { exact: true }).click()
  await page.waitForURL(/#\/report\?fix=/)
  assert.equal(await page.getByTestId('report-note').locator('textarea').inputValue(), '路灯不亮')
  await page.locator('.photos .thumb img').first().waitFor()
  await page.getByTestId('report-category').click()
  await page.getByTestId('category-other').waitFor()
  assert.equal(await page.getByTestId('category-fac.lamp').count(), 0, 'the retired category is no longer offered')
  await page.getByTestId('category-other').click()
  await page.locator('.picker').waitFor({ state: 'hidden' })
  await page.getByTestId('report-submit').click()
  await waitFor('the fixed report on the server', async () => (await mine()).length === 1)
  await waitFor('an empty outbox', async () => (await outboxCount(page)) === 0)
  const [issue] = await mine()
  assert.notEqual(issue.category, 'fac.lamp')
  assert.equal(issue.description, '路灯不亮')
  assert.equal(issue.photos.length, 1)
  await new Promise((r) => setTimeout(r, 1500))
  assert.equal((await mine()).length, 1, 'once')
  await context.close()
})

test('what a report needs is on the phone once the home has opened: a report can be made with no signal at once', async () => {
  // installed: the service worker holds the app's screens, as on a phone that has opened it once
  const context = await phone(browser, server.url, { position: await inFirstGrid(server), serviceWorkers: 'allow' })
  const page = await context.newPage()
  await login(page, 'demo_grid')
  await installed(page)
  await page.getByTestId('nav-report-big').waitFor()
  await page.waitForLoadState('networkidle')
  await context.setOffline(true)
  await page.getByTestId('nav-report').click()
  await page.getByTestId('report-category').click()
  await page.getByTestId('category-env.litter').waitFor()
  const offered = (await server.api('/api/v1/categories')).length
  assert.equal(await page.locator('[data-testid^="category-"]').count(), offered, 'every category offered')
  await context.close()
})
