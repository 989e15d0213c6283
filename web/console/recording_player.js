// A call's recording in the console: a button that fetches the file with the operator's token (an audio
// element cannot send one) and plays it in a player that seeks within it; the state in words until then.
import { element } from '../shared/dom.js';
import { formatDuration } from '../shared/time.js';
import { recordingState } from './labels.js';

export function recordingPlayer(call, api) {
  const recording = call.recording;
  if (!recording) return null;
  if (recording.status !== 'ready') return element('span', { className: 'recording-state muted' }, recordingState(call));
  const box = element('span', { className: 'recording', dataset: { callId: call.id } });
  const play = element('button', {
    type: 'button',
    className: 'link play-recording',
    onclick: async () => {
      play.disabled = true;
      try {
        const file = await api.blob(recording.url);
        const audio = element('audio', { controls: true, preload: 'auto', src: URL.createObjectURL(file) });
        box.replaceChildren(audio);
        audio.play().catch(() => {}); // a browser that will not start on its own leaves the controls to the operator
      } catch (failure) {
        box.replaceChildren(element('span', { className: 'error' }, `Запись недоступна: ${failure.message}`));
      }
    },
  }, `▶ Запись ${formatDuration(Math.round(recording.durationSeconds))}`);
  box.append(play);
  return box;
}
