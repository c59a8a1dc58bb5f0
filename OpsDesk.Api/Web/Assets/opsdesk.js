// OpsDesk console and portal: SLA countdowns, live updates, keyboard shortcuts and article suggestions.
// Pages work without this file; it only adds to them. No inline script anywhere (the CSP forbids it).
(function () {
  'use strict';

  // SLA countdowns: <span class="sla" data-due="ISO" data-warn="ISO" data-state="running|warned|…">.
  function formatSpan(ms) {
    var s = Math.floor(Math.abs(ms) / 1000);
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    if (d > 0) return d + 'd ' + h + 'h';
    if (h > 0) return h + 'h ' + String(m).padStart(2, '0') + 'm';
    return m + 'm ' + String(sec).padStart(2, '0') + 's';
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll('[data-due]').forEach(function (el) {
      var state = el.getAttribute('data-state') || '';
      if (state === 'paused' || state === 'completed') return;
      var due = Date.parse(el.getAttribute('data-due'));
      var warn = Date.parse(el.getAttribute('data-warn') || '');
      if (isNaN(due)) return;
      var left = due - now;
      var cls = left <= 0 || state === 'breached' ? 'sla-breach'
        : (!isNaN(warn) && now >= warn) || state === 'warned' ? 'sla-warn' : 'sla-ok';
      el.textContent = left <= 0 ? 'breached ' + formatSpan(left) + ' ago' : formatSpan(left) + ' left';
      el.classList.remove('sla-ok', 'sla-warn', 'sla-breach', 'sla-none');
      el.classList.add(cls);
    });
  }

  // Live: the page names its event stream (an element's data-live); on an event the page is fetched
  // again and its live regions ([data-live-region] with an id) are swapped in, so all markup stays
  // server-rendered. Forms are never live regions, so a draft is never lost.
  function startLive() {
    var holder = document.querySelector('[data-live]');
    var url = holder && holder.getAttribute('data-live');
    if (!url || !window.EventSource) return;
    var status = document.getElementById('live-status');
    var pending = null;
    var source = new EventSource(url);
    source.onopen = function () { if (status) status.textContent = 'Live'; document.body.setAttribute('data-live-ready', '1'); };
    source.onerror = function () { if (status) status.textContent = 'Reconnecting…'; };
    source.addEventListener('ticket', function () {
      if (pending) return;
      pending = setTimeout(function () { pending = null; refresh(); }, 100);
    });
  }

  function refresh() {
    fetch(location.href, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var doc = new DOMParser().parseFromString(html, 'text/html');
        doc.querySelectorAll('[data-live-region][id]').forEach(function (fresh) {
          var old = document.getElementById(fresh.id);
          if (old) old.replaceWith(document.importNode(fresh, true));
        });
        // Keep the agent's selection on the same ticket when rows move or the region is swapped.
        var again = rows().findIndex(function (r) { return r.getAttribute('data-ticket-id') === selectedId; });
        selectRow(again >= 0 ? again : selected, false);
        tick();
      })
      .catch(function () { /* the next event tries again */ });
  }

  // Keyboard: j/k move in the queue, Enter opens, r reply, n note, ? lists the shortcuts.
  var selected = -1;
  var selectedId = null;
  function rows() { return Array.prototype.slice.call(document.querySelectorAll('tr[data-href]')); }
  function selectRow(i, focus) {
    var all = rows();
    all.forEach(function (r) { r.classList.remove('is-selected'); r.removeAttribute('aria-current'); });
    if (!all.length || i < 0) return;
    selected = Math.max(0, Math.min(i, all.length - 1));
    var row = all[selected];
    row.classList.add('is-selected');
    selectedId = row.getAttribute('data-ticket-id');
    row.setAttribute('aria-current', 'true');
    if (focus) { var link = row.querySelector('a'); if (link) link.focus(); }
  }

  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    var target;
    switch (e.key) {
      case 'j': selectRow(selected + 1, true); break;
      case 'k': selectRow(selected < 0 ? 0 : selected - 1, true); break;
      case 'Enter':
        var all = rows();
        if (selected >= 0 && all[selected] && e.target === document.body) location.href = all[selected].getAttribute('data-href');
        return;
      case 'r': target = document.getElementById('reply-body'); if (target) target.focus(); else return; break;
      case 'n': target = document.getElementById('note-body'); if (target) target.focus(); else return; break;
      case '?':
        var dialog = document.getElementById('shortcuts');
        if (dialog && dialog.showModal && !dialog.open) dialog.showModal(); else return;
        break;
      default: return;
    }
    e.preventDefault();
  });

  document.addEventListener('click', function (e) {
    var close = e.target.closest && e.target.closest('[data-close-dialog]');
    if (close) { var d = close.closest('dialog'); if (d) d.close(); }
  });

  // Portal tracking link (/portal/track#id:token): the fragment never leaves the browser; post it
  // with the page's form (antiforgery token included) and drop it from the address bar.
  function openTrackingLink() {
    var form = document.getElementById('track-form');
    if (!form || location.hash.length < 2) return;
    var code = decodeURIComponent(location.hash.slice(1));
    history.replaceState(null, '', location.pathname);
    var input = form.querySelector('[name="Track.Code"]');
    if (!input) return;
    input.value = code;
    form.submit();
  }

  // Portal create form: up to three public articles matching what the requester types (debounced), and
  // a deflection record per form session (which were shown, which was opened). The server records
  // "submitted" itself when the form opens a ticket, from the hidden fields kept here.
  function startSuggestions() {
    var box = document.querySelector('[data-kb-suggest]');
    var form = box && box.closest('form');
    if (!form || !window.fetch) return;
    var subject = form.querySelector('#subject');
    var description = form.querySelector('#description');
    var sessionField = form.querySelector('[data-kb-session]');
    var shownField = form.querySelector('[data-kb-shown]');
    var list = box.querySelector('ul');
    var status = document.getElementById('kb-suggest-status');
    if (!subject || !description || !sessionField || !shownField || !list) return;
    var session = sessionField.value;
    var articleBase = box.getAttribute('data-kb-article');
    var shown = shownField.value ? shownField.value.split(',').map(Number).filter(function (n) { return n > 0; }) : [];
    var timer = null, lastQuery = null, sequence = 0;

    function record(opened) {
      var body = { sessionKey: session, shownArticleIds: shown.slice(-10), submitted: false };
      if (opened) body.openedArticleId = opened;
      // keepalive: an article opened just before the tab closes is still recorded.
      return fetch('/api/kb/deflections', {
        method: 'POST', credentials: 'same-origin', keepalive: true,
        headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body)
      }).catch(function () { /* best effort: the submit is recorded by the server */ });
    }

    function render(items) {
      list.textContent = '';
      items.forEach(function (item) {
        var li = document.createElement('li');
        var a = document.createElement('a');
        a.href = articleBase + encodeURIComponent(String(item.id));
        a.target = '_blank';
        a.rel = 'noopener';
        a.setAttribute('data-kb-id', String(item.id));
        a.textContent = item.title; // text, never markup
        li.appendChild(a);
        list.appendChild(li);
      });
      box.hidden = items.length === 0;
      if (status) status.textContent = items.length === 0 ? '' : items.length + (items.length === 1 ? ' article' : ' articles') + ' may answer your question, listed below the description.';
      var fresh = items.map(function (i) { return Number(i.id); }).filter(function (id) { return shown.indexOf(id) < 0; });
      if (fresh.length) {
        shown = shown.concat(fresh);
        shownField.value = shown.join(',');
        record(null);
      }
    }

    function suggest() {
      var q = (subject.value.trim() + '\n' + description.value.trim()).trim().slice(0, 2000);
      if (q.length < 3) { lastQuery = null; render([]); return; }
      if (q === lastQuery) return;
      lastQuery = q;
      var mine = ++sequence;
      fetch(box.getAttribute('data-kb-suggest') + '?q=' + encodeURIComponent(q), { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (mine !== sequence || !data || !data.items) return; // a newer query is on its way
          render(data.items.slice(0, 3));
        })
        .catch(function () { lastQuery = null; });
    }

    function typed() {
      clearTimeout(timer);
      timer = setTimeout(suggest, 400);
    }

    subject.addEventListener('input', typed);
    description.addEventListener('input', typed);
    list.addEventListener('click', function (e) {
      var link = e.target.closest && e.target.closest('a[data-kb-id]');
      if (link) record(Number(link.getAttribute('data-kb-id')));
    });
    if (subject.value.trim() || description.value.trim()) suggest(); // a form shown again with its text
  }

  document.addEventListener('DOMContentLoaded', function () {
    openTrackingLink();
    startSuggestions();
    tick();
    setInterval(tick, 1000);
    startLive();
  });
})();
