// Errors shown beside their field: each <p class="error" data-error-for="name"> under its input.
export function showErrors(form, errors) {
  for (const slot of form.querySelectorAll('[data-error-for]')) {
    const message = errors[slot.dataset.errorFor] ?? '';
    slot.textContent = message;
    const input = form.elements[slot.dataset.errorFor];
    if (input) input.setAttribute('aria-invalid', message ? 'true' : 'false');
  }
  const first = Object.keys(errors).find((name) => errors[name]);
  if (first) form.elements[first]?.focus();
  return !first;
}

export function setStatus(element, text, kind = 'info') {
  element.textContent = text;
  element.dataset.kind = kind;
}
