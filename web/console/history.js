// Call history: newest first, paged, searchable by any written form of a phone number and filtered by which
// of the centre's numbers was dialled; each call opens to link a customer and orders and to add notes.
import { clear, element, redrawKeepingFocus } from '../shared/dom.js';
import { formatPhone } from '../shared/phone.js';
import { formatDateTime, formatDuration } from '../shared/time.js';
import { keptCallLinks } from './call_links.js';
import { audioLines, audioProblem, customerNumber, directionLabels, endReasonLabels, operatorChain, operatorTurnLines, statusLabels } from './labels.js';
import { recordingPlayer } from './recording_player.js';

const pageSize = 20;

function outcome(call, recording) {
  if (call.status !== 'ended') return statusLabels[call.status] ?? call.status;
  const problem = audioProblem(call);
  return [endReasonLabels[call.endReason] ?? call.endReason ?? '',
    problem ? element('div', { className: 'audio-problem' }, problem) : null,
    recording ? element('div', {}, recording) : null];
}

function attached(call) {
  return element('div', {},
    call.customer ? element('div', {}, call.customer.name || call.customer.id) : null,
    (call.orders ?? []).map((order) => element('span', { className: 'tag' }, `заказ ${order.orderId}`)),
    (call.notes ?? []).length ? element('span', { className: 'tag' }, `заметок: ${call.notes.length}`) : null);
}

