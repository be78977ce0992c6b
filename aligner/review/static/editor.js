// The review editor's page. The server holds the alignment and saves every edit before it
// answers; this script only shows the state it gets and sends the reviewer's edits. Text from
// the documents is only ever inserted as text (textContent), never as markup.
(function () {
  'use strict';
  const CONFIG = JSON.parse(document.getElementById('config').textContent);
  const TOKEN = new URLSearchParams(location.search).get('token') || '';
  const $ = (id) => document.getElementById(id);
  const LANGS = {en: 'English', ko: 'Korean', de: 'German', fr: 'French', ja: 'Japanese', zh: 'Chinese'};
  const SHOWS = ['all', 'doubtful', 'unreviewed', 'below', 'confirmed', 'rejected'];
  const HELP = [
    ['Move', [['j  ↓', 'next bead (Texts: next sentence)'], ['k  ↑', 'previous bead'],
      ['n  /  N', 'next / previous bead not reviewed'], ['d  /  D', 'next / previous doubtful bead'],
      ['g  /  G', 'first / last bead'], ['h l  ← →', 'Texts view: the other column'],
      ['Enter', 'Texts view: jump to the linked sentence']]],
    ['Review', [['c', 'confirm (again: clear) and go to the next'],
      ['x', 'reject (again: clear) and go to the next']]],
    ['Edit', [['m', 'merge with the next bead'], ['M', 'merge with the previous bead'],
      ['s', 'split: ↑ ↓ move the cut, ← → other side, Enter splits'],
      ['[  ]', 'first source sentence to the previous bead / last one to the next'],
      ['{  }', 'the same for the target side'],
      ['p', 'pair with the nearest unaligned bead of the other side (Texts: the two selected sentences)'],
      ['u', 'unpair: each sentence of the bead unaligned'],
      ['e', 'edit the text (Ctrl+Enter saves, Esc cancels)'],
      ['z  Ctrl+Z', 'undo'], ['y  Ctrl+Shift+Z', 'redo']]],
    ['Find and show', [['/', 'search both texts (Enter: next match)'], ['o', 'order: document / worst first'],
      ['f', 'show: next filter'], ['t', 'view: beads / both texts'], ['E', 'export'],
      ['?', 'this help'], ['Esc', 'close, cancel']]],
  ];

  let S = null; // the state the server sent
  let cur = -1; // current bead (its index in S.beads)
  let view = 'beads';
  let order = []; // the beads shown, in display order
  let mode = null; // null, {kind: 'split', k, a, b, side} or {kind: 'edit', k}
  const sel = {src: null, tgt: null, side: 'src'}; // Texts view: selected sentence per side
  let beadOf = {src: [], tgt: []};
  let rowEls = new Map();
  let sentEls = {src: [], tgt: []};
  let queue = Promise.resolve();
  let nameEdited = false;

  // --- talking to the server ----------------------------------------------------------------

  async function api(path, body) {
    const init = {method: body ? 'POST' : 'GET', headers: {[CONFIG.tokenHeader]: TOKEN}};
    if (body) { init.headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
    let r;
    try { r = await fetch(path, init); } catch (e) {
      return {ok: false, status: 0, data: {error: "the editor's server does not answer (was it stopped?). " +
        'Start `aligner review` again: everything shown as saved is kept.'}};
    }
    let data;
    try { data = await r.json(); } catch (e) { data = {error: 'the server answered ' + r.status}; }
    return {ok: r.ok, status: r.status, data};
  }

  function enqueue(fn) { queue = queue.then(fn).catch((e) => showMessage(String(e), 'error')); return queue; }

  async function change(path, body, opts) {
    saving();
    const r = await api(path, {...body, version: S.version});
    if (r.ok) {
      setState(r.data, opts || {});
      saved();
    } else if (r.status === 409) {
      savedText('⚠ Not saved: changed elsewhere', 'fail');
      showMessage(r.data.error, 'error', true);
    } else if (r.status === 0) {
      savedText('⚠ Not saved: server stopped', 'fail');
      showMessage(r.data.error, 'error');
    } else {
      saved();
      showMessage('Not done: ' + r.data.error, 'error');
    }
  }

  function send(op, args, opts) { return change('/api/edit', {op, args}, opts); }

  // --- state ----------------------------------------------------------------------------------

  const aligned = (b) => b[0].length > 0 && b[1].length > 0;
  const threshold = () => parseFloat($('threshold').value);
  const doubtful = (b) => !b[3] && (!aligned(b) || b[2] < threshold());
  const sortScore = (b) => (aligned(b) ? b[2] : -1);

  function colour(b) {
    if (!aligned(b)) return '#e4e4e4';
    const t = Math.min(Math.max((b[2] - S.low) / (S.high - S.low), 0), 1);
    return 'hsl(' + Math.round(120 * t) + ', 70%, 82%)';
  }

  function setState(st, opts) {
    const next = opts.advance ? order[order.indexOf(cur) + 1] : undefined;
    const prev = S;
    const prevCur = cur;
    if (prev && st.src === undefined) { st.src = prev.src; st.tgt = prev.tgt; } // texts unchanged
    S = st;
    beadOf = {src: new Array(S.src.length), tgt: new Array(S.tgt.length)};
    S.beads.forEach((b, k) => { b[0].forEach((i) => { beadOf.src[i] = k; }); b[1].forEach((j) => { beadOf.tgt[j] = k; }); });
    const hadMode = mode !== null;
    mode = null;
    if (opts.advance && next !== undefined) cur = next;
    else if (S.focus !== null && S.focus !== undefined) cur = Math.min(S.focus, S.beads.length - 1);
    cur = Math.min(cur, S.beads.length - 1);
    header();
    const changed = prev && !hadMode ? changedBeads(prev, S) : null;
    if (changed) update(changed, prevCur);
    else if (!(prev && !hadMode && splice(prev, S, prevCur))) render();
    if (view === 'texts' && S.focus !== null && S.focus !== undefined && !opts.advance) selectBead(cur);
    if (view === 'beads' && prev) setCurrent(cur);
    remember();
  }

  const sameIds = (x, y) => x.length === y.length && x.every((v, i) => v === y[i]);

  // The beads an answer changed, when it changed no bead's sentences (statuses, scores, texts):
  // those rows are redrawn alone, so confirming bead after bead in a long book stays quick.
  function changedBeads(a, b) {
    if (a.beads.length !== b.beads.length) return null;
    const out = new Set();
    for (let k = 0; k < b.beads.length; k++) {
      const x = a.beads[k]; const y = b.beads[k];
      if (!sameIds(x[0], y[0]) || !sameIds(x[1], y[1])) return null;
      if (x[2] !== y[2] || x[3] !== y[3]) out.add(k);
    }
    for (const side of ['src', 'tgt']) {
      if (a[side] === b[side]) continue;
      b[side].forEach((text, i) => { if (text !== a[side][i]) out.add(beadOf[side][i]); });
    }
    return Array.from(out);
  }

  // A merge, split, move, pair or unpair replaces a run of beads: redraw that run, renumber
  // the rows after it (document order only; worst first is drawn again).
  function splice(a, b, prevCur) {
    if (view !== 'beads' || $('order').value !== 'doc') return false;
    const same = (x, y) => sameIds(x[0], y[0]) && sameIds(x[1], y[1]) && x[2] === y[2] && x[3] === y[3];
    const na = a.beads.length; const nb = b.beads.length;
    let p = 0;
    while (p < Math.min(na, nb) && same(a.beads[p], b.beads[p])) p++;
    let q = 0;
    while (q < Math.min(na, nb) - p && same(a.beads[na - 1 - q], b.beads[nb - 1 - q])) q++;
    const shift = nb - na;
    const q0 = query();
    if (rowEls.has(prevCur)) rowEls.get(prevCur).classList.remove('current');
    let after = null; // the first row of the unchanged tail, to insert before
    for (let k = na - q; k < na && !after; k++) after = rowEls.get(k) || null;
    for (let k = p; k < na - q; k++) { const row = rowEls.get(k); if (row) row.remove(); }
    const next = new Map();
    for (const [k, row] of rowEls) {
      if (k < p) next.set(k, row);
      else if (k >= na - q) {
        const n = k + shift;
        row.dataset.k = n; row.firstChild.textContent = String(n);
        next.set(n, row);
      }
    }
    const frag = document.createDocumentFragment();
    for (let k = p; k < nb - q; k++) {
      if (!visible(k)) continue;
      const tr = beadRow(k, q0); next.set(k, tr); frag.append(tr);
    }
    $('rows').insertBefore(frag, after);
    rowEls = next;
    order = b.beads.map((_, k) => k).filter((k) => rowEls.has(k));
    $('empty').hidden = order.length > 0;
    $('shown').textContent = order.length + ' of ' + b.beads.length + ' beads shown';
    if (!rowEls.has(cur)) cur = order.length ? order[0] : -1;
    if (cur >= 0) rowEls.get(cur).classList.add('current');
    dock();
    return true;
  }

  function update(ks, prevCur) {
    if (view === 'texts' || ($('order').value === 'worst' && ks.length)) { render(); return; }
    const q = query();
    if (rowEls.has(prevCur)) rowEls.get(prevCur).classList.remove('current');
    for (const k of ks) {
      const vis = visible(k); const row = rowEls.get(k);
      if (vis && row) { const tr = beadRow(k, q); row.replaceWith(tr); rowEls.set(k, tr); }
      else if (!vis && row) { row.remove(); rowEls.delete(k); order.splice(order.indexOf(k), 1); }
      else if (vis && !row) { render(); return; }
    }
    $('empty').hidden = order.length > 0;
    $('shown').textContent = order.length + ' of ' + S.beads.length + ' beads shown';
    if (!rowEls.has(cur)) cur = order.length ? order[0] : -1;
    if (cur >= 0) rowEls.get(cur).classList.add('current');
    dock();
  }

  function header() {
    $('name').textContent = S.title;
    document.title = 'Review: ' + S.title;
    const lang = (c) => LANGS[c.split('-')[0]] || c;
    $('meta').textContent = lang(S.src_lang) + ' → ' + lang(S.tgt_lang) + ' · ' + S.mode + ' · ' +
      S.src.length + ' + ' + S.tgt.length + ' sentences in ' + S.beads.length + ' beads · ' +
      'scores are similarities, higher is better';
    $('h-src').textContent = $('t-src').textContent = lang(S.src_lang);
    $('h-tgt').textContent = $('t-tgt').textContent = lang(S.tgt_lang);
    $('mv-src').textContent = S.src_lang; $('mv-tgt').textContent = S.tgt_lang;
    const n = S.beads.length;
    const conf = S.beads.filter((b) => b[3] === 'confirmed').length;
    const rej = S.beads.filter((b) => b[3] === 'rejected').length;
    const doubt = S.beads.filter(doubtful).length;
    $('counts').textContent = (conf + rej) + ' of ' + n + ' reviewed · ' + conf + ' confirmed · ' +
      rej + ' rejected · ' + doubt + ' doubtful left';
    $('bar-confirmed').style.width = (100 * conf / Math.max(n, 1)) + '%';
    $('bar-rejected').style.width = (100 * rej / Math.max(n, 1)) + '%';
    $('undo').disabled = !S.undo; $('undo').title = S.undo ? 'Undo: ' + S.undo + ' (z)' : 'Nothing to undo';
    $('redo').disabled = !S.redo; $('redo').title = S.redo ? 'Redo: ' + S.redo + ' (y)' : 'Nothing to redo';
    $('help-file').textContent = S.file;
    $('saved').title = 'Saved in ' + S.file;
  }

  function saving() { savedText('Saving…', 'busy'); }
  function saved() { savedText('✓ Saved · version ' + S.version, ''); }
  function savedText(text, cls) { const el = $('saved'); el.textContent = text; el.className = 'saved ' + cls; }

  function showMessage(text, kind, reload) {
    $('message-text').textContent = text;
    $('message').className = 'message ' + (kind || '');
    $('message').hidden = false;
    $('message-reload').hidden = !reload;
  }

  function remember() {
    try {
      sessionStorage.setItem('aligner-review', JSON.stringify({cur, view, order: $('order').value,
        show: $('show').value, threshold: $('threshold').value}));
    } catch (e) { /* private mode: nothing to keep */ }
  }

  function recall(st) {
    let p = null;
    try { p = JSON.parse(sessionStorage.getItem('aligner-review') || 'null'); } catch (e) { p = null; }
    if (!p) return;
    cur = p.cur; view = p.view === 'texts' ? 'texts' : 'beads';
    $('order').value = p.order || 'doc'; $('show').value = p.show || 'all';
    $('threshold').value = p.threshold || st.doubtful;
  }

  // --- what is shown --------------------------------------------------------------------------

  function query() { return $('search').value.trim().toLowerCase(); }

  function matches(k, q) {
    if (!q) return true;
    const b = S.beads[k];
    return b[0].some((i) => S.src[i].toLowerCase().includes(q)) || b[1].some((j) => S.tgt[j].toLowerCase().includes(q));
  }

  function visible(k) {
    const b = S.beads[k];
    const show = $('show').value;
    const keep = {
      all: true, doubtful: doubtful(b), unreviewed: !b[3], below: !aligned(b) || b[2] < threshold(),
      confirmed: b[3] === 'confirmed', rejected: b[3] === 'rejected',
    }[show];
    return keep && matches(k, query());
  }

  function render() {
    $('threshold-value').textContent = threshold().toFixed(2);
    document.querySelectorAll('.seg button').forEach((b) => b.classList.toggle('on', b.dataset.view === view));
    $('beads').hidden = view !== 'beads';
    $('texts').hidden = view !== 'texts';
    $('order').disabled = $('show').disabled = view === 'texts';
    if (view === 'beads') renderBeads(); else renderTexts();
    dock();
  }

  function renderBeads() {
    order = S.beads.map((_, k) => k).filter(visible);
    if ($('order').value === 'worst') order.sort((a, b) => sortScore(S.beads[a]) - sortScore(S.beads[b]) || a - b);
    const q = query();
    const body = $('rows');
    const frag = document.createDocumentFragment();
    rowEls = new Map();
    for (const k of order) { const tr = beadRow(k, q); rowEls.set(k, tr); frag.append(tr); }
    body.replaceChildren(frag);
    $('empty').hidden = order.length > 0;
    $('shown').textContent = order.length + ' of ' + S.beads.length + ' beads shown';
    if (!rowEls.has(cur)) cur = order.length ? order[0] : -1;
    if (cur >= 0) rowEls.get(cur).classList.add('current');
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function appendMarked(node, text, q) {
    if (!q) { node.append(text); return; }
    const low = text.toLowerCase();
    let i = 0; let j;
    while ((j = low.indexOf(q, i)) >= 0) {
      node.append(text.slice(i, j), el('mark', null, text.slice(j, j + q.length)));
      i = j + q.length;
    }
    node.append(text.slice(i));
  }

  function beadRow(k, q) {
    const b = S.beads[k];
    const tr = el('tr', 'bead' + (aligned(b) ? '' : ' unaligned') + (b[3] ? ' ' + b[3] : ''));
    tr.dataset.k = k;
    tr.dataset.score = aligned(b) ? b[2] : -1;
    tr.append(el('td', 'n', String(k)));
    const sc = el('td', 'score', aligned(b) ? b[2].toFixed(3) : '—');
    sc.style.background = colour(b);
    sc.append(el('small', null, b[0].length + '-' + b[1].length));
    tr.append(sc);
    const st = el('td', 'status', b[3] === 'confirmed' ? '✓' : b[3] === 'rejected' ? '✗' : '');
    st.title = b[3] || 'not reviewed';
    tr.append(st);
    tr.append(sideCell(k, 'src', q), sideCell(k, 'tgt', q));
    return tr;
  }

  function sideCell(k, side, q) {
    const ids = S.beads[k][side === 'src' ? 0 : 1];
    const td = el('td', 'side ' + side);
    td.lang = side === 'src' ? S.src_lang : S.tgt_lang;
    const splitting = mode && mode.kind === 'split' && mode.k === k;
    const editing = mode && mode.kind === 'edit' && mode.k === k;
    if (splitting) td.classList.add('splitting');
    if (!ids.length) td.append(el('span', 'none', 'no counterpart'));
    ids.forEach((id, p) => {
      if (splitting) td.append(cut(side, p));
      if (editing) {
        const ta = el('textarea', 'editing');
        ta.value = S[side][id]; ta.dataset.side = side; ta.dataset.id = id; ta.rows = 2;
        td.append(ta);
        return;
      }
      const s = el('span', 'sent');
      s.append(el('span', 'sid', String(id)));
      appendMarked(s, S[side][id], q);
      td.append(s);
    });
    if (splitting) td.append(cut(side, ids.length));
    if (splitting && side === 'src') td.append(el('div', 'hint', '↑ ↓ move the cut · ← → other side · click a gap · Enter splits · Esc cancels'));
    if (editing && side === 'src') td.append(el('div', 'hint', 'Ctrl+Enter saves · Esc cancels'));
    return td;
  }

  function cut(side, pos) {
    const at = side === 'src' ? mode.a : mode.b;
    const c = el('span', 'cut' + (pos === at ? ' at' : ''));
    c.dataset.side = side; c.dataset.pos = pos;
    return c;
  }

  function renderTexts() {
    const q = query();
    const selBeads = new Set(['src', 'tgt'].filter((s) => sel[s] !== null).map((s) => beadOf[s][sel[s]]));
    sentEls = {src: [], tgt: []};
    for (const side of ['src', 'tgt']) {
      const other = side === 'src' ? 1 : 0;
      const frag = document.createDocumentFragment();
      S[side].forEach((text, i) => {
        const k = beadOf[side][i];
        const b = S.beads[k];
        const row = el('div', 'tsent' + (aligned(b) ? '' : ' unpaired') + (b[3] === 'rejected' ? ' rejected' : ''));
        row.dataset.side = side; row.dataset.id = i;
        if (sel[side] === i) row.classList.add('selected');
        else if (selBeads.has(k) && aligned(b)) row.classList.add('partner');
        row.append(el('span', 'sid', String(i)));
        const t = el('span', 'txt'); t.lang = side === 'src' ? S.src_lang : S.tgt_lang;
        appendMarked(t, text, q);
        row.append(t);
        if (aligned(b)) {
          const link = el('a', 'link' + (b[3] === 'confirmed' ? ' confirmed' : ''), '↔ ' + b[other].join(', '));
          link.style.background = colour(b);
          link.title = 'score ' + b[2].toFixed(3) + ', bead ' + k + ': jump to the linked sentence (Enter)';
          link.dataset.jump = '1';
          row.append(link);
        }
        sentEls[side].push(row);
        frag.append(row);
      });
      $('list-' + side).replaceChildren(frag);
    }
    $('col-src').classList.toggle('active', sel.side === 'src');
    $('col-tgt').classList.toggle('active', sel.side === 'tgt');
    const pairs = S.beads.filter(aligned).length;
    $('shown').textContent = pairs + ' pairs · ' + S.src.length + ' + ' + S.tgt.length + ' sentences';
    $('empty').hidden = true;
  }

  // --- the current bead -----------------------------------------------------------------------

  function currentBead() {
    if (view === 'texts') {
      const i = sel[sel.side];
      return i === null ? -1 : beadOf[sel.side][i];
    }
    return cur;
  }

  function setCurrent(k) {
    if (k === undefined || k < 0) return;
    if (rowEls.has(cur)) rowEls.get(cur).classList.remove('current');
    cur = k;
    const tr = rowEls.get(k);
    if (tr) { tr.classList.add('current'); tr.scrollIntoView({block: 'nearest'}); }
    dock(); remember();
  }

  function step(d) {
    if (!order.length) return;
    const i = order.indexOf(cur);
    const j = i < 0 ? (d > 0 ? 0 : order.length - 1) : Math.min(Math.max(i + d, 0), order.length - 1);
    setCurrent(order[j]);
  }

  function seek(test, d) {
    const i = order.indexOf(cur);
    for (let j = i + d; j >= 0 && j < order.length; j += d) {
      if (test(S.beads[order[j]])) { setCurrent(order[j]); return; }
    }
    showMessage('No further bead of that kind in this direction.', '');
  }

  function pairCandidate(k) {
    const b = S.beads[k];
    if (aligned(b)) return null;
    const want = b[0].length ? 1 : 0; // the side the other bead must have
    for (let d = 1; d < S.beads.length; d++) {
      for (const o of [k + d, k - d]) {
        const c = S.beads[o];
        if (c && !aligned(c) && c[want].length) return o;
      }
    }
    return null;
  }

  function dock() {
    const k = currentBead();
    const b = k >= 0 ? S.beads[k] : null;
    const parallel = S.mode === 'parallel';
    $('dock-what').textContent = b ? 'Bead ' + k + ' · ' + b[0].length + '-' + b[1].length +
      (aligned(b) ? ' · ' + b[2].toFixed(3) : ' · unaligned') : 'No bead selected';
    const can = {
      confirm: !!b, reject: !!b, edit: !!b,
      'merge-prev': !!b && k > 0, 'merge-next': !!b && k < S.beads.length - 1,
      split: !!b && b[0].length + b[1].length > 1,
      pair: !!b && (view === 'texts' ? sel.src !== null && sel.tgt !== null : pairCandidate(k) !== null),
      unpair: !!b && b[0].length + b[1].length > 1,
      'src-up': !!b && parallel && b[0].length > 0 && k > 0,
      'src-down': !!b && parallel && b[0].length > 0 && k < S.beads.length - 1,
      'tgt-up': !!b && parallel && b[1].length > 0 && k > 0,
      'tgt-down': !!b && parallel && b[1].length > 0 && k < S.beads.length - 1,
    };
    document.querySelectorAll('.dock button').forEach((btn) => { btn.disabled = !can[btn.dataset.act]; });
    // Texts view: neighbours in the bead list mean nothing there; pair joins what is selected
    for (const what of ['[data-act=merge-prev]', '[data-act=merge-next]', '.movers']) {
      document.querySelectorAll('.dock ' + what).forEach((x) => { x.hidden = view === 'texts'; });
    }
    const c = document.querySelector('.dock [data-act=confirm]');
    const x = document.querySelector('.dock [data-act=reject]');
    c.classList.toggle('on', !!b && b[3] === 'confirmed');
    x.classList.toggle('on', !!b && b[3] === 'rejected');
    c.setAttribute('aria-pressed', String(!!b && b[3] === 'confirmed'));
    x.setAttribute('aria-pressed', String(!!b && b[3] === 'rejected'));
  }

  // --- actions --------------------------------------------------------------------------------

  function act(name) {
    const k = currentBead();
    if (k < 0 || !S) return undefined;
    const b = S.beads[k];
    const status = (s) => send('status', {k, status: b[3] === s ? null : s}, {advance: view === 'beads' && b[3] !== s});
    switch (name) {
      case 'confirm': return status('confirmed');
      case 'reject': return status('rejected');
      case 'merge-next': return send('merge', {k, other: k + 1});
      case 'merge-prev': return send('merge', {k, other: k - 1});
      case 'unpair': return send('unpair', {k});
      case 'src-up': return send('move', {k, side: 'src', direction: 'prev'});
      case 'src-down': return send('move', {k, side: 'src', direction: 'next'});
      case 'tgt-up': return send('move', {k, side: 'tgt', direction: 'prev'});
      case 'tgt-down': return send('move', {k, side: 'tgt', direction: 'next'});
      case 'split': return startSplit(k);
      case 'edit': return startEdit(k);
      case 'pair': return pair(k);
      default: return undefined;
    }
  }

  function pair(k) {
    if (view === 'texts') {
      if (sel.src === null || sel.tgt === null) { showMessage('Select a sentence in each column first (click, or j/k and h/l).', ''); return undefined; }
      const a = beadOf.src[sel.src]; const o = beadOf.tgt[sel.tgt];
      if (a === o) { showMessage('These two sentences are already paired.', ''); return undefined; }
      const both = !aligned(S.beads[a]) && !aligned(S.beads[o]);
      return send(both ? 'pair' : 'merge', {k: a, other: o});
    }
    const o = pairCandidate(k);
    if (o === null) { showMessage('Bead ' + k + ' has both sides, or no unaligned bead of the other side is left.', ''); return undefined; }
    return send('pair', {k, other: o});
  }

  function startSplit(k) {
    const b = S.beads[k];
    const n = b[0].length; const m = b[1].length;
    if (n + m < 2) { showMessage('Bead ' + k + ' holds one sentence: nothing to split.', ''); return; }
    let a = Math.ceil(n / 2); let c = Math.ceil(m / 2);
    if (a + c === n + m) { if (c > 0) c -= 1; else a -= 1; }
    mode = {kind: 'split', k, a, b: c, side: n ? 'src' : 'tgt'};
    cur = k;
    if (view === 'beads' && rowEls.has(k)) refreshRow(k); else { view = 'beads'; render(); }
    setCurrent(k);
  }

  function moveCut(d) {
    const b = S.beads[mode.k];
    const key = mode.side === 'src' ? 'a' : 'b';
    const max = b[mode.side === 'src' ? 0 : 1].length;
    mode[key] = Math.min(Math.max(mode[key] + d, 0), max);
    refreshRow(mode.k);
  }

  function refreshRow(k) {
    const old = rowEls.get(k);
    if (!old) { render(); return; }
    const tr = beadRow(k, query());
    tr.classList.add('current');
    old.replaceWith(tr); rowEls.set(k, tr);
  }

  function finishSplit() {
    const {k, a, b} = mode;
    const bead = S.beads[k];
    if (a + b === 0 || a + b === bead[0].length + bead[1].length) {
      showMessage('Put the cut where both parts keep a sentence.', ''); return undefined;
    }
    mode = null;
    return send('split', {k, src_at: a, tgt_at: b});
  }

  function startEdit(k) {
    if (view === 'texts') { startTextEdit(); return; }
    mode = {kind: 'edit', k};
    refreshRow(k);
    const ta = rowEls.get(k).querySelector('textarea');
    if (ta) ta.focus();
  }

  function startTextEdit() {
    const side = sel.side; const i = sel[side];
    if (i === null) return;
    const row = sentEls[side][i];
    const ta = el('textarea', 'editing'); ta.value = S[side][i]; ta.dataset.side = side; ta.dataset.id = i;
    row.querySelector('.txt').replaceWith(ta);
    mode = {kind: 'edit', k: beadOf[side][i]};
    ta.focus();
  }

  async function finishEdit() {
    const areas = Array.from(document.querySelectorAll('textarea.editing'));
    mode = null;
    let any = false;
    for (const ta of areas) {
      const side = ta.dataset.side; const id = parseInt(ta.dataset.id, 10);
      if (ta.value.trim() !== S[side][id]) { any = true; await send('text', {side, sentence: id, text: ta.value}); }
    }
    if (!any) leaveMode();
  }

  function leaveMode() {
    const k = mode ? mode.k : cur;
    mode = null;
    if (view === 'beads' && rowEls.has(k)) { refreshRow(k); setCurrent(k); } else render();
  }

  function cancel() {
    if (!$('help').hidden) { $('help').hidden = true; return; }
    if (!$('export').hidden) { $('export').hidden = true; return; }
    if (mode) { leaveMode(); return; }
    if (document.activeElement === $('search')) { $('search').value = ''; $('search').blur(); render(); return; }
    $('message').hidden = true;
  }

  // --- Texts view selection -------------------------------------------------------------------

  function select(side, i, scroll) {
    sel[side] = i; sel.side = side;
    renderTexts();
    if (scroll && sentEls[side][i]) sentEls[side][i].scrollIntoView({block: 'center'});
    cur = beadOf[side][i];
    dock(); remember();
  }

  function selectBead(k) {
    const b = S.beads[k];
    if (!b) return;
    if (b[0].length) sel.src = b[0][0];
    if (b[1].length) sel.tgt = b[1][0];
    sel.side = b[0].length ? 'src' : 'tgt';
    renderTexts(); dock();
  }

  function jump() {
    const side = sel.side; const i = sel[side];
    if (i === null) return;
    const b = S.beads[beadOf[side][i]];
    const other = side === 'src' ? 'tgt' : 'src';
    const ids = b[side === 'src' ? 1 : 0];
    if (!ids.length) { showMessage('This sentence is not paired.', ''); return; }
    select(other, ids[0], true);
    sentEls[other][ids[0]].scrollIntoView({block: 'center'});
  }

  function textStep(d) {
    const side = sel.side;
    const n = S[side].length;
    if (!n) return;
    const i = sel[side] === null ? (d > 0 ? 0 : n - 1) : Math.min(Math.max(sel[side] + d, 0), n - 1);
    select(side, i, true);
  }

  function otherColumn() {
    const side = sel.side === 'src' ? 'tgt' : 'src';
    if (sel[side] === null && S[side].length) sel[side] = 0;
    sel.side = side;
    renderTexts(); dock();
    if (sel[side] !== null) sentEls[side][sel[side]].scrollIntoView({block: 'nearest'});
  }

  function nextMatch() {
    const q = query();
    if (!q) return;
    if (view === 'beads') { step(1); return; }
    const side = sel.side;
    const start = sel[side] === null ? -1 : sel[side];
    for (let d = 1; d <= S[side].length; d++) {
      const i = (start + d) % S[side].length;
      if (S[side][i].toLowerCase().includes(q)) { $('search').blur(); select(side, i, true); return; }
    }
  }

  // --- keyboard and clicks --------------------------------------------------------------------

  function onKey(e) {
    if (!S) return;
    const t = e.target;
    const typing = t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT';
    if (e.key === 'Escape') { cancel(); e.preventDefault(); return; }
    if (t.tagName === 'TEXTAREA' && e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { enqueue(finishEdit); e.preventDefault(); return; }
    if (t === $('search') && e.key === 'Enter') { nextMatch(); e.preventDefault(); return; }
    if (typing) return;
    if ((e.ctrlKey || e.metaKey) && !e.altKey) {
      const k = e.key.toLowerCase();
      if (k === 'z' && !e.shiftKey) { enqueue(undo); e.preventDefault(); } else if (k === 'y' || (k === 'z' && e.shiftKey)) { enqueue(redo); e.preventDefault(); }
      return;
    }
    if (e.altKey || !$('help').hidden && e.key !== '?' || !$('export').hidden) return;
    if (mode && mode.kind === 'split') { if (splitKey(e)) e.preventDefault(); return; }
    if (handle(e.key)) e.preventDefault();
  }

  function splitKey(e) {
    const b = S.beads[mode.k];
    if (e.key === 'ArrowDown' || e.key === 'j') moveCut(1);
    else if (e.key === 'ArrowUp' || e.key === 'k') moveCut(-1);
    else if (['ArrowLeft', 'ArrowRight', 'h', 'l', 'Tab'].includes(e.key)) {
      const side = mode.side === 'src' ? 'tgt' : 'src';
      if (b[side === 'src' ? 0 : 1].length) mode.side = side;
    } else if (e.key === 'Enter' || e.key === 's') enqueue(finishSplit);
    else return false;
    return true;
  }

  const KEYS = {
    j: () => (view === 'beads' ? step(1) : textStep(1)), ArrowDown: () => (view === 'beads' ? step(1) : textStep(1)),
    k: () => (view === 'beads' ? step(-1) : textStep(-1)), ArrowUp: () => (view === 'beads' ? step(-1) : textStep(-1)),
    h: () => view === 'texts' && otherColumn(), l: () => view === 'texts' && otherColumn(),
    ArrowLeft: () => view === 'texts' && otherColumn(), ArrowRight: () => view === 'texts' && otherColumn(),
    Enter: () => view === 'texts' && jump(),
    g: () => view === 'beads' && order.length && setCurrent(order[0]),
    G: () => view === 'beads' && order.length && setCurrent(order[order.length - 1]),
    n: () => seek((b) => !b[3], 1), N: () => seek((b) => !b[3], -1),
    d: () => seek(doubtful, 1), D: () => seek(doubtful, -1),
    c: () => enqueue(() => act('confirm')), x: () => enqueue(() => act('reject')),
    m: () => enqueue(() => act('merge-next')), M: () => enqueue(() => act('merge-prev')),
    s: () => act('split'), e: () => act('edit'),
    p: () => enqueue(() => act('pair')), u: () => enqueue(() => act('unpair')),
    '[': () => enqueue(() => act('src-up')), ']': () => enqueue(() => act('src-down')),
    '{': () => enqueue(() => act('tgt-up')), '}': () => enqueue(() => act('tgt-down')),
    z: () => enqueue(undo), y: () => enqueue(redo), Z: () => enqueue(redo),
    '/': () => { $('search').focus(); $('search').select(); },
    o: () => { $('order').value = $('order').value === 'doc' ? 'worst' : 'doc'; render(); remember(); },
    f: () => { const s = $('show'); s.value = SHOWS[(SHOWS.indexOf(s.value) + 1) % SHOWS.length]; render(); remember(); },
    t: () => toggleView(),
    E: () => openExport(),
    '?': () => { $('help').hidden = !$('help').hidden; },
  };

  function handle(key) {
    const fn = KEYS[key];
    if (!fn) return false;
    fn();
    return true;
  }

  function toggleView(to) {
    view = to || (view === 'beads' ? 'texts' : 'beads');
    mode = null;
    if (view === 'texts') selectBead(cur >= 0 ? cur : 0);
    render();
    if (view === 'texts' && sel[sel.side] !== null) sentEls[sel.side][sel[sel.side]].scrollIntoView({block: 'center'});
    if (view === 'beads') setCurrent(cur);
    remember();
  }

  function undo() { return change('/api/undo', {}); }
  function redo() { return change('/api/redo', {}); }

  function onRowsClick(e) {
    const c = e.target.closest('.cut');
    if (c && mode && mode.kind === 'split') {
      mode.side = c.dataset.side;
      mode[c.dataset.side === 'src' ? 'a' : 'b'] = parseInt(c.dataset.pos, 10);
      refreshRow(mode.k); return;
    }
    const tr = e.target.closest('tr.bead');
    if (!tr || e.target.tagName === 'TEXTAREA') return;
    const k = parseInt(tr.dataset.k, 10);
    if (mode && mode.k !== k) leaveMode();
    setCurrent(k);
  }

  function onTextsClick(e) {
    const row = e.target.closest('.tsent');
    if (!row || e.target.tagName === 'TEXTAREA') return;
    const side = row.dataset.side; const i = parseInt(row.dataset.id, 10);
    select(side, i, false);
    if (e.target.dataset.jump) jump();
  }

  // --- export ---------------------------------------------------------------------------------

  function openExport() {
    const f = $('export-format');
    if (!f.options.length) {
      for (const x of S.formats) {
        const o = el('option', null, x.name.toUpperCase() + '  (' + x.ext + ')'); o.value = x.name; o.dataset.ext = x.ext; f.append(o);
      }
      f.value = S.formats.some((x) => x.name === 'tmx') ? 'tmx' : S.formats[0].name;
    }
    $('export-folder').textContent = S.folder;
    if (!nameEdited) exportName();
    exportOptions();
    $('export-result').textContent = '';
    $('export').hidden = false;
    $('export-go').focus();
  }

  function exportName() {
    const o = $('export-format').selectedOptions[0];
    $('export-name').value = S.name + '.reviewed' + (o ? o.dataset.ext : '');
  }

  function exportOptions() {
    const fmt = $('export-format').value;
    $('opt-tmx').hidden = fmt !== 'tmx';
    $('opt-tsv').hidden = fmt !== 'tsv';
  }

  async function doExport(e) {
    e.preventDefault();
    const fmt = $('export-format').value;
    const options = {};
    if (fmt === 'tmx') {
      options.trados = $('opt-trados').checked;
      options.per_segment = $('opt-per-segment').checked;
      options.include_unaligned = $('opt-unaligned').checked;
    }
    if (fmt === 'tsv') options.header = $('opt-header').checked;
    const out = $('export-result');
    out.className = 'result'; out.textContent = 'Writing…';
    const r = await api('/api/export', {format: fmt, name: $('export-name').value, options});
    if (!r.ok) { out.className = 'result fail'; out.textContent = '⚠ ' + r.data.error; return; }
    out.className = 'result ok';
    const what = r.data.written === null || r.data.written === undefined ? '' : r.data.written + ' ' + (fmt === 'tmx' ? 'units' : 'rows') + ' ';
    let text = '✓ Wrote ' + what + 'to ' + r.data.files.join(' and ');
    if (r.data.skipped_rejected) text += ' (' + r.data.skipped_rejected + ' rejected left out)';
    out.textContent = text + '. ';
    for (const name of r.data.names) {
      const a = el('a', null, 'Download ' + name);
      a.href = '/api/download/' + encodeURIComponent(name) + '?token=' + encodeURIComponent(TOKEN);
      a.download = name;
      out.append(a, ' ');
    }
  }

  // --- start ----------------------------------------------------------------------------------

  function helpKeys() {
    const box = $('help-keys');
    for (const [title, rows] of HELP) {
      box.append(el('h3', null, title));
      for (const [keys, what] of rows) { const d = el('div'); d.append(el('span', null, keys), el('span', null, what)); box.append(d); }
    }
  }

  function wire() {
    document.addEventListener('keydown', onKey);
    $('rows').addEventListener('click', onRowsClick);
    $('texts').addEventListener('click', onTextsClick);
    document.querySelectorAll('.dock button').forEach((b) => b.addEventListener('click', () => {
      const a = b.dataset.act;
      if (a === 'split' || a === 'edit') act(a); else enqueue(() => act(a));
    }));
    document.querySelectorAll('.seg button').forEach((b) => b.addEventListener('click', () => toggleView(b.dataset.view)));
    for (const id of ['order', 'show']) $(id).addEventListener('change', () => { render(); remember(); });
    $('threshold').addEventListener('input', () => { header(); render(); remember(); });
    $('search').addEventListener('input', () => render());
    $('undo').addEventListener('click', () => enqueue(undo));
    $('redo').addEventListener('click', () => enqueue(redo));
    $('help-open').addEventListener('click', () => { $('help').hidden = false; });
    $('help-close').addEventListener('click', () => { $('help').hidden = true; });
    $('export-open').addEventListener('click', openExport);
    $('export-close').addEventListener('click', () => { $('export').hidden = true; });
    $('export-form').addEventListener('submit', doExport);
    $('export-format').addEventListener('change', () => { if (!nameEdited) exportName(); exportOptions(); });
    $('export-name').addEventListener('input', () => { nameEdited = true; });
    $('message-close').addEventListener('click', () => { $('message').hidden = true; });
    $('message-reload').addEventListener('click', () => location.reload());
    for (const id of ['help', 'export']) $(id).addEventListener('click', (e) => { if (e.target.id === id) $(id).hidden = true; });
  }

  async function start() {
    helpKeys();
    wire();
    const r = await api('/api/state');
    if (!r.ok) { savedText('⚠ Cannot load', 'fail'); showMessage(r.data.error, 'error'); return; }
    const st = r.data;
    $('threshold').value = st.doubtful;
    view = st.mode === 'parallel' ? 'beads' : 'texts';
    recall(st);
    setState(st, {});
    if (view === 'texts') selectBead(cur >= 0 ? cur : 0);
    saved();
    if (S.warnings && S.warnings.length) showMessage(S.warnings.join(' '), '');
    if (view === 'beads' && cur >= 0) setCurrent(cur);
    document.body.dataset.ready = '1';
  }

  start();
})();
