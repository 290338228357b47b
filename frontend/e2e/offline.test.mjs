// Installable: the manifest names the app and its PNG icons, the service worker precaches the shell, and the
// app opens with no network at all once it has been opened once.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { browser, server, stage } from './stage.mjs'
import { PHONE, shot } from './browser.mjs'

stage()

test('the manifest: Chinese name, theme colour, 192, 512 and maskable PNG icons that exist', async () => {
  const manifest = await (await fetch(`${server.url}/manifest.webmanifest`)).json()
  assert.equal(manifest.short_name, '巡查')
  assert.match(manifest.name, /文明城市巡查/)
  assert.ok(manifest.theme_color)
  const sizes = manifest.icons.filter((i) => i.type === 'image/png').map((i) => `${i.sizes} ${i.purpose}`)
  assert.deepEqual(sizes.sort(), ['192x192 any', '512x512 any', '512x512 maskable'])
  for (const icon of manifest.icons) {
    const r = await fetch(`${server.url}/${icon.src}`)
    assert.equal(r.status, 200, icon.src)
    if (icon.type === 'image/png') assert.deepEqual([...new Uint8Array(await r.arrayBuffer()).slice(1, 4)], [0x50, 0x4e, 0x47])
  }
})

test('once opened, the app opens offline (the shell is precached by the service worker)', async () => {
  const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', serviceWorkers: 'allow' })
  const page = await context.newPage()
  await page.goto(server.url + '/')
  await page.getByTestId('login-username').waitFor()
  // the service worker installs (precaching the shell) and takes control of the next load
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))
  await page.reload()
  assert.ok(await page.evaluate(() => !!navigator.serviceWorker.controller), 'the page is controlled by the worker')

  await context.setOffline(true)
  await page.reload()
  await page.getByTestId('login-username').waitFor()
  await page.goto(server.url + '/#/field') // any app path: the same shell, then the login guard
  await page.getByTestId('login-submit').waitFor()
  await shot(page, 'offline-login')
  await context.close()
})
