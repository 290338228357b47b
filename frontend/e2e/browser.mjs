// Debian's Chromium through playwright-core, as a phone (390×844), with helpers the e2e tests share.
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { PASSWORD } from './server.mjs'

const here = dirname(fileURLToPath(import.meta.url))
export const SHOTS = join(here, 'screenshots')
export const PHONE = { width: 390, height: 844 }

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/** A phone-sized context: Chinese locale, Shanghai time, touch; geolocation granted when a position is given. */
/** serviceWorkers: 'allow' to run the app as installed (its shell precached: it opens and works offline). */
export async function phone(browser, baseURL, { position, viewport = PHONE, serviceWorkers = 'block' } = {}) {
  const context = await browser.newContext({
    baseURL,
    viewport,
    deviceScaleFactor: 1,
    isMobile: viewport.width < 700,
    hasTouch: viewport.width < 700,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    serviceWorkers,
  })
  // the app's own errors, in the test's output
  context.on('weberror', (e) => console.error('page error:', e.error()))
  context.on('console', (msg) => msg.type() === 'error' && console.error('console:', msg.text()))
  if (position) {
    await context.grantPermissions(['geolocation'], { origin: baseURL })
    await context.setGeolocation({ accuracy: 8, ...position })
  }
  return context
}

export async function login(page, username) {
  await page.goto('/')
  await page.getByTestId('login-username').locator('input').fill(username)
  await page.getByTestId('login-password').locator('input').fill(PASSWORD)
  await page.getByTestId('login-submit').click()
  await page.waitForURL((u) => !u.hash.startsWith('#/login'))
}

/** Waits until the service worker has precached the app shell and controls the page. */
export async function installed(page) {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))
  // a first install does not take over the open page (the update prompt's rule): the next load is controlled
  if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) await page.reload()
  await page.waitForFunction(() => !!navigator.serviceWorker.controller)
}

/** Saves a screenshot of the page as e2e/screenshots/<name>.png (gitignored). */
export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: join(SHOTS, `${name}.png`) })
}

/** Polls `check` until it holds, or fails after `ms` naming what it waited for. */
export async function waitFor(what, check, ms = 30_000) {
  const until = Date.now() + ms
  while (Date.now() < until) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`waited ${ms} ms for ${what}`)
}

/** The number on the 待上传 badge (0 when it is not shown). */
export async function outboxCount(page) {
  const badge = page.getByTestId('outbox-count')
  return (await badge.count()) ? Number(await badge.textContent()) : 0
}