export function mountHistory(context) {
  const rows = document.getElementById('history-rows');
  const search = document.getElementById('history-search');
  const phone = document.getElementById('history-phone');
  const reset = document.getElementById('history-reset');
  const error = document.getElementById('history-error');
  const previous = document.getElementById('history-prev');
  const next = document.getElementById('history-next');
  const pageLabel = document.getElementById('history-page');
  const dialled = document.getElementById('history-dialled');
  const dialledLabel = document.getElementById('history-dialled-label');
  const state = { phone: '', dialled: '', offset: 0, total: 0, open: null };
  // The service has no list of the centre's numbers: the filter offers those the loaded calls were dialled
  // on, kept for the session so that a filtered page (only one number on it) still offers the others.
  const dialledNames = new Map();
  // The rows are redrawn whenever the page is read again (a reconnection, a call that ended, which is often
  // in a busy centre): what the operator is using stays. A player stays, playing where it was, as long as its
  // call's recording is unchanged; the open call's forms stay with what is typed in them.
  let players = new Map();
  let openLinks = null;  // keptCallLinks()

  function player(call, kept) {
    const recording = JSON.stringify(call.recording ?? null);
    const previous = players.get(call.id);
    const box = previous?.recording === recording ? previous.box : recordingPlayer(call, context.api);
    if (box) kept.set(call.id, { recording, box });
    return box;
  }

  function details(call) {
    return element('tr', { className: 'details', dataset: { callId: call.id } },
      element('td', { colspan: 7 },
        (call.operators ?? []).length > 1
          ? element('ul', { className: 'operator-turns' }, operatorTurnLines(call).map((text) => element('li', {}, text)))
          : null,
        call.media ? element('ul', { className: 'audio' }, audioLines(call).map((text) => element('li', {}, text))) : null,
        (call.notes ?? []).length
          ? element('ul', {}, call.notes.map((note) => element('li', {}, `${note.text} — ${note.author}, ${formatDateTime(note.createdAt)}`)))
          : null,
        links(call)));
  }

  function links(call) {
    openLinks = keptCallLinks(openLinks, call, context, () => load());
    return openLinks.element;
  }

  function row(call, kept) {
    const line = element('tr', { dataset: { callId: call.id } },
      element('td', {}, formatDateTime(call.startTime)),
      element('td', { className: 'direction', title: directionLabels[call.direction] }, call.direction === 'inbound' ? '↙' : '↗'),
      element('td', {}, formatPhone(customerNumber(call)),
        call.dialledName || call.dialledNumber
          ? element('div', { className: 'muted small dialled' }, `→ ${call.dialledName || formatPhone(call.dialledNumber)}`)
          : ''),
      element('td', { className: 'operators' }, operatorChain(call)),
      element('td', {}, outcome(call, call.status === 'ended' ? player(call, kept) : null)),
      element('td', {}, formatDuration(call.duration)),
      element('td', {}, attached(call),
        element('button', { type: 'button', className: 'link', onclick: () => {
          state.open = state.open === call.id ? null : call.id;
          render(state.calls);
        } }, state.open === call.id ? 'Скрыть' : 'Клиент, заказ, заметка')));
    return state.open === call.id ? [line, details(call)] : [line];
  }

  function emptyText() {
    if (state.phone) return 'Звонков с этим номером нет';
    return state.dialled ? 'Звонков на этот номер нет' : 'Звонков пока нет';
  }

  function fillDialled() {
    const options = [...dialledNames]
      .map(([number, name]) => ({ number, label: name ? `${name} · ${formatPhone(number)}` : formatPhone(number) }))
      .sort((a, b) => a.label.localeCompare(b.label, 'ru'));
    dialled.replaceChildren(element('option', { value: '' }, 'все номера'),
      ...options.map((option) => element('option', { value: option.number }, option.label)));
    dialled.value = state.dialled;
    // Most centres have no dialled numbers in their calls: a filter with nothing to choose is noise.
    dialledLabel.hidden = !options.length;
  }

  // Rebuilt only when a number is new or gets its name: a rebuild would close the list under the pointer.
  function learnDialled(calls) {
    let learned = false;
    for (const call of calls) {
      if (!call.dialledNumber) continue;
      const known = dialledNames.get(call.dialledNumber);
      if (known || (known === '' && !call.dialledName)) continue;
      dialledNames.set(call.dialledNumber, call.dialledName ?? '');
      learned = true;
    }
    if (learned) fillDialled();
  }

  function render(calls) {
    state.calls = calls;
    const kept = new Map();
    redrawKeepingFocus(rows, () => clear(rows).append(...calls.flatMap((call) => row(call, kept))));
    players = kept;
    if (!calls.length) rows.append(element('tr', {}, element('td', { colspan: 7, className: 'muted' }, emptyText())));
    const last = Math.min(state.offset + calls.length, state.total);
    pageLabel.textContent = state.total ? `${state.offset + 1}–${last} из ${state.total}` : '';
    previous.disabled = state.offset === 0;
    next.disabled = last >= state.total;
  }

  // The call log could not be read (503 DATABASE_UNAVAILABLE): an empty table would read as "no calls", and
  // the rows shown before may be stale. The panel says so, and tries again when the service suggests.
  let retry = null;
  function unavailable(failure) {
    state.calls = [];
    state.total = 0;
    const seconds = failure.retryAfterSeconds ?? 5;
    clear(rows).append(element('tr', { className: 'unavailable' },
      element('td', { colspan: 7 }, `История звонков сейчас недоступна: база данных не отвечает. Повторим через ${seconds} с.`)));
    pageLabel.textContent = '';
    previous.disabled = true;
    next.disabled = true;
    error.textContent = failure.message;
    retry = setTimeout(load, seconds * 1000);
  }

  // Only the latest load draws: with a filter changed meanwhile, an earlier answer is another filter's page.
  let latest = 0;

  async function load() {
    const generation = ++latest;
    clearTimeout(retry);
    error.textContent = '';
    const base = state.phone ? `/api/calls/logs/phone/${encodeURIComponent(state.phone)}` : '/api/calls/logs';
    const query = new URLSearchParams({ limit: pageSize, offset: state.offset });
    if (state.dialled) query.set('dialled', state.dialled);
    try {
      const page = await context.api.get(`${base}?${query}`);
      if (generation !== latest) return;
      state.total = page.total ?? page.calls.length;
      learnDialled(page.calls ?? []);
      render(page.calls ?? []);
    } catch (failure) {
      if (generation !== latest) return;
      if (failure.status === 503 && failure.code === 'DATABASE_UNAVAILABLE') {
        unavailable(failure);
        return;
      }
      error.textContent = failure.message;
    }
  }

  search.addEventListener('submit', (event) => {
    event.preventDefault();
    state.phone = phone.value.trim();
    state.offset = 0;
    load();
  });
  dialled.addEventListener('change', () => {
    state.dialled = dialled.value;
    state.offset = 0;
    load();
  });
  // "Сбросить" means the whole history again: the dialled number is a filter of the same form.
  reset.addEventListener('click', () => {
    phone.value = '';
    state.phone = '';
    dialled.value = '';
    state.dialled = '';
    state.offset = 0;
    load();
  });
  previous.addEventListener('click', () => {
    state.offset = Math.max(0, state.offset - pageSize);
    load();
  });
  next.addEventListener('click', () => {
    state.offset += pageSize;
    load();
  });

  // A finished call belongs on the first page: refresh it, once for a burst of endings.
  let pending = null;
  // A recording made after the call's end arrives as call:updated of an ended call: its row gets the player.
  // Only a change of the recording redraws the rows (a redraw would drop what is being typed in a form).
  const sameRecording = (a, b) => JSON.stringify(a.recording ?? null) === JSON.stringify(b.recording ?? null);
  context.calls.subscribe((change) => {
    const shown = change.kind === 'event' && change.name === 'call:updated'
      ? state.calls?.find((call) => call.id === change.call.id) : null;
    if (shown) {
      if (!sameRecording(shown, change.call)) render(state.calls.map((call) => (call === shown ? change.call : call)));
      return;
    }
    if (change.kind !== 'event' || change.name !== 'call:ended' || state.offset !== 0) return;
    clearTimeout(pending);
    pending = setTimeout(load, 300);
  });
  return { load };
}
