// Tab "Вебхуки": other systems (a CRM, a bot) subscribed by URL to the service's events. A new subscription's
// secret is shown once; the list shows what each webhook is still owed and how its deliveries went, and is
// read again every 5 s while the tab is open. What the service sends goes into the page as text only.
import { fieldOfError } from './admin_api.js';
import { setStatus, showErrors } from './form_errors.js';
import { element } from '../shared/dom.js';

// The events a webhook may ask for, grouped as on the form; `all`: the patterns that take a whole group,
// including events added to it later.
export const eventGroups = [
  {
    title: 'Звонки',
    all: ['call:*'],
    events: ['call:new', 'call:ringing', 'call:answered', 'call:held', 'call:unheld', 'call:transferred', 'call:ended', 'call:updated'],
  },
  { title: 'Операторы', all: ['operator:*'], events: ['operator:state', 'operator:reasons'] },
  { title: 'Очереди и перезвоны', all: ['queue:*', 'callback:*'], events: ['queue:state', 'callback:missed', 'callback:resolved'] },
  { title: 'Телефония', all: ['sip:*', 'line:*'], events: ['sip:connected', 'sip:disconnected', 'line:state'] },
  { title: 'Записи', all: [], events: ['recording:ready'] },
];

// What the form asks for: "*" alone, else per group its patterns when "все" is ticked, or its ticked events.
export function chosenEvents(everything, groups) {
  if (everything) return ['*'];
  return groups.flatMap((group) => (group.all ? group.patterns : group.ticked));
}

const refreshMs = 5000;
const quickRefreshMs = 1000; // after "Отправить тест", until that event's delivery is settled
const quickForMs = 15000;
const deliveriesShown = 20;
const statusLabels = { pending: 'ждёт отправки', delivered: 'доставлено', failed: 'не доставлено' };
const statusBadges = { pending: 'badge-muted', delivered: 'badge-ok', failed: 'badge-bad' };

const time = (iso) => (iso ? new Date(iso).toLocaleString('ru-RU') : '—');
const eventsText = (events) => events.map((name) => (name === '*' ? 'все события' : name)).join(', ');
const statusBadge = (status) => element('span', { className: `badge ${statusBadges[status] ?? 'badge-muted'}` }, statusLabels[status] ?? status);

// "HTTP 500 · connection refused", whichever of the two the delivery has.
function outcome(delivery) {
  return [delivery.httpStatus ? `HTTP ${delivery.httpStatus}` : null, delivery.error].filter(Boolean).join(' · ');
}

function lastDeliveryNodes(delivery) {
  if (!delivery) return ['ещё не было'];
  const details = [delivery.type, outcome(delivery), `попыток: ${delivery.attempts}`, time(delivery.lastAttemptAt ?? delivery.createdAt)];
  if (delivery.status === 'pending' && delivery.nextAttemptAt) details.push(`следующая ${time(delivery.nextAttemptAt)}`);
  return [statusBadge(delivery.status), ' ', details.filter(Boolean).join(' · ')];
}

function deliveryRow(delivery) {
  return element('tr', { dataset: { eventId: delivery.eventId, status: delivery.status } },
    element('td', {}, time(delivery.createdAt)),
    element('td', {}, delivery.type),
    element('td', {}, statusBadge(delivery.status)),
    element('td', {}, String(delivery.attempts)),
    element('td', {}, delivery.httpStatus ? String(delivery.httpStatus) : '—'),
    element('td', { className: 'wrap' }, delivery.error ?? ''),
    element('td', {}, delivery.status === 'pending' ? time(delivery.nextAttemptAt) : '—'));
}

