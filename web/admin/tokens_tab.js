// Tab "Токены": API tokens for operators (bound to an extension) and supervisors; a new token is shown once,
// the list never holds secrets; revoking takes effect at once.
import { fieldOfError } from './admin_api.js';
import { setStatus, showErrors } from './form_errors.js';

const roleNames = { operator: 'оператор', supervisor: 'супервайзер', admin: 'администратор', metrics: 'сбор метрик' };

export function createTokensTab(api) {
  const rows = document.getElementById('tokens-rows');
  const form = document.getElementById('token-form');
  const status = document.getElementById('token-status');
  const created = document.getElementById('token-created');
  const value = document.getElementById('token-value');
  const role = form.elements.role;
  const extension = form.elements.extension;

  const syncExtension = () => {
    extension.disabled = role.value !== 'operator';
  };
  role.addEventListener('change', syncExtension);

  function cell(text) {
    const td = document.createElement('td');
    td.textContent = text;
    return td;
  }

  async function reload() {
    const { tokens } = await api.get('/api/tokens');
    const live = tokens.filter((token) => !token.revokedAt);
    rows.replaceChildren(
      ...live.map((token) => {
        const row = document.createElement('tr');
        row.dataset.id = token.id;
        const actions = document.createElement('td');
        const revoke = document.createElement('button');
        revoke.className = 'link danger';
        revoke.textContent = 'Отозвать';
        revoke.addEventListener('click', async () => {
          if (!window.confirm(`Отозвать токен «${token.name}»? Он перестанет работать сразу.`)) return;
          try {
            await api.delete(`/api/tokens/${encodeURIComponent(token.id)}`);
            setStatus(status, `Токен «${token.name}» отозван.`, 'ok');
            await reload();
          } catch (error) {
            setStatus(status, `Не отозван: ${error.message}`, 'bad');
          }
        });
        actions.append(revoke);
        row.append(
          cell(token.name),
          cell(roleNames[token.role] ?? token.role),
          cell(token.extension ?? '—'),
          cell(new Date(token.createdAt).toLocaleString('ru-RU')),
          actions,
        );
        return row;
      }),
    );
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    created.hidden = true;
    const body = { name: form.elements.name.value.trim(), role: role.value };
    if (role.value === 'operator') body.extension = extension.value;
    const errors = {};
    if (!body.name) errors.name = 'Укажите, кому выдан токен.';
    if (role.value === 'operator' && !body.extension) errors.extension = 'Сначала добавьте пользователя АТС.';
    if (!showErrors(form, errors)) return;
    try {
      const answer = await api.post('/api/tokens', body);
      value.textContent = answer.token;
      created.hidden = false;
      form.elements.name.value = '';
      setStatus(status, '');
      await reload();
    } catch (error) {
      const field = fieldOfError(error, ['name', 'extension']);
      if (field) showErrors(form, { [field]: `Служба не приняла значение: ${error.message}` });
      setStatus(status, `Не создан: ${error.message}`, 'bad');
    }
  });

  return {
    load: reload,
    setExtensions(users) {
      const chosen = extension.value;
      extension.replaceChildren(
        ...users.map((user) => new Option(`${user.extension} · ${user.displayName || user.username}`, user.extension)),
      );
      if (users.some((user) => user.extension === chosen)) extension.value = chosen;
      syncExtension();
    },
  };
}
