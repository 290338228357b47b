import { describe, expect, it } from 'vitest'
import { shortcutsFor, tabsFor } from '@/roles'
import { routes } from '@/router'

const ROLES = ['admin', 'office', 'unit', 'grid_worker', 'road_chief']

/** Whether a role may open the named route (a route without roles is open to everyone signed in). */
function mayOpen(role: string, name: string): boolean {
  const route = routes.find((r) => r.name === name)
  if (!route) return false
  const roles = route.meta?.roles as string[] | undefined
  return !roles || roles.includes(role)
}

describe('what each role reaches', () => {
  it.each(ROLES)('%s: every tab and shortcut is a route it may open', (role) => {
    for (const t of [...tabsFor(role), ...shortcutsFor(role)]) expect(mayOpen(role, t.name), `${role} → ${t.name}`).toBe(true)
  })
  it('gives the office its command screens and everyone else in the field the check-in', () => {
    expect(shortcutsFor('office').map((t) => t.name)).toEqual(['coverage', 'command', 'duty'])
    for (const role of ['unit', 'grid_worker', 'road_chief']) expect(shortcutsFor(role).map((t) => t.name)).toEqual(['checkin'])
  })
})
