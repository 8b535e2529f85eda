// Wenku public pages: 本周/本月热门 tabs, 提纲 opened on wide screens, copy-link, 复制全文,
// 收藏 (a guest's favourites in localStorage, merged into 我的收藏 once the guest logs in).
// Loaded with `defer` from /static (the CSP forbids inline scripts); every feature is an
// enhancement: without JavaScript both hot lists show as plain sections and the permalink
// stays readable under 关于本文.
(function () {
  'use strict';

  // 热门推荐: show the tab bar, one panel at a time.
  function setUpTabs(section) {
    var bar = section.querySelector('[role="tablist"]');
    if (!bar) return;
    var tabs = Array.prototype.slice.call(bar.querySelectorAll('[role="tab"]'));
    function select(tab) {
      tabs.forEach(function (t) {
        var selected = t === tab;
        t.setAttribute('aria-selected', selected ? 'true' : 'false');
        t.tabIndex = selected ? 0 : -1;
        var panel = document.getElementById(t.getAttribute('aria-controls'));
        if (panel) panel.hidden = !selected;
      });
    }
    tabs.forEach(function (tab, i) {
      tab.addEventListener('click', function () { select(tab); });
      tab.addEventListener('keydown', function (e) {
        var step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
        if (!step) return;
        var next = tabs[(i + step + tabs.length) % tabs.length];
        select(next);
        next.focus();
        e.preventDefault();
      });
    });
    section.classList.add('tabs-on');
    bar.hidden = false;
    select(tabs[0]);
  }

  // Copies `text` to the clipboard; calls done(true|false). WeChat's in-app browser may offer
  // the Clipboard API and then refuse it, so there the textarea is used at once, while the
  // click still counts as the user's gesture.
  function copyText(text, done) {
    var wechat = /MicroMessenger/i.test(navigator.userAgent);
    if (navigator.clipboard && window.isSecureContext && !wechat) {
      navigator.clipboard.writeText(text).then(function () { done(true); },
                                               function () { done(fallbackCopy(text)); });
      return;
    }
    done(fallbackCopy(text));
  }

  // Clipboard API unavailable (plain http, older WeChat browsers): select a hidden textarea.
  function fallbackCopy(text) {
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'offscreen';
    document.body.appendChild(area);
    area.select();
    area.setSelectionRange(0, text.length);
    var ok = false;
    try {
      ok = document.execCommand('copy');
    } catch (e) {
      ok = false;
    }
    document.body.removeChild(area);
    return ok;
  }

  function setUpCopyLink(button) {
    var status = button.parentNode.querySelector('.copy-status');
    button.addEventListener('click', function () {
      var url = button.getAttribute('data-url');
      copyText(url, function (ok) {
        if (status) status.textContent = ok ? '链接已复制' : '请长按或手动复制：' + url;
      });
    });
  }

  // 复制全文: copies the paragraphs of the text on the page (div.doc-body), joined by newlines,
  // as the reader sees them: a guest copies the preview only, and the marked X of a 模板版
  // copies as X. The button is hidden until this script shows it.
  function setUpCopyText(button) {
    var status = button.parentNode.querySelector('.copy-text-status');
    button.hidden = false;
    button.addEventListener('click', function () {
      var paragraphs = document.querySelectorAll('div.doc-body p');
      var text = Array.prototype.map.call(paragraphs, function (p) { return p.textContent; }).join('\n');
      copyText(text, function (ok) {
        if (status) status.textContent = ok ? '已复制' : '复制失败';
      });
    });
  }

  // 收藏 of a guest: document ids kept in localStorage under this key, newest first. Once the
  // guest logs in (or registers), mergeFavorites adds them to the account's 我的收藏 and
  // clears the list, so it is merged once and not left for the next person on a shared phone.
  var FAVORITES_KEY = 'wenku.favorites';
  // What POST /me/favorites/merge accepts (src/web/site/members.h): a document id of at most
  // 128 characters of [A-Za-z0-9._-], at most 200 ids a request.
  var ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;
  var MERGE_BATCH = 200;

  function readFavorites() {
    try {
      var ids = JSON.parse(window.localStorage.getItem(FAVORITES_KEY) || '[]');
      return Array.isArray(ids) ? ids.filter(function (id) { return typeof id === 'string'; }) : [];
    } catch (e) {
      return [];
    }
  }

  function writeFavorites(ids) {
    try {
      if (ids.length) {
        window.localStorage.setItem(FAVORITES_KEY, JSON.stringify(ids));
      } else {
        window.localStorage.removeItem(FAVORITES_KEY);
      }
      return true;
    } catch (e) {
      return false;  // storage disabled (private mode)
    }
  }

  // A guest's 收藏 button: toggles the id in localStorage; while it is there, a line under the
  // buttons says it is kept on this device until the guest logs in.
  function setUpFavorite(button) {
    var id = button.getAttribute('data-id');
    var hint = button.parentNode.querySelector('.favorite-hint');
    function show(on) {
      button.setAttribute('aria-pressed', on ? 'true' : 'false');
      button.textContent = on ? '已收藏' : '收藏';
      if (hint) hint.hidden = !on;
    }
    show(readFavorites().indexOf(id) >= 0);
    button.addEventListener('click', function () {
      var ids = readFavorites();
      var at = ids.indexOf(id);
      if (at >= 0) {
        ids.splice(at, 1);
      } else {
        ids.unshift(id);
      }
      if (writeFavorites(ids)) show(at < 0);
    });
  }

  // The CSRF token of a member's page (the 收藏 form, the forms of /me and its pages), or ''
  // on a guest's page (whose header links to 登录 rather than to /me).
  function memberToken() {
    if (!document.querySelector('header a.nav-me')) return '';
    var input = document.querySelector('form[action^="/me/"] input[name="csrf_token"], ' +
                                       'form[action="/logout"] input[name="csrf_token"]');
    if (input && input.value) return input.value;
    var list = document.getElementById('favorites-list');
    return (list && list.getAttribute('data-csrf')) || '';
  }

  // After `ids` joined 我的收藏: the 收藏 forms of this page show them as 已收藏.
  function showMerged(ids) {
    Array.prototype.forEach.call(document.querySelectorAll('form[action="/me/favorites"]'), function (form) {
      var doc = form.querySelector('input[name="doc_id"]');
      var action = form.querySelector('input[name="action"]');
      var button = form.querySelector('.btn-favorite-member');
      if (!doc || !action || !button || action.value !== 'add' || ids.indexOf(doc.value) < 0) return;
      action.value = 'remove';
      button.setAttribute('aria-pressed', 'true');
      button.textContent = '已收藏';
    });
  }

  // On a member's page, sends the 收藏 kept as a guest to POST /me/favorites/merge (200 at a
  // time) and takes each batch the server accepted off the local list. A refusal that would
  // not change on a retry (400, 413) drops the batch; others (expired page, network) keep it
  // for the next page. `added`: how many the batches before this one added. 我的收藏 itself is
  // shown again once the last batch added some.
  function mergeFavorites(token, added) {
    added = added || 0;
    function done() {
      if (added > 0 && document.getElementById('favorites-list')) window.location.reload();
    }
    var stored = readFavorites();
    var ids = stored.filter(function (id, i) { return ID_PATTERN.test(id) && stored.indexOf(id) === i; });
    if (ids.length !== stored.length && !writeFavorites(ids)) return;  // ids no server could take
    if (!ids.length || !window.fetch || !window.URLSearchParams) return done();
    var batch = ids.slice(0, MERGE_BATCH);
    var body = new URLSearchParams();
    body.set('csrf_token', token);
    body.set('ids', batch.join(','));
    function drop() {
      var rest = readFavorites().filter(function (id) { return batch.indexOf(id) < 0; });
      return writeFavorites(rest) && rest.length > 0;
    }
    window.fetch('/me/favorites/merge', {
      method: 'POST',
      body: body,
      credentials: 'same-origin',
      headers: { 'Accept': 'application/json' },
    }).then(function (response) {
      if (response.status === 400 || response.status === 413) {
        if (drop()) mergeFavorites(token, added); else done();
        return null;
      }
      return response.ok ? response.json() : null;
    }).then(function (result) {
      if (!result || typeof result.added !== 'number') return;
      added += result.added;
      showMerged(batch);
      if (drop()) mergeFavorites(token, added); else done();
    }).catch(function () {});  // kept for the next page
  }

  // 提纲 is a collapsed <details> (phones); on a wide screen there is room to open it.
  function openOutlineOnWideScreens() {
    if (!window.matchMedia || !window.matchMedia('(min-width: 960px)').matches) return;
    Array.prototype.forEach.call(document.querySelectorAll('nav.outline details'), function (d) {
      d.open = true;
    });
  }

  function init() {
    openOutlineOnWideScreens();
    Array.prototype.forEach.call(document.querySelectorAll('section.hot'), setUpTabs);
    var copy = document.getElementById('copy-link');
    if (copy) setUpCopyLink(copy);
    Array.prototype.forEach.call(document.querySelectorAll('.btn-copy-text'), setUpCopyText);
    Array.prototype.forEach.call(document.querySelectorAll('.btn-favorite'), setUpFavorite);
    var token = memberToken();
    if (token) mergeFavorites(token);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
