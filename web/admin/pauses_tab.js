// Tab "Паузы": the reasons an operator may pause for, one a line. Saved for the whole centre and used at once
// (PUT /api/settings/pause-reasons); an operator already paused keeps the reason it chose.
import { fieldOfError } from './admin_api.js';
import { setStatus, showErrors } from './form_errors.js';

export function createPausesTab(api) {
  const form = document.getElementById('pauses-form');
  const field = form.elements.reasons;
  const status = document.getElementById('pauses-status');

  async function load() {
    const { pauseReasons } = await api.get('/api/operators');
    field.value = pauseReasons.join('\n');
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const reasons = field.value.split('\n').map((line) => line.trim()).filter(Boolean);
    if (!showErrors(form, { reasons: reasons.length ? '' : 'Нужна хотя бы одна причина' })) return;
    try {
      const { pauseReasons } = await api.put('/api/settings/pause-reasons', { reasons });
      field.value = pauseReasons.join('\n');
      setStatus(status, `Сохранено: причин ${pauseReasons.length}. Консоли операторов уже предлагают их.`, 'ok');
    } catch (error) {
      if (fieldOfError(error, ['reasons'])) showErrors(form, { reasons: error.message });
      setStatus(status, `Не сохранено: ${error.message}`, 'bad');
    }
  });

  return { load };
}
