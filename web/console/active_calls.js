// The list of active calls with their running timers and controls. Rows are kept per call and rebuilt only
// when the call's state changes; an open transfer form is put back in the rebuilt row (callControls).
import { clear, element, redrawKeepingFocus } from '../shared/dom.js';
import { formatPhone } from '../shared/phone.js';
import { formatDuration, secondsSince } from '../shared/time.js';
import { callControls } from './call_controls.js';
import { customerNumber, directionLabels, statusLabels } from './labels.js';

// Seconds shown beside a call: talk time once answered, ringing time before.
export function callTimerStart(call) {
  return call.answerTime ?? call.startTime;
}

function signature(call) {
  return JSON.stringify([call.status, call.extension, call.customer?.name, call.transferTarget, call.consultation]);
}

function row(call, context, controls) {
  const number = customerNumber(call);
  const queue = context.queues.list().find((one) => one.extension === call.extension);
  return element('li', { className: 'call', dataset: { callId: call.id, status: call.status } },
    element('div', { className: 'call-head' },
      element('span', { className: 'call-number' }, formatPhone(number)),
      element('span', { className: `status ${call.status}` }, statusLabels[call.status] ?? call.status)),
    element('div', { className: 'call-head small' },
      element('span', { className: 'muted' },
        `${directionLabels[call.direction] ?? ''} · ${queue ? `ждёт в очереди «${queue.name}»` : `доб. ${call.extension}`}${call.customer?.name ? ` · ${call.customer.name}` : ''}`),
      element('span', { className: 'timer', dataset: { since: callTimerStart(call) } }, formatDuration(secondsSince(callTimerStart(call))))),
    callControls(call, context, controls));
}

export function mountActiveCalls(context) {
  const list = document.getElementById('active-calls');
  const empty = document.getElementById('no-active');
  const count = document.getElementById('active-count');
  const rows = new Map(); // id -> {signature, node, controls}

  function render() {
    const calls = context.calls.list();
    for (const [id, kept] of rows) {
      if (!context.calls.get(id)) {
        kept.node.remove();
        rows.delete(id);
      }
    }
    for (const call of calls) {
      const kept = rows.get(call.id);
      const current = signature(call);
      if (kept && kept.signature === current) continue;
      const controls = kept?.controls ?? {};
      const node = row(call, context, controls);
      if (kept) redrawKeepingFocus(kept.node, () => kept.node.replaceWith(node));
      rows.set(call.id, { signature: current, node, controls });
    }
    // Keep the order of start times.
    for (const call of calls) list.append(rows.get(call.id).node);
    if (!calls.length) clear(list);
    empty.hidden = calls.length > 0;
    count.textContent = String(calls.length);
  }

  context.calls.subscribe(render);
  // Transfer lists show the lines' state, and a call on a queue's line shows the queue: rebuild the rows
  // without an open form.
  const refresh = () => {
    for (const [id, kept] of rows) if (!kept.node.querySelector('.transfer')) kept.signature = `stale ${id}`;
    render();
  };
  context.lines.subscribe(refresh);
  context.queues.subscribe((change) => {
    if (change.configuration) refresh();
  });
  setInterval(() => {
    for (const timer of document.querySelectorAll('.timer[data-since]')) {
      timer.textContent = formatDuration(secondsSince(timer.dataset.since));
    }
  }, 1000);
  render();
}
