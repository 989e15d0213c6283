// The settings page: log in with an admin token, then the tabs. An operator's or supervisor's token gets
// "нет доступа" and no data: the page asks the API first and shows nothing it was refused.
import { createApi } from './admin_api.js';
import { watchLines } from './line_states.js';
import { createPausesTab } from './pauses_tab.js';
import { createSmsTab } from './sms_tab.js';
import { createPbxTab } from './pbx_tab.js';
import { createQueuesTab } from './queues_tab.js';
import { forgetToken, storedToken, storeToken } from '../shared/session.js';
import { createTokensTab } from './tokens_tab.js';
import { createUsersTab } from './users_tab.js';
import { createWebhooksTab } from './webhooks_tab.js';

const $ = (id) => document.getElementById(id);

function show(section) {
  for (const id of ['login', 'denied', 'app']) $(id).hidden = id !== section;
  $('logout').hidden = section !== 'app';
}

function logout() {
  forgetToken();
  window.location.reload();
}

function showLogin(message = '') {
  show('login');
  $('login-error').textContent = message;
  $('login-token').focus();
}

$('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = $('login-token').value.trim();
  if (!token) return showLogin('Введите токен.');
  storeToken(token);
  start(token);
});
$('logout').addEventListener('click', logout);
$('denied-logout').addEventListener('click', logout);

function selectTab(name) {
  for (const tab of document.querySelectorAll('[role=tab]')) tab.setAttribute('aria-selected', String(tab.dataset.tab === name));
  for (const panel of document.querySelectorAll('.tab')) panel.hidden = panel.id !== `tab-${name}`;
}
for (const tab of document.querySelectorAll('[role=tab]')) tab.addEventListener('click', () => selectTab(tab.dataset.tab));

function setPill(id, text, kind) {
  $(id).textContent = text;
  $(id).className = `pill pill-${kind}`;
}

async function start(token) {
  const api = createApi(token);
  let pbx;
  try {
    // The first request is also the access check: nothing is shown before the API said yes.
    pbx = (await api.get('/api/settings/pbx')).settings;
  } catch (error) {
    if (error.status === 401) {
      forgetToken();
      return showLogin('Токен не принят: проверьте его или попросите новый у администратора.');
    }
    if (error.status === 403) {
      show('denied');
      $('denied-text').textContent = 'Нет доступа: эта страница только для администраторов, а ваш токен — токен оператора или супервайзера.';
      return;
    }
    return showLogin(`Не удалось загрузить настройки: ${error.message}`);
  }

  show('app');
  let lines = new Map();
  const tokens = createTokensTab(api);
  const pauses = createPausesTab(api);
  const queues = createQueuesTab(api);
  const sms = createSmsTab(api);
  createWebhooksTab(api); // reads its list itself while its tab is open
  const pbxTab = createPbxTab(api, { users: () => users.users() });
  const users = createUsersTab(api, {
    onUsersChanged(list) {
      tokens.setExtensions(list);
      queues.setUsers(list);
      pbxTab.renderLines(lines);
    },
  });
  pbxTab.fill(pbx);
  await Promise.all([users.load(), tokens.load(), pauses.load(), queues.load(), sms.load()]);

  watchLines(token, {
    onChange(next) {
      lines = next;
      users.updateLines(next);
      pbxTab.renderLines(next);
      const registered = [...next.values()].filter((line) => line.registered).length;
      setPill('pbx-state', `АТС: ${registered} из ${next.size} линий`, registered > 0 ? 'ok' : 'bad');
    },
    onOnline: () => setPill('stream-state', 'в сети', 'ok'),
    onOffline: () => setPill('stream-state', 'нет связи, переподключаемся…', 'bad'),
    onRefused: (message) => setPill('stream-state', `обновления недоступны: ${message}`, 'bad'),
  });
}

const token = storedToken();
if (token) start(token);
else showLogin();
