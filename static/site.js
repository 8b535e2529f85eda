// Wenku public pages: 本周/本月热门 tabs, 提纲 opened on wide screens, copy-link, 收藏
// (favourites in localStorage).
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

  // Copies `text` to the clipboard; calls done(true|false).
  function copyText(text, done) {
    if (navigator.clipboard && window.isSecureContext) {
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

  // 收藏: document ids kept in localStorage under this key, newest first.
  var FAVORITES_KEY = 'wenku.favorites';

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
      window.localStorage.setItem(FAVORITES_KEY, JSON.stringify(ids));
      return true;
    } catch (e) {
      return false;  // storage disabled (private mode)
    }
  }

  function setUpFavorite(button) {
    var id = button.getAttribute('data-id');
    function show(on) {
      button.setAttribute('aria-pressed', on ? 'true' : 'false');
      button.textContent = on ? '已收藏' : '收藏';
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
    Array.prototype.forEach.call(document.querySelectorAll('.btn-favorite'), setUpFavorite);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
