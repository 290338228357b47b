// An ended session against the real server: an access token the server no longer takes is traded for a new
// pair without the user noticing; a session that cannot be refreshed asks the user to sign in again, and a
// report made meanwhile waits in 待上传 and arrives exactly once after the sign-in.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { browser, server, stage } from './stage.mjs'
import { login, phone, shot, waitFor } from './browser.mjs'
import { photoFile } from './photos.mjs'
import { inFirstGrid, PASSWORD } from './server.mjs'

let spot

stage(async () => {
  spot = await inFirstGrid(server)
})

const tokens = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('xuncha.tokens')))
/** What a phone holds after the server forgot it: a token it no longer takes (and, if told, a dead refresh token). */
const spoil = (page, { refresh }) =>
  page.evaluate((refresh) => {
    const t = JSON.parse(localStorage.getItem('xuncha.tokens'))
    t.access = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZW1vX2dyaWQifQ.c3BvaWxlZA' // not signed by this server
    t.accessExpiresAt = 0 // unknown: no refresh ahead of time, the server's 401 must start it
    if (refresh) t.refresh = 'no-such-refresh-token'
    localStorage.setItem('xuncha.tokens', JSON.stringify(t))
  }, refresh)

async function mine(after) {
  const page = await server.api('/api/v1/issues?limit=100')
  return page.items.filter((i) => i.reporter === 'demo_grid' && i.created_at > after)
}

test('a token the server no longer takes is refreshed and the request replayed: the user sees nothing', async () => {
  const context = await phone(browser, server.url)
  const page = await context.newPage()
  await login(page, 'demo_grid')
  const before = await tokens(page)
  await spoil(page, { refresh: false })
  const spoiled = (await tokens(page)).access
  const refreshed = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/refresh'))
  const listed = page.waitForResponse((r) => r.url().includes('/api/v1/issues?') && r.status() === 200)
  await page.goto('/#/mine')
  assert.equal((await refreshed).status(), 200)
  await listed // the list's request, replayed with the new token
  const after = await tokens(page)
  assert.notEqual(after.access, spoiled)
  assert.notEqual(after.refresh, before.refresh, 'the server rotates the refresh token')
  assert.ok(after.accessExpiresAt > Date.now())
  await page.waitForTimeout(300)
  assert.equal(await page.getByText('请重新登录').count(), 0, 'no sign-in asked for')
  assert.match(new URL(page.url()).hash, /#\/mine/)
  await context.close()
})

test('a session that cannot be refreshed asks for the password; the report made meanwhile arrives once after it', async () => {
  const started = new Date(Date.now() - 1000).toISOString()
  const context = await phone(browser, server.url, { position: spot })
  const page = await context.newPage()
  await login(page, 'demo_grid')
  await page.getByTestId('nav-report').click()
  await page.getByTestId('report-zone').waitFor()
  await page.getByTestId('report-category').click()
  await page.getByTestId('category-env.litter').click() // what a report needs is on the phone now
  await page.locator('.picker').waitFor({ state: 'hidden' })

  // made with no signal; meanwhile the server forgets the session (the phone lay unused for days)
  await context.setOffline(true)
  await page.getByTestId('report-photo').setInputFiles(photoFile(41))
  await page.locator('.photos .thumb img').first().waitFor()
  await page.getByTestId('report-note').locator('textarea').fill('会话过期时上报')
  await page.getByTestId('report-submit').click()
  await page.waitForURL(/#\/field/)
  await spoil(page, { refresh: true })
  await context.setOffline(false)

  // the outbox meets the 401, the refresh is refused: the user is asked to sign in again, the report waits
  const again = page.locator('.again')
  await again.getByTestId('login-password').waitFor()
  assert.equal(await again.getByTestId('login-username').locator('input').inputValue(), 'demo_grid')
  await page.waitForTimeout(400) // the sheet's slide-in
  await shot(page, 'session-sign-in-again')
  assert.equal((await mine(started)).length, 0)
  assert.equal(await page.getByTestId('outbox-count').textContent(), '1')

  await again.getByTestId('login-password').locator('input').fill(PASSWORD)
  await again.getByTestId('login-submit').click()
  await again.waitFor({ state: 'hidden' })
  await waitFor('the report on the server', async () => (await mine(started)).length === 1)
  await waitFor('an empty outbox', async () => (await page.getByTestId('outbox-count').count()) === 0)
  await page.waitForTimeout(1500) // nothing more arrives
  const [issue] = await mine(started)
  assert.equal(issue.description, '会话过期时上报')
  assert.equal((await mine(started)).length, 1)
  await context.close()
})
