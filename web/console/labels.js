// Russian words for the service's statuses, directions and end reasons.
export const statusLabels = {
  ringing: 'Звонит',
  answered: 'Разговор',
  held: 'На удержании',
  transferred: 'Переводится',
  ended: 'Завершён',
};

export const endReasonLabels = {
  completed: 'Состоялся',
  missed: 'Пропущен',
  busy: 'Занято',
  rejected: 'Отклонён',
  failed: 'Сбой',
  cancelled: 'Отменён',
  transferred: 'Переведён',
};

export const directionLabels = {
  inbound: 'Входящий',
  outbound: 'Исходящий',
};

// The customer's number of a call: the caller of an inbound call, the dialled number of an outbound one.
export function customerNumber(call) {
  return call.direction === 'inbound' ? call.from : call.to;
}

// The operators who had a call, in order ("1001 → 1002"; a transfer outside ends with its number).
export function operatorChain(call) {
  const turns = call.operators ?? [];
  if (!turns.length) return call.extension ?? '';
  const chain = turns.map((turn) => turn.extension);
  const last = turns[turns.length - 1];
  if (last.transferredTo) chain.push(last.transferredTo);
  return chain.join(' → ');
}

// Each operator's turn, for a call's details: who, how long they talked, whom they passed the call to.
export function operatorTurnLines(call) {
  return (call.operators ?? []).map((turn) =>
    `доб. ${turn.extension}: ${turn.answeredAt ? `разговор ${turn.talkSeconds} с` : 'не ответил'}` +
    `${turn.transferredTo ? `, перевёл на ${turn.transferredTo}` : ''}`);
}
