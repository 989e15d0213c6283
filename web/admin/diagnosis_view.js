// The steps of "Проверить подключение" as a list: each with its state, what was found and what to do.
const marks = { ok: '✓', failed: '✗', skipped: '–', running: '…' };
const labels = { ok: 'успешно', failed: 'ошибка', skipped: 'пропущено', running: 'проверяется' };

export function showRunning(list) {
  list.replaceChildren(step({ title: 'Проверка подключения', status: 'running', message: 'Проверяем адрес, связь и учётные записи…' }));
}

export function showReport(list, report) {
  list.replaceChildren(...report.steps.map(step));
}

export function showFailure(list, message) {
  list.replaceChildren(step({ title: 'Проверка не выполнена', status: 'failed', message }));
}

function step({ title, status, message, rttMs, step: kind, outcome }) {
  const item = document.createElement('li');
  item.className = `step step-${status}`;
  item.dataset.status = status;
  if (kind) item.dataset.step = kind;
  if (outcome) item.dataset.outcome = outcome;
  const head = document.createElement('div');
  head.className = 'step-head';
  const mark = document.createElement('span');
  mark.className = 'mark';
  mark.textContent = marks[status] ?? '?';
  mark.setAttribute('aria-label', labels[status] ?? status);
  const name = document.createElement('strong');
  name.textContent = title;
  head.append(mark, name);
  if (rttMs !== undefined) {
    const rtt = document.createElement('span');
    rtt.className = 'rtt';
    rtt.textContent = `${rttMs} мс`;
    head.append(rtt);
  }
  const text = document.createElement('p');
  text.textContent = message;
  item.append(head, text);
  return item;
}
