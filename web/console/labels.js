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

// What went wrong with a call's audio, in words (MEDIA=rtpengine counts each direction); '' when nothing did
// or the service did not carry the call's audio.
export function audioProblem(call) {
  const media = call.media;
  if (!media) return '';
  if (media.noAudio) return 'нет звука в обе стороны';
  if (!media.oneWay) return '';
  return media.customerToOperator.packets === 0 ? 'оператор не слышал клиента' : 'клиент не слышал оператора';
}

// How each direction of a call's audio arrived, for its details ("клиент → оператор: 2950 пакетов, потеряно 3,
// джиттер 4 мс").
export function audioLines(call) {
  const media = call.media;
  if (!media) return [];
  const line = (label, flow) => `${label}: ${flow.packets} пакетов` +
    `${flow.lost != null ? `, потеряно ${flow.lost}` : ''}${flow.jitterMs != null ? `, джиттер ${flow.jitterMs} мс` : ''}`;
  return [line('клиент → оператор', media.customerToOperator), line('оператор → клиент', media.operatorToCustomer)];
}

// Where a call's recording stands, in words; '' for a call that was not recorded or whose file is ready
// (the player shows that one).
export function recordingState(call) {
  const recording = call.recording;
  if (!recording) return '';
  switch (recording.status) {
    case 'recording': return 'идёт запись';
    case 'paused': return 'запись остановлена';
    case 'processing': return 'запись готовится';
    case 'failed': return `запись не удалась: ${recording.reason}`;
    default: return '';
  }
}
