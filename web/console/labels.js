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
