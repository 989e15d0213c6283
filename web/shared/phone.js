// Phone numbers as people read them. The service normalises what is typed (any written form), so the
// pages only format what it sends back.
export function formatPhone(number) {
  if (!number) return '';
  const text = String(number);
  const digits = text.replace(/\D/g, '');
  // Russian numbers: +7 (999) 123-45-67.
  if (/^\+7\d{10}$/.test(text)) {
    return `+7 (${digits.slice(1, 4)}) ${digits.slice(4, 7)}-${digits.slice(7, 9)}-${digits.slice(9, 11)}`;
  }
  // Other countries group their numbers in their own ways: E.164 as it is, extensions too.
  return text;
}

// Whether a text can be a phone number or an extension at all: digits, with the usual separators.
export function looksLikePhone(text) {
  const digits = String(text).replace(/\D/g, '');
  return digits.length >= 2 && /^[\d\s()+\-.]+$/.test(String(text).trim());
}
