// Click-to-call: any written form of a number (the service normalises it), from the operator's own
// extension (a supervisor picks one), with the auto-answer choice. A CRM page opens `/?dial=<number>`:
// the number is put in the field, ready for one click.
import { element } from '../shared/dom.js';
import { formatPhone, looksLikePhone } from '../shared/phone.js';
import { notify } from './notice.js';

export function mountDialer(context) {
  const form = document.getElementById('dialer');
  const number = document.getElementById('dial-number');
  const from = document.getElementById('dial-from');
  const fromLabel = document.getElementById('dial-from-label');
  const autoAnswer = document.getElementById('dial-auto-answer');
  const error = document.getElementById('dial-error');
  const button = document.getElementById('dial-button');

  const rememberedChoice = window.localStorage.getItem('ff.autoAnswer');
  if (rememberedChoice !== null) autoAnswer.checked = rememberedChoice === 'yes';
  autoAnswer.addEventListener('change', () => window.localStorage.setItem('ff.autoAnswer', autoAnswer.checked ? 'yes' : 'no'));

  // Operators dial from their own extension; the others choose among the lines.
  if (!context.me.extension) {
    fromLabel.hidden = false;
    const fill = () => {
      const chosen = from.value;
      from.replaceChildren(...context.lines.list().map((line) =>
        element('option', { value: line.extension }, `${line.extension} ${line.displayName || line.username || ''}`)));
      if (chosen) from.value = chosen;
    };
    context.lines.subscribe(fill);
    fill();
  }

  const link = new URLSearchParams(window.location.search).get('dial');
  if (link) {
    number.value = link;
    button.focus();
    // The link did its job: a reload must not offer the number again.
    const url = new URL(window.location.href);
    url.searchParams.delete('dial');
    window.history.replaceState(null, '', url);
  }

  // Places a call to `typed` from the operator's line; the form's errors say what went wrong. The callback
  // list calls back through here too. Resolves true once the service took the call.
  async function dial(typed) {
    error.textContent = '';
    if (!looksLikePhone(typed)) {
      error.textContent = 'Введите номер телефона: цифры, можно с +, пробелами, скобками и дефисами';
      return false;
    }
    const extension = context.me.extension ?? from.value;
    if (!extension) {
      error.textContent = 'Выберите добавочный, с которого звонить';
      return false;
    }
    button.disabled = true;
    // With the browser phone on, this very page rings (and answers by itself): no desk phone is involved.
    const browserPhone = context.browserPhone?.deviceId();
    const request = browserPhone
      ? { from: extension, to: typed, browserPhone }
      : { from: extension, to: typed, autoAnswer: autoAnswer.checked };
    try {
      const { call } = await context.api.post('/api/calls/dial', request);
      notify(`Звоним на ${formatPhone(call.to)}`);
      return true;
    } catch (failure) {
      error.textContent = failure.message;
      notify(`Не удалось позвонить: ${failure.message}`, { error: true });
      return false;
    } finally {
      button.disabled = false;
    }
  }
  context.dial = dial;

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (await dial(number.value.trim())) number.value = '';
  });
}
