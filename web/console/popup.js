// The incoming-call popup: opens as soon as call:new arrives (before the phone rings), shows who calls
// with the customer's card from the call log, and follows the call's state live until it ends.
import { clear, element, redrawKeepingFocus } from '../shared/dom.js';
import { formatPhone } from '../shared/phone.js';
import { formatDateTime, formatDuration, secondsSince } from '../shared/time.js';
import { callTimerStart } from './active_calls.js';
import { callControls } from './call_controls.js';
import { keptCallLinks } from './call_links.js';
import { audioProblem, customerNumber, endReasonLabels, operatorChain, recordingState, statusLabels } from './labels.js';
import { recordingPlayer } from './recording_player.js';

const lingerMs = 4000; // an ended call stays readable this long, then the popup closes

// Which of the centre's numbers the customer dialled (its name first, as DIALLED_NAMES gives it) and the IVR
// choice the PBX passed: the operator greets the caller with the right brand.
function dialledLine(call) {
  const parts = [];
  if (call.dialledName || call.dialledNumber)
    parts.push(`Набран: ${[call.dialledName, call.dialledNumber && formatPhone(call.dialledNumber)].filter(Boolean).join(' · ')}`);
  if (call.ivrChoice) parts.push(`IVR: ${call.ivrChoice}`);
  return parts.join(' · ');
}

function title(call, transferredIn) {
  if (transferredIn) return 'Переведённый звонок';
  return call.direction === 'inbound' ? 'Входящий звонок' : 'Исходящий звонок';
}

// The customer's earlier calls, their orders and notes, from GET /api/calls/logs/phone/{phone}.
function historyCard(call, earlier, api) {
  if (earlier === null) return element('p', { className: 'muted' }, 'Загружаем историю клиента…');
  const previous = earlier.filter((item) => item.id !== call.id);
  const orders = previous.flatMap((item) => item.orders ?? []);
  const notes = previous.flatMap((item) => (item.notes ?? []).map((note) => ({ ...note, at: item.startTime })));
  return element('div', { className: 'customer-history' },
    element('h3', {}, previous.length ? `Прошлые звонки: ${previous.length}` : 'Раньше не звонил'),
    previous.length
      ? element('ul', {}, previous.slice(0, 5).map((item) =>
          element('li', {}, `${formatDateTime(item.startTime)} · ${endReasonLabels[item.endReason] ?? statusLabels[item.status] ?? ''}` +
            `${item.duration ? ` · ${formatDuration(item.duration)}` : ''} · доб. ${operatorChain(item)}` +
            `${audioProblem(item) ? ` · ${audioProblem(item)}` : ''}`, ' ', recordingPlayer(item, api))))
      : null,
    orders.length ? element('p', { className: 'orders' }, 'Заказы: ', orders.slice(0, 8).map((order) => element('span', { className: 'tag' }, order.orderId))) : null,
    notes.length
      ? element('div', { className: 'notes' }, element('h3', {}, 'Заметки'),
          element('ul', {}, notes.slice(0, 5).map((note) => element('li', {}, `${note.text} — ${note.author}, ${formatDateTime(note.createdAt ?? note.at)}`))))
      : null);
}

export function mountPopup(context) {
  const box = document.getElementById('popup');
  let shown = null; // {id, transferredIn, earlier, signature, controls, links, closeTimer}

  function close() {
    if (shown?.closeTimer) clearTimeout(shown.closeTimer);
    shown = null;
    box.hidden = true;
    clear(box);
  }

  async function loadHistory(call) {
    const number = customerNumber(call);
    const id = call.id;
    try {
      const found = await context.api.get(`/api/calls/logs/phone/${encodeURIComponent(number)}?limit=20`);
      if (shown?.id === id) {
        shown.earlier = found.calls ?? [];
        draw(context.calls.get(id) ?? shown.last, true);
      }
    } catch {
      // Not a phone number (an internal call) or offline: the card just has no history.
      if (shown?.id === id) {
        shown.earlier = [];
        draw(context.calls.get(id) ?? shown.last, true);
      }
    }
  }

  function draw(call, force = false) {
    const signature = JSON.stringify([call.status, call.customer, call.orders?.length, call.notes?.length, call.endReason, call.media,
      call.recording?.status, call.consultation]);
    if (!force && shown.signature === signature) return;
    shown.signature = signature;
    shown.last = call;
    const ended = call.status === 'ended';
    box.dataset.status = call.status;
    box.dataset.callId = call.id;
    const customer = call.customer?.name
      ? element('div', { className: 'customer' }, call.customer.name)
      : element('div', { className: 'customer muted' }, 'Клиент не найден в CRM');
    // Element.append() would write a null part as the text "null": the parts this call has not are left out.
    // What the operator types in the call's forms stays through the redraws (answered, media, a link saved).
    shown.links = keptCallLinks(shown.links, call, context, (saved) => saved && context.calls.apply('call:updated', saved));
    redrawKeepingFocus(box, () => clear(box).append(...[
      element('button', { type: 'button', className: 'link close', 'aria-label': 'Закрыть', onclick: close }, '×'),
      element('div', { className: 'title' },
        element('strong', {}, title(call, shown.transferredIn)),
        element('span', { className: `status ${call.status}` },
          ended ? `Завершён${call.endReason ? `: ${(endReasonLabels[call.endReason] ?? call.endReason).toLowerCase()}` : ''}` : statusLabels[call.status] ?? call.status)),
      element('div', { className: 'caller' }, formatPhone(customerNumber(call))),
      dialledLine(call) ? element('div', { className: 'dialled muted small' }, dialledLine(call)) : null,
      ended && audioProblem(call) ? element('div', { className: 'audio-problem' }, `Звук: ${audioProblem(call)}`) : null,
      recordingState(call) ? element('div', { className: 'recording-state muted small' }, recordingState(call)) : null,
      customer,
      element('div', { className: 'muted small' }, `Добавочный ${call.extension}`,
        ended ? ` · ${formatDuration(call.duration)}` : [' · ', element('span', { className: 'timer', dataset: { since: callTimerStart(call) } }, formatDuration(secondsSince(callTimerStart(call))))]),
      ended ? null : callControls(call, context, shown.controls),
      historyCard(call, shown.earlier, context.api),
      ended ? null : shown.links.element,
    ].filter(Boolean)));
    box.hidden = false;
  }

  function open(call, transferredIn = false) {
    close();
    shown = { id: call.id, transferredIn, earlier: null, signature: null, controls: {} };
    draw(call);
    loadHistory(call);
  }

  context.calls.subscribe((change) => {
    if (change.kind === 'event') {
      const { name, call, gone } = change;
      if (name === 'call:new' && !gone && context.me.extension) {
        open(call, call.status !== 'ringing');
        return;
      }
      if (!shown || call.id !== shown.id) return;
      if (gone) {
        if (call.status === 'ended') {
          draw(call);
          shown.closeTimer = setTimeout(close, lingerMs);
        } else {
          close(); // moved to another operator
        }
        return;
      }
      draw(call);
      return;
    }
    // A fresh list after (re)connecting: a popup whose call is gone closes; a ringing call gets one.
    if (shown && !context.calls.get(shown.id) && shown.last?.status !== 'ended') close();
    if (!shown && context.me.extension) {
      const ringing = context.calls.list().find((call) => call.status === 'ringing' && call.direction === 'inbound');
      if (ringing) open(ringing);
    }
  });
}