export function createWebhooksTab(api) {
  const panel = document.getElementById('tab-webhooks');
  const table = document.getElementById('webhooks-table');
  const rows = document.getElementById('webhooks-rows');
  const none = document.getElementById('no-webhooks');
  const listError = document.getElementById('webhooks-list-error');
  const status = document.getElementById('webhooks-status');
  const form = document.getElementById('webhook-form');
  const formStatus = document.getElementById('webhook-status');
  const everything = document.getElementById('webhook-all-events');
  const created = document.getElementById('webhook-created');
  const shown = new Map(); // webhook id -> {row, cells, deliveries: {row, body, note}}
  const expanded = new Set(); // ids whose deliveries are open
  let loads = 0; // the newest list read wins; an older answer arriving later is dropped
  let lastLoad = 0;
  let watched = null; // {id, eventId, until}: a test event whose delivery the list follows closely
  let timer = null;

  // The event checkboxes: "все" of a group (and "все события") covers the boxes under it.
  const groups = eventGroups.map((group) => {
    const allBox = group.all.length ? element('input', { type: 'checkbox', value: group.all.join(' ') }) : null;
    const boxes = group.events.map((name) => element('input', { type: 'checkbox', value: name }));
    document.getElementById('webhook-event-groups').append(element('fieldset', { className: 'event-group' },
      element('legend', {}, group.title),
      allBox && element('label', { className: 'check' }, allBox, ` все (${group.all.join(', ')})`),
      boxes.map((box) => element('label', { className: 'check' }, box, ` ${box.value}`))));
    return { group, allBox, boxes };
  });
  function syncCoverage() {
    for (const { allBox, boxes } of groups) {
      if (allBox) allBox.disabled = everything.checked;
      for (const box of boxes) box.disabled = everything.checked || Boolean(allBox?.checked);
    }
  }
  form.addEventListener('change', syncCoverage);
  const chosen = () => chosenEvents(everything.checked, groups.map(({ group, allBox, boxes }) => ({
    all: Boolean(allBox?.checked),
    patterns: group.all,
    ticked: boxes.filter((box) => box.checked).map((box) => box.value),
  })));

  function button(label, action, onClick, className = 'link') {
    return element('button', { type: 'button', className, dataset: { action }, onClick }, label);
  }

  function rowFor(webhook) {
    if (shown.has(webhook.id)) return shown.get(webhook.id);
    const cells = {};
    for (const name of ['url', 'events', 'backlog', 'delivered', 'failed', 'last']) cells[name] = element('td', { dataset: { cell: name } });
    cells.url.className = 'wrap';
    const toggle = button('Доставки', 'deliveries', () => toggleDeliveries(webhook.id, toggle));
    toggle.setAttribute('aria-expanded', String(expanded.has(webhook.id)));
    const row = element('tr', { dataset: { id: webhook.id } }, Object.values(cells), element('td', { className: 'row-actions' },
      button('Отправить тест', 'test', () => sendTest(webhook)), ' ', toggle, ' ',
      button('Удалить', 'delete', () => remove(webhook), 'link danger')));
    const body = element('tbody');
    const note = element('p', { className: 'hint' });
    const deliveries = {
      body,
      note,
      row: element('tr', { className: 'deliveries', dataset: { deliveriesOf: webhook.id }, hidden: !expanded.has(webhook.id) },
        element('td', { colspan: 7 }, note, element('table', { className: 'grid small' },
          element('thead', {}, element('tr', {}, ['Время', 'Событие', 'Статус', 'Попыток', 'HTTP', 'Ошибка', 'Следующая попытка'].map((title) => element('th', {}, title)))),
          body))),
    };
    const entry = { row, cells, deliveries };
    shown.set(webhook.id, entry);
    return entry;
  }

  // Updates the rows in place (the buttons stay under the pointer across refreshes).
  function render(webhooks) {
    const ids = new Set(webhooks.map((webhook) => webhook.id));
    for (const id of [...shown.keys()]) {
      if (!ids.has(id)) {
        shown.delete(id);
        expanded.delete(id);
      }
    }
    const order = [];
    for (const webhook of webhooks) {
      const { row, cells, deliveries } = rowFor(webhook);
      cells.url.textContent = webhook.url;
      cells.events.textContent = eventsText(webhook.events);
      cells.backlog.textContent = webhook.backlog && webhook.oldestPendingAt ? `${webhook.backlog} (с ${time(webhook.oldestPendingAt)})` : String(webhook.backlog);
      cells.delivered.textContent = String(webhook.delivered);
      cells.failed.textContent = String(webhook.failed);
      cells.last.dataset.status = webhook.lastDelivery?.status ?? 'none';
      cells.last.replaceChildren(...lastDeliveryNodes(webhook.lastDelivery));
      if (watched?.id === webhook.id && webhook.lastDelivery?.eventId === watched.eventId && webhook.lastDelivery.status !== 'pending') watched = null;
      order.push(row, deliveries.row);
    }
    if (order.length !== rows.children.length || order.some((node, index) => rows.children[index] !== node)) rows.replaceChildren(...order);
    none.hidden = webhooks.length > 0;
  }

  function showUnavailable(error) {
    table.hidden = true;
    none.hidden = true;
    listError.hidden = false;
    setStatus(listError, error.code === 'DATABASE_UNAVAILABLE'
      ? 'База данных недоступна: список вебхуков сейчас не прочитать (подписки не пропали). Страница попробует снова через 5 с.'
      : `Список вебхуков не загружен: ${error.message}`, 'bad');
  }

  async function refresh() {
    const mine = ++loads;
    lastLoad = Date.now();
    let webhooks;
    try {
      ({ webhooks } = await api.get('/api/webhooks'));
    } catch (error) {
      if (mine === loads) showUnavailable(error);
      return;
    }
    if (mine !== loads) return;
    table.hidden = false;
    listError.hidden = true;
    render(webhooks);
    await Promise.all([...expanded].map(loadDeliveries));
  }

  async function loadDeliveries(id) {
    const entry = shown.get(id);
    if (!entry) return;
    const { body, note } = entry.deliveries;
    try {
      const { deliveries } = await api.get(`/api/webhooks/${encodeURIComponent(id)}/deliveries?limit=${deliveriesShown}`);
      body.replaceChildren(...deliveries.map(deliveryRow));
      note.textContent = deliveries.length ? `Последние доставки (до ${deliveriesShown}), новые сверху.` : 'Доставок ещё не было.';
    } catch (error) {
      note.textContent = error.code === 'DATABASE_UNAVAILABLE' ? 'База данных недоступна: доставки сейчас не прочитать.' : `Доставки не загружены: ${error.message}`;
    }
  }

  async function toggleDeliveries(id, toggle) {
    const open = !expanded.has(id);
    if (open) expanded.add(id);
    else expanded.delete(id);
    toggle.setAttribute('aria-expanded', String(open));
    shown.get(id).deliveries.row.hidden = !open;
    if (open) await loadDeliveries(id);
  }

  async function sendTest(webhook) {
    try {
      const { eventId } = await api.post(`/api/webhooks/${encodeURIComponent(webhook.id)}/test`);
      watched = { id: webhook.id, eventId, until: Date.now() + quickForMs };
      setStatus(status, `Тестовое событие ${eventId} отправляется на ${webhook.url}.`, 'ok');
    } catch (error) {
      setStatus(status, `Тест не отправлен: ${error.message}`, 'bad');
    }
    await refresh();
  }

  async function remove(webhook) {
    if (!window.confirm(`Удалить вебхук ${webhook.url}? События, которые ему ещё не доставлены, отправлены не будут.`)) return;
    try {
      await api.delete(`/api/webhooks/${encodeURIComponent(webhook.id)}`);
      setStatus(status, `Вебхук ${webhook.url} удалён.`, 'ok');
    } catch (error) {
      setStatus(status, `Не удалено: ${error.message}`, 'bad');
    }
    await refresh();
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    created.hidden = true;
    const url = form.elements.url.value.trim();
    const events = chosen();
    const errors = { url: url ? '' : 'Укажите адрес, на который слать события', events: events.length ? '' : 'Отметьте хотя бы одно событие' };
    if (!showErrors(form, errors)) return;
    try {
      const webhook = await api.post('/api/webhooks', { url, events });
      document.getElementById('webhook-secret').textContent = webhook.secret;
      document.getElementById('webhook-created-url').textContent = webhook.url;
      created.hidden = false;
      form.reset();
      syncCoverage();
      setStatus(formStatus, '');
    } catch (error) {
      const field = fieldOfError(error, ['url', 'events']);
      if (field) showErrors(form, { [field]: error.message });
      setStatus(formStatus, `Не подписано: ${error.message}`, 'bad');
      return;
    }
    await refresh();
  });

  // Read again while the tab is open (and the browser tab visible): every 5 s, every second while a test
  // event is on its way.
  function tick() {
    if (document.hidden) return;
    const quick = watched && Date.now() < watched.until;
    if (Date.now() - lastLoad >= (quick ? quickRefreshMs : refreshMs)) refresh();
  }
  function followVisibility() {
    if (!panel.hidden && !timer) {
      timer = setInterval(tick, quickRefreshMs);
      refresh();
    } else if (panel.hidden && timer) {
      clearInterval(timer);
      timer = null;
    }
  }
  new MutationObserver(followVisibility).observe(panel, { attributes: true, attributeFilter: ['hidden'] });
  followVisibility();

  return { load: refresh };
}
