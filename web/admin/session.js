// The admin's token for this browser tab only (sessionStorage, key shared with the other pages).
const key = 'ff.token';

export const storedToken = () => window.sessionStorage.getItem(key);
export const storeToken = (token) => window.sessionStorage.setItem(key, token);
export const forgetToken = () => window.sessionStorage.removeItem(key);
