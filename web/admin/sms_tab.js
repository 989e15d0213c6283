// Tab "SMS": the texts sent to a customer after a missed call and after a call that produced an order. Saved for
// the whole centre and used from the next SMS on (PUT /api/settings/sms); an empty text sends none of its
// kind. The gateway itself is configuration (SMS_GATEWAY_URL, which may hold its key): only named here.
import { fieldOfError } from './admin_api.js';
import { setStatus, showErrors } from './form_errors.js';

const longest = 500;

export function createSmsTab(api) {
  const form = document.getElementById('sms-form');
  const gateway = document.getElementById('sms-gateway');
  const status = document.getElementById('sms-status');

  function fill(settings) {
    form.elements.missedText.value = settings.missedText;
    form.elements.orderText.value = settings.orderText;
    gateway.textContent = settings.gateway
      ? `Шлюз: ${settings.gateway}. Не чаще одного SMS на номер в ${settings.minIntervalMinutes} мин; сотрудникам SMS не уходят.`
      : 'Шлюз не настроен (SMS_GATEWAY_URL в конфигурации сервиса): тексты сохранятся, но SMS не уйдут.';
    gateway.className = settings.gateway ? 'hint' : 'hint bad';
  }

  async function load() {
    fill((await api.get('/api/settings/sms')).settings);
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { missedText: form.elements.missedText.value.trim(), orderText: form.elements.orderText.value.trim() };
    const tooLong = (text) => (text.length > longest ? `Не длиннее ${longest} символов` : '');
    if (!showErrors(form, { missedText: tooLong(body.missedText), orderText: tooLong(body.orderText) })) return;
    try {
      const { settings } = await api.put('/api/settings/sms', body);
      fill(settings);
      setStatus(status, 'Сохранено: следующие SMS уйдут с этими текстами.', 'ok');
    } catch (error) {
      const field = fieldOfError(error, ['missedText', 'orderText']);
      if (field) showErrors(form, { [field]: error.message });
      setStatus(status, `Не сохранено: ${error.message}`, 'bad');
    }
  });

  return { load };
}
