// Times and durations in Russian as the pages show them.
const dateTime = new Intl.DateTimeFormat('ru-RU', { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const dayMonth = new Intl.DateTimeFormat('ru-RU', { day: '2-digit', month: '2-digit' });

export function formatDuration(seconds) {
  const total = Math.max(0, Math.floor(seconds ?? 0));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = String(total % 60).padStart(2, '0');
  return hours ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

export function formatDateTime(iso) {
  return iso ? dateTime.format(new Date(iso)) : '';
}

export function formatDayMonth(date) {
  return dayMonth.format(date);
}

// YYYY-MM-DD of a local date, as /api/calls/stats wants it.
export function isoDate(date) {
  const month = String(date.getMonth() + 1).padStart(2, '0');
  const day = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${month}-${day}`;
}

export function secondsSince(iso, now = Date.now()) {
  return iso ? (now - Date.parse(iso)) / 1000 : 0;
}
