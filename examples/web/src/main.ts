import { api, ApiError, type Dataset, type DatasetExport, type Me } from './api.js'

// --- tiny DOM helpers (text is always set as text: nothing from the API is parsed as HTML) ---

type Child = Node | string | null | undefined | false
type Attrs = Record<string, string | boolean | undefined | ((ev: Event) => void)>

function h<K extends keyof HTMLElementTagNameMap> (tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') el.addEventListener(name.slice(2), value)
    else if (value === true) el.setAttribute(name, '')
    else if (typeof value === 'string') el.setAttribute(name, value)
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c)
  return el
}

const kids = (...c: Child[]) => c.filter((x): x is Node | string => x !== null && x !== undefined && x !== false)
const $ = (id: string) => document.getElementById(id) as HTMLElement
const fmtDate = (ms: number) => new Date(ms).toLocaleString()
const fmtInt = (n: number) => n.toLocaleString()
const FORMATS: Record<string, string> = { VI_FULL: 'Assets and annotations', VI_JSONL: 'Annotations only (JSONL)' }
const STATE_LABEL = { pending: 'Preparing…', ready: 'Ready', failed: 'Failed' }

// --- app state ---

let me: Me | null = null
const streams = new Set<EventSource>()

function announce (text: string) { $('status').textContent = text }

function showError (err: unknown) {
  const box = $('error')
  if (err === null) { box.hidden = true; box.replaceChildren(); return }
  const p = err instanceof ApiError ? err.problem : { title: 'Something went wrong', detail: String(err) }
  box.replaceChildren(...kids(h('strong', {}, p.title ?? 'Error'), p.detail && p.detail !== p.title ? p.detail : null, p.code ? h('span', { class: 'muted' }, ` (${p.code})`) : null))
  box.hidden = false
}

function closeStreams () {
  for (const s of streams) s.close()
  streams.clear()
}

// --- header: who is signed in ---

function renderWho () {
  const who = $('who')
  if (me === null) {
    who.replaceChildren(h('a', { class: 'button', href: api.loginUrl(location.pathname + location.search), id: 'sign-in' }, 'Sign in'))
    return
  }
  const label = me.name ?? me.email ?? me.sub
  who.replaceChildren(
    h('span', {}, 'Signed in as ', h('strong', { id: 'user-name' }, label), me.email && me.email !== label ? ` (${me.email})` : null),
    h('span', { class: 'scopes', title: 'Your scopes' }, me.scopes.join(' · ')),
    h('button', { class: 'secondary', type: 'button', id: 'sign-out', onclick: signOut }, 'Sign out')
  )
}

async function signOut (ev: Event) {
  const button = ev.currentTarget as HTMLButtonElement
  button.disabled = true
  try {
    const { endSessionUrl } = await api.logout()
    closeStreams()
    me = null
    // The provider's end-session page signs the user out there too, then comes back here.
    if (endSessionUrl) { location.assign(endSessionUrl); return }
    renderWho()
    renderSignedOut()
    announce('Signed out')
  } catch (err) {
    button.disabled = false
    showError(err)
  }
}

// --- pages ---

function renderSignedOut () {
  $('main').replaceChildren(h('section', { class: 'center' },
    h('h1', {}, 'Vi datasets'),
    h('p', { class: 'muted' }, 'Sign in with your organisation account to browse datasets and download exports.'),
    h('a', { class: 'button', href: api.loginUrl(location.pathname + location.search) }, 'Sign in')
  ))
}

async function renderDatasets () {
  const main = $('main')
  const list = h('ul', { class: 'cards', id: 'datasets', 'aria-busy': 'true' })
  const more = h('button', { class: 'secondary', type: 'button', hidden: true }, 'Load more')
  main.replaceChildren(h('h1', {}, 'Datasets'), list, h('p', {}, more))
  let token: string | undefined
  const load = async () => {
    more.disabled = true
    const page = await api.datasets(token)
    for (const d of page.items) list.append(datasetCard(d))
    if (page.items.length === 0 && list.childElementCount === 0) list.replaceWith(h('p', { class: 'muted' }, 'No datasets yet.'))
    token = page.nextPageToken ?? undefined
    more.hidden = token === undefined
    more.disabled = false
    list.setAttribute('aria-busy', 'false')
  }
  more.addEventListener('click', () => { load().catch(handle) })
  await load()
}

