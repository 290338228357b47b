// The stage every e2e file plays on: the real server on a fresh seeded database, and Chromium; started before the
// file's tests, stopped after them. `server` and `browser` are live bindings: they hold the running ones once the
// file's first `before` hook has run.
//   import { browser, server, stage } from './stage.mjs'
//   stage()                                  // or stage(async () => { ...the file's own set-up... })
import { after, before } from 'node:test'
import { launch } from './browser.mjs'
import { startServer } from './server.mjs'

export let server
export let browser

/** Registers the file's start and stop hooks; `setUp` runs once both are up (in the same hook: a file's own
 *  `before` hook is not awaited after this one's). */
export function stage(setUp = async () => {}) {
  before(async () => {
    server = await startServer()
    browser = await launch()
    await setUp()
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })
}
