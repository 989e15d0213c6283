// The service's queues in the console: every console's header counts the callers waiting (so an operator on
// a pause sees the queue grow), and the supervisor's board lists each queue's callers in order — their wait,
// and whose phone their offer rings — with the members and their states. GET /api/queues, then queue:state.
import { clear, element } from '../shared/dom.js';
import { formatPhone } from '../shared/phone.js';
import { formatDuration, secondsSince } from '../shared/time.js';
import { stateInWords } from './operator_status.js';

export class Queues {
  constructor() {
    this.queues = new Map();  // by line: {extension, name, members, waiting, ...}
    this.listeners = new Set();
  }

  subscribe(listener) {
    this.listeners.add(listener);
  }

  replace(queues) {
    this.queues = new Map(queues.map((queue) => [queue.extension, queue]));
    this.notify({ configuration: true });
  }

  update({ queue, waiting }) {
    const known = this.queues.get(queue);
    if (!known) return;  // a queue this page has not loaded yet: the next load has it
    this.queues.set(queue, { ...known, waiting });
    this.notify({ configuration: false });
  }

  list() {
    return [...this.queues.values()];
  }

  isQueueLine(extension) {
    return this.queues.has(extension);
  }

  waitingCount() {
    return this.list().reduce((sum, queue) => sum + (queue.waiting?.length ?? 0), 0);
  }

  // `change.configuration`: the queues themselves were (re)loaded, not only who waits.
  notify(change) {
    for (const listener of this.listeners) listener(change);
  }
}

function waitingRow(caller) {
  return element('li', { dataset: { callId: caller.callId, position: String(caller.position) } },
    element('span', { className: 'position' }, `${caller.position}.`), ' ',
    element('span', { className: 'call-number' }, formatPhone(caller.caller)), ' ',
    element('span', { className: 'timer', dataset: { since: caller.since } }, formatDuration(secondsSince(caller.since))),
    caller.ringing.length ? element('span', { className: 'muted small' }, ` · звонит: ${caller.ringing.join(', ')}`) : null);
}

export function mountQueues(context) {
  const badge = document.getElementById('queue-waiting');
  const board = document.getElementById('board-queues');

  function render() {
    const queues = context.queues.list();
    badge.hidden = queues.length === 0;
    badge.textContent = `В очереди: ${context.queues.waitingCount()}`;
    badge.dataset.waiting = String(context.queues.waitingCount());
    clear(board).append(...queues.map((queue) => element('section', { className: 'queue', dataset: { queue: queue.extension } },
      element('h3', {}, `Очередь «${queue.name}»`, element('span', { className: 'muted small' }, ` · линия ${queue.extension} · ждут: ${queue.waiting?.length ?? 0}`)),
      queue.waiting?.length
        ? element('ol', { className: 'queue-waiting' }, ...queue.waiting.map(waitingRow))
        : element('p', { className: 'muted small' }, 'Никто не ждёт'),
      element('p', { className: 'small queue-members' }, 'Участники: ', ...queue.members.map((member, index) => {
        const status = context.operators.get(member.extension);
        return element('span', { dataset: { extension: member.extension, operatorState: status?.state ?? 'offline' } },
          index ? ', ' : '', `${member.extension}${member.tier > 1 ? ` (ур. ${member.tier})` : ''} — ${status ? stateInWords(status).toLowerCase() : 'не в сети'}`);
      })))));
  }

  context.queues.subscribe(render);
  context.operators.subscribe(render);
  render();
  return {
    async load() {
      try {
        context.queues.replace((await context.api.get('/api/queues')).queues ?? []);
      } catch {
        // Offline or refused: the next connection loads them again.
      }
    },
  };
}
