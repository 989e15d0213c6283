// The supervisor's board: every operator's live state in one place, from the lines and the active calls.
import { clear, element } from '../shared/dom.js';
import { formatPhone } from '../shared/phone.js';
import { formatDuration, secondsSince } from '../shared/time.js';
import { callTimerStart } from './active_calls.js';
import { customerNumber } from './labels.js';
import { stateInWords, stateTimer } from './operator_status.js';

const states = {
  down: { label: 'Линия не работает', className: 'down' },
  ringing: { label: 'Звонит', className: 'ringing' },
  talking: { label: 'Разговаривает', className: 'answered' },
  held: { label: 'На удержании', className: 'held' },
  idle: { label: 'Свободен', className: '' },
};

// One operator's state: a call outranks the line (a call can go on while the PBX registration is renewed).
export function operatorState(line, calls) {
  const own = calls.filter((call) => call.extension === line.extension);
  if (own.some((call) => call.status === 'answered' || call.status === 'transferred')) return 'talking';
  if (own.some((call) => call.status === 'held')) return 'held';
  if (own.some((call) => call.status === 'ringing')) return 'ringing';
  if (!line.registered || !line.deviceRegistered) return 'down';
  return 'idle';
}

function lineDetail(line) {
  if (!line.registered) return line.detail || 'не зарегистрирована на АТС';
  if (!line.deviceRegistered) return 'телефон оператора не подключён';
  return '';
}

export function mountBoard(context) {
  const board = document.getElementById('board');

  function render() {
    const calls = context.calls.list();
    // A queue's line is the number customers call, not an operator: its queue has a section of its own.
    const operatorLines = context.lines.list().filter((line) => !context.queues.isQueueLine(line.extension));
    clear(board).append(...operatorLines.map((line) => {
      const state = operatorState(line, calls);
      const call = calls.find((item) => item.extension === line.extension);
      return element('div', { className: 'operator', dataset: { extension: line.extension, state } },
        element('div', { className: 'name' }, line.displayName || line.username || line.extension),
        element('div', { className: 'muted small' }, `доб. ${line.extension}`),
        element('div', {}, element('span', { className: `status ${states[state].className}` }, states[state].label)),
        context.operators.get(line.extension)
          ? element('div', { className: 'small operator-state', dataset: { operatorState: context.operators.get(line.extension).state } },
            stateInWords(context.operators.get(line.extension)), ' · ', stateTimer(context.operators.get(line.extension)))
          : null,
        call ? element('div', { className: 'small' }, formatPhone(customerNumber(call)), ' ',
          element('span', { className: 'timer', dataset: { since: callTimerStart(call) } }, formatDuration(secondsSince(callTimerStart(call))))) : null,
        state === 'down' ? element('div', { className: 'small muted' }, lineDetail(line)) : null);
    }));
    if (!context.lines.list().length) board.append(element('p', { className: 'muted' }, 'Операторы не настроены'));
  }

  context.calls.subscribe(render);
  context.lines.subscribe(render);
  context.operators.subscribe(render);
  context.queues.subscribe(render);
  render();
}