function datasetCard (d: Dataset) {
  return h('li', { 'data-dataset-id': d.datasetId },
    h('a', { href: `/datasets/${encodeURIComponent(d.datasetId)}`, 'data-nav': true }, d.name),
    h('p', { class: 'muted' }, `${d.type} · ${fmtInt(d.statistic.assetTotal)} assets`),
    d.description ? h('p', {}, d.description) : null
  )
}

async function renderDataset (id: string) {
  const [d, exports] = await Promise.all([api.dataset(id), api.exports(id)])
  document.title = `${d.name} · Vi datasets`
  const canExport = me?.scopes.includes('exports:write') ?? false
  const rows = h('tbody', {})
  const table = h('table', { id: 'exports' },
    h('caption', { class: 'visually-hidden' }, `Exports of ${d.name}`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Export'), h('th', { scope: 'col' }, 'Format'), h('th', { scope: 'col' }, 'Created'), h('th', { scope: 'col' }, 'State'), h('th', { scope: 'col' }, 'Archive'))),
    rows)
  const sorted = [...exports.items].sort((a, b) => b.metadata.timeCreated - a.metadata.timeCreated)
  for (const e of sorted) rows.append(exportRow(e))

  const form = h('form', { class: 'export', id: 'new-export', 'aria-label': 'New export' },
    h('label', {}, 'Format', h('select', { name: 'format' }, ...Object.entries(FORMATS).map(([v, label]) => h('option', { value: v }, label)))),
    h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'normalized', checked: true }), ' Normalised coordinates'),
    h('label', {}, 'Training split (optional)', h('input', { type: 'number', name: 'splitRatio', min: '0.05', max: '0.95', step: '0.05', placeholder: 'e.g. 0.8' })),
    h('button', { type: 'submit', disabled: !canExport }, 'Create export')
  )
  form.addEventListener('submit', (ev) => {
    ev.preventDefault()
    createExport(d.datasetId, form, rows).catch(handle)
  })

  $('main').replaceChildren(...kids(
    h('p', {}, h('a', { href: '/', 'data-nav': true }, '← All datasets')),
    h('h1', {}, d.name),
    d.description ? h('p', {}, d.description) : null,
    h('dl', { class: 'stats' },
      h('div', {}, h('dt', {}, 'Type'), h('dd', {}, d.type)),
      h('div', {}, h('dt', {}, 'Assets'), h('dd', {}, fmtInt(d.statistic.assetTotal))),
      h('div', {}, h('dt', {}, 'Annotated'), h('dd', {}, fmtInt(d.statistic.assetAnnotated))),
      h('div', {}, h('dt', {}, 'Annotations'), h('dd', {}, fmtInt(d.statistic.annotationTotal))),
      h('div', {}, h('dt', {}, 'Created'), h('dd', {}, fmtDate(d.createDate)))
    ),
    h('h2', {}, 'New export'),
    canExport ? null : h('p', { class: 'muted' }, 'Creating exports needs the exports:write scope, which your account does not have.'),
    form,
    h('h2', {}, 'Exports'),
    sorted.length > 0 ? table : h('p', { class: 'muted', id: 'no-exports' }, 'No exports yet.')
  ))
  for (const e of sorted) if (e.status.state === 'pending') watch(e)
}

async function createExport (datasetId: string, form: HTMLFormElement, rows: HTMLTableSectionElement) {
  const data = new FormData(form)
  const split = String(data.get('splitRatio') ?? '').trim()
  const button = form.querySelector('button') as HTMLButtonElement
  button.disabled = true
  try {
    const e = await api.createExport(datasetId, {
      format: String(data.get('format')),
      options: { normalized: data.get('normalized') !== null, splitRatio: split === '' ? null : Number(split) }
    })
    showError(null)
    const empty = document.getElementById('no-exports')
    if (empty) empty.replaceWith(rows.closest('table') as HTMLTableElement)
    rows.prepend(exportRow(e))
    announce(`Export ${e.datasetExportId} created; preparing it`)
    if (e.status.state === 'pending') watch(e)
  } finally {
    button.disabled = false
  }
}

