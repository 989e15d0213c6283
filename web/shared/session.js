// The token of whoever uses the page, kept for this browser tab only (sessionStorage): closing the tab logs out.
const key = 'ff.token';

export function storedToken() {
  return window.sessionStorage.getItem(key);
}

export function storeToken(token) {
  window.sessionStorage.setItem(key, token);
}

export function forgetToken() {
  window.sessionStorage.removeItem(key);
}
