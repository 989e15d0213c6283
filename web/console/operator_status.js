// The operators' states (GET /api/operators, then operator:state): the operator's own status in the header,
// chosen there (available, or a pause with its reason), and each operator's state on the supervisor's board.
import { element } from '../shared/dom.js';
import { formatDuration, secondsSince } from '../shared/time.js';
import { notify } from './notice.js';

export const operatorStateLabels = {
  available: 'Доступен',
  paused: 'Пауза',
  wrapup: 'Поствызывная обработка',
  oncall: 'На звонке',
  offline: 'Не в сети',
};

// The state in words, with the pause's reason: "Пауза: обед".
export function stateInWords(status) {
  if (!status) return '';
  const label = operatorStateLabels[status.state] ?? status.state;
  return status.reason ? `${label}: ${status.reason}` : label;
}

// How long the operator has been in it, as a running timer (the page ticks every `.timer[data-since]`).
export function stateTimer(status) {
  if (!status?.since) return null;
  return element('span', { className: 'timer', dataset: { since: status.since } }, formatDuration(secondsSince(status.since)));
}

export class OperatorStates {
  constructor() {
    this.states = new Map();
    this.pauseReasons = [];
    this.listeners = new Set();
  }

  subscribe(listener) {
    this.listeners.add(listener);
  }

  replace({ operators = [], pauseReasons = [] }) {
    this.states = new Map(operators.map((status) => [status.extension, status]));
    this.pauseReasons = pauseReasons;
    this.notify();
  }

  update(status) {
    this.states.set(status.extension, { ...this.states.get(status.extension), ...status });
    this.notify();
  }

  setPauseReasons(reasons) {
    this.pauseReasons = reasons;
    this.notify();
  }

  get(extension) {
    return this.states.get(extension);
  }

  notify() {
    for (const listener of this.listeners) listener();
  }
}

// The header's "my status": a choice between available and each pause reason, beside the state now.
export function mountMyStatus(context) {
  const { me, operators, api } = context;
  if (!me.extension) return;
  const box = document.getElementById('my-status');
  const choice = document.getElementById('my-status-choice');
  const now = document.getElementById('my-status-state');
  box.hidden = false;

  function render() {
    const status = operators.get(me.extension);
    const options = [element('option', { value: 'available' }, operatorStateLabels.available),
      ...operators.pauseReasons.map((reason) => element('option', { value: `paused:${reason}` }, `Пауза: ${reason}`))];
    choice.replaceChildren(...options);
    choice.value = status?.state === 'paused' ? `paused:${status.reason}` : 'available';
    now.replaceChildren(stateInWords(status), ' ', stateTimer(status) ?? '');
    document.body.dataset.myState = status?.state ?? 'offline';
  }

  choice.addEventListener('change', async () => {
    const [status, reason] = choice.value.split(/:(.*)/s);
    try {
      const { operator } = await api.post(`/api/operators/${encodeURIComponent(me.extension)}/status`, reason ? { status, reason } : { status });
      operators.update(operator);
    } catch (failure) {
      notify(`Статус не изменён: ${failure.message}`, { error: true });
      render();
    }
  });
  operators.subscribe(render);
  render();
}
