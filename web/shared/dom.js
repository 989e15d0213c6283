// One small helper to build DOM nodes without innerHTML, so that what the API sends is never markup.
export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2).toLowerCase(), value);
    else if (name === 'className') node.className = value;
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

// Runs `redraw`, which rebuilds what is inside `container` and may put back nodes it already held: a field
// taken out and put back loses the focus, so the one that had it gets it back, caret and all.
export function redrawKeepingFocus(container, redraw) {
  const focused = container.contains(document.activeElement) ? document.activeElement : null;
  const caret = focused?.selectionStart != null ? [focused.selectionStart, focused.selectionEnd] : null;
  redraw();
  if (!focused?.isConnected || document.activeElement === focused) return;
  focused.focus();
  if (caret) focused.setSelectionRange(...caret);
}
