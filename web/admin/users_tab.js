// Tab "Пользователи АТС": the operators' PBX accounts — add, edit, delete; the password is write-only (shown
// as set / not set); each row shows its line at the PBX and the operator's phone, live.
import { fieldOfError } from './admin_api.js';
import { setStatus, showErrors } from './form_errors.js';
import { deviceBadge, lineBadge } from './line_states.js';
import { checkUserForm } from './validation.js';

const fields = ['extension', 'username', 'password', 'displayName'];

export function createUsersTab(api, { onUsersChanged }) {
  const rows = document.getElementById('users-rows');
  const form = document.getElementById('user-form');
  const title = document.getElementById('user-form-title');
  const saveButton = document.getElementById('user-save');
  const cancelButton = document.getElementById('user-cancel');
  const status = document.getElementById('user-status');
  let users = [];
  let lines = new Map();
  let editing = null; // extension being edited, or null when adding

  function badgeCell(badge) {
    const cell = document.createElement('td');
    const span = document.createElement('span');
    span.className = `badge badge-${badge.kind}`;
    span.textContent = badge.text;
    cell.append(span);
    return cell;
  }

  function textCell(text) {
    const cell = document.createElement('td');
    cell.textContent = text;
    return cell;
  }

  function render() {
    rows.replaceChildren(
      ...users.map((user) => {
        const line = lines.get(user.extension) ?? user;
        const row = document.createElement('tr');
        row.dataset.extension = user.extension;
        const actions = document.createElement('td');
        actions.className = 'row-actions';
        const edit = document.createElement('button');
        edit.className = 'link';
        edit.textContent = 'Изменить';
        edit.addEventListener('click', () => startEditing(user));
        const remove = document.createElement('button');
        remove.className = 'link danger';
        remove.textContent = 'Удалить';
        remove.addEventListener('click', () => removeUser(user));
        actions.append(edit, remove);
        row.append(
          textCell(user.extension),
          textCell(user.username),
          textCell(user.displayName),
          textCell(user.passwordSet ? 'задан' : 'не задан'),
          badgeCell(lineBadge(line)),
          badgeCell(deviceBadge(line)),
          actions,
        );
        row.children[4].dataset.cell = 'line';
        row.children[5].dataset.cell = 'device';
        return row;
      }),
    );
    if (!users.length) {
      const row = document.createElement('tr');
      const cell = textCell('Пользователей пока нет. Добавьте первого в форме ниже.');
      cell.colSpan = 7;
      cell.className = 'hint';
      row.append(cell);
      rows.append(row);
    }
  }

  function resetForm() {
    editing = null;
    form.reset();
    form.elements.extension.disabled = false;
    form.elements.password.placeholder = '';
    title.textContent = 'Добавить пользователя';
    saveButton.textContent = 'Добавить';
    cancelButton.hidden = true;
    showErrors(form, {});
  }

  function startEditing(user) {
    editing = user.extension;
    form.elements.extension.value = user.extension;
    form.elements.extension.disabled = true;
    form.elements.username.value = user.username;
    form.elements.displayName.value = user.displayName;
    form.elements.password.value = '';
    form.elements.password.placeholder = user.passwordSet ? 'задан — оставьте пустым, чтобы не менять' : '';
    title.textContent = `Изменить пользователя ${user.extension}`;
    saveButton.textContent = 'Сохранить';
    cancelButton.hidden = false;
    setStatus(status, '');
    form.elements.username.focus();
  }

  async function removeUser(user) {
    if (!window.confirm(`Удалить пользователя ${user.extension} (${user.username})? Его линия снимется с регистрации.`)) return;
    try {
      await api.delete(`/api/settings/users/${encodeURIComponent(user.extension)}`);
      setStatus(status, `Пользователь ${user.extension} удалён.`, 'ok');
      if (editing === user.extension) resetForm();
      await reload();
    } catch (error) {
      setStatus(status, `Не удалено: ${error.message}`, 'bad');
    }
  }

  async function reload() {
    users = (await api.get('/api/settings/users')).users;
    render();
    onUsersChanged(users);
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const { values, errors } = checkUserForm(form, { editing: editing !== null });
    if (!showErrors(form, errors)) return setStatus(status, 'Исправьте поля, отмеченные красным.', 'bad');
    try {
      if (editing === null) {
        await api.post('/api/settings/users', values);
        setStatus(status, `Пользователь ${values.extension} добавлен; его линия регистрируется на АТС.`, 'ok');
      } else {
        const { extension, ...changes } = values;
        await api.put(`/api/settings/users/${encodeURIComponent(editing)}`, changes);
        setStatus(status, `Пользователь ${editing} сохранён.`, 'ok');
      }
      resetForm();
      await reload();
    } catch (error) {
      const field = fieldOfError(error, fields);
      if (field) showErrors(form, { [field]: `Служба не приняла значение: ${error.message}` });
      else if (error.status === 409) showErrors(form, { extension: 'Такой внутренний номер уже есть.' });
      setStatus(status, `Не сохранено: ${error.message}`, 'bad');
    }
  });
  cancelButton.addEventListener('click', resetForm);

  return {
    load: reload,
    users: () => users,
    updateLines(next) {
      lines = next;
      render();
    },
  };
}
