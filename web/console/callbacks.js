// The callback list ("Перезвонить"): the customers whose calls nobody answered, oldest first, each with a
// one-click call back from the operator's line (the dialer's own path: auto-answer or the browser phone).
// GET /api/callbacks, then callback:missed and callback:resolved keep it live; the tab's label counts the
// waiting, and the supervisor's board names the one waiting longest.
import { clear, element } from '../shared/dom.js';
import { formatPhone } from '../shared/phone.js';
import { formatDateTime, formatDuration, secondsSince } from '../shared/time.js';
import { endReasonLabels } from './labels.js';

export class Callbacks {
  constructor() {
    this.entries = new Map();  // by phone, waiting only
    this.error = '';
    this.listeners = new Set();
  }

  subscribe(listener) {
    this.listeners.add(listener);
  }

  replace(entries) {
    this.entries = new Map(entries.map((entry) => [entry.phone, entry]));
    this.error = '';
    this.notify();
  }

  failed(message) {
    this.error = message;
    this.notify();
  }

  apply(name, entry) {
    if (name === 'callback:missed') this.entries.set(entry.phone, entry);
    else if (name === 'callback:resolved') this.entries.delete(entry.phone);
    this.notify();
  }

  // Oldest first: the customer who has waited longest is called back first.
  list() {
    return [...this.entries.values()].sort((a, b) => Date.parse(a.firstMissedAt) - Date.parse(b.firstMissedAt));
  }

  notify() {
    for (const listener of this.listeners) listener();
  }
}

const attemptsInWords = (count) => (count === 1 ? '1 раз' : `${count} ${count % 10 >= 2 && count % 10 <= 4 && (count % 100 < 12 || count % 100 > 14) ? 'раза' : 'раз'}`);

function waitTimer(entry) {
  return element('span', { className: 'timer', dataset: { since: entry.firstMissedAt } }, formatDuration(secondsSince(entry.firstMissedAt)));
}

export function mountCallbacks(context) {
  const rows = document.getElementById('callback-rows');
  const empty = document.getElementById('no-callbacks');
  const error = document.getElementById('callbacks-error');
  const count = document.getElementById('callbacks-count');
  const oldest = document.getElementById('board-callbacks');

  // A customer is being called already while this page's dial request is on its way or while a call of this
  // page's calls is with them: a second click (the list is redrawn on every change) would ring them twice.
  const dialling = new Set();
  const beingCalled = (phone) => dialling.has(phone)
    || context.calls.list().some((call) => call.to === phone || call.from === phone);

  function markBeingCalled() {
    for (const button of rows.querySelectorAll('button[data-action=call-back]')) {
      const calling = beingCalled(button.closest('tr').dataset.phone);
      button.disabled = calling;
      button.textContent = calling ? 'Звоним…' : 'Перезвонить';
    }
  }

  function row(entry) {
    const call = element('button', { type: 'button', className: 'primary', dataset: { action: 'call-back' } }, 'Перезвонить');
    call.addEventListener('click', async () => {
      if (beingCalled(entry.phone)) return;
      dialling.add(entry.phone);
      markBeingCalled();
      try {
        await context.dial(entry.phone);
      } finally {
        dialling.delete(entry.phone);
        markBeingCalled();
      }
    });
    return element('tr', { dataset: { phone: entry.phone } },
      element('td', {}, element('div', { className: 'call-number' }, formatPhone(entry.phone)),
        entry.customer ? element('div', { className: 'muted small customer' }, entry.customer.name) : null),
      element('td', { className: 'attempts' }, attemptsInWords(entry.attempts)),
      element('td', {}, formatDateTime(entry.lastMissedAt), element('div', { className: 'muted small' }, endReasonLabels[entry.lastReason] ?? entry.lastReason)),
      element('td', {}, waitTimer(entry)),
      element('td', {}, call));
  }

  function render() {
    const waiting = context.callbacks.list();
    clear(rows).append(...waiting.map(row));
    error.textContent = context.callbacks.error;
    empty.hidden = waiting.length > 0 || Boolean(context.callbacks.error);
    count.textContent = String(waiting.length);
    count.hidden = waiting.length === 0;
    clear(oldest);
    if (waiting.length) {
      const first = waiting[0];
      oldest.append(`Ждут перезвона: ${waiting.length}. Дольше всех ${formatPhone(first.phone)}`,
        first.customer ? ` (${first.customer.name})` : '', ' — ', waitTimer(first));
    }
    oldest.hidden = waiting.length === 0;
    markBeingCalled();
  }

  context.callbacks.subscribe(render);
  context.calls.subscribe(markBeingCalled);
  render();
  return {
    async load() {
      try {
        context.callbacks.replace((await context.api.get('/api/callbacks')).callbacks ?? []);
      } catch (failure) {
        if (failure.status === 0) return;  // offline: the next connection loads it again
        // An empty list would read as "nobody to call back": say it cannot be read instead.
        context.callbacks.failed(failure.code === 'DATABASE_UNAVAILABLE'
          ? 'Список сейчас недоступен: база данных не отвечает. Попробуйте позже.'
          : `Список недоступен: ${failure.message}`);
      }
    },
  };
}
