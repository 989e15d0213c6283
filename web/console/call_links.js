// What an operator attaches to a call: the customer (CRM id and name), orders and notes. Used by the popup
// during the call and by the history afterwards; `onSaved(call)` gets the call as the API returns it.
import { element } from '../shared/dom.js';
import { notify } from './notice.js';
import { customerNumber } from './labels.js';

function smallForm(fields, label, submit) {
  const button = element('button', { type: 'submit' }, label);
  const form = element('form', {}, fields, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    try {
      await submit();
      form.reset();
    } catch (error) {
      notify(error.message, { error: true });
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

export function callLinks(call, { api }, onSaved = () => {}) {
  const path = (what) => `/api/calls/${encodeURIComponent(call.id)}/${what}`;
  const customerId = element('input', { placeholder: 'ID клиента', 'aria-label': 'ID клиента', required: true, value: call.customer?.id ?? '' });
  const customerName = element('input', { placeholder: 'Имя клиента', 'aria-label': 'Имя клиента', value: call.customer?.name ?? '' });
  const order = element('input', { placeholder: 'Номер заказа', 'aria-label': 'Номер заказа', required: true });
  const note = element('input', { placeholder: 'Заметка', 'aria-label': 'Заметка', required: true, maxlength: 2000 });

  return element('div', { className: 'links' },
    smallForm([customerId, customerName], 'Привязать клиента', async () => {
      const body = { customerId: customerId.value.trim() };
      // An internal call's "number" is an extension, not a customer's phone.
      if (/^\+\d{6,}$/.test(customerNumber(call))) body.customerPhone = customerNumber(call);
      if (customerName.value.trim()) body.customerName = customerName.value.trim();
      const saved = await api.post(path('customer'), body);
      notify('Клиент привязан к звонку');
      onSaved(saved.call);
    }),
    smallForm([order], 'Привязать заказ', async () => {
      const saved = await api.post(path('order'), { orderId: order.value.trim() });
      notify('Заказ привязан к звонку');
      onSaved(saved.call);
    }),
    smallForm([note], 'Добавить заметку', async () => {
      const saved = await api.post(path('notes'), { note: note.value.trim() });
      notify('Заметка сохранена');
      onSaved(saved.call);
    }));
}

// The forms of one call kept across redraws of the popup or the history, with what the operator typed in them,
// while the call's customer stays the same; a customer found or linked since fills them afresh.
// `kept` is what the previous call returned (or null); returns { callId, customer, element }.
export function keptCallLinks(kept, call, context, onSaved) {
  const customer = JSON.stringify(call.customer ?? null);
  if (kept?.callId === call.id && kept.customer === customer) return kept;
  return { callId: call.id, customer, element: callLinks(call, context, onSaved) };
}
