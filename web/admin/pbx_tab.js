// Tab "Настройки АТС": the PBX form (checked here, then by the API), saving it live, the lines' states, and
// "Проверить подключение" on the values in the form, before they are saved.
import { fieldOfError } from './admin_api.js';
import { showFailure, showReport, showRunning } from './diagnosis_view.js';
import { setStatus, showErrors } from './form_errors.js';
import { lineBadge } from './line_states.js';
import { checkPbxForm } from './validation.js';

const fields = ['server', 'port', 'transport', 'rtpPortMin', 'rtpPortMax', 'stunServer'];

export function createPbxTab(api, { users }) {
  const form = document.getElementById('pbx-form');
  const status = document.getElementById('pbx-status');
  const testButton = document.getElementById('pbx-test');
  const linesList = document.getElementById('pbx-lines');
  const diagnosis = document.getElementById('diagnosis');
  const steps = document.getElementById('diagnosis-steps');

  function fill(settings) {
    for (const name of fields) form.elements[name].value = settings[name] ?? '';
  }

  function apiRefused(error) {
    const field = fieldOfError(error, fields);
    if (field) showErrors(form, { [field]: `Служба не приняла значение: ${error.message}` });
    setStatus(status, `Не сохранено: ${error.message}`, 'bad');
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const { values, errors } = checkPbxForm(form);
    if (!showErrors(form, errors)) return setStatus(status, 'Исправьте поля, отмеченные красным.', 'bad');
    setStatus(status, 'Сохраняем…');
    try {
      const saved = await api.put('/api/settings/pbx', values);
      fill(saved.settings);
      setStatus(status, 'Сохранено. Линии перерегистрируются на АТС — состояние справа обновится само.', 'ok');
    } catch (error) {
      apiRefused(error);
    }
  });

  testButton.addEventListener('click', async () => {
    const { values, errors } = checkPbxForm(form);
    if (!showErrors(form, errors)) return setStatus(status, 'Исправьте поля, отмеченные красным.', 'bad');
    diagnosis.hidden = false;
    testButton.disabled = true;
    showRunning(steps);
    try {
      const { server, port, transport } = values;
      const report = await api.post('/api/settings/test-connection', { server, port, transport });
      showReport(steps, report);
      setStatus(status, report.ok ? 'Подключение в порядке.' : 'Проверка нашла ошибку — подробности справа.', report.ok ? 'ok' : 'bad');
    } catch (error) {
      showFailure(steps, error.message);
      const field = fieldOfError(error, fields);
      if (field) showErrors(form, { [field]: `Служба не приняла значение: ${error.message}` });
    } finally {
      testButton.disabled = false;
    }
  });

  function renderLines(lines) {
    const known = users();
    const items = known.map((user) => {
      const line = lines.get(user.extension);
      const badge = lineBadge(line);
      const item = document.createElement('li');
      item.dataset.extension = user.extension;
      item.dataset.registered = String(Boolean(line?.registered));
      item.dataset.detail = line?.detail ?? '';
      item.title = line?.detail ?? '';
      const name = document.createElement('span');
      name.className = 'line-name';
      name.textContent = `${user.extension} · ${user.displayName || user.username}`;
      const state = document.createElement('span');
      state.className = `badge badge-${badge.kind}`;
      state.textContent = badge.text;
      item.append(name, state);
      return item;
    });
    if (!items.length) {
      const empty = document.createElement('li');
      empty.className = 'hint';
      empty.textContent = 'Пользователей АТС пока нет: добавьте их на вкладке «Пользователи АТС».';
      items.push(empty);
    }
    linesList.replaceChildren(...items);
  }

  return { fill, renderLines };
}