function exportRow (e: DatasetExport) {
  const row = h('tr', { 'data-export-id': e.datasetExportId })
  fillRow(row, e)
  return row
}

function fillRow (row: HTMLTableRowElement, e: DatasetExport, note?: string) {
  const { state, downloadUrl } = e.status
  const failed = e.status.conditions.find(c => c.status === 'FailedReach')
  const split = e.spec.options.splitRatio
  row.dataset.state = state
  row.replaceChildren(
    h('td', {}, h('code', {}, e.datasetExportId)),
    h('td', {}, FORMATS[e.spec.format] ?? e.spec.format, h('br'), h('span', { class: 'muted' }, `${e.spec.options.normalized ? 'normalised' : 'pixels'}${split === null ? '' : ` · split ${split}`}`)),
    h('td', {}, fmtDate(e.metadata.timeCreated)),
    h('td', {}, h('span', { class: `state state-${state}` }, STATE_LABEL[state]), note ? h('span', { class: 'muted' }, ` ${note}`) : null,
      failed?.message ? h('span', { class: 'muted' }, ` ${failed.message}`) : null),
    h('td', {}, state === 'ready' && downloadUrl
      // A plain link: the browser downloads (and resumes) it itself, authenticated by the session cookie.
      ? h('a', { href: downloadUrl.url, download: '', class: 'download' }, 'Download')
      : h('span', { class: 'muted' }, '—'))
  )
}

/** Live progress over Server-Sent Events: each event carries the export; the stream ends on ready/failed. */
function watch (e: DatasetExport) {
  const source = new EventSource(api.eventsUrl(e), { withCredentials: true })
  streams.add(source)
  const row = () => document.querySelector<HTMLTableRowElement>(`tr[data-export-id="${CSS.escape(e.datasetExportId)}"]`)
  const done = () => { source.close(); streams.delete(source) }
  const update = (ev: MessageEvent<string>) => {
    const next = JSON.parse(ev.data) as DatasetExport
    const r = row()
    if (r) fillRow(r, next)
    if (next.status.state !== 'pending') {
      done()
      announce(`Export ${next.datasetExportId} is ${next.status.state === 'ready' ? 'ready to download' : 'failed'}`)
    }
  }
  for (const name of ['pending', 'ready', 'failed']) source.addEventListener(name, update as EventListener)
  source.addEventListener('problem', ((ev: MessageEvent<string>) => {
    done()
    const p = JSON.parse(ev.data) as ApiError['problem']
    showError(new ApiError(p.status ?? 502, p))
  }) as EventListener)
  source.addEventListener('error', () => {
    // The browser retries a dropped stream by itself; a refused one (401, 403, 429) ends here.
    if (source.readyState === EventSource.CLOSED) {
      done()
      const r = row()
      if (r) r.querySelector('.state')?.after(h('span', { class: 'muted' }, ' (live updates stopped; reload to check)'))
    }
  })
}

// --- routing ---

function handle (err: unknown) {
  if (err instanceof ApiError && err.status === 401) {
    me = null
    closeStreams()
    renderWho()
    renderSignedOut()
    return
  }
  showError(err)
}

async function route () {
  closeStreams()
  showError(null)
  document.title = 'Datasets · vi-bff example'
  if (me === null) { renderSignedOut(); return }
  const m = /^\/datasets\/([^/]+)\/?$/.exec(location.pathname)
  if (m) await renderDataset(decodeURIComponent(m[1] as string))
  else await renderDatasets()
  $('main').focus({ preventScroll: true })
}

document.addEventListener('click', (ev) => {
  const a = (ev.target as Element).closest('a[data-nav]')
  if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return
  ev.preventDefault()
  history.pushState(null, '', (a as HTMLAnchorElement).href)
  route().catch(handle)
})
window.addEventListener('popstate', () => { route().catch(handle) })

async function start () {
  try {
    me = await api.me()
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 401)) showError(err)
    me = null
  }
  renderWho()
  await route()
}

start().catch(handle)
