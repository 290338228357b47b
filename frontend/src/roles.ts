// Which screens each role works in: its home and its tab bar. The one place that says so.
import type { RouteLocationRaw } from 'vue-router'
import { m } from '@/messages'

export interface Tab {
  name: string // route name
  label: string
  icon: string // a Vant icon name
  testid?: string
}

const FIELD = ['grid_worker', 'road_chief']
const OFFICE = ['office', 'admin']

export const isFieldRole = (role: string | undefined): boolean => !!role && FIELD.includes(role)
export const isOfficeRole = (role: string | undefined): boolean => !!role && OFFICE.includes(role)

export function tabsFor(role: string | undefined): Tab[] {
  const n = m.nav
  if (role === 'road_chief')
    return [
      { name: 'field-home', label: n.home, icon: 'home-o' },
      { name: 'report', label: n.report, icon: 'photograph', testid: 'nav-report' },
      { name: 'patrol', label: n.patrol, icon: 'guide-o', testid: 'nav-patrol' },
      { name: 'mine', label: n.mine, icon: 'orders-o' },
      { name: 'me', label: n.me, icon: 'user-o' },
    ]
  if (isFieldRole(role))
    return [
      { name: 'field-home', label: n.home, icon: 'home-o' },
      { name: 'report', label: n.report, icon: 'photograph', testid: 'nav-report' },
      { name: 'mine', label: n.mine, icon: 'orders-o' },
      { name: 'me', label: n.me, icon: 'user-o' },
    ]
  if (role === 'unit')
    return [
      { name: 'tasks', label: n.tasks, icon: 'todo-list-o' },
      { name: 'sites', label: n.sites, icon: 'location-o', testid: 'nav-sites' },
      { name: 'directives', label: n.directives, icon: 'bullhorn-o', testid: 'nav-directives' },
      { name: 'score', label: n.score, icon: 'medal-o', testid: 'nav-score' },
      { name: 'me', label: n.me, icon: 'user-o' },
    ]
  if (isOfficeRole(role))
    return [
      { name: 'review', label: n.review, icon: 'records-o' },
      { name: 'verify', label: n.verify, icon: 'passed' },
      { name: 'sites', label: n.sites, icon: 'location-o', testid: 'nav-sites' },
      { name: 'dashboard', label: n.dashboard, icon: 'chart-trending-o' },
      { name: 'me', label: n.me, icon: 'user-o' },
    ]
  return [{ name: 'me', label: n.me, icon: 'user-o' }]
}

/** The screens a role reaches beside its tabs: from 我的, and the office's also from its dashboard. */
export function shortcutsFor(role: string | undefined): Tab[] {
  if (isOfficeRole(role))
    return [
      { name: 'coverage', label: m.coverage.link, icon: 'guide-o', testid: 'nav-coverage' },
      { name: 'command', label: m.command.link, icon: 'bullhorn-o', testid: 'nav-command' },
      { name: 'duty', label: m.duty.link, icon: 'friends-o', testid: 'nav-duty' },
    ]
  if (role === 'unit' || isFieldRole(role)) return [{ name: 'checkin', label: m.checkin.button, icon: 'location-o' }]
  return []
}

export function homeOf(role: string | undefined): RouteLocationRaw {
  return { name: tabsFor(role)[0].name }
}
