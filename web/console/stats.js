// An operator's statistics for a date range (GET /api/calls/stats/{extension}), with the conversion of
// calls into orders, a small chart of calls and calls with orders per day (inline SVG), and each queue's
// figures for the same days (GET /api/queues/{extension}/stats).
import { clear, element } from '../shared/dom.js';
import { formatDayMonth, formatDuration, isoDate } from '../shared/time.js';

const chartDaysMax = 31; // one request per day: longer ranges get the figures only
const svgNamespace = 'http://www.w3.org/2000/svg';

function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(svgNamespace, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

function percent(rate) {
  return `${(Math.round((rate ?? 0) * 1000) / 10).toLocaleString('ru-RU')} %`;
}

function figure(label, value, key = false) {
  return element('div', { className: key ? 'figure key' : 'figure' }, element('b', {}, value), label);
}

function days(fromText, toText) {
  const list = [];
  const day = new Date(`${fromText}T00:00:00`);
  const last = new Date(`${toText}T00:00:00`);
  while (day <= last && list.length <= chartDaysMax) {
    list.push(new Date(day));
    day.setDate(day.getDate() + 1);
  }
  return list;
}

function chart(perDay) {
  const width = 600;
  const height = 160;
  const bottom = 20;
  const top = Math.max(1, ...perDay.map((day) => day.stats.totalCalls));
  const slot = width / perDay.length;
  const bar = Math.min(18, Math.max(2, slot * 0.35));
  const scale = (value) => ((height - bottom - 10) * value) / top;
  const parts = [svg('line', { x1: 0, y1: height - bottom, x2: width, y2: height - bottom, stroke: '#dde2e8' })];
  perDay.forEach(({ date, stats }, index) => {
    const x = index * slot + slot / 2;
    const total = scale(stats.totalCalls);
    const won = scale(stats.callsWithOrders);
    parts.push(
      svg('rect', { x: x - bar, y: height - bottom - total, width: bar, height: total, fill: '#1565c0', rx: 2 },
        svg('title', {}, `${formatDayMonth(date)}: звонков ${stats.totalCalls}`)),
      svg('rect', { x, y: height - bottom - won, width: bar, height: won, fill: '#0b7a4b', rx: 2 },
        svg('title', {}, `${formatDayMonth(date)}: с заказом ${stats.callsWithOrders}`)),
    );
    if (perDay.length <= 14 || index % Math.ceil(perDay.length / 14) === 0) {
      parts.push(svg('text', { x, y: height - 5, 'text-anchor': 'middle', 'font-size': 11, fill: '#6b7685' }, formatDayMonth(date)));
    }
  });
  return element('div', {},
    element('div', { className: 'legend' },
      element('span', {}, element('i', { style: 'background:#1565c0' }), 'звонки'),
      element('span', {}, element('i', { style: 'background:#0b7a4b' }), 'звонки с заказом')),
    svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'Звонки по дням' }, ...parts));
}

