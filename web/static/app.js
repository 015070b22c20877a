// Penny's dashboard: signs in, fetches server-rendered views and sends edits to /api/.
// No framework and no third-party code; the server renders every view (charts included).
'use strict';
(() => {
  const main = document.getElementById('main');
  const toastBox = document.getElementById('toast');
  const store = window.sessionStorage;
  // Inside Telegram: the signed init data goes in every request's Authorization header.
  // In a browser: the HttpOnly session cookie does, and writes carry the CSRF token too.
  const auth = { initData: null, csrf: null };
  let current = { view: 'summary', params: {} };

  const THEME_VARS = {
    bg_color: '--bg', secondary_bg_color: '--bg', section_bg_color: '--card', text_color: '--text',
    hint_color: '--hint', button_color: '--accent', button_text_color: '--accent-text',
    destructive_text_color: '--danger', section_separator_color: '--line',
  };

  function applyTheme(text) {
    let theme;
    try { theme = JSON.parse(text); } catch (_) { return; }
    const root = document.documentElement;
    root.classList.add('tg');
    if (isDark(theme.bg_color)) root.classList.add('tg-dark');
    // secondary_bg_color is the page behind sections; bg_color the sections when no
    // section_bg_color is given (older clients).
    if (theme.secondary_bg_color && !theme.section_bg_color && theme.bg_color) {
      theme.section_bg_color = theme.bg_color;
    }
    for (const [key, name] of Object.entries(THEME_VARS)) {
      const value = theme[key];
      if (typeof value === 'string' && /^#[0-9a-fA-F]{3,8}$/.test(value)) {
        root.style.setProperty(name, value);
      }
    }
    if (theme.secondary_bg_color) root.style.setProperty('--bg', theme.secondary_bg_color);
    root.style.setProperty('--track', 'color-mix(in srgb, var(--hint) 25%, transparent)');
  }

  function isDark(color) {
    const hex = /^#([0-9a-f]{6})$/i.exec(color || '');
    if (!hex) return false;
    const n = parseInt(hex[1], 16);
    // Perceived brightness (ITU-R BT.601 weights) of the theme's background.
    return (0.299 * (n >> 16) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255)) < 128;
  }

  // Telegram's Mini App events, posted the way its clients listen for them.
  function postEvent(type, data) {
    const payload = JSON.stringify(data || {});
    try {
      if (window.TelegramWebviewProxy) {
        window.TelegramWebviewProxy.postEvent(type, payload);
      } else if (window.parent !== window) {
        window.parent.postMessage(JSON.stringify({ eventType: type, eventData: data || {} }),
          'https://web.telegram.org');
      }
    } catch (_) { /* not inside Telegram after all */ }
  }

  function toast(text) {
    toastBox.textContent = text;
    toastBox.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { toastBox.hidden = true; }, 2600);
  }

  function notice(title, detail) {
    main.replaceChildren();
    const p = document.createElement('p');
    p.className = 'notice';
    const strong = document.createElement('strong');
    strong.textContent = title;
    p.append(strong, detail);
    main.append(p);
  }

  function signedOut() {
    store.removeItem('penny.initData');
    notice(auth.initData ? 'Please reopen the dashboard.' : 'You are signed out.',
      'Send /dashboard to Penny in Telegram for a new link.');
  }

  class SignedOut extends Error {}

  async function request(method, url, body) {
    const headers = {};
    if (auth.initData) headers.Authorization = 'tma ' + auth.initData;
    else if (auth.csrf && method !== 'GET') headers['X-CSRF-Token'] = auth.csrf;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(url, {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 401) { signedOut(); throw new SignedOut(); }
    return response;
  }

  async function problem(response) {
    try { return (await response.json()).error || 'Something went wrong.'; }
    catch (_) { return 'Something went wrong.'; }
  }

  function query(params) {
    const clean = {};
    for (const [key, value] of Object.entries(params || {})) {
      if (value !== undefined && value !== null && value !== '') clean[key] = value;
    }
    return new URLSearchParams(clean).toString();
  }

  async function show(view, params, push = true) {
    current = { view, params: params || {} };
    for (const tab of document.querySelectorAll('[data-view]')) {
      if (tab.dataset.view === view) tab.setAttribute('aria-current', 'page');
      else tab.removeAttribute('aria-current');
    }
    // The view's filters stay in history state, not in the address: a search is personal.
    if (push) history.pushState(current, '', location.pathname);
    let response;
    try {
      response = await request('GET', `/view/${view}?${query(params)}`);
    } catch (error) {
      if (!(error instanceof SignedOut)) notice('Penny is not reachable.', 'Check the connection and try again.');
      return;
    }
    // A view that can't be shown answers in HTML (a period it can't read); any other error
    // (JSON, plain text) is said in words, never shown as raw text.
    if (!response.ok && !(response.headers.get('Content-Type') || '').startsWith('text/html')) {
      notice(await problem(response), 'Go back, or try again in a moment.');
      return;
    }
    main.innerHTML = await response.text();  // server-rendered, every value escaped there
    main.dataset.view = view;
    window.scrollTo(0, 0);
  }

  const reload = () => show(current.view, current.params, false);

  async function sendEdit(form) {
    const changes = {};
    for (const field of form.elements) {
      if (!field.name || field.value === field.defaultValue) continue;
      if (field.tagName === 'SELECT') {
        const chosen = field.querySelector('option[selected]');
        if (chosen && chosen.value === field.value) continue;
        changes[field.name] = Number(field.value);
      } else {
        changes[field.name] = field.value;
      }
    }
    if (!Object.keys(changes).length) { toast('Nothing changed'); return; }
    const response = await request('PATCH', `/api/transactions/${form.dataset.id}`, changes);
    if (!response.ok) return showError(form, await problem(response));
    toast('Saved');
    reload();
  }

  async function sendLimit(form) {
    const response = await request('PUT', `/api/budgets/${form.dataset.id}`,
      { limit: form.elements.limit.value });
    if (!response.ok) return showError(form, await problem(response));
    toast('Limit saved');
    reload();
  }

  function showError(form, text) {
    const box = form.querySelector('.error');
    box.textContent = text;
    box.hidden = false;
  }

  async function remove(button) {
    // Two taps: the first arms the button, so a slip of the thumb deletes nothing.
    if (!button.classList.contains('armed')) {
      button.classList.add('armed');
      button.textContent = 'Tap again to delete';
      setTimeout(() => { button.classList.remove('armed'); button.textContent = 'Delete'; }, 4000);
      return;
    }
    const response = await request('DELETE', `/api/transactions/${button.dataset.id}`);
    if (!response.ok) { toast(await problem(response)); return; }
    toast('Deleted');
    reload();
  }

  async function more(button) {
    const params = { ...current.params, after: button.dataset.after };
    const response = await request('GET', `/view/transactions?${query(params)}`);
    button.closest('li').outerHTML = await response.text();
  }

  async function download(period) {
    const response = await request('GET', `/api/export?${query({ period })}`);
    if (!response.ok) { toast(await problem(response)); return; }
    const name = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') || '');
    const link = document.createElement('a');
    link.href = URL.createObjectURL(await response.blob());
    link.download = name ? name[1] : 'penny-export.csv';
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }

  async function sendToChat(period) {
    const response = await request('POST', '/api/export/send', { period });
    toast(response.ok ? 'Sent to your chat with Penny' : await problem(response));
  }

  async function logout() {
    await request('POST', '/api/logout', {});
    store.clear();
    auth.csrf = null;
    notice('You are signed out.', 'Send /dashboard to Penny in Telegram to come back.');
  }

  function filtersOf(form) {
    return Object.fromEntries(new FormData(form).entries());
  }

  document.addEventListener('click', (event) => {
    const target = event.target.closest('button, [data-go], [data-period]');
    if (!target || !main.contains(target) && !target.dataset.view) return;
    const data = target.dataset;
    const guard = (promise) => promise.catch((error) => {
      if (!(error instanceof SignedOut)) toast('Penny is not reachable. Try again.');
    });
    if (data.view) show(data.view, data.view === current.view ? current.params : {});
    else if (data.go) show(data.go, { period: data.period, category: data.category });
    else if (data.action === 'toggle') {
      const form = document.getElementById(target.getAttribute('aria-controls'));
      const open = target.getAttribute('aria-expanded') !== 'true';
      target.setAttribute('aria-expanded', String(open));
      form.hidden = !open;
      if (open) {
        form.scrollIntoView({ block: 'nearest' });
        form.elements.amount.focus({ preventScroll: true });
      }
    } else if (data.action === 'delete') guard(remove(target));
    else if (data.action === 'more') guard(more(target));
    else if (data.action === 'download') guard(download(data.period));
    else if (data.action === 'send') guard(sendToChat(data.period));
    else if (data.action === 'logout') guard(logout());
    else if (data.period) show(current.view, { ...current.params, period: data.period });
    else return;
    event.preventDefault();
  });

  document.addEventListener('keydown', (event) => {
    // Chart shapes are focusable; Enter or Space opens them like a tap.
    if ((event.key === 'Enter' || event.key === ' ') && event.target.matches('svg [data-go]')) {
      event.preventDefault();
      event.target.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    }
  });

  document.addEventListener('submit', (event) => {
    const form = event.target;
    event.preventDefault();
    const guard = (promise) => promise.catch((error) => {
      if (!(error instanceof SignedOut)) showError(form, 'Penny is not reachable. Try again.');
    });
    if (form.dataset.form === 'edit') guard(sendEdit(form));
    else if (form.dataset.form === 'limit') guard(sendLimit(form));
    else if (form.dataset.form === 'filters') show('transactions', filtersOf(form));
  });

  let typing = null;
  document.addEventListener('input', (event) => {
    const form = event.target.form;
    if (!form || form.dataset.form !== 'filters') return;
    clearTimeout(typing);
    const wait = event.target.type === 'search' ? 350 : 0;
    typing = setTimeout(async () => {
      await show('transactions', filtersOf(form));
      const box = main.querySelector('input[type="search"]');
      if (box && event.target.type === 'search') { box.focus(); box.setSelectionRange(box.value.length, box.value.length); }
    }, wait);
  });

  window.addEventListener('popstate', (event) => {
    if (event.state && event.state.view) show(event.state.view, event.state.params, false);
  });

  async function boot() {
    const launch = new URLSearchParams(location.hash.slice(1));
    if (launch.has('tgWebAppData')) {
      store.setItem('penny.initData', launch.get('tgWebAppData'));
      if (launch.has('tgWebAppThemeParams')) store.setItem('penny.theme', launch.get('tgWebAppThemeParams'));
    }
    const token = launch.get('t');
    // Nothing secret stays in the address bar or the history once read.
    if (location.hash || location.pathname === '/login') history.replaceState(null, '', '/');
    const theme = store.getItem('penny.theme');
    if (theme) applyTheme(theme);
    if (token) {
      const response = await fetch('/api/login', {
        method: 'POST', credentials: 'same-origin', cache: 'no-store',
        headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token }),
      });
      if (!response.ok) {
        notice('This login link was already used or has expired.',
          'Send /dashboard to Penny in Telegram for a new one.');
        return;
      }
      store.removeItem('penny.initData');
      auth.csrf = (await response.json()).csrf;
    }
    auth.initData = store.getItem('penny.initData');
    if (auth.initData) {
      postEvent('web_app_ready');
      postEvent('web_app_expand');
    } else if (!auth.csrf) {
      const response = await fetch('/api/session', { credentials: 'same-origin', cache: 'no-store' });
      if (!response.ok) { signedOut(); return; }
      auth.csrf = (await response.json()).csrf;
    }
    history.replaceState(current, '', location.pathname);
    show('summary', {}, false);
  }

  boot().catch(() => notice('Penny is not reachable.', 'Check the connection and reload.'));
})();
