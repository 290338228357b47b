// The screens. Hash history: the server serves index.html at / and never needs to know the app's paths.
import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'
import { homeOf } from '@/roles'
import { useSessionStore } from '@/stores/session'
import LoginView from '@/views/LoginView.vue'

const FIELD = ['grid_worker', 'road_chief']
const UNIT = ['unit']
const OFFICE = ['office', 'admin']
const ROAD = ['road_chief']

declare module 'vue-router' {
  interface RouteMeta {
    /** roles that may open the screen; absent: any signed-in user */
    roles?: string[]
    /** the title in the top bar (from messages) */
    title?: string
    public?: boolean
    /** the screen works only online (no outbox): the offline line says so instead of promising an upload */
    online?: boolean
  }
}

export const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: LoginView, meta: { public: true } },
  // resolved by the guard below, once the session is known
  { path: '/', name: 'root', component: LoginView },
  // field roles: grid workers and road chiefs
  { path: '/field', name: 'field-home', component: () => import('@/views/FieldHomeView.vue'), meta: { roles: FIELD } },
  { path: '/report', name: 'report', component: () => import('@/views/ReportView.vue'), meta: { roles: FIELD } },
  { path: '/mine', name: 'mine', component: () => import('@/views/MyReportsView.vue'), meta: { roles: FIELD } },
  { path: '/mine/:id', name: 'mine-detail', component: () => import('@/views/ReportDetailView.vue'), meta: { roles: FIELD } },
  // road chiefs: patrols (巡路)
  { path: '/patrol', name: 'patrol', component: () => import('@/views/PatrolView.vue'), meta: { roles: ROAD } },
  // one patrol: its road chief's summary, and the office's look at a unit's patrol (from 路长巡查)
  { path: '/patrol/:id', name: 'patrol-detail', component: () => import('@/views/PatrolDetailView.vue'), meta: { roles: [...ROAD, ...OFFICE] } },
  { path: '/outbox', name: 'outbox', component: () => import('@/views/OutboxView.vue') },
  // unit handlers
  { path: '/tasks', name: 'tasks', component: () => import('@/views/TasksView.vue'), meta: { roles: UNIT } },
  { path: '/score', name: 'score', component: () => import('@/views/ScoreView.vue'), meta: { roles: UNIT } },
  // the units' people: directives to their unit, check-in at its posts
  { path: '/directives', name: 'directives', component: () => import('@/views/DirectivesView.vue'), meta: { roles: [...UNIT, ...FIELD] } },
  { path: '/directives/:id', redirect: { name: 'directives' } },
  { path: '/checkin', name: 'checkin', component: () => import('@/views/CheckInView.vue'), meta: { roles: [...UNIT, ...FIELD] } },
  // one issue and its actions (unit and office)
  { path: '/issue/:id', name: 'issue', component: () => import('@/views/IssueView.vue') },
  // the office
  { path: '/review', name: 'review', component: () => import('@/views/ReviewView.vue'), meta: { roles: OFFICE } },
  { path: '/verify', name: 'verify', component: () => import('@/views/VerifyView.vue'), meta: { roles: OFFICE } },
  // site inspections: the office any site, a unit its own (a self-check)
  { path: '/sites', name: 'sites', component: () => import('@/views/SitesView.vue'), meta: { roles: [...OFFICE, ...UNIT] } },
  { path: '/site/:code', name: 'site', component: () => import('@/views/SiteView.vue'), meta: { roles: [...OFFICE, ...UNIT] } },
  { path: '/inspect/:code', name: 'inspect', component: () => import('@/views/InspectView.vue'), meta: { roles: [...OFFICE, ...UNIT] } },
  { path: '/dashboard', name: 'dashboard', component: () => import('@/views/DashboardView.vue'), meta: { roles: OFFICE } },
  // directives (指令) the office sends, and who has not read or done them
  { path: '/command', name: 'command', component: () => import('@/views/CommandView.vue'), meta: { roles: OFFICE } },
  { path: '/command/new', name: 'command-new', component: () => import('@/views/CommandNewView.vue'), meta: { roles: OFFICE, online: true } },
  { path: '/command/:id(\\d+)', name: 'command-detail', component: () => import('@/views/CommandDetailView.vue'), meta: { roles: OFFICE } },
  { path: '/coverage', name: 'coverage', component: () => import('@/views/CoverageView.vue'), meta: { roles: OFFICE } },
  // 人员到岗: the posts now or at a past moment, and a post found empty on the spot (office, supervision team)
  { path: '/duty', name: 'duty', component: () => import('@/views/DutyView.vue'), meta: { roles: OFFICE } },
  // everyone
  { path: '/me', name: 'me', component: () => import('@/views/MeView.vue') },
  { path: '/:rest(.*)*', redirect: { name: 'root' } },
]

export const router = createRouter({ history: createWebHashHistory(), routes })

router.beforeEach(async (to) => {
  const session = useSessionStore()
  await session.restore()
  if (to.meta.public) return session.signedIn && to.name === 'login' ? homeOf(session.role) : true
  if (!session.signedIn) return { name: 'login', query: to.name !== 'root' ? { next: to.fullPath } : {} }
  if (to.name === 'root') return homeOf(session.role)
  if (to.meta.roles && !to.meta.roles.includes(session.role ?? '')) return homeOf(session.role)
  return true
})