export function mountStats(context) {
  const form = document.getElementById('stats-form');
  const extension = document.getElementById('stats-extension');
  const extensionLabel = document.getElementById('stats-extension-label');
  const from = document.getElementById('stats-from');
  const to = document.getElementById('stats-to');
  const error = document.getElementById('stats-error');
  const figures = document.getElementById('stats-figures');
  const chartBox = document.getElementById('stats-chart');
  const queueBox = document.getElementById('stats-queues');

  // Each queue: how many called, were answered and gave up, the service level, the waits and handle time.
  async function loadQueues(generation) {
    const queues = context.queues.list();
    const figures = await Promise.all(queues.map((queue) =>
      context.api.get(`/api/queues/${encodeURIComponent(queue.extension)}/stats?from=${from.value}&to=${to.value}`).then((body) => body.stats)));
    if (generation !== latest) return;
    clear(queueBox).append(...figures.map((stats, index) => element('section', { className: 'queue-stats', dataset: { queue: stats.queue } },
      element('h3', {}, `Очередь «${queues[index].name}»`),
      element('div', { className: 'figures' },
        figure(`обслужено за ${stats.serviceLevelSeconds} с`, stats.serviceLevel === null ? '—' : percent(stats.serviceLevel), true),
        figure('позвонили', stats.offered),
        figure('ответили', stats.answered),
        figure('не дождались', stats.abandoned),
        figure(`сбросили быстрее ${stats.shortAbandonSeconds} с`, stats.shortAbandoned),
        figure('среднее ожидание', formatDuration(Math.round(stats.averageWaitSeconds))),
        figure('самое долгое ожидание', formatDuration(Math.round(stats.longestWaitSeconds))),
        figure('средний разговор', formatDuration(Math.round(stats.averageHandleSeconds)))))));
  }

  const today = new Date();
  const weekAgo = new Date(today);
  weekAgo.setDate(today.getDate() - 6);
  from.value = isoDate(weekAgo);
  to.value = isoDate(today);

  if (!context.me.extension) {
    extensionLabel.hidden = false;
    const fill = () => {
      const chosen = extension.value;
      extension.replaceChildren(...context.lines.list().map((line) =>
        element('option', { value: line.extension }, `${line.extension} ${line.displayName || line.username || ''}`)));
      if (chosen) extension.value = chosen;
    };
    context.lines.subscribe(fill);
    fill();
  }

  const read = (who, first, last) =>
    context.api.get(`/api/calls/stats/${encodeURIComponent(who)}?from=${first}&to=${last}`).then((body) => body.stats);

  // Only the latest load draws: an earlier one that answers late must not put back older figures.
  let latest = 0;

  async function load() {
    const generation = ++latest;
    error.textContent = '';
    clear(chartBox); // the old chart goes at once rather than stand beside new figures
    const who = context.me.extension ?? extension.value;
    if (!who) {
      error.textContent = 'Выберите оператора';
      return;
    }
    if (from.value > to.value) {
      error.textContent = 'Начало периода позже его конца';
      return;
    }
    try {
      const [stats, callbacks] = await Promise.all([
        read(who, from.value, to.value),
        context.api.get(`/api/callbacks/stats?from=${from.value}&to=${to.value}`).then((body) => body.stats),
      ]);
      if (generation !== latest) return;
      loadQueues(generation).catch(() => clear(queueBox));
      clear(figures).append(
        figure('конверсия в заказы', percent(stats.conversionRate), true),
        figure('всего звонков', stats.totalCalls),
        figure('входящих', stats.inboundCalls),
        figure('исходящих', stats.outboundCalls),
        figure('отвечено', stats.answeredCalls),
        figure('пропущено', stats.missedCalls),
        figure('средний разговор', formatDuration(stats.averageDuration)),
        figure('звонков с заказом', stats.callsWithOrders),
        figure('заказов привязано', stats.ordersLinked),
        figure('без звука с одной стороны', stats.oneWayAudioCalls ?? 0),
        // The whole centre's: calling a missed customer back is everyone's work.
        figure('перезвонили пропущенным (все операторы)', `${callbacks.calledBack} из ${callbacks.missedCallers}`),
        figure('медиана до перезвона', callbacks.medianSecondsToCallBack === null ? '—' : formatDuration(callbacks.medianSecondsToCallBack)),
        figure('ждут перезвона', callbacks.waiting));
      const range = days(from.value, to.value);
      if (range.length > chartDaysMax) {
        clear(chartBox).append(element('p', { className: 'muted' }, `График строится для периода до ${chartDaysMax} дней`));
        return;
      }
      const perDay = await Promise.all(range.map(async (date) => ({ date, stats: await read(who, isoDate(date), isoDate(date)) })));
      if (generation !== latest) return;
      clear(chartBox).append(chart(perDay));
    } catch (failure) {
      if (generation !== latest) return;
      // Figures of an earlier load must not stand as if they were the answer to this one.
      if (failure.code === 'DATABASE_UNAVAILABLE') {
        clear(figures).append(element('p', { className: 'muted' }, 'Статистика сейчас недоступна: база данных не отвечает. Попробуйте позже.'));
      }
      error.textContent = failure.message;
    }
  }

  // The queues come after the first figures: theirs follow once they are known.
  context.queues.subscribe((change) => {
    if (change.configuration) loadQueues(latest).catch(() => clear(queueBox));
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    load();
  });
  return { load };
}
