// The same rules as the service's settings validation (src/config/settings_validation.cpp), in Russian, so the
// admin sees the problem beside the field before anything is sent; the API checks again.
const hostPattern = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/;
const ipv6Pattern = /^[0-9A-Fa-f:.]+$/;

export const isHost = (text) => hostPattern.test(text) || (text.includes(':') && ipv6Pattern.test(text));

function port(text, min) {
  if (!/^\d{1,5}$/.test(text)) return null;
  const value = Number(text);
  return value >= min && value <= 65535 ? value : null;
}

// Returns {values, errors}: values as the API takes them, errors by field name.
export function checkPbxForm(form) {
  const read = (name) => form.elements[name].value.trim();
  const errors = {};
  const values = { server: read('server'), transport: read('transport'), stunServer: read('stunServer') };
  if (!values.server) errors.server = 'Укажите адрес АТС: имя (sip.example.com) или IP-адрес.';
  else if (!isHost(values.server)) errors.server = 'Адрес: только имя или IP-адрес, без порта и без «sip:».';
  values.port = port(read('port'), 1);
  if (values.port === null) errors.port = 'Порт — число от 1 до 65535 (обычно 5060).';
  if (!['UDP', 'TCP', 'TLS'].includes(values.transport)) errors.transport = 'Выберите UDP, TCP или TLS.';
  values.rtpPortMin = port(read('rtpPortMin'), 1024);
  values.rtpPortMax = port(read('rtpPortMax'), 1024);
  if (values.rtpPortMin === null) errors.rtpPortMin = 'Число от 1024 до 65535.';
  if (values.rtpPortMax === null) errors.rtpPortMax = 'Число от 1024 до 65535.';
  else if (values.rtpPortMin !== null && values.rtpPortMax < values.rtpPortMin)
    errors.rtpPortMax = 'Конец диапазона не может быть меньше начала.';
  if (values.stunServer) {
    const [host, extra] = values.stunServer.split(/:(?=\d+$)/);
    if (!isHost(host) || (extra !== undefined && port(extra, 1) === null))
      errors.stunServer = 'STUN-сервер: имя или адрес, можно с портом (stun.example.com:3478).';
  }
  return { values, errors };
}

// `editing`: the password may stay empty (the saved one is kept).
export function checkUserForm(form, { editing }) {
  const read = (name) => form.elements[name].value;
  const errors = {};
  const values = {
    extension: read('extension').trim(),
    username: read('username').trim(),
    password: read('password'),
    displayName: read('displayName').trim(),
  };
  if (!/^\d{2,8}$/.test(values.extension)) errors.extension = 'Внутренний номер — от 2 до 8 цифр.';
  if (!/^[A-Za-z0-9\-_.!~*'()&=+$;?/]{1,64}$/.test(values.username))
    errors.username = 'Логин: латинские буквы, цифры и - _ . (до 64 знаков).';
  if (!values.password && !editing) errors.password = 'Укажите пароль, выданный администратором АТС.';
  if (values.password.length > 128) errors.password = 'Пароль — не длиннее 128 знаков.';
  if ([...values.displayName].length > 64) errors.displayName = 'Имя — не длиннее 64 знаков.';
  if (editing && !values.password) delete values.password;
  return { values, errors };
}
