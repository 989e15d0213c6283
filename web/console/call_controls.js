// The buttons of one call (answer, hold, unhold, transfer, hang up; join or go back during an attended
// transfer), shared by the popup and the list of active calls. Each button asks the API; the page then changes only when the call's event arrives, so
// what it shows is what the service did.
import { element } from '../shared/dom.js';
import { formatPhone, looksLikePhone } from '../shared/phone.js';
import { notify } from './notice.js';

async function act(button, work, done) {
  button.disabled = true;
  try {
    await work();
    done?.();
  } catch (error) {
    notify(error.message, { error: true });
  } finally {
    button.disabled = false;
  }
}

function lineWord(line) {
  if (!line.registered) return 'линия не подключена';
  if (!line.deviceRegistered) return 'телефон не подключён';
  return 'на связи';
}

// Transfer: an operator picked from the list of lines, or any typed number or extension; blind, or attended
// ("с консультацией": the customer holds while the operator talks with the target first).
function transferPanel(call, { api, lines }, onTransferred) {
  const options = lines
    .list()
    .filter((line) => line.extension !== call.extension)
    .map((line) =>
      element('option', { value: line.extension }, `${line.displayName || line.username} (${line.extension}) — ${lineWord(line)}`),
    );
  const select = element('select', { 'aria-label': 'Оператор для перевода', className: 'transfer-operator' },
    element('option', { value: '' }, 'Оператор…'), options);
  const typed = element('input', { type: 'tel', placeholder: 'или номер', 'aria-label': 'Номер для перевода', className: 'transfer-number' });
  const attended = element('input', { type: 'checkbox', className: 'transfer-attended' });
  const consult = element('label', { className: 'transfer-mode' }, attended, ' с консультацией');
  const send = element('button', { type: 'submit', className: 'primary' }, 'Перевести');
  const form = element('form', { className: 'transfer' }, select, typed, consult, send);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const target = typed.value.trim() || select.value;
    if (!target || (typed.value.trim() && !looksLikePhone(target))) {
      notify('Выберите оператора или введите номер для перевода', { error: true });
      return;
    }
    const body = attended.checked ? { target, mode: 'attended' } : { target };
    act(send, () => api.post(`/api/calls/transfer/${encodeURIComponent(call.id)}`, body), () => {
      notify(attended.checked ? `Звоним ${formatPhone(target)}, клиент на удержании` : `Звонок переводится на ${formatPhone(target)}`);
      onTransferred();
    });
  });
  return form;
}

// An attended transfer under way: whom the operator consults and whether they answered, and the two ways out.
function consultationPanel(call, { api }) {
  const { target, answeredAt } = call.consultation;
  const settle = (action, label, className) =>
    element('button', {
      type: 'button',
      className,
      dataset: { action: `${action}-transfer` },
      disabled: action === 'complete' && !answeredAt,
      onclick: (event) => act(event.currentTarget, () =>
        api.post(`/api/calls/transfer/${encodeURIComponent(call.id)}`, { action })),
    }, label);
  return element('div', { className: 'consultation', dataset: { state: answeredAt ? 'talking' : 'ringing' } },
    element('span', {}, `Консультация с ${formatPhone(target)}: ${answeredAt ? 'разговор, клиент на удержании' : 'звоним…'}`),
    element('div', { className: 'controls' },
      settle('complete', 'Соединить с клиентом', 'primary'),
      settle('cancel', 'Вернуться к клиенту')));
}

// `kept` belongs to the caller, one per call: an open transfer form stays in it, with what the operator chose and
// typed, through the redraws of the call (held, unheld, a customer or an order linked) until it is sent or closed.
export function callControls(call, context, kept = {}) {
  const { api } = context;
  const path = (action) => `/api/calls/${action}/${encodeURIComponent(call.id)}`;
  const button = (label, action, className = '') =>
    element('button', {
      type: 'button',
      className,
      dataset: { action },
      onclick: (event) => act(event.currentTarget, () => api.post(path(action))),
    }, label);

  const buttons = [];
  // A caller waiting in a queue is answered from a member's phone once offered, not from here.
  const waitingInQueue = context.queues?.isQueueLine(call.extension);
  if (call.status === 'ringing' && call.direction === 'inbound' && !waitingInQueue) buttons.push(button('Ответить', 'answer', 'primary'));
  if (call.status === 'answered') buttons.push(button('Удержать', 'hold'));
  if (call.status === 'held') buttons.push(button('Снять с удержания', 'unhold', 'primary'));
  const closeTransfer = () => {
    kept.transfer?.remove();
    kept.transfer = null;
  };
  if (call.status === 'answered' || call.status === 'held') {
    buttons.push(
      element('button', {
        type: 'button',
        dataset: { action: 'transfer' },
        onclick: () => {
          if (kept.transfer) return closeTransfer();
          kept.transfer = transferPanel(call, context, closeTransfer);
          wrapper.append(kept.transfer);
        },
      }, 'Перевести'),
    );
  } else {
    kept.transfer = null;
  }
  if (call.status !== 'ended') buttons.push(button(call.status === 'ringing' && call.direction === 'inbound' ? 'Отклонить' : 'Завершить', 'hangup', 'danger'));
  const wrapper = element('div', { className: 'call-controls' }, element('div', { className: 'controls' }, buttons));
  if (call.consultation) wrapper.append(consultationPanel(call, context));
  if (kept.transfer) wrapper.append(kept.transfer);
  return wrapper;
}
