// A short message at the bottom of the page: what an action did, or why it failed (the API's words).
let timer = null;

export function notify(text, { error = false } = {}) {
  const box = document.getElementById('notice');
  box.textContent = text;
  box.classList.toggle('error', error);
  box.hidden = false;
  clearTimeout(timer);
  timer = setTimeout(() => {
    box.hidden = true;
  }, error ? 6000 : 3000);
}
