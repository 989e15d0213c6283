// Tab "Очереди": the service's queues — each on one of the service's lines (the number customers call), with
// its members (operators' extensions, a tier each), strategy, ring time per offer, maximum wait and the
// number a caller goes on to after it. PUT and DELETE /api/queues/:extension; the service uses a change at once.
import { fieldOfError } from './admin_api.js';
import { setStatus, showErrors } from './form_errors.js';

const strategyLabels = {
  ringall: 'всем сразу',
  'round-robin': 'по кругу',
  'longest-idle': 'дольше всех свободен',
  'fewest-calls': 'меньше всех звонков',
};
const fields = ['extension', 'name', 'strategy', 'members', 'ringSeconds', 'maxWaitSeconds', 'overflowNumber'];

// "1001", "1003 2" one a line -> [{extension, tier}]; the lines that are not of that form, for the error.
export function parseMembers(text) {
  const members = [];
  const wrong = [];
  for (const line of text.split('\n').map((entry) => entry.trim()).filter(Boolean)) {
    const match = /^(\d{1,16})(?:\s+(\d))?$/.exec(line);
    if (match) members.push({ extension: match[1], tier: match[2] ? Number(match[2]) : 1 });
    else wrong.push(line);
  }
  return { members, wrong };
}

const membersText = (members) => members.map((member) => (member.tier > 1 ? `${member.extension} ${member.tier}` : member.extension)).join('\n');

export function createQueuesTab(api) {
  const rows = document.getElementById('queues-rows');
  const none = document.getElementById('no-queues');
  const form = document.getElementById('queue-form');
  const title = document.getElementById('queue-form-title');
  const line = form.elements.extension;
  const cancel = document.getElementById('queue-cancel');
  const status = document.getElementById('queue-status');
  let queues = [];
  let users = [];
  let editing = null;

  function cell(text) {
    const td = document.createElement('td');
    td.textContent = text;
    return td;
  }

  function button(label, action, onClick) {
    const node = document.createElement('button');
    node.type = 'button';
    node.className = 'secondary';
    node.dataset.action = action;
    node.textContent = label;
    node.addEventListener('click', onClick);
    return node;
  }

  function render() {
    rows.replaceChildren(...queues.map((queue) => {
      const row = document.createElement('tr');
      row.dataset.extension = queue.extension;
      const actions = document.createElement('td');
      actions.append(button('Изменить', 'edit', () => edit(queue)), ' ', button('Удалить', 'delete', () => remove(queue)));
      row.append(cell(queue.extension), cell(queue.name), cell(strategyLabels[queue.strategy] ?? queue.strategy),
        cell(queue.members.map((member) => (member.tier > 1 ? `${member.extension} (ур. ${member.tier})` : member.extension)).join(', ')),
        cell(`${queue.ringSeconds} с`), cell(`${queue.maxWaitSeconds} с`), cell(queue.overflowNumber ?? 'завершить'), actions);
      return row;
    }));
    none.hidden = queues.length > 0;
    const chosen = line.value;
    line.replaceChildren(...users.map((user) => {
      const option = document.createElement('option');
      option.value = user.extension;
      option.textContent = `${user.extension} ${user.displayName || user.username}`;
      return option;
    }));
    if (chosen) line.value = chosen;
  }

  function reset() {
    editing = null;
    form.reset();
    line.disabled = false;
    title.textContent = 'Добавить очередь';
    cancel.hidden = true;
    showErrors(form, {});
  }

  function edit(queue) {
    editing = queue.extension;
    title.textContent = `Очередь на линии ${queue.extension}`;
    line.value = queue.extension;
    line.disabled = true;
    form.elements.name.value = queue.name;
    form.elements.strategy.value = queue.strategy;
    form.elements.members.value = membersText(queue.members);
    form.elements.ringSeconds.value = queue.ringSeconds;
    form.elements.maxWaitSeconds.value = queue.maxWaitSeconds;
    form.elements.overflowNumber.value = queue.overflowNumber ?? '';
    cancel.hidden = false;
  }

  async function remove(queue) {
    try {
      await api.delete(`/api/queues/${queue.extension}`);
      setStatus(status, `Очередь «${queue.name}» удалена: её линия звонит как обычная.`, 'ok');
      await load();
    } catch (error) {
      setStatus(status, `Не удалено: ${error.message}`, 'bad');
    }
  }

  cancel.addEventListener('click', reset);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const { members, wrong } = parseMembers(form.elements.members.value);
    const errors = {
      extension: line.value ? '' : 'Сначала добавьте линию очереди во вкладке «Пользователи АТС»',
      name: form.elements.name.value.trim() ? '' : 'Назовите очередь',
      members: wrong.length ? `Не понял строку «${wrong[0]}»: нужен добавочный и, через пробел, уровень 1–9`
        : (members.length ? '' : 'Нужен хотя бы один участник'),
    };
    if (!showErrors(form, errors)) return;
    const extension = editing ?? line.value;
    const body = {
      name: form.elements.name.value.trim(),
      strategy: form.elements.strategy.value,
      members,
      ringSeconds: Number(form.elements.ringSeconds.value),
      maxWaitSeconds: Number(form.elements.maxWaitSeconds.value),
      overflowNumber: form.elements.overflowNumber.value.trim() || null,
    };
    try {
      const { queue } = await api.put(`/api/queues/${extension}`, body);
      setStatus(status, `Очередь «${queue.name}» сохранена и уже работает.`, 'ok');
      reset();
      await load();
    } catch (error) {
      const field = fieldOfError(error, fields) ?? (/^member/.test(error.message) ? 'members' : null);
      if (field) showErrors(form, { [field]: error.message });
      setStatus(status, `Не сохранено: ${error.message}`, 'bad');
    }
  });

  async function load() {
    queues = (await api.get('/api/queues')).queues;
    render();
  }

  return {
    load,
    setUsers(list) {
      users = list;
      render();
    },
  };
}
